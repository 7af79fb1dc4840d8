// The filter bar above the expense list: search, date range, category, payment method, tag,
// amount range and the list's order. It reports a complete ExpenseFilter whenever one of them
// changes; typing is debounced so each keystroke does not start a query.
import type { ExpenseFilter, ExpenseSort } from "../api";
import { fillCategorySelect } from "../categories";
import { debounce, h, option } from "../dom";
import { field, input, select, valueOrNull } from "../forms";
import { session } from "../session";
import { PAYMENT_METHODS_LIST } from "./payment-methods";

const TYPING_DELAY_MS = 250;

/** The list's orders as the user reads them, in the order the Sort menu offers them. */
export const SORT_LABELS: Readonly<Record<ExpenseSort, string>> = {
  newestFirst: "Newest first",
  oldestFirst: "Oldest first",
  largestFirst: "Largest first",
  smallestFirst: "Smallest first",
};
const SORTS = Object.keys(SORT_LABELS) as ExpenseSort[];

export interface ExpenseFilters {
  element: HTMLFormElement;
  /** The search box, placed by the screen in its heading row (outside the form). */
  searchField: HTMLElement;
  read(): ExpenseFilter;
  /** Whether any filter narrows the list (decides which empty state to show). */
  active(): boolean;
  /** Refills the category choices after categories change. */
  refreshCategories(): void;
}

export function expenseFilters(changed: () => void): ExpenseFilters {
  const search = input("expense-search", {
    type: "search",
    placeholder: "Search descriptions",
    autocomplete: "off",
    "aria-keyshortcuts": "/",
  });
  const from = input("filter-from", { type: "date" });
  const to = input("filter-to", { type: "date" });
  const category = select("filter-category");
  const payment = input("filter-payment", {
    type: "text",
    list: PAYMENT_METHODS_LIST,
    autocomplete: "off",
    placeholder: "Any",
  });
  const tag = input("filter-tag", { type: "text", autocomplete: "off", placeholder: "#tag" });
  const currency = session().baseCurrency;
  const min = input("filter-min", {
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    placeholder: "Min",
    "aria-label": `Smallest amount in ${currency}`,
  });
  const max = input("filter-max", {
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    placeholder: "Max",
    "aria-label": `Largest amount in ${currency}`,
  });
  const sort = select("filter-sort");
  sort.append(...SORTS.map((value) => option(value, SORT_LABELS[value], value === "newestFirst")));
  const clear = h("button", { type: "reset", class: "quiet", id: "filter-clear" }, "Clear filters");

  const fillCategories = (): void => {
    fillCategorySelect(category, [option("", "All categories")], valueOrNull(category), true);
  };
  fillCategories();

  const searchField = h(
    "div",
    { class: "field field--search" },
    search,
    h("p", {
      class: "field-error",
      "data-field": "search",
      id: "expense-search-error",
      hidden: true,
    }),
  );
  search.setAttribute("aria-label", "Search descriptions");
  search.setAttribute("aria-describedby", "expense-search-error");
  const element = h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter expenses",
      id: "expense-filters",
      novalidate: true,
    },
    field("From", from, "from"),
    field("To", to, null),
    field("Category", category, "categoryId"),
    field("Payment", payment, "paymentMethod"),
    field("Tag", tag, "tags"),
    h(
      "div",
      { class: "field field--range" },
      h("span", { class: "field__label", id: "filter-amount-label" }, `Amount (${currency})`),
      h(
        "div",
        { class: "range", role: "group", "aria-labelledby": "filter-amount-label" },
        min,
        max,
      ),
      h("p", {
        class: "field-error",
        "data-field": "amount",
        id: "filter-amount-error",
        hidden: true,
      }),
    ),
    field("Sort", sort, null, { class: "field field--sort" }),
    h("div", { class: "filters__actions" }, clear),
  );
  // The amount error names both bounds; point both at it.
  min.setAttribute("aria-describedby", "filter-amount-error");
  max.setAttribute("aria-describedby", "filter-amount-error");
  element.addEventListener("submit", (event) => {
    event.preventDefault();
    changed();
  });

  const typed = debounce(changed, TYPING_DELAY_MS);
  for (const control of [search, payment, tag, min, max]) {
    control.addEventListener("input", typed);
    // WebDriver's "clear" fires only change; a repeat query is cheap and debounced anyway.
    control.addEventListener("change", typed);
  }
  for (const control of [from, to, category, sort]) {
    control.addEventListener("change", changed);
  }
  element.addEventListener("reset", () => {
    search.value = "";
    // The order is not a filter: "Clear filters" keeps it.
    const order = sort.value;
    // The form resets its controls after this event; read them afterwards.
    window.setTimeout(() => {
      sort.value = order;
      changed();
    }, 0);
  });

  const read = (): ExpenseFilter => ({
    from: valueOrNull(from),
    to: valueOrNull(to),
    categoryId: valueOrNull(category),
    paymentMethod: valueOrNull(payment),
    tag: valueOrNull(tag),
    minAmount: valueOrNull(min),
    maxAmount: valueOrNull(max),
    currency: null,
    search: valueOrNull(search),
    sort: SORTS.find((value) => value === sort.value) ?? "newestFirst",
  });

  return {
    element,
    searchField,
    read,
    // The order narrows nothing, so it never counts as a filter.
    active: () => Object.entries(read()).some(([key, value]) => key !== "sort" && value !== null),
    refreshCategories: fillCategories,
  };
}
