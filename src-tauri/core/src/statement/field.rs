//! What the OFX, QIF and CAMT readers do alike: turn the file's bytes into text, count lines,
//! read amounts exactly and tidy descriptions, with errors that name the line.

use crate::domain::{Currency, Money, Sign, MAX_DESCRIPTION_CHARS};
use crate::error::{AppError, Result};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// These formats are read whole; a real statement is far smaller (a year of daily card use
/// is about 1 MB of OFX), so anything larger is not one and is refused before decoding.
pub(super) const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A problem with the file at `line`, in a sentence for the user.
pub(super) fn at_line(line: u64, message: impl std::fmt::Display) -> AppError {
    AppError::invalid("file", format!("Line {line}: {message}"))
}

/// The file as text. A byte-order mark decides when there is one; otherwise valid UTF-8 is
/// taken as UTF-8 (text in another encoding is almost never valid UTF-8 by chance, and banks
/// do send UTF-8 under a `CHARSET:1252` header), and anything else is decoded as `declared`
/// or, failing that, Windows-1252, which maps every byte and is what such files mostly are.
pub(super) fn decode<'a>(
    bytes: &'a [u8],
    declared: Option<&'static Encoding>,
) -> Result<Cow<'a, str>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::invalid(
            "file",
            "The file is larger than 64 MiB: too large for a bank statement in this format.",
        ));
    }
    let text = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding.decode_without_bom_handling(&bytes[bom..]).0,
        None => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => {
                declared
                    .filter(|e| *e != UTF_8)
                    .unwrap_or(WINDOWS_1252)
                    .decode_without_bom_handling(bytes)
                    .0
            }
        },
    };
    if text.trim().is_empty() {
        return Err(AppError::invalid("file", "The file is empty."));
    }
    if let Some(at) = text.find('\0') {
        return Err(at_line(
            line_of(&text, at),
            "the file holds binary data, not a bank statement.",
        ));
    }
    Ok(text)
}

/// The 1-based line of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> u64 {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
}

/// Counts lines forward through one text, so a reader asking in file order counts each
/// newline once.
pub(super) struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line of `offset`, which must not be before the last one asked for.
    pub(super) fn at(&mut self, offset: usize) -> u64 {
        let end = offset.min(self.text.len());
        if end > self.offset {
            let newlines = self.text[self.offset..end].iter().filter(|b| **b == b'\n');
            self.line += newlines.count() as u64;
            self.offset = end;
        }
        self.line
    }
}

/// An amount as a statement writes it: an optional sign, digits, `.` and `,`, nothing else
/// (no symbols, no exponents), read exactly by [`Money::parse`], which also refuses amounts
/// past Outlay's limit. `grouped` amounts may have thousands separators ("1,234.56",
/// "1.234,56"); otherwise the one separator there may be is the decimal point, whichever it
/// is (OFX and CAMT write no grouping).
pub(super) fn amount(text: &str, currency: Currency, grouped: bool, line: u64) -> Result<Money> {
    let text = text.trim();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let separators = unsigned.chars().filter(|c| *c == '.' || *c == ',').count();
    let plain = unsigned.chars().any(|c| c.is_ascii_digit())
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && (grouped || separators <= 1);
    if !plain {
        return Err(at_line(
            line,
            format!("the amount \"{text}\" is not a number."),
        ));
    }
    let normal = if grouped {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.replace(',', "."))
    };
    let normal = without_zero_decimals(&normal, currency.exponent());
    Money::parse(normal, currency, Sign::Any).map_err(|error| {
        let reason = error.to_string();
        let mut reason = reason.chars();
        let first = reason.next().map(|c| c.to_ascii_lowercase());
        let reason: String = first.into_iter().chain(reason).collect();
        at_line(
            line,
            format!("the amount \"{text}\" cannot be used: {reason}"),
        )
    })
}

/// "1500.00" in yen is 1500: exporters often write two decimals whatever the currency.
fn without_zero_decimals(text: &str, exponent: u32) -> &str {
    match text.rsplit_once('.') {
        Some((whole, fraction))
            if fraction.len() > exponent as usize
                && fraction.bytes().skip(exponent as usize).all(|b| b == b'0') =>
        {
            let keep = whole.len()
                + if exponent == 0 {
                    0
                } else {
                    1 + exponent as usize
                };
            &text[..keep]
        }
        _ => text,
    }
}

/// The same amount with the other sign: statements sign from the account's side (money in
/// is positive), a bank line from the spender's.
pub(super) fn spent(signed: Money) -> Money {
    Money {
        minor: -signed.minor,
        ..signed
    }
}

/// The non-empty `parts` joined by " · " on one line: whitespace runs collapsed, control
/// characters dropped, a part that repeats the one before left out, and cut at
/// [`MAX_DESCRIPTION_CHARS`] characters.
pub(super) fn description<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut kept: Vec<String> = Vec::new();
    for part in parts {
        let tidy = part
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !tidy.is_empty() && kept.last() != Some(&tidy) {
            kept.push(tidy);
        }
    }
    kept.join(" · ")
        .chars()
        .take(MAX_DESCRIPTION_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn amounts_are_exact_and_errors_name_the_line() {
        assert_eq!(amount("-12.50", eur(), false, 1).unwrap().minor, -1250);
        assert_eq!(amount("-12,5", eur(), false, 1).unwrap().minor, -1250);
        assert_eq!(amount("+1,234.56", eur(), true, 1).unwrap().minor, 123_456);
        assert!(amount("1,234.56", eur(), false, 1).is_err());
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(amount("1500.00", yen, false, 1).unwrap().minor, 1500);
        assert!(amount("1500.50", yen, false, 1).is_err());
        let error = amount("12,x", eur(), false, 12).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Line 12: the amount \"12,x\" is not a number."
        );
        let error = amount("1234567890123456789012345", eur(), false, 3).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Line 3: the amount \"1234567890123456789012345\" cannot be used: that amount is too large."
        );
        for text in ["", "-", "1e5", "€3", "12 EUR"] {
            assert!(amount(text, eur(), true, 1).is_err(), "{text}");
        }
    }

    #[test]
    fn descriptions_are_one_tidy_line() {
        assert_eq!(
            description(["  REWE  Markt\t12 ", "", "REWE Markt 12", "Karte\n1234"]),
            "REWE Markt 12 · Karte 1234"
        );
        let long = "x".repeat(MAX_DESCRIPTION_CHARS + 10);
        assert_eq!(
            description([long.as_str()]).chars().count(),
            MAX_DESCRIPTION_CHARS
        );
    }

    #[test]
    fn text_is_decoded_and_checked() {
        assert_eq!(decode(b"caf\xe9", None).unwrap(), "café");
        assert_eq!(decode("café".as_bytes(), None).unwrap(), "café");
        assert_eq!(decode(b"\xef\xbb\xbfok", None).unwrap(), "ok");
        assert_eq!(
            decode(b" \n ", None).unwrap_err().to_string(),
            "The file is empty."
        );
        let error = decode(b"a\nb\n\x00\x01", None).unwrap_err();
        assert_eq!(error.field(), Some("file"));
        assert!(error.to_string().starts_with("Line 3: "), "{error}");
        let mut counter = LineCounter::new("a\nb\nc");
        assert_eq!((counter.at(0), counter.at(2), counter.at(4)), (1, 2, 3));
    }
}
