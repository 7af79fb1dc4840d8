//! Reading a bank CSV with its layout, row by row, into [`BankLine`]s: streaming, so a
//! million rows cost the memory of one.

use super::amounts::{direction_word, magnitude, read_cell, shorten, Direction};
use super::columns::{is_balance, is_pending};
use super::dates;
use super::layout::{CsvLayout, Spending};
use super::quotes::BROKEN_QUOTE;
use super::BankLine;
use crate::domain::{Currency, Money, MAX_DESCRIPTION_CHARS};
use crate::error::{AppError, Result};
use crate::transfer::lines::{counting, Counting, LineNumbers};
use crate::transfer::InvalidLine;
use std::io::Read;

/// One row of a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// A transaction.
    Line(BankLine),
    /// A balance line ("Beginning balance as of …") at this line: not a transaction.
    Balance(u64),
    /// A pending row with "Pending" where the date goes: not booked, so not dated yet.
    Undated(u64),
    /// A row with neither a date nor an amount (account details, totals, a disclaimer).
    NotATransaction(u64),
    /// A row that cannot be read, and why.
    Invalid(InvalidLine),
}

/// A bank CSV being read.
pub struct CsvRows<'r> {
    reader: csv::Reader<Counting<Box<dyn Read + Send + 'r>>>,
    lines: LineNumbers,
    layout: CsvLayout,
    base: Currency,
    record: csv::ByteRecord,
    /// Lines that had fewer fields than the header and were read by aligning their last
    /// fields with the header's last columns.
    pub repaired: Vec<u64>,
}

impl<'r> CsvRows<'r> {
    /// Starts reading `utf8` (the file as UTF-8) after its header.
    pub fn new(utf8: Box<dyn Read + Send + 'r>, layout: CsvLayout, base: Currency) -> Result<Self> {
        let (input, lines) = counting(utf8);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(layout.delimiter as u8)
            .from_reader(input);
        let mut rows = CsvRows {
            reader,
            lines,
            layout,
            base,
            record: csv::ByteRecord::new(),
            repaired: Vec::new(),
        };
        for _ in 0..=rows.layout.header_row {
            if !rows.read_record()? {
                return Err(AppError::invalid(
                    "file",
                    "The file has a header but no rows.",
                ));
            }
        }
        Ok(rows)
    }

    fn read_record(&mut self) -> Result<bool> {
        self.reader.read_byte_record(&mut self.record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            let cause = match e.kind() {
                csv::ErrorKind::Io(io) => io.to_string(),
                _ => e.to_string(),
            };
            AppError::invalid(
                "file",
                format!("The file could not be read past line {line}: {cause}."),
            )
        })
    }

    /// The next row, `None` at the end. An error is the file failing to read (too long a
    /// line, the disk); a bad row is [`Row::Invalid`].
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if !self.read_record()? {
                return Ok(None);
            }
            if self.record.iter().all(|c| c.trim_ascii().is_empty()) {
                continue; // blank, or only delimiters
            }
            let line = self
                .lines
                .record_line(self.record.position().map_or(0, csv::Position::byte));
            if self.record.len() == 1 && &self.record[0] == BROKEN_QUOTE {
                return Ok(Some(Row::Invalid(InvalidLine {
                    line,
                    field: "line",
                    message: format!(
                        "Line {line} opens a quote (\") that is never closed, so its columns \
                         cannot be told apart: correct it in the file, or leave the line out."
                    ),
                })));
            }
            return Ok(Some(match self.row(line) {
                Ok(row) => row,
                Err(error) => Row::Invalid(InvalidLine {
                    line,
                    field: error.field().unwrap_or("line"),
                    message: error.to_string(),
                }),
            }));
        }
    }

    fn row(&mut self, line: u64) -> Result<Row> {
        let cells = Cells::of(&self.record, line)?;
        let layout = &self.layout;
        let short_by = layout.header.len().saturating_sub(cells.0.len());
        let row = read_row(layout, &cells, 0, line, self.base);
        // A row missing a field in the middle (damage, or a bank leaving one out) still has
        // its date first and its amount last: read the columns after the date and payee
        // from the right.
        if short_by > 0 && matches!(row, Err(_) | Ok(Row::NotATransaction(_))) {
            if let Ok(Row::Line(repaired)) = read_row(layout, &cells, short_by, line, self.base) {
                self.repaired.push(line);
                return Ok(Row::Line(repaired));
            }
        }
        row
    }
}

/// One record's cells as text.
struct Cells<'a>(Vec<&'a str>);

impl<'a> Cells<'a> {
    fn of(record: &'a csv::ByteRecord, line: u64) -> Result<Self> {
        record
            .iter()
            .map(|c| std::str::from_utf8(c).map(str::trim))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(Cells)
            .map_err(|_| {
                AppError::invalid(
                    "line",
                    format!(
                        "Line {line} is not in the encoding of the rest of the file (UTF-8): \
                         save the file in one encoding."
                    ),
                )
            })
    }
}

