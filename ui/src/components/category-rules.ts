// The user's category rules (Settings), made from a bank statement's review: "description
// contains VISA Firma → Groceries". Listed with a Delete each.
import { categoryRules as listRules, deleteCategoryRule, type CategoryRule } from "../api";
import { categoryName, loadCategories } from "../categories";
import { h, replaceChildren } from "../dom";
import { messageOf } from "../forms";
import { showNotice } from "./toast";

function ruleItem(rule: CategoryRule, deleted: () => void): HTMLLIElement {
  const remove = h(
    "button",
    {
      type: "button",
      class: "quiet category-rule__delete",
      "aria-label": `Delete the rule “${rule.contains}”`,
    },
    "Delete",
  );
  remove.addEventListener("click", () => {
    remove.disabled = true;
    deleteCategoryRule(rule.id)
      .then(() => {
        showNotice(`Rule “${rule.contains}” deleted.`);
        deleted();
      })
      .catch((error: unknown) => {
        remove.disabled = false;
        showNotice(`Could not delete the rule: ${messageOf(error)}`);
      });
  });
  return h(
    "li",
    { class: "category-rule", "data-rule": rule.id },
    h(
      "span",
      {},
      "Description contains ",
      h("strong", {}, `“${rule.contains}”`),
      " → ",
      categoryName(rule.categoryId, true),
    ),
    remove,
  );
}

/** The rules list; it loads itself. */
export function categoryRules(): HTMLElement {
  const list = h("ul", { class: "category-rules", id: "category-rules" });
  const load = (): void => {
    Promise.all([listRules(), loadCategories()])
      .then(([rules]) => {
        replaceChildren(
          list,
          ...rules.map((rule) => ruleItem(rule, load)),
          rules.length === 0 &&
            h(
              "li",
              { class: "empty-note" },
              "No rules yet. Make one from a row when you import a bank statement.",
            ),
        );
      })
      .catch((error: unknown) => {
        replaceChildren(list, h("li", { class: "empty-note" }, messageOf(error)));
      });
  };
  load();
  return h(
    "div",
    {},
    h(
      "p",
      { class: "field-hint" },
      "Rules come first when Outlay suggests a category: in statement reviews, imports and quick add.",
    ),
    list,
  );
}
