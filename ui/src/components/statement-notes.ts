// What the review says above its table: the layout saved for the bank, the date-order
// question, rows read by repair, and the lines that could not be read (with the choice to
// import the rest anyway).
import type { DateOrder, StatementReview } from "../api";
import { h, type Child } from "../dom";
import { formatCount } from "../format";
import { dateOrderQuestion } from "./statement-layout";

/** How many invalid lines the review lists; the count says how many there are. */
const INVALID_SHOWN = 20;

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** The lines that could not be read, and the choice to leave them out. */
export function invalidPart(
  review: StatementReview,
  skip: boolean,
  changed: (on: boolean) => void,
): HTMLElement {
  const box = h("input", { type: "checkbox", id: "statement-skip-invalid" });
  box.checked = skip;
  box.addEventListener("change", () => {
    changed(box.checked);
  });
  const shown = review.invalid.slice(0, INVALID_SHOWN);
  const more = review.counts.invalid - shown.length;
  return h(
    "div",
    { class: "statement-invalid", id: "statement-invalid" },
    h(
      "p",
      {},
      `${plural(review.counts.invalid, "line", "lines")} could not be read. Nothing is imported ` +
        "until you fix the file or choose to leave them out.",
    ),
    h(
      "ul",
      { class: "import-errors" },
      ...shown.map((line) => h("li", {}, `Line ${formatCount(line.line)}: ${line.message}`)),
      more > 0 && h("li", {}, `… and ${plural(more, "more line", "more lines")}.`),
    ),
    h(
      "div",
      { class: "field field--check" },
      box,
      h("label", { for: box.id }, "Import the rest anyway (leave these lines out)"),
    ),
  );
}

/** The notes about how the file was read; `dateOrder` answers the date-order question. */
export function reviewNotes(
  review: StatementReview,
  dateOrder: (order: DateOrder) => void,
): Child[] {
  return [
    review.savedLayout &&
      h(
        "p",
        { class: "statement-note", id: "statement-saved-layout" },
        "Read with the layout saved for this bank.",
      ),
    review.dateOrderAmbiguous && review.layout !== null && dateOrderQuestion(dateOrder),
    review.repaired.length > 0 &&
      h(
        "p",
        { class: "statement-note" },
        `${plural(review.repaired.length, "row was", "rows were")} short of a field and read by ` +
          `lining up their last fields with the header (line ${review.repaired.slice(0, 5).join(", ")}).`,
      ),
  ];
}
