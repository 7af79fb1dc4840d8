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
//! went *up* (an alert fires on reaching a threshold, never on falling back); the sums read
//! the daily totals the database keeps (`expense_day_totals`), not the expenses; and all the
//! (budget, period) pairs of a write are looked up in one statement.
//!
//! An import is the one write that may reach far into the past, so it evaluates with
//! [`PastPeriods::RecordAsRead`]: see there.

use super::{Alert, OVERALL};
use crate::budgets::{Budget, BudgetProgress};
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
    /// for spend removed. `None` when the writer does not know: evaluated always.
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

    /// The spend of many new expenses, summed per category, day and currency: an import of
    /// years of history then hands evaluation one change per day and category it touched,
    /// not one per line. In no particular order (evaluation does not depend on it).
    pub fn all_added(expenses: &[Expense]) -> Vec<Self> {
        let mut sums: HashMap<(Uuid, NaiveDate, Currency), i64> = HashMap::new();
        for e in expenses {
            let sum = sums
                .entry((e.category_id, e.date, e.amount.currency))
                .or_default();
            *sum = sum.saturating_add(e.amount.minor);
        }
        sums.into_iter()
            .map(|((category, date, currency), minor)| {
                SpendChange::of(category, date, minor, currency)
            })
            .collect()
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

/// A budget as evaluation sees it: with its name and the categories it covers.
#[derive(Clone, Debug)]
pub struct WatchedBudget {
    /// The budget.
    pub budget: Budget,
    /// Its category's name; `None` for an overall budget.
    pub category_name: Option<String>,
    /// Its category and that category's sub-categories; `None` for an overall budget.
    pub scope: Option<Vec<Uuid>>,
}

impl WatchedBudget {
    /// Whether spend in `category` counts for this budget.
    fn covers(&self, category: Uuid) -> bool {
        self.scope.as_ref().is_none_or(|s| s.contains(&category))
    }

    /// "Groceries", or "Overall".
    fn name(&self) -> &str {
        match (&self.budget.category_id, &self.category_name) {
            (None, _) => OVERALL,
            (Some(_), Some(name)) => name,
            (Some(_), None) => "A category",
        }
    }
}

/// One budget and period whose standing evaluation needs.
#[derive(Clone, Copy, Debug)]
pub struct Check<'a> {
    /// The budget's id.
    pub budget_id: Uuid,
    /// The period.
    pub period: Period,
    /// The budget's currency: only spend in it counts.
    pub currency: Currency,
    /// The categories whose spend counts; `None` for all.
    pub scope: Option<&'a [Uuid]>,
}

/// Where a budget stands in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// Thresholds that have fired already.
    pub fired: Vec<u32>,
    /// Spend in the period (live expenses, the budget's currency and categories).
    pub spent: i64,
}

