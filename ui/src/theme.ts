// Light and dark themes. CSS holds both palettes as custom properties keyed on
// `<html data-theme>`; this module resolves "system" through prefers-color-scheme and keeps
// following it while the user leaves the choice on "system".
import { setThemeChoice, themeChoice, type ThemeChoice } from "./preferences";

const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
const listeners = new Set<() => void>();

function resolved(choice: ThemeChoice): "light" | "dark" {
  if (choice === "system") {
    return systemDark.matches ? "dark" : "light";
  }
  return choice;
}

function apply(): void {
  const theme = resolved(themeChoice());
  if (document.documentElement.dataset["theme"] === theme) {
    return;
  }
  document.documentElement.dataset["theme"] = theme;
  for (const listener of listeners) {
    listener();
  }
}

/**
 * Applies the saved choice now and whenever the system theme changes. Also tells the styles
 * they run on Linux, where they use the desktop's own fonts (see --font-ui in base.css).
 */
export function startTheme(): void {
  if (navigator.userAgent.includes("Linux")) {
    document.documentElement.dataset["platform"] = "linux";
  }
  apply();
  systemDark.addEventListener("change", apply);
}

export function chooseTheme(choice: ThemeChoice): void {
  setThemeChoice(choice);
  apply();
}

/** Runs `listener` after each theme change (charts repaint with the new colours). */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The value of a CSS custom property of the current theme, e.g. "--text". */
export function themeColour(property: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(property).trim();
}
