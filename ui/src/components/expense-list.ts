// The expense list: virtualised (only the rows in view exist in the DOM, recycled as the user
// scrolls), fed by keyset pages from the core as the user scrolls, so a million expenses
// scroll as smoothly as 10. The scrollbar is sized from the filter's total count up front;
// rows not fetched yet show as placeholders until their page arrives.
//
// What is fetched is one run of consecutive rows (the window, ./list-window.ts, which decides
// what to fetch). Scrolling extends it, down by cursor and up by position; dragging the
// scrollbar far from it starts a new window where the user landed (one page by position), so
// reaching the end of a million rows fetches one page, not the million before it.
//
// Keyboard: the list is one tab stop (a grid with aria-activedescendant). ↑/↓/Home/End/PgUp/
// PgDn move the active row, Shift extends the selection, Space ticks, Enter edits, Delete
// deletes the ticked rows (or the active one). Mouse: click ticks with shift-click ranges,
// double-click edits.
import {
  listExpenses,
  listExpensesAt,
  type Expense,
  type ExpenseCursor,
  type ExpenseFilter,
  type ExpenseSort,
  type Id,
} from "../api";
import { categoryById, categoryName } from "../categories";
import { h } from "../dom";
import { formatDate, formatMoney } from "../format";
import { SORT_LABELS } from "./expense-filters";
import { ListWindow, visibleRange, type Fetch, type RowRange } from "./list-window";

/** The class of a row view whose expense has not arrived yet. */
const PLACEHOLDER = "expense-placeholder";
/** Fixed row height in px; must match `.expense-row` in the CSS. */
export const ROW_HEIGHT = 44;

/** What a screen reader announces for the grid: "Expenses, largest first". */
// A filter without an order is listed newest first (the core's default).
function listLabel(sort: ExpenseSort = "newestFirst"): string {
  return `Expenses, ${SORT_LABELS[sort].toLowerCase()}`;
}

export interface ExpenseListEvents {
  edit(expense: Expense): void;
  delete(ids: Id[]): void;
  selectionChanged(count: number): void;
  /** After each page arrives (the screen learns the payment methods in use). */
  loaded(page: readonly Expense[]): void;
  failed(error: unknown): void;
}

interface RowView {
  row: HTMLDivElement;
  select: HTMLInputElement;
  date: HTMLDivElement;
  description: HTMLDivElement;
  swatch: HTMLSpanElement;
  category: HTMLSpanElement;
  payment: HTMLDivElement;
  tags: HTMLDivElement;
  amount: HTMLDivElement;
  /** Which expense (by index) the view shows now; -1 when unused. */
  index: number;
  /** The object last drawn, so an unchanged row is not rewritten on every scroll frame. */
  shown: Expense | null;
}

export class ExpenseList {
  /** The scrolling grid, `#expense-list`. */
  readonly element: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly views: RowView[] = [];
  /** The fetched rows. */
  private readonly window = new ListWindow<Expense, ExpenseCursor>();
  private loading = false;
  // Bumped on every reset; a page that arrives for an older generation is dropped.
  private generation = 0;
  private filter: ExpenseFilter | null = null;
  private active = -1;
  private anchor = -1;
  private readonly selected = new Set<Id>();
  private frame = 0;
  private firstPageShown: () => void = () => undefined;
  private readonly resize = new ResizeObserver(() => {
    this.schedule();
  });

  constructor(private readonly events: ExpenseListEvents) {
    // Gives the scrollbar the full list's height; not content.
    this.spacer = h("div", { class: "expense-list__spacer", "aria-hidden": "true" });
    this.empty = h("div", { class: "expense-list__empty", hidden: true });
    this.element = h(
      "div",
      {
        id: "expense-list",
        class: "expense-list",
        role: "grid",
        tabindex: 0,
        "aria-label": listLabel("newestFirst"),
        "aria-multiselectable": "true",
        "aria-rowcount": 0,
      },
      this.spacer,
      this.empty,
    );
    this.element.addEventListener("scroll", () => {
      this.schedule();
    });
    this.element.addEventListener("click", (event) => {
      this.onClick(event);
    });
    this.element.addEventListener("dblclick", (event) => {
      const index = this.indexOf(event.target);
      const expense = this.at(index);
      if (expense !== undefined && !(event.target instanceof HTMLButtonElement)) {
        this.setActive(index);
        this.events.edit(expense);
      }
    });
    this.element.addEventListener("keydown", (event) => {
      this.onKey(event);
    });
    this.element.addEventListener("focus", () => {
      if (this.active < 0 && this.rowCount() > 0) {
        this.setActive(0);
      }
    });
    this.resize.observe(this.element);
  }

