//! QIF (Quicken Interchange Format) files: `!Type:Bank`, `!Type:CCard`, `!Type:Cash`,
//! `!Type:Oth A` and `!Type:Oth L` sections of records, one field a line (`D` date, `T` or `U`
//! amount, `P` payee, `M` memo, …), each record ended by `^`.
//!
//! Follows the QIF format as Quicken documents it ("Quicken Interchange Format (QIF) files",
//! Intuit) and the GnuCash QIF import notes (`qif-import/file-format.txt`: the date forms,
//! the apostrophe year, splits and the `!Account` and list sections).
//!
//! - **Encoding**: UTF-8, else Windows-1252 (older Quicken writes the ANSI code page).
//! - **Dates** come in many forms: `MM/DD/YYYY`, `MM/DD/YY`, `M/D'YY` (the apostrophe marks
//!   a year from 2000), `DD/MM/YYYY` and `DD.MM.YYYY` from European exports, `YYYY-MM-DD`;
//!   Quicken pads with spaces (`D 1/ 5'26`). The day/month order is decided once for the whole
//!   file: the order every date fits; when both fit, month first (Quicken's own order)
//!   unless the dates are written with dots, the European way. A two-digit year without an
//!   apostrophe is 2000–2068 for 00–68 and 1969–1999 for 69–99 (POSIX `%y`).
//! - **Amount**: `T` (or `U`, its newer twin, when there is no `T`), thousands separators
//!   allowed; a negative amount is a payment, so it is money spent.
//! - **Currency**: QIF names none; every line is in `base`.
//! - **Description**: `P` payee and `M` memo. `N` (number) and `L` (category) have no place
//!   in a bank line; split lines (`S`, `E`, `$`) are part of their record's total.
//! - **Reference**: none (QIF has no transaction id). **Pending**: never.
//! - A last record without its `^` is refused: the file was cut short, maybe mid-amount.
//! - Sections that are not transactions (`!Account`, `!Type:Cat`, `!Type:Class`,
//!   `!Type:Memorized`, `!Type:Invst`, …) are skipped.

use super::field::{amount, at_line, decode, description, spent};
use super::BankLine;
use crate::domain::Currency;
use crate::error::Result;
use chrono::NaiveDate;

/// Reads a QIF file; see the module's notes.
pub(super) fn read(bytes: &[u8], base: Currency) -> Result<Vec<BankLine>> {
    let text = decode(bytes, None)?;
    let records = records(&text)?;
    let dates = records
        .iter()
        .map(|r| {
            let (text, line) = r.date.as_ref().ok_or_else(|| {
                at_line(
                    r.line,
                    "the transaction has no date (a line starting with D).",
                )
            })?;
            written_date(text).ok_or_else(|| not_a_date(text, *line))
        })
        .collect::<Result<Vec<_>>>()?;
    let day_first = day_comes_first(&records, &dates)?;
    records
        .into_iter()
        .zip(dates)
        .map(|(record, written)| {
            let (text, line) = record.amount.as_ref().ok_or_else(|| {
                at_line(
                    record.line,
                    "the transaction has no amount (a line starting with T).",
                )
            })?;
            Ok(BankLine {
                line: record.line,
                date: written
                    .date(day_first)
                    .expect("day_first() checked every date"),
                spent: spent(amount(text, base, true, *line)?),
                description: description([record.payee.as_str(), record.memo.as_str()]),
                reference: None,
                pending: false,
            })
        })
        .collect()
}

/// A field's value and its line.
type Field = (String, u64);

/// One transaction record as written.
#[derive(Default)]
struct Record {
    line: u64,
    date: Option<Field>,
    amount: Option<Field>,
    payee: String,
    memo: String,
}

/// The transaction records of every bank, card and cash section, in file order.
fn records(text: &str) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    let mut current: Option<Record> = None;
    // None before the first header; then whether the section holds transactions.
    let mut section: Option<bool> = None;
    let mut any_transactions = false;
    for (index, raw) in text.split('\n').enumerate() {
        let line = index as u64 + 1;
        let raw = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let Some(code) = raw.chars().next() else {
            continue;
        };
        let value = raw[code.len_utf8()..].trim();
        if code == '!' {
            records.extend(current.take());
            match value.get(..5).filter(|t| t.eq_ignore_ascii_case("Type:")) {
                Some(_) => {
                    let kind = value[5..].trim().to_ascii_lowercase();
                    let bank =
                        matches!(kind.as_str(), "bank" | "ccard" | "cash" | "oth a" | "oth l");
                    any_transactions |= bank;
                    section = Some(bank);
                }
                None if value.eq_ignore_ascii_case("Account") => section = Some(false),
                // `!Option:AutoSwitch`, `!Clear:AutoSwitch`: switches, no data.
                None => {}
            }
            continue;
        }
        match section {
            None => {
                let message = "this is not a QIF file: it does not start with a \"!Type:\" line.";
                return Err(at_line(line, message));
            }
            Some(false) => continue,
            Some(true) => {}
        }
        if code == '^' {
            records.extend(current.take());
            continue;
        }
        let record = current.get_or_insert_with(|| Record {
            line,
            ..Record::default()
        });
        let field = || Some((value.to_string(), line));
        match code {
            'D' if record.date.is_none() => record.date = field(),
            'T' => record.amount = field(),
            'U' if record.amount.is_none() => record.amount = field(),
            'P' => record.payee = value.to_string(),
            'M' => record.memo = value.to_string(),
            _ => {}
        }
    }
    // Quicken ends every record with `^`: without it the file was cut short, perhaps in
    // the middle of an amount.
    if let Some(record) = current {
        let message = "the last transaction does not end with \"^\"; the file may be cut short.";
        return Err(at_line(record.line, message));
    }
    if !any_transactions {
        let message = "the QIF file holds no bank, card or cash transactions.";
        return Err(at_line(1, message));
    }
    Ok(records)
}

