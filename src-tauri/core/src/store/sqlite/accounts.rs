//! The account level on SQLite: sign-up, sign-in, the throttle, remember-me tokens.

use super::{insert_category, is_unique_violation, SqliteStore};
use crate::categories::Category;
use crate::domain::{Currency, Email, RememberToken};
use crate::error::{AppError, Result};
use crate::store::{Account, LoginRecord, Store, Throttle, UserRecord};
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use std::sync::Arc;
use uuid::Uuid;

/// Compares two hashes in time that depends only on their lengths, so a timing side channel
/// tells nothing about how much of a guess was right.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(super) fn user_from_row(row: &SqliteRow) -> Result<UserRecord> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        base_currency: Currency::parse(&row.try_get::<String, _>("base_currency")?)?,
        created_at: row.try_get("created_at")?,
    })
}

impl SqliteStore {
    /// The signed-in account of `user`.
    fn account(&self, user: UserRecord) -> Account {
        let store = Arc::new(self.signed_in(user.id));
        Account { user, store }
    }

    async fn user_by_id(&self, user: Uuid) -> Result<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = ?")
            .bind(user)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    async fn back_up_into(&self, dest: &std::path::Path) -> Result<()> {
        super::back_up_into(&self.pool, dest).await
    }

    async fn insert_user(&self, user: &UserRecord, categories: &[Category]) -> Result<Account> {
        let mut tx = super::begin_write(&self.pool).await?;
        sqlx::query(
            r#"
            INSERT INTO users (id, email, password_hash, base_currency, created_at)
            VALUES (?, ?, ?, ?, ?)
            "#,
        )
        .bind(user.id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(user.base_currency.code())
        .bind(user.created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match is_unique_violation(&e, "users") {
            true => AppError::EmailTaken,
            false => e.into(),
        })?;
        for category in categories {
            insert_category(&mut tx, user.id, category).await?;
        }
        tx.commit().await?;
        Ok(self.account(user.clone()))
    }

    async fn login_record(&self, email: &Email) -> Result<Option<LoginRecord>> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = ?")
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(LoginRecord {
                user_id: row.try_get("id")?,
                password_hash: row.try_get("password_hash")?,
                database_role: None,
            })
        })
        .transpose()
    }

    async fn authenticate(
        &self,
        login: Option<&LoginRecord>,
        attempt: &str,
    ) -> Result<Option<Account>> {
        match login {
            Some(login) if same_secret(login.password_hash.as_bytes(), attempt.as_bytes()) => {
                let user = self.user_by_id(login.user_id).await?;
                Ok(user.map(|user| self.account(user)))
            }
            _ => Ok(None),
        }
    }

    async fn throttle(&self, email: &str) -> Result<Throttle> {
        let found: Option<Throttle> =
            sqlx::query_as("SELECT failures, locked_until FROM login_throttle WHERE email = ?")
                .bind(email)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.unwrap_or_default())
    }

    async fn add_login_failure(&self, email: &str) -> Result<i64> {
        let failures = sqlx::query_scalar(
            r#"
            INSERT INTO login_throttle (email, failures) VALUES (?, 1)
            ON CONFLICT (email) DO UPDATE SET failures = failures + 1
            RETURNING failures
            "#,
        )
        .bind(email)
        .fetch_one(&self.pool)
        .await?;
        Ok(failures)
    }

    async fn lock_login(&self, email: &str, until: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE login_throttle SET locked_until = ? WHERE email = ?")
            .bind(until)
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn user_by_remember_token(
        &self,
        token: &RememberToken,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>> {
        let row = sqlx::query(
            r#"
            SELECT u.*, t.expires_at
            FROM remember_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = ?
            "#,
        )
        .bind(token.hash())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // Compared here rather than in SQL: RFC 3339 text does not sort reliably as text.
        let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
        if expires_at <= now {
            return Ok(None);
        }
        Ok(Some(self.account(user_from_row(&row)?)))
    }

    async fn delete_remember_token(&self, token: &RememberToken) -> Result<()> {
        sqlx::query("DELETE FROM remember_tokens WHERE token_hash = ?")
            .bind(token.hash())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
