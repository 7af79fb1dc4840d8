/**
 * The chart code, loaded on first use as a chunk of its own: Chart.js is most of the page's
 * script, and parsing it, then drawing two charts (~200 ms at start on a slow machine), held
 * the first frame with the dashboard's numbers up. Screens paint their numbers first; the
 * charts follow.
 */
export type ChartCode = typeof import("./charts");

let chartCode: Promise<ChartCode> | null = null;

export function loadChartCode(): Promise<ChartCode> {
  chartCode ??= import("./charts");
  return chartCode;
}
