//! CSV export: every expense (or those matching a filter), oldest first, streamed in pages.

use super::text::{guard_formula, join_path};
use super::HEADER;
use crate::auth::Session;
use crate::error::{AppError, Result};
use crate::expenses::{Expense, ExpenseCursor, ExpenseFilter};
use crate::Outlay;
use std::collections::HashMap;
use std::io::Write;
use uuid::Uuid;

/// Expenses fetched per page: big enough that round trips do not matter, small enough that
/// memory stays flat however many there are.
const PAGE: u32 = 5000;

impl Outlay {
    /// Writes the live expenses matching `filter` (all of them with the default filter) as
    /// CSV to `out`, oldest first, in the format [`Outlay::import_csv`] reads. Returns how
    /// many were written; `progress` hears the running count after every page.
    pub async fn export_csv(
        &self,
        session: &Session,
        filter: &ExpenseFilter,
        out: impl Write + Send,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64> {
        let query = self.check_filter(session, filter).await?;
        let paths = category_paths(&self.categories(session).await?);
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(HEADER).map_err(write_error)?;
        let mut after: Option<ExpenseCursor> = None;
        let mut written = 0;
        loop {
            let page = self
                .store
                .expenses_oldest_first(session.user_id, &query, after.as_ref(), PAGE)
                .await?;
            for expense in &page {
                write_expense(&mut writer, expense, &paths)?;
            }
            written += page.len() as u64;
            progress(written);
            match page.last() {
                Some(last) if page.len() == PAGE as usize => {
                    after = Some(ExpenseCursor {
                        date: last.date,
                        id: last.id,
                    })
                }
                _ => break,
            }
        }
        writer.flush().map_err(|e| write_error(e.into()))?;
        Ok(written)
    }
}

fn write_expense<W: Write>(
    writer: &mut csv::Writer<W>,
    expense: &Expense,
    paths: &HashMap<Uuid, String>,
) -> Result<()> {
    let path = paths.get(&expense.category_id).map_or("", String::as_str);
    writer
        .write_record([
            expense.date.to_string().as_str(),
            &expense.amount.to_decimal_string(),
            expense.amount.currency.code(),
            &guard_formula(path),
            &guard_formula(&expense.description),
            &guard_formula(expense.payment_method.as_deref().unwrap_or("")),
            &guard_formula(&expense.tags.join(" ")),
        ])
        .map_err(write_error)
}

/// "Parent/Child" for every category.
fn category_paths(categories: &[crate::categories::Category]) -> HashMap<Uuid, String> {
    let names: HashMap<Uuid, &str> = categories.iter().map(|c| (c.id, c.name.as_str())).collect();
    categories
        .iter()
        .map(|c| {
            let path = match c.parent_id.and_then(|p| names.get(&p)) {
                Some(parent) => join_path(&[parent, &c.name]),
                None => join_path(&[&c.name]),
            };
            (c.id, path)
        })
        .collect()
}

fn write_error(error: csv::Error) -> AppError {
    AppError::Internal(format!("The export could not be written: {error}"))
}
