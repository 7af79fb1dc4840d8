//! CSV export: every expense (or those matching a filter), oldest first, streamed from one
//! query straight into the writer, so memory stays flat however many there are.

use super::text::{guard_formula, join_path};
use super::HEADER;
use crate::auth::Session;
use crate::categories::Category;
use crate::domain::{Currency, Money};
use crate::error::{AppError, Result};
use crate::expenses::ExpenseFilter;
use crate::store::ExportRow;
use crate::Outlay;
use std::collections::HashMap;
use std::io::Write;
use uuid::Uuid;

/// Progress is reported every this many expenses.
const PROGRESS_EVERY: u64 = 10_000;

impl Outlay {
    /// Writes the live expenses matching `filter` (all of them with the default filter) as
    /// CSV to `out`, oldest first, in the format [`Outlay::import_csv`] reads. Returns how
    /// many were written; `progress` hears the running count every 10 000 and at the end.
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
        let mut currencies: HashMap<String, Currency> = HashMap::new();
        let mut written = 0;
        let mut sink = |row: ExportRow<'_>| -> Result<()> {
            let currency = match currencies.get(row.currency) {
                Some(c) => *c,
                None => *currencies
                    .entry(row.currency.to_owned())
                    .or_insert(Currency::parse(row.currency)?),
            };
            let tags = sorted_tags(row.tags);
            let path = paths.get(&row.category_id).map_or("", String::as_str);
            writer
                .write_record([
                    row.date,
                    &Money::from_minor(row.minor, currency)?.to_decimal_string(),
                    row.currency,
                    &guard_formula(path),
                    &guard_formula(row.description),
                    &guard_formula(row.payment_method.unwrap_or("")),
                    &guard_formula(&tags),
                ])
                .map_err(write_error)?;
            written += 1;
            if written % PROGRESS_EVERY == 0 {
                progress(written);
            }
            Ok(())
        };
        session.store().transfer().export(&query, &mut sink).await?;
        progress(written);
        writer.flush().map_err(|e| write_error(e.into()))?;
        Ok(written)
    }
}

/// The tags sorted, space-separated (most expenses have none or one: no allocation then).
fn sorted_tags(tags: Option<&str>) -> std::borrow::Cow<'_, str> {
    match tags {
        None => "".into(),
        Some(one) if !one.contains(' ') => one.into(),
        Some(many) => {
            let mut tags: Vec<&str> = many.split(' ').collect();
            tags.sort_unstable();
            tags.join(" ").into()
        }
    }
}

/// "Parent/Child" for every category.
fn category_paths(categories: &[Category]) -> HashMap<Uuid, String> {
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
