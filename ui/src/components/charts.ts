// The dashboard's and the reports screen's charts, on Chart.js with only the pieces they use
// registered (tree-shaken).
// Colours come from the theme's custom properties, so charts repaint on a theme change.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";
import type { CategorySpend, Money, MonthSpend } from "../api";
import { exponentOf, formatMoney, formatMonthShort, LOCALE } from "../format";
import { themeColour } from "../theme";

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
);

function applyThemeDefaults(): void {
  Chart.defaults.color = themeColour("--text-muted");
  Chart.defaults.borderColor = themeColour("--border");
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.locale = LOCALE;
}

// Charts plot numbers; labels and tooltips go back to exact money text.
function major(money: Money): number {
  return money.minor / 10 ** exponentOf(money.currency);
}

/** Axis labels such as "$1.2K": short enough for a chart's scale. */
function compactMoney(currency: string): Intl.NumberFormat {
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency, notation: "compact" });
}

/** Spend per month for the last twelve months, as bars. */
export function trendChart(canvas: HTMLCanvasElement, trend: readonly MonthSpend[]): Chart {
  applyThemeDefaults();
  const compact = compactMoney(trend[0]?.spent.currency ?? "USD");
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: trend.map((month) => formatMonthShort(month.month)),
      datasets: [
        {
          label: "Spent",
          data: trend.map((month) => major(month.spent)),
          backgroundColor: themeColour("--accent"),
          borderRadius: 4,
        },
      ],
    },
    options: {
      // The canvas fills a box of fixed height in CSS, so nothing moves when data arrives.
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const month = trend[item.dataIndex];
              return month === undefined ? "" : formatMoney(month.spent);
            },
          },
        },
      },
      scales: {
        y: {
          beginAtZero: true,
          ticks: {
            maxTicksLimit: 6,
            callback: (value) => compact.format(Number(value)),
          },
        },
        x: { grid: { display: false } },
      },
    },
  });
}

/** This month's spend per top-level category, as a doughnut in the categories' colours. */
export function categoryChart(canvas: HTMLCanvasElement, spends: readonly CategorySpend[]): Chart {
  applyThemeDefaults();
  return new Chart(canvas, {
    type: "doughnut",
    data: {
      labels: spends.map((spend) => spend.name),
      datasets: [
        {
          data: spends.map((spend) => major(spend.spent)),
          backgroundColor: spends.map((spend) => spend.colour),
          borderColor: themeColour("--surface"),
          borderWidth: 2,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      cutout: "60%",
      plugins: {
        legend: { position: "right", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const spend = spends[item.dataIndex];
              return spend === undefined ? "" : `${spend.name}: ${formatMoney(spend.spent)}`;
            },
          },
        },
      },
    },
  });
}

/** One stack of the reports chart: a top-level category with its sub-categories' spend. */
export interface SpendSeries {
  name: string;
  colour: string;
  months: readonly Money[];
}

/** Spend per month stacked by top-level category (the reports screen). */
export function stackedMonthsChart(
  canvas: HTMLCanvasElement,
  months: readonly string[],
  series: readonly SpendSeries[],
  currency: string,
): Chart {
  applyThemeDefaults();
  const compact = compactMoney(currency);
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: months.map(formatMonthShort),
      datasets: series.map((one) => ({
        label: one.name,
        data: one.months.map(major),
        backgroundColor: one.colour,
        borderColor: themeColour("--surface"),
        borderWidth: 1,
      })),
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const money = series[item.datasetIndex]?.months[item.dataIndex];
              const name = series[item.datasetIndex]?.name ?? "";
              return money === undefined ? "" : `${name}: ${formatMoney(money)}`;
            },
          },
        },
      },
      scales: {
        x: { stacked: true, grid: { display: false } },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: {
            maxTicksLimit: 6,
            callback: (value) => compact.format(Number(value)),
          },
        },
      },
    },
  });
}
