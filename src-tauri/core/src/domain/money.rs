//! Money: an exact count of minor units (cents, pence, yen) in an ISO 4217 currency.
//! Never a float: "0.1 + 0.2" is exactly 30 cents here.

use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest amount one expense or budget may hold, in minor units (10 billion units of
/// a two-decimal currency). Far below `i64::MAX`, so summing a million of them cannot overflow.
pub const MAX_MINOR_UNITS: i64 = 1_000_000_000_000;

/// An ISO 4217 currency that has a defined minor unit (so not gold, SDR, "no currency").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Parses a three-letter code such as "usd" or "EUR".
    pub fn parse(code: &str) -> Result<Self> {
        let code = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&code)
            .filter(|c| c.exponent().is_some())
            .ok_or_else(|| {
                AppError::invalid(
                    "currency",
                    format!("\"{code}\" is not a currency code Outlay knows."),
                )
            })?;
        Ok(Currency(currency))
    }

    /// The ISO 4217 code, e.g. "EUR".
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point: 2 for EUR, 0 for JPY, 3 for KWD.
    pub fn exponent(self) -> u32 {
        u32::from(self.0.exponent().unwrap_or(0))
    }

    /// The symbol people type, e.g. "€"; falls back to the code.
    pub fn symbol(self) -> String {
        self.0.symbol().symbol
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Whether a parsed amount may be negative (refunds) or zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Strictly positive: an expense or a budget.
    Positive,
    /// Any sign: a refund, an adjustment, a filter bound.
    Any,
}

/// An exact amount of money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Money {
    /// Minor units: cents for USD, yen for JPY.
    pub minor: i64,
    /// The currency the amount is in.
    pub currency: Currency,
}

impl Money {
    /// Builds an amount from minor units, refusing values past [`MAX_MINOR_UNITS`].
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Self> {
        if minor.checked_abs().is_none_or(|m| m > MAX_MINOR_UNITS) {
            return Err(AppError::invalid("amount", "That amount is too large."));
        }
        Ok(Money { minor, currency })
    }

    /// Parses what a user types: "12.5", "1,234.56", "€3", "3 EUR", "-5", "23,40".
    ///
    /// `default` is the currency when the text names none. A symbol or code in the text
    /// wins over `default`. More decimals than the currency has, exponents ("1e9"),
    /// stray characters and amounts past [`MAX_MINOR_UNITS`] are errors, never panics.
    pub fn parse(text: &str, default: Currency, sign: Sign) -> Result<Self> {
        let text = text.trim();
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (digits, currency) = split_currency(unsigned, default)?;
        let (whole, fraction) = split_decimal(digits)?;
        let exponent = currency.exponent();
        if fraction.len() > exponent as usize {
            let message = match exponent {
                0 => format!(
                    "{} has no minor unit; enter a whole amount.",
                    currency.code()
                ),
                n => format!("{} allows at most {n} decimal places.", currency.code()),
            };
            return Err(AppError::invalid("amount", message));
        }
        let too_large = || AppError::invalid("amount", "That amount is too large.");
        let mut minor: i64 = 0;
        let padded = fraction
            .chars()
            .chain(std::iter::repeat('0'))
            .take(exponent as usize);
        for c in whole.chars().chain(padded) {
            let digit = i64::from(c.to_digit(10).ok_or_else(not_a_number)?);
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(digit))
                .ok_or_else(too_large)?;
        }
        if negative {
            minor = -minor;
        }
        if sign == Sign::Positive && minor <= 0 {
            return Err(AppError::invalid(
                "amount",
                "Enter an amount greater than zero.",
            ));
        }
        Money::from_minor(minor, currency)
    }

    /// The amount as a plain decimal string, e.g. "-1234.50" — for CSV and messages.
    pub fn to_decimal_string(&self) -> String {
        let exponent = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(exponent);
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exponent as usize
        )
    }

    /// Adds two amounts of the same currency; `None` on a currency mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Money {
                minor,
                currency: self.currency,
            })
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency.code())
    }
}

