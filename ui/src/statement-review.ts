// The bank statement review as data: what the user changed in the table (ticks, categories,
// the layout), turned into the choices the core takes, and the sentences the review and the
// toast say. No DOM here, so every rule of it is unit-tested.
import type {
  CategorySuggestion,
  CsvLayout,
  Id,
  ReviewRow,
  RowKind,
  StatementChoices,
  StatementCounts,
  StatementImport,
  StatementReview,
} from "./api";
import { formatCount, formatMoney } from "./format";

/** What the user changed in the review; everything else is the core's default. */
export interface ReviewEdits {
  /** Import ticks the user changed, by line. */
  imports: Map<number, boolean>;
  /** Categories the user picked, by line. */
  categories: Map<number, Id>;
  /** Leave lines that cannot be read out and import the rest. */
  skipInvalid: boolean;
  /** The layout as the user changed it; null: the core's (saved for the bank, or detected). */
  layout: CsvLayout | null;
}

export function noEdits(): ReviewEdits {
  return { imports: new Map(), categories: new Map(), skipInvalid: false, layout: null };
}

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** Money in and zero-amount notices are never expenses, whatever the tick says. */
export function canImport(kind: RowKind): boolean {
  return kind.kind !== "moneyIn" && kind.kind !== "notice";
}

/** Whether the row is ticked: the user's tick, else the core's default. */
export function isTicked(row: ReviewRow, edits: ReviewEdits): boolean {
  return canImport(row.kind) && (edits.imports.get(row.line) ?? row.import);
}

/** The category the row would go to: the user's pick, else the suggestion (null: "Other"). */
export function chosenCategory(row: ReviewRow, edits: ReviewEdits): Id | null {
  return edits.categories.get(row.line) ?? row.category?.categoryId ?? null;
}

/** The choices for the core: only what differs from its defaults. */
export function buildChoices(review: StatementReview | null, edits: ReviewEdits): StatementChoices {
  const keep: number[] = [];
  const skip: number[] = [];
  const categories: [number, Id][] = [];
  for (const row of review?.rows ?? []) {
    if (!canImport(row.kind)) {
      continue;
    }
    const ticked = isTicked(row, edits);
    if (ticked && !row.import) {
      keep.push(row.line);
    } else if (!ticked && row.import) {
      skip.push(row.line);
    }
    const picked = edits.categories.get(row.line);
    if (picked !== undefined && picked !== row.category?.categoryId) {
      categories.push([row.line, picked]);
    }
  }
  const choices: StatementChoices = {
    keep,
    skip,
    categories,
    onInvalid: edits.skipInvalid ? "skip" : "reject",
  };
  if (edits.layout !== null) {
    choices.layout = edits.layout;
  }
  return choices;
}

/**
 * The choices a review is read with: the layout only. The ticks and categories stay here,
 * so each row's `import` and `category` in the answer are the core's defaults, which the
 * user's edits are compared against.
 */
export function reviewChoices(edits: ReviewEdits): StatementChoices {
  const choices: StatementChoices = { keep: [], skip: [], categories: [], onInvalid: "reject" };
  if (edits.layout !== null) {
    choices.layout = edits.layout;
  }
  return choices;
}

/** How many expenses the import would save with the user's ticks. */
export function importCount(review: StatementReview, edits: ReviewEdits): number {
  let count = review.counts.expenses;
  for (const row of review.rows) {
    const ticked = isTicked(row, edits);
    if (ticked !== (canImport(row.kind) && row.import)) {
      count += ticked ? 1 : -1;
    }
  }
  return count;
}

/** Lines that cannot be read stop the import until the user says to leave them out. */
export function blockedByInvalid(review: StatementReview, edits: ReviewEdits): boolean {
  return review.counts.invalid > 0 && !edits.skipInvalid;
}

/** "17 expenses · 3 money in left out · 2 pending · 1 duplicate". */
export function countsSentence(counts: StatementCounts): string {
  const parts = [plural(counts.expenses, "expense", "expenses")];
  if (counts.moneyIn > 0) {
    parts.push(`${formatCount(counts.moneyIn)} money in left out`);
  }
  if (counts.pending > 0) {
    parts.push(`${formatCount(counts.pending)} pending`);
  }
  if (counts.duplicates > 0) {
    parts.push(plural(counts.duplicates, "duplicate", "duplicates"));
  }
  if (counts.repeated > 0) {
    parts.push(`${formatCount(counts.repeated)} repeated`);
  }
  if (counts.notices > 0) {
    parts.push(plural(counts.notices, "zero amount", "zero amounts"));
  }
  if (counts.balances > 0) {
    parts.push(plural(counts.balances, "balance line", "balance lines"));
  }
  if (counts.invalid > 0) {
    parts.push(plural(counts.invalid, "line with errors", "lines with errors"));
  }
  return parts.join(" · ");
}

