// "Make a rule" from a row of the review: descriptions containing [the payee's first words,
// editable] go to [category]. Saved rules come first in every later suggestion (reviews,
// imports, quick add).
import type { Id, ReviewRow } from "../api";
import { fillCategorySelect } from "../categories";
import { h } from "../dom";
import { clearErrors, field, input, select, showError } from "../forms";
import { ruleText } from "../statement-review";

export interface RuleForm {
  element: HTMLElement;
  /** Shows the form for `row`, its category preset, and focuses the text. */
  open(row: ReviewRow, categoryId: Id | null): void;
  close(): void;
}

/** `save` resolves once the rule is saved and the review shows it; it may reject. */
export function ruleForm(save: (contains: string, categoryId: Id) => Promise<void>): RuleForm {
  const contains = input("rule-contains", { type: "text", autocomplete: "off", maxlength: 100 });
  const category = select("rule-category");
  const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
  const saveButton = h(
    "button",
    { type: "submit", class: "primary", id: "rule-save" },
    "Save rule",
  );
  const cancel = h("button", { type: "button", id: "rule-cancel" }, "Cancel");
  const source = h("p", { class: "field-hint", id: "rule-source" });
  const form = h(
    "form",
    {
      class: "statement-rule",
      id: "statement-rule",
      "aria-label": "New category rule",
      novalidate: true,
      hidden: true,
    },
    h("h3", {}, "Make a rule"),
    source,
    h(
      "div",
      { class: "statement-rule__fields" },
      field("Description contains", contains, "contains"),
      h("span", { class: "statement-rule__arrow", "aria-hidden": "true" }, "→"),
      field("Category", category, "categoryId"),
      h("div", { class: "statement-rule__actions" }, cancel, saveButton),
    ),
    banner,
  );
  const close = (): void => {
    form.hidden = true;
  };
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (event) => {
    // Esc closes the rule form, not the whole review.
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    banner.hidden = true;
    saveButton.disabled = true;
    save(contains.value.trim(), category.value)
      .then(close)
      .catch((error: unknown) => {
        showError(form, error, banner);
      })
      .finally(() => {
        saveButton.disabled = false;
      });
  });
  return {
    element: form,
    open(row, categoryId) {
      clearErrors(form);
      banner.hidden = true;
      contains.value = ruleText(row.description);
      fillCategorySelect(category, [], categoryId);
      source.textContent = `From line ${String(row.line)}: ${row.description}`;
      form.hidden = false;
      contains.focus();
      contains.select();
    },
    close,
  };
}
