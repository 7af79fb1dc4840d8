//! Budget evaluation inside SQLite write transactions, and the alerts and e-mail settings
//! tables.

use super::{currency, push_in, SqliteUser};
use crate::alerts::{Alert, Check, Ledger, Standing, WatchedBudget};
use crate::domain::{Money, Period, PeriodKind};
use crate::error::{AppError, Result};
use crate::mail::{EmailSettings, OutboxMail};
use crate::store::rows::BudgetRow;
use crate::store::AlertStore;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Row, Sqlite, SqliteConnection, SqliteExecutor};
use uuid::Uuid;

/// One user's view of an open write transaction (`BEGIN IMMEDIATE`: no other writer runs
/// until it commits, so what it sums is the whole truth).
pub(super) struct SqliteLedger<'c> {
    pub conn: &'c mut SqliteConnection,
    pub user: Uuid,
}

/// Most checks per statement: each binds about twenty values, SQLite allows 32 766.
const CHECKS_PER_QUERY: usize = 500;

#[async_trait::async_trait]
impl Ledger for SqliteLedger<'_> {
    async fn budgets(&mut self) -> Result<Vec<WatchedBudget>> {
        let rows = sqlx::query(
            "SELECT b.*, c.name AS category_name, \
                    (SELECT group_concat(hex(k.id)) FROM categories k WHERE k.user_id = b.user_id \
                     AND (k.id = b.category_id OR k.parent_id = b.category_id)) AS scope \
             FROM budgets b LEFT JOIN categories c ON c.user_id = b.user_id AND c.id = b.category_id \
             WHERE b.user_id = ? ORDER BY b.category_id IS NOT NULL, b.id",
        )
        .bind(self.user)
        .fetch_all(&mut *self.conn)
        .await?;
        rows.iter()
            .map(|row| {
                let scope: Option<String> = row.try_get("scope")?;
                Ok(WatchedBudget {
                    budget: BudgetRow::from_row(row)?.into_budget()?,
                    category_name: row.try_get("category_name")?,
                    scope: scope.map(|hex| parse_hex_ids(&hex)).transpose()?,
                })
            })
            .collect()
    }

    async fn standings(&mut self, checks: &[Check<'_>]) -> Result<Vec<Standing>> {
        let mut standings = Vec::with_capacity(checks.len());
        for chunk in checks.chunks(CHECKS_PER_QUERY) {
            // One row per check: the thresholds fired so far and the period's spend from the
            // daily totals (an index range of at most days x categories small rows).
            let mut query = QueryBuilder::<Sqlite>::new("");
            for (i, check) in chunk.iter().enumerate() {
                if i > 0 {
                    query.push(" UNION ALL ");
                }
                query
                    .push("SELECT ")
                    .push_bind(i as i64)
                    .push(" AS i, (SELECT group_concat(threshold) FROM alerts WHERE user_id = ")
                    .push_bind(self.user)
                    .push(" AND budget_id = ")
                    .push_bind(check.budget_id)
                    .push(" AND period = ")
                    .push_bind(check.period.kind.as_str())
                    .push(" AND period_start = ")
                    .push_bind(check.period.start)
                    .push(") AS fired, (SELECT coalesce(SUM(amount_minor), 0) FROM expense_day_totals WHERE user_id = ")
                    .push_bind(self.user)
                    .push(" AND currency = ")
                    .push_bind(check.currency.code())
                    .push(" AND spent_on >= ")
                    .push_bind(check.period.start)
                    .push(" AND spent_on < ")
                    .push_bind(check.period.end);
                if let Some(ids) = check.scope {
                    push_in(&mut query, "category_id", ids);
                }
                query.push(") AS spent");
            }
            let mut rows = query.build().fetch_all(&mut *self.conn).await?;
            rows.sort_by_key(|row| row.try_get::<i64, _>("i").unwrap_or_default());
            for row in rows {
                let fired: Option<String> = row.try_get("fired")?;
                standings.push(Standing {
                    fired: fired
                        .unwrap_or_default()
                        .split(',')
                        .filter_map(|t| t.parse().ok())
                        .collect(),
                    spent: row.try_get("spent")?,
                });
            }
        }
        Ok(standings)
    }

    async fn insert_alert(&mut self, alert: &Alert) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO alerts (id, user_id, budget_id, budget_name, period, period_start, threshold, spent_minor, limit_minor, currency, created_at, read_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
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
        .bind(alert.read_at)
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

/// Ids from `group_concat(hex(id))`.
fn parse_hex_ids(text: &str) -> Result<Vec<Uuid>> {
    text.split(',')
        .map(|hex| {
            Uuid::try_parse(hex)
                .map_err(|_| AppError::Internal("A stored category id is malformed.".into()))
        })
        .collect()
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

async fn alerts<'e>(conn: impl SqliteExecutor<'e>, user: Uuid, limit: u32) -> Result<Vec<Alert>> {
    let rows = sqlx::query("SELECT * FROM alerts WHERE user_id = ? ORDER BY id DESC LIMIT ?")
        .bind(user)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.iter().map(alert_from_row).collect()
}

async fn unread_alerts<'e>(conn: impl SqliteExecutor<'e>, user: Uuid) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM alerts WHERE user_id = ? AND read_at IS NULL")
            .bind(user)
            .fetch_one(conn)
            .await?,
    )
}

async fn alert_exists<'e>(conn: impl SqliteExecutor<'e>, user: Uuid, id: Uuid) -> Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM alerts WHERE user_id = ? AND id = ?")
            .bind(user)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

async fn mark_alerts_read<'e>(
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

async fn email_settings<'e>(
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

async fn save_email_settings<'e>(
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

#[async_trait::async_trait]
impl AlertStore for SqliteUser {
    async fn list(&self, limit: u32) -> Result<Vec<Alert>> {
        alerts(&self.pool, self.user, limit).await
    }

    async fn unread(&self) -> Result<i64> {
        unread_alerts(&self.pool, self.user).await
    }

    async fn exists(&self, id: Uuid) -> Result<bool> {
        alert_exists(&self.pool, self.user, id).await
    }

    async fn mark_read(&self, id: Option<Uuid>, at: DateTime<Utc>) -> Result<u64> {
        mark_alerts_read(&self.pool, self.user, id, at).await
    }

    async fn email_settings(&self) -> Result<Option<EmailSettings>> {
        email_settings(&self.pool, self.user).await
    }

    async fn save_email_settings(&self, settings: &EmailSettings) -> Result<()> {
        save_email_settings(&self.pool, self.user, settings).await
    }
}
