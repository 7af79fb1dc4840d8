// A modal "are you sure?" for actions that cannot be undone (merging categories, deleting a
// budget or the account). A <dialog> of our own rather than window.confirm, whose look and
// WebDriver handling differ between webviews.
import { h } from "../dom";

export interface Confirmation {
  title: string;
  message: string;
  confirmLabel: string;
}

/** Resolves true when the user confirms, false on Cancel or Esc. */
export function confirmAction({ title, message, confirmLabel }: Confirmation): Promise<boolean> {
  const confirm = h(
    "button",
    { type: "submit", class: "danger", value: "yes", id: "confirm-yes" },
    confirmLabel,
  );
  const cancel = h("button", { type: "submit", value: "no", id: "confirm-no" }, "Cancel");
  const dialog = h(
    "dialog",
    {
      class: "confirm-dialog",
      "aria-labelledby": "confirm-title",
      "aria-describedby": "confirm-message",
    },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "confirm-title" }, title),
      h("p", { id: "confirm-message" }, message),
      h("div", { class: "form-actions" }, cancel, confirm),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
    });
    dialog.showModal();
    cancel.focus();
  });
}
