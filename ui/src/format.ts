// Money, dates and currencies for display, in the user's locale.
import type { IsoDate, Money } from "./api";

/**
 * The user's locale from the webview's languages: the first Intl has data for. Under LANG=C
 * (CI, containers) WebKit reports "C", which is no locale at all and would leave Intl on the
 * POSIX variant ("$ 1234.50"); English (US) is the sensible reading of "no preference".
 */
export const LOCALE: string = (() => {
  for (const tag of navigator.languages) {
    try {
      // Canonical ("de-de" → "de-DE"), and empty for a well-formed tag with no locale data
      // behind it: "POSIX" reads as the language "posix".
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported !== undefined) {
        return supported;
      }
    } catch {
      // Not a BCP 47 tag ("C"); try the next one.
    }
  }
  return "en-US";
})();

// ISO 4217 minor-unit exponents that are not 2. The core counts minor units by ISO 4217;
// Intl's default fraction digits come from CLDR, which differs for some currencies (IQD,
// RSD, …), so the exponent used to turn minor units into a number must be ISO's own.
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Digits after the decimal point in `currency` (2 for EUR, 0 for JPY, 3 for KWD). */
export function exponentOf(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let format = moneyFormats.get(currency);
  if (format === undefined) {
    const digits = exponentOf(currency);
    format = new Intl.NumberFormat(LOCALE, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    moneyFormats.set(currency, format);
  }
  return format;
}

// Amounts stay far below 2^53 minor units (the core caps one at 10^12), so dividing by a
// power of ten yields the nearest double to the exact decimal, which Intl rounds back to it.
function toNumber(money: Money): number {
  return money.minor / 10 ** exponentOf(money.currency);
}

/** "$1,234.50", "1.234,50 €", "¥1,235", as the user's locale writes it. */
export function formatMoney(money: Money): string {
  return moneyFormat(money.currency).format(toNumber(money));
}

/** The amount as the expense form expects it back: "1234.50", no grouping, no symbol. */
export function moneyInputText(money: Money): string {
  const digits = exponentOf(money.currency);
  const negative = money.minor < 0;
  const text = Math.abs(money.minor)
    .toString()
    .padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return (negative ? "-" : "") + (digits === 0 ? whole : `${whole}.${fraction}`);
}

/** Several totals in different currencies, e.g. "$12.00 + €3.50". */
export function formatMoneyList(amounts: readonly Money[]): string {
  return amounts.map(formatMoney).join(" + ");
}

const dayFormat = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat(LOCALE, {
  month: "short",
  year: "2-digit",
  timeZone: "UTC",
});
const monthNameFormat = new Intl.DateTimeFormat(LOCALE, {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

// Calendar dates carry no time zone; reading them as UTC midnight and formatting in UTC
// keeps "2026-03-01" on the 1st whatever the user's offset.
function utcDate(date: IsoDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

/** "Mar 1, 2026" in the user's locale. */
export function formatDate(date: IsoDate): string {
  return dayFormat.format(utcDate(date));
}

/** "Mar 26" for a "2026-03" month key (chart labels). */
export function formatMonthShort(month: string): string {
  return monthFormat.format(utcDate(`${month}-01`));
}

/** "March 2026" for a date in that month. */
export function formatMonthName(date: IsoDate): string {
  return monthNameFormat.format(utcDate(date));
}

/** Today in the user's own zone, as "YYYY-MM-DD" (not UTC's today, which may differ). */
export function today(): IsoDate {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, "0");
  const day = String(now.getDate()).padStart(2, "0");
  return `${String(now.getFullYear())}-${month}-${day}`;
}

const percentFormat = new Intl.NumberFormat(LOCALE, { style: "percent" });

/** 80 → "80%" in the user's locale ("80 %" in French). */
export function formatPercent(percent: number): string {
  return percentFormat.format(percent / 100);
}

const countFormat = new Intl.NumberFormat(LOCALE);

export function formatCount(count: number): string {
  return countFormat.format(count);
}

// Codes Intl knows that have no minor unit (metals, SDR, test codes): the core refuses them.
const NOT_MONEY = new Set([
  "XAG",
  "XAU",
  "XBA",
  "XBB",
  "XBC",
  "XBD",
  "XDR",
  "XPD",
  "XPT",
  "XSU",
  "XTS",
  "XUA",
  "XXX",
]);

const FALLBACK_CURRENCIES = ["AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "INR", "JPY", "USD"];

/** Currency codes to offer in pickers, sorted. */
export function currencyCodes(): string[] {
  const supported =
    typeof Intl.supportedValuesOf === "function"
      ? Intl.supportedValuesOf("currency")
      : FALLBACK_CURRENCIES;
  return supported.filter((code) => !NOT_MONEY.has(code)).sort();
}

const currencyNames =
  typeof Intl.DisplayNames === "function"
    ? new Intl.DisplayNames(LOCALE, { type: "currency" })
    : null;

/** "EUR — Euro" for pickers. */
export function currencyLabel(code: string): string {
  const name = currencyNames?.of(code);
  return name === undefined || name === code ? code : `${code} — ${name}`;
}

// Intl has no "currency of this locale"; the region decides it. Common regions only: a guess
// that misses falls back to USD and the user picks from the list.
const REGION_CURRENCY: Readonly<Record<string, string>> = {
  AR: "ARS",
  AU: "AUD",
  BR: "BRL",
  CA: "CAD",
  CH: "CHF",
  CL: "CLP",
  CN: "CNY",
  CO: "COP",
  CZ: "CZK",
  DK: "DKK",
  EG: "EGP",
  GB: "GBP",
  HK: "HKD",
  HU: "HUF",
  ID: "IDR",
  IL: "ILS",
  IN: "INR",
  IS: "ISK",
  JP: "JPY",
  KE: "KES",
  KR: "KRW",
  MX: "MXN",
  MY: "MYR",
  NG: "NGN",
  NO: "NOK",
  NZ: "NZD",
  PH: "PHP",
  PK: "PKR",
  PL: "PLN",
  RO: "RON",
  SA: "SAR",
  SE: "SEK",
  SG: "SGD",
  TH: "THB",
  TR: "TRY",
  TW: "TWD",
  UA: "UAH",
  US: "USD",
  VN: "VND",
  ZA: "ZAR",
};

const EURO_REGIONS = new Set(
  "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK".split(" "),
);

/** The currency the user most likely spends in, from the locale's region; else USD. */
export function guessCurrency(): string {
  try {
    const region = new Intl.Locale(LOCALE).maximize().region ?? "";
    if (EURO_REGIONS.has(region)) {
      return "EUR";
    }
    return REGION_CURRENCY[region] ?? "USD";
  } catch {
    return "USD";
  }
}
