// The rows of a bank statement review: each with its import tick, date, description, amount,
// what it is (a badge: duplicates and repeats stand out), the category it goes to with why,
// and "Make a rule". Money in and zero amounts are shown for the record, never imported.
import type { Id, ReviewRow, StatementReview } from "../api";
import { fillCategorySelect } from "../categories";
import { h, option } from "../dom";
import { formatDate } from "../format";
import {
  canImport,
  chosenCategory,
  isTicked,
  kindLabel,
  rowAmount,
  suggestionNote,
  type ReviewEdits,
} from "../statement-review";

export interface TableActions {
  ticked(line: number, on: boolean): void;
  categoryPicked(line: number, categoryId: Id): void;
  makeRule(row: ReviewRow): void;
}

/** Shortened for labels: a screen reader need not read a whole bank purpose line. */
function shortDescription(row: ReviewRow): string {
  const text = row.description === "" ? "no description" : row.description;
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function tick(row: ReviewRow, edits: ReviewEdits, actions: TableActions): HTMLInputElement {
  const importable = canImport(row.kind);
  const box = h("input", {
    type: "checkbox",
    class: "statement-row__import",
    "aria-label": importable
      ? `Import line ${String(row.line)}: ${shortDescription(row)}`
      : `Line ${String(row.line)} is money in, not an expense`,
    disabled: !importable,
    // Stays disabled when the review re-enables its controls after a read.
    "data-locked": !importable,
  });
  box.checked = isTicked(row, edits);
  box.addEventListener("change", () => {
    actions.ticked(row.line, box.checked);
  });
  return box;
}

function categoryCell(row: ReviewRow, edits: ReviewEdits, actions: TableActions): HTMLElement {
  if (!canImport(row.kind)) {
    return h("td", { class: "statement-row__category muted" }, "—");
  }
  const noteId = `statement-why-${String(row.line)}`;
  const select = h("select", {
    class: "statement-row__category-select",
    "aria-label": `Category for line ${String(row.line)}`,
    "aria-describedby": noteId,
  });
  // No suggestion: the user has no "Other"; the import creates it.
  const leading = row.category === null ? [option("", "Other (new)")] : [];
  fillCategorySelect(select, leading, chosenCategory(row, edits));
  select.addEventListener("change", () => {
    if (select.value !== "") {
      actions.categoryPicked(row.line, select.value);
    }
  });
  const picked = edits.categories.get(row.line);
  const note =
    picked !== undefined && picked !== row.category?.categoryId
      ? "Your choice"
      : suggestionNote(row.category);
  return h(
    "td",
    { class: "statement-row__category" },
    select,
    h("span", { class: "statement-row__why", id: noteId }, note),
  );
}

function rowOf(row: ReviewRow, edits: ReviewEdits, actions: TableActions): HTMLTableRowElement {
  const ruleButton = canImport(row.kind)
    ? h(
        "button",
        {
          type: "button",
          class: "statement-row__rule link",
          "aria-label": `Make a rule from line ${String(row.line)}`,
        },
        "Make a rule",
      )
    : null;
  ruleButton?.addEventListener("click", () => {
    actions.makeRule(row);
  });
  const money = row.spent.minor < 0 ? "money money--in" : "money";
  return h(
    "tr",
    {
      class: `statement-row statement-row--${row.kind.kind}`,
      "data-line": row.line,
      "data-kind": row.kind.kind,
    },
    h("td", { class: "statement-row__tick" }, tick(row, edits, actions)),
    h("td", { class: "statement-row__line muted" }, String(row.line)),
    h("td", { class: "statement-row__date" }, formatDate(row.date)),
    h(
      "td",
      { class: "statement-row__description", title: row.description },
      row.description,
      row.pending && h("span", { class: "muted" }, " (not booked yet)"),
    ),
    h("td", { class: money }, rowAmount(row)),
    h(
      "td",
      {},
      h("span", { class: `kind-badge kind-badge--${row.kind.kind}` }, kindLabel(row.kind)),
    ),
    categoryCell(row, edits, actions),
    h("td", {}, ruleButton),
  );
}

/** The review's rows as a table. */
export function statementTable(
  review: StatementReview,
  edits: ReviewEdits,
  actions: TableActions,
): HTMLTableElement {
  const titles = ["Import", "Line", "Date", "Description", "Amount", "What", "Category", ""];
  return h(
    "table",
    { class: "statement-table", id: "statement-rows" },
    h(
      "caption",
      { class: "visually-hidden" },
      "The statement's rows and what the import does with each",
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...titles.map((title) =>
          h("th", { scope: "col", class: title === "Amount" ? "money" : null }, title),
        ),
      ),
    ),
    h("tbody", {}, ...review.rows.map((row) => rowOf(row, edits, actions))),
  );
}
