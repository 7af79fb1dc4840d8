//! Bank statements as a service: review a file (what it holds, how it was read, what would
//! be saved), then import it with the user's choices, all in one commit.

use super::file::{sniff, Rows, Sniffed};
use super::layout::CsvLayout;
use super::read::Row;
use super::{BankLine, StatementFormat};
use crate::alerts::PastPeriods;
use crate::auth::Session;
use crate::error::{AppError, Result};
use crate::expenses::Expense;
use crate::quick_add::{CategoryGuesser, CategorySuggestion};
use crate::store::ExpenseKey;
use crate::transfer::{ImportProgress, ImportReport, InvalidLine, OnInvalid, MAX_REPORTED_ERRORS};
use crate::Outlay;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use uuid::Uuid;

/// How many rows the review shows from the top of the file (flagged rows further down are
/// shown too, up to [`MAX_FLAGGED`]).
pub const REVIEW_ROWS: usize = 200;
/// The most rows flagged as duplicates shown in the review.
pub const MAX_FLAGGED: usize = 1000;
const PROGRESS_EVERY: u64 = 10_000;

/// What the user chose in the review.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct StatementChoices {
    /// The CSV layout as changed in the review; `None`: the one saved for this bank, else
    /// the detected one.
    #[serde(default)]
    pub layout: Option<CsvLayout>,
    /// Lines to import although flagged (a duplicate, a pending line).
    #[serde(default)]
    pub keep: Vec<u64>,
    /// Lines not to import.
    #[serde(default)]
    pub skip: Vec<u64>,
    /// The category of a line, where the user changed the suggestion.
    #[serde(default)]
    pub categories: Vec<(u64, Uuid)>,
    /// Lines that cannot be read stop the import (default) or are left out.
    #[serde(default)]
    pub on_invalid: OnInvalid,
}

/// What a row is, and so what the import does with it by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RowKind {
    /// Money out: imported.
    Expense,
    /// Money in (salary, refunds, transfers in): not an expense, left out.
    MoneyIn,
    /// Not booked yet: left out unless kept.
    Pending,
    /// A zero amount (a notice from the bank): left out.
    Notice,
    /// The same expense (date, amount, currency, description), or the same bank reference,
    /// is already saved: left out unless kept.
    Duplicate,
    /// The same as an earlier line of this file: imported (banks do not repeat lines; two
    /// coffees are two coffees), shown so the user can leave it out.
    #[serde(rename_all = "camelCase")]
    Repeated {
        /// The earlier line.
        of_line: u64,
    },
}

/// One row of the review.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReviewRow {
    /// The row as read.
    #[serde(flatten)]
    pub bank: BankLine,
    /// What it is.
    pub kind: RowKind,
    /// Whether the import saves it unless the user says otherwise.
    pub import: bool,
    /// The category it would get (expenses only).
    pub category: Option<CategorySuggestion>,
}

/// What a file holds, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StatementCounts {
    /// Transactions read.
    pub transactions: u64,
    /// Money out, booked, not a duplicate: what the import saves.
    pub expenses: u64,
    /// Money in, left out.
    pub money_in: u64,
    /// Pending, left out.
    pub pending: u64,
    /// Zero amounts, left out.
    pub notices: u64,
    /// Balance lines, left out.
    pub balances: u64,
    /// Rows that are no transaction (account details, totals).
    pub other_rows: u64,
    /// Already saved, left out.
    pub duplicates: u64,
    /// Same as an earlier line of the file (imported).
    pub repeated: u64,
    /// Rows that could not be read.
    pub invalid: u64,
}

/// The review of a file before it is imported.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StatementReview {
    /// The format found.
    pub format: StatementFormat,
    /// The encoding found (WHATWG name: "UTF-8", "windows-1252", …).
    pub encoding: String,
    /// The CSV layout used.
    pub layout: Option<CsvLayout>,
    /// True when it is the layout saved for this bank the last time.
    pub saved_layout: bool,
    /// Every date fits day-first and month-first: the user should say which.
    pub date_order_ambiguous: bool,
    /// The rows shown.
    pub rows: Vec<ReviewRow>,
    /// The counts over the whole file.
    pub counts: StatementCounts,
    /// The first rows that could not be read.
    pub invalid: Vec<InvalidLine>,
    /// Rows short of a field, read by aligning their last fields with the header's.
    pub repaired: Vec<u64>,
}

