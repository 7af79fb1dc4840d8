//! Expenses on PostgreSQL: writes (each queued behind the user's other writers and
//! evaluating the budgets it touches before its commit) and, through the shared SQL, reads.

use super::rows::currency;
use super::{copy, PgUser};
use crate::alerts::{Alert, Saved, SpendChange};
use crate::error::{AppError, Result};
use crate::expenses::{Expense, ExpenseQuery};
use crate::store::sql::Dialect;
use crate::store::values::like_pattern;
use crate::store::{DescriptionUse, ExpenseStore, PageStart, Total, MAX_DESCRIPTION_USES};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgExecutor, Postgres, Row};
use uuid::Uuid;

impl PgUser {
    crate::store::shared::expense_reads!(Postgres);
}

/// Spend changes from rows of `<category column>, spent_on, currency, amount_minor`, each
/// counted with `sign` (+1 added, -1 removed).
fn changes_from_rows(rows: &[PgRow], category_column: &str, sign: i64) -> Result<Vec<SpendChange>> {
    rows.iter()
        .map(|row| {
            Ok(SpendChange::of(
                row.try_get(category_column)?,
                row.try_get("spent_on")?,
                sign * row.try_get::<i64, _>("amount_minor")?,
                currency(row, "currency")?,
            ))
        })
        .collect()
}

