//! Budget evaluation inside SQLite write transactions, and the alerts and e-mail settings
//! tables.

use super::{push_in, SqliteUser};
use crate::alerts::{Alert, Check, Ledger, Standing, WatchedBudget};
use crate::error::{AppError, Result};
use crate::mail::{EmailSettings, OutboxMail};
use crate::store::rows::BudgetRow;
use crate::store::sql::{Dialect, Owner};
use sqlx::{FromRow, QueryBuilder, Row, Sqlite, SqliteConnection};
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
            r#"SELECT b.*, c.name AS category_name, (SELECT
                group_concat(hex(k.id)) FROM categories k WHERE k.user_id = b.user_id AND (k.id
                = b.category_id OR k.parent_id = b.category_id)) AS scope
                FROM budgets b
                LEFT
                JOIN categories c ON c.user_id = b.user_id AND c.id = b.category_id
                WHERE b.user_id = ?
                ORDER BY b.category_id IS NOT NULL, b.id"#,
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
                    .push(
                        r#") AS fired, (SELECT coalesce(SUM(amount_minor), 0)
                        FROM expense_day_totals
                        WHERE user_id = "#,
                    )
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
            r#"INSERT INTO alerts (id, user_id, budget_id, budget_name,
                period, period_start, threshold, spent_minor, limit_minor, currency, created_at,
                read_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, budget_id, period, period_start, threshold) DO NOTHING"#,
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
        let mut query = Sqlite::email_settings(Owner::Column(self.user));
        Ok(query
            .build_query_as()
            .fetch_optional(&mut *self.conn)
            .await?)
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

crate::store::shared::alert_store!(SqliteUser, Sqlite);
