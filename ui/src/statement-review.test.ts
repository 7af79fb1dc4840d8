import { describe, expect, it } from "vitest";
import type {
  CsvLayout,
  ReviewRow,
  RowKind,
  StatementCounts,
  StatementImport,
  StatementReview,
} from "./api";
import {
  blockedByInvalid,
  buildChoices,
  chosenCategory,
  countsSentence,
  fileSize,
  importCount,
  importedSentence,
  isTicked,
  reviewChoices,
  kindLabel,
  layoutSummary,
  noEdits,
  readAs,
  rowAmount,
  ruleText,
  suggestionNote,
} from "./statement-review";

const FOOD = "0192f7c4-0000-7000-8000-000000000001";
const TRAVEL = "0192f7c4-0000-7000-8000-000000000002";

function counts(overrides: Partial<StatementCounts> = {}): StatementCounts {
  return {
    transactions: 0,
    expenses: 0,
    moneyIn: 0,
    pending: 0,
    notices: 0,
    balances: 0,
    otherRows: 0,
    duplicates: 0,
    repeated: 0,
    invalid: 0,
    ...overrides,
  };
}

function row(line: number, kind: RowKind, minor = 1250): ReviewRow {
  const imported = kind.kind === "expense" || kind.kind === "repeated";
  return {
    line,
    date: "2025-12-09",
    spent: { minor, currency: "EUR" },
    description: `Line ${String(line)}`,
    reference: null,
    pending: kind.kind === "pending",
    kind,
    import: imported,
    category: imported
      ? {
          categoryId: FOOD,
          name: "Groceries",
          parentName: "Food",
          source: "keywordRule",
          matched: "rewe",
        }
      : null,
  };
}

const LAYOUT: CsvLayout = {
  delimiter: ";",
  headerRow: 12,
  header: [
    "Buchung",
    "Valuta",
    "Auftraggeber/Empfänger",
    "Buchungstext",
    "Verwendungszweck",
    "Betrag",
    "Währung",
  ],
  date: 0,
  amount: 5,
  debit: null,
  credit: null,
  direction: null,
  currency: 6,
  headerCurrency: null,
  payee: 2,
  purpose: 4,
  status: null,
  dateOrder: "dayMonthYear",
  decimal: "comma",
  spending: "negative",
};

function review(rows: ReviewRow[], overrides: Partial<StatementReview> = {}): StatementReview {
  return {
    format: "csv",
    encoding: "windows-1252",
    layout: LAYOUT,
    savedLayout: false,
    dateOrderAmbiguous: false,
    rows,
    counts: counts({ expenses: rows.filter((r) => r.import).length }),
    invalid: [],
    repaired: [],
    ...overrides,
  };
}

describe("the choices sent to the core", () => {
  const rows = [
    row(14, { kind: "expense" }),
    row(15, { kind: "moneyIn" }, -300000),
    row(16, { kind: "duplicate" }),
    row(17, { kind: "pending" }),
    row(18, { kind: "repeated", ofLine: 14 }),
  ];

  it("say nothing when the user changed nothing", () => {
    expect(buildChoices(review(rows), noEdits())).toEqual({
      keep: [],
      skip: [],
      categories: [],
      onInvalid: "reject",
    });
  });

  it("keep flagged rows ticked, skip unticked ones, and never keep money in", () => {
    const edits = noEdits();
    edits.imports.set(14, false);
    edits.imports.set(15, true);
    edits.imports.set(16, true);
    edits.imports.set(17, true);
    edits.imports.set(18, true);
    const choices = buildChoices(review(rows), edits);
    expect(choices.keep).toEqual([16, 17]);
    expect(choices.skip).toEqual([14]);
    expect(isTicked(rows[1] as ReviewRow, edits)).toBe(false);
  });

  it("send a category only where it differs from the suggestion", () => {
    const edits = noEdits();
    edits.categories.set(14, FOOD);
    edits.categories.set(18, TRAVEL);
    expect(buildChoices(review(rows), edits).categories).toEqual([[18, TRAVEL]]);
    expect(chosenCategory(rows[4] as ReviewRow, edits)).toBe(TRAVEL);
    expect(chosenCategory(rows[0] as ReviewRow, edits)).toBe(FOOD);
    expect(chosenCategory(rows[2] as ReviewRow, edits)).toBeNull();
  });

  it("carry a changed layout and the choice to leave invalid lines out", () => {
    const edits = noEdits();
    edits.layout = { ...LAYOUT, dateOrder: "monthDayYear" };
    edits.skipInvalid = true;
    const choices = buildChoices(review(rows), edits);
    expect(choices.layout?.dateOrder).toBe("monthDayYear");
    expect(choices.onInvalid).toBe("skip");
    expect(buildChoices(null, noEdits())).toEqual({
      keep: [],
      skip: [],
      categories: [],
      onInvalid: "reject",
    });
  });
});

describe("the choices a review is read with", () => {
  it("carry the layout only, so the rows come back with the core's defaults", () => {
    const edits = noEdits();
    edits.imports.set(14, false);
    edits.categories.set(14, TRAVEL);
    edits.skipInvalid = true;
    expect(reviewChoices(edits)).toEqual({
      keep: [],
      skip: [],
      categories: [],
      onInvalid: "reject",
    });
    edits.layout = LAYOUT;
    expect(reviewChoices(edits).layout).toBe(LAYOUT);
  });
});

