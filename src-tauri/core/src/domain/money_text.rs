//! Money as people read it in alerts and e-mails: "$1,234.50", "€12.00", "CHF 80.00".
//!
//! Deterministic on purpose (no locale lookup): the same alert reads the same on every device,
//! in the notification, the app and the e-mail. Symbols follow CLDR's English forms, which
//! tell dollars apart ("CA$", "A$"); a currency without an unambiguous symbol shows its code.

use super::Money;

/// Currencies written with a symbol in front; every other currency is written with its code.
const SYMBOLS: &[(&str, &str)] = &[
    ("USD", "$"),
    ("EUR", "€"),
    ("GBP", "£"),
    ("JPY", "¥"),
    ("INR", "₹"),
    ("KRW", "₩"),
    ("ILS", "₪"),
    ("VND", "₫"),
    ("PHP", "₱"),
    ("CAD", "CA$"),
    ("AUD", "A$"),
    ("NZD", "NZ$"),
    ("HKD", "HK$"),
    ("MXN", "MX$"),
    ("BRL", "R$"),
    ("TWD", "NT$"),
    ("CNY", "CN¥"),
];

impl Money {
    /// "$412.50", "-€3.00", "¥1,500", "CHF 1,234.50": thousands grouped with ",", the
    /// currency's own number of decimals after ".".
    pub fn to_display_string(&self) -> String {
        let exponent = self.currency.exponent();
        let abs = self.minor.unsigned_abs();
        let scale = 10u64.pow(exponent);
        let whole = group_thousands(abs / scale);
        let number = match exponent {
            0 => whole,
            _ => format!("{whole}.{:0width$}", abs % scale, width = exponent as usize),
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        let code = self.currency.code();
        match SYMBOLS.iter().find(|(c, _)| *c == code) {
            Some((_, symbol)) => format!("{sign}{symbol}{number}"),
            None => format!("{sign}{code} {number}"),
        }
    }
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    // Groups of three from the right; the digits are ASCII, so every chunk is valid UTF-8.
    let mut groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    groups.reverse();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use crate::domain::{Currency, Money};

    fn text(minor: i64, code: &str) -> String {
        Money {
            minor,
            currency: Currency::parse(code).unwrap(),
        }
        .to_display_string()
    }

    #[test]
    fn symbols_decimals_and_groups() {
        assert_eq!(text(41_250, "USD"), "$412.50");
        assert_eq!(text(40_000, "USD"), "$400.00");
        assert_eq!(text(123_456_789, "USD"), "$1,234,567.89");
        assert_eq!(text(5, "EUR"), "€0.05");
        assert_eq!(text(150_000, "JPY"), "¥150,000");
        assert_eq!(text(1_005, "KWD"), "KWD 1.005");
        assert_eq!(text(8_000, "CHF"), "CHF 80.00");
        assert_eq!(text(99_999, "CAD"), "CA$999.99");
        assert_eq!(text(-300, "GBP"), "-£3.00");
        assert_eq!(text(0, "USD"), "$0.00");
        assert_eq!(text(100_000, "USD"), "$1,000.00");
    }
}
