//! The dashboard: this month's spend, budget progress, a breakdown and a 12-month trend.

use crate::auth::Session;
use crate::budgets::BudgetProgress;
use crate::domain::{Money, Period, PeriodKind};
use crate::error::Result;
use crate::expenses::{Expense, ExpenseFilter};
use crate::Outlay;
use chrono::{Months, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// How many recent expenses the dashboard lists.
const RECENT: u32 = 10;

/// Spend of one top-level category (its sub-categories included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CategorySpend {
    /// The top-level category.
    pub category_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its colour.
    pub colour: String,
    /// Spent in the period.
    pub spent: Money,
}

/// Spend of one calendar month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MonthSpend {
    /// "YYYY-MM".
    pub month: String,
    /// Spent in that month.
    pub spent: Money,
}

/// Everything the dashboard shows, in the user's base currency.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// The month shown.
    pub period: Period,
    /// Total spent this month.
    pub spent: Money,
    /// Every budget, evaluated for its period containing today.
    pub budgets: Vec<BudgetProgress>,
    /// This month by top-level category, largest first.
    pub by_category: Vec<CategorySpend>,
    /// The last 12 months, oldest first, this month last (zeros included).
    pub trend: Vec<MonthSpend>,
    /// The newest expenses.
    pub recent: Vec<Expense>,
}

impl Outlay {
    /// The dashboard for the month containing `on` (usually today).
    pub async fn dashboard(&self, session: &Session, on: NaiveDate) -> Result<Dashboard> {
        let currency = session.base_currency;
        let month = Period::containing(PeriodKind::Monthly, on);
        let first_month = month.start - Months::new(11);
        let everything = ExpenseFilter::default();
        // Independent reads, run side by side: on a server each is a round trip.
        let (categories, by_leaf, by_month, budgets, recent) = tokio::try_join!(
            self.categories(session),
            session
                .store()
                .spend()
                .by_category(currency, month.start, month.end),
            session
                .store()
                .spend()
                .by_month(currency, first_month, month.end),
            self.budget_progress(session, on),
            self.list_expenses(session, &everything, None, RECENT),
        )?;
        let top_of: HashMap<Uuid, Uuid> = categories
            .iter()
            .map(|c| (c.id, c.parent_id.unwrap_or(c.id)))
            .collect();

        let mut by_top: HashMap<Uuid, i64> = HashMap::new();
        for row in by_leaf {
            let top = top_of.get(&row.key).copied().unwrap_or(row.key);
            *by_top.entry(top).or_default() += row.minor;
        }
        let mut by_category: Vec<CategorySpend> = categories
            .iter()
            .filter_map(|c| {
                let minor = *by_top.get(&c.id)?;
                Some(CategorySpend {
                    category_id: c.id,
                    name: c.name.clone(),
                    colour: c.colour.clone(),
                    spent: Money { minor, currency },
                })
            })
            .collect();
        by_category.sort_by(|a, b| {
            b.spent
                .minor
                .cmp(&a.spent.minor)
                .then_with(|| a.name.cmp(&b.name))
        });
        let spent = Money {
            minor: by_category.iter().map(|c| c.spent.minor).sum(),
            currency,
        };

        let months: HashMap<String, i64> = by_month.into_iter().map(|r| (r.key, r.minor)).collect();
        let trend = (0..12)
            .map(|i| {
                let key = (first_month + Months::new(i)).format("%Y-%m").to_string();
                let minor = months.get(&key).copied().unwrap_or(0);
                MonthSpend {
                    month: key,
                    spent: Money { minor, currency },
                }
            })
            .collect();

        Ok(Dashboard {
            period: month,
            spent,
            budgets,
            by_category,
            trend,
            recent: recent.expenses,
        })
    }
}
