//! The generated data as files: CSV in the format Outlay imports, and an hledger journal of
//! the same expenses for the side-by-side report timing.

use crate::generate::{GeneratedExpense, Plan};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Writes `plan`'s expenses as Outlay CSV (the header of `outlay_core::transfer`).
pub fn write_csv(plan: &Plan, path: &Path) -> io::Result<u64> {
    let mut out = csv::Writer::from_writer(BufWriter::new(File::create(path)?));
    out.write_record([
        "date",
        "amount",
        "currency",
        "category",
        "description",
        "payment_method",
        "tags",
    ])?;
    let mut rows = 0;
    for e in plan.expenses() {
        out.write_record([
            e.date.to_string().as_str(),
            &decimal(e.minor),
            e.currency,
            e.category(),
            &e.description,
            e.payment_method.unwrap_or(""),
            &e.tags.join(" "),
        ])?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

/// Writes `plan`'s expenses as a German bank would export them (ING's "Umsatzanzeige"):
/// a preamble, `;`, Latin-1, `DD.MM.YYYY`, decimal comma with thousands points, money out
/// negative, no category column. Every tenth line is money in (a salary), as on a real
/// current account: read, counted, not saved.
pub fn write_bank_csv(plan: &Plan, path: &Path) -> io::Result<u64> {
    let mut out = BufWriter::new(File::create(path)?);
    let latin1 = |text: &str| -> Vec<u8> {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect()
    };
    out.write_all(&latin1(
        "Umsatzanzeige;Datei erstellt am: 02.12.2026 10:00\n\nIBAN;DE89370400440532013000\n\
         Kontoname;Girokonto\nBank;ING\n\nSortierung;Datum absteigend\n\n\
         Buchung;Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Betrag;Währung\n",
    ))?;
    let mut rows: u64 = 0;
    for e in plan.expenses() {
        let date = e.date.format("%d.%m.%Y").to_string();
        let amount = german_decimal(e.minor);
        let line = format!(
            "{date};{date};{};Lastschrift;Kartenzahlung Straße {rows};-{amount};EUR\n",
            e.description
        );
        out.write_all(&latin1(&line))?;
        rows += 1;
        if rows.is_multiple_of(10) {
            out.write_all(&latin1(&format!(
                "{date};{date};Arbeitgeber GmbH;Gehalt/Rente;Lohn {rows};2.345,67;EUR\n"
            )))?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok(rows)
}

/// Minor units as "1.234,56".
fn german_decimal(minor: i64) -> String {
    let whole = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{grouped},{:02}", minor % 100)
}

/// Writes `plan`'s expenses as an hledger journal: one transaction each, from an asset
/// account named after the payment method to `expenses:<category path>`.
pub fn write_journal(plan: &Plan, path: &Path) -> io::Result<u64> {
    let mut out = BufWriter::new(File::create(path)?);
    let mut rows = 0;
    for e in plan.expenses() {
        write_transaction(&mut out, &e)?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

fn write_transaction(out: &mut impl Write, e: &GeneratedExpense) -> io::Result<()> {
    let account = e.category().replace('/', ":");
    let from = e.payment_method.unwrap_or("unknown").replace(' ', "-");
    let tags: String = e.tags.iter().map(|t| format!(" {t}:,")).collect();
    writeln!(out, "{} {}", e.date, e.description)?;
    match tags.is_empty() {
        true => writeln!(
            out,
            "    expenses:{account}  {} {}",
            decimal(e.minor),
            e.currency
        )?,
        false => writeln!(
            out,
            "    expenses:{account}  {} {}  ;{}",
            decimal(e.minor),
            e.currency,
            tags.trim_end_matches(',')
        )?,
    }
    writeln!(out, "    assets:{from}\n")
}

/// Cents as "12.34" (every generated currency has two decimals).
fn decimal(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}
