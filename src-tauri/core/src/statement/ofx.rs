//! OFX and QFX statements: OFX 1.x (SGML, a `OFXHEADER:100` header block, elements often
//! without end tags) and OFX 2.x (XML, `<?OFX OFXHEADER="200" …?>`), bank
//! (`BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST`) and credit card
//! (`CREDITCARDMSGSRSV1/CCSTMTTRNRS/CCSTMTRS/BANKTRANLIST`) statements alike.
//!
//! Follows the Open Financial Exchange Specification 1.0.3 and 2.1.1 (Financial Data
//! Exchange): the headers (1.x §2.2, 2.x §2.2), dates (§3.2.8), amounts (§3.2.9: signed from
//! the customer's side, a point or a comma as the radix, no grouping), currencies (§5.2),
//! the bank statement (§11.4.2.3, `STMTTRN` §11.4.3) and the credit card statement (§13).
//!
//! One tolerant tokenizer reads both versions: a value runs from its start tag to the next
//! `<`, an end tag is honoured where it is written and not required where SGML leaves it
//! out, and only the few aggregates a transaction needs are tracked.
//!
//! - **Date**: `DTPOSTED`, the calendar date as written (`YYYYMMDD`; a time and zone after it
//!   are ignored: the user's statement shows the bank's date, not a converted one).
//! - **Amount**: `TRNAMT` negated, so a debit (negative) is money spent.
//! - **Currency**: a transaction's own `CURRENCY/CURSYM` wins, because §5.2 says its amounts
//!   are then in that currency; otherwise the statement's `CURDEF`; otherwise `base`.
//!   `ORIGCURRENCY` does not change it: there the amounts are already converted to `CURDEF`
//!   and the aggregate only records where they came from.
//! - **Description**: `NAME` (or `PAYEE/NAME`) and `MEMO`. **Reference**: `FITID`.
//! - **Pending**: never; OFX lists booked transactions only.

use super::field::{amount, at_line, decode, description, line_of, spent, LineCounter};
use super::sgml::{unescape, Token, Tokens};
use super::BankLine;
use crate::domain::Currency;
use crate::error::Result;
use chrono::NaiveDate;
use encoding_rs::{Encoding, UTF_8};

/// Reads an OFX/QFX file of either version; see the module's notes.
pub(super) fn read(bytes: &[u8], base: Currency) -> Result<Vec<BankLine>> {
    let text = decode(bytes, declared_encoding(bytes))?;
    let start = text.find('<').unwrap_or(text.len());
    let mut reader = Reader {
        base,
        curdef: None,
        transaction: None,
        within: None,
        lines: LineCounter::new(&text),
        found: Vec::new(),
    };
    let (mut opened, mut closed) = (false, false);
    let mut waiting: Option<(String, usize)> = None;
    for token in (Tokens {
        text: &text,
        at: start,
    }) {
        match token? {
            Token::Open(at, name) => {
                waiting = None;
                opened |= name == "OFX";
                if !reader.open(&name, at)? {
                    waiting = Some((name, at));
                }
            }
            Token::Text(value) => {
                if let Some((name, at)) = waiting.take() {
                    if !value.trim().is_empty() {
                        reader.value(&name, &unescape(value.trim()), at);
                    }
                }
            }
            Token::Close(name) => {
                waiting = None;
                closed |= name == "OFX";
                reader.close(&name)?;
            }
        }
    }
    if !opened {
        return Err(at_line(
            1,
            "this is not an OFX statement: there is no <OFX> element.",
        ));
    }
    if !closed {
        return Err(at_line(
            line_of(&text, text.len()),
            "the file ends before the statement does (there is no </OFX>); it may be cut short.",
        ));
    }
    Ok(reader.found)
}

/// The encoding a 1.x header names (`ENCODING:UTF-8`, or `CHARSET:1252`, a Windows code
/// page by number). A 2.x file is XML, UTF-8 unless a byte-order mark says otherwise.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let header = &bytes[..bytes.len().min(4096)];
    let header = &header[..header
        .iter()
        .position(|b| *b == b'<')
        .unwrap_or(header.len())];
    let header = String::from_utf8_lossy(header);
    let field = |key: &str| {
        header.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case(key)
                .then(|| value.trim().to_string())
        })
    };
    if field("ENCODING").is_some_and(|e| e.eq_ignore_ascii_case("UTF-8")) {
        return Some(UTF_8);
    }
    let charset = field("CHARSET")?;
    match charset.bytes().all(|b| b.is_ascii_digit()) {
        true => Encoding::for_label(format!("windows-{charset}").as_bytes()),
        false => Encoding::for_label(charset.as_bytes()),
    }
}