/// What an import did.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StatementImport {
    /// Saved, duplicates, invalid lines, alerts fired (as for a CSV import).
    #[serde(flatten)]
    pub report: ImportReport,
    /// The counts over the whole file.
    pub counts: StatementCounts,
    /// The layout was saved for the next statement of this bank.
    pub layout_saved: bool,
}

/// A file read through, before anything is saved.
struct Scanned {
    sniffed: Sniffed,
    layout: Option<CsvLayout>,
    saved_layout: bool,
    lines: Vec<(BankLine, RowKind)>,
    shown: Vec<(BankLine, RowKind)>,
    counts: StatementCounts,
    invalid: Vec<InvalidLine>,
    repaired: Vec<u64>,
}

impl Outlay {
    /// Reads a statement file and says what an import would do, saving nothing.
    pub async fn review_statement(
        &self,
        session: &Session,
        path: &Path,
        choices: &StatementChoices,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
        cancel: &AtomicBool,
    ) -> Result<StatementReview> {
        let scanned = self.scan(session, path, choices, progress, cancel).await?;
        let guesser = CategoryGuesser::load_for_many(self, session).await?;
        let mut rows = Vec::with_capacity(scanned.shown.len());
        for (bank, kind) in scanned.shown {
            let import = decide(&bank, kind, choices);
            let category = match kind {
                RowKind::Expense
                | RowKind::Duplicate
                | RowKind::Repeated { .. }
                | RowKind::Pending => guesser.suggest_line(session, &bank.description).await?,
                RowKind::MoneyIn | RowKind::Notice => None,
            };
            rows.push(ReviewRow {
                bank,
                kind,
                import,
                category,
            });
        }
        Ok(StatementReview {
            format: scanned.sniffed.format,
            encoding: scanned.sniffed.encoding.name().to_owned(),
            date_order_ambiguous: !scanned.saved_layout
                && choices.layout.is_none()
                && scanned
                    .sniffed
                    .detected
                    .as_ref()
                    .is_some_and(|d| d.date_order_ambiguous),
            layout: scanned.layout,
            saved_layout: scanned.saved_layout,
            rows,
            counts: scanned.counts,
            invalid: scanned.invalid,
            repaired: scanned.repaired,
        })
    }

