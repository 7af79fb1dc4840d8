//! Categories on PostgreSQL.

use super::rows::category_conflict;
use super::{insert_category, PgUser};
use crate::categories::Category;
use crate::error::{AppError, Result};
use crate::store::rows::{categories, CategoryRow};
use crate::store::sql::Dialect;
use crate::store::CategoryStore;
use sqlx::Postgres;
use uuid::Uuid;

impl PgUser {
    crate::store::shared::merge_categories!(Postgres);
}

#[async_trait::async_trait]
impl CategoryStore for PgUser {
    async fn insert(&self, category: &Category) -> Result<()> {
        insert_category(&mut *self.conn().await?, category).await
    }

    async fn list(&self) -> Result<Vec<Category>> {
        // COLLATE "C": the same order as SQLite whatever the database's locale.
        let rows: Vec<CategoryRow> = sqlx::query_as(
            r#"
            SELECT * FROM outlay.categories
            ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, lower(name) COLLATE "C"
            "#,
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(categories(rows))
    }

    async fn update(&self, category: &Category) -> Result<()> {
        let done = sqlx::query(
            r#"
            UPDATE outlay.categories SET name = $1, colour = $2, parent_id = $3, archived = $4
            WHERE id = $5
            "#,
        )
        .bind(&category.name)
        .bind(&category.colour)
        .bind(category.parent_id)
        .bind(category.archived)
        .bind(category.id)
        .execute(&mut *self.conn().await?)
        .await
        .map_err(category_conflict)?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Category"));
        }
        Ok(())
    }

    async fn merge(&self, from: Uuid, into: Uuid) -> Result<u64> {
        self.merge_categories(from, into).await
    }
}
