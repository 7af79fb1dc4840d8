// The paging of the expense list, without the DOM: which rows have been fetched (one window
// of consecutive rows), which page the rows in view need next, and how an arriving page
// changes the window. ExpenseList owns the scrolling, the drawing and the fetching; this
// decides what to fetch, so it can be tested without a webview.
//
// The window grows down by cursor (the core's keyset pages) and up by position; rows in view
// far from it start a new window where the user landed (one page by position), so reaching
// the end of a million rows fetches one page, not the million before it.

/** A page of the list's usual size. */
export const PAGE_SIZE = 200;
/** The core's largest page: used to catch up after a short jump past what is loaded. */
export const CATCH_UP_PAGE_SIZE = 500;
/** Rows in view this far from the window start a new window there instead of extending it. */
export const JUMP_ROWS = 2000;
/** Rows rendered above and below the viewport so fast scrolling shows no gaps. */
export const OVERSCAN = 8;
/** Fetch the next page once the viewport is this close to the end of what is loaded. */
export const PREFETCH_ROWS = 100;

/** A page the list asks for: the next after the window, the one before it, or a new window. */
export type Fetch =
  | { kind: "down"; size: number }
  | { kind: "up"; position: number; size: number }
  | { kind: "jump"; position: number; size: number };

/** Rows `first` to `last` (inclusive) of the list; empty when `last < first`. */
export interface RowRange {
  first: number;
  last: number;
}

/**
 * The rows to render for a viewport scrolled to `scrollTop` and `height` px high over a list
 * of `rows` rows of `rowHeight` px: the rows in view and OVERSCAN more on either side.
 */
export function visibleRange(
  scrollTop: number,
  height: number,
  rowHeight: number,
  rows: number,
): RowRange {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows - 1, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  return { first, last };
}

/**
 * One run of consecutive fetched rows of a list of `rowCount()` rows: rows `offset` to
 * `offset + rows.length - 1`. `Cursor` continues the list after the window's last row.
 */
export class ListWindow<Row, Cursor> {
  private rows: Row[] = [];
  private offset = 0;
  /** The rows belong to the previous filter; the next page replaces them. */
  private stale = false;
  private total = 0;
  /** Continues the list after the window's last row. */
  private next: Cursor | null = null;
  /** The window reaches the end of the list. */
  private complete = false;

  /**
   * Starts over (a new filter) expecting `total` rows. The old rows stay readable through
   * `at` until the first page replaces them: no blank flash while the answer is on its way.
   */
  reset(total: number): void {
    this.stale = true;
    this.next = null;
    this.complete = false;
    this.total = total;
  }

  /** The filter's count arrived; ignored (false) once the last page has settled it. */
  setTotal(total: number): boolean {
    if (this.complete) {
      return false;
    }
    this.total = total;
    return true;
  }

  /** Forgets every row and expects no more: a fetch failed. */
  clear(): void {
    this.rows = [];
    this.offset = 0;
    this.stale = false;
    this.complete = true;
    this.total = 0;
  }

  /** Where the next page after the window starts. */
  cursor(): Cursor | null {
    return this.next;
  }

  /** The list is fetched to its end and has no rows. */
  isEmpty(): boolean {
    return this.complete && this.end() === 0;
  }

  /** The list's row number of the window's first fetched row (0 while stale). */
  start(): number {
    return this.stale ? 0 : this.offset;
  }

  /** The row at `index` of the list, if fetched (or, while stale, the old one). */
  at(index: number): Row | undefined {
    return index < this.offset ? undefined : this.rows[index - this.offset];
  }

  /** The fetched rows from `from` to `to` (inclusive) that are in the window. */
  between(from: number, to: number): Row[] {
    const start = Math.max(0, from - this.offset);
    return start > to - this.offset ? [] : this.rows.slice(start, to - this.offset + 1);
  }

  /** The fetched rows of the current filter. */
  loaded(): Row[] {
    return this.stale ? [] : this.rows;
  }

  /** One past the window's last row. */
  end(): number {
    return this.stale ? 0 : this.offset + this.rows.length;
  }

  /** Rows the scrollbar spans: the count, or more if more have arrived since. */
  rowCount(): number {
    return Math.max(this.total, this.end());
  }

  /** Takes the rows `gone` picks out of the window (deleted), and out of the count. */
  remove(gone: (row: Row) => boolean): void {
    const before = this.rows.length;
    this.rows = this.rows.filter((row) => !gone(row));
    this.total = Math.max(0, this.total - (before - this.rows.length));
  }

  /** The page the rows in `view` need next, or null when they are all here. */
  nextFetch(view: RowRange): Fetch | null {
    const { first, last } = view;
    const windowEmpty = this.stale || (this.rows.length === 0 && !this.complete);
    if (windowEmpty) {
      // Near the top, start at the top: the first page is the one almost every list shows.
      return first < JUMP_ROWS
        ? { kind: "down", size: PAGE_SIZE }
        : { kind: "jump", position: first, size: PAGE_SIZE };
    }
    const end = this.end();
    if (!this.complete && last + PREFETCH_ROWS >= end) {
      if (first > end + JUMP_ROWS) {
        return { kind: "jump", position: first, size: PAGE_SIZE };
      }
      const size = last - end > CATCH_UP_PAGE_SIZE ? CATCH_UP_PAGE_SIZE : PAGE_SIZE;
      return { kind: "down", size };
    }
    if (this.offset > 0 && first - PREFETCH_ROWS < this.offset) {
      if (last < this.offset - JUMP_ROWS) {
        return { kind: "jump", position: first, size: PAGE_SIZE };
      }
      const size = Math.min(this.offset, CATCH_UP_PAGE_SIZE);
      return { kind: "up", position: this.offset - size, size };
    }
    return null;
  }

  /** Puts the page fetched for `fetch` into the window; `next` continues after it. */
  take(fetch: Fetch, page: readonly Row[], next: Cursor | null): void {
    if (fetch.kind === "up" && page.length === fetch.size && !this.stale) {
      this.rows = [...page, ...this.rows];
      this.offset = fetch.position;
      return;
    }
    if (this.stale || fetch.kind !== "down") {
      // A new window: the old rows go (a list scrolled end to end keeps one page, not all).
      // A short page from above means the list shrank meanwhile and now ends inside it.
      this.rows = [];
      this.offset = fetch.kind === "down" ? 0 : fetch.position;
      this.stale = false;
    }
    this.rows.push(...page);
    this.next = next;
    this.complete = next === null;
    if (this.complete) {
      // The count came from a separate query; the last page settles it.
      this.total = this.end();
    }
  }
}
