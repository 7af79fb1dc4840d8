//! Reports: spend by category by month over a span of months, in the user's base currency.

use crate::auth::Session;
use crate::domain::{Currency, Money};
use crate::error::{AppError, Result};
use crate::Outlay;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The longest span one report may cover.
pub const MAX_REPORT_MONTHS: u32 = 120;

/// Spend of one category, month by month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    /// The category (a sub-category's own spend is its own row).
    pub category_id: Uuid,
    /// Its parent, for a sub-category.
    pub parent_id: Option<Uuid>,
    /// Its name.
    pub name: String,
    /// Spent in each month of the report, in order (zeros included).
    pub months: Vec<Money>,
    /// Spent over the whole report.
    pub total: Money,
}

/// Spend by category by month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SpendingReport {
    /// The months covered, oldest first ("2026-01").
    pub months: Vec<String>,
    /// The currency of every amount (the user's base currency).
    pub currency: Currency,
    /// One row per category with any spend, parents before their children.
    pub rows: Vec<ReportRow>,
    /// Each month's total over all categories.
    pub month_totals: Vec<Money>,
    /// The total of the whole report.
    pub total: Money,
}

impl Outlay {
    /// Spend by category by month for `months` calendar months starting with the month that
    /// contains `first` (1 to [`MAX_REPORT_MONTHS`]).
    pub async fn spending_report(
        &self,
        session: &Session,
        first: NaiveDate,
        months: u32,
    ) -> Result<SpendingReport> {
        if !(1..=MAX_REPORT_MONTHS).contains(&months) {
            return Err(AppError::invalid(
                "months",
                format!("A report covers 1 to {MAX_REPORT_MONTHS} months."),
            ));
        }
        let currency = session.base_currency;
        let start = first.with_day(1).expect("day 1 exists in every month");
        let until = start + Months::new(months);
        let labels: Vec<String> = (0..months)
            .map(|i| (start + Months::new(i)).format("%Y-%m").to_string())
            .collect();
        let column: HashMap<&str, usize> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i))
            .collect();

        let mut cells: HashMap<Uuid, Vec<i64>> = HashMap::new();
        for spend in session
            .store()
            .spend()
            .by_category_and_month(currency, start, until)
            .await?
        {
            if let Some(&i) = column.get(spend.month.as_str()) {
                cells
                    .entry(spend.category_id)
                    .or_insert_with(|| vec![0; labels.len()])[i] += spend.minor;
            }
        }
        let money = |minor| Money { minor, currency };
        let rows: Vec<ReportRow> = self
            .categories(session)
            .await?
            .into_iter()
            .filter_map(|c| {
                let minors = cells.remove(&c.id)?;
                Some(ReportRow {
                    category_id: c.id,
                    parent_id: c.parent_id,
                    name: c.name,
                    total: money(minors.iter().sum()),
                    months: minors.into_iter().map(money).collect(),
                })
            })
            .collect();
        let month_totals: Vec<Money> = (0..labels.len())
            .map(|i| money(rows.iter().map(|r| r.months[i].minor).sum()))
            .collect();
        Ok(SpendingReport {
            total: money(month_totals.iter().map(|m| m.minor).sum()),
            months: labels,
            currency,
            rows,
            month_totals,
        })
    }
}
