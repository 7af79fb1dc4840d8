//! Budget alerts: a budget's spend reaching one of its thresholds in a period.
//!
//! Every write that changes spend evaluates the budgets it touches, for the periods it
//! touches, inside its own transaction ([`detect`]). An alert fires at most once per budget,
//! period and threshold — a unique key in the database decides, so a restart, a replay or a
//! second device never fires it twice, and spend that falls back under a threshold and rises
//! again in the same period does not fire it again.
//!
//! The write returns the alerts it fired (see [`Saved`]) so the shell can raise a native
//! notification; the app lists them too, and — when the user turned e-mail on — each is queued
//! in the e-mail outbox in the same transaction (see [`crate::mail`]).
//!
//! One exception, for the import only: thresholds crossed in periods that ended before today
//! are recorded already read, without e-mail, and not returned as fired
//! ([`PastPeriods::RecordAsRead`]), so importing years of history does not flood the user.

pub mod detect;

pub use detect::{
    evaluate, evaluate_with, Check, Ledger, PastPeriods, SpendChange, Standing, WatchedBudget,
};

use crate::auth::Session;
use crate::budgets::Budget;
use crate::domain::{Money, Period};
use crate::error::Result;
use crate::Outlay;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

/// How many alerts one listing returns at most.
pub const MAX_ALERTS: u32 = 200;

/// The name an overall budget goes by in alerts.
pub const OVERALL: &str = "Overall";

/// What a write saved, and the budget alerts it fired (raise a notification for each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Saved<T> {
    /// The saved expense, or how many expenses changed.
    pub value: T,
    /// Alerts that fired because of this write, oldest first; usually none.
    pub fired: Vec<Alert>,
}

/// A budget's spend reached one of its thresholds in one period.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(as = "AlertView"))]
pub struct Alert {
    /// UUIDv7.
    pub id: Uuid,
    /// The budget; it may have been deleted since.
    pub budget_id: Uuid,
    /// The budget's name when it fired: its category's name, or "Overall".
    pub budget_name: String,
    /// The period whose spend reached the threshold.
    pub period: Period,
    /// The threshold reached, in percent of the limit.
    pub threshold: u32,
    /// Spent in the period when it fired.
    pub spent: Money,
    /// The budget's limit when it fired.
    pub limit: Money,
    /// When it fired.
    pub created_at: DateTime<Utc>,
    /// When the user marked it read.
    pub read_at: Option<DateTime<Utc>>,
}

impl Alert {
    /// A new alert for `budget` (named `budget_name`) reaching `threshold` in `period`.
    pub fn new(
        budget: &Budget,
        budget_name: &str,
        period: Period,
        threshold: u32,
        spent_minor: i64,
        now: DateTime<Utc>,
    ) -> Alert {
        Alert {
            id: Uuid::now_v7(),
            budget_id: budget.id,
            budget_name: budget_name.to_owned(),
            period,
            threshold,
            spent: Money {
                minor: spent_minor,
                currency: budget.amount.currency,
            },
            limit: budget.amount,
            created_at: now,
            read_at: None,
        }
    }

    /// Spent as a whole percentage of the limit, rounded down (may pass 100).
    pub fn percent(&self) -> u32 {
        let limit = i128::from(self.limit.minor).max(1);
        let percent = i128::from(self.spent.minor) * 100 / limit;
        u32::try_from(percent.max(0)).unwrap_or(u32::MAX)
    }

    /// "November 2026", "week of 23 Nov 2026" or "2026".
    pub fn period_label(&self) -> String {
        self.period.label()
    }

    /// The notification's title.
    pub fn title(&self) -> &'static str {
        "Budget alert"
    }

    /// The notification's text, e.g. "Groceries: $412.50 of $400.00 spent in November (103 %)".
    /// The year is named only when the period is not in the year the alert fired.
    pub fn body(&self) -> String {
        format!(
            "{}: {} of {} spent in {} ({} %)",
            self.budget_name,
            self.spent.to_display_string(),
            self.limit.to_display_string(),
            self.period.phrase_in(self.created_at.year()),
            self.percent()
        )
    }
}

/// The IPC form carries the texts too, so the UI shows exactly what the notification said.
impl Serialize for Alert {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        AlertView {
            id: self.id,
            budget_id: self.budget_id,
            budget_name: self.budget_name.clone(),
            period: self.period,
            period_label: self.period_label(),
            threshold: self.threshold,
            spent: self.spent,
            limit: self.limit,
            percent: self.percent(),
            title: self.title(),
            body: self.body(),
            created_at: self.created_at,
            read_at: self.read_at,
        }
        .serialize(serializer)
    }
}

