// Where the data lives: the local file or an Outlay server. Shown in the settings and, for a
// server that cannot be reached at start-up, on the sign-in screen.
import {
  connectServer,
  databaseStatus,
  retryServer,
  uploadToServer,
  useLocalFile,
  type DatabaseStatus,
  type ServerSettings,
} from "../api";
import { h, option, replaceChildren } from "../dom";
import { clearErrors, field, input, select, showError, valueOrNull } from "../forms";

const SSL_MODES: [string, string][] = [
  ["prefer", "prefer (TLS when the server offers it)"],
  ["require", "require (TLS, certificate not checked)"],
  ["verify-ca", "verify-ca (TLS, certificate checked)"],
  ["verify-full", "verify-full (TLS, certificate and host name checked)"],
  ["disable", "disable (no TLS; only on a trusted network)"],
  ["allow", "allow"],
];

export interface DatabasePanelOptions {
  /** True when a user is signed in, so their local profile can be uploaded. */
  signedIn: boolean;
  /** The database changed and the user was signed out: show the sign-in form. */
  switched(): void;
  /** The profile was uploaded and the app now runs on the server, still signed in. */
  uploaded(message: string): void;
}

/** The panel; it loads the current status itself. */
export function databasePanel(options: DatabasePanelOptions): HTMLElement {
  const status = h("div", {
    class: "database-status",
    id: "database-status",
    "aria-live": "polite",
  });
  const host = input("server-host", { autocomplete: "off", spellcheck: "false" });
  const port = input("server-port", { type: "number", min: 1, max: 65535, value: 5432 });
  const database = input("server-database", { spellcheck: "false", value: "outlay" });
  const user = input("server-user", { autocomplete: "off", spellcheck: "false" });
  const password = input("server-password", { type: "password", autocomplete: "off" });
  const sslMode = select("server-ssl-mode");
  sslMode.append(...SSL_MODES.map(([value, label]) => option(value, label)));
  const caFile = input("server-ca-file", { spellcheck: "false", placeholder: "/path/to/ca.pem" });
  const accountPassword = input("server-account-password", {
    type: "password",
    autocomplete: "current-password",
  });
  const accountField = field(
    "Your Outlay password",
    accountPassword,
    "accountPassword",
    { hidden: !options.signedIn },
    "To upload, your account is created on the server with this e-mail and password.",
  );
  const progress = h("progress", { id: "upload-progress", max: 1, value: 0, hidden: true });
  const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
  const connect = h("button", { type: "submit", id: "server-connect" }, "Switch to this server");
  const upload = h(
    "button",
    { type: "button", class: "primary", id: "server-upload", hidden: !options.signedIn },
    "Upload my data and switch",
  );
  const form = h(
    "form",
    { class: "settings-form database-form", "aria-label": "Outlay server", novalidate: true },
    h(
      "p",
      { class: "field-hint" },
      "Your server's administrator gets these values from outlay-cli db init. The password is kept only in this computer's keychain.",
    ),
    h(
      "div",
      { class: "field-row" },
      field("Host", host, "host"),
      field("Port", port, "port", { class: "field field--narrow" }),
    ),
    h(
      "div",
      { class: "field-row" },
      field("Database", database, "database"),
      field("Sign-in user", user, "user"),
    ),
    field(
      "Server password",
      password,
      "password",
      {},
      "Leave empty to use the one saved in the keychain.",
    ),
    field("Encryption (sslmode)", sslMode, "sslMode"),
    field("CA certificate file", caFile, "caFile", {}, "Needed for verify-ca and verify-full."),
    accountField,
    progress,
    banner,
    h("div", { class: "form-actions form-actions--start" }, upload, connect),
  );

  function settings(): ServerSettings {
    return {
      host: host.value.trim(),
      port: Number.parseInt(port.value, 10) || 0,
      database: database.value.trim(),
      user: user.value.trim(),
      sslMode: sslMode.value,
      caFile: valueOrNull(caFile),
    };
  }

  function busy(on: boolean): void {
    for (const button of panel.querySelectorAll("button")) {
      button.disabled = on;
    }
  }

  function failed(error: unknown): void {
    showError(panel, error, banner);
  }

  function before(): void {
    clearErrors(panel);
    banner.hidden = true;
    busy(true);
  }

  function show(current: DatabaseStatus): void {
    const onServer = current.connection.kind === "server";
    if (current.connection.kind === "server") {
      host.value = current.connection.host;
      port.value = String(current.connection.port);
      database.value = current.connection.database;
      user.value = current.connection.user;
      sslMode.value = current.connection.sslMode;
      caFile.value = current.connection.caFile ?? "";
    }
    upload.hidden = !options.signedIn || onServer;
    accountField.hidden = upload.hidden;
    const actions: Node[] = [];
    if (current.problem !== null) {
      const retry = h("button", { type: "button", id: "server-retry" }, "Try again");
      retry.addEventListener("click", () => {
        before();
        retryServer()
          .then(show)
          .then(() => {
            options.switched();
          })
          .catch(failed)
          .finally(() => {
            busy(false);
          });
      });
      actions.push(retry);
    }
    if (onServer) {
      const local = h("button", { type: "button", id: "server-use-local" }, "Use the local file");
      local.addEventListener("click", () => {
        before();
        useLocalFile()
          .then(() => {
            options.switched();
          })
          .catch(failed)
          .finally(() => {
            busy(false);
          });
      });
      actions.push(local);
    }
    replaceChildren(
      status,
      h(
        "p",
        {},
        onServer ? "Your data is on the server " : "Your data is in the local file ",
        h("code", { class: "path", id: "settings-database" }, current.location),
      ),
      current.problem === null
        ? null
        : h(
            "p",
            { class: "form-banner", role: "alert", id: "database-problem" },
            current.problem.message,
          ),
      actions.length > 0
        ? h("div", { class: "form-actions form-actions--start" }, ...actions)
        : null,
    );
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    before();
    connectServer(settings(), password.value)
      .then(() => {
        options.switched();
      })
      .catch(failed)
      .finally(() => {
        busy(false);
      });
  });

  upload.addEventListener("click", () => {
    before();
    progress.hidden = false;
    progress.value = 0;
    uploadToServer(settings(), password.value, accountPassword.value, ({ done, total }) => {
      progress.max = Math.max(total, 1);
      progress.value = done;
    })
      .then((report) => {
        const already =
          report.expensesAlreadyThere > 0
            ? `, ${String(report.expensesAlreadyThere)} were there already`
            : "";
        options.uploaded(
          `Uploaded ${String(report.expensesAdded)} expenses${already}. Outlay now uses the server.`,
        );
      })
      .catch(failed)
      .finally(() => {
        progress.hidden = true;
        busy(false);
      });
  });

  const panel = h("div", { class: "database-panel" }, status, form);
  void databaseStatus().then(show).catch(failed);
  return panel;
}
