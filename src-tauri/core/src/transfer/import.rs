//! CSV import: every line checked, duplicates skipped, and everything saved — budget alerts
//! included — in one commit.

use super::columns::{file_error, Column, ColumnMap};
use super::lines::counting;
use super::paths::Categories;
use super::text::unguard_formula;
use crate::alerts::{Alert, PastPeriods};
use crate::auth::Session;
use crate::domain::{parse_description, Currency, Money, PaymentMethod, Sign, Tag};
use crate::error::{AppError, Result};
use crate::expenses::{parse_date, Expense, MAX_TAGS};
use crate::store::ExpenseKey;
use crate::Outlay;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Read;
use uuid::Uuid;

/// A line longer than this is refused without looking at its fields (a description holds at
/// most 500 characters; nothing legitimate comes near).
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// The report lists at most this many invalid lines (and counts them all).
pub const MAX_REPORTED_ERRORS: usize = 1000;
/// Progress is reported every this many lines.
const PROGRESS_EVERY: u64 = 10_000;

/// What to do when some lines are invalid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum OnInvalid {
    /// Import nothing and report every invalid line: fix the file, import again. A finance
    /// app should not leave half a bank statement behind.
    #[default]
    Reject,
    /// Import the valid lines and report the invalid ones.
    Skip,
}

/// How to import.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    /// Invalid lines reject the whole import (default) or are skipped.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub on_invalid: OnInvalid,
    /// Create categories the file names but the user does not have (default), or treat them
    /// as errors.
    #[serde(default = "yes")]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub create_categories: bool,
    /// Headers naming a field explicitly, when the synonyms do not find it:
    /// `[["amount", "Debit"]]`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub columns: Vec<(Column, String)>,
}

fn yes() -> bool {
    true
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            on_invalid: OnInvalid::Reject,
            create_categories: true,
            columns: Vec::new(),
        }
    }
}

/// Where a long import is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "phase")]
pub enum ImportProgress {
    /// Lines read and checked so far.
    Reading {
        /// Lines so far (header excluded).
        lines: u64,
    },
    /// Expenses saved so far, of how many.
    Saving {
        /// Saved so far.
        saved: u64,
        /// To save in all.
        total: u64,
    },
}

/// One line that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InvalidLine {
    /// The line number in the file, the header being line 1.
    pub line: u64,
    /// The field at fault ("amount"), or "line" for the line as a whole.
    pub field: &'static str,
    /// What is wrong, in the words the app uses for the same mistake in the form.
    pub message: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Expenses saved.
    pub imported: u64,
    /// Lines skipped because the same expense (date, amount, currency, description) was
    /// already there or came earlier in the file.
    pub duplicates: u64,
    /// Categories created for the file.
    pub categories_created: u64,
    /// How many lines were invalid.
    pub invalid_count: u64,
    /// The first [`MAX_REPORTED_ERRORS`] invalid lines.
    pub invalid: Vec<InvalidLine>,
    /// True when nothing was saved because of invalid lines ([`OnInvalid::Reject`]).
    pub rejected: bool,
    /// Budget alerts the import fired in periods that hold today (or later): raise a
    /// notification for each. Those of periods already over are in the alert list, read.
    pub fired: Vec<Alert>,
}

impl ImportReport {
    fn invalid_line(&mut self, line: u64, error: AppError) {
        self.invalid_count += 1;
        if self.invalid.len() < MAX_REPORTED_ERRORS {
            self.invalid.push(InvalidLine {
                line,
                field: error.field().unwrap_or("line"),
                message: error.to_string(),
            });
        }
    }
}

/// One line's cells, by field.
struct Cells<'a> {
    record: &'a csv::ByteRecord,
    map: &'a ColumnMap,
}

