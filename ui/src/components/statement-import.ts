// Import a bank statement: the native open dialog (in the shell), then a review in a modal
// <dialog> — what the file holds and how it was read, each convention changeable, the rows
// with their ticks and categories, rules made from a row — then one click to import it all.
// Changing how the file is read, or adding a rule, reads it again; nothing is saved before
// Import. The shell announces the new expenses ("spending-changed"), so the lists refresh.
import {
  addCategoryRule,
  cancelStatement,
  chooseStatement,
  importStatement,
  reviewStatement,
  type ChosenFile,
  type CsvLayout,
  type Id,
  type StatementReview,
} from "../api";
import { categoryName, loadCategories } from "../categories";
import { h, replaceChildren } from "../dom";
import { formatCount } from "../format";
import { messageOf } from "../forms";
import {
  blockedByInvalid,
  buildChoices,
  chosenCategory,
  countsSentence,
  fileSize,
  importCount,
  importedSentence,
  noEdits,
  readAs,
  reviewChoices,
} from "../statement-review";
import { dateOrderQuestion, layoutControls } from "./statement-layout";
import { progressBar } from "./statement-progress";
import { ruleForm } from "./statement-rule";
import { statementTable } from "./statement-table";
import { showNotice } from "./toast";

/** How many invalid lines the review lists; the count says how many there are. */
const INVALID_SHOWN = 20;

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function invalidPart(
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

/** Reviews `file` (already chosen) until the user imports it or closes the review. */
function review(file: ChosenFile): Promise<void> {
  const edits = noEdits();
  let shown: StatementReview | null = null;
  let running = false;

  const title = h("h2", { id: "statement-title" }, `Bank statement: ${file.name}`);
  const readAsLine = h("p", { class: "muted", id: "statement-read-as" }, fileSize(file.bytes));
  const summary = h("p", {
    class: "statement-summary",
    id: "statement-summary",
    "aria-live": "polite",
  });
  const notes = h("div", { class: "statement-notes" });
  const layoutBox = h("div", {});
  const invalidBox = h("div", {});
  const tableBox = h("div", { class: "statement-table-box" });
  const error = h("p", {
    class: "form-banner",
    id: "statement-error",
    role: "alert",
    hidden: true,
  });
  const close = h("button", { type: "button", id: "statement-close" }, "Close");
  const importButton = h(
    "button",
    { type: "button", class: "primary", id: "statement-import" },
    "Import",
  );
  const progress = progressBar(() => {
    void cancelStatement();
  });
  const rule = ruleForm(async (contains: string, categoryId: Id) => {
    await addCategoryRule(contains, categoryId);
    await read();
    const using = (shown?.rows ?? []).filter(
      (row) => row.category?.source === "userRule" && row.category.matched === contains,
    ).length;
    showNote(
      `Rule saved: descriptions containing “${contains}” go to ${categoryName(categoryId, true)} ` +
        `(${plural(using, "row", "rows")} here).`,
    );
  });
  const ruleNote = h("p", {
    class: "statement-note",
    id: "statement-rule-note",
    role: "status",
    hidden: true,
  });
  const dialog = h(
    "dialog",
    {
      id: "statement-dialog",
      class: "statement-dialog",
      "aria-labelledby": title.id,
      "aria-describedby": summary.id,
      "data-state": "reviewing",
    },
    title,
    readAsLine,
    summary,
    notes,
    layoutBox,
    invalidBox,
    rule.element,
    ruleNote,
    tableBox,
    progress.element,
    error,
    h("div", { class: "form-actions" }, close, importButton),
  );

  function showNote(text: string): void {
    ruleNote.textContent = text;
    ruleNote.hidden = false;
  }

  function setRunning(on: boolean, what = ""): void {
    running = on;
    dialog.setAttribute("aria-busy", String(on));
    for (const control of dialog.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
      "#statement-layout select, .statement-table input, .statement-table select, #statement-skip-invalid",
    )) {
      control.disabled = on || control.dataset["locked"] === "true";
    }
    if (on) {
      error.hidden = true;
      progress.start(what);
    } else {
      progress.stop();
    }
    updateImportButton();
  }

  function updateImportButton(): void {
    if (shown === null) {
      importButton.disabled = true;
      return;
    }
    const count = importCount(shown, edits);
    importButton.textContent = `Import ${plural(count, "expense", "expenses")}`;
    importButton.disabled = running || count === 0 || blockedByInvalid(shown, edits);
  }

  function changeLayout(next: CsvLayout): void {
    edits.layout = next;
    void read();
  }

  function render(review: StatementReview): void {
    readAsLine.textContent = `${readAs(review)} · ${fileSize(file.bytes)}`;
    const more = review.counts.transactions - review.rows.length;
    summary.textContent =
      countsSentence(review.counts) +
      (more > 0 ? ` (the first ${formatCount(review.rows.length)} rows shown)` : "");
    replaceChildren(
      notes,
      review.savedLayout &&
        h(
          "p",
          { class: "statement-note", id: "statement-saved-layout" },
          "Read with the layout saved for this bank.",
        ),
      review.dateOrderAmbiguous &&
        review.layout !== null &&
        dateOrderQuestion((order) => {
          if (review.layout !== null) {
            changeLayout({ ...(edits.layout ?? review.layout), dateOrder: order });
          }
        }),
      review.repaired.length > 0 &&
        h(
          "p",
          { class: "statement-note" },
          `${plural(review.repaired.length, "row was", "rows were")} short of a field and read by ` +
            `lining up their last fields with the header (line ${review.repaired.slice(0, 5).join(", ")}).`,
        ),
    );
    replaceChildren(
      layoutBox,
      review.layout !== null && layoutControls(edits.layout ?? review.layout, changeLayout),
    );
    replaceChildren(
      invalidBox,
      review.counts.invalid > 0 &&
        invalidPart(review, edits.skipInvalid, (on) => {
          edits.skipInvalid = on;
          updateImportButton();
        }),
    );
    replaceChildren(
      tableBox,
      statementTable(review, edits, {
        ticked(line, on) {
          edits.imports.set(line, on);
          updateImportButton();
        },
        categoryPicked(line, categoryId) {
          edits.categories.set(line, categoryId);
        },
        makeRule(row) {
          rule.open(row, chosenCategory(row, edits));
        },
      }),
    );
    updateImportButton();
  }

  async function read(): Promise<void> {
    dialog.dataset["state"] = "reviewing";
    setRunning(true, "Reading the file…");
    try {
      shown = await reviewStatement(reviewChoices(edits), progress.report);
      render(shown);
      dialog.dataset["state"] = "ready";
    } catch (failure: unknown) {
      error.textContent = messageOf(failure);
      error.hidden = false;
      dialog.dataset["state"] = shown === null ? "failed" : "ready";
    } finally {
      setRunning(false);
    }
  }

  async function save(): Promise<void> {
    if (shown === null || running) {
      return;
    }
    dialog.dataset["state"] = "importing";
    setRunning(true, "Importing…");
    try {
      const result = await importStatement(buildChoices(shown, edits), progress.report);
      if (result.rejected) {
        error.textContent = importedSentence(result);
        error.hidden = false;
        dialog.dataset["state"] = "ready";
        return;
      }
      running = false;
      dialog.close();
      showNotice(importedSentence(result));
    } catch (failure: unknown) {
      error.textContent = messageOf(failure);
      error.hidden = false;
      dialog.dataset["state"] = "ready";
    } finally {
      setRunning(false);
    }
  }

  importButton.addEventListener("click", () => {
    void save();
  });
  close.addEventListener("click", () => {
    dialog.close();
  });
  dialog.addEventListener("cancel", () => {
    // Esc closes the review; a read or import under way stops (an import saves nothing).
    if (running) {
      void cancelStatement();
    }
  });
  document.body.append(dialog);
  const returnFocus = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (running) {
        void cancelStatement();
      }
      dialog.remove();
      if (returnFocus instanceof HTMLElement) {
        returnFocus.focus();
      }
      resolve();
    });
    dialog.showModal();
    close.focus();
    void read().then(() => {
      if (dialog.open && !importButton.disabled) {
        importButton.focus();
      }
    });
  });
}

/**
 * Opens the native dialog to choose a bank statement, then its review. Does nothing when the
 * user cancels the dialog, or a review is open already.
 */
export async function importBankStatement(): Promise<void> {
  if (document.getElementById("statement-dialog") !== null) {
    return;
  }
  let file: ChosenFile | null;
  try {
    file = await chooseStatement();
  } catch (failure: unknown) {
    showNotice(`The file could not be opened: ${messageOf(failure)}`);
    return;
  }
  if (file === null) {
    return;
  }
  await loadCategories();
  await review(file);
}
