// What every screen offers the shell, and what the shell offers every screen.
import type { Expense } from "../api";

export const SCREEN_NAMES = [
  "dashboard",
  "expenses",
  "categories",
  "budgets",
  "reports",
  "assistant",
  "settings",
] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];

/** How long a screen waits for its data before it shows itself empty (and the data later). */
export const PLACEHOLDER_AFTER_MS = 120;

export interface Screen {
  /**
   * Builds the screen into `root` and resolves once its data is shown; returns nothing when
   * it had its data at hand and showed it at once.
   */
  mount(root: HTMLElement): Promise<void> | undefined;
  /** Fetches and shows the data again (after an expense was added elsewhere, an undo, …). */
  refresh(): Promise<void>;
  /** Lets go of timers, charts and listeners before the next screen mounts. */
  unmount(): void;
}

export interface AppContext {
  /** Opens the expense form (empty, or for `expense`); resolves true when it saved. */
  editExpense(expense?: Expense): Promise<boolean>;
  navigate(screen: ScreenName): void;
  /** Shows an error that belongs to no field in the banner under the header. */
  showBanner(error: unknown): void;
  /** Refreshes whichever screen is showing. */
  refresh(): Promise<void>;
  /** The account was deleted: back to the sign-up form. */
  accountDeleted(): void;
  /** Outlay moved to another database and signed out: back to the sign-in form. */
  databaseSwitched(): void;
}
