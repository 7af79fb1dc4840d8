// Choices kept on this computer only (localStorage), not in the user's database: they are
// about this window, and they must apply before anyone signs in (the theme of the sign-in
// screen, whether to offer sign-in or sign-up first).

export type ThemeChoice = "system" | "light" | "dark";

const THEME = "outlay.theme";
const HAS_PROFILE = "outlay.hasProfile";

// Storage can be unavailable (private mode, a full disk); the app still works without it.
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered, nothing else lost.
  }
}

export function themeChoice(): ThemeChoice {
  const value = read(THEME);
  return value === "light" || value === "dark" ? value : "system";
}

export function setThemeChoice(choice: ThemeChoice): void {
  write(THEME, choice);
}

/** Whether someone has signed up on this computer (sign-in is offered first then). */
export function hasProfile(): boolean {
  return read(HAS_PROFILE) === "yes";
}

export function rememberProfile(): void {
  write(HAS_PROFILE, "yes");
}
