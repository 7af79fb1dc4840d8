//! Budget evaluation inside PostgreSQL write transactions, and the alerts and e-mail settings
//! tables. Rows are the signed-in user's by row-level security.

use super::PgUser;
use crate::alerts::{Alert, Check, Ledger, Standing, WatchedBudget};
use crate::error::Result;
use crate::mail::{EmailSettings, OutboxMail};
use crate::store::rows::BudgetRow;
use crate::store::sql::{Dialect, Owner};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder, Row};

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
                    .push(
                        r#"::bigint AS i, ARRAY(SELECT threshold FROM outlay.alerts
                        WHERE owner = current_user AND budget_id = "#,
                    )
                    .push_bind(check.budget_id)
                    .push(" AND period = ")
                    .push_bind(check.period.kind.as_str())
                    .push(" AND period_start = ")
                    .push_bind(check.period.start)
                    .push(
                        r#") AS fired, (SELECT coalesce(SUM(amount_minor), 0)::bigint
                        FROM outlay.expense_day_totals
                        WHERE owner = current_user AND currency = "#,
                    )
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
            r#"INSERT INTO outlay.alerts (id, budget_id, budget_name,
                period, period_start, threshold, spent_minor, limit_minor, currency, created_at,
                read_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT ON CONSTRAINT alerts_once DO NOTHING"#,
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
        let mut query = Postgres::email_settings(Owner::Server);
        Ok(query
            .build_query_as()
            .fetch_optional(&mut *self.conn)
            .await?)
    }

    async fn queue_mail(&mut self, mail: &OutboxMail) -> Result<()> {
        super::outbox::insert(&mut *self.conn, mail).await
    }
}

crate::store::shared::alert_store!(PgUser, Postgres);
