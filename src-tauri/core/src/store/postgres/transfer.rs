//! Import and export on PostgreSQL: import in array inserts (bank references with the
//! expenses, budgets evaluated before the commit), export streamed, duplicate keys. All as
//! the user's own role, under row-level security like everything else.

use super::alerts::PgLedger;
use super::PgUser;
use crate::alerts::{evaluate_with, Alert, PastPeriods, SpendChange};
use crate::categories::Category;
use crate::error::Result;
use crate::expenses::{Expense, ExpenseQuery};
use crate::store::sql::Dialect;
use crate::store::{ExpenseKey, ExportRow, TransferStore};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

/// Expenses (and bank references) per INSERT … SELECT FROM UNNEST: one bound array per
/// column, whatever the count.
const EXPENSE_BATCH: usize = 10_000;

#[async_trait::async_trait]
impl TransferStore for PgUser {
    async fn import(
        &self,
        categories: &[Category],
        expenses: &[Expense],
        references: &[(Uuid, String)],
        now: DateTime<Utc>,
        past: PastPeriods,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Vec<Alert>> {
        // Like every write that changes spend: queued behind the user's other writers, so the
        // budget sums below include what they committed.
        let mut tx = self.write().await?;
        for category in categories {
            super::insert_category(&mut *tx, category).await?;
        }
        let mut saved = 0;
        for batch in expenses.chunks(EXPENSE_BATCH) {
            sqlx::query(
                r#"INSERT INTO outlay.expenses (id, category_id, amount_minor,
                    currency, spent_on, description, payment_method, created_at, updated_at)
                    SELECT *
                    FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::date[],
                    $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])"#,
            )
            .bind(batch.iter().map(|e| e.id).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.category_id).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.amount.minor).collect::<Vec<_>>())
            .bind(
                batch
                    .iter()
                    .map(|e| e.amount.currency.code())
                    .collect::<Vec<_>>(),
            )
            .bind(batch.iter().map(|e| e.date).collect::<Vec<_>>())
            .bind(
                batch
                    .iter()
                    .map(|e| e.description.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(
                batch
                    .iter()
                    .map(|e| e.payment_method.as_deref())
                    .collect::<Vec<_>>(),
            )
            .bind(batch.iter().map(|e| e.created_at).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.updated_at).collect::<Vec<_>>())
            .execute(&mut *tx)
            .await?;
            let (ids, tags): (Vec<Uuid>, Vec<&str>) = batch
                .iter()
                .flat_map(|e| e.tags.iter().map(|t| (e.id, t.as_str())))
                .unzip();
            if !ids.is_empty() {
                sqlx::query(
                    "INSERT INTO outlay.expense_tags (expense_id, tag) \
                     SELECT * FROM UNNEST($1::uuid[], $2::text[])",
                )
                .bind(ids)
                .bind(tags)
                .execute(&mut *tx)
                .await?;
            }
            saved += batch.len() as u64;
            progress(saved);
        }
        for batch in references.chunks(EXPENSE_BATCH) {
            let (expenses, references): (Vec<Uuid>, Vec<&str>) = batch
                .iter()
                .map(|(expense, reference)| (*expense, reference.as_str()))
                .unzip();
            // A reference known already stays with its first expense (see
            // `TransferStore::import`).
            sqlx::query(
                r#"INSERT INTO outlay.bank_references (reference, expense_id)
                    SELECT * FROM UNNEST($1::text[], $2::uuid[])
                    ON CONFLICT DO NOTHING"#,
            )
            .bind(references)
            .bind(expenses)
            .execute(&mut *tx)
            .await?;
        }
        let mut ledger = PgLedger { conn: &mut tx };
        let changes = SpendChange::all_added(expenses);
        let fired = evaluate_with(&mut ledger, &changes, now, past).await?;
        tx.commit().await?;
        Ok(fired)
    }

    async fn export(
        &self,
        query: &ExpenseQuery,
        sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
    ) -> Result<u64> {
        let mut conn = self.conn().await?;
        let mut builder = QueryBuilder::<Postgres>::new(
            r#"SELECT e.spent_on::text AS spent_on, e.amount_minor,
                e.currency, e.category_id, e.description, e.payment_method, (SELECT
                string_agg(t.tag, ' ') FROM outlay.expense_tags t WHERE t.expense_id = e.id) AS
                tags
                FROM outlay.expenses e
                WHERE e.deleted_at IS NULL"#,
        );
        Postgres::push_filters(&mut builder, query);
        builder.push(" ORDER BY e.spent_on, e.id");
        let mut rows = builder.build().fetch(&mut *conn);
        let mut count = 0;
        while let Some(row) = rows.try_next().await? {
            sink(ExportRow {
                date: row.try_get("spent_on")?,
                minor: row.try_get("amount_minor")?,
                currency: row.try_get("currency")?,
                category_id: row.try_get("category_id")?,
                description: row.try_get("description")?,
                payment_method: row.try_get("payment_method")?,
                tags: row.try_get("tags")?,
            })?;
            count += 1;
        }
        Ok(count)
    }

    async fn live_expense_keys(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ExpenseKey>> {
        let mut query = Postgres::live_expense_keys(self.owner(), from, to);
        Ok(query
            .build_query_as()
            .fetch_all(&mut *self.conn().await?)
            .await?)
    }
}