fn not_a_number() -> AppError {
    AppError::invalid("amount", "Enter an amount such as 12.50.")
}

/// Separates a leading/trailing currency symbol or code from the number.
fn split_currency(text: &str, default: Currency) -> Result<(&str, Currency)> {
    if text.is_empty() {
        return Err(AppError::invalid("amount", "Enter an amount."));
    }
    // A three-letter code before or after the number: "EUR 3", "3eur". Only when the rest
    // looks like a number, so "lots" is "not a number" rather than an unknown currency "LOT".
    let numeric = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    };
    let code_error = |code: &str| {
        AppError::invalid(
            "amount",
            format!(
                "\"{}\" is not a currency code Outlay knows.",
                code.to_ascii_uppercase()
            ),
        )
    };
    let bytes = text.as_bytes();
    if text.len() > 3 && bytes[..3].iter().all(u8::is_ascii_alphabetic) && numeric(text[3..].trim())
    {
        return Ok((
            text[3..].trim(),
            Currency::parse(&text[..3]).map_err(|_| code_error(&text[..3]))?,
        ));
    }
    if text.len() > 3 && bytes[text.len() - 3..].iter().all(u8::is_ascii_alphabetic) {
        let (number, code) = text.split_at(text.len() - 3);
        if numeric(number.trim()) {
            return Ok((
                number.trim(),
                Currency::parse(code).map_err(|_| code_error(code))?,
            ));
        }
    }
    // A symbol before or after the number: "€3", "3 €".
    for (symbol, code) in SYMBOLS {
        if let Some(number) = text
            .strip_prefix(symbol)
            .or_else(|| text.strip_suffix(symbol))
        {
            // "$" means the user's own dollar when their currency is one (CAD, AUD…).
            let currency = if *symbol == "$" && default.symbol().contains('$') {
                default
            } else {
                Currency::parse(code)?
            };
            return Ok((number.trim(), currency));
        }
    }
    Ok((text, default))
}

/// Symbols we recognise in typed amounts, longest first so "US$" wins over "$".
const SYMBOLS: &[(&str, &str)] = &[
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("A$", "AUD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₹", "INR"),
    ("₩", "KRW"),
    ("₽", "RUB"),
    ("₺", "TRY"),
    ("₪", "ILS"),
    ("zł", "PLN"),
    ("Fr.", "CHF"),
    ("$", "USD"),
];

/// Splits "1,234.56" into ("1234", "56"), accepting a decimal comma ("23,40") and
/// thousands groups of exactly three digits ("1.234.567,89").
fn split_decimal(digits: &str) -> Result<(String, &str)> {
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(not_a_number());
    }
    let last_dot = digits.rfind('.');
    let last_comma = digits.rfind(',');
    let decimal_at = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(d.max(c)),
        // One separator kind only: it is decimal when it appears once and is not followed
        // by exactly three digits of a thousands group ("1,234" is a thousand).
        (Some(p), None) | (None, Some(p)) => {
            let separator = digits.as_bytes()[p] as char;
            let once = digits.matches(separator).count() == 1;
            let group_like = digits.len() - p - 1 == 3 && separator == ',';
            (once && !group_like).then_some(p)
        }
        (None, None) => None,
    };
    let (whole, fraction) = match decimal_at {
        Some(p) => (&digits[..p], &digits[p + 1..]),
        None => (digits, ""),
    };
    if fraction.contains([',', '.']) {
        return Err(not_a_number());
    }
    let whole = ungroup(whole)?;
    if whole.is_empty() && fraction.is_empty() {
        return Err(not_a_number());
    }
    Ok((whole, fraction))
}