  /** Stops watching the list's size; the screen calls it when it goes away. */
  dispose(): void {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
    this.generation += 1;
  }

  /**
   * Starts over with `filter`, expecting `total` rows; keeps the scroll position (and the
   * ticks) if asked. Resolves once the first page is shown (or failed, which `failed` reports).
   */
  reset(filter: ExpenseFilter, total: number, keepScroll = false): Promise<void> {
    this.firstPageShown();
    // Reloading in place (after an edit or undo) keeps the old height until the new count
    // arrives; a zero-height list would snap the scroll position back to the top.
    const rows = keepScroll ? Math.max(total, this.rowCount()) : total;
    this.generation += 1;
    this.filter = filter;
    this.element.setAttribute("aria-label", listLabel(filter.sort));
    // The old rows stay on screen until the first new page replaces them: no blank flash
    // between typing in the search box and the answer.
    this.window.reset(rows);
    this.loading = false;
    if (!keepScroll) {
      this.element.scrollTop = 0;
      this.active = -1;
      this.anchor = -1;
      this.selected.clear();
      this.events.selectionChanged(0);
    }
    this.empty.hidden = true;
    this.layout();
    this.schedule();
    return new Promise((resolve) => {
      this.firstPageShown = resolve;
    });
  }

  /** How many rows have been fetched so far (and are kept). */
  loadedCount(): number {
    return this.loaded().length;
  }

  /** The filter's count arrived (it is fetched beside the first page, not before it). */
  setTotal(total: number): void {
    if (this.window.setTotal(total)) {
      this.layout();
      this.schedule();
    }
  }

  /** Ticks every loaded row, or unticks all when they are all ticked already. */
  toggleAll(): void {
    const loaded = this.loaded();
    if (loaded.length > 0 && loaded.every((item) => this.selected.has(item.id))) {
      this.clearSelection();
      return;
    }
    for (const item of loaded) {
      this.selected.add(item.id);
    }
    this.events.selectionChanged(this.selected.size);
    this.render();
  }

  /** Shows the empty-state text (set by the screen, which knows whether filters are on). */
  setEmptyMessage(content: Node): void {
    this.empty.replaceChildren(content);
  }

  /** The ticked expenses' ids. */
  selectedIds(): Id[] {
    return [...this.selected];
  }

  /** The ticked expenses, or else the active one: what Delete and Enter act on. */
  targetIds(): Id[] {
    if (this.selected.size > 0) {
      return this.selectedIds();
    }
    const active = this.at(this.active);
    return active === undefined ? [] : [active.id];
  }

  clearSelection(): void {
    this.selected.clear();
    this.anchor = -1;
    this.events.selectionChanged(0);
    this.render();
  }

  /** Takes deleted rows out without refetching, so the view does not jump. */
  remove(ids: readonly Id[]): void {
    const gone = new Set(ids);
    this.window.remove((expense) => gone.has(expense.id));
    for (const id of ids) {
      this.selected.delete(id);
    }
    this.active = Math.min(this.active, this.rowCount() - 1);
    this.events.selectionChanged(this.selected.size);
    this.layout();
    this.render();
    this.showEmptyIfDone();
  }

  private layout(): void {
    const rows = this.rowCount();
    this.spacer.style.height = `${String(rows * ROW_HEIGHT)}px`;
    this.element.setAttribute("aria-rowcount", String(rows));
    // What is fetched, for tests and for anyone debugging a long list.
    this.element.dataset["windowStart"] = String(this.window.start());
    this.element.dataset["windowRows"] = String(this.loaded().length);
  }

