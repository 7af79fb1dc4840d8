//! ISO 20022 bank-to-customer statements: CAMT.053 (`BkToCstmrStmt/Stmt/Ntry`, the booked
//! day-end statement) and CAMT.052 (`BkToCstmrAcctRpt/Rpt/Ntry`, the intraday report), in
//! any version from `.001.02` to `.001.08`: elements are matched by local name, whatever
//! the namespace.
//!
//! Follows the ISO 20022 message definitions camt.053.001.02 and camt.052.001.02 (Message
//! Definition Report, Bank-to-Customer Cash Management) and the German banks' profile of them,
//! Deutsche Kreditwirtschaft "Datenformate" (DFÜ-Abkommen Anlage 3), for the fields used.
//!
//! One entry (`Ntry`) is one bank line, because the entry is what was booked on the account
//! and what carries the bank's reference; a batch (several `TxDtls`) is not split.
//!
//! - **Amount**: `Amt` in its `Ccy` (`base` if a bank leaves it out); `CdtDbtInd` `DBIT` is
//!   money spent, `CRDT` money in.
//! - **Pending**: every status but `BOOK` (`Sts`, in .08 `Sts/Cd`): `PDNG`, `INFO`, `FUTR`.
//! - **Date**: `BookgDt` (`Dt`, or the date of `DtTm` as written), else `ValDt`.
//! - **Reference**: `AcctSvcrRef`, else `NtryRef`, else, for an entry of one transaction, its
//!   `Refs/EndToEndId` unless that is `NOTPROVIDED`.
//! - **Description**: for one transaction, the other party's name (`RltdPties/Cdtr` for a
//!   debit, `Dbtr` for a credit; `…/Pty/Nm` in .08) and the `RmtInf/Ustrd` lines, else
//!   `AddtlNtryInf`; for a batch, `AddtlNtryInf` ("SAMMEL-LS 3 POSTEN"), else the parties.

use super::field::{amount, at_line, decode, description, line_of, spent, LineCounter};
use super::BankLine;
use crate::domain::Currency;
use crate::error::Result;
use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Reads a CAMT.052 or CAMT.053 file; see the module's notes.
pub(super) fn read(bytes: &[u8], base: Currency) -> Result<Vec<BankLine>> {
    let text = decode(bytes, None)?;
    let mut reader = Reader::from_str(&text);
    reader.config_mut().expand_empty_elements = true;
    let mut lines = LineCounter::new(&text);
    let mut path: Vec<String> = Vec::new();
    let mut value = String::new();
    let mut entry: Option<(usize, Entry)> = None;
    let mut found = Vec::new();
    let mut is_camt = false;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|error| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            at_line(
                line_of(&text, at),
                format!("the file is not well-formed XML here ({error})."),
            )
        })?;
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_string();
                let parent = path.last().map(String::as_str);
                let starts_entry = name == "Ntry" && matches!(parent, Some("Stmt" | "Rpt"));
                is_camt |= path.len() <= 1
                    && matches!(name.as_str(), "BkToCstmrStmt" | "BkToCstmrAcctRpt");
                path.push(name);
                value.clear();
                match &mut entry {
                    None if starts_entry => {
                        let line = lines.at(at);
                        entry = Some((
                            path.len(),
                            Entry {
                                line,
                                ..Entry::default()
                            },
                        ));
                    }
                    Some((depth, e)) => match &path[*depth..] {
                        [n] if n == "Amt" => {
                            let ccy = start.try_get_attribute("Ccy").ok().flatten();
                            e.currency = ccy.map(|a| a.value.trim().to_string());
                        }
                        [a, b] if a == "NtryDtls" && b == "TxDtls" => e.txs.push(Tx::default()),
                        _ => {}
                    },
                    None => {}
                }
            }
            Event::Text(chars) => value.push_str(&chars.xml10_content()),
            Event::CData(data) => value.push_str(&data.xml10_content()),
            Event::GeneralRef(reference) => {
                let name = reference.xml10_content();
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string),
                };
                value.push_str(&resolved.unwrap_or_else(|| format!("&{name};")));
            }
            Event::End(_) => {
                if let Some((depth, e)) = &mut entry {
                    if path.len() == *depth {
                        let (_, done) = entry.take().expect("an entry is open here");
                        found.push(done.bank_line(base)?);
                    } else {
                        e.set(&path[*depth..], value.trim());
                    }
                }
                value.clear();
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = path.last() {
        let message = format!("the file ends inside <{open}>; it may be cut short.");
        return Err(at_line(line_of(&text, text.len()), message));
    }
    if !is_camt {
        let message = "this is not a CAMT.052 or CAMT.053 bank statement.";
        return Err(at_line(1, message));
    }
    Ok(found)
}

/// One `Ntry` as far as it has been read; values with the line of their entry.
#[derive(Default)]
struct Entry {
    line: u64,
    amount: Option<String>,
    currency: Option<String>,
    direction: Option<String>,
    status: Option<String>,
    booked: Option<String>,
    valued: Option<String>,
    servicer_ref: Option<String>,
    entry_ref: Option<String>,
    info: Option<String>,
    txs: Vec<Tx>,
}

