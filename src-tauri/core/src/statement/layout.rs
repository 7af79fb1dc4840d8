//! A bank CSV's layout, detected from its first rows: delimiter, where the header is (after
//! any preamble), which column holds what, and the conventions (date order, decimal mark,
//! which sign is spending). Each part can be changed in the review and is saved per layout.

use super::amounts::{direction_word, read_cell, DecimalMark, MarkVotes};
use super::columns::{self, find, is_header, normalise, Role};
use super::dates::{DateOrder, DateOrders};
use crate::domain::Currency;
use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Which sign of a single amount column is spending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Spending {
    /// Current accounts: money out is negative (`-12.50`).
    Negative,
    /// Card statements: charges are positive, payments and refunds negative.
    Positive,
}

/// How to read one bank's CSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CsvLayout {
    /// `,` `;` tab or `|`.
    pub delimiter: char,
    /// How many rows (blank lines not counted) come before the header.
    pub header_row: usize,
    /// The header's cells as the bank wrote them.
    pub header: Vec<String>,
    /// Column of the booking date.
    pub date: usize,
    /// Column of a single amount, when there is one.
    pub amount: Option<usize>,
    /// Column of money out, when debits and credits have columns of their own.
    pub debit: Option<usize>,
    /// Column of money in, likewise.
    pub credit: Option<usize>,
    /// Column saying debit or credit in words.
    pub direction: Option<usize>,
    /// Column of the currency code.
    pub currency: Option<usize>,
    /// The currency the header names (`Částka CZK`), used when no column or cell says.
    pub header_currency: Option<Currency>,
    /// Column of the payee.
    pub payee: Option<usize>,
    /// Column of the purpose or memo.
    pub purpose: Option<usize>,
    /// Column saying whether a line is booked or pending.
    pub status: Option<usize>,
    /// Order of the dates.
    pub date_order: DateOrder,
    /// Decimal mark of the amounts.
    pub decimal: DecimalMark,
    /// Which sign is spending, for a single amount column.
    pub spending: Spending,
}

/// A layout as detected, with what the user should be asked about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detected {
    /// The layout.
    pub layout: CsvLayout,
    /// Every date fits both day-first and month-first: ask once.
    pub date_order_ambiguous: bool,
}

const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];
/// The header is looked for among this many first rows.
const HEADER_WITHIN: usize = 60;
/// Conventions are decided from at most this many rows after the header.
const SAMPLE_ROWS: usize = 500;

/// A delimiter under which a header was found.
struct Candidate {
    /// Rows after the header about as wide as it.
    consistent: usize,
    width: usize,
    delimiter: char,
    header_row: usize,
    rows: Vec<Vec<String>>,
}

fn rows_of(sample: &str, delimiter: char, complete: bool) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(sample.as_bytes());
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .take(HEADER_WITHIN + SAMPLE_ROWS + 1)
        .map_while(|r| r.ok())
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    if !complete {
        rows.pop(); // cut off where the sample ends
    }
    rows
}

impl CsvLayout {
    /// Detects the layout from the file's first bytes, decoded (`complete` when that is the
    /// whole file). `base` is the user's currency: US dollars read ambiguous dates month
    /// first.
    pub fn detect(sample: &str, complete: bool, base: Currency) -> Result<Detected> {
        if sample.trim().is_empty() {
            return Err(file_error("The file is empty."));
        }
        // The delimiter under which a header is found with the most rows of its width after
        // it (then the widest header) is the file's.
        let mut best: Option<Candidate> = None;
        for delimiter in DELIMITERS {
            let rows = rows_of(sample, delimiter, complete);
            let Some(at) = rows
                .iter()
                .take(HEADER_WITHIN)
                .position(|r| r.len() >= 2 && is_header(&normalised(r)))
            else {
                continue;
            };
            let width = rows[at].len();
            let consistent = rows[at + 1..]
                .iter()
                .filter(|r| r.len() + 1 >= width && r.len() <= width + 1)
                .count();
            if best
                .as_ref()
                .is_none_or(|b| (consistent, width) > (b.consistent, b.width))
            {
                best = Some(Candidate {
                    consistent,
                    width,
                    delimiter,
                    header_row: at,
                    rows,
                });
            }
        }
        let Some(Candidate {
            delimiter,
            header_row,
            mut rows,
            ..
        }) = best
        else {
            return Err(file_error(
                "No header row naming a date and an amount was found in the first 60 rows: \
                 this does not look like a bank statement in CSV.",
            ));
        };
        let data = rows.split_off(header_row + 1);
        let header_cells = rows.pop().unwrap_or_default();
        Ok(Self::from_rows(
            delimiter,
            header_row,
            header_cells,
            &data,
            base,
        ))
    }

