// Alert e-mails through SendGrid: on/off, recipient, verified sender, the API key (kept only
// in the OS keychain), a test e-mail, and mails that failed for good with SendGrid's reason.
import { emailStatus, retryMail, saveEmailSettings, sendTestEmail, type EmailStatus } from "../api";
import { h, replaceChildren } from "../dom";
import { clearErrors, field, input, showError } from "../forms";
import { showNotice } from "./toast";

export function emailSettings(): HTMLElement {
  const enabled = input("email-enabled", { type: "checkbox" });
  const recipient = input("email-recipient", { type: "email", autocomplete: "email" });
  const sender = input("email-sender", { type: "email" });
  const apiKey = input("email-api-key", { type: "password", autocomplete: "off" });
  const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
  const failed = h("div", { id: "email-failed" });
  const save = h(
    "button",
    { type: "submit", class: "primary", id: "email-save" },
    "Save e-mail settings",
  );
  const test = h("button", { type: "button", id: "email-test" }, "Send a test e-mail");
  const form = h(
    "form",
    { class: "settings-form", "aria-label": "Alert e-mails", novalidate: true },
    h(
      "div",
      { class: "field field--check" },
      enabled,
      h("label", { for: enabled.id }, "E-mail me when a budget alert fires"),
    ),
    field("Send alerts to", recipient, "recipient"),
    field("From (a sender verified in SendGrid)", sender, "sender"),
    field("SendGrid API key", apiKey, "apiKey", {}, "Kept only in this computer's keychain."),
    banner,
    h("div", { class: "form-actions form-actions--start" }, save, test),
    failed,
  );

  function show(status: EmailStatus): void {
    enabled.checked = status.settings.enabled;
    recipient.value = status.settings.recipient ?? "";
    sender.value = status.settings.sender ?? "";
    apiKey.value = "";
    apiKey.placeholder = status.hasApiKey ? "Saved in the keychain" : "SG.…";
    if (status.keychainProblem !== null) {
      banner.textContent = status.keychainProblem;
      banner.hidden = false;
    }
    replaceChildren(
      failed,
      status.failed.length === 0
        ? null
        : h(
            "div",
            {},
            h("h3", {}, "E-mails that could not be sent"),
            h(
              "ul",
              { class: "failed-mails" },
              ...status.failed.map((mail) => {
                const retry = h("button", { type: "button", class: "link" }, "Try again");
                retry.addEventListener("click", () => {
                  void retryMail(mail.id).then(load);
                });
                return h(
                  "li",
                  { class: "failed-mail" },
                  h("strong", {}, mail.message.subject),
                  h("span", {}, ` — ${mail.lastError ?? "no reason given"} `),
                  retry,
                );
              }),
            ),
          ),
    );
  }

  async function load(): Promise<void> {
    show(await emailStatus());
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    banner.hidden = true;
    const input = { enabled: enabled.checked, recipient: recipient.value, sender: sender.value };
    saveEmailSettings(input, apiKey.value === "" ? null : apiKey.value)
      .then((status) => {
        show(status);
        showNotice("E-mail settings saved.");
      })
      .catch((error: unknown) => {
        showError(form, error, banner);
      });
  });
  test.addEventListener("click", () => {
    clearErrors(form);
    banner.hidden = true;
    test.disabled = true;
    sendTestEmail()
      .then(() => {
        showNotice("SendGrid accepted the test e-mail.");
      })
      .catch((error: unknown) => {
        showError(form, error, banner);
      })
      .finally(() => {
        test.disabled = false;
      });
  });
  void load().catch((error: unknown) => {
    showError(form, error, banner);
  });
  return form;
}
