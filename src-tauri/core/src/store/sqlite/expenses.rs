//! Expenses on SQLite: writes (each evaluating the budgets it touches before its commit)
//! and, through the shared SQL, reads.

use super::{changes_from_rows, currency, insert_tags, push_in, SqliteUser, CHUNK};
use crate::alerts::{Alert, Saved, SpendChange};
use crate::error::{AppError, Result};
use crate::expenses::{Expense, ExpenseQuery};
use crate::store::sql::Dialect;
use crate::store::values::like_pattern;
use crate::store::{DescriptionUse, ExpenseStore, PageStart, Total, MAX_DESCRIPTION_USES};
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use uuid::Uuid;

impl SqliteUser {
    crate::store::shared::expense_reads!(Sqlite);
}

/// Inserts one expense row; with `if_new`, one whose id is already there is left alone.
/// True when a row was inserted.
async fn insert_row(
    conn: &mut SqliteConnection,
    user: Uuid,
    expense: &Expense,
    if_new: bool,
) -> Result<bool> {
    let sql = format!(
        r#"
        INSERT INTO expenses (id, user_id, category_id, amount_minor, currency, spent_on,
                              description, payment_method, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) {}
        "#,
        if if_new {
            "ON CONFLICT (id) DO NOTHING"
        } else {
            ""
        }
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(expense.id)
        .bind(user)
        .bind(expense.category_id)
        .bind(expense.amount.minor)
        .bind(expense.amount.currency.code())
        .bind(expense.date)
        .bind(&expense.description)
        .bind(&expense.payment_method)
        .bind(expense.created_at)
        .bind(expense.updated_at)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[async_trait::async_trait]
impl ExpenseStore for SqliteUser {
    async fn insert(&self, expense: &Expense, now: DateTime<Utc>) -> Result<Vec<Alert>> {
        let mut tx = self.write().await?;
        insert_row(&mut tx, self.user, expense, false).await?;
        insert_tags(&mut tx, self.user, expense).await?;
        self.evaluate_and_commit(tx, &[SpendChange::added(expense)], now)
            .await
    }

    async fn get(&self, id: Uuid) -> Result<Option<Expense>> {
        self.read_expense(id).await
    }

    async fn copy(&self, expenses: &[Expense]) -> Result<u64> {
        let mut tx = self.write().await?;
        let mut inserted = 0;
        for expense in expenses {
            if insert_row(&mut tx, self.user, expense, true).await? {
                insert_tags(&mut tx, self.user, expense).await?;
                inserted += 1;
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }

    async fn update(&self, expense: &Expense, now: DateTime<Utc>) -> Result<Vec<Alert>> {
        let mut tx = self.write().await?;
        // The old category, day and amount, read under the write lock: the spend they leave.
        let old = sqlx::query(
            r#"
            SELECT category_id, spent_on, currency, amount_minor FROM expenses
            WHERE user_id = ? AND id = ? AND deleted_at IS NULL
            "#,
        )
        .bind(self.user)
        .bind(expense.id)
        .fetch_all(&mut *tx)
        .await?;
        let done = sqlx::query(
            r#"
            UPDATE expenses
            SET category_id = ?, amount_minor = ?, currency = ?, spent_on = ?, description = ?,
                payment_method = ?, updated_at = ?
            WHERE user_id = ? AND id = ? AND deleted_at IS NULL
            "#,
        )
        .bind(expense.category_id)
        .bind(expense.amount.minor)
        .bind(expense.amount.currency.code())
        .bind(expense.date)
        .bind(&expense.description)
        .bind(&expense.payment_method)
        .bind(expense.updated_at)
        .bind(self.user)
        .bind(expense.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Expense"));
        }
        sqlx::query("DELETE FROM expense_tags WHERE expense_id = ? AND user_id = ?")
            .bind(expense.id)
            .bind(self.user)
            .execute(&mut *tx)
            .await?;
        insert_tags(&mut tx, self.user, expense).await?;
        let mut changes = Vec::with_capacity(2);
        changes_from_rows(&old, -1, &mut changes)?;
        changes.push(SpendChange::added(expense));
        self.evaluate_and_commit(tx, &changes, now).await
    }

    async fn set_deleted(
        &self,
        ids: &[Uuid],
        deleted_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>> {
        let mut tx = self.write().await?;
        let mut changes = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let mut builder = QueryBuilder::<Sqlite>::new("UPDATE expenses SET deleted_at = ");
            builder
                .push_bind(deleted_at)
                .push(" WHERE user_id = ")
                .push_bind(self.user);
            builder.push(if deleted_at.is_some() {
                " AND deleted_at IS NULL"
            } else {
                " AND deleted_at IS NOT NULL"
            });
            push_in(&mut builder, "id", chunk);
            builder.push(" RETURNING category_id, spent_on, currency, amount_minor");
            let rows = builder.build().fetch_all(&mut *tx).await?;
            let sign = if deleted_at.is_some() { -1 } else { 1 };
            changes_from_rows(&rows, sign, &mut changes)?;
        }
        let changed = changes.len() as u64;
        let fired = self.evaluate_and_commit(tx, &changes, now).await?;
        Ok(Saved {
            value: changed,
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
        let mut changed = 0;
        let mut changes = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            // What moves out, read under the write lock before it moves.
            let mut builder = QueryBuilder::<Sqlite>::new(
                r#"
                SELECT category_id, spent_on, currency, amount_minor FROM expenses
                WHERE deleted_at IS NULL AND user_id = "#,
            );
            builder.push_bind(self.user);
            push_in(&mut builder, "id", chunk);
            builder.push(" AND category_id <> ").push_bind(category);
            for row in builder.build().fetch_all(&mut *tx).await? {
                let (date, currency) = (row.try_get("spent_on")?, currency(&row, "currency")?);
                let minor: i64 = row.try_get("amount_minor")?;
                let old = row.try_get("category_id")?;
                changes.push(SpendChange::of(old, date, -minor, currency));
                changes.push(SpendChange::of(category, date, minor, currency));
            }
            let mut builder = QueryBuilder::<Sqlite>::new("UPDATE expenses SET category_id = ");
            builder
                .push_bind(category)
                .push(", updated_at = ")
                .push_bind(now)
                .push(" WHERE deleted_at IS NULL AND user_id = ")
                .push_bind(self.user);
            push_in(&mut builder, "id", chunk);
            changed += builder.build().execute(&mut *tx).await?.rows_affected();
        }
        let fired = self.evaluate_and_commit(tx, &changes, now).await?;
        Ok(Saved {
            value: changed,
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
        // The newest `recent` rows come off the (user_id, spent_on DESC, id DESC) index;
        // only they are searched and grouped.
        let mut builder = QueryBuilder::<Sqlite>::new(
            r#"
            SELECT description, category_id, COUNT(*) AS uses, MAX(spent_on) AS last_used
            FROM (SELECT description, category_id, spent_on FROM expenses WHERE user_id = "#,
        );
        builder
            .push_bind(self.user)
            .push(" AND deleted_at IS NULL ORDER BY spent_on DESC, id DESC LIMIT ")
            .push_bind(i64::from(recent))
            .push(") WHERE ");
        let mut any = builder.separated(" OR ");
        for word in words {
            any.push("description LIKE ")
                .push_bind_unseparated(like_pattern(word))
                .push_unseparated(" ESCAPE '\\'");
        }
        builder
            .push(" GROUP BY description, category_id ORDER BY uses DESC, last_used DESC LIMIT ")
            .push_bind(i64::from(MAX_DESCRIPTION_USES));
        Ok(builder.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn recent_description_uses(&self, recent: u32) -> Result<Vec<DescriptionUse>> {
        Ok(sqlx::query_as(
            "SELECT description, category_id, COUNT(*) AS uses, MAX(spent_on) AS last_used \
             FROM (SELECT description, category_id, spent_on FROM expenses WHERE user_id = ?1 \
                   AND deleted_at IS NULL ORDER BY spent_on DESC, id DESC LIMIT ?2) \
             GROUP BY description, category_id",
        )
        .bind(self.user)
        .bind(i64::from(recent))
        .fetch_all(&self.pool)
        .await?)
    }
}
