//! The account level on PostgreSQL, all as the shared sign-in role through `SECURITY
//! DEFINER` functions: sign-up, sign-in, the throttle, remember-me tokens.

use super::rows::is_unique_violation;
use super::{database_key, scram, sessions, PgUser, PostgresStore, NOBODY};
use crate::categories::Category;
use crate::domain::{Email, RememberToken};
use crate::error::{AppError, Result};
use crate::store::{Account, LoginRecord, Store, Throttle, UserRecord};
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::sync::Arc;

impl PostgresStore {
    /// Signs in to the server as `role` with `key`: the account and its handle, or `None`
    /// when the server refuses.
    async fn sign_in(&self, role: &str, key: &str) -> Result<Option<Account>> {
        let Some((user, session)) = sessions::open(&self.server, role, key).await? else {
            return Ok(None);
        };
        let store = Arc::new(PgUser::new(&self.server, session));
        Ok(Some(Account { user, store }))
    }
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn close(&self) {
        // The signed-in users' own pools close as their sessions end.
        self.signin.close().await;
    }

    fn location(&self) -> String {
        format!(
            "postgres://{}:{}/{}",
            self.server.get_host(),
            self.server.get_port(),
            self.server.get_database().unwrap_or_default()
        )
    }

    async fn insert_user(&self, user: &UserRecord, categories: &[Category]) -> Result<Account> {
        let (params, key) = database_key(&user.password_hash)?;
        // Spelled out rather than Category's IPC form, so the SQL function's record type and
        // the UI's field names can change independently.
        let categories: Vec<_> = categories
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "parent_id": c.parent_id, "name": c.name, "colour": c.colour,
                    "archived": c.archived, "created_at": c.created_at,
                })
            })
            .collect();
        let role: String =
            sqlx::query_scalar("SELECT outlay.sign_up($1, $2, $3, $4, $5, $6, $7::jsonb)::text")
                .bind(user.id)
                .bind(&user.email)
                .bind(params)
                .bind(scram::verifier(key)?)
                .bind(user.base_currency.code())
                .bind(user.created_at)
                .bind(serde_json::Value::Array(categories).to_string())
                .fetch_one(&mut *self.signin().await?)
                .await
                .map_err(|e| match is_unique_violation(&e, "users_email_key") {
                    true => AppError::EmailTaken,
                    false => AppError::from(e),
                })?;
        self.sign_in(&role, key)
            .await?
            .ok_or_else(|| AppError::Internal("The new account could not sign in.".into()))
    }

    async fn login_record(&self, email: &Email) -> Result<Option<LoginRecord>> {
        let row = sqlx::query(
            "SELECT user_id, role::text AS role, password_hash FROM outlay.sign_in_params($1)",
        )
        .bind(email.as_str())
        .fetch_optional(&mut *self.signin().await?)
        .await?;
        row.map(|row| {
            Ok(LoginRecord {
                user_id: row.try_get("user_id")?,
                password_hash: row.try_get("password_hash")?,
                database_role: Some(row.try_get("role")?),
            })
        })
        .transpose()
    }

    async fn authenticate(
        &self,
        login: Option<&LoginRecord>,
        attempt: &str,
    ) -> Result<Option<Account>> {
        let (_, key) = database_key(attempt)?;
        let role = login
            .and_then(|l| l.database_role.as_deref())
            .unwrap_or(NOBODY);
        let account = self.sign_in(role, key).await?;
        Ok(account.filter(|a| login.is_some_and(|l| l.user_id == a.user.id)))
    }

    async fn throttle(&self, email: &str) -> Result<Throttle> {
        let found: Option<Throttle> =
            sqlx::query_as("SELECT failures, locked_until FROM outlay.login_throttle($1)")
                .bind(email)
                .fetch_optional(&mut *self.signin().await?)
                .await?;
        Ok(found.unwrap_or_default())
    }

    async fn add_login_failure(&self, email: &str) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT outlay.login_failed($1)")
            .bind(email)
            .fetch_one(&mut *self.signin().await?)
            .await?)
    }

    async fn lock_login(&self, email: &str, until: DateTime<Utc>) -> Result<()> {
        sqlx::query("SELECT outlay.lock_login($1, $2)")
            .bind(email)
            .bind(until)
            .execute(&mut *self.signin().await?)
            .await?;
        Ok(())
    }

    async fn user_by_remember_token(
        &self,
        token: &RememberToken,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT user_id, role::text AS role, sealed_key FROM outlay.resume_session($1, $2)",
        )
        .bind(token.hash())
        .bind(now)
        .fetch_optional(&mut *self.signin().await?)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let role: String = row.try_get("role")?;
        let sealed: Vec<u8> = row.try_get("sealed_key")?;
        let Ok(key) = String::from_utf8(token.seal(&sealed)) else {
            return Ok(None);
        };
        self.sign_in(&role, &key).await
    }

    async fn delete_remember_token(&self, token: &RememberToken) -> Result<()> {
        sqlx::query("SELECT outlay.forget_remember_token($1)")
            .bind(token.hash())
            .execute(&mut *self.signin().await?)
            .await?;
        Ok(())
    }
}