const ENCODINGS: Readonly<Record<string, string>> = {
  "windows-1252": "Latin-1 (Windows-1252)",
  "windows-1250": "Central European (Windows-1250)",
  "UTF-16LE": "UTF-16 LE",
  "UTF-16BE": "UTF-16 BE",
};

const DELIMITERS: Readonly<Record<string, string>> = {
  ",": "comma-separated",
  ";": "semicolon-separated",
  "\t": "tab-separated",
  "|": "separated by |",
};

/** "CSV · Latin-1 (Windows-1252) · semicolon-separated". */
export function readAs(review: StatementReview): string {
  const parts = [review.format.toUpperCase(), ENCODINGS[review.encoding] ?? review.encoding];
  if (review.layout !== null) {
    parts.push(DELIMITERS[review.layout.delimiter] ?? `separated by ${review.layout.delimiter}`);
  }
  return parts.join(" · ");
}

const ORDER_WORDS: Readonly<Record<CsvLayout["dateOrder"], string>> = {
  dayMonthYear: "day first",
  monthDayYear: "month first",
  yearMonthDay: "year first",
};

/** "Dates day first · decimal comma · money out negative": the layout, folded. */
export function layoutSummary(layout: CsvLayout): string {
  const spending =
    layout.amount === null
      ? "money out and in in their own columns"
      : layout.spending === "negative"
        ? "money out negative"
        : "charges positive";
  return `Dates ${ORDER_WORDS[layout.dateOrder]} · decimal ${layout.decimal} · ${spending}`;
}

/** What the kind badge says. */
export function kindLabel(kind: RowKind): string {
  switch (kind.kind) {
    case "expense":
      return "Expense";
    case "moneyIn":
      return "Money in";
    case "pending":
      return "Pending";
    case "notice":
      return "Zero amount";
    case "duplicate":
      return "Already saved";
    case "repeated":
      return `Same as line ${formatCount(kind.ofLine)}`;
  }
}

/** The amount as the row shows it: spending as is, money in with a plus. */
export function rowAmount(row: ReviewRow): string {
  if (row.spent.minor < 0) {
    return `+${formatMoney({ minor: -row.spent.minor, currency: row.spent.currency })}`;
  }
  return formatMoney(row.spent);
}

/** Why the category was suggested, in a few words. */
export function suggestionNote(category: CategorySuggestion | null): string {
  if (category === null) {
    return "Nothing matched";
  }
  switch (category.source) {
    case "userRule":
      return `Your rule “${category.matched}”`;
    case "history":
      return "As before";
    case "historyWords":
      return `Like earlier “${category.matched}”`;
    case "keywordRule":
      return `“${category.matched}”`;
    case "fallback":
      return "Nothing matched";
  }
}

/**
 * What a new rule matches by default: the first words of the payee (the part before the
 * " · " that joins payee and purpose), up to two, stopping at the first word without a
 * letter (a number, a date). "VISA Firma · NR XXXX 4025" → "VISA Firma".
 */
export function ruleText(description: string): string {
  const [payee = ""] = description.split(" · ");
  const words: string[] = [];
  for (const word of payee.split(/\s+/)) {
    if (word === "") {
      continue;
    }
    if (!/\p{L}/u.test(word) || words.length === 2) {
      break;
    }
    words.push(word);
  }
  return words.length > 0 ? words.join(" ") : description.trim().slice(0, 40);
}

/** The toast after an import: "Imported 17 expenses · 3 money in left out". */
export function importedSentence(result: StatementImport): string {
  if (result.rejected) {
    return `Nothing was imported: ${plural(result.invalidCount, "line has", "lines have")} errors.`;
  }
  const parts = [`Imported ${plural(result.imported, "expense", "expenses")}`];
  if (result.counts.moneyIn > 0) {
    parts.push(`${formatCount(result.counts.moneyIn)} money in left out`);
  }
  if (result.duplicates > 0) {
    parts.push(`${plural(result.duplicates, "duplicate", "duplicates")} found`);
  }
  if (result.invalidCount > 0) {
    parts.push(`${plural(result.invalidCount, "line with errors", "lines with errors")} left out`);
  }
  if (result.categoriesCreated > 0) {
    parts.push(`${plural(result.categoriesCreated, "category", "categories")} created`);
  }
  return parts.join(" · ");
}

/** "12 KB", "2.1 MB": the size of the chosen file. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) {
    return plural(bytes, "byte", "bytes");
  }
  const units = ["KB", "MB", "GB"];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  const digits = size < 10 ? 1 : 0;
  return `${size.toFixed(digits)} ${units[unit] ?? "GB"}`;
}
