// Import and export of expenses as CSV (Settings). The file the user picks is read here and
// its text handed to the core; an export is written by the shell into the Downloads folder,
// so the page never names a path.
import { exportExpensesCsv, importExpensesCsv, type ImportReport } from "../api";
import { h, replaceChildren, type Child } from "../dom";
import { formatCount } from "../format";
import { messageOf } from "../forms";
import { importBankStatement } from "./statement-import";

/** Files larger than this are refused before they are read (the shell refuses them too). */
const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** How many invalid lines the result lists; the count says how many there are in all. */
const LINES_SHOWN = 10;

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** "Imported 120 expenses, skipped 3 duplicates, created 2 categories". */
export function importSummary(report: ImportReport): string {
  if (report.rejected) {
    return `Nothing was imported: ${plural(report.invalidCount, "line has", "lines have")} errors.`;
  }
  const parts = [`Imported ${plural(report.imported, "expense", "expenses")}`];
  if (report.duplicates > 0) {
    parts.push(`skipped ${plural(report.duplicates, "duplicate", "duplicates")}`);
  }
  if (report.categoriesCreated > 0) {
    parts.push(`created ${plural(report.categoriesCreated, "category", "categories")}`);
  }
  if (report.invalidCount > 0) {
    parts.push(`left out ${plural(report.invalidCount, "line with errors", "lines with errors")}`);
  }
  return `${parts.join(", ")}.`;
}

function importResult(report: ImportReport): Child[] {
  const shown = report.invalid.slice(0, LINES_SHOWN);
  const more = report.invalidCount - shown.length;
  return [
    h("p", { id: "import-summary" }, importSummary(report)),
    shown.length > 0 &&
      h(
        "ul",
        { class: "import-errors", id: "import-errors" },
        ...shown.map((line) =>
          h("li", {}, `Line ${formatCount(line.line)}, ${line.field}: ${line.message}`),
        ),
        more > 0 && h("li", {}, `… and ${plural(more, "more line", "more lines")}.`),
      ),
  ];
}

function exportPart(): HTMLElement {
  const button = h("button", { type: "button", id: "export-csv" }, "Export all expenses (CSV)");
  const result = h("p", { id: "export-result", class: "field-hint", role: "status" });
  button.addEventListener("click", () => {
    button.disabled = true;
    result.textContent = "Exporting…";
    exportExpensesCsv()
      .then((saved) => {
        result.textContent = `Saved ${plural(saved.rows, "expense", "expenses")} to ${saved.path}`;
      })
      .catch((error: unknown) => {
        result.textContent = `The export failed: ${messageOf(error)}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return h(
    "div",
    { class: "csv-part" },
    h("p", { class: "muted" }, "Every expense goes into a new file in your Downloads folder."),
    button,
    result,
  );
}

function importPart(): HTMLElement {
  const file = h("input", {
    type: "file",
    id: "import-file",
    accept: ".csv,text/csv",
    "aria-describedby": "import-file-hint",
  });
  const skip = h("input", { type: "checkbox", id: "import-skip-invalid" });
  const result = h("div", { id: "import-result", role: "status" });
  file.addEventListener("change", () => {
    const picked = file.files?.[0];
    if (picked === undefined) {
      return;
    }
    if (picked.size > MAX_IMPORT_BYTES) {
      replaceChildren(
        result,
        h("p", {}, `${picked.name} is larger than 100 MB; split it and import the parts.`),
      );
      file.value = "";
      return;
    }
    file.disabled = true;
    replaceChildren(result, h("p", {}, `Importing ${picked.name}…`));
    picked
      .text()
      .then((text) => importExpensesCsv(text, { onInvalid: skip.checked ? "skip" : "reject" }))
      .then((report) => {
        // The shell tells the other screens (the "spending-changed" event) that spend changed.
        replaceChildren(result, ...importResult(report));
      })
      .catch((error: unknown) => {
        replaceChildren(result, h("p", {}, `The import failed: ${messageOf(error)}`));
      })
      .finally(() => {
        // The same file can be picked again after it was fixed.
        file.value = "";
        file.disabled = false;
      });
  });
  return h(
    "div",
    { class: "csv-part" },
    h(
      "div",
      { class: "field" },
      h("label", { for: file.id }, "Import expenses from a CSV file"),
      file,
      h(
        "p",
        { class: "field-hint", id: "import-file-hint" },
        "Columns date, amount and category are needed; currency, description, payment_method " +
          "and tags are read when present. Lines already imported are skipped.",
      ),
    ),
    h(
      "div",
      { class: "field field--check" },
      skip,
      h("label", { for: skip.id }, "Import the valid lines and skip the others"),
    ),
    result,
  );
}

function statementPart(): HTMLElement {
  const button = h(
    "button",
    {
      type: "button",
      id: "settings-import-statement",
      "aria-describedby": "settings-statement-hint",
    },
    "Import bank statement…",
  );
  button.addEventListener("click", () => {
    void importBankStatement();
  });
  return h(
    "div",
    { class: "csv-part" },
    h(
      "p",
      { class: "field-hint", id: "settings-statement-hint" },
      "A file as your bank exports it (CSV, OFX/QFX, QIF or CAMT.053): reviewed before " +
        "anything is saved, and read the same way next time.",
    ),
    button,
  );
}

/** The import and export controls. */
export function csvTransfer(): HTMLElement {
  return h("div", { class: "csv-transfer" }, exportPart(), importPart(), statementPart());
}
