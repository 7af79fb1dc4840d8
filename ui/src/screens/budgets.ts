// Budgets: overall or per category, weekly/monthly/yearly, with alert thresholds; each shown
// with its progress in the current period. One form creates and edits.
import {
  AppError,
  budgetProgress,
  createBudget,
  deleteBudget,
  updateBudget,
  type Budget,
  type BudgetInput,
  type BudgetProgress,
  type PeriodKind,
} from "../api";
import { fillCategorySelect, loadCategories } from "../categories";
import { budgetBar, budgetTitle } from "../components/budget-bar";
import { confirmAction } from "../components/confirm-dialog";
import { h, option, replaceChildren } from "../dom";
import { currencyCodes, currencyLabel, formatDate, formatPercent, moneyInputText } from "../format";
import { clearErrors, field, input, select, showError } from "../forms";
import { session } from "../session";
import { parseThresholds } from "../thresholds";
import type { AppContext, Screen } from "./screen";

const DEFAULT_THRESHOLDS = "80, 100";

/** The thresholds typed (null: the core's default), or the message shown beside the field. */
function thresholdsOf(text: string): number[] | null {
  const thresholds = parseThresholds(text);
  if (thresholds === undefined) {
    throw new AppError("invalid", "Use whole percentages such as 80, 100.", "thresholds");
  }
  return thresholds;
}