describe("how many the import saves", () => {
  it("starts from the core's count and follows the ticks", () => {
    const rows = [row(14, { kind: "expense" }), row(16, { kind: "duplicate" })];
    const shown = review(rows, { counts: counts({ expenses: 40 }) });
    const edits = noEdits();
    expect(importCount(shown, edits)).toBe(40);
    edits.imports.set(16, true);
    expect(importCount(shown, edits)).toBe(41);
    edits.imports.set(14, false);
    expect(importCount(shown, edits)).toBe(40);
    edits.imports.set(14, true);
    expect(importCount(shown, edits)).toBe(41);
  });

  it("waits for the user's word when lines cannot be read", () => {
    const shown = review([], { counts: counts({ invalid: 2 }) });
    const edits = noEdits();
    expect(blockedByInvalid(shown, edits)).toBe(true);
    edits.skipInvalid = true;
    expect(blockedByInvalid(shown, edits)).toBe(false);
    expect(blockedByInvalid(review([]), noEdits())).toBe(false);
  });
});

describe("what the review says", () => {
  it("counts what the file holds, leaving out what is not there", () => {
    expect(countsSentence(counts({ expenses: 17, moneyIn: 3, pending: 2, duplicates: 1 }))).toBe(
      "17 expenses · 3 money in left out · 2 pending · 1 duplicate",
    );
    expect(countsSentence(counts({ expenses: 1 }))).toBe("1 expense");
    expect(
      countsSentence(
        counts({ expenses: 1200, repeated: 2, notices: 1, balances: 2, invalid: 1, duplicates: 3 }),
      ),
    ).toBe(
      "1,200 expenses · 3 duplicates · 2 repeated · 1 zero amount · 2 balance lines · 1 line with errors",
    );
  });

  it("names the format, the encoding and the delimiter", () => {
    expect(readAs(review([]))).toBe("CSV · Latin-1 (Windows-1252) · semicolon-separated");
    expect(readAs(review([], { format: "ofx", encoding: "UTF-8", layout: null }))).toBe(
      "OFX · UTF-8",
    );
    expect(readAs(review([], { layout: { ...LAYOUT, delimiter: "\t" } }))).toContain(
      "tab-separated",
    );
  });

  it("folds the layout into one line", () => {
    expect(layoutSummary(LAYOUT)).toBe("Dates day first · decimal comma · money out negative");
    expect(layoutSummary({ ...LAYOUT, decimal: "point", spending: "positive" })).toBe(
      "Dates day first · decimal point · charges positive",
    );
    expect(layoutSummary({ ...LAYOUT, amount: null, debit: 3, credit: 4 })).toContain(
      "money out and in in their own columns",
    );
  });

  it("marks each kind of row in words", () => {
    expect(kindLabel({ kind: "duplicate" })).toBe("Already saved");
    expect(kindLabel({ kind: "repeated", ofLine: 1234 })).toBe("Same as line 1,234");
    expect(kindLabel({ kind: "moneyIn" })).toBe("Money in");
  });

  it("shows money in with a plus and spending as it is", () => {
    expect(rowAmount(row(1, { kind: "moneyIn" }, -300000))).toBe("+€3,000.00");
    expect(rowAmount(row(1, { kind: "expense" }, 1398))).toBe("€13.98");
  });

  it("says where a suggestion came from", () => {
    const rule = {
      categoryId: FOOD,
      name: "Groceries",
      parentName: "Food",
      source: "userRule" as const,
      matched: "VISA Firma",
    };
    expect(suggestionNote(rule)).toBe("Your rule “VISA Firma”");
    expect(suggestionNote(null)).toBe("Nothing matched");
    expect(suggestionNote({ ...rule, source: "fallback", matched: "" })).toBe("Nothing matched");
  });
});

describe("a new rule's text", () => {
  it("is the payee's first words", () => {
    expect(ruleText("VISA Firma · NR XXXX 4025 NUERNBERG DE KAUFUMSATZ")).toBe("VISA Firma");
    expect(ruleText("REWE Markt GmbH Nuernberg")).toBe("REWE Markt");
    expect(ruleText("Lidl")).toBe("Lidl");
  });

  it("stops at numbers and dates", () => {
    expect(ruleText("AMAZON 123-456 Seattle")).toBe("AMAZON");
    expect(ruleText("  Café   Müller  · Kuchen")).toBe("Café Müller");
  });

  it("falls back to the start of the description when it has no word", () => {
    expect(ruleText("4025 12.12.")).toBe("4025 12.12.");
  });
});

describe("the toast after an import", () => {
  const result: StatementImport = {
    imported: 17,
    duplicates: 0,
    categoriesCreated: 0,
    invalidCount: 0,
    invalid: [],
    rejected: false,
    fired: [],
    counts: counts({ expenses: 17, moneyIn: 3 }),
    layoutSaved: true,
  };

  it("gives the numbers", () => {
    expect(importedSentence(result)).toBe("Imported 17 expenses · 3 money in left out");
    expect(
      importedSentence({
        ...result,
        imported: 1,
        duplicates: 2,
        invalidCount: 1,
        categoriesCreated: 1,
      }),
    ).toBe(
      "Imported 1 expense · 3 money in left out · 2 duplicates found · 1 line with errors left out · 1 category created",
    );
  });

  it("says when nothing was saved", () => {
    expect(importedSentence({ ...result, rejected: true, invalidCount: 2 })).toBe(
      "Nothing was imported: 2 lines have errors.",
    );
  });
});

describe("the file's size", () => {
  it("reads like a file manager's", () => {
    expect(fileSize(1)).toBe("1 byte");
    expect(fileSize(900)).toBe("900 bytes");
    expect(fileSize(2150)).toBe("2.1 KB");
    expect(fileSize(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(fileSize(300 * 1024 * 1024)).toBe("300 MB");
  });
});
