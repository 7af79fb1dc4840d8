//! The PostgreSQL store: one server shared by many users, kept apart by the server itself.
//!
//! The app connects with a low-privilege shared *sign-in role* only to sign up, sign in and
//! count failed sign-ins, all through `SECURITY DEFINER` functions. Everything else runs as the
//! user's *own* role (see [`sessions`]), under row-level security: a user holding their own
//! credentials and a raw `psql` can still only touch their own rows.
//!
//! The role's password is the argon2id hash of the user's Outlay password (with the salt and
//! parameters kept in `users.password_hash`), so the server stores only a SCRAM verifier of an
//! argon2 hash, and the app needs no second secret.

mod accounts;
mod admin;
mod alerts;
mod budgets;
mod categories;
mod copy;
mod dialect;
mod expenses;
mod outbox;
mod profile;
mod rows;
mod scram;
mod sessions;
mod spend;
mod statements;
mod transfer;

pub use admin::{initialise, Installation};
pub use sqlx::postgres::{PgConnectOptions, PgSslMode};

use self::admin::MIGRATOR;
use self::rows::category_conflict;
use self::sessions::{unreachable_on_timeout, UserSession, ACQUIRE_TIMEOUT};
use super::sql::Owner;
use crate::alerts::{evaluate, Alert, SpendChange};
use crate::categories::Category;
use crate::error::{AppError, Result};
use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{Connection, PgExecutor, Postgres};
use std::sync::{Arc, RwLock};

/// A role that never exists: unknown e-mails sign in to it, so they cost a round trip and the
/// server's own (mock) authentication, like a wrong password does.
pub(super) const NOBODY: &str = "outlay_no_such_account";

/// [`super::Store`] on a PostgreSQL server set up by [`initialise`].
pub struct PostgresStore {
    /// Host, port, database and TLS settings, without a user.
    server: PgConnectOptions,
    /// The shared sign-in role's pool.
    signin: PgPool,
}

impl PostgresStore {
    /// Connects as the shared sign-in role (`options` carries its user and password) and
    /// checks the schema: one newer than this app is [`AppError::SchemaTooNew`], an older or
    /// missing one [`AppError::SchemaTooOld`]. Connection failures come back as
    /// [`AppError::ServerUnreachable`], [`AppError::ServerRefused`] or [`AppError::Tls`].
    pub async fn connect(options: PgConnectOptions) -> Result<Self> {
        let options = options.application_name("outlay");
        // One direct attempt first: a pool would retry a refused connection until its timeout
        // and then only say that it timed out.
        let mut conn = PgConnection::connect_with(&options).await?;
        check_schema(&mut conn).await?;
        sqlx::query("SELECT outlay.drop_deleted_roles()")
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let signin = PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options.clone());
        Ok(PostgresStore {
            server: options,
            signin,
        })
    }

    /// A connection as the shared sign-in role.
    async fn signin(&self) -> Result<sqlx::pool::PoolConnection<Postgres>> {
        self.signin.acquire().await.map_err(unreachable_on_timeout)
    }
}

/// Compares the applied migrations with the ones this app knows, like sqlx's migrator would
/// (the sign-in role cannot run migrations, only read their versions).
async fn check_schema(conn: &mut PgConnection) -> Result<()> {
    let applied: Vec<i64> = sqlx::query_scalar("SELECT v FROM outlay.schema_versions() v")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| match &e {
            // No schema "outlay" / no such function: never initialised.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("3F000") | Some("42883")) =>
            {
                AppError::SchemaTooOld
            }
            _ => AppError::from(e),
        })?;
    let known: Vec<i64> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .collect();
    if let Some(&found) = applied.iter().find(|v| !known.contains(v)) {
        let found = applied.iter().copied().max().unwrap_or(found);
        return Err(AppError::SchemaTooNew { found });
    }
    if known.iter().any(|v| !applied.contains(v)) {
        return Err(AppError::SchemaTooOld);
    }
    Ok(())
}

/// One signed-in user's data on the server: their own role's pool (see [`sessions`]), under
/// row-level security. The areas' methods live one file each beside this one.
pub(crate) struct PgUser {
    server: PgConnectOptions,
    /// Replaced when the password changes: new connections need the new one.
    session: RwLock<Arc<UserSession>>,
}

impl PgUser {
    fn new(server: &PgConnectOptions, session: UserSession) -> Self {
        PgUser {
            server: server.clone(),
            session: RwLock::new(Arc::new(session)),
        }
    }

    /// The session as it is now.
    fn session(&self) -> Arc<UserSession> {
        self.session
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whose rows the shared SQL may see: the server decides.
    fn owner(&self) -> Owner {
        Owner::Server
    }

    /// A pooled connection as the user's role.
    async fn conn(&self) -> Result<PoolConnection<Postgres>> {
        self.session().conn().await
    }

    /// Begins a write that changes spend. The user's writers queue here, on a lock on their
    /// own users row (FOR NO KEY UPDATE leaves foreign-key checks alone; the row is the
    /// user's own by row-level security, so nobody else's writes ever wait on it). So: READ
    /// COMMITTED gives the budget sums a snapshot that includes every earlier write of this
    /// user — two devices adding at once cannot both stay under a threshold their writes
    /// cross together — and two bulk writes cannot deadlock on the daily totals they both
    /// touch.
    async fn write(&self) -> Result<sqlx::Transaction<'static, Postgres>> {
        // One round trip: BEGIN and the lock go together (simple query protocol).
        self.session()
            .begin_with(
                "BEGIN; SELECT 1 FROM outlay.users WHERE owner = current_user FOR NO KEY UPDATE",
            )
            .await
    }

    /// Evaluates the budgets `changes` touch inside `tx`, then commits both.
    async fn evaluate_and_commit(
        &self,
        mut tx: sqlx::Transaction<'static, Postgres>,
        changes: &[SpendChange],
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let mut ledger = alerts::PgLedger { conn: &mut tx };
        let fired = evaluate(&mut ledger, changes, now).await?;
        tx.commit().await?;
        Ok(fired)
    }
}

crate::store::shared::user_store!(PgUser);

/// The role's password: the hash part of a full argon2 PHC string.
fn database_key(phc: &str) -> Result<(&str, &str)> {
    phc.rsplit_once('$')
        .filter(|(params, key)| params.matches('$').count() >= 3 && !key.is_empty())
        .ok_or_else(|| AppError::Internal("A password hash is malformed.".into()))
}

async fn insert_category<'e>(conn: impl PgExecutor<'e>, category: &Category) -> Result<()> {
    sqlx::query(
        r#"
        INSERT INTO outlay.categories (id, parent_id, name, colour, archived, created_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        "#,
    )
    .bind(category.id)
    .bind(category.parent_id)
    .bind(&category.name)
    .bind(&category.colour)
    .bind(category.archived)
    .bind(category.created_at)
    .execute(conn)
    .await
    .map_err(category_conflict)?;
    Ok(())
}
