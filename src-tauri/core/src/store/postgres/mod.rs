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

mod admin;
mod alerts;
mod bulk;
mod copy;
mod outbox;
mod rows;
mod scram;
mod sessions;

pub use admin::{initialise, Installation};
pub use sqlx::postgres::{PgConnectOptions, PgSslMode};

use self::admin::{quote_ident, MIGRATOR};
use self::alerts::PgLedger;
use self::rows::*;
use self::sessions::{unreachable_on_timeout, Sessions, ACQUIRE_TIMEOUT};
use super::{
    open_page, push_page, CategoryMonthSpend, DescriptionUse, ExpenseKey, ExportRow, LoginRecord,
    PageStart, SpendRow, Store, Throttle, Total, UserRecord, MAX_DESCRIPTION_USES,
};
use crate::alerts::{evaluate, Alert, PastPeriods, Saved, SpendChange};
use crate::budgets::Budget;
use crate::categories::Category;
use crate::domain::{Currency, Email, Money, RememberToken};
use crate::error::{AppError, Result};
use crate::expenses::{Expense, ExpenseQuery};
use crate::mail::{EmailSettings, MailOutcome, MailStatus, OutboxMail};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{Connection, PgExecutor, Postgres, QueryBuilder, Row};
use uuid::Uuid;

/// A role that never exists: unknown e-mails sign in to it, so they cost a round trip and the
/// server's own (mock) authentication, like a wrong password does.
const NOBODY: &str = "outlay_no_such_account";