impl<'a> Cells<'a> {
    /// The trimmed text of `column`, empty when the file has no such column. Not UTF-8 is an
    /// error on that field.
    fn get(&self, column: Column, field: &'static str) -> Result<&'a str> {
        let Some(bytes) = self.map.get(column).and_then(|i| self.record.get(i)) else {
            return Ok("");
        };
        std::str::from_utf8(bytes).map(str::trim).map_err(|_| {
            AppError::invalid(field, "This is not UTF-8 text; save the file as UTF-8.")
        })
    }
}

impl Outlay {
    /// Imports expenses from CSV (see [`crate::transfer`] for the format). Every line is
    /// checked first; with [`OnInvalid::Reject`] any invalid line means nothing is saved,
    /// otherwise the valid lines are saved, all in one transaction. Duplicates are skipped and
    /// counted. `progress` hears about every 10 000 lines and every saved batch.
    ///
    /// Like every write that changes spend, the import evaluates the budgets it touches in
    /// its own transaction: a threshold crossed in a period holding today fires as usual
    /// (returned in [`ImportReport::fired`], e-mail queued when on); one crossed in a period
    /// that ended before today is recorded once, already read, with no e-mail and no
    /// notification ([`PastPeriods::RecordAsRead`]).
    ///
    /// A file that is not CSV with a usable header is an [`AppError::Invalid`] on "file".
    pub async fn import_csv(
        &self,
        session: &Session,
        input: impl Read + Send,
        options: &ImportOptions,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
    ) -> Result<ImportReport> {
        let (input, mut line_numbers) = counting(input);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut record = csv::ByteRecord::new();
        if !read_record(&mut reader, &mut record)? {
            return Err(file_error("The file is empty."));
        }
        let header = std::str::from_utf8(record.as_slice())
            .map(|_| {
                record
                    .iter()
                    .map(|h| std::str::from_utf8(h).unwrap_or(""))
                    .collect::<Vec<_>>()
            })
            .map_err(|_| file_error("The first line is not UTF-8 text; save the file as UTF-8."))?;
        let map = ColumnMap::from_header(&header, &options.columns)?;
        let width = record.len();

        let now = self.clock.now();
        let mut categories =
            Categories::new(self.categories(session).await?, options.create_categories);
        let mut report = ImportReport::default();
        let mut expenses: Vec<Expense> = Vec::new();
        let mut lines = 0;
        while read_record(&mut reader, &mut record)? {
            lines += 1;
            if lines % PROGRESS_EVERY == 0 {
                progress(ImportProgress::Reading { lines });
            }
            if record.len() == 1 && record.as_slice().trim_ascii().is_empty() {
                continue; // a line of blanks
            }
            let line = line_numbers.record_line(record.position().map_or(0, csv::Position::byte));
            let checked = check_line(&record, &map, width, session, &mut categories, now);
            match checked {
                Ok(expense) => expenses.push(expense),
                Err(error) => report.invalid_line(line, error),
            }
        }
        progress(ImportProgress::Reading { lines });
        if report.invalid_count > 0 && options.on_invalid == OnInvalid::Reject {
            report.rejected = true;
            return Ok(report);
        }

        let before = expenses.len();
        self.drop_duplicates(session, &mut expenses).await?;
        report.duplicates = (before - expenses.len()) as u64;
        let total = expenses.len() as u64;
        let mut saving = |saved| progress(ImportProgress::Saving { saved, total });
        // Years of history must not flood the user: see `PastPeriods::RecordAsRead`.
        let past = PastPeriods::RecordAsRead {
            today: self.clock.today(),
        };
        report.fired = session
            .store()
            .transfer()
            .import(&categories.created, &expenses, &[], now, past, &mut saving)
            .await?;
        self.mail_queued(&report.fired);
        report.imported = total;
        report.categories_created = categories.created.len() as u64;
        Ok(report)
    }

    /// Removes expenses whose (date, amount, currency, description) is already saved or came
    /// earlier in the same file.
    async fn drop_duplicates(&self, session: &Session, expenses: &mut Vec<Expense>) -> Result<()> {
        let (Some(first), Some(last)) = (
            expenses.iter().map(|e| e.date).min(),
            expenses.iter().map(|e| e.date).max(),
        ) else {
            return Ok(());
        };
        let until = last.succ_opt().unwrap_or(last);
        let mut seen: HashSet<ExpenseKey> = session
            .store()
            .transfer()
            .live_expense_keys(first, until)
            .await?
            .into_iter()
            .collect();
        seen.reserve(expenses.len());
        expenses.retain(|e| seen.insert(ExpenseKey::of(e)));
        Ok(())
    }
}

/// Reads the next line; a CSV error (an I/O failure) is about the file.
fn read_record<R: Read>(reader: &mut csv::Reader<R>, record: &mut csv::ByteRecord) -> Result<bool> {
    reader.read_byte_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        file_error(format!("The file could not be read past line {line}: {e}"))
    })
}

fn check_line(
    record: &csv::ByteRecord,
    map: &ColumnMap,
    width: usize,
    session: &Session,
    categories: &mut Categories,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Expense> {
    if record.as_slice().len() > MAX_LINE_BYTES {
        return Err(AppError::invalid(
            "line",
            format!("This line is longer than {} KiB.", MAX_LINE_BYTES / 1024),
        ));
    }
    if record.len() != width {
        return Err(AppError::invalid(
            "line",
            format!(
                "This line has {} fields; the header has {width}.",
                record.len()
            ),
        ));
    }
    let cells = Cells { record, map };
    let date = parse_date(cells.get(Column::Date, "date")?, "date")?;
    let currency = match cells.get(Column::Currency, "currency")? {
        "" => session.base_currency,
        code => Currency::parse(code)?,
    };
    let amount = Money::parse(
        cells.get(Column::Amount, "amount")?,
        currency,
        Sign::Positive,
    )?;
    let description = parse_description(unguard_formula(
        cells.get(Column::Description, "description")?,
    ))?;
    let payment_method = match unguard_formula(cells.get(Column::PaymentMethod, "paymentMethod")?) {
        "" => None,
        text => Some(PaymentMethod::parse(text)?.as_str().to_owned()),
    };
    let mut tags = unguard_formula(cells.get(Column::Tags, "tags")?)
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| Tag::parse(t).map(|t| t.as_str().to_owned()))
        .collect::<Result<Vec<_>>>()?;
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err(AppError::invalid(
            "tags",
            format!("At most {MAX_TAGS} tags per expense."),
        ));
    }
    // Last, so a line that is invalid anyway creates no category.
    let category_id = match cells.get(Column::Category, "category")? {
        "" => return Err(AppError::invalid("category", "Name a category.")),
        path => categories.resolve(path, now)?,
    };
    Ok(Expense {
        id: Uuid::now_v7(),
        amount,
        date,
        category_id,
        description,
        payment_method,
        tags,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    })
}