  private schedule(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        // load() reads the scroll position before render() writes rows, so the frame
        // never forces a second layout.
        void this.load();
        this.render();
      });
    }
  }

  private visibleRange(): RowRange {
    const { scrollTop, clientHeight } = this.element;
    return visibleRange(scrollTop, clientHeight, ROW_HEIGHT, this.rowCount());
  }

  /** The expense at row `index` of the list, if fetched (or, while stale, the old one). */
  private at(index: number): Expense | undefined {
    return this.window.at(index);
  }

  /** The fetched rows from `from` to `to` (inclusive) that are in the window. */
  private between(from: number, to: number): Expense[] {
    return this.window.between(from, to);
  }

  /** The fetched rows of the current filter. */
  private loaded(): Expense[] {
    return this.window.loaded();
  }

  /** Rows the scrollbar spans: the count, or more if more have arrived since. */
  private rowCount(): number {
    return this.window.rowCount();
  }

  // Fetches pages one after another until the rows in view are loaded: the window grows down
  // by cursor and up by position, and rows in view far from it start a new window there.
  // Placeholders keep the scrolling smooth meanwhile.
  private async load(): Promise<void> {
    if (this.loading || this.filter === null) {
      return;
    }
    const generation = this.generation;
    const filter = this.filter;
    this.loading = true;
    try {
      for (let fetch = this.nextFetch(); fetch !== null; fetch = this.nextFetch()) {
        const page =
          fetch.kind === "down"
            ? await listExpenses(filter, this.window.cursor(), fetch.size)
            : await listExpensesAt(filter, fetch.position, fetch.size);
        if (generation !== this.generation) {
          return;
        }
        this.window.take(fetch, page.expenses, page.next);
        this.layout();
        this.render();
        this.events.loaded(page.expenses);
        this.showEmptyIfDone();
        this.firstPageShown();
      }
    } catch (error: unknown) {
      if (generation === this.generation) {
        // Rows of the previous filter would pass for answers to this one; drop them.
        this.window.clear();
        this.layout();
        this.render();
        this.events.failed(error);
        this.firstPageShown();
      }
    } finally {
      if (generation === this.generation) {
        this.loading = false;
      }
    }
  }

  /** The page the rows in view need next, or null when they are all here. */
  private nextFetch(): Fetch | null {
    return this.window.nextFetch(this.visibleRange());
  }

  private showEmptyIfDone(): void {
    this.empty.hidden = !this.window.isEmpty();
  }

  /** Draws the rows in view into the recycled row elements. */
  private render(): void {
    const { first, last } = this.visibleRange();
    const needed = Math.max(0, last - first + 1);
    while (this.views.length < needed) {
      this.views.push(this.createView());
    }
    this.views.forEach((view, slot) => {
      const index = first + slot;
      if (slot >= needed) {
        // Spare views leave the DOM, so `.expense-row` matches exactly the rows shown.
        if (view.index !== -1) {
          this.drawPlaceholder(view);
          view.row.remove();
          view.index = -1;
        }
        return;
      }
      this.draw(view, index);
    });
    const active = this.at(this.active);
    if (active !== undefined && this.active >= first && this.active <= last) {
      this.element.setAttribute("aria-activedescendant", `expense-${active.id}`);
    } else {
      this.element.removeAttribute("aria-activedescendant");
    }
  }

  private createView(): RowView {
    const select = h("input", {
      type: "checkbox",
      class: "expense-select",
      tabindex: -1,
      "aria-label": "Select",
    });
    const date = h("div", { role: "gridcell", class: "expense-date" });
    const description = h("div", { role: "gridcell", class: "expense-description" });
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    const category = h("span", { class: "expense-category" });
    const payment = h("div", { role: "gridcell", class: "expense-payment" });
    const tags = h("div", { role: "gridcell", class: "expense-tags" });
    const amount = h("div", { role: "gridcell", class: "expense-amount" });
    const row = h(
      "div",
      { class: PLACEHOLDER, role: "row" },
      h("div", { role: "gridcell", class: "expense-cell-select" }, select),
      date,
      description,
      h("div", { role: "gridcell", class: "expense-cell-category" }, swatch, category),
      payment,
      tags,
      amount,
      h(
        "div",
        { role: "gridcell", class: "expense-actions" },
        h(
          "button",
          { type: "button", class: "expense-edit icon-button", tabindex: -1, title: "Edit" },
          "Edit",
        ),
        h(
          "button",
          { type: "button", class: "expense-delete icon-button", tabindex: -1, title: "Delete" },
          "Delete",
        ),
      ),
    );
    return {
      row,
      select,
      date,
      description,
      swatch,
      category,
      payment,
      tags,
      amount,
      index: -1,
      shown: null,
    };
  }

  private draw(view: RowView, index: number): void {
    const expense = this.at(index);
    const { row } = view;
    if (!row.isConnected) {
      this.element.append(row);
    }
    if (view.index !== index) {
      view.index = index;
      row.dataset["index"] = String(index);
      row.setAttribute("aria-rowindex", String(index + 1));
      row.style.transform = `translateY(${String(index * ROW_HEIGHT)}px)`;
    }
    row.classList.toggle("expense-row--active", index === this.active);
    if (expense === undefined) {
      if (view.shown !== null || !row.classList.contains(PLACEHOLDER)) {
        this.drawPlaceholder(view);
      }
      return;
    }
    const ticked = this.selected.has(expense.id);
    view.select.checked = ticked;
    view.select.setAttribute("aria-label", `Select ${expense.description || "expense"}`);
    row.setAttribute("aria-selected", String(ticked));
    row.classList.toggle("expense-row--selected", ticked);
    if (view.shown === expense) {
      return;
    }
    view.shown = expense;
    row.classList.replace(PLACEHOLDER, "expense-row");
    row.id = `expense-${expense.id}`;
    row.dataset["id"] = expense.id;
    view.select.disabled = false;
    view.date.textContent = formatDate(expense.date);
    // textContent only: user text never becomes markup.
    view.description.textContent = expense.description;
    view.description.title = expense.description;
    view.category.textContent = categoryName(expense.categoryId);
    view.swatch.style.backgroundColor = categoryById(expense.categoryId)?.colour ?? "transparent";
    view.payment.textContent = expense.paymentMethod ?? "";
    view.tags.textContent = expense.tags.map((tag) => `#${tag}`).join(" ");
    view.amount.textContent = formatMoney(expense.amount);
  }

  private drawPlaceholder(view: RowView): void {
    const { row } = view;
    view.shown = null;
    // Not an `.expense-row` until it shows one: tests and styles count real rows only.
    row.classList.replace("expense-row", PLACEHOLDER);
    row.removeAttribute("id");
    delete row.dataset["id"];
    row.setAttribute("aria-selected", "false");
    row.classList.remove("expense-row--selected");
    view.select.checked = false;
    view.select.disabled = true;
    view.date.textContent = "";
    view.description.textContent = "Loading…";
    view.description.title = "";
    view.category.textContent = "";
    view.swatch.style.backgroundColor = "transparent";
    view.payment.textContent = "";
    view.tags.textContent = "";
    view.amount.textContent = "";
  }

  private indexOf(target: EventTarget | null): number {
    if (!(target instanceof Element)) {
      return -1;
    }
    const row = target.closest<HTMLElement>(".expense-row");
    return row === null ? -1 : Number(row.dataset["index"] ?? -1);
  }

  private onClick(event: MouseEvent): void {
    const index = this.indexOf(event.target);
    const expense = this.at(index);
    if (expense === undefined) {
      return;
    }
    const target = event.target as Element;
    if (target.closest(".expense-edit") !== null) {
      this.setActive(index);
      this.events.edit(expense);
    } else if (target.closest(".expense-delete") !== null) {
      this.setActive(index);
      this.events.delete([expense.id]);
    } else if (target.closest(".expense-select") !== null) {
      this.tick(index, event.shiftKey);
      this.setActive(index);
    } else {
      this.setActive(index);
    }
    // Keep keyboard control on the grid after a mouse click inside it.
    this.element.focus({ preventScroll: true });
  }

  /** Ticks or unticks a row; with `range`, sets every row from the anchor to it alike. */
  private tick(index: number, range: boolean): void {
    const expense = this.at(index);
    if (expense === undefined) {
      return;
    }
    const on = !this.selected.has(expense.id);
    if (range && this.anchor >= 0) {
      const [from, to] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
      for (const item of this.between(from, to)) {
        if (on) {
          this.selected.add(item.id);
        } else {
          this.selected.delete(item.id);
        }
      }
    } else if (on) {
      this.selected.add(expense.id);
    } else {
      this.selected.delete(expense.id);
    }
    this.anchor = index;
    this.events.selectionChanged(this.selected.size);
    this.render();
  }

  private setActive(index: number): void {
    const rows = this.rowCount();
    if (rows === 0) {
      return;
    }
    this.active = Math.max(0, Math.min(index, rows - 1));
    const top = this.active * ROW_HEIGHT;
    const view = this.element;
    if (top < view.scrollTop) {
      view.scrollTop = top;
    } else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) {
      view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
    }
    this.render();
    void this.load();
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      PageDown: this.active + page,
      PageUp: this.active - page,
      Home: 0,
      End: this.rowCount() - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      const from = Math.max(this.active, 0);
      this.setActive(this.active < 0 ? 0 : target);
      if (event.shiftKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        this.anchor = this.anchor < 0 ? from : this.anchor;
        this.extendTo(this.active);
      }
      return;
    }
    const active = this.at(this.active);
    if (event.key === "Enter" && active !== undefined) {
      event.preventDefault();
      this.events.edit(active);
    } else if (event.key === " " && active !== undefined) {
      event.preventDefault();
      this.tick(this.active, event.shiftKey);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      const ids = this.targetIds();
      if (ids.length > 0) {
        event.preventDefault();
        this.events.delete(ids);
      }
    } else if (event.key === "a" && (event.ctrlKey || event.metaKey)) {
      // Everything loaded so far; the rest has not been fetched.
      event.preventDefault();
      this.toggleAll();
    } else if (event.key === "Escape" && this.selected.size > 0) {
      event.preventDefault();
      this.clearSelection();
    }
  }

  private extendTo(index: number): void {
    const [from, to] = this.anchor < index ? [this.anchor, index] : [index, this.anchor];
    for (const item of this.between(from, to)) {
      this.selected.add(item.id);
    }
    this.events.selectionChanged(this.selected.size);
    this.render();
  }
}