/// An [`Alert`] as the UI receives it: its fields and the texts made from them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Alert"))]
struct AlertView {
    id: Uuid,
    budget_id: Uuid,
    budget_name: String,
    period: Period,
    /// "November 2026", "week of 23 Nov 2026" or "2026".
    period_label: String,
    /// In percent of the limit.
    threshold: u32,
    spent: Money,
    limit: Money,
    /// Spent as a whole percentage of the limit, rounded down (may pass 100).
    percent: u32,
    /// The native notification's title and text.
    title: &'static str,
    body: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// The alerts screen: newest first, and how many are unread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AlertList {
    /// Newest first, at most [`MAX_ALERTS`].
    pub alerts: Vec<Alert>,
    /// Unread alerts in all (not only those listed).
    pub unread: i64,
}

impl Outlay {
    /// The newest alerts (up to `limit`, capped at [`MAX_ALERTS`]) and the unread count.
    pub async fn alerts(&self, session: &Session, limit: u32) -> Result<AlertList> {
        let limit = limit.clamp(1, MAX_ALERTS);
        Ok(AlertList {
            alerts: session.store().alerts().list(limit).await?,
            unread: session.store().alerts().unread().await?,
        })
    }

    /// Marks one alert read; marking it again changes nothing.
    pub async fn mark_alert_read(&self, session: &Session, id: Uuid) -> Result<()> {
        let changed = session
            .store()
            .alerts()
            .mark_read(Some(id), self.clock.now())
            .await?;
        if changed == 0 && !session.store().alerts().exists(id).await? {
            return Err(crate::AppError::NotFound("Alert"));
        }
        Ok(())
    }

    /// Marks every alert read; returns how many were unread.
    pub async fn mark_all_alerts_read(&self, session: &Session) -> Result<u64> {
        session
            .store()
            .alerts()
            .mark_read(None, self.clock.now())
            .await
    }

    /// Re-evaluates the budgets covering each (category, date) pair, for the periods holding
    /// those dates, in a transaction of its own. For a budget that changed
    /// ([`Outlay::check_budget_now`]); a write of expenses evaluates in its own transaction
    /// instead, the import included, as a store method that writes expenses should.
    pub async fn reevaluate_budgets(
        &self,
        session: &Session,
        touched: &[(Uuid, NaiveDate)],
    ) -> Result<Vec<Alert>> {
        let changes: Vec<SpendChange> = touched
            .iter()
            .map(|(category, date)| SpendChange::touched(*category, *date))
            .collect();
        let fired = session
            .store()
            .budgets()
            .reevaluate(&changes, self.clock.now())
            .await?;
        self.mail_queued(&fired);
        Ok(fired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, PeriodKind};

    fn alert(kind: PeriodKind, on: &str, spent: i64, fired_at: &str) -> Alert {
        let usd = Currency::parse("USD").unwrap();
        let budget = Budget {
            id: Uuid::now_v7(),
            category_id: None,
            period: kind,
            amount: Money {
                minor: 40_000,
                currency: usd,
            },
            thresholds: vec![80, 100],
            email_alerts: true,
            created_at: Utc::now(),
        };
        let period = Period::containing(kind, on.parse().unwrap());
        Alert::new(
            &budget,
            "Groceries",
            period,
            100,
            spent,
            fired_at.parse().unwrap(),
        )
    }

    #[test]
    fn notification_text() {
        let a = alert(
            PeriodKind::Monthly,
            "2026-11-20",
            41_250,
            "2026-11-25T12:00:00Z",
        );
        assert_eq!(a.title(), "Budget alert");
        assert_eq!(
            a.body(),
            "Groceries: $412.50 of $400.00 spent in November (103 %)"
        );
        assert_eq!(a.period_label(), "November 2026");
    }

    #[test]
    fn weekly_yearly_and_last_years_periods_say_so() {
        let week = alert(
            PeriodKind::Weekly,
            "2026-11-25",
            40_000,
            "2026-11-25T12:00:00Z",
        );
        assert_eq!(
            week.body(),
            "Groceries: $400.00 of $400.00 spent in the week of 23 Nov (100 %)"
        );
        let year = alert(
            PeriodKind::Yearly,
            "2026-03-01",
            32_000,
            "2026-11-25T12:00:00Z",
        );
        assert_eq!(
            year.body(),
            "Groceries: $320.00 of $400.00 spent in 2026 (80 %)"
        );
        let late = alert(
            PeriodKind::Monthly,
            "2026-12-31",
            40_000,
            "2027-01-02T09:00:00Z",
        );
        assert!(late.body().ends_with("spent in December 2026 (100 %)"));
    }

    #[test]
    fn serialized_form_carries_the_texts() {
        let a = alert(
            PeriodKind::Monthly,
            "2026-11-20",
            41_250,
            "2026-11-25T12:00:00Z",
        );
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["percent"], 103);
        assert_eq!(json["periodLabel"], "November 2026");
        assert_eq!(json["title"], "Budget alert");
        assert_eq!(json["body"], a.body());
    }
}
