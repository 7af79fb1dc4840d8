// The one module that talks to the Rust side. Every `invoke` lives here, typed by the
// contract generated from the Rust types (bindings.ts, `cargo xtask bindings`): a command
// name that does not exist, an argument it does not take or a misread answer fails `tsc`.
// The rest of the UI imports the types from here.
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AppError as ErrorPayload,
  BudgetInput,
  CategoryInput,
  Command,
  Commands,
  EmailSettingsInput,
  ErrorKind,
  ExpenseCursor,
  ExpenseFilter,
  ExpenseInput,
  ImportOptions,
  ImportProgress,
  ServerSettings,
  StatementChoices,
  UploadProgress,
} from "./bindings";

export type {
  CategoryRule,
  ChosenFile,
  CsvLayout,
  DateOrder,
  DecimalMark,
  ImportProgress,
  ReviewRow,
  RowKind,
  Spending,
  StatementChoices,
  StatementCounts,
  StatementFormat,
  StatementImport,
  StatementReview,
  Alert,
  AlertList,
  AppInfo,
  AssistantReply,
  Budget,
  BudgetInput,
  BudgetProgress,
  Category,
  CategoryInput,
  CategorySpend,
  CategorySuggestion,
  Connection,
  Dashboard,
  DatabaseStatus,
  EmailSettings,
  EmailSettingsInput,
  EmailStatus,
  ErrorKind,
  Expense,
  ExpenseCursor,
  ExpenseFilter,
  ExpenseInput,
  ExpensePage,
  ExpenseSort,
  ExportedFile,
  Figure,
  ImportOptions,
  ImportReport,
  InvalidLine,
  Money,
  MonthSpend,
  OutboxMail,
  Period,
  PeriodKind,
  QuickAddPreview,
  ReportRow,
  ServerSettings,
  Session,
  SignedInAnswer,
  SpendingReport,
  SuggestionSource,
  Total,
  UploadProgress,
  UploadReport,
} from "./bindings";

/**
 * A failed command, as the Rust side serializes `outlay_core::AppError`
 * (`{kind, message, field}`). Branch on `kind`; show `message` beside the input named by
 * `field` when there is one. A class rather than a bare object so it carries a stack and
 * `instanceof` works.
 */
