import { describe, expect, it } from "vitest";
import {
  CATCH_UP_PAGE_SIZE,
  JUMP_ROWS,
  ListWindow,
  OVERSCAN,
  PAGE_SIZE,
  visibleRange,
  type Fetch,
} from "./list-window";

const ROW_HEIGHT = 44;
/** A viewport that shows ten rows. */
const HEIGHT = 10 * ROW_HEIGHT;

/** A row that knows where it is in the list, so a row shown at the wrong index shows up. */
interface Row {
  position: number;
}

/**
 * A list of `total` rows behind a viewport, paged the way ExpenseList pages it: each settle
 * asks the window for the next fetch until it needs none, answering like the core does (a
 * cursor page continues after the last row; `next` only on a full page).
 */
class ScrolledList {
  readonly window = new ListWindow<Row, number>();
  readonly fetches: Fetch[] = [];
  private scrollTop = 0;

  constructor(private total: number) {
    this.window.reset(total);
  }

  /** Scrolls so that row `row` is the first in view (clamped like a real scrollbar). */
  scrollTo(row: number): this {
    const max = Math.max(0, this.window.rowCount() * ROW_HEIGHT - HEIGHT);
    this.scrollTop = Math.min(Math.max(0, row * ROW_HEIGHT), max);
    return this;
  }

  /** The End key: the last row in view. */
  scrollToEnd(): this {
    return this.scrollTo(this.window.rowCount());
  }

  view(): { first: number; last: number } {
    return visibleRange(this.scrollTop, HEIGHT, ROW_HEIGHT, this.window.rowCount());
  }

  /** Rows are added or deleted behind the list's back (another device, an import). */
  resize(total: number): void {
    this.total = total;
  }

  /** Fetches until the rows in view are all here; returns the fetches it made. */
  settle(): Fetch[] {
    const made: Fetch[] = [];
    for (let fetch = this.window.nextFetch(this.view()); fetch !== null;) {
      made.push(fetch);
      expect(made.length, "fetches for one settle").toBeLessThan(100);
      const start = fetch.kind === "down" ? (this.window.cursor() ?? 0) : fetch.position;
      const page = rows(start, Math.min(start + fetch.size, this.total));
      const next = page.length === fetch.size ? start + fetch.size : null;
      this.window.take(fetch, page, next);
      fetch = this.window.nextFetch(this.view());
    }
    this.fetches.push(...made);
    return made;
  }

  /** Every row in view is fetched and is the list's row at that index. */
  expectViewLoaded(): void {
    const { first, last } = this.view();
    const shown = [];
    for (let index = first; index <= last; index += 1) {
      shown.push(this.window.at(index)?.position);
    }
    expect(shown).toEqual(Array.from(shown, (_, i) => first + i));
  }

  /** The window is one run of consecutive rows, each at its own index. */
  expectConsistent(): void {
    const start = this.window.start();
    const loaded = this.window.loaded();
    // One expect for the whole window: the first row out of place, or none.
    const misplaced = loaded.findIndex((row, i) => row.position !== start + i);
    expect(misplaced, `window row ${String(misplaced)} is out of place`).toBe(-1);
    expect(this.window.end()).toBe(start + loaded.length);
  }
}

function rows(from: number, to: number): Row[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => ({ position: from + i }));
}

describe("visibleRange", () => {
  it("covers the rows in view and OVERSCAN more each side", () => {
    expect(visibleRange(100 * ROW_HEIGHT, HEIGHT, ROW_HEIGHT, 1000)).toEqual({
      first: 100 - OVERSCAN,
      last: 110 + OVERSCAN,
    });
  });

  it("stops at the first and the last row", () => {
    expect(visibleRange(0, HEIGHT, ROW_HEIGHT, 1000)).toEqual({ first: 0, last: 10 + OVERSCAN });
    expect(visibleRange(995 * ROW_HEIGHT, HEIGHT, ROW_HEIGHT, 1000)).toEqual({
      first: 995 - OVERSCAN,
      last: 999,
    });
  });

  it("counts a row cut by the viewport's edge as in view", () => {
    expect(visibleRange(100 * ROW_HEIGHT + 1, HEIGHT, ROW_HEIGHT, 1000)).toEqual({
      first: 100 - OVERSCAN,
      last: 111 + OVERSCAN,
    });
  });

  it("is empty for an empty list", () => {
    const { first, last } = visibleRange(0, HEIGHT, ROW_HEIGHT, 0);
    expect(last).toBeLessThan(first);
  });
});

