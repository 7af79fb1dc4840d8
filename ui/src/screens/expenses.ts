// Expenses: the filter bar (with the list's order), totals of what the filters match, bulk
// actions on the ticked rows, and the virtualised list, in the order the core pages in.
import {
  deleteExpenses,
  expenseTotals,
  recategoriseExpenses,
  undoDelete,
  type ExpenseFilter,
  type Id,
  type Total,
} from "../api";
import { fillCategorySelect, loadCategories } from "../categories";
import { expenseFilters, type ExpenseFilters } from "../components/expense-filters";
import { ExpenseList } from "../components/expense-list";
import { rememberPaymentMethods } from "../components/payment-methods";
import { importBankStatement } from "../components/statement-import";
import { showUndoToast } from "../components/toast";
import { h, option } from "../dom";
import { formatCount, formatMoney } from "../format";
import { clearErrors, showFieldError } from "../forms";
import type { AppContext, Screen } from "./screen";

function describeTotals(totals: readonly Total[]): string {
  const count = totals.reduce((sum, total) => sum + total.count, 0);
  if (count === 0) {
    return "No expenses";
  }
  const amounts = totals.map((total) => formatMoney(total.amount)).join(" · ");
  return `${formatCount(count)} ${count === 1 ? "expense" : "expenses"} · ${amounts}`;
}

