//! Amounts as banks write them: `-1.234,56` and `1,234.56`, `1'234.56`, `1 234,56`, `£1.00`,
//! `+ £1,100.00`, `- $12.01`, `$-25.00`, `9,90-`, `(12.50)`, `12.50 CR`. Whether the comma or
//! the point is the decimal mark is decided from all the amounts of a file.

use crate::domain::{Currency, Money, Sign};
use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};

/// The decimal mark of a file's amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum DecimalMark {
    /// 1,234.56
    Point,
    /// 1.234,56
    Comma,
}

/// Which way a line says the money went, when it says so in words (`CR`, `Haben`, `debit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Money out of the account.
    Out,
    /// Money into the account.
    In,
}

/// The words that say which way money went, in a column of their own or after an amount.
pub fn direction_word(text: &str) -> Option<Direction> {
    match text.trim().to_lowercase().as_str() {
        "dr" | "debit" | "soll" | "s" | "af" | "d" | "out" | "withdrawal" => Some(Direction::Out),
        "cr" | "credit" | "haben" | "h" | "bij" | "c" | "in" | "deposit" => Some(Direction::In),
        _ => None,
    }
}

/// An amount cell taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellAmount {
    /// The magnitude, as a plain decimal with a point ("1234.56").
    pub digits: String,
    /// A minus, a trailing minus or parentheses.
    pub negative: bool,
    /// An explicit plus ("+ £1.00").
    pub plus: bool,
    /// `CR`/`DR` after the number.
    pub direction: Option<Direction>,
    /// A currency symbol or code in the cell.
    pub currency: Option<Currency>,
}

/// The evidence an amount gives about the decimal mark.
fn mark_evidence(cell: &str) -> Option<DecimalMark> {
    let digits: String = cell
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let (dot, comma) = (digits.rfind('.'), digits.rfind(','));
    let single = |at: usize, sep: char| {
        let after = digits.len() - at - 1;
        let once = digits.matches(sep).count() == 1;
        // "1,234" and "1.234" could be either: a thousands group or three decimals.
        (once && after != 3).then_some(())
    };
    match (dot, comma) {
        (Some(d), Some(c)) if d > c => Some(DecimalMark::Point),
        (Some(_), Some(_)) => Some(DecimalMark::Comma),
        (Some(d), None) => match single(d, '.') {
            Some(()) => Some(DecimalMark::Point),
            None if digits.matches('.').count() > 1 => Some(DecimalMark::Comma),
            None => None,
        },
        (None, Some(c)) => match single(c, ',') {
            Some(()) => Some(DecimalMark::Comma),
            None if digits.matches(',').count() > 1 => Some(DecimalMark::Point),
            None => None,
        },
        (None, None) => None,
    }
}

/// Votes for the decimal mark, one amount at a time.
#[derive(Clone, Debug, Default)]
pub struct MarkVotes {
    point: u64,
    comma: u64,
}

impl MarkVotes {
    /// Counts what `cell` says.
    pub fn see(&mut self, cell: &str) {
        match mark_evidence(cell) {
            Some(DecimalMark::Point) => self.point += 1,
            Some(DecimalMark::Comma) => self.comma += 1,
            None => {}
        }
    }

    /// The mark most amounts show; with no evidence, `fallback`.
    pub fn choose(&self, fallback: DecimalMark) -> DecimalMark {
        match self.point.cmp(&self.comma) {
            std::cmp::Ordering::Greater => DecimalMark::Point,
            std::cmp::Ordering::Less => DecimalMark::Comma,
            std::cmp::Ordering::Equal => fallback,
        }
    }
}

fn not_a_number(cell: &str) -> AppError {
    AppError::invalid("amount", format!("\"{}\" is not an amount.", shorten(cell)))
}

/// At most 40 characters of a cell, for messages.
pub fn shorten(cell: &str) -> String {
    let mut short: String = cell.trim().chars().take(40).collect();
    if cell.trim().chars().count() > 40 {
        short.push('…');
    }
    short
}

