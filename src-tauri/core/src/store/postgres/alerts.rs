//! Budget evaluation inside PostgreSQL write transactions, and the alerts and e-mail settings
//! tables. Rows are the signed-in user's by row-level security.

use super::rows::currency;
use super::PgUser;
use crate::alerts::{Alert, Check, Ledger, Standing, WatchedBudget};
use crate::domain::{Money, Period, PeriodKind};
use crate::error::Result;
use crate::mail::{EmailSettings, OutboxMail};
use crate::store::rows::BudgetRow;
use crate::store::sql::Dialect;
use crate::store::AlertStore;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, PgExecutor, Postgres, QueryBuilder, Row};
use uuid::Uuid;

/// The user's view of an open write transaction begun by [`PgUser::write`].
pub(super) struct PgLedger<'c> {
    pub conn: &'c mut PgConnection,
}

/// Most checks per statement: each binds eight values, PostgreSQL allows 65 535. Only an
/// import of long history comes near (years of weeks times budgets).
const CHECKS_PER_QUERY: usize = 2000;

#[async_trait::async_trait]
impl Ledger for PgLedger<'_> {
    async fn budgets(&mut self) -> Result<Vec<WatchedBudget>> {
        let rows = sqlx::query(
            "SELECT b.*, c.name AS category_name, \
                    CASE WHEN b.category_id IS NULL THEN NULL ELSE \
                    ARRAY(SELECT k.id FROM outlay.categories k \
                          WHERE k.id = b.category_id OR k.parent_id = b.category_id) END AS scope \
             FROM outlay.budgets b LEFT JOIN outlay.categories c ON c.id = b.category_id \
             ORDER BY b.category_id IS NOT NULL, b.id",
        )
        .fetch_all(&mut *self.conn)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WatchedBudget {
                    budget: BudgetRow::from_row(row)?.into_budget()?,
                    category_name: row.try_get("category_name")?,
                    scope: row.try_get("scope")?,
                })
            })
            .collect()
    }

    async fn standings(&mut self, checks: &[Check<'_>]) -> Result<Vec<Standing>> {
        let mut standings = Vec::with_capacity(checks.len());
        for chunk in checks.chunks(CHECKS_PER_QUERY) {
            // One round trip per chunk (one in all but an import of long history): the
            // thresholds fired so far and the period's spend from the daily totals (an index
            // range of at most days x categories small rows).
            let mut query = QueryBuilder::<Postgres>::new("");
            for (i, check) in chunk.iter().enumerate() {
                if i > 0 {
                    query.push(" UNION ALL ");
                }
                query
                    .push("SELECT ")
                    .push_bind(i as i64)
                    .push("::bigint AS i, ARRAY(SELECT threshold FROM outlay.alerts WHERE owner = current_user AND budget_id = ")
                    .push_bind(check.budget_id)
                    .push(" AND period = ")
                    .push_bind(check.period.kind.as_str())
                    .push(" AND period_start = ")
                    .push_bind(check.period.start)
                    .push(") AS fired, (SELECT coalesce(SUM(amount_minor), 0)::bigint FROM outlay.expense_day_totals WHERE owner = current_user AND currency = ")
                    .push_bind(check.currency.code())
                    .push(" AND spent_on >= ")
                    .push_bind(check.period.start)
                    .push(" AND spent_on < ")
                    .push_bind(check.period.end);
                if let Some(ids) = check.scope {
                    Postgres::push_ids(&mut query, "category_id", ids);
                }
                query.push(") AS spent");
            }
            let mut rows = query.build().fetch_all(&mut *self.conn).await?;
            rows.sort_by_key(|row| row.try_get::<i64, _>("i").unwrap_or_default());
            for row in &rows {
                let fired: Vec<i32> = row.try_get("fired")?;
                standings.push(Standing {
                    fired: fired
                        .into_iter()
                        .filter_map(|t| u32::try_from(t).ok())
                        .collect(),
                    spent: row.try_get("spent")?,
                });
            }
        }
        Ok(standings)
    }

    async fn insert_alert(&mut self, alert: &Alert) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO outlay.alerts (id, budget_id, budget_name, period, period_start, threshold, spent_minor, limit_minor, currency, created_at, read_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT ON CONSTRAINT alerts_once DO NOTHING",
        )
        .bind(alert.id)
        .bind(alert.budget_id)
        .bind(&alert.budget_name)
        .bind(alert.period.kind.as_str())
        .bind(alert.period.start)
        .bind(i32::try_from(alert.threshold).unwrap_or(i32::MAX))
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
        email_settings(&mut *self.conn).await
    }

    async fn queue_mail(&mut self, mail: &OutboxMail) -> Result<()> {
        super::outbox::insert(&mut *self.conn, mail).await
    }
}

fn alert_from_row(row: &PgRow) -> Result<Alert> {
    let currency = currency(row, "currency")?;
    let kind = PeriodKind::parse(&row.try_get::<String, _>("period")?)?;
    let start: NaiveDate = row.try_get("period_start")?;
    let threshold: i32 = row.try_get("threshold")?;
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

async fn alerts<'e>(conn: impl PgExecutor<'e>, limit: u32) -> Result<Vec<Alert>> {
    let rows = sqlx::query("SELECT * FROM outlay.alerts ORDER BY id DESC LIMIT $1")
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
    rows.iter().map(alert_from_row).collect()
}

async fn unread_alerts<'e>(conn: impl PgExecutor<'e>) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM outlay.alerts WHERE read_at IS NULL")
            .fetch_one(conn)
            .await?,
    )
}

async fn alert_exists<'e>(conn: impl PgExecutor<'e>, id: Uuid) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outlay.alerts WHERE id = $1)")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

async fn mark_alerts_read<'e>(
    conn: impl PgExecutor<'e>,
    id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE outlay.alerts SET read_at = $1 WHERE read_at IS NULL AND ($2::uuid IS NULL OR id = $2)",
    )
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

async fn email_settings<'e>(conn: impl PgExecutor<'e>) -> Result<Option<EmailSettings>> {
    let row = sqlx::query(
        "SELECT enabled, recipient, sender, updated_at FROM outlay.email_settings WHERE owner = current_user",
    )
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
    conn: impl PgExecutor<'e>,
    settings: &EmailSettings,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outlay.email_settings (enabled, recipient, sender, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (owner) DO UPDATE SET enabled = excluded.enabled, recipient = excluded.recipient, \
         sender = excluded.sender, updated_at = excluded.updated_at",
    )
    .bind(settings.enabled)
    .bind(&settings.recipient)
    .bind(&settings.sender)
    .bind(settings.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl AlertStore for PgUser {
    async fn list(&self, limit: u32) -> Result<Vec<Alert>> {
        alerts(&mut *self.conn().await?, limit).await
    }

    async fn unread(&self) -> Result<i64> {
        unread_alerts(&mut *self.conn().await?).await
    }

    async fn exists(&self, id: Uuid) -> Result<bool> {
        alert_exists(&mut *self.conn().await?, id).await
    }

    async fn mark_read(&self, id: Option<Uuid>, at: DateTime<Utc>) -> Result<u64> {
        mark_alerts_read(&mut *self.conn().await?, id, at).await
    }

    async fn email_settings(&self) -> Result<Option<EmailSettings>> {
        email_settings(&mut *self.conn().await?).await
    }

    async fn save_email_settings(&self, settings: &EmailSettings) -> Result<()> {
        save_email_settings(&mut *self.conn().await?, settings).await
    }
}
