//! Budgets: overall or per category, weekly/monthly/yearly, with alert thresholds, and how
//! much of each has been spent.

use crate::alerts::Saved;
use crate::auth::Session;
use crate::domain::{Currency, Money, Period, PeriodKind, Sign};
use crate::error::{AppError, Result};
use crate::Outlay;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Alert thresholds when the user sets none: warn at 80 %, alert at 100 %.
pub const DEFAULT_THRESHOLDS: [u32; 2] = [80, 100];

/// A spending limit per period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    /// UUIDv7.
    pub id: Uuid,
    /// The category it limits (with its sub-categories); `None` = all spending.
    pub category_id: Option<Uuid>,
    /// Weekly, monthly or yearly.
    pub period: PeriodKind,
    /// The limit per period.
    pub amount: Money,
    /// Percentages at which to alert, ascending (e.g. 80, 100).
    pub thresholds: Vec<u32>,
    /// Whether its alerts are e-mailed (when the user turned e-mail on); on by default.
    pub email_alerts: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// What the user fills in to create or change a budget.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct BudgetInput {
    /// The category, or none for an overall budget.
    pub category_id: Option<Uuid>,
    /// Weekly, monthly or yearly.
    pub period: PeriodKind,
    /// The limit as typed ("400", "1,200.50").
    pub amount: String,
    /// ISO 4217 code; the base currency when empty.
    pub currency: Option<String>,
    /// Alert percentages; 80 and 100 when empty.
    pub thresholds: Option<Vec<u32>>,
}

/// How a budget stands in one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BudgetProgress {
    /// The budget.
    pub budget: Budget,
    /// The period evaluated.
    pub period: Period,
    /// Spent in the period, in the budget's currency.
    pub spent: Money,
    /// Spent as a whole percentage of the limit, rounded down (may pass 100).
    pub percent: u32,
    /// The thresholds reached so far in this period, ascending.
    pub reached: Vec<u32>,
}

impl BudgetProgress {
    /// Evaluates `budget` over `period` given the amount spent (minor units).
    pub fn new(budget: Budget, period: Period, spent_minor: i64) -> Self {
        let limit = i128::from(budget.amount.minor);
        let spent = i128::from(spent_minor);
        // Integer arithmetic so 400.00 of 400.00 is exactly 100 %, never 99.999 %.
        let percent = u32::try_from((spent * 100 / limit).max(0)).unwrap_or(u32::MAX);
        let reached = budget
            .thresholds
            .iter()
            .copied()
            .filter(|t| spent * 100 >= limit * i128::from(*t))
            .collect();
        let spent = Money {
            minor: spent_minor,
            currency: budget.amount.currency,
        };
        BudgetProgress {
            budget,
            period,
            spent,
            percent,
            reached,
        }
    }
}

impl Outlay {
    /// Creates a budget. One saved below this period's spend alerts at once: the write
    /// checks its period holding today in the same transaction, and returns what fired.
    pub async fn create_budget(
        &self,
        session: &Session,
        input: BudgetInput,
    ) -> Result<Saved<Budget>> {
        let now = self.clock.now();
        let budget = self
            .check_budget(session, input, Uuid::now_v7(), now, true)
            .await?;
        let budgets = session.store().budgets();
        let fired = budgets.insert(&budget, self.clock.today(), now).await?;
        self.mail_queued(&fired);
        Ok(Saved {
            value: budget,
            fired,
        })
    }

    /// The user's budgets.
    pub async fn budgets(&self, session: &Session) -> Result<Vec<Budget>> {
        session.store().budgets().list().await
    }

    /// Changes a budget; checked against this period's spend like a new one.
    pub async fn update_budget(
        &self,
        session: &Session,
        id: Uuid,
        input: BudgetInput,
    ) -> Result<Saved<Budget>> {
        let old = self
            .budgets(session)
            .await?
            .into_iter()
            .find(|b| b.id == id)
            .ok_or(AppError::NotFound("Budget"))?;
        let budget = self
            .check_budget(session, input, id, old.created_at, old.email_alerts)
            .await?;
        let budgets = session.store().budgets();
        let fired = budgets
            .update(&budget, self.clock.today(), self.clock.now())
            .await?;
        self.mail_queued(&fired);
        Ok(Saved {
            value: budget,
            fired,
        })
    }