/// One `NtryDtls/TxDtls`.
#[derive(Default)]
struct Tx {
    end_to_end: Option<String>,
    creditor: Option<String>,
    debtor: Option<String>,
    remittance: Vec<String>,
}

impl Entry {
    /// Keeps the value of the element at `path` (below `Ntry`) when it is one of ours.
    fn set(&mut self, path: &[String], value: &str) {
        if value.is_empty() {
            return;
        }
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let keep = || Some(value.to_string());
        match path.as_slice() {
            ["Amt"] => self.amount = keep(),
            ["CdtDbtInd"] => self.direction = keep(),
            ["Sts"] | ["Sts", "Cd"] => self.status = keep(),
            ["BookgDt", "Dt" | "DtTm"] => self.booked = keep(),
            ["ValDt", "Dt" | "DtTm"] => self.valued = keep(),
            ["AcctSvcrRef"] => self.servicer_ref = keep(),
            ["NtryRef"] => self.entry_ref = keep(),
            ["AddtlNtryInf"] => self.info = keep(),
            ["NtryDtls", "TxDtls", rest @ ..] => {
                let Some(tx) = self.txs.last_mut() else {
                    return;
                };
                match rest {
                    ["Refs", "EndToEndId"] => tx.end_to_end = keep(),
                    ["RltdPties", "Cdtr", "Nm"] | ["RltdPties", "Cdtr", "Pty", "Nm"] => {
                        tx.creditor = keep()
                    }
                    ["RltdPties", "Dbtr", "Nm"] | ["RltdPties", "Dbtr", "Pty", "Nm"] => {
                        tx.debtor = keep()
                    }
                    ["RmtInf", "Ustrd"] => tx.remittance.push(value.to_string()),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn bank_line(self, base: Currency) -> Result<BankLine> {
        let line = self.line;
        let currency = match &self.currency {
            Some(code) => Currency::parse(code).map_err(|_| {
                at_line(line, format!("\"{code}\" is not a currency Outlay knows."))
            })?,
            None => base,
        };
        let text = self
            .amount
            .as_deref()
            .ok_or_else(|| at_line(line, "the entry has no amount (Amt)."))?;
        let booked = amount(text, currency, false, line)?;
        let debit = match self.direction.as_deref() {
            Some("DBIT") => true,
            Some("CRDT") => false,
            _ => {
                let message =
                    "the entry does not say whether it is a debit or a credit (CdtDbtInd).";
                return Err(at_line(line, message));
            }
        };
        let written = self
            .booked
            .as_deref()
            .or(self.valued.as_deref())
            .ok_or_else(|| at_line(line, "the entry has no booking or value date."))?;
        let date = written
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| at_line(line, format!("the date \"{written}\" is not a date.")))?;
        let party = |tx: &Tx| {
            if debit {
                tx.creditor.clone()
            } else {
                tx.debtor.clone()
            }
        };
        let (description, end_to_end) = match self.txs.as_slice() {
            [tx] => {
                let purpose = tx.remittance.join(" ");
                let text = description(party(tx).as_deref().into_iter().chain([purpose.as_str()]));
                let text = match text.is_empty() {
                    true => description(self.info.as_deref()),
                    false => text,
                };
                (text, tx.end_to_end.clone().filter(|r| r != "NOTPROVIDED"))
            }
            txs => match &self.info {
                Some(info) => (description([info.as_str()]), None),
                None => {
                    let parties: Vec<String> = txs.iter().filter_map(party).collect();
                    (description(parties.iter().map(String::as_str)), None)
                }
            },
        };
        Ok(BankLine {
            line,
            date,
            spent: if debit { booked } else { spent(booked) },
            description,
            reference: self.servicer_ref.or(self.entry_ref).or(end_to_end),
            pending: self.status.as_deref().is_some_and(|s| s != "BOOK"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    // camt053.xml says where its layout comes from, in its own comment.
    const STATEMENT: &[u8] = include_bytes!("testdata/camt053.xml");

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn refused(file: &[u8]) -> String {
        let error = read(file, eur()).expect_err("the file should be refused");
        assert_eq!(
            (error.kind(), error.field()),
            (crate::error::ErrorKind::Invalid, Some("file")),
            "{error}"
        );
        error.to_string()
    }

    /// A camt.053.001.08 document with a namespace prefix, around `entries`.
    fn v08(entries: &str) -> Vec<u8> {
        format!(
            "<?xml version=\"1.0\"?>\n<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n\
             <c:BkToCstmrStmt>\n<c:Stmt>\n{entries}</c:Stmt>\n</c:BkToCstmrStmt>\n</c:Document>\n"
        )
        .into_bytes()
    }

    #[test]
    fn reads_a_camt053_statement_entry_by_entry() {
        let lines = read(STATEMENT, Currency::parse("USD").unwrap()).unwrap();
        assert_eq!(lines.len(), 5);
        let expect = |line: u64, date: &str, minor: i64, text: &str, id: Option<&str>| BankLine {
            line,
            date: date.parse().unwrap(),
            spent: Money {
                minor,
                currency: eur(),
            },
            description: text.to_string(),
            reference: id.map(str::to_string),
            pending: false,
        };
        let rewe = "REWE Markt GmbH · 2026-01-31T18:02 Debitk.4 2029-12 Obst & Gemüse";
        let id = Some("2026020200471128");
        assert_eq!(lines[0], expect(43, "2026-02-02", 2347, rewe, id));
        let salary = "ACME Maschinenbau GmbH · LOHN/GEHALT 01/2026";
        assert_eq!(
            lines[1],
            expect(83, "2026-02-02", -245_000, salary, Some("000000042"))
        );
        let spotify = BankLine {
            pending: true,
            ..expect(
                112,
                "2026-02-04",
                999,
                "Spotify AB · Spotify Premium",
                Some("SPOTIFY-P2F7A1B9C3"),
            )
        };
        assert_eq!(lines[2], spotify);
        let batch = expect(
            136,
            "2026-02-03",
            18_730,
            "SAMMEL-LS 2 POSTEN",
            Some("2026020300112233"),
        );
        assert_eq!(lines[3], batch);
        assert_eq!(
            lines[4],
            expect(181, "2026-02-03", 450, "ENTGELT KONTOFUEHRUNG", None)
        );
    }

    #[test]
    fn reads_version_08_and_camt052_by_local_names() {
        let entry = "<c:Ntry>\n<c:Amt Ccy=\"CHF\">12.00</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd>\
                     <c:Sts><c:Cd>PDNG</c:Cd></c:Sts><c:BookgDt><c:Dt>2026-03-01</c:Dt></c:BookgDt>\
                     <c:NtryDtls><c:TxDtls><c:RltdPties><c:Cdtr><c:Pty><c:Nm>Migros</c:Nm></c:Pty>\
                     </c:Cdtr><c:Dbtr><c:Pty><c:Nm>Me</c:Nm></c:Pty></c:Dbtr></c:RltdPties>\
                     </c:TxDtls></c:NtryDtls></c:Ntry>\n";
        let lines = read(&v08(entry), eur()).unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!((lines[0].line, lines[0].pending), (5, true));
        assert_eq!(
            (lines[0].spent.minor, lines[0].spent.currency.code()),
            (1200, "CHF")
        );
        assert_eq!(lines[0].description, "Migros");
        let report = String::from_utf8(v08(entry))
            .unwrap()
            .replace("BkToCstmrStmt", "BkToCstmrAcctRpt")
            .replace("c:Stmt", "c:Rpt")
            .replace(">PDNG<", ">BOOK<");
        let lines = read(report.as_bytes(), eur()).unwrap();
        assert_eq!((lines.len(), lines[0].pending), (1, false));
    }

    #[test]
    fn bad_entries_name_their_line() {
        let entry = |amount: &str, date: &str| {
            v08(&format!(
                "<c:Ntry>\n<c:Amt Ccy=\"EUR\">{amount}</c:Amt>\n<c:CdtDbtInd>DBIT</c:CdtDbtInd>\n\
                 <c:BookgDt><c:Dt>{date}</c:Dt></c:BookgDt>\n</c:Ntry>\n"
            ))
        };
        assert_eq!(
            refused(&entry("12,x", "2026-03-01")),
            "Line 5: the amount \"12,x\" is not a number."
        );
        assert_eq!(
            refused(&entry("1.00", "2026-13-31")),
            "Line 5: the date \"2026-13-31\" is not a date."
        );
        let huge = refused(&entry("1234567890123456789012345", "2026-03-01"));
        assert!(
            huge.starts_with("Line 5: ") && huge.contains("too large"),
            "{huge}"
        );
        let neither = String::from_utf8(entry("1.00", "2026-03-01"))
            .unwrap()
            .replace("DBIT", "BOTH");
        assert_eq!(
            refused(neither.as_bytes()),
            "Line 5: the entry does not say whether it is a debit or a credit (CdtDbtInd)."
        );
    }

    #[test]
    fn broken_files_are_refused_with_a_line() {
        for cut in [&STATEMENT[..3000], &STATEMENT[..STATEMENT.len() - 20]] {
            let last_line = 1 + cut.iter().filter(|b| **b == b'\n').count();
            let message = refused(cut);
            assert!(
                message.starts_with(&format!("Line {last_line}: ")),
                "{message}"
            );
        }
        let mismatched = refused(b"<Document>\n<BkToCstmrStmt>\n<Stmt></Ntry>\n</Document>");
        assert!(
            mismatched.starts_with("Line 3: the file is not well-formed XML"),
            "{mismatched}"
        );
        assert_eq!(refused(b""), "The file is empty.");
        assert_eq!(
            refused(b"\x1f\x8b\x08\x00\x00\x00\x00\x00"),
            "Line 1: the file holds binary data, not a bank statement."
        );
        assert_eq!(
            refused(b"<?xml version=\"1.0\"?>\n<html><body>Statement</body></html>"),
            "Line 1: this is not a CAMT.052 or CAMT.053 bank statement."
        );
    }
}
