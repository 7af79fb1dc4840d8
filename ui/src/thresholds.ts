// Budget alert thresholds, without the DOM: reading the percentages the user types, and the
// state a budget's progress is in against them (what colour its bar takes).

/** The core keeps thresholds as u32: anything larger would fail as malformed arguments. */
const MAX_THRESHOLD = 4_294_967_295;

/**
 * "80, 100" or "80 % 100" → [80, 100]; null when empty (the core's default); undefined when
 * a part is not a whole percentage the core can take.
 */
export function parseThresholds(text: string): number[] | null | undefined {
  const parts = text.split(/[\s,%]+/).filter((part) => part !== "");
  if (parts.length === 0) {
    return null;
  }
  // Digits only: Number() alone would read "1e2" as 100 and "0x10" as 16.
  if (!parts.every((part) => /^[0-9]+$/.test(part))) {
    return undefined;
  }
  const numbers = parts.map(Number);
  return numbers.some((n) => n > MAX_THRESHOLD) ? undefined : numbers;
}

export type BudgetState = "ok" | "warning" | "over";

/**
 * A budget `percent` spent with alerts at `thresholds`: ok below the first threshold,
 * warning from it, over from 100 %.
 */
export function budgetState(percent: number, thresholds: readonly number[]): BudgetState {
  if (percent >= 100) {
    return "over";
  }
  const first = Math.min(...thresholds);
  return percent >= first ? "warning" : "ok";
}
