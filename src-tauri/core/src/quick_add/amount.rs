//! The amount of a quick-add line: one number, with a currency symbol, code or word beside it
//! or glued to it ("€30", "12 EUR", "30 euros", "23,40"). The number itself is read by
//! [`Money::parse`], the same parser as the expense form.

use super::tokens::Token;
use crate::domain::{Currency, Money, Sign};
use crate::error::Result;

/// An amount found in the line: how many words it spans and the text [`Money::parse`] reads.
pub(super) struct FoundAmount {
    /// Words it spans (1, or 2 for "12 EUR").
    pub len: usize,
    /// The amount as one string, e.g. "EUR12".
    pub text: String,
    /// As the user typed it, for messages.
    pub typed: String,
}

/// Symbols [`Money::parse`] knows, longest first so "US$" is not read as "$".
const SYMBOLS: &[&str] = &[
    "US$", "CA$", "A$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "$",
];

/// Lower-case codes common enough to be meant as a currency when typed in lower case; other
/// codes count only in capitals, since "all", "top" and "cup" are words as well as currencies.
const COMMON_CODES: &[&str] = &[
    "eur", "usd", "gbp", "chf", "jpy", "cad", "aud", "nzd", "sek", "nok", "dkk", "pln", "czk",
    "huf", "inr", "cny", "mxn", "brl", "zar", "sgd", "hkd",
];

/// The amount starting at `tokens[0]`, if one does. Something shaped like an amount that does
/// not parse ("12.505" in USD) is an error rather than a word of the description.
pub(super) fn amount_at(tokens: &[&Token], base: Currency) -> Result<Option<FoundAmount>> {
    let Some(first) = tokens.first() else {
        return Ok(None);
    };
    let second = tokens.get(1);
    let found = if is_plain_number(first.bare) {
        match second.and_then(|t| currency_word(t)) {
            Some(prefix) => Some((2, format!("{prefix}{}", first.bare))),
            None => Some((1, first.bare.to_owned())),
        }
    } else if looks_like_amount(first.bare) {
        Some((1, first.bare.to_owned()))
    } else {
        match (currency_word(first), second) {
            (Some(prefix), Some(next)) if is_plain_number(next.bare) => {
                Some((2, format!("{prefix}{}", next.bare)))
            }
            _ => None,
        }
    };
    let Some((len, text)) = found else {
        return Ok(None);
    };
    Money::parse(&text, base, Sign::Any)?;
    let typed = tokens[..len]
        .iter()
        .map(|t| t.bare)
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Some(FoundAmount { len, text, typed }))
}

/// Digits with separators and an optional sign: "12", "23,40", "1.234,56", "-5", ".5".
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
}

/// A number with a symbol or a known code glued to it: "€30", "30€", "12EUR", "-$5".
fn looks_like_amount(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    for symbol in SYMBOLS {
        if let Some(rest) = text
            .strip_prefix(symbol)
            .or_else(|| text.strip_suffix(symbol))
        {
            return is_plain_number(rest.trim());
        }
    }
    let is_code = |code: &str| {
        code.len() == 3
            && code.bytes().all(|b| b.is_ascii_alphabetic())
            && Currency::parse(code).is_ok()
    };
    let split_at_code = |at: usize| text.is_char_boundary(at).then(|| text.split_at(at));
    if let Some((code, rest)) = split_at_code(3) {
        if is_code(code) && is_plain_number(rest) {
            return true;
        }
    }
    if let Some((rest, code)) = text.len().checked_sub(3).and_then(split_at_code) {
        if is_code(code) && is_plain_number(rest) {
            return true;
        }
    }
    false
}

/// A word meaning a currency, as a prefix [`Money::parse`] understands ("EUR", "$").
fn currency_word(token: &Token) -> Option<String> {
    if SYMBOLS.contains(&token.bare) {
        return Some(token.bare.to_owned());
    }
    let word = token.lower.as_str();
    let by_name = match word {
        "euro" | "euros" => Some("EUR"),
        "dollar" | "dollars" | "buck" | "bucks" => Some("$"),
        "pound" | "pounds" | "quid" => Some("£"),
        "yen" => Some("¥"),
        _ => None,
    };
    if let Some(prefix) = by_name {
        return Some(prefix.to_owned());
    }
    let capitals = token.bare.len() == 3 && token.bare.bytes().all(|b| b.is_ascii_uppercase());
    if (capitals || COMMON_CODES.contains(&word)) && Currency::parse(token.bare).is_ok() {
        return Some(token.bare.to_ascii_uppercase());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenise;
    use super::*;

    fn amount(text: &str) -> Option<(usize, Money)> {
        let tokens = tokenise(text);
        let refs: Vec<&Token> = tokens.iter().collect();
        let usd = Currency::parse("USD").unwrap();
        amount_at(&refs, usd).unwrap().map(|found| {
            (
                found.len,
                Money::parse(&found.text, usd, Sign::Any).unwrap(),
            )
        })
    }

    #[test]
    fn symbols_codes_and_words() {
        let euro = |minor| Money {
            minor,
            currency: Currency::parse("EUR").unwrap(),
        };
        assert_eq!(amount("€30"), Some((1, euro(3000))));
        assert_eq!(amount("30 €"), Some((2, euro(3000))));
        assert_eq!(amount("12 EUR"), Some((2, euro(1200))));
        assert_eq!(amount("EUR 12"), Some((2, euro(1200))));
        assert_eq!(amount("12eur"), Some((1, euro(1200))));
        assert_eq!(amount("30 euros"), Some((2, euro(3000))));
        assert_eq!(amount("12 ALL").map(|a| a.1.currency.code()), Some("ALL"));
        assert_eq!(
            amount("12 all").map(|a| a.0),
            Some(1),
            "lower-case 'all' is a word"
        );
    }

    #[test]
    fn words_are_not_amounts() {
        for word in ["lunch", "3pm", "7-eleven", "b2b", "€", "1/2", "12abc", "#5"] {
            assert!(amount(word).is_none(), "{word}");
        }
    }
}