/// A field's value and the line its tag is on.
type Field = (String, u64);

/// One `STMTTRN` as far as it has been read.
#[derive(Default)]
struct Transaction {
    line: u64,
    posted: Option<Field>,
    amount: Option<Field>,
    fitid: Option<String>,
    name: Option<String>,
    memo: Option<String>,
    currency: Option<Field>,
}

/// The state of one pass over the tokens.
struct Reader<'a> {
    base: Currency,
    curdef: Option<Field>,
    transaction: Option<Transaction>,
    /// The aggregate inside the transaction whose elements are being read (`PAYEE`…).
    within: Option<String>,
    lines: LineCounter<'a>,
    found: Vec<BankLine>,
}

impl Reader<'_> {
    /// Handles an aggregate's start tag; false when `name` is not one this reader tracks
    /// (it is then an element, or an aggregate whose contents do not matter).
    fn open(&mut self, name: &str, at: usize) -> Result<bool> {
        match name {
            "STMTTRN" => {
                // SGML may leave the previous one unclosed; it ends here.
                self.close("STMTTRN")?;
                let line = self.lines.at(at);
                self.transaction = Some(Transaction {
                    line,
                    ..Transaction::default()
                });
                Ok(true)
            }
            "PAYEE" | "CURRENCY" | "ORIGCURRENCY" | "BANKACCTTO" | "CCACCTTO"
                if self.transaction.is_some() =>
            {
                self.within = Some(name.to_string());
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// An element's value.
    fn value(&mut self, name: &str, value: &str, at: usize) {
        let line = self.lines.at(at);
        let field = || Some((value.to_string(), line));
        let Some(transaction) = self.transaction.as_mut() else {
            if name == "CURDEF" {
                self.curdef = field();
            }
            return;
        };
        match (self.within.as_deref(), name) {
            (None, "DTPOSTED") => transaction.posted = field(),
            (None, "TRNAMT") => transaction.amount = field(),
            (None, "FITID") => transaction.fitid = Some(value.to_string()),
            (None | Some("PAYEE"), "NAME") => transaction.name = Some(value.to_string()),
            (None, "MEMO") => transaction.memo = Some(value.to_string()),
            (Some("CURRENCY"), "CURSYM") => transaction.currency = field(),
            _ => {}
        }
    }

    /// An end tag. Closing a statement or the whole file also ends an unclosed transaction.
    fn close(&mut self, name: &str) -> Result<()> {
        match name {
            "STMTTRN" | "BANKTRANLIST" | "STMTRS" | "CCSTMTRS" | "OFX" => {
                self.within = None;
                if let Some(transaction) = self.transaction.take() {
                    let line = self.bank_line(transaction)?;
                    self.found.push(line);
                }
                if name != "STMTTRN" && name != "BANKTRANLIST" {
                    self.curdef = None;
                }
            }
            _ if self.within.as_deref() == Some(name) => self.within = None,
            _ => {}
        }
        Ok(())
    }

    fn bank_line(&self, t: Transaction) -> Result<BankLine> {
        let currency = match t.currency.as_ref().or(self.curdef.as_ref()) {
            Some((code, line)) => Currency::parse(code).map_err(|_| {
                at_line(*line, format!("\"{code}\" is not a currency Outlay knows."))
            })?,
            None => self.base,
        };
        let (posted, date_line) = t
            .posted
            .ok_or_else(|| at_line(t.line, "the transaction has no date (DTPOSTED)."))?;
        let (trnamt, amount_line) = t
            .amount
            .ok_or_else(|| at_line(t.line, "the transaction has no amount (TRNAMT)."))?;
        Ok(BankLine {
            line: t.line,
            date: date(&posted, date_line)?,
            spent: spent(amount(&trnamt, currency, false, amount_line)?),
            description: description([t.name.as_deref(), t.memo.as_deref()].into_iter().flatten()),
            reference: t.fitid,
            pending: false,
        })
    }
}

/// `YYYYMMDD`, then optionally a time and a zone, which are not needed for the date.
fn date(text: &str, line: u64) -> Result<NaiveDate> {
    let digits = text
        .get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    digits
        .and_then(|d| {
            let number = |range: std::ops::Range<usize>| d[range].parse::<u32>().ok();
            NaiveDate::from_ymd_opt(
                i32::try_from(number(0..4)?).ok()?,
                number(4..6)?,
                number(6..8)?,
            )
        })
        .ok_or_else(|| at_line(line, format!("the date \"{text}\" is not a date.")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    // Written after the statement examples of the OFX 1.0.3 and 2.1.1 specifications:
    // bank.ofx as French banks export OFX 1.x (SGML, CRLF, CHARSET:1252, decimal commas,
    // no end tags on elements); card-v2.ofx as US card issuers export OFX 2.x (XML,
    // times with zones, FITIDs of 28 digits).
    const BANK: &[u8] = include_bytes!("testdata/bank.ofx");
    const CARD: &[u8] = include_bytes!("testdata/card-v2.ofx");

    fn currency(code: &str) -> Currency {
        Currency::parse(code).unwrap()
    }

    fn bank_line(line: u64, date: &str, minor: i64, code: &str, text: &str, id: &str) -> BankLine {
        BankLine {
            line,
            date: date.parse().unwrap(),
            spent: Money {
                minor,
                currency: currency(code),
            },
            description: text.to_string(),
            reference: Some(id.to_string()),
            pending: false,
        }
    }

    /// The message of an `Invalid` error on "file".
    fn refused(result: Result<Vec<BankLine>>) -> String {
        let error = result.expect_err("the file should be refused");
        assert_eq!(
            (error.kind(), error.field()),
            (crate::error::ErrorKind::Invalid, Some("file")),
            "{error}"
        );
        error.to_string()
    }

    /// A 1.x file with one statement in EUR around `transactions`.
    fn sgml(transactions: &str) -> Vec<u8> {
        format!(
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n<OFX>\n<BANKMSGSRSV1>\n\
             <STMTTRNRS>\n<STMTRS>\n<CURDEF>EUR\n<BANKTRANLIST>\n{transactions}</BANKTRANLIST>\n\
             </STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n"
        )
        .into_bytes()
    }

    #[test]
    fn reads_a_1x_sgml_bank_statement_in_windows_1252() {
        let lines = read(BANK, currency("USD")).unwrap();
        assert_eq!(lines.len(), 5);
        let coffee = "CB CAFE DE LA GARE · CARTE 1234 04/01 Café crème";
        assert_eq!(
            lines[0],
            bank_line(40, "2026-01-05", 1250, "EUR", coffee, "202601050001")
        );
        // Money in, a decimal comma, a time and zone after the date, a MEMO that repeats NAME.
        let salary = "VIR SALAIRE ACME SA";
        assert_eq!(
            lines[1],
            bank_line(48, "2026-01-07", -245_000, "EUR", salary, "202601070002")
        );
        let power = "EDF Électricité · PRLV SEPA Facture 0126";
        assert_eq!(
            lines[2],
            bank_line(56, "2026-01-12", 8990, "EUR", power, "202601120003")
        );
        // CURRENCY: the amount is in USD. ORIGCURRENCY: already converted to CURDEF.
        assert_eq!(
            lines[3].spent,
            Money {
                minor: 4500,
                currency: currency("USD")
            }
        );
        assert_eq!(
            lines[4].spent,
            Money {
                minor: 1840,
                currency: currency("EUR")
            }
        );
        assert_eq!(
            (lines[4].line, lines[4].reference.as_deref()),
            (82, Some("202601250005"))
        );
    }

    #[test]
    fn reads_a_2x_xml_credit_card_statement() {
        let lines = read(CARD, currency("EUR")).unwrap();
        assert_eq!(lines.len(), 4);
        let fitid = "2026011624692163016100058493";
        let food = "WHOLEFDS MKT #10234 · AUSTIN TX";
        assert_eq!(
            lines[0],
            bank_line(29, "2026-01-16", 5423, "USD", food, fitid)
        );
        let paid = "AUTOMATIC PAYMENT - THANK YOU";
        let fitid = "2026012000000000000000000001";
        assert_eq!(
            lines[1],
            bank_line(38, "2026-01-20", -50_000, "USD", paid, fitid)
        );
        let phone = "AT&T*BILL PAYMENT · 800-331-0500 TX";
        let fitid = "2026020324431063033200012876";
        assert_eq!(
            lines[2],
            bank_line(46, "2026-02-03", 8999, "USD", phone, fitid)
        );
        assert_eq!(lines[3].description, "TRADER JOE'S #552");
        assert_eq!((lines[3].line, lines[3].spent.minor), (54, -1500));
    }

    #[test]
    fn tolerates_what_sgml_leaves_out_and_uses_the_base_currency_without_curdef() {
        let file = "OFXHEADER:100\n\n<OFX><STMTTRN><DTPOSTED>20260301<TRNAMT>-7<NAME>AT&T\n\
                    <STMTTRN><DTPOSTED>20260302<TRNAMT>+1.5<FITID>x1\n</OFX>";
        let lines = read(file.as_bytes(), currency("GBP")).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (lines[0].spent.minor, lines[0].spent.currency.code()),
            (700, "GBP")
        );
        assert_eq!(
            (lines[0].description.as_str(), lines[0].reference.as_deref()),
            ("AT&T", None)
        );
        assert_eq!((lines[1].line, lines[1].spent.minor), (4, -150));
    }

    #[test]
    fn bad_values_name_their_line() {
        let transaction = |date: &str, amount: &str| {
            sgml(&format!(
                "<STMTTRN>\n<DTPOSTED>{date}\n<TRNAMT>{amount}\n<FITID>1\n</STMTTRN>\n"
            ))
        };
        assert_eq!(
            refused(read(&transaction("20260105", "12,x"), currency("EUR"))),
            "Line 14: the amount \"12,x\" is not a number."
        );
        assert_eq!(
            refused(read(&transaction("20261331", "-1.00"), currency("EUR"))),
            "Line 13: the date \"20261331\" is not a date."
        );
        let huge = refused(read(
            &transaction("20260105", "1234567890123456789012345"),
            currency("EUR"),
        ));
        assert!(
            huge.starts_with("Line 14: ") && huge.contains("too large"),
            "{huge}"
        );
        let missing = sgml("<STMTTRN>\n<DTPOSTED>20260105\n</STMTTRN>\n");
        assert_eq!(
            refused(read(&missing, currency("EUR"))),
            "Line 12: the transaction has no amount (TRNAMT)."
        );
        let unknown = String::from_utf8(sgml(""))
            .unwrap()
            .replace("<CURDEF>EUR", "<CURDEF>XYZ");
        let unknown = unknown.replace(
            "<BANKTRANLIST>",
            "<BANKTRANLIST><STMTTRN><DTPOSTED>20260101<TRNAMT>1",
        );
        assert_eq!(
            refused(read(unknown.as_bytes(), currency("EUR"))),
            "Line 10: \"XYZ\" is not a currency Outlay knows."
        );
    }

    #[test]
    fn broken_files_are_refused_with_a_line() {
        for cut in [&BANK[..BANK.len() / 2], &CARD[..1500]] {
            let last_line = 1 + cut.iter().filter(|b| **b == b'\n').count();
            let message = refused(read(cut, currency("EUR")));
            assert!(
                message.starts_with(&format!("Line {last_line}: ")),
                "{message}"
            );
            assert!(message.contains("cut short"), "{message}");
        }
        assert_eq!(refused(read(b"", currency("EUR"))), "The file is empty.");
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00";
        assert_eq!(
            refused(read(png, currency("EUR"))),
            "Line 3: the file holds binary data, not a bank statement."
        );
        let noise: Vec<u8> = (1..=255u8)
            .cycle()
            .take(3000)
            .map(|b| b.wrapping_mul(37) | 1)
            .collect();
        assert!(refused(read(&noise, currency("EUR"))).starts_with("Line "));
        assert_eq!(
            refused(read(b"Date,Amount\n2026-01-05,12.50\n", currency("EUR"))),
            "Line 1: this is not an OFX statement: there is no <OFX> element."
        );
    }
}