    /// Deletes a budget, in a write like any other (it cannot fire anything itself).
    pub async fn delete_budget(&self, session: &Session, id: Uuid) -> Result<Saved<()>> {
        let budgets = session.store().budgets();
        let fired = budgets
            .delete(id, self.clock.today(), self.clock.now())
            .await?;
        self.mail_queued(&fired);
        Ok(Saved { value: (), fired })
    }

    /// Every budget evaluated for the period that contains `on`.
    pub async fn budget_progress(
        &self,
        session: &Session,
        on: NaiveDate,
    ) -> Result<Vec<BudgetProgress>> {
        // Categories once for all budgets, not once per budget (each is a round trip).
        let (budgets, categories) =
            tokio::try_join!(self.budgets(session), self.categories(session))?;
        let mut progress = Vec::new();
        for budget in budgets {
            let period = Period::containing(budget.period, on);
            let ids: Option<Vec<Uuid>> = budget.category_id.map(|id| {
                categories
                    .iter()
                    .filter(|c| c.id == id || c.parent_id == Some(id))
                    .map(|c| c.id)
                    .collect()
            });
            let spent = session
                .store()
                .spend()
                .total(
                    budget.amount.currency,
                    period.start,
                    period.end,
                    ids.as_deref(),
                )
                .await?;
            progress.push(BudgetProgress::new(budget, period, spent));
        }
        Ok(progress)
    }

    /// One budget evaluated over one period.
    pub async fn evaluate_budget(
        &self,
        session: &Session,
        budget: Budget,
        period: Period,
    ) -> Result<BudgetProgress> {
        let categories = match budget.category_id {
            Some(id) => Some(self.category_with_children(session, id).await?),
            None => None,
        };
        let spent = session
            .store()
            .spend()
            .total(
                budget.amount.currency,
                period.start,
                period.end,
                categories.as_deref(),
            )
            .await?;
        Ok(BudgetProgress::new(budget, period, spent))
    }

    async fn check_budget(
        &self,
        session: &Session,
        input: BudgetInput,
        id: Uuid,
        created_at: DateTime<Utc>,
        email_alerts: bool,
    ) -> Result<Budget> {
        let currency = match input
            .currency
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => Currency::parse(code)?,
            None => session.base_currency,
        };
        let amount = Money::parse(&input.amount, currency, Sign::Positive)?;
        if let Some(category) = input.category_id {
            self.category_with_children(session, category)
                .await
                .map_err(|_| AppError::invalid("categoryId", "Pick a category."))?;
        }
        let mut thresholds = input
            .thresholds
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| DEFAULT_THRESHOLDS.to_vec());
        thresholds.sort_unstable();
        thresholds.dedup();
        if thresholds.len() > 5 || thresholds.iter().any(|t| !(1..=1000).contains(t)) {
            return Err(AppError::invalid(
                "thresholds",
                "Use up to five thresholds between 1 % and 1000 %.",
            ));
        }
        Ok(Budget {
            id,
            category_id: input.category_id,
            period: input.period,
            amount,
            thresholds,
            email_alerts,
            created_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(limit: i64) -> Budget {
        Budget {
            id: Uuid::now_v7(),
            category_id: None,
            period: PeriodKind::Monthly,
            amount: Money {
                minor: limit,
                currency: Currency::parse("USD").unwrap(),
            },
            thresholds: DEFAULT_THRESHOLDS.to_vec(),
            email_alerts: true,
            created_at: Utc::now(),
        }
    }

    fn progress(limit: i64, spent: i64) -> BudgetProgress {
        let period = Period::containing(PeriodKind::Monthly, "2026-11-01".parse().unwrap());
        BudgetProgress::new(budget(limit), period, spent)
    }

    #[test]
    fn thresholds_are_reached_exactly() {
        assert_eq!(progress(40_000, 31_999).reached, Vec::<u32>::new());
        assert_eq!(progress(40_000, 32_000).reached, [80]);
        assert_eq!(progress(40_000, 39_999).percent, 99);
        let full = progress(40_000, 40_000);
        assert_eq!((full.percent, full.reached), (100, vec![80, 100]));
        assert_eq!(progress(40_000, 41_250).percent, 103);
    }

    #[test]
    fn refunds_never_make_a_negative_percentage() {
        assert_eq!(progress(40_000, -500).percent, 0);
    }
}
