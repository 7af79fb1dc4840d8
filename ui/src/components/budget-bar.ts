// A budget's progress as a bar that turns amber at its first threshold and red at 100 %.
import type { BudgetProgress } from "../api";
import { categoryName } from "../categories";
import { h } from "../dom";
import { formatMoney, formatPercent } from "../format";
import { budgetState, type BudgetState } from "../thresholds";

const PERIOD_WORDS = { weekly: "weekly", monthly: "monthly", yearly: "yearly" } as const;

/** "Overall · monthly" or "Food › Groceries · weekly". */
export function budgetTitle(progress: BudgetProgress): string {
  const { categoryId, period } = progress.budget;
  const name = categoryId === null ? "Overall" : categoryName(categoryId, true);
  return `${name} · ${PERIOD_WORDS[period]}`;
}

const STATE_WORDS: Record<BudgetState, string> = {
  ok: "on track",
  warning: "nearing the limit",
  over: "over budget",
};

/**
 * The bar, with "$120.00 of $500.00" and the percentage beside it. `label` names the budget
 * for screen readers ("Food, monthly").
 */
export function budgetBar(progress: BudgetProgress, label: string): HTMLElement {
  const state = budgetState(progress.percent, progress.budget.thresholds);
  const fill = h("div", { class: "meter__fill" });
  // Width through CSSOM: the CSP refuses style="" attributes but not script-set styles.
  fill.style.width = `${String(Math.min(progress.percent, 100))}%`;
  const meter = h(
    "div",
    {
      class: `meter meter--${state}`,
      role: "progressbar",
      "aria-label": `${label}: ${STATE_WORDS[state]}`,
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "aria-valuenow": Math.min(progress.percent, 100),
      "aria-valuetext": `${formatPercent(progress.percent)} spent, ${STATE_WORDS[state]}`,
    },
    fill,
  );
  return h(
    "div",
    { class: `budget-meter budget-meter--${state}` },
    meter,
    h(
      "p",
      { class: "budget-meter__numbers" },
      h(
        "span",
        { class: "budget-meter__amounts" },
        `${formatMoney(progress.spent)} of ${formatMoney(progress.budget.amount)}`,
      ),
      h("span", { class: "budget-percent" }, formatPercent(progress.percent)),
    ),
  );
}