export function budgetsScreen(context: AppContext): Screen {
  let list: HTMLElement | null = null;
  let form: {
    element: HTMLFormElement;
    heading: HTMLElement;
    category: HTMLSelectElement;
    period: HTMLSelectElement;
    amount: HTMLInputElement;
    currency: HTMLSelectElement;
    thresholds: HTMLInputElement;
    save: HTMLButtonElement;
    cancel: HTMLButtonElement;
    banner: HTMLElement;
  } | null = null;
  let editing: Budget | null = null;

  function resetForm(budget: Budget | null): void {
    if (form === null) {
      return;
    }
    editing = budget;
    clearErrors(form.element);
    form.banner.hidden = true;
    fillCategorySelect(
      form.category,
      [option("", "Overall (all spending)")],
      budget?.categoryId ?? null,
    );
    form.category.value = budget?.categoryId ?? "";
    form.period.value = budget?.period ?? "monthly";
    form.amount.value = budget === null ? "" : moneyInputText(budget.amount);
    form.currency.value = budget?.amount.currency ?? session().baseCurrency;
    form.thresholds.value = budget === null ? DEFAULT_THRESHOLDS : budget.thresholds.join(", ");
    form.heading.textContent = budget === null ? "New budget" : "Edit budget";
    form.save.textContent = budget === null ? "Add budget" : "Save changes";
    form.cancel.hidden = budget === null;
  }

  function row(progress: BudgetProgress): HTMLElement {
    const { budget, period } = progress;
    const edit = h("button", { type: "button", class: "quiet budget-edit" }, "Edit");
    const remove = h("button", { type: "button", class: "quiet budget-delete" }, "Delete");
    edit.addEventListener("click", () => {
      resetForm(budget);
      form?.amount.focus();
    });
    remove.addEventListener("click", () => {
      void (async () => {
        const sure = await confirmAction({
          title: "Delete this budget?",
          message: `${budgetTitle(progress)} will be removed. Your expenses stay as they are.`,
          confirmLabel: "Delete budget",
        });
        if (!sure) {
          return;
        }
        try {
          await deleteBudget(budget.id);
          if (editing?.id === budget.id) {
            resetForm(null);
          }
          await load();
        } catch (error: unknown) {
          context.showBanner(error);
        }
      })();
    });
    // The period ends the day before `end` (exclusive).
    const lastDay = new Date(`${period.end}T00:00:00Z`);
    lastDay.setUTCDate(lastDay.getUTCDate() - 1);
    const thresholds = budget.thresholds.map(formatPercent).join(", ");
    return h(
      "li",
      { class: "budget-row budget-progress", "data-budget-id": budget.id },
      h(
        "div",
        { class: "budget-row__head" },
        h("span", { class: "budget-row__title" }, budgetTitle(progress)),
        h(
          "span",
          { class: "muted" },
          `${formatDate(period.start)} – ${formatDate(lastDay.toISOString().slice(0, 10))} · alerts at ${thresholds}`,
        ),
        h("span", { class: "budget-row__tools" }, edit, remove),
      ),
      budgetBar(progress, budgetTitle(progress)),
    );
  }

  async function load(): Promise<void> {
    const [progress] = await Promise.all([budgetProgress(), loadCategories()]);
    if (list === null) {
      return;
    }
    if (progress.length === 0) {
      replaceChildren(
        list,
        h(
          "li",
          { class: "empty-note" },
          "No budgets yet. Add an overall monthly budget first — it is the one the dashboard compares against.",
        ),
      );
    } else {
      replaceChildren(list, ...progress.map(row));
    }
  }

  async function submit(): Promise<void> {
    if (form === null) {
      return;
    }
    const f = form;
    clearErrors(f.element);
    f.banner.hidden = true;
    try {
      const input: BudgetInput = {
        categoryId: f.category.value === "" ? null : f.category.value,
        period: f.period.value as PeriodKind,
        amount: f.amount.value,
        currency: f.currency.value,
        thresholds: thresholdsOf(f.thresholds.value),
      };
      f.save.disabled = true;
      if (editing === null) {
        await createBudget(input);
      } else {
        await updateBudget(editing.id, input);
      }
      resetForm(null);
      await load();
    } catch (error: unknown) {
      showError(f.element, error, f.banner);
    } finally {
      f.save.disabled = false;
    }
  }

  return {
    async mount(root) {
      await loadCategories();
      const category = select("budget-category");
      const period = select("budget-period");
      period.append(
        option("weekly", "Weekly"),
        option("monthly", "Monthly", true),
        option("yearly", "Yearly"),
      );
      const amount = input("budget-amount", {
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        required: true,
        placeholder: "500",
      });
      const currency = select("budget-currency");
      currency.append(...currencyCodes().map((code) => option(code, currencyLabel(code))));
      const thresholds = input("budget-thresholds", { type: "text", autocomplete: "off" });
      const save = h(
        "button",
        { type: "submit", class: "primary", id: "budget-save" },
        "Add budget",
      );
      const cancel = h("button", { type: "button", class: "quiet", id: "budget-cancel" }, "Cancel");
      const banner = h("p", { class: "form-banner", role: "alert", hidden: true });
      const heading = h("h2", { id: "budget-form-title" }, "New budget");
      const element = h(
        "form",
        {
          class: "card budget-form",
          id: "budget-form",
          "aria-labelledby": heading.id,
          novalidate: true,
        },
        heading,
        h(
          "div",
          { class: "form-grid form-grid--budget" },
          field("Budget for", category, "categoryId"),
          field("Period", period, "period"),
          field("Amount", amount, "amount"),
          field("Currency", currency, "currency"),
          field(
            "Alert at (%)",
            thresholds,
            "thresholds",
            {},
            "Percentages of the budget, e.g. 80, 100.",
          ),
        ),
        banner,
        h("div", { class: "form-actions" }, cancel, save),
      );
      form = {
        element,
        heading,
        category,
        period,
        amount,
        currency,
        thresholds,
        save,
        cancel,
        banner,
      };
      element.addEventListener("submit", (event) => {
        event.preventDefault();
        void submit();
      });
      cancel.addEventListener("click", () => {
        resetForm(null);
      });
      list = h("ul", { class: "budget-rows", id: "budget-list", "aria-label": "Budgets" });
      root.append(
        h("div", { class: "screen-head" }, h("h1", {}, "Budgets")),
        element,
        h(
          "section",
          { class: "card", "aria-labelledby": "budget-list-title" },
          h("h2", { id: "budget-list-title" }, "Your budgets"),
          list,
        ),
      );
      resetForm(null);
      await load();
    },
    async refresh() {
      await load();
    },
    unmount() {
      list = null;
      form = null;
      editing = null;
    },
  };
}
