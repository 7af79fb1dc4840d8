//! Signed-in users' connections: each user talks to the server as their own role, through a
//! small pool of their own (kept by their [`super::PgUser`] handle), so row-level security
//! (not this code) decides what they can touch.

use super::rows::{user_from_row, USER_COLUMNS};
use crate::error::{AppError, Result};
use crate::store::UserRecord;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::time::Duration;

/// A desktop app runs a handful of queries at a time per user.
const USER_POOL_SIZE: u32 = 4;
/// Idle connections are closed so a signed-out (or deleted) user holds none for long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long an action waits for a connection before telling the user the server is gone.
pub(super) const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// One signed-in user: their role, their database password and their pool.
pub(super) struct UserSession {
    /// The user's role; also the `owner` of each of their rows.
    pub role: String,
    /// The role's password (the argon2 hash of their Outlay password), sealed into
    /// remember-me tokens.
    pub key: String,
    pool: PgPool,
}

impl UserSession {
    /// A pooled connection, as the user's role.
    pub async fn conn(&self) -> Result<PoolConnection<Postgres>> {
        self.pool.acquire().await.map_err(unreachable_on_timeout)
    }

    /// A transaction as the user's role; dropped without `commit`, it rolls back.
    pub async fn begin(&self) -> Result<Transaction<'static, Postgres>> {
        self.pool.begin().await.map_err(unreachable_on_timeout)
    }

    /// A transaction begun with `statement` (which must start with `BEGIN`; further statements
    /// run in the same round trip).
    pub async fn begin_with(
        &self,
        statement: &'static str,
    ) -> Result<Transaction<'static, Postgres>> {
        self.pool
            .begin_with(statement)
            .await
            .map_err(unreachable_on_timeout)
    }
}

/// Waiting in vain for a connection means the server is unreachable, not that SQLite is busy.
pub(super) fn unreachable_on_timeout(error: sqlx::Error) -> AppError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => AppError::ServerUnreachable,
        other => AppError::from(other),
    }
}

/// True for "password authentication failed" and "role … is not permitted to log in / does
/// not exist": the answer to a wrong password, whatever the server's reason.
fn is_refused_login(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db)
        if matches!(db.code().as_deref(), Some("28P01") | Some("28000")))
}

/// Signs in to the server as `role` with `key`. `None` when the server refuses the
/// password; otherwise the user (as their own role sees their row) and their session.
pub(super) async fn open(
    server: &PgConnectOptions,
    role: &str,
    key: &str,
) -> Result<Option<(UserRecord, UserSession)>> {
    let options = server.clone().username(role).password(key);
    let pool = PgPoolOptions::new()
        .max_connections(USER_POOL_SIZE)
        .idle_timeout(IDLE_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_lazy_with(options);
    // The first connection is the password check; it then stays in the pool.
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        Err(e) if is_refused_login(&e) => return Ok(None),
        Err(e) => return Err(unreachable_on_timeout(e)),
    };
    let sql = format!("SELECT {USER_COLUMNS} FROM outlay.users WHERE owner = current_user");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(&mut *conn)
        .await?;
    drop(conn);
    let Some(user) = row.as_ref().map(user_from_row).transpose()? else {
        // A role without an account (deleted meanwhile): nothing to sign in to.
        pool.close().await;
        return Ok(None);
    };
    let session = UserSession {
        role: role.to_owned(),
        key: key.to_owned(),
        pool,
    };
    Ok(Some((user, session)))
}