/// What evaluation needs from the transaction a write runs in; one user's rows only. Few
/// calls, each one statement, because on a remote PostgreSQL each is a network round trip.
#[async_trait::async_trait]
pub trait Ledger: Send {
    /// The user's budgets, with names and scopes.
    async fn budgets(&mut self) -> Result<Vec<WatchedBudget>>;
    /// The standing of each check, in the same order.
    async fn standings(&mut self, checks: &[Check<'_>]) -> Result<Vec<Standing>>;
    /// Records an alert unless one exists for its budget, period and threshold
    /// (`INSERT … ON CONFLICT DO NOTHING`), with its `read_at`; true when this call recorded
    /// it.
    async fn insert_alert(&mut self, alert: &Alert) -> Result<bool>;
    /// The user's e-mail settings, if saved.
    async fn email_settings(&mut self) -> Result<Option<EmailSettings>>;
    /// Queues a mail in the outbox.
    async fn queue_mail(&mut self, mail: &OutboxMail) -> Result<()>;
}

/// What evaluation does with a threshold crossed in a period that is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PastPeriods {
    /// Like any other period: the alert is unread, e-mailed when the budget's e-mail is on,
    /// and returned as fired (a native notification). What every write but the import does:
    /// editing last month's groceries over their budget is news.
    Notify,
    /// For the import. A period whose last day is before `today` (`period.end <= today`,
    /// `end` being the first day after it) gets its alert recorded — once, by the same unique
    /// key, so the alert centre shows the history and a later write does not fire it — but
    /// already read (at `now`), with no e-mail, and not returned as fired. Importing years of
    /// bank statements must not raise a notification and send a mail for every month
    /// overspent long ago. Periods holding `today` or later behave as under
    /// [`PastPeriods::Notify`].
    RecordAsRead {
        /// Today in the user's zone.
        today: NaiveDate,
    },
}

impl PastPeriods {
    /// Whether an alert for `period` is only history.
    fn is_history(self, period: Period) -> bool {
        match self {
            PastPeriods::Notify => false,
            PastPeriods::RecordAsRead { today } => period.end <= today,
        }
    }
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
    evaluate_with(ledger, changes, now, PastPeriods::Notify).await
}

/// [`evaluate`], with `past` saying what a threshold crossed in a period that is over does.
pub async fn evaluate_with<L: Ledger + ?Sized>(
    ledger: &mut L,
    changes: &[SpendChange],
    now: DateTime<Utc>,
    past: PastPeriods,
) -> Result<Vec<Alert>> {
    // Only spend going up can reach a threshold: a delete alone needs no look at all.
    let any_rise = changes.iter().any(|c| c.amount.is_none_or(|m| m.minor > 0));
    if !any_rise {
        return Ok(Vec::new());
    }
    let budgets = ledger.budgets().await?;
    let mut touched: BTreeMap<(usize, NaiveDate), Touch> = BTreeMap::new();
    for change in changes {
        for (index, watched) in budgets.iter().enumerate() {
            if !watched.covers(change.category_id) {
                continue;
            }
            let budget = &watched.budget;
            let period = Period::containing(budget.period, change.date);
            let touch = touched.entry((index, period.start)).or_default();
            match change.amount {
                None => touch.unknown = true,
                Some(m) if m.currency == budget.amount.currency => touch.net += m.minor,
                Some(_) => {}
            }
        }
    }
    let rising: Vec<(&WatchedBudget, Period)> = touched
        .into_iter()
        .filter(|(_, touch)| touch.unknown || touch.net > 0)
        .map(|((index, start), _)| {
            let watched = &budgets[index];
            (watched, Period::containing(watched.budget.period, start))
        })
        .collect();
    if rising.is_empty() {
        return Ok(Vec::new());
    }
    let checks: Vec<Check> = rising
        .iter()
        .map(|(watched, period)| Check {
            budget_id: watched.budget.id,
            period: *period,
            currency: watched.budget.amount.currency,
            scope: watched.scope.as_deref(),
        })
        .collect();
    let standings = ledger.standings(&checks).await?;

    let mut fired = Vec::new();
    let mut settings: Option<Option<EmailSettings>> = None;
    for ((watched, period), standing) in rising.into_iter().zip(standings) {
        let budget = &watched.budget;
        let progress = BudgetProgress::new(budget.clone(), period, standing.spent);
        for threshold in progress.reached {
            if standing.fired.contains(&threshold) {
                continue;
            }
            let mut alert = Alert::new(
                budget,
                watched.name(),
                period,
                threshold,
                standing.spent,
                now,
            );
            let history = past.is_history(period);
            if history {
                alert.read_at = Some(now);
            }
            if !ledger.insert_alert(&alert).await? || history {
                continue;
            }
            if budget.email_alerts {
                if settings.is_none() {
                    settings = Some(ledger.email_settings().await?);
                }
                let active = settings
                    .as_ref()
                    .and_then(|s| s.as_ref())
                    .filter(|s| s.active());
                if let Some(active) = active {
                    let mail = OutboxMail::for_alert(&alert, active, now)?;
                    ledger.queue_mail(&mail).await?;
                }
            }
            fired.push(alert);
        }
    }
    Ok(fired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PeriodKind;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn expense(category: Uuid, date: &str, minor: i64, currency: &str) -> Expense {
        let now = Utc::now();
        Expense {
            id: Uuid::now_v7(),
            amount: Money {
                minor,
                currency: Currency::parse(currency).unwrap(),
            },
            date: day(date),
            category_id: category,
            description: String::new(),
            payment_method: None,
            tags: Vec::new(),
            created_at: now,
            updated_at: now,
            deleted_at: None,
        }
    }

    #[test]
    fn many_new_expenses_sum_per_category_day_and_currency() {
        let (food, rent) = (Uuid::now_v7(), Uuid::now_v7());
        let changes = SpendChange::all_added(&[
            expense(food, "2026-11-02", 100, "USD"),
            expense(food, "2026-11-02", 250, "USD"),
            expense(food, "2026-11-02", 70, "EUR"),
            expense(food, "2026-11-03", 1, "USD"),
            expense(rent, "2026-11-02", 9, "USD"),
        ]);
        let mut sums: Vec<(Uuid, NaiveDate, i64, &str)> = changes
            .iter()
            .map(|c| {
                let m = c.amount.unwrap();
                (c.category_id, c.date, m.minor, m.currency.code())
            })
            .collect();
        sums.sort();
        let mut expected = vec![
            (food, day("2026-11-02"), 70, "EUR"),
            (food, day("2026-11-02"), 350, "USD"),
            (food, day("2026-11-03"), 1, "USD"),
            (rent, day("2026-11-02"), 9, "USD"),
        ];
        expected.sort();
        assert_eq!(sums, expected);
    }

    #[test]
    fn a_period_is_history_once_its_last_day_is_before_today() {
        let october = Period::containing(PeriodKind::Monthly, day("2026-10-15"));
        let on = |today: &str| PastPeriods::RecordAsRead { today: day(today) };
        assert!(!on("2026-10-31").is_history(october), "its last day");
        assert!(on("2026-11-01").is_history(october), "the day after");
        assert!(!on("2026-09-01").is_history(october), "still to come");
        assert!(!PastPeriods::Notify.is_history(october));
    }
}
