//! The signed-in user's own account on SQLite.

use super::accounts::user_from_row;
use super::SqliteUser;
use crate::domain::RememberToken;
use crate::error::Result;
use crate::store::{ProfileStore, UserRecord};
use chrono::{DateTime, Utc};

#[async_trait::async_trait]
impl ProfileStore for SqliteUser {
    async fn user(&self) -> Result<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = ?")
            .bind(self.user)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn set_password_hash(&self, hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(self.user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete(&self) -> Result<()> {
        let mut tx = self.write().await?;
        // Children before parents, so every foreign key holds at every step.
        for statement in [
            "DELETE FROM bank_references WHERE user_id = ?",
            "DELETE FROM category_rules WHERE user_id = ?",
            "DELETE FROM statement_layouts WHERE user_id = ?",
            "DELETE FROM email_outbox WHERE user_id = ?",
            "DELETE FROM alerts WHERE user_id = ?",
            "DELETE FROM email_settings WHERE user_id = ?",
            "DELETE FROM expense_tags WHERE user_id = ?",
            "DELETE FROM expenses WHERE user_id = ?",
            "DELETE FROM budgets WHERE user_id = ?",
            "DELETE FROM categories WHERE user_id = ? AND parent_id IS NOT NULL",
            "DELETE FROM categories WHERE user_id = ?",
            "DELETE FROM remember_tokens WHERE user_id = ?",
            "DELETE FROM login_throttle WHERE email = (SELECT email FROM users WHERE id = ?)",
            "DELETE FROM users WHERE id = ?",
        ] {
            sqlx::query(statement)
                .bind(self.user)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn clear_login_failures(&self) -> Result<()> {
        sqlx::query(
            "DELETE FROM login_throttle WHERE email = (SELECT email FROM users WHERE id = ?)",
        )
        .bind(self.user)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn insert_remember_token(
        &self,
        token: &RememberToken,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            r#"
            INSERT INTO remember_tokens (token_hash, user_id, created_at, expires_at)
            VALUES (?, ?, ?, ?)
            "#,
        )
        .bind(token.hash())
        .bind(self.user)
        .bind(Utc::now())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete_remember_tokens(&self) -> Result<()> {
        sqlx::query("DELETE FROM remember_tokens WHERE user_id = ?")
            .bind(self.user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