describe("ListWindow", () => {
  it("fetches the first page by cursor and nothing more while the top is in view", () => {
    const list = new ScrolledList(10_000);
    expect(list.settle()).toEqual([{ kind: "down", size: PAGE_SIZE }]);
    expect(list.window.start()).toBe(0);
    expect(list.window.loaded()).toHaveLength(PAGE_SIZE);
    expect(list.window.at(PAGE_SIZE - 1)?.position).toBe(PAGE_SIZE - 1);
    expect(list.window.at(PAGE_SIZE)).toBeUndefined();
    expect(list.settle()).toEqual([]);
  });

  it("fetches the next page before the viewport reaches the end of what is loaded", () => {
    const list = new ScrolledList(10_000);
    list.settle();
    // The last row in view is 100 (prefetch distance) short of the 200 loaded: not yet.
    expect(list.scrollTo(PAGE_SIZE - 100 - 10 - OVERSCAN - 1).settle()).toEqual([]);
    expect(list.scrollTo(PAGE_SIZE - 100 - 10 - OVERSCAN).settle()).toEqual([
      { kind: "down", size: PAGE_SIZE },
    ]);
    expect(list.window.loaded()).toHaveLength(2 * PAGE_SIZE);
    list.expectConsistent();
  });

  it("scrolled row by row to the end, holds every row once, in order, and knows it is done", () => {
    const list = new ScrolledList(1234);
    list.settle();
    for (let row = 0; row <= 1234; row += 7) {
      list.scrollTo(row).settle();
      list.expectViewLoaded();
    }
    list.expectConsistent();
    expect(list.window.loaded()).toHaveLength(1234);
    expect(list.window.cursor()).toBeNull();
    expect(list.fetches.every((fetch) => fetch.kind === "down")).toBe(true);
    expect(list.window.nextFetch(list.view())).toBeNull();
  });

  it("jumps to the end of a million rows with one page, not the million before it", () => {
    const list = new ScrolledList(1_000_000);
    list.settle();
    const made = list.scrollToEnd().settle();
    const { first } = list.view();
    // One page where the user landed (it reaches the end), and the prefetch above it.
    expect(made).toEqual([
      { kind: "jump", position: first, size: PAGE_SIZE },
      { kind: "up", position: first - CATCH_UP_PAGE_SIZE, size: CATCH_UP_PAGE_SIZE },
    ]);
    expect(list.window.start()).toBe(first - CATCH_UP_PAGE_SIZE);
    expect(list.window.cursor()).toBeNull();
    expect(list.window.at(0)).toBeUndefined();
    expect(list.window.at(first - CATCH_UP_PAGE_SIZE - 1)).toBeUndefined();
    expect(list.window.at(999_999)?.position).toBe(999_999);
    expect(list.window.rowCount()).toBe(1_000_000);
    list.expectViewLoaded();
  });

  it("jumps into the middle, then extends up by position and down by cursor", () => {
    const list = new ScrolledList(1_000_000);
    list.settle();
    const landed = 500_000 - OVERSCAN;
    // A page where the user landed, then the one above it, by position, as large as the
    // core allows, since the viewport is at the new window's top edge.
    expect(list.scrollTo(500_000).settle()).toEqual([
      { kind: "jump", position: landed, size: PAGE_SIZE },
      { kind: "up", position: landed - CATCH_UP_PAGE_SIZE, size: CATCH_UP_PAGE_SIZE },
    ]);
    expect(list.window.start()).toBe(landed - CATCH_UP_PAGE_SIZE);
    expect(list.window.end()).toBe(landed + PAGE_SIZE);
    list.expectViewLoaded();
    list.expectConsistent();

    // Up to near the top of that: the next page above.
    expect(list.scrollTo(landed - CATCH_UP_PAGE_SIZE + 50).settle()).toEqual([
      { kind: "up", position: landed - 2 * CATCH_UP_PAGE_SIZE, size: CATCH_UP_PAGE_SIZE },
    ]);
    expect(list.window.start()).toBe(landed - 2 * CATCH_UP_PAGE_SIZE);
    list.expectViewLoaded();
    list.expectConsistent();

    // Down past the jump's page: by cursor, continuing the same window.
    expect(list.scrollTo(landed + PAGE_SIZE - 50).settle()).toEqual([
      { kind: "down", size: PAGE_SIZE },
    ]);
    expect(list.window.start()).toBe(landed - 2 * CATCH_UP_PAGE_SIZE);
    expect(list.window.end()).toBe(landed + 2 * PAGE_SIZE);
    list.expectViewLoaded();
    list.expectConsistent();
  });

  it("extends up to the very first row without fetching before it", () => {
    const list = new ScrolledList(100_000);
    list.settle();
    list.scrollTo(JUMP_ROWS + 700).settle();
    expect(list.window.start()).toBeGreaterThan(0);
    for (let row = JUMP_ROWS + 700; row >= 0; row -= 37) {
      list.scrollTo(row).settle();
      list.expectViewLoaded();
    }
    list.scrollTo(0).settle();
    list.expectViewLoaded();
    list.expectConsistent();
    expect(list.window.start()).toBe(0);
    for (const fetch of list.fetches) {
      if (fetch.kind !== "down") {
        expect(fetch.position).toBeGreaterThanOrEqual(0);
      }
    }
    // The last page up was cut to what was left above the window.
    const ups = list.fetches.filter((fetch) => fetch.kind === "up");
    expect(ups.at(-1)).toMatchObject({ position: 0 });
  });

  it("catches up by cursor after a short jump instead of starting a new window", () => {
    const list = new ScrolledList(100_000);
    list.settle();
    // Less than JUMP_ROWS past what is loaded: keep one window, in large pages.
    const made = list.scrollTo(1500).settle();
    expect(made.every((fetch) => fetch.kind === "down")).toBe(true);
    expect(made[0]).toEqual({ kind: "down", size: CATCH_UP_PAGE_SIZE });
    expect(list.window.start()).toBe(0);
    list.expectViewLoaded();
    list.expectConsistent();
  });

  it("starts a new window when the viewport lands far above the window (Home after End)", () => {
    const list = new ScrolledList(1_000_000);
    list.settle();
    list.scrollToEnd().settle();
    expect(list.scrollTo(0).settle()).toEqual([{ kind: "jump", position: 0, size: PAGE_SIZE }]);
    expect(list.window.start()).toBe(0);
    expect(list.window.at(999_999)).toBeUndefined();
    list.expectViewLoaded();
    list.expectConsistent();
  });

  it("wanders a long list at random and always shows the right rows", () => {
    // Park and Miller's generator (exact in doubles): the same walk on every run.
    let seed = 13;
    const random = (below: number): number => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % below;
    };
    const list = new ScrolledList(50_000);
    list.settle();
    let row = 0;
    for (let step = 0; step < 300; step += 1) {
      const move = random(4);
      if (move === 0) {
        row = random(50_000);
      } else {
        row = Math.max(0, row + random(600) - 300);
      }
      list.scrollTo(row).settle();
      list.expectViewLoaded();
      list.expectConsistent();
    }
  });

  describe("after a reset (a new filter)", () => {
    it("keeps showing the old rows until the first new page replaces them", () => {
      const list = new ScrolledList(1000);
      list.settle();
      const old = list.window.at(3);
      list.window.reset(500);
      expect(list.window.at(3)).toBe(old);
      expect(list.window.loaded()).toEqual([]);
      expect(list.window.start()).toBe(0);
      expect(list.window.end()).toBe(0);
      expect(list.window.rowCount()).toBe(500);
      expect(list.window.cursor()).toBeNull();
      expect(list.window.nextFetch(list.view())).toEqual({ kind: "down", size: PAGE_SIZE });
      list.window.take({ kind: "down", size: PAGE_SIZE }, rows(0, PAGE_SIZE), PAGE_SIZE);
      expect(list.window.at(3)).not.toBe(old);
      list.expectConsistent();
    });

    it("fetches where the user is when the scroll position is kept far down", () => {
      const list = new ScrolledList(100_000);
      list.settle();
      list.scrollTo(50_000).settle();
      list.window.reset(100_000);
      expect(list.window.nextFetch(list.view())).toEqual({
        kind: "jump",
        position: 50_000 - OVERSCAN,
        size: PAGE_SIZE,
      });
      // A page from above that arrives for the new filter replaces the old rows too.
      list.window.take({ kind: "up", position: 100, size: 300 }, rows(100, 400), 400);
      expect(list.window.start()).toBe(100);
      list.expectConsistent();
    });

    it("drops every old row when the first new page is short", () => {
      const list = new ScrolledList(1000);
      list.settle();
      list.window.reset(3);
      list.window.take({ kind: "down", size: PAGE_SIZE }, rows(0, 3), null);
      expect(list.window.loaded()).toHaveLength(3);
      expect(list.window.at(3)).toBeUndefined();
      expect(list.window.rowCount()).toBe(3);
    });
  });

  it("lets the last page settle the count, and ignores a count that arrives after it", () => {
    const list = new ScrolledList(1000);
    // The count said 1000, but rows were deleted meanwhile: only 950 come.
    list.resize(950);
    list.settle();
    list.scrollToEnd().settle();
    list.scrollToEnd().settle();
    expect(list.window.cursor()).toBeNull();
    expect(list.window.rowCount()).toBe(950);
    expect(list.window.setTotal(1000)).toBe(false);
    expect(list.window.rowCount()).toBe(950);
  });

  it("takes a new count while the list is not fetched to its end", () => {
    const window = new ListWindow<Row, number>();
    window.reset(0);
    expect(window.setTotal(5000)).toBe(true);
    expect(window.rowCount()).toBe(5000);
  });

  it("grows the scrollbar when more rows arrive than the count said", () => {
    const window = new ListWindow<Row, number>();
    window.reset(100);
    window.take({ kind: "down", size: PAGE_SIZE }, rows(0, PAGE_SIZE), PAGE_SIZE);
    expect(window.rowCount()).toBe(PAGE_SIZE);
  });

  it("starts a new window where a short page from above begins (the list shrank)", () => {
    const list = new ScrolledList(100_000);
    list.settle();
    list.scrollTo(50_000).settle();
    const start = list.window.start();
    // Asked for 500 rows above the window; only 120 were left there.
    list.window.take(
      { kind: "up", position: start - CATCH_UP_PAGE_SIZE, size: CATCH_UP_PAGE_SIZE },
      rows(start - CATCH_UP_PAGE_SIZE, start - CATCH_UP_PAGE_SIZE + 120),
      null,
    );
    expect(list.window.start()).toBe(start - CATCH_UP_PAGE_SIZE);
    expect(list.window.loaded()).toHaveLength(120);
    expect(list.window.cursor()).toBeNull();
    expect(list.window.rowCount()).toBe(start - CATCH_UP_PAGE_SIZE + 120);
  });

  it("takes deleted rows out of the window and the count", () => {
    const list = new ScrolledList(1000);
    list.settle();
    list.window.remove((row) => row.position === 5 || row.position === 6);
    expect(list.window.loaded()).toHaveLength(PAGE_SIZE - 2);
    expect(list.window.at(5)?.position).toBe(7);
    expect(list.window.rowCount()).toBe(998);
  });

  it("reports an empty list only once it is fetched to its end", () => {
    const list = new ScrolledList(0);
    expect(list.window.isEmpty()).toBe(false);
    expect(list.settle()).toEqual([{ kind: "down", size: PAGE_SIZE }]);
    expect(list.window.isEmpty()).toBe(true);
    expect(list.settle()).toEqual([]);
  });

  it("after a failed fetch holds nothing and asks for nothing", () => {
    const list = new ScrolledList(1000);
    list.settle();
    list.window.clear();
    expect(list.window.loaded()).toEqual([]);
    expect(list.window.at(0)).toBeUndefined();
    expect(list.window.rowCount()).toBe(0);
    expect(list.window.isEmpty()).toBe(true);
    expect(list.window.nextFetch(list.view())).toBeNull();
  });

  it("gives the fetched rows between two indexes, inclusive, clipped to the window", () => {
    const list = new ScrolledList(100_000);
    list.settle();
    list.scrollTo(10_000).settle();
    const start = list.window.start();
    expect(list.window.between(start + 2, start + 4).map((row) => row.position)).toEqual([
      start + 2,
      start + 3,
      start + 4,
    ]);
    expect(list.window.between(start - 5, start + 1).map((row) => row.position)).toEqual([
      start,
      start + 1,
    ]);
    expect(list.window.between(0, start - 1)).toEqual([]);
    expect(list.window.between(list.window.end(), list.window.end() + 10)).toEqual([]);
  });
});
