//! Categories on SQLite.

use super::{category_conflict, insert_category, SqliteUser};
use crate::categories::Category;
use crate::error::{AppError, Result};
use crate::store::rows::{categories, CategoryRow};
use crate::store::sql::Dialect;
use crate::store::CategoryStore;
use sqlx::Sqlite;
use uuid::Uuid;

impl SqliteUser {
    crate::store::shared::merge_categories!(Sqlite);
}

#[async_trait::async_trait]
impl CategoryStore for SqliteUser {
    async fn insert(&self, category: &Category) -> Result<()> {
        let mut tx = self.write().await?;
        insert_category(&mut tx, self.user, category).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list(&self) -> Result<Vec<Category>> {
        let rows: Vec<CategoryRow> = sqlx::query_as(
            r#"
            SELECT * FROM categories WHERE user_id = ?
            ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, lower(name)
            "#,
        )
        .bind(self.user)
        .fetch_all(&self.pool)
        .await?;
        Ok(categories(rows))
    }

    async fn update(&self, category: &Category) -> Result<()> {
        let done = sqlx::query(
            r#"
            UPDATE categories SET name = ?, colour = ?, parent_id = ?, archived = ?
            WHERE user_id = ? AND id = ?
            "#,
        )
        .bind(&category.name)
        .bind(&category.colour)
        .bind(category.parent_id)
        .bind(category.archived)
        .bind(self.user)
        .bind(category.id)
        .execute(&self.pool)
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
