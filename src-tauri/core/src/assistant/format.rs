//! Money and counts in words, the same on every machine (no locale).

use crate::domain::Money;

/// "1,234.50 USD", "-5.00 EUR", "1,500 JPY".
pub(crate) fn money(amount: Money) -> String {
    let plain = amount.to_decimal_string();
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction} {}", amount.currency.code()),
        None => format!("{sign}{grouped} {}", amount.currency.code()),
    }
}

/// "1 expense", "3 expenses".
pub(crate) fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `total / parts` in minor units, rounded half away from zero.
pub(crate) fn divide(total: i64, parts: i64) -> i64 {
    if parts <= 0 {
        return 0;
    }
    let (total, parts) = (i128::from(total), i128::from(parts));
    let rounded = (2 * total.abs() + parts) / (2 * parts);
    let rounded = if total < 0 { -rounded } else { rounded };
    i64::try_from(rounded).unwrap_or(0)
}

/// Upper-cases the first letter: names start sentences too ("Last week: …").
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;

    fn usd(minor: i64) -> Money {
        Money {
            minor,
            currency: Currency::parse("USD").unwrap(),
        }
    }

    #[test]
    fn grouping_and_signs() {
        assert_eq!(money(usd(123_456_789)), "1,234,567.89 USD");
        assert_eq!(money(usd(-500)), "-5.00 USD");
        assert_eq!(money(usd(5)), "0.05 USD");
        assert_eq!(money(usd(100_000)), "1,000.00 USD");
        let yen = Money {
            minor: 1500,
            currency: Currency::parse("JPY").unwrap(),
        };
        assert_eq!(money(yen), "1,500 JPY");
    }

    #[test]
    fn rounding_half_away_from_zero() {
        assert_eq!(divide(10, 4), 3);
        assert_eq!(divide(-10, 4), -3);
        assert_eq!(divide(9, 4), 2);
        assert_eq!(divide(7, 0), 0);
    }
}