async fn insert_tags<'e>(conn: impl PgExecutor<'e>, expense: &Expense) -> Result<()> {
    if expense.tags.is_empty() {
        return Ok(());
    }
    sqlx::query("INSERT INTO outlay.expense_tags (expense_id, tag) SELECT $1, unnest($2::text[])")
        .bind(expense.id)
        .bind(&expense.tags)
        .execute(conn)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl ExpenseStore for PgUser {
    async fn insert(&self, expense: &Expense, now: DateTime<Utc>) -> Result<Vec<Alert>> {
        let mut tx = self.write().await?;
        sqlx::query(
            r#"INSERT INTO outlay.expenses (id, category_id, amount_minor,
                currency, spent_on, description, payment_method, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        )
        .bind(expense.id)
        .bind(expense.category_id)
        .bind(expense.amount.minor)
        .bind(expense.amount.currency.code())
        .bind(expense.date)
        .bind(&expense.description)
        .bind(&expense.payment_method)
        .bind(expense.created_at)
        .bind(expense.updated_at)
        .execute(&mut *tx)
        .await?;
        insert_tags(&mut *tx, expense).await?;
        self.evaluate_and_commit(tx, &[SpendChange::added(expense)], now)
            .await
    }

    async fn get(&self, id: Uuid) -> Result<Option<Expense>> {
        self.read_expense(id).await
    }

    async fn copy(&self, expenses: &[Expense]) -> Result<u64> {
        let mut tx = self.session().begin().await?;
        let inserted = copy::copy_expenses(&mut tx, expenses).await?;
        tx.commit().await?;
        Ok(inserted)
    }

    async fn update(&self, expense: &Expense, now: DateTime<Utc>) -> Result<Vec<Alert>> {
        let mut tx = self.write().await?;
        // The old category, day and amount, locked until commit: the spend they leave.
        let old = sqlx::query(
            "SELECT category_id, spent_on, currency, amount_minor FROM outlay.expenses \
             WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        )
        .bind(expense.id)
        .fetch_all(&mut *tx)
        .await?;
        let done = sqlx::query(
            r#"UPDATE outlay.expenses
                SET category_id = $1, amount_minor = $2, currency = $3, spent_on = $4,
                description = $5, payment_method = $6, updated_at = $7
                WHERE id = $8 AND deleted_at IS NULL"#,
        )
        .bind(expense.category_id)
        .bind(expense.amount.minor)
        .bind(expense.amount.currency.code())
        .bind(expense.date)
        .bind(&expense.description)
        .bind(&expense.payment_method)
        .bind(expense.updated_at)
        .bind(expense.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Expense"));
        }
        sqlx::query("DELETE FROM outlay.expense_tags WHERE expense_id = $1")
            .bind(expense.id)
            .execute(&mut *tx)
            .await?;
        insert_tags(&mut *tx, expense).await?;
        let mut changes = changes_from_rows(&old, "category_id", -1)?;
        changes.push(SpendChange::added(expense));
        self.evaluate_and_commit(tx, &changes, now).await
    }

    async fn set_deleted(
        &self,
        ids: &[Uuid],
        deleted_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>> {
        let condition = match deleted_at {
            Some(_) => "deleted_at IS NULL",
            None => "deleted_at IS NOT NULL",
        };
        let sql = format!(
            "UPDATE outlay.expenses SET deleted_at = $1 WHERE id = ANY($2) AND {condition} \
             RETURNING category_id, spent_on, currency, amount_minor"
        );
        let mut tx = self.write().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(deleted_at)
            .bind(ids)
            .fetch_all(&mut *tx)
            .await?;
        let sign = if deleted_at.is_some() { -1 } else { 1 };
        let changes = changes_from_rows(&rows, "category_id", sign)?;
        let fired = self.evaluate_and_commit(tx, &changes, now).await?;
        Ok(Saved {
            value: rows.len() as u64,
            fired,
        })
    }

    async fn recategorise(
        &self,
        ids: &[Uuid],
        category: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>> {
        let mut tx = self.write().await?;
        // The FROM sub-select locks the rows and hands back their old category.
        let rows = sqlx::query(
            "UPDATE outlay.expenses e SET category_id = $1, updated_at = $2 \
             FROM (SELECT id, category_id AS old_category FROM outlay.expenses \
                   WHERE deleted_at IS NULL AND id = ANY($3) FOR UPDATE) o \
             WHERE e.id = o.id \
             RETURNING o.old_category, e.spent_on, e.currency, e.amount_minor",
        )
        .bind(category)
        .bind(now)
        .bind(ids)
        .fetch_all(&mut *tx)
        .await?;
        let mut changes = Vec::with_capacity(rows.len() * 2);
        for row in &rows {
            let old: Uuid = row.try_get("old_category")?;
            if old == category {
                continue;
            }
            let (date, minor) = (
                row.try_get("spent_on")?,
                row.try_get::<i64, _>("amount_minor")?,
            );
            let currency = currency(row, "currency")?;
            changes.push(SpendChange::of(old, date, -minor, currency));
            changes.push(SpendChange::of(category, date, minor, currency));
        }
        let fired = self.evaluate_and_commit(tx, &changes, now).await?;
        Ok(Saved {
            value: rows.len() as u64,
            fired,
        })
    }

    async fn list(
        &self,
        query: &ExpenseQuery,
        start: PageStart<'_>,
        limit: u32,
    ) -> Result<Vec<Expense>> {
        self.read_page(query, start, limit).await
    }

    async fn totals(&self, query: &ExpenseQuery) -> Result<Vec<Total>> {
        self.read_totals(query).await
    }

    async fn largest(&self, query: &ExpenseQuery, limit: u32) -> Result<Vec<Expense>> {
        self.read_largest(query, limit).await
    }

    async fn description_uses(&self, words: &[String], recent: u32) -> Result<Vec<DescriptionUse>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let patterns: Vec<String> = words.iter().map(|w| like_pattern(w)).collect();
        // The newest `recent` rows come off the (owner, spent_on DESC, id DESC) index; only
        // they are searched and grouped.
        let uses = sqlx::query_as(
            "SELECT description, category_id, COUNT(*) AS uses, MAX(spent_on) AS last_used \
             FROM (SELECT description, category_id, spent_on FROM outlay.expenses \
                   WHERE deleted_at IS NULL ORDER BY spent_on DESC, id DESC LIMIT $1) recent \
             WHERE description ILIKE ANY($2) \
             GROUP BY description, category_id ORDER BY uses DESC, last_used DESC LIMIT $3",
        )
        .bind(i64::from(recent))
        .bind(patterns)
        .bind(i64::from(MAX_DESCRIPTION_USES))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(uses)
    }

    async fn recent_description_uses(&self, recent: u32) -> Result<Vec<DescriptionUse>> {
        Ok(sqlx::query_as(
            "SELECT description, category_id, COUNT(*) AS uses, MAX(spent_on) AS last_used \
             FROM (SELECT description, category_id, spent_on FROM outlay.expenses \
                   WHERE deleted_at IS NULL ORDER BY spent_on DESC, id DESC LIMIT $1) recent \
             GROUP BY description, category_id",
        )
        .bind(i64::from(recent))
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }
}
