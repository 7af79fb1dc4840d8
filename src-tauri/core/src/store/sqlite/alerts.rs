//! Budget evaluation inside SQLite write transactions, and the alerts and e-mail settings
//! tables.

use super::{budget_from_row, category_from_row, currency, push_in};
use crate::alerts::{Alert, Ledger};
use crate::budgets::Budget;
use crate::categories::Category;
use crate::domain::{Currency, Money, Period, PeriodKind};
use crate::error::Result;
use crate::mail::{EmailSettings, OutboxMail};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqliteExecutor};
use uuid::Uuid;

/// One user's view of an open write transaction (`BEGIN IMMEDIATE`: no other writer runs
/// until it commits, so what it sums is the whole truth).
pub(super) struct SqliteLedger<'c> {
    pub conn: &'c mut SqliteConnection,
    pub user: Uuid,
}

#[async_trait::async_trait]
impl Ledger for SqliteLedger<'_> {
    async fn budgets(&mut self) -> Result<Vec<Budget>> {
        budgets(&mut *self.conn, self.user).await
    }

    async fn categories(&mut self) -> Result<Vec<Category>> {
        let rows = sqlx::query("SELECT * FROM categories WHERE user_id = ?")
            .bind(self.user)
            .fetch_all(&mut *self.conn)
            .await?;
        rows.iter().map(category_from_row).collect()
    }

    async fn spend(
        &mut self,
        currency: Currency,
        period: Period,
        categories: Option<&[Uuid]>,
    ) -> Result<i64> {
        // The daily totals the triggers keep: at most days x categories rows, an index range.
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT coalesce(SUM(minor), 0) FROM daily_spend WHERE user_id = ",
        );
        query
            .push_bind(self.user)
            .push(" AND currency = ")
            .push_bind(currency.code())
            .push(" AND day >= ")
            .push_bind(period.start)
            .push(" AND day < ")
            .push_bind(period.end);
        if let Some(ids) = categories {
            push_in(&mut query, "category_id", ids);
        }
        Ok(query
            .build_query_scalar()
            .fetch_one(&mut *self.conn)
            .await?)
    }

    async fn fired_thresholds(&mut self, budget: Uuid, period: Period) -> Result<Vec<u32>> {
        let fired: Vec<i64> = sqlx::query_scalar(
            "SELECT threshold FROM alerts WHERE user_id = ? AND budget_id = ? AND period = ? AND period_start = ?",
        )
        .bind(self.user)
        .bind(budget)
        .bind(period.kind.as_str())
        .bind(period.start)
        .fetch_all(&mut *self.conn)
        .await?;
        Ok(fired
            .into_iter()
            .filter_map(|t| u32::try_from(t).ok())
            .collect())
    }

    async fn insert_alert(&mut self, alert: &Alert) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO alerts (id, user_id, budget_id, budget_name, period, period_start, threshold, spent_minor, limit_minor, currency, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (user_id, budget_id, period, period_start, threshold) DO NOTHING",
        )
        .bind(alert.id)
        .bind(self.user)
        .bind(alert.budget_id)
        .bind(&alert.budget_name)
        .bind(alert.period.kind.as_str())
        .bind(alert.period.start)
        .bind(i64::from(alert.threshold))
        .bind(alert.spent.minor)
        .bind(alert.limit.minor)
        .bind(alert.limit.currency.code())
        .bind(alert.created_at)
        .execute(&mut *self.conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn email_settings(&mut self) -> Result<Option<EmailSettings>> {
        email_settings(&mut *self.conn, self.user).await
    }

    async fn queue_mail(&mut self, mail: &OutboxMail) -> Result<()> {
        super::outbox::insert(&mut *self.conn, self.user, mail).await
    }
}

pub(super) async fn budgets<'e>(conn: impl SqliteExecutor<'e>, user: Uuid) -> Result<Vec<Budget>> {
    let rows =
        sqlx::query("SELECT * FROM budgets WHERE user_id = ? ORDER BY category_id IS NOT NULL, id")
            .bind(user)
            .fetch_all(conn)
            .await?;
    rows.iter().map(budget_from_row).collect()
}

fn alert_from_row(row: &SqliteRow) -> Result<Alert> {
    let currency = currency(row, "currency")?;
    let kind = PeriodKind::parse(&row.try_get::<String, _>("period")?)?;
    let start: NaiveDate = row.try_get("period_start")?;
    let threshold: i64 = row.try_get("threshold")?;
    Ok(Alert {
        id: row.try_get("id")?,
        budget_id: row.try_get("budget_id")?,
        budget_name: row.try_get("budget_name")?,
        period: Period::containing(kind, start),
        threshold: u32::try_from(threshold).unwrap_or(0),
        spent: Money {
            minor: row.try_get("spent_minor")?,
            currency,
        },
        limit: Money {
            minor: row.try_get("limit_minor")?,
            currency,
        },
        created_at: row.try_get("created_at")?,
        read_at: row.try_get("read_at")?,
    })
}

pub(super) async fn alerts<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    limit: u32,
) -> Result<Vec<Alert>> {
    let rows = sqlx::query("SELECT * FROM alerts WHERE user_id = ? ORDER BY id DESC LIMIT ?")
        .bind(user)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.iter().map(alert_from_row).collect()
}

pub(super) async fn unread_alerts<'e>(conn: impl SqliteExecutor<'e>, user: Uuid) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM alerts WHERE user_id = ? AND read_at IS NULL")
            .bind(user)
            .fetch_one(conn)
            .await?,
    )
}

pub(super) async fn alert_exists<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    id: Uuid,
) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM alerts WHERE user_id = ? AND id = ?")
            .bind(user)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

pub(super) async fn mark_alerts_read<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<u64> {
    // `? IS NULL OR id = ?`: one statement for "this one" and "all of them".
    let done = sqlx::query(
        "UPDATE alerts SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND (? IS NULL OR id = ?)",
    )
    .bind(at)
    .bind(user)
    .bind(id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub(super) async fn email_settings<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
) -> Result<Option<EmailSettings>> {
    let row = sqlx::query("SELECT * FROM email_settings WHERE user_id = ?")
        .bind(user)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(EmailSettings {
            enabled: row.try_get("enabled")?,
            recipient: row.try_get("recipient")?,
            sender: row.try_get("sender")?,
            updated_at: row.try_get("updated_at")?,
        })
    })
    .transpose()
}

pub(super) async fn save_email_settings<'e>(
    conn: impl SqliteExecutor<'e>,
    user: Uuid,
    settings: &EmailSettings,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO email_settings (user_id, enabled, recipient, sender, updated_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled, recipient = excluded.recipient, \
         sender = excluded.sender, updated_at = excluded.updated_at",
    )
    .bind(user)
    .bind(settings.enabled)
    .bind(&settings.recipient)
    .bind(&settings.sender)
    .bind(settings.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}