/// Removes thousands separators, insisting on groups of three ("1,23,4" is a typo, not a number).
fn ungroup(whole: &str) -> Result<String> {
    let groups: Vec<&str> = whole.split([',', '.']).collect();
    let separators: Vec<char> = whole.chars().filter(|c| *c == ',' || *c == '.').collect();
    if separators.windows(2).any(|w| w[0] != w[1]) {
        return Err(not_a_number());
    }
    let well_grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !well_grouped {
        return Err(not_a_number());
    }
    Ok(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn parse(text: &str) -> Result<Money> {
        Money::parse(text, usd(), Sign::Any)
    }

    fn minor(text: &str) -> i64 {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).minor
    }

    #[test]
    fn point_one_plus_point_two_is_exactly_thirty_cents() {
        let sum = parse("0.1")
            .unwrap()
            .checked_add(parse("0.2").unwrap())
            .unwrap();
        assert_eq!(sum, parse("0.3").unwrap());
        assert_eq!(sum.minor, 30);
    }

    #[test]
    fn plain_and_grouped_amounts() {
        assert_eq!(minor("12.5"), 1250);
        assert_eq!(minor("12"), 1200);
        assert_eq!(minor(".5"), 50);
        assert_eq!(minor("1,234.56"), 123_456);
        assert_eq!(minor("1,234"), 123_400);
        assert_eq!(minor("1.234.567,89"), 123_456_789);
        assert_eq!(minor("23,40"), 2340);
        assert_eq!(minor("-5"), -500);
        assert_eq!(minor("  7.05 "), 705);
    }

    #[test]
    fn currency_symbols_and_codes_win_over_the_default() {
        let euro = parse("€3").unwrap();
        assert_eq!((euro.minor, euro.currency.code()), (300, "EUR"));
        let euro = parse("3 EUR").unwrap();
        assert_eq!((euro.minor, euro.currency.code()), (300, "EUR"));
        let pounds = parse("gbp 1,000").unwrap();
        assert_eq!((pounds.minor, pounds.currency.code()), (100_000, "GBP"));
        let refund = parse("-€3").unwrap();
        assert_eq!((refund.minor, refund.currency.code()), (-300, "EUR"));
        let cad = Money::parse("$4", Currency::parse("CAD").unwrap(), Sign::Any).unwrap();
        assert_eq!(cad.currency.code(), "CAD");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "abc", "", "  ", "1e9999", "1.2.3", "12..5", "1,23,4", "1,2345.6", "--5", "5-", "€",
            "NaN", "inf", "1 2", "0x10",
        ] {
            let error = parse(text).expect_err(text);
            assert_eq!(error.field(), Some("amount"), "{text}");
        }
    }

    #[test]
    fn twenty_five_digits_overflow_cleanly() {
        let error = parse("1234567890123456789012345").unwrap_err();
        assert_eq!(error.to_string(), "That amount is too large.");
        assert!(parse("99999999999999999.99").is_err());
        assert_eq!(minor("10,000,000,000"), MAX_MINOR_UNITS);
        assert!(parse("10,000,000,000.01").is_err());
    }

    #[test]
    fn yen_has_no_minor_unit() {
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(
            Money::parse("¥1,500", usd(), Sign::Any).unwrap(),
            Money {
                minor: 1500,
                currency: yen
            }
        );
        let error = Money::parse("1500.5", yen, Sign::Any).unwrap_err();
        assert!(error.to_string().contains("no minor unit"), "{error}");
        assert_eq!(
            Money {
                minor: 1500,
                currency: yen
            }
            .to_decimal_string(),
            "1500"
        );
    }

    #[test]
    fn too_many_decimals_and_sign_rules() {
        assert!(parse("1.005").is_err());
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::parse("1.005", kwd, Sign::Any).unwrap().minor, 1005);
        assert!(Money::parse("0", usd(), Sign::Positive).is_err());
        assert!(Money::parse("-5", usd(), Sign::Positive).is_err());
    }

    #[test]
    fn decimal_string_round_trips() {
        for text in ["0.05", "-1234.50", "12.00", "0.00"] {
            assert_eq!(parse(text).unwrap().to_decimal_string(), text);
        }
    }

    #[test]
    fn unknown_currency_codes_are_refused() {
        assert!(Currency::parse("XYZ").is_err());
        assert!(Currency::parse("XAU").is_err(), "gold has no minor unit");
        assert!(parse("12 ABC").is_err());
    }
}
