// The shell around the screens: sign-in state, the header and its navigation, the error
// banner, app-wide keyboard shortcuts, and the hooks the end-to-end tests wait on
// (`body[data-screen]`, `body[data-ready]`).
import { listen } from "@tauri-apps/api/event";
import {
  AppError,
  appStarted,
  firstScreenAnswer,
  forgetFirstScreen,
  logOut,
  resumeSession,
  type Expense,
  type Session,
} from "./api";
import { onUnreadChange, refreshUnread } from "./components/alert-list";
import { openExpenseDialog } from "./components/expense-dialog";
import { importBankStatement } from "./components/statement-import";
import { canUndo, showNotice, startToast, undoLast } from "./components/toast";
import { byId, isTyping } from "./dom";
import { messageOf } from "./forms";
import { assistantScreen } from "./screens/assistant";
import { showAuth, type Mode } from "./screens/auth";
import { budgetsScreen } from "./screens/budgets";
import { categoriesScreen } from "./screens/categories";
import { dashboardScreen } from "./screens/dashboard";
import { expensesScreen } from "./screens/expenses";
import { reportsScreen } from "./screens/reports";
import {
  PLACEHOLDER_AFTER_MS,
  SCREEN_NAMES,
  type AppContext,
  type Screen,
  type ScreenName,
} from "./screens/screen";
import { settingsScreen } from "./screens/settings";
import { session, setSession } from "./session";
import { startTheme } from "./theme";

const SCREENS: Record<ScreenName, (context: AppContext) => Screen> = {
  dashboard: dashboardScreen,
  expenses: expensesScreen,
  categories: categoriesScreen,
  budgets: budgetsScreen,
  reports: reportsScreen,
  assistant: assistantScreen,
  settings: settingsScreen,
};

const root = byId("screen", HTMLElement);
const header = byId("app-header", HTMLElement);
const banner = byId("banner", HTMLElement);

let current: { name: ScreenName; screen: Screen } | null = null;
let signedIn = false;
// Bumped on every navigation, so a slow screen that finishes after the user moved on does
// not mark the newer one ready.
let navigation = 0;

function isScreenName(value: string | undefined): value is ScreenName {
  return (SCREEN_NAMES as readonly string[]).includes(value ?? "");
}

// Whether the shell was told the first screen is up (see src-tauri/src/startup.rs).
let started = false;

/** Tells the tests that the screen shows its data, and the shell when it is the first one. */
function markReady(): void {
  document.body.dataset["ready"] = "true";
  showHeader();
  if (started) {
    return;
  }
  started = true;
  const screen = document.body.dataset["screen"] ?? "sign-in";
  // After the frame that paints it (the next frame, then a task), so the start-up time
  // includes drawing the screen and not only building it.
  requestAnimationFrame(() => {
    setTimeout(() => {
      // Only a figure for Settings and the log: a start must not fail over it.
      appStarted(screen).catch(() => undefined);
    }, 0);
  });
}

function hideBanner(): void {
  banner.hidden = true;
}

function showBanner(error: unknown): void {
  if (error instanceof AppError && error.kind === "notSignedIn") {
    showSignIn();
  }
  byId("banner-text", HTMLElement).textContent = messageOf(error);
  banner.hidden = false;
}

function leaveScreen(): void {
  current?.screen.unmount();
  current = null;
  root.replaceChildren();
}

async function navigate(name: ScreenName): Promise<void> {
  if (!signedIn) {
    return;
  }
  const mine = ++navigation;
  delete document.body.dataset["ready"];
  hideBanner();
  leaveScreen();
  document.body.dataset["screen"] = name;
  for (const button of header.querySelectorAll<HTMLButtonElement>("[data-nav]")) {
    if (button.dataset["nav"] === name) {
      button.setAttribute("aria-current", "page");
    } else {
      button.removeAttribute("aria-current");
    }
  }
  const screen = SCREENS[name](context);
  current = { name, screen };
  try {
    // Not awaited when the screen showed its data at once: then it is marked ready (and the
    // header shown) before the page's first frame, like the screen itself.
    const mounting = screen.mount(root);
    if (mounting !== undefined) {
      await mounting;
    }
  } catch (error: unknown) {
    showBanner(error);
  }
  if (mine === navigation) {
    markReady();
  }
}

async function refresh(): Promise<void> {
  try {
    await current?.screen.refresh();
  } catch (error: unknown) {
    showBanner(error);
  }
}

async function editExpense(expense?: Expense): Promise<boolean> {
  if (!signedIn) {
    return false;
  }
  const saved = await openExpenseDialog(expense ?? null);
  if (saved !== null) {
    await refresh();
  }
  return saved !== null;
}

