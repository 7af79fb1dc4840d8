// Reports: a year's spend by category and month, as a stacked bar chart of the top-level
// categories and a table of every category (sub-categories under their parents) with month
// and row totals. The table carries the figures; the chart is the picture of them.
import type { Chart } from "chart.js";
import { spendingReport, type Money, type ReportRow, type SpendingReport } from "../api";
import { categoryById, loadCategories } from "../categories";
import { loadChartCode, type ChartCode } from "../components/chart-code";
import type { SpendSeries } from "../components/charts";
import { h, replaceChildren } from "../dom";
import { formatMoney, formatMonthName, formatMonthShort } from "../format";
import { onThemeChange } from "../theme";
import type { AppContext, Screen } from "./screen";

/** A top-level category with its own spend and its sub-categories' rows. */
interface Group {
  id: string;
  name: string;
  colour: string;
  own: ReportRow | null;
  children: ReportRow[];
  months: Money[];
  total: Money;
}

function add(a: Money, b: Money): Money {
  return { minor: a.minor + b.minor, currency: a.currency };
}

/** Rows grouped under their top-level category, in the core's order (parents first). */
function groups(report: SpendingReport): Group[] {
  const zero: Money = { minor: 0, currency: report.currency };
  const byId = new Map<string, Group>();
  for (const row of report.rows) {
    const topId = row.parentId ?? row.categoryId;
    let group = byId.get(topId);
    if (group === undefined) {
      const top = categoryById(topId);
      group = {
        id: topId,
        name: row.parentId === null ? row.name : (top?.name ?? "Unknown category"),
        colour: top?.colour ?? "#888888",
        own: null,
        children: [],
        months: report.months.map(() => zero),
        total: zero,
      };
      byId.set(topId, group);
    }
    if (row.parentId === null) {
      group.own = row;
    } else {
      group.children.push(row);
    }
    group.months = group.months.map((month, i) => add(month, row.months[i] ?? zero));
    group.total = add(group.total, row.total);
  }
  return [...byId.values()];
}

/** A money cell: a dash for nothing (read out as the amount), the amount otherwise. */
function moneyCell(money: Money): HTMLTableCellElement {
  if (money.minor === 0) {
    return h(
      "td",
      { class: "money money--zero" },
      h("span", { "aria-hidden": "true" }, "–"),
      h("span", { class: "visually-hidden" }, formatMoney(money)),
    );
  }
  return h("td", { class: "money" }, formatMoney(money));
}

function categoryRow(
  name: string,
  months: readonly Money[],
  total: Money,
  kind: "parent" | "child",
  parentName?: string,
): HTMLTableRowElement {
  return h(
    "tr",
    { class: `report-row report-row--${kind}` },
    h(
      "th",
      { scope: "row" },
      name,
      // The indent shows the tree to the eye; the words say it to a screen reader.
      parentName === undefined
        ? null
        : h("span", { class: "visually-hidden" }, `, in ${parentName}`),
    ),
    ...months.map(moneyCell),
    h("td", { class: "money money--total" }, formatMoney(total)),
  );
}

