import { afterEach, describe, expect, it, vi } from "vitest";
import {
  LOCALE,
  currencyCodes,
  currencyLabel,
  exponentOf,
  formatCount,
  formatDate,
  formatMoney,
  formatMoneyList,
  formatMonthName,
  formatMonthShort,
  formatPercent,
  moneyInputText,
  today,
} from "./format";

// This module was loaded under the test setup's languages (en-US). These load it afresh
// under other ones.
async function formatIn(languages: readonly string[]): Promise<typeof import("./format")> {
  vi.resetModules();
  vi.stubGlobal("navigator", { languages });
  return import("./format");
}

/** Intl separates with (narrow) no-break spaces, which vary between ICU versions. */
function spaced(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, " ");
}

afterEach(() => {
  vi.stubGlobal("navigator", { languages: ["en-US"] });
  vi.useRealTimers();
});

describe("the locale", () => {
  it("is the webview's first language", async () => {
    expect(LOCALE).toBe("en-US");
    expect((await formatIn(["fr-FR", "en-US"])).LOCALE).toBe("fr-FR");
    expect((await formatIn(["de-de"])).LOCALE).toBe("de-DE");
  });

  it("skips what is no locale at all (LANG=C), and falls back to en-US", async () => {
    expect((await formatIn(["C", "fr-CA"])).LOCALE).toBe("fr-CA");
    expect((await formatIn(["POSIX", "fr-CA"])).LOCALE).toBe("fr-CA");
    expect((await formatIn(["POSIX"])).LOCALE).toBe("en-US");
    expect((await formatIn(["C"])).LOCALE).toBe("en-US");
    expect((await formatIn([])).LOCALE).toBe("en-US");
  });

  it("decides how money, percentages and dates are written", async () => {
    const french = await formatIn(["fr-FR"]);
    expect(spaced(french.formatMoney({ minor: 123_450, currency: "EUR" }))).toBe("1 234,50 €");
    expect(spaced(french.formatPercent(80))).toBe("80 %");
    expect(french.formatDate("2026-03-01")).toBe("1 mars 2026");
    const german = await formatIn(["de-DE"]);
    expect(spaced(german.formatMoney({ minor: 123_450, currency: "EUR" }))).toBe("1.234,50 €");
  });

  it.each([
    [["de-DE"], "EUR"],
    [["fr-BE"], "EUR"],
    [["en-GB"], "GBP"],
    [["ja-JP"], "JPY"],
    [["es-MX"], "MXN"],
    [["de-CH"], "CHF"],
    [["en"], "USD"],
    [["ja"], "JPY"],
    [["C"], "USD"],
    [["ar-YE"], "USD"],
  ])("guesses the currency of %j as %s", async (languages, currency) => {
    expect((await formatIn(languages)).guessCurrency()).toBe(currency);
  });
});

describe("money", () => {
  it.each([
    ["EUR", 2],
    ["USD", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["KWD", 3],
    ["IQD", 3],
    ["CLF", 4],
    ["ABC", 2],
  ])("has ISO 4217's minor unit: %s has %i digits", (currency, digits) => {
    expect(exponentOf(currency)).toBe(digits);
  });

  it.each([
    [123_450, "USD", "$1,234.50"],
    [-500, "USD", "-$5.00"],
    [0, "USD", "$0.00"],
    [29, "USD", "$0.29"],
    [1005, "USD", "$10.05"],
    [1235, "JPY", "¥1,235"],
    [1_234_567, "KWD", "KWD 1,234.567"],
    // CLDR writes IQD without decimals; the core counts ISO's three.
    [1500, "IQD", "IQD 1.500"],
    [350, "EUR", "€3.50"],
    // The core's largest amount, to the cent.
    [999_999_999_999, "USD", "$9,999,999,999.99"],
    [1_000_000_000_000, "USD", "$10,000,000,000.00"],
  ])("shows %i minor units of %s as %s", (minor, currency, text) => {
    expect(spaced(formatMoney({ minor, currency }))).toBe(text);
  });

  it.each([
    [123_450, "USD", "1234.50"],
    [5, "USD", "0.05"],
    [-5, "USD", "-0.05"],
    [-123_456, "EUR", "-1234.56"],
    [0, "EUR", "0.00"],
    [1235, "JPY", "1235"],
    [-7, "JPY", "-7"],
    [1, "KWD", "0.001"],
    [12_345, "CLF", "1.2345"],
    [999_999_999_999, "USD", "9999999999.99"],
  ])("gives %i minor units of %s back to the form as %s", (minor, currency, text) => {
    expect(moneyInputText({ minor, currency })).toBe(text);
  });

  it("joins totals in several currencies", () => {
    expect(
      formatMoneyList([
        { minor: 1200, currency: "USD" },
        { minor: 350, currency: "EUR" },
      ]),
    ).toBe("$12.00 + €3.50");
    expect(formatMoneyList([])).toBe("");
  });
});

describe("dates", () => {
  it("run west of UTC here, where midnight UTC is the day before", () => {
    // vitest.config.ts sets the zone; without it the tests below would prove less.
    expect(new Date("2026-03-01T00:00:00Z").getDate()).toBe(28);
  });

  it("keep a calendar date on its day whatever the zone", () => {
    expect(formatDate("2026-03-01")).toBe("Mar 1, 2026");
    expect(formatDate("2024-02-29")).toBe("Feb 29, 2024");
    expect(formatDate("2026-12-31")).toBe("Dec 31, 2026");
  });

  it("name months for charts and headings", () => {
    expect(formatMonthShort("2026-03")).toBe("Mar 26");
    expect(formatMonthShort("2026-01")).toBe("Jan 26");
    expect(formatMonthName("2026-03-01")).toBe("March 2026");
    expect(formatMonthName("2026-03-31")).toBe("March 2026");
  });

  it("take today in the user's zone, not UTC's", () => {
    vi.useFakeTimers();
    // 22:00 on the 28th in Los Angeles.
    vi.setSystemTime(new Date("2026-03-01T06:00:00Z"));
    expect(today()).toBe("2026-02-28");
    vi.setSystemTime(new Date("2026-01-05T20:00:00Z"));
    expect(today()).toBe("2026-01-05");
  });
});

describe("numbers", () => {
  it("write percentages and counts in the locale", () => {
    expect(formatPercent(80)).toBe("80%");
    expect(formatPercent(250)).toBe("250%");
    expect(formatCount(0)).toBe("0");
    expect(formatCount(1_234_567)).toBe("1,234,567");
  });
});

describe("currency pickers", () => {
  it("offer real currencies, sorted, without metals or test codes", () => {
    const codes = currencyCodes();
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(["EUR", "JPY", "KWD", "USD"]));
    for (const code of ["XAU", "XAG", "XDR", "XTS", "XXX"]) {
      expect(codes).not.toContain(code);
    }
  });

  it("label a code with its name, or with itself when Intl has no name", () => {
    expect(currencyLabel("EUR")).toBe("EUR — Euro");
    expect(currencyLabel("JPY")).toBe("JPY — Japanese Yen");
    expect(currencyLabel("ZZZ")).toBe("ZZZ");
  });
});