/// Reads a row; `shift` moves the columns after the date and the payee left by that many
/// (a row short of fields).
fn read_row(
    layout: &CsvLayout,
    cells: &Cells<'_>,
    shift: usize,
    line: u64,
    base: Currency,
) -> Result<Row> {
    let keep_left = layout.date.max(layout.payee.unwrap_or(0));
    let cell = |column: Option<usize>| -> &str {
        column
            .and_then(|c| {
                let at = if c > keep_left {
                    c.checked_sub(shift)?
                } else {
                    c
                };
                cells.0.get(at).copied()
            })
            .unwrap_or("")
    };
    let date_cell = cell(Some(layout.date));
    let amount_cells = [cell(layout.amount), cell(layout.debit), cell(layout.credit)];
    if date_cell.is_empty() && amount_cells.iter().all(|c| c.is_empty()) {
        return Ok(Row::NotATransaction(line));
    }
    let description = description(cell(layout.payee), cell(layout.purpose));
    let pending = is_pending(date_cell) || is_pending(cell(layout.status));
    let date = if is_pending(date_cell) {
        // "Pending" in place of a date: not booked yet, so no booking date either.
        None
    } else {
        Some(read_date(date_cell, layout)?)
    };
    let currency = match cell(layout.currency) {
        "" => layout.header_currency.unwrap_or(base),
        code => Currency::parse(code)?,
    };
    let spent = read_spent(layout, cell(layout.direction), amount_cells, currency, base)?;
    if is_balance(&description) {
        return Ok(Row::Balance(line));
    }
    let Some(date) = date else {
        return Ok(Row::Undated(line));
    };
    Ok(Row::Line(BankLine {
        line,
        date,
        spent,
        description,
        reference: None,
        pending,
    }))
}

fn read_date(cell: &str, layout: &CsvLayout) -> Result<chrono::NaiveDate> {
    if cell.is_empty() {
        return Err(AppError::invalid("date", "This line has no date."));
    }
    let date = dates::parse(cell, layout.date_order).ok_or_else(|| {
        AppError::invalid(
            "date",
            format!(
                "\"{}\" is not a date like the others in this file ({}).",
                shorten(cell),
                layout.date_order.example()
            ),
        )
    })?;
    if !(1900..=2999).contains(&chrono::Datelike::year(&date)) {
        return Err(AppError::invalid(
            "date",
            format!("\"{}\" is not a date between 1900 and 2999.", shorten(cell)),
        ));
    }
    Ok(date)
}

/// Money out as positive, from one signed column, or debit and credit columns, with the
/// direction words when the bank gives them.
fn read_spent(
    layout: &CsvLayout,
    direction_cell: &str,
    [amount, debit, credit]: [&str; 3],
    currency: Currency,
    base: Currency,
) -> Result<Money> {
    let part = |text: &str| -> Result<Option<(Money, super::amounts::CellAmount)>> {
        if text.is_empty() {
            return Ok(None);
        }
        let cell = read_cell(text, layout.decimal, base)?;
        let money = magnitude(&cell, cell.currency.unwrap_or(currency))?;
        Ok(Some((money, cell)))
    };
    let signed = |money: Money, out: bool| Money {
        minor: if out { money.minor } else { -money.minor },
        ..money
    };
    if layout.amount.is_some() {
        let Some((money, cell)) = part(amount)? else {
            return Err(AppError::invalid("amount", "This line has no amount."));
        };
        let said = direction_word(direction_cell).or(cell.direction);
        let out = match said {
            Some(way) => way == Direction::Out,
            None if cell.plus => false,
            None => match layout.spending {
                Spending::Negative => cell.negative,
                Spending::Positive => !cell.negative,
            },
        };
        return Ok(signed(money, out));
    }
    match (part(debit)?, part(credit)?) {
        (Some((money, _)), None) => Ok(signed(money, true)),
        (None, Some((money, _))) => Ok(signed(money, false)),
        (None, None) => Ok(Money { minor: 0, currency }),
        (Some((out, _)), Some((back, _))) => {
            let net = out.minor.checked_sub(back.minor).unwrap_or(0);
            Money::from_minor(net, out.currency)
        }
    }
}

/// Payee and purpose on one line, spacing collapsed, the purpose left out when it only
/// repeats the payee; cut to the longest description Outlay keeps.
fn description(payee: &str, purpose: &str) -> String {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (payee, purpose) = (collapse(payee), collapse(purpose));
    let joined = match (payee.is_empty(), purpose.is_empty()) {
        (_, true) => payee,
        (true, false) => purpose,
        (false, false) if purpose.to_lowercase().contains(&payee.to_lowercase()) => purpose,
        (false, false) => format!("{payee} · {purpose}"),
    };
    joined.chars().take(MAX_DESCRIPTION_CHARS).collect()
}
