// The one module that talks to the Rust side. Every `invoke` lives here, typed, so the rest
// of the UI never spells a command name or guesses a payload shape. The types mirror the
// serde (camelCase) shapes of outlay-core: keep them in step with src-tauri/core/src.
import { Channel, invoke } from "@tauri-apps/api/core";

/**
 * A failed command, as the Rust side serializes `outlay_core::AppError`
 * (`{kind, message, field}`). Branch on `kind`; show `message` beside the input named by
 * `field` when there is one. A class rather than a bare object so it carries a stack and
 * `instanceof` works.
 */
export class AppError extends Error {
  constructor(
    readonly kind: string,
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

/** An exact amount: `minor` units (cents, yen) of an ISO 4217 `currency`. */
export interface Money {
  minor: number;
  currency: string;
}

/** What `app_info` returns: the running build and where its data lives. */
export interface AppInfo {
  version: string;
  databasePath: string;
  /** How long this start took until the first screen showed its data; null until then. */
  startedInMs: number | null;
}

/** The signed-in user. */
export interface Session {
  userId: Id;
  email: string;
  baseCurrency: string;
}

export interface Category {
  id: Id;
  parentId: Id | null;
  name: string;
  /** `#rrggbb`. */
  colour: string;
  archived: boolean;
  createdAt: Instant;
}

export interface CategoryInput {
  name: string;
  parentId: Id | null;
  /** `#rrggbb`; the core picks a palette colour when null or empty. */
  colour: string | null;
}

export interface Expense {
  id: Id;
  amount: Money;
  date: IsoDate;
  categoryId: Id;
  description: string;
  paymentMethod: string | null;
  /** Lower-case, sorted, without '#'. */
  tags: string[];
  createdAt: Instant;
  updatedAt: Instant;
  deletedAt: Instant | null;
}

/** What the expense form sends; the core parses and checks every field. */
export interface ExpenseInput {
  /** As typed: "12.50", "€3", "1,234.56". */
  amount: string;
  currency: string | null;
  date: IsoDate | null;
  categoryId: Id;
  description: string;
  paymentMethod: string | null;
  tags: string[];
}

/** Which expenses to list or total; null fields do not filter. */
export interface ExpenseFilter {
  from: IsoDate | null;
  to: IsoDate | null;
  categoryId: Id | null;
  paymentMethod: string | null;
  tag: string | null;
  minAmount: string | null;
  maxAmount: string | null;
  currency: string | null;
  search: string | null;
  /** The list's order; totals ignore it. */
  sort: ExpenseSort;
}

/**
 * The orders the list comes in; ties go by id. Amounts compare in minor units whatever the
 * currency (no exchange rates).
 */
export type ExpenseSort = "newestFirst" | "oldestFirst" | "largestFirst" | "smallestFirst";

/**
 * Where the next page starts (keyset paging): the last row's keys and the order they
 * continue. Pass back the `next` of the previous page as it came; the core refuses a cursor
 * of another order.
 */
export interface ExpenseCursor {
  sort: ExpenseSort;
  date: IsoDate;
  amountMinor: number;
  id: Id;
}

export interface ExpensePage {
  expenses: Expense[];
  next: ExpenseCursor | null;
}

/** The sum and count of matching expenses in one currency. */
export interface Total {
  amount: Money;
  count: number;
}

export type PeriodKind = "weekly" | "monthly" | "yearly";

/** One concrete period: `start` inclusive, `end` exclusive. */
export interface Period {
  kind: PeriodKind;
  start: IsoDate;
  end: IsoDate;
}

export interface Budget {
  id: Id;
  /** Null for the overall budget. */
  categoryId: Id | null;
  period: PeriodKind;
  amount: Money;
  /** Percentages, ascending, e.g. [80, 100]. */
  thresholds: number[];
  createdAt: Instant;
}

export interface BudgetInput {
  categoryId: Id | null;
  period: PeriodKind;
  amount: string;
  currency: string | null;
  /** Null or empty: the default [80, 100]. */
  thresholds: number[] | null;
}

export interface BudgetProgress {
  budget: Budget;
  period: Period;
  spent: Money;
  /** Whole percent of the budget spent (floored). */
  percent: number;
  /** The thresholds already reached. */
  reached: number[];
}

export interface CategorySpend {
  categoryId: Id;
  name: string;
  colour: string;
  spent: Money;
}

export interface MonthSpend {
  /** "YYYY-MM". */
  month: string;
  spent: Money;
}

export interface Dashboard {
  period: Period;
  spent: Money;
  budgets: BudgetProgress[];
  byCategory: CategorySpend[];
  /** Twelve months, oldest first, ending with this month. */
  trend: MonthSpend[];
  recent: Expense[];
}

function isErrorPayload(
  value: unknown,
): value is { kind: string; message: string; field?: string | null } {
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
export function firstScreenAnswer(command: string): unknown {
  const answer = firstScreen.get(command);
  firstScreen.delete(command);
  return answer;
}

/**
 * Drops whatever the first screen left unused, once it is built: a later call (after
 * signing out and in as someone else, say) must ask the shell, never get an old answer.
 */
export function forgetFirstScreen(): void {
  firstScreen.clear();
}

// Commands reject with a serialized AppError, but the IPC layer itself rejects with a plain
// string (unknown command, call denied by a capability). Callers get one type either way.
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const handedOver = args === undefined ? firstScreenAnswer(command) : undefined;
  if (handedOver !== undefined) {
    return handedOver as T;
  }
  try {
    return await invoke<T>(command, args);
  } catch (error: unknown) {
    if (isErrorPayload(error)) {
      throw new AppError(error.kind, error.message, error.field ?? null);
    }
    throw new AppError("ipc", String(error));
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** Tells the shell the first screen (`screen`) is on display, once per start. */
export function appStarted(screen: string): Promise<void> {
  return call<undefined>("app_started", { screen });
}

// Account. Tauri maps these camelCase argument names to the commands' snake_case parameters.

export function signUp(email: string, password: string, baseCurrency: string): Promise<Session> {
  return call<Session>("sign_up", { email, password, baseCurrency });
}

/** A sign-in, and whether "remember me" could be kept (it needs the OS keychain). */
export interface SignedInAnswer extends Session {
  remembered: boolean;
  /** Why the sign-in could not be remembered, when asked to and it failed. */
  rememberProblem: string | null;
}

/** With `remember`, the next start signs in by itself (see `resumeSession`). */
export function logIn(email: string, password: string, remember: boolean): Promise<SignedInAnswer> {
  return call<SignedInAnswer>("log_in", { email, password, remember });
}

/** The user signed in in this run of the app, or null. */
export function currentSession(): Promise<Session | null> {
  return call<Session | null>("current_session");
}

/**
 * The session to start with: the one signed in in this run (the page reloaded), else one
 * signed in with the remembered token from the OS keychain, if a valid one is there.
 */
export function resumeSession(): Promise<Session | null> {
  return call<Session | null>("resume_session");
}

export function logOut(): Promise<void> {
  return call<undefined>("log_out");
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return call<undefined>("change_password", { currentPassword, newPassword });
}

export function deleteAccount(password: string): Promise<void> {
  return call<undefined>("delete_account", { password });
}

// Categories.

export function listCategories(): Promise<Category[]> {
  return call<Category[]>("list_categories");
}

export function createCategory(input: CategoryInput): Promise<Category> {
  return call<Category>("create_category", { input });
}

export function updateCategory(id: Id, input: CategoryInput): Promise<Category> {
  return call<Category>("update_category", { id, input });
}

export function archiveCategory(id: Id, archived: boolean): Promise<Category> {
  return call<Category>("archive_category", { id, archived });
}

/** Moves every expense of `from` into `into`; returns how many moved. */
export function mergeCategories(from: Id, into: Id): Promise<number> {
  return call<number>("merge_categories", { from, into });
}

// Expenses.

export function addExpense(input: ExpenseInput): Promise<Expense> {
  return call<Expense>("add_expense", { input });
}

export function updateExpense(id: Id, input: ExpenseInput): Promise<Expense> {
  return call<Expense>("update_expense", { id, input });
}

/** Soft-deletes; `undoDelete` with the same ids brings them back. Returns how many. */
export function deleteExpenses(ids: Id[]): Promise<number> {
  return call<number>("delete_expenses", { ids });
}

export function undoDelete(ids: Id[]): Promise<number> {
  return call<number>("undo_delete", { ids });
}

export function recategoriseExpenses(ids: Id[], categoryId: Id): Promise<number> {
  return call<number>("recategorise_expenses", { ids, categoryId });
}

/** One page in the filter's order; `limit` is capped at 500 by the core. */
export function listExpenses(
  filter: ExpenseFilter,
  after: ExpenseCursor | null,
  limit: number,
): Promise<ExpensePage> {
  return call<ExpensePage>("list_expenses", { filter, after, limit });
}

/** The page starting at row `position` (0 is the top): a jump down a long list. */
export function listExpensesAt(
  filter: ExpenseFilter,
  position: number,
  limit: number,
): Promise<ExpensePage> {
  return call<ExpensePage>("list_expenses_at", { filter, position, limit });
}

export function expenseTotals(filter: ExpenseFilter): Promise<Total[]> {
  return call<Total[]>("expense_totals", { filter });
}

// Budgets and the dashboard.

export function listBudgets(): Promise<Budget[]> {
  return call<Budget[]>("list_budgets");
}

export function createBudget(input: BudgetInput): Promise<Budget> {
  return call<Budget>("create_budget", { input });
}

export function updateBudget(id: Id, input: BudgetInput): Promise<Budget> {
  return call<Budget>("update_budget", { id, input });
}

export function deleteBudget(id: Id): Promise<void> {
  return call<undefined>("delete_budget", { id });
}

/** Every budget evaluated for the period containing today. */
export function budgetProgress(): Promise<BudgetProgress[]> {
  return call<BudgetProgress[]>("budget_progress");
}

export function dashboard(): Promise<Dashboard> {
  return call<Dashboard>("dashboard");
}

// Reports.

/** One category's spend month by month (a sub-category's own spend is its own row). */
export interface ReportRow {
  categoryId: Id;
  parentId: Id | null;
  name: string;
  months: Money[];
  total: Money;
}

/** Spend by category by month, in the base currency. */
export interface SpendingReport {
  /** "2026-01", oldest first. */
  months: string[];
  currency: string;
  /** Parents before their children. */
  rows: ReportRow[];
  monthTotals: Money[];
  total: Money;
}

/** `months` months (1 to 120) from the month holding `first`. */
export function spendingReport(first: IsoDate, months: number): Promise<SpendingReport> {
  return call<SpendingReport>("spending_report", { first, months });
}

// CSV import and export.

export interface ImportOptions {
  /** "reject" (default): any invalid line means nothing is imported. */
  onInvalid?: "reject" | "skip";
  createCategories?: boolean;
}

export interface InvalidLine {
  /** The header is line 1. */
  line: number;
  field: string;
  message: string;
}

export interface ImportReport {
  imported: number;
  duplicates: number;
  categoriesCreated: number;
  invalidCount: number;
  /** The first invalid lines (up to 1000). */
  invalid: InvalidLine[];
  /** Nothing was saved because of invalid lines. */
  rejected: boolean;
  fired: Alert[];
}

/** Imports the text of a CSV file the user picked. */
export function importExpensesCsv(text: string, options: ImportOptions): Promise<ImportReport> {
  return call<ImportReport>("import_expenses_csv", { text, options });
}

export interface ExportedFile {
  path: string;
  rows: number;
}

/** Saves every expense as CSV in the Downloads folder; the shell picks the file name. */
export function exportExpensesCsv(): Promise<ExportedFile> {
  return call<ExportedFile>("export_expenses_csv");
}

// Bank statements: chosen in the native open dialog, read by the core from the file; the
// page learns the file's name and size, never its path.

/** What the page learns of the statement file chosen. */
export interface ChosenFile {
  name: string;
  bytes: number;
}

export type StatementFormat = "csv" | "ofx" | "qif" | "camt";
export type DateOrder = "yearMonthDay" | "dayMonthYear" | "monthDayYear";
export type DecimalMark = "point" | "comma";
/** Which sign of a single amount column is spending. */
export type Spending = "negative" | "positive";

/** How one bank's CSV is read; column indexes count from 0 in `header`. */
export interface CsvLayout {
  /** One character: "," ";" "\t" or "|". */
  delimiter: string;
  /** Rows (blank lines not counted) before the header. */
  headerRow: number;
  header: string[];
  date: number;
  amount: number | null;
  debit: number | null;
  credit: number | null;
  direction: number | null;
  currency: number | null;
  headerCurrency: string | null;
  payee: number | null;
  purpose: number | null;
  status: number | null;
  dateOrder: DateOrder;
  decimal: DecimalMark;
  spending: Spending;
}

/** What the user chose in the review; lines are the file's 1-based lines. */
export interface StatementChoices {
  /** The layout as changed in the review; absent: the one saved for the bank, or detected. */
  layout?: CsvLayout;
  /** Lines to import although flagged (a duplicate, a pending line). */
  keep: number[];
  /** Lines not to import. */
  skip: number[];
  /** [line, categoryId] where the user changed the suggestion. */
  categories: [number, Id][];
  onInvalid: "reject" | "skip";
}

export type RowKind =
  | { kind: "expense" }
  | { kind: "moneyIn" }
  | { kind: "pending" }
  | { kind: "notice" }
  | { kind: "duplicate" }
  | { kind: "repeated"; ofLine: number };

/** One row of the review: the bank's line, what it is, and what the import would do. */
export interface ReviewRow {
  line: number;
  date: IsoDate;
  /** Money out is positive; money in negative. */
  spent: Money;
  description: string;
  reference: string | null;
  pending: boolean;
  kind: RowKind;
  /** Whether the import saves it unless the user says otherwise. */
  import: boolean;
  category: CategorySuggestion | null;
}

export interface StatementCounts {
  transactions: number;
  /** What the import saves by default. */
  expenses: number;
  moneyIn: number;
  pending: number;
  notices: number;
  balances: number;
  otherRows: number;
  duplicates: number;
  repeated: number;
  invalid: number;
}

export interface StatementReview {
  format: StatementFormat;
  /** WHATWG name: "UTF-8", "windows-1252", … */
  encoding: string;
  layout: CsvLayout | null;
  /** Read with the layout saved for this bank the last time. */
  savedLayout: boolean;
  /** Every date fits day-first and month-first: ask the user. */
  dateOrderAmbiguous: boolean;
  /** The first rows, and flagged rows further down. */
  rows: ReviewRow[];
  counts: StatementCounts;
  invalid: InvalidLine[];
  /** Rows short of a field, read by aligning their last fields with the header's. */
  repaired: number[];
}

export interface StatementImport extends ImportReport {
  counts: StatementCounts;
  /** The layout was saved for the next statement of this bank. */
  layoutSaved: boolean;
}

export type ImportProgress =
  { phase: "reading"; lines: number } | { phase: "saving"; saved: number; total: number };

/** A rule the user made: descriptions containing `contains` go to `categoryId`. */
export interface CategoryRule {
  id: Id;
  contains: string;
  categoryId: Id;
  createdAt: Instant;
}

/** Opens the native open dialog; null when the user cancelled. */
export function chooseStatement(): Promise<ChosenFile | null> {
  return call<ChosenFile | null>("choose_statement");
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
): Promise<StatementReview> {
  return call<StatementReview>("review_statement", {
    choices,
    onProgress: progressChannel(onProgress),
  });
}

/** Imports the chosen statement with the user's choices, all at once. */
export function importStatement(
  choices: StatementChoices,
  onProgress: (progress: ImportProgress) => void,
): Promise<StatementImport> {
  return call<StatementImport>("import_statement", {
    choices,
    onProgress: progressChannel(onProgress),
  });
}

/** Stops the review or import running; a stopped import saves nothing. */
export function cancelStatement(): Promise<void> {
  return call<undefined>("cancel_statement");
}

export function categoryRules(): Promise<CategoryRule[]> {
  return call<CategoryRule[]>("category_rules");
}

export function addCategoryRule(contains: string, categoryId: Id): Promise<CategoryRule> {
  return call<CategoryRule>("add_category_rule", { contains, categoryId });
}

export function deleteCategoryRule(id: Id): Promise<void> {
  return call<undefined>("delete_category_rule", { id });
}

// Where the data lives: the local file or an Outlay server.

/** What `outlay-cli db init` prints, and what the settings form sends. */
export interface ServerSettings {
  host: string;
  port: number;
  database: string;
  /** The shared sign-in role. */
  user: string;
  /** disable, allow, prefer, require, verify-ca or verify-full. */
  sslMode: string;
  /** PEM file of the CA that verify-ca and verify-full check against. */
  caFile: string | null;
}

export type Connection = { kind: "local" } | ({ kind: "server" } & ServerSettings);

export interface DatabaseStatus {
  connection: Connection;
  /** The file's path or the server's address. */
  location: string;
  /** Why the chosen server is not open, if it is not. */
  problem: { kind: string; message: string } | null;
}

export interface UploadProgress {
  done: number;
  total: number;
}

export interface UploadReport {
  categoriesAdded: number;
  budgetsAdded: number;
  expensesAdded: number;
  expensesAlreadyThere: number;
}

export function databaseStatus(): Promise<DatabaseStatus> {
  return call<DatabaseStatus>("database_status");
}

export function retryServer(): Promise<DatabaseStatus> {
  return call<DatabaseStatus>("retry_server");
}

/** Switches to the server (signs out). An empty password uses the one in the keychain. */
export function connectServer(settings: ServerSettings, password: string): Promise<DatabaseStatus> {
  return call<DatabaseStatus>("connect_server", { settings, password });
}

/** Switches back to the local file (signs out). */
export function useLocalFile(): Promise<DatabaseStatus> {
  return call<DatabaseStatus>("use_local_file");
}

/** Copies the signed-in local profile to the server, then switches there, still signed in. */
export function uploadToServer(
  settings: ServerSettings,
  password: string,
  accountPassword: string,
  onProgress: (progress: UploadProgress) => void,
): Promise<UploadReport> {
  const progress = new Channel<UploadProgress>();
  progress.onmessage = onProgress;
  return call<UploadReport>("upload_to_server", { settings, password, accountPassword, progress });
}

// Quick add.

/** Opens the small always-on-top quick-add window. */
export function openQuickAdd(): Promise<void> {
  return call<undefined>("open_quick_add");
}

/** The global shortcut that opens quick-add ("CommandOrControl+Alt+E"). */
export function quickAddShortcut(): Promise<string> {
  return call<string>("quick_add_shortcut");
}

export function setQuickAddShortcut(shortcut: string): Promise<string> {
  return call<string>("set_quick_add_shortcut", { shortcut });
}

/** Where a suggested category came from. */
export type SuggestionSource = "history" | "historyWords" | "keywordRule" | "userRule" | "fallback";

export interface CategorySuggestion {
  categoryId: Id;
  name: string;
  parentName: string | null;
  source: SuggestionSource;
  matched: string;
}

/** What a quick-add line reads as, and the category it would go in. */
export interface QuickAddPreview {
  amount: Money;
  date: IsoDate;
  description: string;
  tags: string[];
  paymentMethod: string | null;
  category: CategorySuggestion | null;
}

export function quickAddPreview(text: string): Promise<QuickAddPreview> {
  return call<QuickAddPreview>("quick_add_preview", { text });
}

/** Saves the line, in `categoryId` or the suggested category. */
export function quickAddSave(text: string, categoryId: Id | null): Promise<Expense> {
  return call<Expense>("quick_add_save", { text, categoryId });
}

// The assistant.

export interface AssistantReply {
  kind:
    | "spending"
    | "budget"
    | "biggestExpenses"
    | "comparison"
    | "average"
    | "quickAdd"
    | "unknownCategory"
    | "help";
  /** Plain text; amounts as "1,234.50 USD". */
  text: string;
  figures: { label: string; amount: Money }[];
  expenses: Expense[];
  quickAdd: QuickAddPreview | null;
}

export function askAssistant(question: string): Promise<AssistantReply> {
  return call<AssistantReply>("ask_assistant", { question });
}

// Budget alerts and alert e-mails.

export interface Alert {
  id: Id;
  budgetId: Id;
  budgetName: string;
  periodLabel: string;
  threshold: number;
  spent: Money;
  limit: Money;
  percent: number;
  /** What the native notification said. */
  title: string;
  body: string;
  createdAt: Instant;
  readAt: Instant | null;
}

export interface AlertList {
  alerts: Alert[];
  unread: number;
}

export function listAlerts(): Promise<AlertList> {
  return call<AlertList>("list_alerts");
}

export function markAlertRead(id: Id): Promise<void> {
  return call<undefined>("mark_alert_read", { id });
}

export function markAllAlertsRead(): Promise<number> {
  return call<number>("mark_all_alerts_read");
}

export function notificationsEnabled(): Promise<boolean> {
  return call<boolean>("notifications_enabled");
}

export function setNotificationsEnabled(on: boolean): Promise<void> {
  return call<undefined>("set_notifications_enabled", { on });
}

export interface EmailSettings {
  enabled: boolean;
  recipient: string | null;
  sender: string | null;
}

export interface OutboxMail {
  id: Id;
  message: { recipient: string; sender: string; subject: string };
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Instant;
}

export interface EmailStatus {
  settings: EmailSettings;
  hasApiKey: boolean;
  keychainProblem: string | null;
  failed: OutboxMail[];
}

export function emailStatus(): Promise<EmailStatus> {
  return call<EmailStatus>("email_status");
}

/** Saves the settings; a non-empty `apiKey` goes to the OS keychain. */
export function saveEmailSettings(
  input: { enabled: boolean; recipient: string; sender: string },
  apiKey: string | null,
): Promise<EmailStatus> {
  return call<EmailStatus>("save_email_settings", { input, apiKey });
}

export function sendTestEmail(): Promise<void> {
  return call<undefined>("send_test_email");
}

export function retryMail(id: Id): Promise<void> {
  return call<undefined>("retry_mail", { id });
}