    /// Imports a statement file with the user's choices: the expenses (money out, booked,
    /// not already saved, unless kept or skipped) with their categories, and the bank's
    /// references, in one transaction with the budget alerts it fires. The CSV layout is
    /// saved for the next statement of the same bank. Cancelled before the commit, nothing
    /// is saved.
    pub async fn import_statement(
        &self,
        session: &Session,
        path: &Path,
        choices: &StatementChoices,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
        cancel: &AtomicBool,
    ) -> Result<StatementImport> {
        let scanned = self.scan(session, path, choices, progress, cancel).await?;
        let mut report = ImportReport {
            duplicates: scanned.counts.duplicates,
            invalid_count: scanned.counts.invalid,
            invalid: scanned.invalid.clone(),
            ..ImportReport::default()
        };
        if scanned.counts.invalid > 0 && choices.on_invalid == OnInvalid::Reject {
            report.rejected = true;
            return Ok(StatementImport {
                report,
                counts: scanned.counts,
                layout_saved: false,
            });
        }
        let chosen: HashMap<u64, Uuid> = choices.categories.iter().copied().collect();
        let mut guesser = CategoryGuesser::load_for_many(self, session).await?;
        let now = self.clock.now();
        let mut expenses = Vec::new();
        let mut references = Vec::new();
        for (bank, kind) in scanned.lines {
            if !decide(&bank, kind, choices) {
                continue;
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            let category_id = match chosen.get(&bank.line) {
                Some(id) => *id,
                None => {
                    guesser
                        .category_for(session, &bank.description, now)
                        .await?
                }
            };
            let id = Uuid::now_v7();
            if let Some(reference) = bank.reference {
                references.push((id, reference));
            }
            expenses.push(Expense {
                id,
                amount: bank.spent,
                date: bank.date,
                category_id,
                description: bank.description,
                payment_method: None,
                tags: Vec::new(),
                created_at: now,
                updated_at: now,
                deleted_at: None,
            });
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let total = expenses.len() as u64;
        let mut saving = |saved| progress(ImportProgress::Saving { saved, total });
        let past = PastPeriods::RecordAsRead {
            today: self.clock.today(),
        };
        let created = guesser.created();
        report.fired = session
            .store()
            .transfer()
            .import(&created, &expenses, &references, now, past, &mut saving)
            .await?;
        self.mail_queued(&report.fired);
        report.imported = total;
        report.categories_created = created.len() as u64;
        let mut layout_saved = false;
        if let Some(layout) = &scanned.layout {
            let mapping = serde_json::to_string(layout).expect("a layout is plain data");
            session
                .store()
                .statements()
                .save_layout(&layout.fingerprint(), &mapping, now)
                .await?;
            layout_saved = true;
        }
        Ok(StatementImport {
            report,
            counts: scanned.counts,
            layout_saved,
        })
    }

    async fn scan(
        &self,
        session: &Session,
        path: &Path,
        choices: &StatementChoices,
        progress: &mut (dyn FnMut(ImportProgress) + Send),
        cancel: &AtomicBool,
    ) -> Result<Scanned> {
        let base = session.base_currency;
        let sniffed = sniff(path, base)?;
        let (layout, saved_layout) = match (&choices.layout, &sniffed.detected) {
            (Some(layout), _) => {
                layout.check()?;
                (Some(layout.clone()), false)
            }
            (None, Some(detected)) => match self.saved_layout(session, &detected.layout).await? {
                Some(saved) => (Some(saved), true),
                None => (Some(detected.layout.clone()), false),
            },
            (None, None) => (None, false),
        };
        let mut rows = Rows::open(path, &sniffed, layout.as_ref(), base)?;
        let mut counts = StatementCounts::default();
        let mut invalid = Vec::new();
        let mut lines: Vec<(BankLine, RowKind)> = Vec::new();
        let mut shown_lines: Vec<u64> = Vec::new();
        let mut read = 0u64;
        while let Some(row) = rows.next_row()? {
            read += 1;
            if read.is_multiple_of(PROGRESS_EVERY) {
                progress(ImportProgress::Reading { lines: read });
                if cancel.load(Ordering::Relaxed) {
                    return Err(cancelled());
                }
            }
            match row {
                Row::Line(bank) => {
                    counts.transactions += 1;
                    let kind = if bank.spent.minor == 0 {
                        RowKind::Notice
                    } else if bank.spent.minor < 0 {
                        RowKind::MoneyIn
                    } else if bank.pending {
                        RowKind::Pending
                    } else {
                        RowKind::Expense
                    };
                    match kind {
                        RowKind::Notice => counts.notices += 1,
                        RowKind::MoneyIn => counts.money_in += 1,
                        RowKind::Pending => counts.pending += 1,
                        _ => {}
                    }
                    if shown_lines.len() < REVIEW_ROWS {
                        shown_lines.push(bank.line);
                    }
                    // Credits and notices are only counted, unless shown at the top.
                    let keep = matches!(kind, RowKind::Expense | RowKind::Pending)
                        || shown_lines.last() == Some(&bank.line);
                    if keep {
                        lines.push((bank, kind));
                    }
                }
                Row::Undated(_) => counts.pending += 1,
                Row::Balance(_) => counts.balances += 1,
                Row::NotATransaction(_) => counts.other_rows += 1,
                Row::Invalid(line) => {
                    counts.invalid += 1;
                    if invalid.len() < MAX_REPORTED_ERRORS {
                        invalid.push(line);
                    }
                }
            }
        }
        progress(ImportProgress::Reading { lines: read });
        if counts.transactions == 0 && counts.invalid == 0 {
            return Err(AppError::invalid(
                "file",
                "The file holds no transactions: only a header, or rows without dates and amounts.",
            ));
        }
        self.flag_duplicates(session, &mut lines, &mut counts)
            .await?;
        let shown_set: HashSet<u64> = shown_lines.into_iter().collect();
        let mut flagged = 0;
        let shown = lines
            .iter()
            .filter(|(bank, kind)| {
                shown_set.contains(&bank.line)
                    || (matches!(kind, RowKind::Duplicate | RowKind::Repeated { .. }) && {
                        flagged += 1;
                        flagged <= MAX_FLAGGED
                    })
            })
            .cloned()
            .collect();
        lines.retain(|(_, kind)| !matches!(kind, RowKind::MoneyIn | RowKind::Notice));
        counts.expenses = lines
            .iter()
            .filter(|(bank, kind)| decide(bank, *kind, &StatementChoices::default()))
            .count() as u64;
        Ok(Scanned {
            repaired: rows.repaired().to_vec(),
            sniffed,
            layout,
            saved_layout,
            lines,
            shown,
            counts,
            invalid,
        })
    }

    /// The layout saved for a bank, when its file's header matches one saved before.
    async fn saved_layout(
        &self,
        session: &Session,
        detected: &CsvLayout,
    ) -> Result<Option<CsvLayout>> {
        let Some(mapping) = session
            .store()
            .statements()
            .layout(&detected.fingerprint())
            .await?
        else {
            return Ok(None);
        };
        // A layout saved by an older Outlay that no longer reads is detected afresh.
        Ok(serde_json::from_str::<CsvLayout>(&mapping)
            .ok()
            .map(|saved| CsvLayout {
                // The preamble may grow or shrink from one statement to the next.
                header_row: detected.header_row,
                ..saved
            }))
    }

    /// Marks lines already saved (same key, or same bank reference) and lines repeating an
    /// earlier one of the file.
    async fn flag_duplicates(
        &self,
        session: &Session,
        lines: &mut [(BankLine, RowKind)],
        counts: &mut StatementCounts,
    ) -> Result<()> {
        let candidates = || {
            lines
                .iter()
                .filter(|(_, kind)| matches!(kind, RowKind::Expense | RowKind::Pending))
        };
        let (Some(first), Some(last)) = (
            candidates().map(|(b, _)| b.date).min(),
            candidates().map(|(b, _)| b.date).max(),
        ) else {
            return Ok(());
        };
        let store = session.store();
        let until = last.succ_opt().unwrap_or(last);
        let saved: HashSet<ExpenseKey> = store
            .transfer()
            .live_expense_keys(first, until)
            .await?
            .into_iter()
            .collect();
        let references: Vec<String> = candidates()
            .filter_map(|(b, _)| b.reference.clone())
            .collect();
        let known: HashSet<String> = if references.is_empty() {
            HashSet::new()
        } else {
            store
                .statements()
                .known_references(&references)
                .await?
                .into_iter()
                .collect()
        };
        let mut first_of: HashMap<ExpenseKey, u64> = HashMap::new();
        for (bank, kind) in lines.iter_mut() {
            if !matches!(kind, RowKind::Expense | RowKind::Pending) {
                continue;
            }
            let key = ExpenseKey {
                date: bank.date,
                minor: bank.spent.minor,
                currency: bank.spent.currency.code().to_owned(),
                description: bank.description.clone(),
            };
            let known_reference = bank.reference.as_ref().is_some_and(|r| known.contains(r));
            if known_reference || saved.contains(&key) {
                if *kind == RowKind::Pending {
                    counts.pending -= 1;
                }
                *kind = RowKind::Duplicate;
                counts.duplicates += 1;
            } else if let Some(of_line) = first_of.get(&key) {
                if *kind == RowKind::Expense {
                    *kind = RowKind::Repeated { of_line: *of_line };
                    counts.repeated += 1;
                }
            } else {
                first_of.insert(key, bank.line);
            }
        }
        Ok(())
    }
}

/// Whether a line is saved: expenses and repeats are unless skipped; duplicates and
/// pending lines only when kept.
fn decide(bank: &BankLine, kind: RowKind, choices: &StatementChoices) -> bool {
    if choices.skip.contains(&bank.line) {
        return false;
    }
    match kind {
        RowKind::Expense | RowKind::Repeated { .. } => true,
        RowKind::Duplicate | RowKind::Pending => choices.keep.contains(&bank.line),
        RowKind::MoneyIn | RowKind::Notice => false,
    }
}

fn cancelled() -> AppError {
    AppError::invalid("file", "The import was cancelled; nothing was saved.")
}