/// A date as written, before the file tells which of its first two numbers is the month.
#[derive(Clone, Copy)]
enum Written {
    /// `YYYY-MM-DD`: no doubt about the order.
    Iso(NaiveDate),
    /// `first/second/year`.
    Pair {
        first: u32,
        second: u32,
        year: i32,
        dots: bool,
    },
}

impl Written {
    /// The date in the given order, if it is one.
    fn date(self, day_first: bool) -> Option<NaiveDate> {
        match self {
            Written::Iso(date) => Some(date),
            Written::Pair {
                first,
                second,
                year,
                ..
            } => match day_first {
                true => NaiveDate::from_ymd_opt(year, second, first),
                false => NaiveDate::from_ymd_opt(year, first, second),
            },
        }
    }
}

fn not_a_date(text: &str, line: u64) -> crate::error::AppError {
    at_line(line, format!("the date \"{text}\" is not a date."))
}

/// Splits a QIF date into its numbers; `None` when it is not a date in any order.
fn written_date(text: &str) -> Option<Written> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = compact.split(['/', '-', '.', '\'']).collect();
    let numeric = |p: &&str| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(numeric) {
        return None;
    }
    let number = |i: usize| parts[i].parse::<u32>().ok();
    if parts[0].len() == 4 {
        let year = i32::try_from(number(0)?).ok()?;
        return NaiveDate::from_ymd_opt(year, number(1)?, number(2)?).map(Written::Iso);
    }
    let short = number(2)? as i32;
    let year = match parts[2].len() {
        4 => short,
        1 | 2 if compact.contains('\'') => 2000 + short,
        1 | 2 if short <= 68 => 2000 + short,
        1 | 2 => 1900 + short,
        _ => return None,
    };
    let written = Written::Pair {
        first: number(0)?,
        second: number(1)?,
        year,
        dots: compact.contains('.'),
    };
    (written.date(false).is_some() || written.date(true).is_some()).then_some(written)
}