    fn from_rows(
        delimiter: char,
        header_row: usize,
        header_cells: Vec<String>,
        rows: &[Vec<String>],
        base: Currency,
    ) -> Detected {
        let header = normalised(&header_cells);
        let mut taken = Vec::new();
        let take = |role: Role, taken: &mut Vec<usize>| {
            let found = find(role, &header, taken);
            taken.extend(found);
            found
        };
        let date = take(Role::Date, &mut taken).unwrap_or(0);
        let amount = take(Role::Amount, &mut taken);
        let (debit, credit) = match amount {
            Some(_) => (None, None),
            None => (
                take(Role::Debit, &mut taken),
                take(Role::Credit, &mut taken),
            ),
        };
        let currency = take(Role::Currency, &mut taken)
            .filter(|&c| column(rows, c).all(|v| v.is_empty() || Currency::parse(v).is_ok()));
        // Text columns the bank leaves empty (PayPal's "Note") give way to the next best.
        let filled = |c: &usize| column(rows, *c).any(|v| !v.is_empty());
        let text_column = |role: Role, taken: &mut Vec<usize>| {
            let mut passed = taken.clone();
            loop {
                let found = find(role, &header, &passed)?;
                if filled(&found) || rows.is_empty() {
                    taken.push(found);
                    return Some(found);
                }
                passed.push(found);
            }
        };
        let payee = text_column(Role::Payee, &mut taken);
        let purpose = text_column(Role::Purpose, &mut taken);
        let status = take(Role::Status, &mut taken);
        let direction = (0..header
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0)))
            .filter(|c| !taken.contains(c))
            .find(|&c| {
                column(rows, c).any(|v| !v.is_empty())
                    && column(rows, c).all(|v| v.is_empty() || direction_word(v).is_some())
            });
        let header_currency = [amount, debit, credit]
            .into_iter()
            .flatten()
            .find_map(|c| columns::currency_in_header(&header[c]))
            .and_then(|code| Currency::parse(code).ok());

        let money_columns: Vec<usize> = [amount, debit, credit].into_iter().flatten().collect();
        let mut votes = MarkVotes::default();
        for c in &money_columns {
            column(rows, *c).for_each(|v| votes.see(v));
        }
        let fallback = if delimiter == ';' {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        };
        let decimal = votes.choose(fallback);

        let mut orders = DateOrders::default();
        column(rows, date).for_each(|v| orders.see(v));
        let date_order = orders.choose(base.code() == "USD");

        let spending = match amount {
            Some(a) => spending_of(rows, a, direction, decimal, base),
            None => Spending::Negative,
        };
        Detected {
            layout: CsvLayout {
                delimiter,
                header_row,
                header: header_cells.iter().map(|c| c.trim().to_owned()).collect(),
                date,
                amount,
                debit,
                credit,
                direction,
                currency,
                header_currency,
                payee,
                purpose,
                status,
                date_order,
                decimal,
                spending,
            },
            date_order_ambiguous: orders.ambiguous(),
        }
    }

    /// Identifies the bank's layout, whatever the rows: the delimiter and the header.
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        hash.update([self.delimiter as u8]);
        for cell in &self.header {
            hash.update(normalise(cell).as_bytes());
            hash.update([0x1f]);
        }
        hex::encode(&hash.finalize()[..12])
    }

    /// Checks a layout the user changed: columns inside the header, an amount or a debit
    /// or credit column.
    pub fn check(&self) -> Result<()> {
        if !DELIMITERS.contains(&self.delimiter) {
            return Err(AppError::invalid(
                "layout",
                "Columns are separated by a comma, a semicolon, a tab or a bar (|).",
            ));
        }
        let width = self.header.len();
        let columns = [
            Some(self.date),
            self.amount,
            self.debit,
            self.credit,
            self.direction,
            self.currency,
            self.payee,
            self.purpose,
            self.status,
        ];
        if columns.iter().flatten().any(|c| *c >= width) {
            return Err(AppError::invalid(
                "layout",
                format!("The file has {width} columns; pick one of them."),
            ));
        }
        if self.amount.is_none() && self.debit.is_none() && self.credit.is_none() {
            return Err(AppError::invalid(
                "layout",
                "Pick the column that holds the amount (or the debit and credit columns).",
            ));
        }
        Ok(())
    }
}

fn normalised(cells: &[String]) -> Vec<String> {
    cells.iter().map(|c| normalise(c)).collect()
}

/// The trimmed cells of column `c` (rows too short have none).
fn column(rows: &[Vec<String>], c: usize) -> impl Iterator<Item = &str> {
    rows.iter().filter_map(move |r| r.get(c)).map(|v| v.trim())
}

/// Card statements write charges positive; accounts write debits negative. Explicit `+`
/// and `-` both present, or a quarter of the amounts or more negative, mean an account: a
/// card statement's only negatives are the odd payment or refund.
fn spending_of(
    rows: &[Vec<String>],
    amount: usize,
    direction: Option<usize>,
    decimal: DecimalMark,
    base: Currency,
) -> Spending {
    let (mut plus, mut negative, mut positive) = (0, 0, 0);
    for row in rows {
        let flagged = direction
            .and_then(|d| row.get(d))
            .is_some_and(|v| direction_word(v).is_some());
        let Some(cell) = row.get(amount).filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let Ok(value) = read_cell(cell, decimal, base) else {
            continue;
        };
        if value.plus {
            plus += 1;
        }
        if flagged || value.direction.is_some() {
            continue;
        }
        if value.negative {
            negative += 1;
        } else if value.digits.trim_matches(['0', '.']).is_empty() {
            // zero: says nothing
        } else {
            positive += 1;
        }
    }
    if (plus > 0 && negative > 0) || negative * 4 >= negative + positive {
        Spending::Negative
    } else {
        Spending::Positive
    }
}

fn file_error(message: &str) -> AppError {
    AppError::invalid("file", message)
}
