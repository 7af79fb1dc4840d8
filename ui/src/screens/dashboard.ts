// The dashboard: this month's spend against the overall budget, every budget's progress,
// the last twelve months, this month by category, recent expenses, and the alerts list.
import type { Chart } from "chart.js";
import { dashboard, firstScreenAnswer, type Dashboard, type Expense } from "../api";
import { categoryById, categoryName, loadCategories, useCategories } from "../categories";
import { alertList } from "../components/alert-list";
import { budgetBar, budgetTitle } from "../components/budget-bar";
import { h, replaceChildren } from "../dom";
import { formatDate, formatMoney, formatMonthName } from "../format";
import { onThemeChange } from "../theme";
import { PLACEHOLDER_AFTER_MS, type AppContext, type Screen } from "./screen";
import { loadChartCode, type ChartCode } from "../components/chart-code";

function card(title: string, attrs: Record<string, string>, ...body: Node[]): HTMLElement {
  const id = `${attrs["id"] ?? title.toLowerCase().replace(/\W+/g, "-")}-title`;
  return h(
    "section",
    { class: "card", "aria-labelledby": id, ...attrs },
    h("h2", { id }, title),
    ...body,
  );
}

function emptyNote(...content: (Node | string)[]): HTMLElement {
  return h("p", { class: "empty-note" }, ...content);
}

function pressN(): HTMLElement {
  return emptyNote("Add your first expense — press ", h("kbd", {}, "N"), ".");
}

/** The numbers and categories the shell handed over at start, if it did (both are needed). */
function dashboardAtHand(): Dashboard | undefined {
  const numbers = firstScreenAnswer("dashboard");
  const list = firstScreenAnswer("list_categories");
  if (numbers === undefined || list === undefined) {
    return undefined;
  }
  useCategories(list);
  return numbers;
}