/// Whether the file writes the day first: the order every date fits (see the module's notes);
/// when none does, the first date that breaks the likelier order is named.
fn day_comes_first(records: &[Record], dates: &[Written]) -> Result<bool> {
    let fits = |day_first: bool| dates.iter().filter(|d| d.date(day_first).is_some()).count();
    let (month_first_fits, day_first_fits) = (fits(false), fits(true));
    let dots = dates
        .iter()
        .any(|d| matches!(d, Written::Pair { dots: true, .. }));
    let day_first = match (
        month_first_fits == dates.len(),
        day_first_fits == dates.len(),
    ) {
        (true, true) => return Ok(dots),
        (true, false) => return Ok(false),
        (false, true) => return Ok(true),
        (false, false) => day_first_fits > month_first_fits,
    };
    let order = if day_first { "day/month" } else { "month/day" };
    let (record, _) = records
        .iter()
        .zip(dates)
        .find(|(_, d)| d.date(day_first).is_none())
        .expect("some date does not fit either order");
    let (text, line) = record
        .date
        .as_ref()
        .expect("every record has a date by now");
    Err(at_line(
        *line,
        format!("the date \"{text}\" does not fit the {order} order of the file's other dates."),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    // Written after a checking account as Quicken for Windows exports it (CRLF, apostrophe
    // years, space-padded days, a split record carrying both U and T).
    const CHECKING: &[u8] = include_bytes!("testdata/checking.qif");

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn refused(file: &str) -> String {
        let error = read(file.as_bytes(), usd()).expect_err("the file should be refused");
        assert_eq!(
            (error.kind(), error.field()),
            (crate::error::ErrorKind::Invalid, Some("file")),
            "{error}"
        );
        error.to_string()
    }

    fn dates(file: &str) -> Vec<String> {
        let lines = read(file.as_bytes(), usd()).unwrap();
        lines.iter().map(|l| l.date.to_string()).collect()
    }

    #[test]
    fn reads_a_quicken_checking_export() {
        let lines = read(CHECKING, usd()).unwrap();
        assert_eq!(lines.len(), 5);
        let expect = |line: u64, date: &str, minor: i64, text: &str| BankLine {
            line,
            date: date.parse().unwrap(),
            spent: Money {
                minor,
                currency: usd(),
            },
            description: text.to_string(),
            reference: None,
            pending: false,
        };
        let coffee = "STARBUCKS #1234 · Coffee with Sam";
        assert_eq!(lines[0], expect(2, "2026-01-05", 1250, coffee));
        assert_eq!(
            lines[1],
            expect(8, "2026-01-07", -245_000, "ACME CORP PAYROLL")
        );
        assert_eq!(
            lines[2],
            expect(13, "2026-01-12", 129_999, "BEST BUY 00123 · TV")
        );
        let water = "CITY OF SPRINGFIELD · Water bill";
        assert_eq!(lines[3], expect(21, "2026-01-15", 8430, water));
        assert_eq!(lines[4], expect(32, "2026-01-31", 495, "SERVICE CHARGE"));
    }

    #[test]
    fn the_day_month_order_is_decided_by_all_records() {
        let european =
            "!Type:Bank\nD02/01/2026\nT-1.234,56\nPB\u{e4}cker\n^\nD13/01/2026\nT-5,00\n^\n";
        assert_eq!(dates(european), ["2026-01-02", "2026-01-13"]);
        let lines = read(european.as_bytes(), usd()).unwrap();
        assert_eq!((lines[0].spent.minor, lines[1].spent.minor), (123_456, 500));
        // Both orders fit: month first, unless written with dots.
        assert_eq!(dates("!Type:CCard\nD01/02/2026\nT-1\n^\n"), ["2026-01-02"]);
        assert_eq!(dates("!Type:Cash\nD01.02.2026\nT-1\n^\n"), ["2026-02-01"]);
        assert_eq!(
            dates(
                "!Type:Bank\nD1/5/98\nT1\n^\nD1/5/26\nT1\n^\nD2026-01-05\nT1\n^\nD12/31' 5\nT1\n^"
            ),
            ["1998-01-05", "2026-01-05", "2026-01-05", "2005-12-31"]
        );
        assert_eq!(
            refused("!Type:Bank\nD01/13/2026\nT-1\n^\nD13/01/2026\nT-1\n^\n"),
            "Line 5: the date \"13/01/2026\" does not fit the month/day order of the file's other dates."
        );
    }

    #[test]
    fn other_sections_are_skipped_and_windows_1252_is_read() {
        let file = b"!Option:AutoSwitch\n!Account\nNChecking\nTBank\n^\n!Clear:AutoSwitch\n\
                     !Type:Cat\nNGroceries\nE\n^\n!Type:Bank\nD3/ 1'26\nT-3.00\nPCaf\xe9 Fl\xf6r\n^\n";
        let lines = read(file, usd()).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(
            (lines[0].line, lines[0].description.as_str()),
            (12, "Café Flör")
        );
        assert_eq!(
            refused("!Type:Invst\nD1/5/2026\nNBuy\nT-100\n^\n"),
            "Line 1: the QIF file holds no bank, card or cash transactions."
        );
    }

    #[test]
    fn bad_input_names_the_line() {
        assert_eq!(
            refused("!Type:Bank\nD1/5/2026\nT12,x\n^\n"),
            "Line 3: the amount \"12,x\" is not a number."
        );
        assert_eq!(
            refused("!Type:Bank\nD1/5/2026\nT-1\n^\nD02/30/2026\nT-1\n^\n"),
            "Line 5: the date \"02/30/2026\" is not a date."
        );
        let huge = refused("!Type:Bank\nD1/5/2026\nT-1234567890123456789012345\n^\n");
        assert!(
            huge.starts_with("Line 3: ") && huge.contains("too large"),
            "{huge}"
        );
        assert_eq!(
            refused("!Type:Bank\nT-1\n^\n"),
            "Line 2: the transaction has no date (a line starting with D)."
        );
        assert_eq!(
            refused("!Type:Bank\nD1/5/2026\nPNo amount\n^\n"),
            "Line 2: the transaction has no amount (a line starting with T)."
        );
        assert_eq!(
            refused("!Type:Bank\nD1/5/2026\nT-1.00\n^\nD1/6/2026\nT-1,2"),
            "Line 5: the last transaction does not end with \"^\"; the file may be cut short."
        );
        assert_eq!(refused("\r\n  \r\n"), "The file is empty.");
        assert_eq!(
            refused("PK\u{3}\u{4}\u{14}\0\u{6}\0"),
            "Line 1: the file holds binary data, not a bank statement."
        );
        assert_eq!(
            refused("Date,Amount\n2026-01-05,12.50\n"),
            "Line 1: this is not a QIF file: it does not start with a \"!Type:\" line."
        );
    }
}