function reportTable(report: SpendingReport, year: number): HTMLElement {
  const body = h("tbody");
  for (const group of groups(report)) {
    body.append(categoryRow(group.name, group.months, group.total, "parent"));
    if (group.children.length === 0) {
      continue;
    }
    if (group.own !== null) {
      body.append(
        categoryRow(
          `${group.name}, no sub-category`,
          group.own.months,
          group.own.total,
          "child",
          group.name,
        ),
      );
    }
    for (const child of group.children) {
      body.append(categoryRow(child.name, child.months, child.total, "child", group.name));
    }
  }
  const captionId = "report-caption";
  return h(
    "div",
    // A scrolling region the keyboard can reach, named by the table's caption.
    { class: "report-table-box", role: "region", tabindex: "0", "aria-labelledby": captionId },
    h(
      "table",
      { class: "report-table", id: "report-table" },
      h("caption", { id: captionId }, `Spending by category and month, ${String(year)}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Category"),
          ...report.months.map((month) =>
            h(
              "th",
              { scope: "col", class: "money" },
              h("abbr", { title: formatMonthName(`${month}-01`) }, formatMonthShort(month)),
            ),
          ),
          h("th", { scope: "col", class: "money" }, "Total"),
        ),
      ),
      body,
      h(
        "tfoot",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "row" }, "Total"),
          ...report.monthTotals.map(moneyCell),
          h("td", { class: "money money--total", id: "report-total" }, formatMoney(report.total)),
        ),
      ),
    ),
  );
}

export function reportsScreen(context: AppContext): Screen {
  let year = new Date().getFullYear();
  let report: SpendingReport | null = null;
  let chart: Chart | null = null;
  let code: ChartCode | null = null;
  let stopThemeWatch: (() => void) | null = null;
  // Bumped per load, so an answer for a year the user already left is dropped.
  let asked = 0;
  let parts: {
    yearLabel: HTMLElement;
    canvas: HTMLCanvasElement;
    chartNote: HTMLElement;
    table: HTMLElement;
    total: HTMLElement;
  } | null = null;

  function drawChart(): void {
    chart?.destroy();
    chart = null;
    if (parts === null || report === null || code === null) {
      return;
    }
    const series: SpendSeries[] = groups(report).map((group) => ({
      name: group.name,
      colour: group.colour,
      months: group.months,
    }));
    chart = code.stackedMonthsChart(parts.canvas, report.months, series, report.currency);
    parts.chartNote.hidden = report.total.minor !== 0;
  }

  function show(next: SpendingReport): void {
    report = next;
    if (parts === null) {
      return;
    }
    parts.yearLabel.textContent = String(year);
    parts.total.textContent = `Spent in ${String(year)}: ${formatMoney(next.total)}`;
    if (next.rows.length === 0) {
      replaceChildren(
        parts.table,
        h("p", { class: "empty-note", id: "report-empty" }, `Nothing spent in ${String(year)}.`),
      );
    } else {
      replaceChildren(parts.table, reportTable(next, year));
    }
    drawChart();
  }

  async function load(): Promise<void> {
    const mine = ++asked;
    const [next, , loaded] = await Promise.all([
      spendingReport(`${String(year)}-01-01`, 12),
      loadCategories(),
      loadChartCode(),
    ]);
    code = loaded;
    if (mine === asked) {
      show(next);
    }
  }

  function goTo(next: number): void {
    year = next;
    if (parts !== null) {
      parts.yearLabel.textContent = String(year);
    }
    load().catch((error: unknown) => {
      context.showBanner(error);
    });
  }

  return {
    async mount(root) {
      const loading = load();
      const yearLabel = h("span", { id: "report-year", class: "year-picker__year" }, String(year));
      const previous = h(
        "button",
        { type: "button", id: "report-previous-year", "aria-label": "Previous year" },
        "‹",
      );
      const next = h(
        "button",
        { type: "button", id: "report-next-year", "aria-label": "Next year" },
        "›",
      );
      previous.addEventListener("click", () => {
        goTo(year - 1);
      });
      next.addEventListener("click", () => {
        goTo(year + 1);
      });
      const canvas = h("canvas", {
        id: "report-chart",
        role: "img",
        "aria-label": "Spending per month, stacked by category; the table below has the figures",
      });
      const chartNote = h("p", { class: "chart-note", hidden: true }, "Nothing spent this year.");
      const table = h("div", { id: "report-table-slot" });
      const total = h("p", { id: "report-summary", class: "comparison", "aria-live": "polite" });
      parts = { yearLabel, canvas, chartNote, table, total };
      root.append(
        h(
          "div",
          { class: "screen-head" },
          h("h1", {}, "Reports"),
          h(
            "div",
            { class: "year-picker", role: "group", "aria-label": "Year" },
            previous,
            // Announced when it changes, so the buttons need no other feedback.
            h("span", { "aria-live": "polite" }, yearLabel),
            next,
          ),
        ),
        h(
          "div",
          { class: "reports" },
          h(
            "section",
            { class: "card", "aria-labelledby": "report-chart-title" },
            h("h2", { id: "report-chart-title" }, "Spending by month"),
            total,
            h("div", { class: "chart-box chart-box--tall" }, canvas, chartNote),
          ),
          h(
            "section",
            { class: "card", "aria-labelledby": "report-table-title" },
            h("h2", { id: "report-table-title" }, "By category"),
            table,
          ),
        ),
      );
      stopThemeWatch = onThemeChange(drawChart);
      // `parts` is set before any answer can arrive, so `load` shows it itself.
      await loading;
    },
    refresh: load,
    unmount() {
      stopThemeWatch?.();
      chart?.destroy();
      chart = null;
      parts = null;
      report = null;
    },
  };
}
