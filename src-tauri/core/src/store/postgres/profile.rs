//! The signed-in user's own account on PostgreSQL: their users row and their role.

use super::admin::quote_ident;
use super::rows::{user_from_row, USER_COLUMNS};
use super::{database_key, scram, sessions, PgUser};
use crate::domain::RememberToken;
use crate::error::{AppError, Result};
use crate::store::{ProfileStore, UserRecord};
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[async_trait::async_trait]
impl ProfileStore for PgUser {
    async fn user(&self) -> Result<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM outlay.users WHERE owner = current_user");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn set_password_hash(&self, hash: &str) -> Result<()> {
        let session = self.session();
        let (params, key) = database_key(hash)?;
        let mut tx = session.begin().await?;
        let literal: String = sqlx::query_scalar("SELECT quote_literal($1)")
            .bind(scram::verifier(key)?)
            .fetch_one(&mut *tx)
            .await?;
        // A role may change its own password; in the same transaction as the salt and
        // parameters, so the two never disagree.
        let sql = format!(
            "ALTER ROLE {} PASSWORD {literal}",
            quote_ident(&session.role)
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE outlay.users SET password_hash = $1 WHERE owner = current_user")
            .bind(params)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        // New connections need the new password: sign in again with it. The old pool closes
        // once its last user is done.
        let (_, renewed) = sessions::open(&self.server, &session.role, key)
            .await?
            .ok_or_else(|| AppError::Internal("The new password was not accepted.".into()))?;
        *self.session.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(renewed);
        Ok(())
    }

    async fn delete(&self) -> Result<()> {
        sqlx::query("SELECT outlay.delete_my_account()")
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn clear_login_failures(&self) -> Result<()> {
        // Only the user, signed in as their own role, may clear their failures.
        sqlx::query("SELECT outlay.clear_my_login_failures()")
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn insert_remember_token(
        &self,
        token: &RememberToken,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let session = self.session();
        sqlx::query(
            r#"
            INSERT INTO outlay.remember_tokens (token_hash, sealed_key, created_at, expires_at)
            VALUES ($1, $2, $3, $4)
            "#,
        )
        .bind(token.hash())
        .bind(token.seal(session.key.as_bytes()))
        .bind(Utc::now())
        .bind(expires_at)
        .execute(&mut *session.conn().await?)
        .await?;
        Ok(())
    }

    async fn delete_remember_tokens(&self) -> Result<()> {
        sqlx::query("DELETE FROM outlay.remember_tokens WHERE owner = current_user")
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }
}