export class AppError extends Error {
  constructor(
    /** The core's `ErrorKind`, or "ipc" when the IPC layer itself refused the call. */
    readonly kind: ErrorKind | "ipc",
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** A UUID (v7) as the core sends it. */
export type Id = string;
/** A calendar date, "YYYY-MM-DD". */
export type IsoDate = string;
/** An instant, RFC 3339 in UTC. */
export type Instant = string;

function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const fields = value as Record<string, unknown>;
  return typeof fields["kind"] === "string" && typeof fields["message"] === "string";
}

declare global {
  interface Window {
    /** Set by /start.js (see `firstScreen`). */
    __outlayFirstScreen?: Record<string, unknown>;
  }
}

/**
 * Answers the shell read for the first screen while the page loaded, by command (see
 * src-tauri/src/first_screen.rs). Each is used once; later calls ask the shell.
 */
const firstScreen = new Map(Object.entries(window.__outlayFirstScreen ?? {}));
// Kept only here, so the answers go with `forgetFirstScreen` (nothing stays behind a sign-out).
delete window.__outlayFirstScreen;

/**
 * The shell's answer to `command` (called without arguments) if it handed one over at start,
 * else `undefined`. With it the first screen is built before the page's script returns, so it
 * is in the page's very first frame: a frame started later waits until that first one is on
 * screen, ~100 ms under software rendering.
 */
export function firstScreenAnswer<C extends Command>(command: C): Answer<C> | undefined {
  const answer = firstScreen.get(command);
  firstScreen.delete(command);
  // The shell put the command's own answer there (src-tauri/src/first_screen.rs).
  return answer as Answer<C> | undefined;
}

/**
 * Drops whatever the first screen left unused, once it is built: a later call (after
 * signing out and in as someone else, say) must ask the shell, never get an old answer.
 */
export function forgetFirstScreen(): void {
  firstScreen.clear();
}

/** What `command` answers. */
type Answer<C extends Command> = Commands[C]["answer"];

/** The arguments of `command`: none at all for a command that takes none. */
type Arguments<C extends Command> =
  Commands[C]["args"] extends Record<string, never> ? [] : [args: Commands[C]["args"]];

// Commands reject with a serialized AppError, but the IPC layer itself rejects with a plain
// string (unknown command, call denied by a capability). Callers get one type either way.
async function call<C extends Command>(command: C, ...args: Arguments<C>): Promise<Answer<C>> {
  const [sent] = args;
  const handedOver = sent === undefined ? firstScreenAnswer(command) : undefined;
  if (handedOver !== undefined) {
    return handedOver;
  }
  try {
    return await invoke<Answer<C>>(command, sent);
  } catch (error: unknown) {
    if (isErrorPayload(error)) {
      throw new AppError(error.kind, error.message, error.field);
    }
    throw new AppError("ipc", String(error));
  }
}

export function appInfo() {
  return call("app_info");
}

/** Tells the shell the first screen (`screen`) is on display, once per start. */
export function appStarted(screen: string) {
  return call("app_started", { screen });
}

// Account. Tauri maps these camelCase argument names to the commands' snake_case parameters.

export function signUp(email: string, password: string, baseCurrency: string) {
  return call("sign_up", { email, password, baseCurrency });
}

/** With `remember`, the next start signs in by itself (see `resumeSession`). */
export function logIn(email: string, password: string, remember: boolean) {
  return call("log_in", { email, password, remember });
}

/** The user signed in in this run of the app, or null. */
export function currentSession() {
  return call("current_session");
}

/**
 * The session to start with: the one signed in in this run (the page reloaded), else one
 * signed in with the remembered token from the OS keychain, if a valid one is there.
 */
export function resumeSession() {
  return call("resume_session");
}

export function logOut() {
  return call("log_out");
}

export function changePassword(currentPassword: string, newPassword: string) {
  return call("change_password", { currentPassword, newPassword });
}

export function deleteAccount(password: string) {
  return call("delete_account", { password });
}

// Categories.

export function listCategories() {
  return call("list_categories");
}

export function createCategory(input: CategoryInput) {
  return call("create_category", { input });
}

export function updateCategory(id: Id, input: CategoryInput) {
  return call("update_category", { id, input });
}

export function archiveCategory(id: Id, archived: boolean) {
  return call("archive_category", { id, archived });
}

/** Moves every expense of `from` into `into`; returns how many moved. */
export function mergeCategories(from: Id, into: Id) {
  return call("merge_categories", { from, into });
}

// Expenses.

export function addExpense(input: ExpenseInput) {
  return call("add_expense", { input });
}

export function updateExpense(id: Id, input: ExpenseInput) {
  return call("update_expense", { id, input });
}

/** Soft-deletes; `undoDelete` with the same ids brings them back. Returns how many. */
export function deleteExpenses(ids: Id[]) {
  return call("delete_expenses", { ids });
}

export function undoDelete(ids: Id[]) {
  return call("undo_delete", { ids });
}

export function recategoriseExpenses(ids: Id[], categoryId: Id) {
  return call("recategorise_expenses", { ids, categoryId });
}

/** One page in the filter's order; `limit` is capped at 500 by the core. */
export function listExpenses(filter: ExpenseFilter, after: ExpenseCursor | null, limit: number) {
  return call("list_expenses", { filter, after, limit });
}

/** The page starting at row `position` (0 is the top): a jump down a long list. */
export function listExpensesAt(filter: ExpenseFilter, position: number, limit: number) {
  return call("list_expenses_at", { filter, position, limit });
}

export function expenseTotals(filter: ExpenseFilter) {
  return call("expense_totals", { filter });
}

// Budgets and the dashboard.

export function listBudgets() {
  return call("list_budgets");
}

export function createBudget(input: BudgetInput) {
  return call("create_budget", { input });
}

export function updateBudget(id: Id, input: BudgetInput) {
  return call("update_budget", { id, input });
}

export function deleteBudget(id: Id) {
  return call("delete_budget", { id });
}

/** Every budget evaluated for the period containing today. */
export function budgetProgress() {
  return call("budget_progress");
}

export function dashboard() {
  return call("dashboard");
}

// Reports.

/** Spend by category by month, `months` months (1 to 120) from the month holding `first`. */
export function spendingReport(first: IsoDate, months: number) {
  return call("spending_report", { first, months });
}

// CSV import and export.

/** Imports the text of a CSV file the user picked. */
export function importExpensesCsv(text: string, options: ImportOptions) {
  return call("import_expenses_csv", { text, options });
}

/** Saves every expense as CSV in the Downloads folder; the shell picks the file name. */
export function exportExpensesCsv() {
  return call("export_expenses_csv");
}

// Bank statements: chosen in the native open dialog, read by the core from the file; the
// page learns the file's name and size, never its path.

/** Opens the native open dialog; null when the user cancelled. */
export function chooseStatement() {
  return call("choose_statement");
}

function progressChannel(onProgress: (progress: ImportProgress) => void): Channel<ImportProgress> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return channel;
}

