// Settings: the profile, the password, deleting the account, theme and notifications (kept on
// this computer), and where the data lives.
import {
  appInfo,
  changePassword,
  deleteAccount,
  notificationsEnabled,
  openQuickAdd,
  quickAddShortcut,
  setNotificationsEnabled,
  setQuickAddShortcut,
} from "../api";
import { emailSettings } from "../components/email-settings";
import { confirmAction } from "../components/confirm-dialog";
import { categoryRules } from "../components/category-rules";
import { csvTransfer } from "../components/csv-transfer";
import { databasePanel } from "../components/database-panel";
import { showNotice } from "../components/toast";
import { h, option } from "../dom";
import { currencyLabel } from "../format";
import { clearErrors, field, input, select, showError } from "../forms";
import { themeChoice, type ThemeChoice } from "../preferences";
import { session } from "../session";
import { chooseTheme } from "../theme";
import type { AppContext, Screen } from "./screen";

function section(id: string, title: string, ...body: Node[]): HTMLElement {
  return h(
    "section",
    { class: "card settings-section", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    ...body,
  );
}

function facts(...pairs: [string, Node | string][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    ...pairs.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

function passwordSection(): HTMLElement {
  const current = input("settings-current-password", {
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const next = input("settings-new-password", {
    type: "password",
    autocomplete: "new-password",
    required: true,
    minlength: 8,
  });
  const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
  const save = h(
    "button",
    { type: "submit", class: "primary", id: "settings-change-password" },
    "Change password",
  );
  const form = h(
    "form",
    { class: "settings-form", "aria-label": "Change password", novalidate: true },
    field("Current password", current, "currentPassword"),
    field("New password", next, "password", {}, "At least 8 characters."),
    banner,
    h("div", { class: "form-actions form-actions--start" }, save),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    banner.hidden = true;
    save.disabled = true;
    void changePassword(current.value, next.value)
      .then(() => {
        form.reset();
        showNotice("Password changed.");
      })
      .catch((error: unknown) => {
        showError(form, error, banner);
      })
      .finally(() => {
        save.disabled = false;
      });
  });
  return section("settings-password", "Password", form);
}

function deleteSection(context: AppContext): HTMLElement {
  const password = input("settings-delete-password", {
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
  const remove = h(
    "button",
    { type: "submit", class: "danger", id: "settings-delete-account" },
    "Delete account…",
  );
  const form = h(
    "form",
    { class: "settings-form", "aria-label": "Delete account", novalidate: true },
    h(
      "p",
      { class: "muted" },
      "Deletes your profile with every expense, category and budget in it. This cannot be undone.",
    ),
    // The core names a wrong password "currentPassword", whichever form sent it.
    field("Your password", password, "currentPassword"),
    banner,
    h("div", { class: "form-actions form-actions--start" }, remove),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    banner.hidden = true;
    void (async () => {
      const sure = await confirmAction({
        title: "Delete your account?",
        message: `${session().email} and all its data will be erased from this computer.`,
        confirmLabel: "Delete everything",
      });
      if (!sure) {
        return;
      }
      try {
        await deleteAccount(password.value);
        context.accountDeleted();
      } catch (error: unknown) {
        showError(form, error, banner);
      }
    })();
  });
  return section("settings-delete", "Delete account", form);
}

function appearanceSection(): HTMLElement {
  const theme = select("settings-theme");
  theme.append(
    option("system", "Same as the system"),
    option("light", "Light"),
    option("dark", "Dark"),
  );
  theme.value = themeChoice();
  theme.addEventListener("change", () => {
    chooseTheme(theme.value as ThemeChoice);
  });
  const notify = input("settings-notifications", { type: "checkbox" });
  void notificationsEnabled().then((on) => {
    notify.checked = on;
  });
  notify.addEventListener("change", () => {
    void setNotificationsEnabled(notify.checked);
  });
  return section(
    "settings-appearance",
    "Appearance and notifications",
    field("Theme", theme, null),
    h(
      "div",
      { class: "field field--check" },
      notify,
      h("label", { for: notify.id }, "Notify me when a budget alert fires"),
    ),
    h("p", { class: "field-hint" }, "Both are remembered on this computer."),
  );
}

const SHORTCUTS: [string, string][] = [
  ["N", "New expense, from any screen"],
  ["/", "Search expenses"],
  ["↑ ↓", "Move through the expense list"],
  ["Shift ↑ ↓, Shift-click", "Select a range"],
  ["Space", "Tick the current expense"],
  ["Enter", "Edit the current expense; save a form"],
  ["Delete", "Delete the ticked (or current) expenses"],
  ["Ctrl Z", "Undo the last delete"],
  ["Ctrl I", "Import a bank statement"],
  ["Esc", "Close a dialog; clear the selection"],
];

function shortcutsSection(): HTMLElement {
  const quickAdd = input("settings-quick-add-shortcut", {
    spellcheck: "false",
    autocomplete: "off",
  });
  const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
  const save = h("button", { type: "submit", id: "settings-save-shortcut" }, "Save shortcut");
  const tryIt = h("button", { type: "button", id: "settings-open-quick-add" }, "Open quick add");
  const form = h(
    "form",
    { class: "settings-form", "aria-label": "Quick add shortcut", novalidate: true },
    field(
      "Quick add, from anywhere",
      quickAdd,
      "shortcut",
      {},
      "A global shortcut such as CommandOrControl+Alt+E. The tray menu has Quick add too.",
    ),
    banner,
    h("div", { class: "form-actions form-actions--start" }, save, tryIt),
  );
  void quickAddShortcut().then((shortcut) => {
    quickAdd.value = shortcut;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    banner.hidden = true;
    setQuickAddShortcut(quickAdd.value)
      .then((shortcut) => {
        quickAdd.value = shortcut;
        showNotice(`Quick add now opens with ${shortcut}.`);
      })
      .catch((error: unknown) => {
        showError(form, error, banner);
      });
  });
  tryIt.addEventListener("click", () => {
    void openQuickAdd();
  });
  return section("settings-keyboard", "Keyboard", form, facts(...SHORTCUTS));
}

export function settingsScreen(context: AppContext): Screen {
  let version: HTMLElement | null = null;
  let startedIn: HTMLElement | null = null;

  async function load(): Promise<void> {
    const info = await appInfo();
    if (version !== null) {
      version.textContent = info.version;
    }
    if (startedIn !== null) {
      startedIn.textContent =
        info.startedInMs === null ? "—" : `${info.startedInMs.toLocaleString()} ms`;
    }
  }

  return {
    async mount(root) {
      const { email, baseCurrency } = session();
      version = h("span", { id: "settings-version" }, "…");
      startedIn = h("span", { id: "settings-started-in" }, "…");
      root.append(
        h("div", { class: "screen-head" }, h("h1", {}, "Settings")),
        h(
          "div",
          { class: "settings" },
          section(
            "settings-profile",
            "Profile",
            facts(
              ["E-mail", h("span", { id: "settings-email" }, email)],
              ["Base currency", currencyLabel(baseCurrency)],
            ),
            h(
              "p",
              { class: "field-hint" },
              "Dashboards and budgets add up in the base currency chosen at sign-up.",
            ),
          ),
          appearanceSection(),
          section("settings-email", "Alert e-mails", emailSettings()),
          passwordSection(),
          section(
            "settings-about",
            "Where your data is",
            databasePanel({
              signedIn: true,
              switched: () => {
                context.databaseSwitched();
              },
              uploaded: (message) => {
                showNotice(message);
                void context.refresh();
              },
            }),
            facts(["Outlay version", version], ["Started in", startedIn]),
          ),
          section("settings-csv", "Import and export", csvTransfer()),
          section("settings-rules", "Category rules", categoryRules()),
          shortcutsSection(),
          deleteSection(context),
        ),
      );
      await load();
    },
    refresh: load,
    unmount() {
      version = null;
      startedIn = null;
    },
  };
}
