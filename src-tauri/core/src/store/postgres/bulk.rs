//! Bulk paths of the PostgreSQL store: import in array inserts, export in pages, duplicate
//! keys. All as the user's own role, under row-level security like everything else.

use super::rows::{category_conflict, expense_from_row, push_filters, EXPENSE_COLUMNS};
use super::PostgresStore;
use crate::categories::Category;
use crate::error::Result;
use crate::expenses::{Expense, ExpenseCursor, ExpenseQuery};
use crate::store::ExpenseKey;
use chrono::NaiveDate;
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

/// Expenses per INSERT … SELECT FROM UNNEST: one bound array per column, whatever the count.
const EXPENSE_BATCH: usize = 10_000;

impl PostgresStore {
    pub(super) async fn import_batched(
        &self,
        user: Uuid,
        categories: &[Category],
        expenses: &[Expense],
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<()> {
        let session = self.users.get(user)?;
        let mut tx = session.begin().await?;
        for category in categories {
            super::insert_category(&mut *tx, category).await?;
        }
        let mut saved = 0;
        for batch in expenses.chunks(EXPENSE_BATCH) {
            sqlx::query(
                "INSERT INTO outlay.expenses (id, category_id, amount_minor, currency, spent_on, \
                 description, payment_method, created_at, updated_at) \
                 SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::date[], \
                 $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])",
            )
            .bind(batch.iter().map(|e| e.id).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.category_id).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.amount.minor).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.amount.currency.code()).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.date).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.description.as_str()).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.payment_method.as_deref()).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.created_at).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.updated_at).collect::<Vec<_>>())
            .execute(&mut *tx)
            .await
            .map_err(category_conflict)?;
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
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn oldest_first(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        after: Option<&ExpenseCursor>,
        limit: u32,
    ) -> Result<Vec<Expense>> {
        let session = self.users.get(user)?;
        let mut builder = QueryBuilder::<Postgres>::new(format!(
            "SELECT {EXPENSE_COLUMNS} FROM outlay.expenses e WHERE e.deleted_at IS NULL"
        ));
        push_filters(&mut builder, query);
        if let Some(cursor) = after {
            builder
                .push(" AND (e.spent_on, e.id) > (")
                .push_bind(cursor.date)
                .push(", ")
                .push_bind(cursor.id)
                .push(")");
        }
        builder
            .push(" ORDER BY e.spent_on, e.id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = builder
            .build()
            .fetch_all(&mut *session.conn().await?)
            .await?;
        rows.iter().map(expense_from_row).collect()
    }

    pub(super) async fn keys(
        &self,
        user: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ExpenseKey>> {
        let session = self.users.get(user)?;
        let rows = sqlx::query(
            "SELECT spent_on, amount_minor, currency, description FROM outlay.expenses \
             WHERE deleted_at IS NULL AND spent_on >= $1 AND spent_on < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&mut *session.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ExpenseKey {
                    date: row.try_get("spent_on")?,
                    minor: row.try_get("amount_minor")?,
                    currency: row.try_get("currency")?,
                    description: row.try_get("description")?,
                })
            })
            .collect()
    }
}
