//! Which budgets and periods a write touched, whether their spend reached a threshold, and the
//! alerts (and queued e-mails) that follow — all inside the write's own transaction.
//!
//! Each store implements [`Ledger`] over its open transaction and calls [`evaluate`] after the
//! write itself, before committing: the write, the alert rows and the outbox rows commit
//! together or not at all. Writers are serialised per user (SQLite: `BEGIN IMMEDIATE`;
//! PostgreSQL: a row lock on the user's own row), so the sum a write sees includes every
//! write committed before it, and two devices adding at once cannot both stay under a
//! threshold that their writes cross together.
//!
//! Kept cheap for the hot path (adding one expense): only budgets whose scope covers a changed
//! category, only the periods holding the changed dates, and only where that budget's spend
//! went *up* (an alert fires on reaching a threshold, never on falling back). A (budget,
//! period) whose thresholds have all fired already is not summed at all.

use super::{Alert, OVERALL};
use crate::budgets::{Budget, BudgetProgress};
use crate::categories::Category;
use crate::domain::{Currency, Money, Period};
use crate::error::Result;
use crate::expenses::Expense;
use crate::mail::{EmailSettings, OutboxMail};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Spend that changed in one category on one day, as a write changed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpendChange {
    /// The category the spend is (or was) filed under.
    pub category_id: Uuid,
    /// The day of the spend.
    pub date: NaiveDate,
    /// Signed: positive for spend added (a new or restored expense, one moved in), negative
    /// for spend removed. `None` when the writer does not know (an import): evaluated always.
    pub amount: Option<Money>,
}

impl SpendChange {
    /// The spend of `expense` added.
    pub fn added(expense: &Expense) -> Self {
        SpendChange {
            category_id: expense.category_id,
            date: expense.date,
            amount: Some(expense.amount),
        }
    }

    /// The spend of `expense` taken away.
    pub fn removed(expense: &Expense) -> Self {
        SpendChange::of(
            expense.category_id,
            expense.date,
            -expense.amount.minor,
            expense.amount.currency,
        )
    }

    /// `minor` units of `currency` in `category` on `date` (negative when removed).
    pub fn of(category_id: Uuid, date: NaiveDate, minor: i64, currency: Currency) -> Self {
        SpendChange {
            category_id,
            date,
            amount: Some(Money { minor, currency }),
        }
    }

    /// Spend in `category` on `date` changed by an unknown amount.
    pub fn touched(category_id: Uuid, date: NaiveDate) -> Self {
        SpendChange {
            category_id,
            date,
            amount: None,
        }
    }
}

/// What evaluation needs from the transaction a write runs in; one user's rows only.
#[async_trait::async_trait]
pub trait Ledger: Send {
    /// The user's budgets.
    async fn budgets(&mut self) -> Result<Vec<Budget>>;
    /// The user's categories (for sub-categories and names).
    async fn categories(&mut self) -> Result<Vec<Category>>;
    /// Sum of live expenses in `currency` dated in `period`, limited to `categories` when given.
    async fn spend(
        &mut self,
        currency: Currency,
        period: Period,
        categories: Option<&[Uuid]>,
    ) -> Result<i64>;
    /// The thresholds that have fired for `budget` in `period`.
    async fn fired_thresholds(&mut self, budget: Uuid, period: Period) -> Result<Vec<u32>>;
    /// Records an alert unless one exists for its budget, period and threshold
    /// (`INSERT … ON CONFLICT DO NOTHING`); true when this call recorded it.
    async fn insert_alert(&mut self, alert: &Alert) -> Result<bool>;
    /// The user's e-mail settings, if saved.
    async fn email_settings(&mut self) -> Result<Option<EmailSettings>>;
    /// Queues a mail in the outbox.
    async fn queue_mail(&mut self, mail: &OutboxMail) -> Result<()>;
}

/// Net change of one budget in one period.
#[derive(Default)]
struct Touch {
    /// Sum of the known changes in the budget's currency.
    net: i64,
    /// A change of unknown amount touched it.
    unknown: bool,
}

/// Evaluates the budgets and periods `changes` touched; records (and queues e-mail for) each
/// threshold newly reached. Returns the alerts fired, in budget then period order.
pub async fn evaluate<L: Ledger + ?Sized>(
    ledger: &mut L,
    changes: &[SpendChange],
    now: DateTime<Utc>,
) -> Result<Vec<Alert>> {
    // Only spend going up can reach a threshold: a delete alone needs no look at all.
    let any_rise = changes.iter().any(|c| c.amount.is_none_or(|m| m.minor > 0));
    if !any_rise {
        return Ok(Vec::new());
    }
    let budgets = ledger.budgets().await?;
    if budgets.is_empty() {
        return Ok(Vec::new());
    }
    let categories = match budgets.iter().any(|b| b.category_id.is_some()) {
        true => ledger.categories().await?,
        false => Vec::new(),
    };
    let parent_of: HashMap<Uuid, Option<Uuid>> =
        categories.iter().map(|c| (c.id, c.parent_id)).collect();

    let mut touched: BTreeMap<(usize, NaiveDate), Touch> = BTreeMap::new();
    for change in changes {
        for (index, budget) in budgets.iter().enumerate() {
            let covers = match budget.category_id {
                None => true,
                Some(scope) => {
                    change.category_id == scope
                        || parent_of.get(&change.category_id).copied().flatten() == Some(scope)
                }
            };
            if !covers {
                continue;
            }
            let period = Period::containing(budget.period, change.date);
            let touch = touched.entry((index, period.start)).or_default();
            match change.amount {
                None => touch.unknown = true,
                Some(m) if m.currency == budget.amount.currency => touch.net += m.minor,
                Some(_) => {}
            }
        }
    }

    let mut fired = Vec::new();
    let mut settings: Option<Option<EmailSettings>> = None;
    for ((index, start), touch) in touched {
        if !touch.unknown && touch.net <= 0 {
            continue;
        }
        let budget = &budgets[index];
        let period = Period::containing(budget.period, start);
        let already = ledger.fired_thresholds(budget.id, period).await?;
        if budget.thresholds.iter().all(|t| already.contains(t)) {
            continue;
        }
        let scope = budget.category_id.map(|id| {
            let mut ids: Vec<Uuid> = categories
                .iter()
                .filter(|c| c.parent_id == Some(id))
                .map(|c| c.id)
                .collect();
            ids.push(id);
            ids
        });
        let spent = ledger
            .spend(budget.amount.currency, period, scope.as_deref())
            .await?;
        let progress = BudgetProgress::new(budget.clone(), period, spent);
        let name = budget_name(budget, &categories);
        for threshold in progress.reached {
            if already.contains(&threshold) {
                continue;
            }
            let alert = Alert::new(budget, &name, period, threshold, spent, now);
            if !ledger.insert_alert(&alert).await? {
                continue;
            }
            if budget.email_alerts {
                if settings.is_none() {
                    settings = Some(ledger.email_settings().await?);
                }
                if let Some(active) = settings
                    .as_ref()
                    .and_then(|s| s.as_ref())
                    .filter(|s| s.active())
                {
                    let mail = OutboxMail::for_alert(&alert, active, now)?;
                    ledger.queue_mail(&mail).await?;
                }
            }
            fired.push(alert);
        }
    }
    Ok(fired)
}

/// Its category's name, or "Overall".
fn budget_name(budget: &Budget, categories: &[Category]) -> String {
    match budget.category_id {
        None => OVERALL.to_owned(),
        Some(id) => categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| "A category".to_owned()),
    }
}