function plural(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "expense" : "expenses"}`;
}

export function expensesScreen(context: AppContext): Screen {
  let filters: ExpenseFilters | null = null;
  let list: ExpenseList | null = null;
  let totalsText: HTMLElement | null = null;
  let selectionText: HTMLElement | null = null;
  let bulkDelete: HTMLButtonElement | null = null;
  let bulkCategory: HTMLSelectElement | null = null;
  let bulkMove: HTMLButtonElement | null = null;
  let errorScope: HTMLElement | null = null;
  let selectAll: HTMLInputElement | null = null;
  // Bumped per query so totals of an older filter never overwrite a newer one's.
  let query = 0;

  const emptyMessage = (): Node =>
    filters?.active() === true
      ? h(
          "p",
          {},
          "Nothing matches these filters. ",
          h("span", { class: "muted" }, "Clear them to see every expense."),
        )
      : h(
          "div",
          { class: "empty-state" },
          h("p", { class: "empty-state__title" }, "No expenses yet"),
          h("p", {}, "Add your first expense — press ", h("kbd", {}, "N"), "."),
        );

  async function applyFilters(keepScroll = false): Promise<void> {
    if (filters === null || list === null || errorScope === null || totalsText === null) {
      return;
    }
    const mine = ++query;
    const filter: ExpenseFilter = filters.read();
    clearErrors(errorScope);
    list.setEmptyMessage(emptyMessage());
    const shown = list.reset(filter, 0, keepScroll);
    try {
      const [totals] = await Promise.all([expenseTotals(filter), shown]);
      if (mine !== query) {
        return;
      }
      totalsText.textContent = describeTotals(totals);
      list.setTotal(totals.reduce((sum, total) => sum + total.count, 0));
    } catch (error: unknown) {
      if (mine === query) {
        totalsText.textContent = "";
        if (!showFieldError(errorScope, error)) {
          context.showBanner(error);
        }
      }
    }
  }

  async function remove(ids: Id[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    try {
      const count = await deleteExpenses(ids);
      list?.remove(ids);
      refreshTotals().catch((error: unknown) => {
        context.showBanner(error);
      });
      showUndoToast(`${plural(count)} deleted`, async () => {
        await undoDelete(ids);
        await context.refresh();
      });
    } catch (error: unknown) {
      context.showBanner(error);
    }
  }

  async function refreshTotals(): Promise<void> {
    if (filters === null || totalsText === null) {
      return;
    }
    const mine = query;
    const totals = await expenseTotals(filters.read());
    if (mine === query) {
      totalsText.textContent = describeTotals(totals);
    }
  }

  async function moveSelected(): Promise<void> {
    const ids = list?.selectedIds() ?? [];
    const category = bulkCategory?.value ?? "";
    if (ids.length === 0 || category === "") {
      bulkCategory?.focus();
      return;
    }
    try {
      await recategoriseExpenses(ids, category);
      list?.clearSelection();
      await applyFilters(true);
    } catch (error: unknown) {
      context.showBanner(error);
    }
  }

  function selectionChanged(count: number): void {
    if (selectAll !== null && list !== null) {
      const loaded = list.loadedCount();
      selectAll.checked = count > 0 && count >= loaded;
      selectAll.indeterminate = count > 0 && count < loaded;
    }
    if (selectionText !== null) {
      selectionText.textContent = count === 0 ? "None selected" : `${plural(count)} selected`;
    }
    if (bulkDelete !== null && bulkMove !== null) {
      bulkDelete.disabled = count === 0;
      bulkMove.disabled = count === 0;
    }
  }

  function fillBulkCategories(): void {
    if (bulkCategory !== null) {
      fillCategorySelect(bulkCategory, [option("", "Move to category…")], null);
    }
  }

  return {
    async mount(root) {
      await loadCategories();
      filters = expenseFilters(() => void applyFilters());
      list = new ExpenseList({
        edit: (expense) => {
          void context.editExpense(expense);
        },
        delete: (ids) => {
          void remove(ids);
        },
        selectionChanged,
        loaded: (page) => {
          rememberPaymentMethods(page.map((expense) => expense.paymentMethod));
        },
        failed: (error) => {
          // A bad filter fails the page and the totals alike; say it once, beside the field.
          if (errorScope === null || !showFieldError(errorScope, error)) {
            context.showBanner(error);
          }
        },
      });
      totalsText = h("p", { id: "expense-totals", class: "totals", "aria-live": "polite" });
      selectionText = h("span", { class: "bulk-bar__count", "aria-live": "polite" });
      bulkDelete = h(
        "button",
        { type: "button", id: "bulk-delete", class: "danger", disabled: true },
        "Delete selected",
      );
      bulkCategory = h("select", { id: "bulk-category", "aria-label": "Category to move to" });
      bulkMove = h("button", { type: "button", id: "bulk-recategorise", disabled: true }, "Move");
      fillBulkCategories();
      bulkDelete.addEventListener("click", () => {
        void remove(list?.selectedIds() ?? []);
      });
      bulkMove.addEventListener("click", () => {
        void moveSelected();
      });
      selectAll = h("input", {
        type: "checkbox",
        id: "select-all",
        "aria-label": "Select all loaded expenses",
      });
      selectAll.addEventListener("click", () => {
        list?.toggleAll();
      });
      const newExpense = h(
        "button",
        { type: "button", id: "new-expense", class: "primary", "aria-keyshortcuts": "N" },
        "New expense",
        h("kbd", { "aria-hidden": "true" }, "N"),
      );
      newExpense.addEventListener("click", () => {
        void context.editExpense();
      });
      const importStatement = h(
        "button",
        { type: "button", id: "import-statement", "aria-keyshortcuts": "Control+I Meta+I" },
        "Import bank statement…",
      );
      importStatement.addEventListener("click", () => {
        void importBankStatement();
      });
      errorScope = root;
      root.append(
        h(
          "div",
          { class: "screen-head" },
          h("h1", {}, "Expenses"),
          filters.searchField,
          importStatement,
          newExpense,
        ),
        filters.element,
        h(
          "div",
          { class: "list-bar" },
          totalsText,
          h(
            "div",
            { class: "bulk-bar", role: "group", "aria-label": "Selected expenses" },
            selectionText,
            bulkDelete,
            bulkCategory,
            bulkMove,
          ),
        ),
        h(
          "div",
          { class: "expense-table" },
          // Column titles for sighted users; each cell's content speaks for itself.
          h(
            "div",
            { class: "expense-head" },
            h("span", { class: "expense-cell-select" }, selectAll),
            ...["Date", "Description", "Category", "Payment", "Tags", "Amount", ""].map((title) =>
              h("span", { "aria-hidden": "true" }, title),
            ),
          ),
          list.element,
        ),
      );
      selectionChanged(0);
      // The first page arrives asynchronously; wait for the totals so "ready" means shown.
      await applyFilters();
    },
    async refresh() {
      await loadCategories();
      filters?.refreshCategories();
      fillBulkCategories();
      await applyFilters(true);
    },
    unmount() {
      query += 1;
      filters = null;
      list?.dispose();
      list = null;
      selectAll = null;
    },
  };
}