/// Takes an amount cell apart with the file's decimal mark.
pub fn read_cell(cell: &str, mark: DecimalMark, default: Currency) -> Result<CellAmount> {
    let mut text = cell.trim();
    let mut direction = None;
    for (suffix, way) in [("CR", Direction::In), ("DR", Direction::Out)] {
        if let Some(rest) = text
            .strip_suffix(suffix)
            .or_else(|| text.strip_suffix(&suffix.to_lowercase()))
        {
            if rest.ends_with(|c: char| c.is_ascii_digit() || c == ' ' || c == ')') {
                direction = Some(way);
                text = rest.trim_end();
            }
        }
    }
    let mut negative = false;
    let mut plus = false;
    let mut digits = String::with_capacity(text.len());
    let mut other = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '-' | '\u{2212}' => negative = true,
            '+' => plus = true,
            '(' | ')' => negative = true,
            '.' | ',' => match (c, mark) {
                ('.', DecimalMark::Point) | (',', DecimalMark::Comma) => digits.push('.'),
                _ => {} // thousands
            },
            '\'' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => {} // thousands or spacing
            other_char => other.push(other_char),
        }
    }
    if digits.is_empty() || digits.matches('.').count() > 1 || (negative && plus) {
        return Err(not_a_number(cell));
    }
    let currency = match other.trim() {
        "" => None,
        symbol => Some(currency_of(symbol, default).ok_or_else(|| {
            AppError::invalid(
                "amount",
                format!("\"{}\" is not a currency Outlay knows.", shorten(symbol)),
            )
        })?),
    };
    Ok(CellAmount {
        digits,
        negative,
        plus,
        direction,
        currency,
    })
}

/// The currency a symbol or code names ("£", "EUR"); "$" is the user's own dollar when
/// theirs is one, as when typing an amount.
fn currency_of(symbol: &str, default: Currency) -> Option<Currency> {
    if symbol.len() == 3 && symbol.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Currency::parse(symbol).ok();
    }
    Money::parse(&format!("{symbol}1"), default, Sign::Any)
        .ok()
        .map(|m| m.currency)
}

/// The magnitude of `amount` in `currency`, exactly; too many decimals or too large an
/// amount are errors on "amount".
pub fn magnitude(amount: &CellAmount, currency: Currency) -> Result<Money> {
    Money::parse(&amount.digits, currency, Sign::Any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn minor(cell: &str, mark: DecimalMark) -> (i64, bool, Option<String>) {
        let amount = read_cell(cell, mark, usd()).unwrap();
        let currency = amount.currency.unwrap_or(usd());
        let money = magnitude(&amount, currency).unwrap();
        let sign = amount.negative;
        (
            money.minor,
            sign,
            amount.currency.map(|c| c.code().to_owned()),
        )
    }

    #[test]
    fn amounts_as_banks_write_them() {
        use DecimalMark::*;
        assert_eq!(minor("-1.234,56", Comma), (123_456, true, None));
        assert_eq!(minor("2.647,74", Comma), (264_774, false, None));
        assert_eq!(minor("-10,7", Comma), (1_070, true, None));
        assert_eq!(minor("2,222.22", Point), (222_222, false, None));
        assert_eq!(minor("1'234.50", Point), (123_450, false, None));
        assert_eq!(minor("1 234,50", Comma), (123_450, false, None));
        assert_eq!(
            minor("£1,183.23", Point),
            (118_323, false, Some("GBP".into()))
        );
        assert_eq!(minor("- $12.01", Point), (1_201, true, Some("USD".into())));
        assert_eq!(minor("$-25.00", Point), (2_500, true, Some("USD".into())));
        assert_eq!(minor("9,90-", Comma), (990, true, None));
        assert_eq!(minor("(12.50)", Point), (1_250, true, None));
        assert_eq!(
            minor("12.50 EUR", Point),
            (1_250, false, Some("EUR".into()))
        );
        let plus = read_cell("+ £1,100.00", Point, usd()).unwrap();
        assert!(plus.plus && !plus.negative);
        let credit = read_cell("12.50 CR", Point, usd()).unwrap();
        assert_eq!(credit.direction, Some(Direction::In));
        assert_eq!(credit.digits, "12.50");
    }

    #[test]
    fn nonsense_is_an_error() {
        assert!(read_cell("12,x", DecimalMark::Point, usd()).is_err());
        assert!(read_cell("", DecimalMark::Point, usd()).is_err());
        assert!(read_cell("1.2.3", DecimalMark::Point, usd()).is_err());
        assert!(read_cell("12 Kč", DecimalMark::Comma, usd()).is_err());
        let huge = read_cell("1234567890123456789012345", DecimalMark::Point, usd()).unwrap();
        assert!(magnitude(&huge, usd()).is_err());
    }

    #[test]
    fn the_mark_is_voted_by_the_amounts() {
        let mut votes = MarkVotes::default();
        for cell in ["-8,78", "-7,08", "100", "1,000"] {
            votes.see(cell);
        }
        assert_eq!(votes.choose(DecimalMark::Point), DecimalMark::Comma);
        let mut votes = MarkVotes::default();
        for cell in ["14.5", "100", "1,000.00", "1,000"] {
            votes.see(cell);
        }
        assert_eq!(votes.choose(DecimalMark::Comma), DecimalMark::Point);
        let undecided = MarkVotes::default();
        assert_eq!(undecided.choose(DecimalMark::Comma), DecimalMark::Comma);
    }
}
