// How a bank CSV is read, as the review found it, each part changeable: the date order, the
// decimal mark, which sign is spending, and which columns hold the date, the amount and the
// description. A change hands back the whole layout; the review reads the file again with it.
import type { CsvLayout, DateOrder, DecimalMark, Spending } from "../api";
import { h, option } from "../dom";
import { field, select } from "../forms";
import { layoutSummary } from "../statement-review";

type Column = "date" | "amount" | "debit" | "credit" | "payee" | "purpose";

const DATE_ORDERS: [DateOrder, string][] = [
  ["dayMonthYear", "Day first (31.12.2025)"],
  ["monthDayYear", "Month first (12/31/2025)"],
  ["yearMonthDay", "Year first (2025-12-31)"],
];

const DECIMALS: [DecimalMark, string][] = [
  ["comma", "Comma (1.234,56)"],
  ["point", "Point (1,234.56)"],
];

const SPENDING: [Spending, string][] = [
  ["negative", "Money out negative"],
  ["positive", "Charges positive (card)"],
];

function choice<T extends string>(
  id: string,
  options: [T, string][],
  value: T,
  changed: (value: T) => void,
): HTMLSelectElement {
  const control = select(id);
  control.append(...options.map(([key, label]) => option(key, label, key === value)));
  control.addEventListener("change", () => {
    const picked = options.find(([key]) => key === control.value);
    if (picked !== undefined) {
      changed(picked[0]);
    }
  });
  return control;
}

function columnSelect(
  id: string,
  header: readonly string[],
  value: number | null,
  none: string | null,
  changed: (value: number | null) => void,
): HTMLSelectElement {
  const control = select(id);
  if (none !== null) {
    control.append(option("", none, value === null));
  }
  header.forEach((title, index) => {
    const label = title.trim() === "" ? `Column ${String(index + 1)}` : title;
    control.append(option(String(index), label, index === value));
  });
  control.addEventListener("change", () => {
    changed(control.value === "" ? null : Number(control.value));
  });
  return control;
}

/**
 * The conventions and columns of `layout`, folded under a one-line summary (`open`: unfolded);
 * `changed` gets the layout with one part changed.
 */
export function layoutControls(
  layout: CsvLayout,
  open: boolean,
  changed: (next: CsvLayout) => void,
): HTMLElement {
  const set = (part: Partial<CsvLayout>): void => {
    changed({ ...layout, ...part });
  };
  const column = (
    key: Column,
    label: string,
    none: string | null,
    hint?: string,
  ): HTMLDivElement => {
    const control = columnSelect(
      `statement-${key}-column`,
      layout.header,
      layout[key],
      none,
      (value) => {
        if (key === "date") {
          set({ date: value ?? layout.date });
        } else {
          set({ [key]: value });
        }
      },
    );
    return field(label, control, null, {}, hint);
  };
  const separate = layout.amount === null;
  const spending = choice("statement-spending", SPENDING, layout.spending, (value) => {
    set({ spending: value });
  });
  spending.disabled = separate;
  if (separate) {
    spending.dataset["locked"] = "true";
  }
  const fields = h(
    "fieldset",
    { class: "statement-layout", id: "statement-layout" },
    h("legend", { class: "visually-hidden" }, "How the file is read"),
    field(
      "Dates",
      choice("statement-date-order", DATE_ORDERS, layout.dateOrder, (value) => {
        set({ dateOrder: value });
      }),
      null,
    ),
    field(
      "Decimal mark",
      choice("statement-decimal", DECIMALS, layout.decimal, (value) => {
        set({ decimal: value });
      }),
      null,
    ),
    field(
      "Spending",
      spending,
      null,
      {},
      separate ? "Money out and in have columns of their own." : undefined,
    ),
    column("date", "Date column", null),
    separate
      ? column("debit", "Money out column", "None")
      : column("amount", "Amount column", null),
    separate && column("credit", "Money in column", "None"),
    column("payee", "Payee column", "None"),
    column("purpose", "Details column", "None", "Payee and details make the description."),
  );
  return h(
    "details",
    { class: "statement-layout-box", id: "statement-layout-box", open },
    h(
      "summary",
      {},
      h("span", { class: "statement-layout-box__title" }, "How the file is read: "),
      layoutSummary(layout),
      h("span", { class: "statement-layout-box__change" }, "Change"),
    ),
    fields,
  );
}

/** The question asked when every date reads both ways (03.04.2025). */
export function dateOrderQuestion(answer: (order: DateOrder) => void): HTMLElement {
  const dayFirst = h("button", { type: "button", id: "statement-day-first" }, "Day first");
  const monthFirst = h("button", { type: "button", id: "statement-month-first" }, "Month first");
  dayFirst.addEventListener("click", () => {
    answer("dayMonthYear");
  });
  monthFirst.addEventListener("click", () => {
    answer("monthDayYear");
  });
  return h(
    "div",
    {
      class: "statement-note statement-note--question",
      id: "statement-date-question",
      role: "group",
      "aria-labelledby": "statement-date-question-text",
    },
    h(
      "p",
      { id: "statement-date-question-text" },
      "Every date in this file reads both ways: is 03.04.2025 the 3rd of April (day first) " +
        "or March 4th (month first)?",
    ),
    h("div", { class: "statement-note__actions" }, dayFirst, monthFirst),
  );
}
