//! Bank statements in: the files banks and finance apps export (CSV as each bank writes it,
//! OFX/QFX, QIF, ISO 20022 CAMT.053), read into one shape, [`BankLine`], reviewed, then saved
//! as expenses.
//!
//! Every reader turns its format into bank lines and nothing more: which lines become
//! expenses (money out, booked, not a duplicate), which category each gets and how it is
//! saved is decided once, after reading, the same for every format.

mod amounts;
mod camt;
mod columns;
mod dates;
mod decode;
mod field;
mod file;
mod layout;
mod ofx;
mod qif;
mod quotes;
mod read;
mod rules;
mod service;
mod sgml;

pub use amounts::DecimalMark;
pub use columns::Role;
pub use dates::DateOrder;
pub use file::MAX_DOCUMENT_BYTES;
pub use layout::{CsvLayout, Detected, Spending};
pub use read::{CsvRows, Row};
pub use rules::{CategoryRule, MAX_RULE_CHARS};
pub use service::{
    ReviewRow, RowKind, StatementChoices, StatementCounts, StatementImport, StatementReview,
    MAX_FLAGGED, REVIEW_ROWS,
};

use crate::domain::{Currency, Money};
use crate::error::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One transaction as the statement states it, whatever the format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BankLine {
    /// The 1-based line of the file where the transaction starts, for messages and review.
    pub line: u64,
    /// The booking date (the date the bank gives first when it gives several).
    pub date: NaiveDate,
    /// Money out of the account is positive (spending); money in (salary, refunds,
    /// transfers in) is negative. Zero is a notice line, not a transaction.
    pub spent: Money,
    /// Payee and purpose as the bank wrote them, on one line.
    pub description: String,
    /// The bank's own id for the transaction when the format has one (OFX `FITID`, CAMT
    /// `AcctSvcrRef` or `NtryRef`): the duplicate key when present.
    pub reference: Option<String>,
    /// Not yet booked (OFX has none; CAMT `PDNG`, CSV "pending" rows): shown in the review,
    /// not saved unless the user chooses to.
    pub pending: bool,
}

/// The kinds of statement file Outlay reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum StatementFormat {
    /// Comma- (or semicolon-, tab-) separated values, as each bank lays them out.
    Csv,
    /// OFX or QFX, version 1.x (SGML) or 2.x (XML).
    Ofx,
    /// Quicken Interchange Format.
    Qif,
    /// ISO 20022 CAMT.053 statement or CAMT.052 account report.
    Camt,
}

/// The format of a file that is plainly OFX, QIF or CAMT, from its first few kilobytes:
/// OFX by an `OFXHEADER` or `<OFX>`, QIF by a first line `!Type:` (or `!Account`, `!Option`),
/// CAMT by a `BkToCstmrStmt` or `BkToCstmrAcctRpt` element. `None` for anything else,
/// which the caller then reads as CSV (and refuses there if it is not).
pub fn sniff(bytes: &[u8]) -> Option<StatementFormat> {
    let head = &bytes[..bytes.len().min(8192)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let first = &head[start..head.len().min(start + 8)];
    if [&b"!type:"[..], &b"!account"[..], &b"!option"[..]]
        .iter()
        .any(|p| first.len() >= p.len() && first[..p.len()].eq_ignore_ascii_case(p))
    {
        return Some(StatementFormat::Qif);
    }
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if contains(b"OFXHEADER") || contains(b"<OFX>") {
        return Some(StatementFormat::Ofx);
    }
    if contains(b"BkToCstmrStmt") || contains(b"BkToCstmrAcctRpt") {
        return Some(StatementFormat::Camt);
    }
    None
}

/// Reads an OFX/QFX statement (1.x SGML or 2.x XML, bank or credit card). `base` is the
/// currency when the file names none. Errors are `Invalid` on `"file"`, naming the line.
pub fn read_ofx(bytes: &[u8], base: Currency) -> Result<Vec<BankLine>> {
    ofx::read(bytes, base)
}

/// Reads a QIF file's bank, card and cash transactions, all in `base` (QIF names no
/// currency). Errors are `Invalid` on `"file"`, naming the line.
pub fn read_qif(bytes: &[u8], base: Currency) -> Result<Vec<BankLine>> {
    qif::read(bytes, base)
}

/// Reads an ISO 20022 CAMT.053 statement or CAMT.052 report, any version. `base` is the
/// currency of an amount without `Ccy`. Errors are `Invalid` on `"file"`, naming the line.
pub fn read_camt(bytes: &[u8], base: Currency) -> Result<Vec<BankLine>> {
    camt::read(bytes, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_knows_each_format_and_leaves_csv_to_the_caller() {
        let cases: [(&[u8], Option<StatementFormat>); 8] = [
            (
                include_bytes!("testdata/bank.ofx"),
                Some(StatementFormat::Ofx),
            ),
            (
                include_bytes!("testdata/card-v2.ofx"),
                Some(StatementFormat::Ofx),
            ),
            (
                include_bytes!("testdata/checking.qif"),
                Some(StatementFormat::Qif),
            ),
            (
                b"\xef\xbb\xbf\r\n  !type:CCard\r\n",
                Some(StatementFormat::Qif),
            ),
            (
                include_bytes!("testdata/camt053.xml"),
                Some(StatementFormat::Camt),
            ),
            (b"Date;Amount;Description\n05.01.2026;-12,50;REWE\n", None),
            (b"Type,Account,Date\n!Type:Bank,x,y\n", None),
            (b"", None),
        ];
        for (bytes, format) in cases {
            assert_eq!(
                sniff(bytes),
                format,
                "{}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
            );
        }
        assert_eq!(
            serde_json::to_string(&StatementFormat::Camt).unwrap(),
            "\"camt\""
        );
    }

    #[test]
    fn no_cut_of_any_fixture_panics_or_passes_for_whole() {
        let eur = Currency::parse("EUR").unwrap();
        type Reader = fn(&[u8], Currency) -> Result<Vec<BankLine>>;
        let fixtures: [(&[u8], Reader); 4] = [
            (include_bytes!("testdata/bank.ofx"), read_ofx),
            (include_bytes!("testdata/card-v2.ofx"), read_ofx),
            (include_bytes!("testdata/checking.qif"), read_qif),
            (include_bytes!("testdata/camt053.xml"), read_camt),
        ];
        for (bytes, read) in fixtures {
            let whole = read(bytes, eur).unwrap().len();
            // Every cut loses something, so none may read as the whole file.
            let end = bytes
                .iter()
                .rposition(|b| !b.is_ascii_whitespace())
                .unwrap();
            for cut in 0..end {
                match read(&bytes[..cut], eur) {
                    Ok(lines) => assert!(lines.len() < whole, "cut at {cut}"),
                    Err(error) => assert_eq!(error.field(), Some("file"), "cut at {cut}: {error}"),
                }
            }
        }
    }

    #[test]
    fn the_public_readers_read_their_formats() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(
            read_ofx(include_bytes!("testdata/bank.ofx"), eur)
                .unwrap()
                .len(),
            5
        );
        assert_eq!(
            read_qif(include_bytes!("testdata/checking.qif"), eur)
                .unwrap()
                .len(),
            5
        );
        assert_eq!(
            read_camt(include_bytes!("testdata/camt053.xml"), eur)
                .unwrap()
                .len(),
            5
        );
        let huge = vec![b' '; 64 * 1024 * 1024 + 1];
        let error = read_qif(&huge, eur).unwrap_err();
        assert_eq!(
            error.to_string(),
            "The file is larger than 64 MiB: too large for a bank statement in this format."
        );
    }
}