function showSignIn(startWith?: Mode): void {
  signedIn = false;
  setSession(null);
  navigation += 1;
  leaveScreen();
  header.hidden = true;
  showAuth(root, enter, startWith);
  markReady();
}

/**
 * Shows the header once the first screen after signing in is up (see `enter`), with the
 * e-mail of whoever is signed in then.
 */
function showHeader(): void {
  if (signedIn && header.hidden) {
    byId("user-email", HTMLElement).textContent = session().email;
    header.hidden = false;
  }
}

function enter(session: Session, rememberProblem: string | null = null): void {
  setSession(session);
  if (rememberProblem !== null) {
    showNotice(`Signed in, but this computer could not remember it: ${rememberProblem}`);
  }
  signedIn = true;
  hideBanner();
  // The header appears in the frame that shows the dashboard (markReady), not in one of its
  // own just before: WebKitGTK starts a frame only once the previous one is on screen, and
  // at start that takes ~100 ms, which the numbers would wait for. If the numbers are slow,
  // it comes with the dashboard's empty cards.
  setTimeout(showHeader, PLACEHOLDER_AFTER_MS);
  // The dashboard's alert list sets the header's unread count.
  void navigate("dashboard");
}

const context: AppContext = {
  editExpense,
  navigate: (name) => void navigate(name),
  showBanner,
  refresh,
  accountDeleted: () => {
    showSignIn("sign-up");
  },
  databaseSwitched: () => {
    showSignIn("sign-in");
  },
};

function focusSearch(): void {
  document.getElementById("expense-search")?.focus();
}

function onKey(event: KeyboardEvent): void {
  // An open dialog owns the keyboard; it closes itself on Esc.
  if (!signedIn || document.querySelector("dialog[open]") !== null) {
    return;
  }
  if (event.key === "z" && (event.ctrlKey || event.metaKey) && !event.shiftKey) {
    // In a text field Ctrl+Z undoes typing; elsewhere it undoes the last delete.
    if (!isTyping(event.target) && canUndo()) {
      event.preventDefault();
      void undoLast();
    }
    return;
  }
  if (
    (event.key === "i" || event.key === "I") &&
    (event.ctrlKey || event.metaKey) &&
    !event.shiftKey &&
    !event.altKey &&
    !isTyping(event.target)
  ) {
    event.preventDefault();
    void importBankStatement();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
    return;
  }
  if (event.key === "n" || event.key === "N") {
    event.preventDefault();
    void editExpense();
  } else if (event.key === "/") {
    event.preventDefault();
    if (current?.name === "expenses") {
      focusSearch();
    } else {
      void navigate("expenses").then(focusSearch);
    }
  }
}

/** Starts the app: theme, shell wiring, then the sign-in form or the dashboard. */
export async function start(): Promise<void> {
  startTheme();
  startToast();
  for (const button of header.querySelectorAll<HTMLButtonElement>("[data-nav]")) {
    button.addEventListener("click", () => {
      const name = button.dataset["nav"];
      if (isScreenName(name)) {
        void navigate(name);
      }
    });
  }
  byId("log-out", HTMLButtonElement).addEventListener("click", () => {
    logOut()
      .then(() => {
        showSignIn();
      })
      .catch(showBanner);
  });
  byId("banner-close", HTMLButtonElement).addEventListener("click", hideBanner);
  document.addEventListener("keydown", onKey);
  const badge = byId("alerts-unread", HTMLElement);
  onUnreadChange((unread) => {
    badge.textContent = String(unread);
    badge.hidden = unread === 0;
    badge.setAttribute("aria-label", `${String(unread)} unread`);
  });
  byId("alerts-button", HTMLButtonElement).addEventListener("click", () => {
    void navigate("dashboard").then(() => {
      document.getElementById("alerts")?.scrollIntoView({ block: "nearest" });
    });
  });
  // A write fired a budget alert (here or in the quick-add window).
  void listen("alerts-changed", () => {
    if (signedIn) {
      void refreshUnread();
    }
  });
  // An expense saved from the quick-add window: show the new numbers here too.
  void listen("spending-changed", () => {
    if (signedIn) {
      void refresh();
    }
  });
  try {
    // Signed in already (the page reloaded), else a remembered sign-in from the keychain.
    // Handed over by the shell at start (api.ts), it is used without an `await`, so the
    // first screen is built before this script returns and is in the page's first frame.
    const handedOver = firstScreenAnswer("resume_session");
    const resumed = handedOver === undefined ? await resumeSession() : handedOver;
    if (resumed === null) {
      showSignIn();
    } else {
      enter(resumed);
    }
  } catch (error: unknown) {
    showSignIn();
    showBanner(error);
  } finally {
    // The first screen has taken what it uses (synchronously, see the dashboard's `mount`).
    forgetFirstScreen();
  }
}