export function dashboardScreen(context: AppContext): Screen {
  const charts: Chart[] = [];
  let data: Dashboard | null = null;
  let stopThemeWatch: (() => void) | null = null;
  let parts: {
    title: HTMLElement;
    spent: HTMLElement;
    comparison: HTMLElement;
    overall: HTMLElement;
    budgets: HTMLElement;
    trendCanvas: HTMLCanvasElement;
    trendNote: HTMLElement;
    categoryCanvas: HTMLCanvasElement;
    categoryNote: HTMLElement;
    recent: HTMLElement;
  } | null = null;

  // Bumped by every request to draw, so only the newest one draws: the data, the theme or
  // the screen itself may change while the chart code loads.
  let drawRequest = 0;

  function drawCharts(code: ChartCode): void {
    for (const chart of charts.splice(0)) {
      chart.destroy();
    }
    if (parts === null || data === null) {
      return;
    }
    charts.push(code.trendChart(parts.trendCanvas, data.trend));
    charts.push(code.categoryChart(parts.categoryCanvas, data.byCategory));
  }

  /** Draws the charts after the next frame, so the numbers are on screen first. */
  function drawChartsSoon(): void {
    const mine = ++drawRequest;
    requestAnimationFrame(() => {
      setTimeout(() => {
        loadChartCode().then(
          (code) => {
            if (mine === drawRequest) {
              drawCharts(code);
            }
          },
          (error: unknown) => {
            context.showBanner(error);
          },
        );
      }, 0);
    });
  }

  function recentItem(expense: Expense): HTMLElement {
    const button = h(
      "button",
      { type: "button", class: "recent-item", "data-id": expense.id },
      h("span", { class: "swatch", "aria-hidden": "true" }),
      h(
        "span",
        { class: "recent-item__main" },
        h("span", { class: "expense-description" }, expense.description || "No description"),
        h(
          "span",
          { class: "recent-item__meta" },
          `${categoryName(expense.categoryId)} · ${formatDate(expense.date)}`,
        ),
      ),
      h("span", { class: "expense-amount" }, formatMoney(expense.amount)),
    );
    const swatch = button.querySelector<HTMLElement>(".swatch");
    if (swatch !== null) {
      swatch.style.backgroundColor = categoryById(expense.categoryId)?.colour ?? "transparent";
    }
    button.addEventListener("click", () => {
      void context.editExpense(expense);
    });
    return h("li", {}, button);
  }

  function show(next: Dashboard): void {
    data = next;
    if (parts === null) {
      return;
    }
    parts.title.textContent = formatMonthName(next.period.start);
    parts.trendNote.hidden = next.trend.some((month) => month.spent.minor !== 0);
    parts.categoryNote.hidden = next.byCategory.length > 0;
    parts.spent.textContent = formatMoney(next.spent);
    const previous = next.trend.at(-2);
    parts.comparison.textContent =
      previous === undefined
        ? ""
        : `${formatMonthName(`${previous.month}-01`)}: ${formatMoney(previous.spent)}`;

    const overall =
      next.budgets.find((b) => b.budget.categoryId === null && b.budget.period === "monthly") ??
      next.budgets.find((b) => b.budget.categoryId === null);
    if (overall === undefined) {
      const set = h("button", { type: "button", class: "link" }, "Set a monthly budget");
      set.addEventListener("click", () => {
        context.navigate("budgets");
      });
      replaceChildren(
        parts.overall,
        emptyNote("No overall budget. ", set, " to see how you are doing."),
      );
    } else {
      replaceChildren(parts.overall, budgetBar(overall, budgetTitle(overall)));
    }

    if (next.budgets.length === 0) {
      const go = h("button", { type: "button", class: "link" }, "Create a budget");
      go.addEventListener("click", () => {
        context.navigate("budgets");
      });
      replaceChildren(
        parts.budgets,
        emptyNote("No budgets yet. ", go, " for a category or overall."),
      );
    } else {
      replaceChildren(
        parts.budgets,
        h(
          "ul",
          { class: "budget-list" },
          ...next.budgets.map((progress) =>
            h(
              "li",
              { class: "budget-progress", "data-budget-id": progress.budget.id },
              h("span", { class: "budget-progress__title" }, budgetTitle(progress)),
              budgetBar(progress, budgetTitle(progress)),
            ),
          ),
        ),
      );
    }

    if (next.recent.length === 0) {
      replaceChildren(parts.recent, pressN());
    } else {
      replaceChildren(
        parts.recent,
        h("ul", { class: "recent-list" }, ...next.recent.map(recentItem)),
      );
    }
    drawChartsSoon();
  }

  let alerts: ReturnType<typeof alertList> | null = null;

  // A function, so the check is made when called (after an await), not narrowed away.
  function unmounted(): boolean {
    return parts === null;
  }

  async function fetchData(): Promise<Dashboard> {
    const [next] = await Promise.all([dashboard(), loadCategories()]);
    return next;
  }

  /** Fetches the numbers, adds the cards (`appendCards`) and shows the numbers in them. */
  async function showWhenLoaded(appendCards: () => void): Promise<void> {
    const loading = fetchData();
    // Numbers that come quickly are shown with the cards in one frame: a frame of empty
    // cards painted first would hold them up (the page's thread is busy painting it when
    // they arrive). Numbers that take longer get the empty cards first.
    const quick = await Promise.race([
      loading.catch(() => null),
      new Promise<null>((resolve) => setTimeout(resolve, PLACEHOLDER_AFTER_MS, null)),
    ]);
    if (unmounted()) {
      // Left for another screen meanwhile: that one owns `root` now.
      return;
    }
    appendCards();
    show(quick ?? (await loading));
  }

  async function load(): Promise<void> {
    const [next] = await Promise.all([fetchData(), alerts?.reload()]);
    show(next);
  }

  return {
    mount(root) {
      const ready = dashboardAtHand();
      const title = h("h1", {}, "This month");
      const alertCentre = alertList();
      alerts = alertCentre;
      // The alert list fills itself in its own card; nothing waits on it.
      void alertCentre.reload();
      const spent = h("p", { id: "dashboard-spent", class: "big-number" }, "…");
      const overall = h("div", { class: "overall" });
      const comparison = h("p", { class: "comparison" });
      const budgets = h("div", { id: "dashboard-budgets" });
      const trendCanvas = h("canvas", {
        id: "trend-chart",
        role: "img",
        "aria-label": "Spending per month over the last twelve months",
      });
      const trendNote = h(
        "p",
        { class: "chart-note", hidden: true },
        "Nothing spent in the last year yet.",
      );
      const categoryCanvas = h("canvas", {
        id: "category-chart",
        role: "img",
        "aria-label": "This month's spending by category",
      });
      const categoryNote = h(
        "p",
        { class: "chart-note", hidden: true },
        "No spending this month yet.",
      );
      const recent = h("div", { id: "recent-expenses" });
      const newExpense = h(
        "button",
        { type: "button", class: "primary", "aria-keyshortcuts": "N" },
        "New expense",
        h("kbd", { "aria-hidden": "true" }, "N"),
      );
      newExpense.addEventListener("click", () => {
        void context.editExpense();
      });
      parts = {
        title,
        spent,
        comparison,
        overall,
        budgets,
        trendCanvas,
        trendNote,
        categoryCanvas,
        categoryNote,
        recent,
      };
      const appendCards = (): void => {
        root.append(
          h("div", { class: "screen-head" }, title, newExpense),
          h(
            "div",
            { class: "dashboard" },
            card(
              "Spent this month",
              { class: "card card--summary", id: "summary" },
              spent,
              overall,
              comparison,
            ),
            card("Alerts", { id: "alerts", class: "card card--alerts" }, alertCentre.element),
            card("Budgets", { id: "budgets-card", class: "card card--budgets" }, budgets),
            card(
              "Last 12 months",
              { id: "trend", class: "card card--trend" },
              h("div", { class: "chart-box" }, trendCanvas, trendNote),
            ),
            card(
              "By category",
              { id: "by-category", class: "card card--categories" },
              h("div", { class: "chart-box" }, categoryCanvas, categoryNote),
            ),
            card("Recent expenses", { id: "recent", class: "card card--recent" }, recent),
          ),
        );
        stopThemeWatch = onThemeChange(drawChartsSoon);
      };
      // Handed over at start: the screen is built and shown before the page's script
      // returns, so its numbers are in the page's first frame.
      if (ready !== undefined) {
        appendCards();
        show(ready);
        return undefined;
      }
      return showWhenLoaded(appendCards);
    },
    refresh: load,
    unmount() {
      stopThemeWatch?.();
      drawRequest += 1;
      for (const chart of charts.splice(0)) {
        chart.destroy();
      }
      parts = null;
      data = null;
      alerts = null;
    },
  };
}