/** Reads the chosen statement and says what an import would do; saves nothing. */
export function reviewStatement(
  choices: StatementChoices,
  onProgress: (progress: ImportProgress) => void,
) {
  return call("review_statement", { choices, onProgress: progressChannel(onProgress) });
}

/** Imports the chosen statement with the user's choices, all at once. */
export function importStatement(
  choices: StatementChoices,
  onProgress: (progress: ImportProgress) => void,
) {
  return call("import_statement", { choices, onProgress: progressChannel(onProgress) });
}

/** Stops the review or import running; a stopped import saves nothing. */
export function cancelStatement() {
  return call("cancel_statement");
}

export function categoryRules() {
  return call("category_rules");
}

export function addCategoryRule(contains: string, categoryId: Id) {
  return call("add_category_rule", { contains, categoryId });
}

export function deleteCategoryRule(id: Id) {
  return call("delete_category_rule", { id });
}

// Where the data lives: the local file or an Outlay server.

export function databaseStatus() {
  return call("database_status");
}

export function retryServer() {
  return call("retry_server");
}

/** Switches to the server (signs out). An empty password uses the one in the keychain. */
export function connectServer(settings: ServerSettings, password: string) {
  return call("connect_server", { settings, password });
}

/** Switches back to the local file (signs out). */
export function useLocalFile() {
  return call("use_local_file");
}

/** Copies the signed-in local profile to the server, then switches there, still signed in. */
export function uploadToServer(
  settings: ServerSettings,
  password: string,
  accountPassword: string,
  onProgress: (progress: UploadProgress) => void,
) {
  const progress = new Channel<UploadProgress>();
  progress.onmessage = onProgress;
  return call("upload_to_server", { settings, password, accountPassword, progress });
}

// Quick add.

/** Opens the small always-on-top quick-add window. */
export function openQuickAdd() {
  return call("open_quick_add");
}

/** The global shortcut that opens quick-add ("CommandOrControl+Alt+E"). */
export function quickAddShortcut() {
  return call("quick_add_shortcut");
}

export function setQuickAddShortcut(shortcut: string) {
  return call("set_quick_add_shortcut", { shortcut });
}

/** What a quick-add line reads as, and the category it would go in. */
export function quickAddPreview(text: string) {
  return call("quick_add_preview", { text });
}

/** Saves the line, in `categoryId` or the suggested category. */
export function quickAddSave(text: string, categoryId: Id | null) {
  return call("quick_add_save", { text, categoryId });
}

// The assistant.

export function askAssistant(question: string) {
  return call("ask_assistant", { question });
}

// Budget alerts and alert e-mails.

export function listAlerts() {
  return call("list_alerts");
}

export function markAlertRead(id: Id) {
  return call("mark_alert_read", { id });
}

export function markAllAlertsRead() {
  return call("mark_all_alerts_read");
}

export function notificationsEnabled() {
  return call("notifications_enabled");
}

export function setNotificationsEnabled(on: boolean) {
  return call("set_notifications_enabled", { on });
}

export function emailStatus() {
  return call("email_status");
}

/** Saves the settings; a non-empty `apiKey` goes to the OS keychain. */
export function saveEmailSettings(input: EmailSettingsInput, apiKey: string | null) {
  return call("save_email_settings", { input, apiKey });
}

export function sendTestEmail() {
  return call("send_test_email");
}

export function retryMail(id: Id) {
  return call("retry_mail", { id });
}