/// [`Store`] on a PostgreSQL server set up by [`initialise`].
pub struct PostgresStore {
    /// Host, port, database and TLS settings, without a user.
    server: PgConnectOptions,
    /// The shared sign-in role's pool.
    signin: PgPool,
    users: Sessions,
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
            users: Sessions::default(),
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

/// The role's password: the hash part of a full argon2 PHC string.
fn database_key(phc: &str) -> Result<(&str, &str)> {
    phc.rsplit_once('$')
        .filter(|(params, key)| params.matches('$').count() >= 3 && !key.is_empty())
        .ok_or_else(|| AppError::Internal("A password hash is malformed.".into()))
}

/// Spend changes from rows of `<category column>, spent_on, currency, amount_minor`, each
/// counted with `sign` (+1 added, -1 removed).
fn changes_from_rows(
    rows: &[sqlx::postgres::PgRow],
    category_column: &str,
    sign: i64,
) -> Result<Vec<SpendChange>> {
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

async fn insert_category<'e>(conn: impl PgExecutor<'e>, category: &Category) -> Result<()> {
    sqlx::query("INSERT INTO outlay.categories (id, parent_id, name, colour, archived, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
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

#[async_trait::async_trait]
impl Store for PostgresStore {
    fn location(&self) -> String {
        format!(
            "postgres://{}:{}/{}",
            self.server.get_host(),
            self.server.get_port(),
            self.server.get_database().unwrap_or_default()
        )
    }

    async fn insert_user(&self, user: &UserRecord, categories: &[Category]) -> Result<()> {
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
        self.users
            .open(&self.server, &role, key)
            .await?
            .ok_or_else(|| AppError::Internal("The new account could not sign in.".into()))?;
        Ok(())
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
    ) -> Result<Option<UserRecord>> {
        let (_, key) = database_key(attempt)?;
        let role = login
            .and_then(|l| l.database_role.as_deref())
            .unwrap_or(NOBODY);
        let user = self.users.open(&self.server, role, key).await?;
        Ok(user.filter(|u| login.is_some_and(|l| l.user_id == u.id)))
    }

    async fn user_by_id(&self, user: Uuid) -> Result<Option<UserRecord>> {
        let session = self.users.get(user)?;
        let sql = format!("SELECT {USER_COLUMNS} FROM outlay.users WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user)
            .fetch_optional(&mut *session.conn().await?)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn set_password_hash(&self, user: Uuid, hash: &str) -> Result<()> {
        let session = self.users.get(user)?;
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
        sqlx::query("UPDATE outlay.users SET password_hash = $1 WHERE id = $2")
            .bind(params)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        // New connections need the new password: sign in again with it.
        self.users
            .open(&self.server, &session.role, key)
            .await?
            .ok_or_else(|| AppError::Internal("The new password was not accepted.".into()))?;
        Ok(())
    }

    async fn delete_user(&self, user: Uuid) -> Result<()> {
        let session = self.users.get(user)?;
        sqlx::query("SELECT outlay.delete_my_account()")
            .execute(&mut *session.conn().await?)
            .await?;
        Ok(())
    }

    async fn throttle(&self, email: &str) -> Result<Throttle> {
        let row = sqlx::query("SELECT failures, locked_until FROM outlay.login_throttle($1)")
            .bind(email)
            .fetch_optional(&mut *self.signin().await?)
            .await?;
        match row {
            Some(row) => Ok(Throttle {
                failures: row.try_get("failures")?,
                locked_until: row.try_get("locked_until")?,
            }),
            None => Ok(Throttle::default()),
        }
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

    async fn clear_throttle(&self, email: &str) -> Result<()> {
        // Only the user, signed in as their own role, may clear their failures.
        let session = self.users.by_email(email).ok_or(AppError::NotSignedIn)?;
        sqlx::query("SELECT outlay.clear_my_login_failures()")
            .execute(&mut *session.conn().await?)
            .await?;
        Ok(())
    }

    async fn insert_remember_token(
        &self,
        user: Uuid,
        token: &RememberToken,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let session = self.users.get(user)?;
        sqlx::query("INSERT INTO outlay.remember_tokens (token_hash, sealed_key, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token.hash())
            .bind(token.seal(session.key.as_bytes()))
            .bind(Utc::now())
            .bind(expires_at)
            .execute(&mut *session.conn().await?)
            .await?;
        Ok(())
    }

    async fn user_by_remember_token(
        &self,
        token: &RememberToken,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>> {
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
        self.users.open(&self.server, &role, &key).await
    }

    async fn delete_remember_token(&self, token: &RememberToken) -> Result<()> {
        sqlx::query("SELECT outlay.forget_remember_token($1)")
            .bind(token.hash())
            .execute(&mut *self.signin().await?)
            .await?;
        Ok(())
    }

    async fn delete_remember_tokens(&self, user: Uuid) -> Result<()> {
        let session = self.users.get(user)?;
        sqlx::query("DELETE FROM outlay.remember_tokens WHERE owner = current_user")
            .execute(&mut *session.conn().await?)
            .await?;
        Ok(())
    }

    async fn insert_category(&self, user: Uuid, category: &Category) -> Result<()> {
        let session = self.users.get(user)?;
        insert_category(&mut *session.conn().await?, category).await
    }

    async fn categories(&self, user: Uuid) -> Result<Vec<Category>> {
        let session = self.users.get(user)?;
        // COLLATE "C": the same order as SQLite whatever the database's locale.
        let rows = sqlx::query("SELECT * FROM outlay.categories ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, lower(name) COLLATE \"C\"")
            .fetch_all(&mut *session.conn().await?)
            .await?;
        rows.iter().map(category_from_row).collect()
    }

    async fn update_category(&self, user: Uuid, category: &Category) -> Result<()> {
        let session = self.users.get(user)?;
        let done = sqlx::query("UPDATE outlay.categories SET name = $1, colour = $2, parent_id = $3, archived = $4 WHERE id = $5")
            .bind(&category.name)
            .bind(&category.colour)
            .bind(category.parent_id)
            .bind(category.archived)
            .bind(category.id)
            .execute(&mut *session.conn().await?)
            .await
            .map_err(category_conflict)?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Category"));
        }
        Ok(())
    }

    async fn merge_category(&self, user: Uuid, from: Uuid, into: Uuid) -> Result<u64> {
        let session = self.users.get(user)?;
        let mut tx = alerts::begin_write(&session).await?;
        let moved = sqlx::query(
            "UPDATE outlay.expenses SET category_id = $1, updated_at = $2 WHERE category_id = $3",
        )
        .bind(into)
        .bind(Utc::now())
        .bind(from)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE outlay.budgets SET category_id = $1 WHERE category_id = $2")
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE outlay.categories SET parent_id = $1 WHERE parent_id = $2")
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await
            .map_err(category_conflict)?;
        let deleted = sqlx::query("DELETE FROM outlay.categories WHERE id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(AppError::NotFound("Category"));
        }
        tx.commit().await?;
        Ok(moved)
    }

    async fn insert_expense(
        &self,
        user: Uuid,
        expense: &Expense,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let session = self.users.get(user)?;
        let mut tx = alerts::begin_write(&session).await?;
        sqlx::query(
            "INSERT INTO outlay.expenses (id, category_id, amount_minor, currency, spent_on, description, payment_method, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        let mut ledger = PgLedger { conn: &mut tx };
        let fired = evaluate(&mut ledger, &[SpendChange::added(expense)], now).await?;
        tx.commit().await?;
        Ok(fired)
    }

    async fn copy_expenses(&self, user: Uuid, expenses: &[Expense]) -> Result<u64> {
        let session = self.users.get(user)?;
        let mut tx = session.begin().await?;
        let inserted = copy::copy_expenses(&mut tx, expenses).await?;
        tx.commit().await?;
        Ok(inserted)
    }

    async fn expense(&self, user: Uuid, id: Uuid) -> Result<Option<Expense>> {
        let session = self.users.get(user)?;
        let sql = format!("SELECT {EXPENSE_COLUMNS} FROM outlay.expenses e WHERE e.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *session.conn().await?)
            .await?;
        row.as_ref().map(expense_from_row).transpose()
    }

    async fn update_expense(
        &self,
        user: Uuid,
        expense: &Expense,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let session = self.users.get(user)?;
        let mut tx = alerts::begin_write(&session).await?;
        // The old category, day and amount, locked until commit: the spend they leave.
        let old = sqlx::query(
            "SELECT category_id, spent_on, currency, amount_minor FROM outlay.expenses \
             WHERE id = $1 AND deleted_at IS NULL FOR UPDATE",
        )
        .bind(expense.id)
        .fetch_all(&mut *tx)
        .await?;
        let done = sqlx::query(
            "UPDATE outlay.expenses SET category_id = $1, amount_minor = $2, currency = $3, spent_on = $4, description = $5, payment_method = $6, updated_at = $7 \
             WHERE id = $8 AND deleted_at IS NULL",
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
        let mut ledger = PgLedger { conn: &mut tx };
        let fired = evaluate(&mut ledger, &changes, now).await?;
        tx.commit().await?;
        Ok(fired)
    }

    async fn set_expenses_deleted(
        &self,
        user: Uuid,
        ids: &[Uuid],
        deleted_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>> {
        let session = self.users.get(user)?;
        let condition = match deleted_at {
            Some(_) => "deleted_at IS NULL",
            None => "deleted_at IS NOT NULL",
        };
        let sql = format!(
            "UPDATE outlay.expenses SET deleted_at = $1 WHERE id = ANY($2) AND {condition} \
             RETURNING category_id, spent_on, currency, amount_minor"
        );
        let mut tx = alerts::begin_write(&session).await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(deleted_at)
            .bind(ids)
            .fetch_all(&mut *tx)
            .await?;
        let sign = if deleted_at.is_some() { -1 } else { 1 };
        let changes = changes_from_rows(&rows, "category_id", sign)?;
        let mut ledger = PgLedger { conn: &mut tx };
        let fired = evaluate(&mut ledger, &changes, now).await?;
        tx.commit().await?;
        Ok(Saved {
            value: rows.len() as u64,
            fired,
        })
    }

    async fn recategorise_expenses(
        &self,
        user: Uuid,
        ids: &[Uuid],
        category: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>> {
        let session = self.users.get(user)?;
        let mut tx = alerts::begin_write(&session).await?;
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
        let mut ledger = PgLedger { conn: &mut tx };
        let fired = evaluate(&mut ledger, &changes, now).await?;
        tx.commit().await?;
        Ok(Saved {
            value: rows.len() as u64,
            fired,
        })
    }

    async fn reevaluate_budgets(
        &self,
        user: Uuid,
        changes: &[SpendChange],
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let session = self.users.get(user)?;
        let mut tx = alerts::begin_write(&session).await?;
        let mut ledger = PgLedger { conn: &mut tx };
        let fired = evaluate(&mut ledger, changes, now).await?;
        tx.commit().await?;
        Ok(fired)
    }

    async fn list_expenses(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        start: PageStart<'_>,
        limit: u32,
    ) -> Result<Vec<Expense>> {
        let session = self.users.get(user)?;
        let mut builder = open_page::<Postgres>(EXPENSE_COLUMNS, "outlay.expenses e", start);
        builder.push("e.deleted_at IS NULL");
        push_filters(&mut builder, query);
        push_page(&mut builder, query.sort, start, limit)?;
        let rows = builder
            .build()
            .fetch_all(&mut *session.conn().await?)
            .await?;
        rows.iter().map(expense_from_row).collect()
    }

    async fn expense_totals(&self, user: Uuid, query: &ExpenseQuery) -> Result<Vec<Total>> {
        let session = self.users.get(user)?;
        let mut builder = QueryBuilder::<Postgres>::new("SELECT e.currency, SUM(e.amount_minor)::bigint AS minor, COUNT(*) AS count FROM outlay.expenses e WHERE e.deleted_at IS NULL");
        push_filters(&mut builder, query);
        builder.push(" GROUP BY e.currency ORDER BY COUNT(*) DESC, e.currency COLLATE \"C\"");
        let rows = builder
            .build()
            .fetch_all(&mut *session.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Total {
                    amount: Money {
                        minor: row.try_get("minor")?,
                        currency: currency(row, "currency")?,
                    },
                    count: row.try_get("count")?,
                })
            })
            .collect()
    }

    async fn largest_expenses(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        limit: u32,
    ) -> Result<Vec<Expense>> {
        let session = self.users.get(user)?;
        let mut builder = QueryBuilder::<Postgres>::new(format!(
            "SELECT {EXPENSE_COLUMNS} FROM outlay.expenses e WHERE e.deleted_at IS NULL"
        ));
        push_filters(&mut builder, query);
        builder
            .push(" ORDER BY e.amount_minor DESC, e.spent_on DESC, e.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = builder
            .build()
            .fetch_all(&mut *session.conn().await?)
            .await?;
        rows.iter().map(expense_from_row).collect()
    }

    async fn description_uses(
        &self,
        user: Uuid,
        words: &[String],
        recent: u32,
    ) -> Result<Vec<DescriptionUse>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let session = self.users.get(user)?;
        let patterns: Vec<String> = words.iter().map(|w| like_pattern(w)).collect();
        // The newest `recent` rows come off the (owner, spent_on DESC, id DESC) index; only
        // they are searched and grouped.
        let rows = sqlx::query(
            "SELECT description, category_id, COUNT(*) AS uses, MAX(spent_on) AS last_used \
             FROM (SELECT description, category_id, spent_on FROM outlay.expenses \
                   WHERE deleted_at IS NULL ORDER BY spent_on DESC, id DESC LIMIT $1) recent \
             WHERE description ILIKE ANY($2) \
             GROUP BY description, category_id ORDER BY uses DESC, last_used DESC LIMIT $3",
        )
        .bind(i64::from(recent))
        .bind(patterns)
        .bind(i64::from(MAX_DESCRIPTION_USES))
        .fetch_all(&mut *session.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DescriptionUse {
                    description: row.try_get("description")?,
                    category_id: row.try_get("category_id")?,
                    uses: row.try_get("uses")?,
                    last_used: row.try_get("last_used")?,
                })
            })
            .collect()
    }

    async fn insert_budget(&self, user: Uuid, budget: &Budget) -> Result<()> {
        let session = self.users.get(user)?;
        sqlx::query("INSERT INTO outlay.budgets (id, category_id, period, amount_minor, currency, thresholds, email_alerts, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(budget.id)
            .bind(budget.category_id)
            .bind(budget.period.as_str())
            .bind(budget.amount.minor)
            .bind(budget.amount.currency.code())
            .bind(thresholds_text(budget))
            .bind(budget.email_alerts)
            .bind(budget.created_at)
            .execute(&mut *session.conn().await?)
            .await?;
        Ok(())
    }

    async fn budgets(&self, user: Uuid) -> Result<Vec<Budget>> {
        let session = self.users.get(user)?;
        alerts::budgets(&mut *session.conn().await?).await
    }

    async fn update_budget(&self, user: Uuid, budget: &Budget) -> Result<()> {
        let session = self.users.get(user)?;
        let done = sqlx::query("UPDATE outlay.budgets SET category_id = $1, period = $2, amount_minor = $3, currency = $4, thresholds = $5 WHERE id = $6")
            .bind(budget.category_id)
            .bind(budget.period.as_str())
            .bind(budget.amount.minor)
            .bind(budget.amount.currency.code())
            .bind(thresholds_text(budget))
            .bind(budget.id)
            .execute(&mut *session.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Budget"));
        }
        Ok(())
    }

    async fn delete_budget(&self, user: Uuid, id: Uuid) -> Result<()> {
        let session = self.users.get(user)?;
        let done = sqlx::query("DELETE FROM outlay.budgets WHERE id = $1")
            .bind(id)
            .execute(&mut *session.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Budget"));
        }
        Ok(())
    }

    async fn set_budget_email(&self, user: Uuid, id: Uuid, on: bool) -> Result<()> {
        let session = self.users.get(user)?;
        let done = sqlx::query("UPDATE outlay.budgets SET email_alerts = $1 WHERE id = $2")
            .bind(on)
            .bind(id)
            .execute(&mut *session.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Budget"));
        }
        Ok(())
    }

    async fn alerts(&self, user: Uuid, limit: u32) -> Result<Vec<Alert>> {
        let session = self.users.get(user)?;
        alerts::alerts(&mut *session.conn().await?, limit).await
    }

    async fn unread_alerts(&self, user: Uuid) -> Result<i64> {
        let session = self.users.get(user)?;
        alerts::unread_alerts(&mut *session.conn().await?).await
    }

    async fn alert_exists(&self, user: Uuid, id: Uuid) -> Result<bool> {
        let session = self.users.get(user)?;
        alerts::alert_exists(&mut *session.conn().await?, id).await
    }

    async fn mark_alerts_read(
        &self,
        user: Uuid,
        id: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        let session = self.users.get(user)?;
        alerts::mark_alerts_read(&mut *session.conn().await?, id, at).await
    }

    async fn email_settings(&self, user: Uuid) -> Result<Option<EmailSettings>> {
        let session = self.users.get(user)?;
        alerts::email_settings(&mut *session.conn().await?).await
    }

    async fn save_email_settings(&self, user: Uuid, settings: &EmailSettings) -> Result<()> {
        let session = self.users.get(user)?;
        alerts::save_email_settings(&mut *session.conn().await?, settings).await
    }

    async fn claim_mail(
        &self,
        user: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<OutboxMail>> {
        let session = self.users.get(user)?;
        outbox::claim(&mut *session.conn().await?, now, lease_until).await
    }

    async fn finish_mail(
        &self,
        user: Uuid,
        id: Uuid,
        attempt: u32,
        outcome: &MailOutcome,
    ) -> Result<bool> {
        let session = self.users.get(user)?;
        outbox::finish(&mut *session.conn().await?, id, attempt, outcome).await
    }

    async fn outbox(
        &self,
        user: Uuid,
        status: Option<MailStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxMail>> {
        let session = self.users.get(user)?;
        outbox::list(&mut *session.conn().await?, status, limit).await
    }

    async fn retry_mail(&self, user: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let session = self.users.get(user)?;
        outbox::retry(&mut *session.conn().await?, id, now).await
    }

    async fn next_mail_due(&self, user: Uuid) -> Result<Option<DateTime<Utc>>> {
        let session = self.users.get(user)?;
        outbox::next_due(&mut *session.conn().await?).await
    }

    async fn spend(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
        categories: Option<&[Uuid]>,
    ) -> Result<i64> {
        let session = self.users.get(user)?;
        let mut builder = QueryBuilder::<Postgres>::new(
            "SELECT coalesce(SUM(e.amount_minor), 0)::bigint FROM outlay.expense_day_totals e WHERE e.currency = ",
        );
        builder
            .push_bind(currency.code())
            .push(" AND e.spent_on >= ")
            .push_bind(from)
            .push(" AND e.spent_on < ")
            .push_bind(to);
        if let Some(ids) = categories {
            push_any(&mut builder, "e.category_id", ids);
        }
        Ok(builder
            .build_query_scalar()
            .fetch_one(&mut *session.conn().await?)
            .await?)
    }

    async fn spend_by_category(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<Uuid>>> {
        let session = self.users.get(user)?;
        let rows = sqlx::query(
            "SELECT category_id, SUM(amount_minor)::bigint AS minor FROM outlay.expense_day_totals \
             WHERE currency = $1 AND spent_on >= $2 AND spent_on < $3 GROUP BY category_id",
        )
        .bind(currency.code())
        .bind(from)
        .bind(to)
        .fetch_all(&mut *session.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SpendRow {
                    key: row.try_get("category_id")?,
                    minor: row.try_get("minor")?,
                })
            })
            .collect()
    }

    async fn spend_by_month(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<String>>> {
        let session = self.users.get(user)?;
        let rows = sqlx::query(
            "SELECT to_char(spent_on, 'YYYY-MM') AS month, SUM(amount_minor)::bigint AS minor FROM outlay.expense_day_totals \
             WHERE currency = $1 AND spent_on >= $2 AND spent_on < $3 GROUP BY month",
        )
        .bind(currency.code())
        .bind(from)
        .bind(to)
        .fetch_all(&mut *session.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SpendRow {
                    key: row.try_get("month")?,
                    minor: row.try_get("minor")?,
                })
            })
            .collect()
    }

    async fn spend_by_category_and_month(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategoryMonthSpend>> {
        let session = self.users.get(user)?;
        let rows = sqlx::query(
            "SELECT category_id, to_char(spent_on, 'YYYY-MM') AS month, SUM(amount_minor)::bigint AS minor \
             FROM outlay.expense_day_totals \
             WHERE currency = $1 AND spent_on >= $2 AND spent_on < $3 \
             GROUP BY category_id, month",
        )
        .bind(currency.code())
        .bind(from)
        .bind(to)
        .fetch_all(&mut *session.conn().await?)
        .await?;
        rows.iter().map(category_month_from_row).collect()
    }

    async fn live_expense_keys(
        &self,
        user: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ExpenseKey>> {
        self.keys(user, from, to).await
    }

    async fn import_expenses(
        &self,
        user: Uuid,
        categories: &[Category],
        expenses: &[Expense],
        now: DateTime<Utc>,
        past: PastPeriods,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Vec<Alert>> {
        self.import_batched(user, categories, expenses, now, past, progress)
            .await
    }

    async fn export_expenses(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
    ) -> Result<u64> {
        self.stream_for_export(user, query, sink).await
    }
}
