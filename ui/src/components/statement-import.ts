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
import { layoutControls } from "./statement-layout";
import { invalidPart, reviewNotes } from "./statement-notes";
import { progressBar } from "./statement-progress";
import { ruleForm } from "./statement-rule";
import { statementTable } from "./statement-table";
import { showNotice } from "./toast";

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
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
  // The row a rule is being made from: focus goes back to it once the rule is saved.
  let ruleLine: number | null = null;
  const rule = ruleForm(async (contains: string, categoryId: Id) => {
    await addCategoryRule(contains, categoryId);
    await read();
    dialog
      .querySelector<HTMLElement>(
        `.statement-row[data-line="${String(ruleLine)}"] .statement-row__rule`,
      )
      ?.focus();
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
      ...reviewNotes(review, (order) => {
        if (review.layout !== null) {
          changeLayout({ ...(edits.layout ?? review.layout), dateOrder: order });
        }
      }),
    );
    replaceChildren(
      layoutBox,
      review.layout !== null &&
        layoutControls(
          edits.layout ?? review.layout,
          // Stays unfolded while the user changes one part after another.
          layoutBox.querySelector("details")?.open ?? false,
          changeLayout,
        ),
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
          ruleLine = row.line;
          rule.open(row, chosenCategory(row, edits));
        },
      }),
    );
    updateImportButton();
  }

  async function read(): Promise<void> {
    // A changed layout select is rebuilt with the review: the keyboard stays where it was.
    const focused = dialog.contains(document.activeElement) ? document.activeElement?.id : "";
    dialog.dataset["state"] = "reviewing";
    setRunning(true, "Reading the file…");
    try {
      shown = await reviewStatement(reviewChoices(edits), progress.report);
      render(shown);
      dialog.dataset["state"] = "ready";
      if (focused !== undefined && focused !== "") {
        setTimeout(() => {
          document.getElementById(focused)?.focus();
        }, 0);
      }
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
