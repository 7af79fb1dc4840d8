//! The embedded SQLite store: one file in the app-data directory, WAL, fully synchronous.

mod alerts;
mod checkpoint;
mod export_rows;
mod outbox;

use self::alerts::SqliteLedger;
use super::{
    open_page, push_page, CategoryMonthSpend, DescriptionUse, ExpenseKey, ExportRow, LoginRecord,
    PageStart, SpendRow, Store, Throttle, Total, UserRecord, MAX_DESCRIPTION_USES,
};
use crate::alerts::{evaluate, Alert, PastPeriods, Saved, SpendChange};
use crate::budgets::Budget;
use crate::categories::Category;
use crate::domain::{Currency, Email, Money, PeriodKind, RememberToken};
use crate::error::{AppError, Result};
use crate::expenses::{Expense, ExpenseQuery};
use crate::mail::{EmailSettings, MailOutcome, MailStatus, OutboxMail};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

mod bulk;

static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// How long a write waits for another writer (another Outlay, a backup tool) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite allows 32 766 bound values; bulk actions go in chunks well below that.
const CHUNK: usize = 1000;

/// [`Store`] on a local SQLite file.
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    _checkpoints: checkpoint::Checkpointer,
}

impl SqliteStore {
    /// Opens or creates the database at `path` and runs pending migrations.
    /// A database written by a newer Outlay is refused with [`AppError::SchemaTooNew`].
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // 16 MiB of page cache per connection instead of 2: with a million expenses the
            // indexes a write touches no longer fit in 2 MiB, and imports thrash.
            .pragma("cache_size", "-16384")
            // Statement journals and sorts in memory: a bulk write's statement journal spilled
            // to a temporary file past 64 KiB, one write() per page.
            .pragma("temp_store", "memory")
            // Checkpoints run in the background instead: see checkpoint.rs.
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(_) => AppError::from(e),
                other => AppError::Internal(format!(
                    "Could not open the database at {}: {other}",
                    path.display()
                )),
            })?;
        MIGRATOR.run(&pool).await.map_err(|e| match e {
            MigrateError::VersionMissing(found) => AppError::SchemaTooNew { found },
            MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => AppError::from(e),
            other => AppError::Internal(format!("Could not update the database schema: {other}")),
        })?;
        Ok(SqliteStore {
            _checkpoints: checkpoint::Checkpointer::start(pool.clone()),
            pool,
            path: path.to_owned(),
        })
    }

    /// Starts a write transaction that takes the write lock at once, so two writers queue on
    /// `busy_timeout` instead of failing half-way with SQLITE_BUSY on lock upgrade.
    async fn write(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

fn is_unique_violation(error: &sqlx::Error, index: &str) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation() && db.message().contains(index))
}

fn category_conflict(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "categories_name_key") {
        return AppError::Conflict("A category with that name already exists there.".into());
    }
    AppError::from(error)
}

/// Compares two hashes in time that depends only on their lengths, so a timing side channel
/// tells nothing about how much of a guess was right.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn currency(row: &SqliteRow, column: &str) -> Result<Currency> {
    Currency::parse(&row.try_get::<String, _>(column)?)
}

fn user_from_row(row: &SqliteRow) -> Result<UserRecord> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        base_currency: currency(row, "base_currency")?,
        created_at: row.try_get("created_at")?,
    })
}

fn category_from_row(row: &SqliteRow) -> Result<Category> {
    Ok(Category {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        name: row.try_get("name")?,
        colour: row.try_get("colour")?,
        archived: row.try_get("archived")?,
        created_at: row.try_get("created_at")?,
    })
}

const EXPENSE_COLUMNS: &str =
    "e.id, e.amount_minor, e.currency, e.spent_on, e.category_id, e.description, \
     e.payment_method, e.created_at, e.updated_at, e.deleted_at, \
     (SELECT group_concat(t.tag, ',') FROM expense_tags t WHERE t.expense_id = e.id) AS tags";

fn expense_from_row(row: &SqliteRow) -> Result<Expense> {
    let tags: Option<String> = row.try_get("tags")?;
    let mut tags: Vec<String> = tags
        .map(|t| t.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    tags.sort();
    Ok(Expense {
        id: row.try_get("id")?,
        amount: Money {
            minor: row.try_get("amount_minor")?,
            currency: currency(row, "currency")?,
        },
        date: row.try_get("spent_on")?,
        category_id: row.try_get("category_id")?,
        description: row.try_get("description")?,
        payment_method: row.try_get("payment_method")?,
        tags,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        deleted_at: row.try_get("deleted_at")?,
    })
}

fn budget_from_row(row: &SqliteRow) -> Result<Budget> {
    let thresholds: String = row.try_get("thresholds")?;
    Ok(Budget {
        id: row.try_get("id")?,
        category_id: row.try_get("category_id")?,
        period: PeriodKind::parse(&row.try_get::<String, _>("period")?)?,
        amount: Money {
            minor: row.try_get("amount_minor")?,
            currency: currency(row, "currency")?,
        },
        thresholds: thresholds
            .split(',')
            .filter_map(|t| t.parse().ok())
            .collect(),
        email_alerts: row.try_get("email_alerts")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Spend changes from rows of `category_id, spent_on, currency, amount_minor`, each counted
/// with `sign` (+1 added, -1 removed).
fn changes_from_rows(rows: &[SqliteRow], sign: i64, into: &mut Vec<SpendChange>) -> Result<()> {
    for row in rows {
        into.push(SpendChange::of(
            row.try_get("category_id")?,
            row.try_get("spent_on")?,
            sign * row.try_get::<i64, _>("amount_minor")?,
            currency(row, "currency")?,
        ));
    }
    Ok(())
}

fn thresholds_text(budget: &Budget) -> String {
    budget
        .thresholds
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Appends `AND column IN (…)` with bound ids.
fn push_in(builder: &mut QueryBuilder<Sqlite>, column: &str, ids: &[Uuid]) {
    builder.push(format_args!(" AND {column} IN ("));
    let mut list = builder.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    builder.push(")");
}

/// Appends the WHERE conditions of a filter (after `e.user_id = ? AND e.deleted_at IS NULL`).
fn push_filters(builder: &mut QueryBuilder<Sqlite>, query: &ExpenseQuery) {
    if let Some(from) = query.from {
        builder.push(" AND e.spent_on >= ").push_bind(from);
    }
    if let Some(until) = query.until {
        builder.push(" AND e.spent_on < ").push_bind(until);
    }
    if let Some(ids) = &query.category_ids {
        push_in(builder, "e.category_id", ids);
    }
    if let Some(method) = &query.payment_method {
        builder
            .push(" AND e.payment_method = ")
            .push_bind(method.clone());
    }
    if let Some(tag) = &query.tag {
        builder
            .push(
                " AND EXISTS (SELECT 1 FROM expense_tags t WHERE t.expense_id = e.id AND t.tag = ",
            )
            .push_bind(tag.clone())
            .push(")");
    }
    if let Some(currency) = query.amount_currency {
        builder
            .push(" AND e.currency = ")
            .push_bind(currency.code());
    }
    if let Some(min) = query.min_minor {
        builder.push(" AND e.amount_minor >= ").push_bind(min);
    }
    if let Some(max) = query.max_minor {
        builder.push(" AND e.amount_minor <= ").push_bind(max);
    }
    if let Some(search) = &query.search {
        builder
            .push(" AND e.description LIKE ")
            .push_bind(like_pattern(search))
            .push(" ESCAPE '\\'");
    }
}

/// `%text%` with the user's own `%`, `_` and `\` matched literally.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

async fn insert_tags(tx: &mut sqlx::SqliteConnection, user: Uuid, expense: &Expense) -> Result<()> {
    if expense.tags.is_empty() {
        return Ok(());
    }
    let mut builder =
        QueryBuilder::<Sqlite>::new("INSERT INTO expense_tags (expense_id, user_id, tag) ");
    builder.push_values(&expense.tags, |mut row, tag| {
        row.push_bind(expense.id)
            .push_bind(user)
            .push_bind(tag.clone());
    });
    builder.build().execute(tx).await?;
    Ok(())
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    async fn insert_user(&self, user: &UserRecord, categories: &[Category]) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO users (id, email, password_hash, base_currency, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(user.id)
            .bind(&user.email)
            .bind(&user.password_hash)
            .bind(user.base_currency.code())
            .bind(user.created_at)
            .execute(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e, "users") { AppError::EmailTaken } else { e.into() })?;
        for category in categories {
            insert_category(&mut tx, user.id, category).await?;
        }
        tx.commit().await?;
        Ok(())
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
    ) -> Result<Option<UserRecord>> {
        match login {
            Some(login) if same_secret(login.password_hash.as_bytes(), attempt.as_bytes()) => {
                self.user_by_id(login.user_id).await
            }
            _ => Ok(None),
        }
    }

    async fn user_by_id(&self, user: Uuid) -> Result<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = ?")
            .bind(user)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn set_password_hash(&self, user: Uuid, hash: &str) -> Result<()> {
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_user(&self, user: Uuid) -> Result<()> {
        let mut tx = self.write().await?;
        // Children before parents, so every foreign key holds at every step.
        for statement in [
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
            sqlx::query(statement).bind(user).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn throttle(&self, email: &str) -> Result<Throttle> {
        let row = sqlx::query("SELECT failures, locked_until FROM login_throttle WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
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
        let failures = sqlx::query_scalar(
            "INSERT INTO login_throttle (email, failures) VALUES (?, 1) \
             ON CONFLICT (email) DO UPDATE SET failures = failures + 1 RETURNING failures",
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

    async fn clear_throttle(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_throttle WHERE email = ?")
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn insert_remember_token(
        &self,
        user: Uuid,
        token: &RememberToken,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query("INSERT INTO remember_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token.hash())
            .bind(user)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn user_by_remember_token(
        &self,
        token: &RememberToken,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>> {
        let row = sqlx::query("SELECT u.*, t.expires_at FROM remember_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?")
            .bind(token.hash())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        // Compared here rather than in SQL: RFC 3339 text does not sort reliably as text.
        let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
        if expires_at <= now {
            return Ok(None);
        }
        user_from_row(&row).map(Some)
    }

    async fn delete_remember_token(&self, token: &RememberToken) -> Result<()> {
        sqlx::query("DELETE FROM remember_tokens WHERE token_hash = ?")
            .bind(token.hash())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_remember_tokens(&self, user: Uuid) -> Result<()> {
        sqlx::query("DELETE FROM remember_tokens WHERE user_id = ?")
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn insert_category(&self, user: Uuid, category: &Category) -> Result<()> {
        let mut tx = self.write().await?;
        insert_category(&mut tx, user, category).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn categories(&self, user: Uuid) -> Result<Vec<Category>> {
        let rows = sqlx::query("SELECT * FROM categories WHERE user_id = ? ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, lower(name)")
            .bind(user)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(category_from_row).collect()
    }

    async fn update_category(&self, user: Uuid, category: &Category) -> Result<()> {
        let done = sqlx::query("UPDATE categories SET name = ?, colour = ?, parent_id = ?, archived = ? WHERE user_id = ? AND id = ?")
            .bind(&category.name)
            .bind(&category.colour)
            .bind(category.parent_id)
            .bind(category.archived)
            .bind(user)
            .bind(category.id)
            .execute(&self.pool)
            .await
            .map_err(category_conflict)?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Category"));
        }
        Ok(())
    }

    async fn merge_category(&self, user: Uuid, from: Uuid, into: Uuid) -> Result<u64> {
        let mut tx = self.write().await?;
        let moved = sqlx::query("UPDATE expenses SET category_id = ?, updated_at = ? WHERE user_id = ? AND category_id = ?")
            .bind(into)
            .bind(Utc::now())
            .bind(user)
            .bind(from)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("UPDATE budgets SET category_id = ? WHERE user_id = ? AND category_id = ?")
            .bind(into)
            .bind(user)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE categories SET parent_id = ? WHERE user_id = ? AND parent_id = ?")
            .bind(into)
            .bind(user)
            .bind(from)
            .execute(&mut *tx)
            .await
            .map_err(category_conflict)?;
        let deleted = sqlx::query("DELETE FROM categories WHERE user_id = ? AND id = ?")
            .bind(user)
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
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO expenses (id, user_id, category_id, amount_minor, currency, spent_on, description, payment_method, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
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
        .execute(&mut *tx)
        .await?;
        insert_tags(&mut tx, user, expense).await?;
        let mut ledger = SqliteLedger {
            conn: &mut tx,
            user,
        };
        let fired = evaluate(&mut ledger, &[SpendChange::added(expense)], now).await?;
        tx.commit().await?;
        Ok(fired)
    }

    async fn copy_expenses(&self, user: Uuid, expenses: &[Expense]) -> Result<u64> {
        let mut tx = self.write().await?;
        let mut inserted = 0;
        for expense in expenses {
            let done = sqlx::query(
                "INSERT INTO expenses (id, user_id, category_id, amount_minor, currency, spent_on, description, payment_method, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            )
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
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                insert_tags(&mut tx, user, expense).await?;
                inserted += 1;
            }
        }
        tx.commit().await?;
        Ok(inserted)
    }

    async fn expense(&self, user: Uuid, id: Uuid) -> Result<Option<Expense>> {
        let sql =
            format!("SELECT {EXPENSE_COLUMNS} FROM expenses e WHERE e.user_id = ? AND e.id = ?");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(expense_from_row).transpose()
    }

    async fn update_expense(
        &self,
        user: Uuid,
        expense: &Expense,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let mut tx = self.write().await?;
        // The old category, day and amount, read under the write lock: the spend they leave.
        let old = sqlx::query(
            "SELECT category_id, spent_on, currency, amount_minor FROM expenses \
             WHERE user_id = ? AND id = ? AND deleted_at IS NULL",
        )
        .bind(user)
        .bind(expense.id)
        .fetch_all(&mut *tx)
        .await?;
        let done = sqlx::query(
            "UPDATE expenses SET category_id = ?, amount_minor = ?, currency = ?, spent_on = ?, description = ?, payment_method = ?, updated_at = ? \
             WHERE user_id = ? AND id = ? AND deleted_at IS NULL",
        )
        .bind(expense.category_id)
        .bind(expense.amount.minor)
        .bind(expense.amount.currency.code())
        .bind(expense.date)
        .bind(&expense.description)
        .bind(&expense.payment_method)
        .bind(expense.updated_at)
        .bind(user)
        .bind(expense.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Expense"));
        }
        sqlx::query("DELETE FROM expense_tags WHERE expense_id = ? AND user_id = ?")
            .bind(expense.id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        insert_tags(&mut tx, user, expense).await?;
        let mut changes = Vec::with_capacity(2);
        changes_from_rows(&old, -1, &mut changes)?;
        changes.push(SpendChange::added(expense));
        let mut ledger = SqliteLedger {
            conn: &mut tx,
            user,
        };
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
        let mut tx = self.write().await?;
        let mut changes = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let mut builder = QueryBuilder::<Sqlite>::new("UPDATE expenses SET deleted_at = ");
            builder
                .push_bind(deleted_at)
                .push(" WHERE user_id = ")
                .push_bind(user);
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
        let mut ledger = SqliteLedger {
            conn: &mut tx,
            user,
        };
        let fired = evaluate(&mut ledger, &changes, now).await?;
        tx.commit().await?;
        Ok(Saved {
            value: changes.len() as u64,
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
        let mut tx = self.write().await?;
        let mut changed = 0;
        let mut changes = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            // What moves out, read under the write lock before it moves.
            let mut builder = QueryBuilder::<Sqlite>::new(
                "SELECT category_id, spent_on, currency, amount_minor FROM expenses WHERE deleted_at IS NULL AND user_id = ",
            );
            builder.push_bind(user);
            push_in(&mut builder, "id", chunk);
            builder.push(" AND category_id <> ").push_bind(category);
            for row in builder.build().fetch_all(&mut *tx).await? {
                let (date, currency) = (row.try_get("spent_on")?, currency(&row, "currency")?);
                let minor: i64 = row.try_get("amount_minor")?;
                changes.push(SpendChange::of(
                    row.try_get("category_id")?,
                    date,
                    -minor,
                    currency,
                ));
                changes.push(SpendChange::of(category, date, minor, currency));
            }
            let mut builder = QueryBuilder::<Sqlite>::new("UPDATE expenses SET category_id = ");
            builder
                .push_bind(category)
                .push(", updated_at = ")
                .push_bind(now);
            builder
                .push(" WHERE deleted_at IS NULL AND user_id = ")
                .push_bind(user);
            push_in(&mut builder, "id", chunk);
            changed += builder.build().execute(&mut *tx).await?.rows_affected();
        }
        let mut ledger = SqliteLedger {
            conn: &mut tx,
            user,
        };
        let fired = evaluate(&mut ledger, &changes, now).await?;
        tx.commit().await?;
        Ok(Saved {
            value: changed,
            fired,
        })
    }

    async fn reevaluate_budgets(
        &self,
        user: Uuid,
        changes: &[SpendChange],
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let mut tx = self.write().await?;
        let mut ledger = SqliteLedger {
            conn: &mut tx,
            user,
        };
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
        let mut builder = open_page::<Sqlite>(EXPENSE_COLUMNS, "expenses e", start);
        builder
            .push("e.user_id = ")
            .push_bind(user)
            .push(" AND e.deleted_at IS NULL");
        push_filters(&mut builder, query);
        push_page(&mut builder, query.sort, start, limit)?;
        let rows = builder.build().fetch_all(&self.pool).await?;
        rows.iter().map(expense_from_row).collect()
    }

    async fn expense_totals(&self, user: Uuid, query: &ExpenseQuery) -> Result<Vec<Total>> {
        let mut builder = QueryBuilder::<Sqlite>::new("SELECT e.currency, SUM(e.amount_minor) AS minor, COUNT(*) AS count FROM expenses e WHERE e.user_id = ");
        builder.push_bind(user).push(" AND e.deleted_at IS NULL");
        push_filters(&mut builder, query);
        builder.push(" GROUP BY e.currency ORDER BY COUNT(*) DESC, e.currency");
        let rows = builder.build().fetch_all(&self.pool).await?;
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
        let mut builder = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {EXPENSE_COLUMNS} FROM expenses e WHERE e.user_id = "
        ));
        builder.push_bind(user).push(" AND e.deleted_at IS NULL");
        push_filters(&mut builder, query);
        builder
            .push(" ORDER BY e.amount_minor DESC, e.spent_on DESC, e.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = builder.build().fetch_all(&self.pool).await?;
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
        // The newest `recent` rows come off the (user_id, spent_on DESC, id DESC) index;
        // only they are searched and grouped.
        let mut builder = QueryBuilder::<Sqlite>::new(
            "SELECT description, category_id, COUNT(*) AS uses, MAX(spent_on) AS last_used \
             FROM (SELECT description, category_id, spent_on FROM expenses WHERE user_id = ",
        );
        builder
            .push_bind(user)
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
        let rows = builder.build().fetch_all(&self.pool).await?;
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
        sqlx::query("INSERT INTO budgets (id, user_id, category_id, period, amount_minor, currency, thresholds, email_alerts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(budget.id)
            .bind(user)
            .bind(budget.category_id)
            .bind(budget.period.as_str())
            .bind(budget.amount.minor)
            .bind(budget.amount.currency.code())
            .bind(thresholds_text(budget))
            .bind(budget.email_alerts)
            .bind(budget.created_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn budgets(&self, user: Uuid) -> Result<Vec<Budget>> {
        alerts::budgets(&self.pool, user).await
    }

    async fn update_budget(&self, user: Uuid, budget: &Budget) -> Result<()> {
        let done = sqlx::query("UPDATE budgets SET category_id = ?, period = ?, amount_minor = ?, currency = ?, thresholds = ? WHERE user_id = ? AND id = ?")
            .bind(budget.category_id)
            .bind(budget.period.as_str())
            .bind(budget.amount.minor)
            .bind(budget.amount.currency.code())
            .bind(thresholds_text(budget))
            .bind(user)
            .bind(budget.id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Budget"));
        }
        Ok(())
    }

    async fn delete_budget(&self, user: Uuid, id: Uuid) -> Result<()> {
        let done = sqlx::query("DELETE FROM budgets WHERE user_id = ? AND id = ?")
            .bind(user)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Budget"));
        }
        Ok(())
    }

    async fn set_budget_email(&self, user: Uuid, id: Uuid, on: bool) -> Result<()> {
        let done = sqlx::query("UPDATE budgets SET email_alerts = ? WHERE user_id = ? AND id = ?")
            .bind(on)
            .bind(user)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound("Budget"));
        }
        Ok(())
    }

    async fn alerts(&self, user: Uuid, limit: u32) -> Result<Vec<Alert>> {
        alerts::alerts(&self.pool, user, limit).await
    }

    async fn unread_alerts(&self, user: Uuid) -> Result<i64> {
        alerts::unread_alerts(&self.pool, user).await
    }

    async fn alert_exists(&self, user: Uuid, id: Uuid) -> Result<bool> {
        alerts::alert_exists(&self.pool, user, id).await
    }

    async fn mark_alerts_read(
        &self,
        user: Uuid,
        id: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> Result<u64> {
        alerts::mark_alerts_read(&self.pool, user, id, at).await
    }

    async fn email_settings(&self, user: Uuid) -> Result<Option<EmailSettings>> {
        alerts::email_settings(&self.pool, user).await
    }

    async fn save_email_settings(&self, user: Uuid, settings: &EmailSettings) -> Result<()> {
        alerts::save_email_settings(&self.pool, user, settings).await
    }

    async fn claim_mail(
        &self,
        user: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<OutboxMail>> {
        outbox::claim(&self.pool, user, now, lease_until).await
    }

    async fn finish_mail(
        &self,
        user: Uuid,
        id: Uuid,
        attempt: u32,
        outcome: &MailOutcome,
    ) -> Result<bool> {
        outbox::finish(&self.pool, user, id, attempt, outcome).await
    }

    async fn outbox(
        &self,
        user: Uuid,
        status: Option<MailStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxMail>> {
        outbox::list(&self.pool, user, status, limit).await
    }

    async fn retry_mail(&self, user: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
        outbox::retry(&self.pool, user, id, now).await
    }

    async fn next_mail_due(&self, user: Uuid) -> Result<Option<DateTime<Utc>>> {
        outbox::next_due(&self.pool, user).await
    }

    async fn spend(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
        categories: Option<&[Uuid]>,
    ) -> Result<i64> {
        let mut builder = QueryBuilder::<Sqlite>::new(
            "SELECT coalesce(SUM(e.amount_minor), 0) FROM expense_day_totals e WHERE e.user_id = ",
        );
        builder
            .push_bind(user)
            .push(" AND e.currency = ")
            .push_bind(currency.code());
        builder
            .push(" AND e.spent_on >= ")
            .push_bind(from)
            .push(" AND e.spent_on < ")
            .push_bind(to);
        if let Some(ids) = categories {
            push_in(&mut builder, "e.category_id", ids);
        }
        Ok(builder.build_query_scalar().fetch_one(&self.pool).await?)
    }

    async fn spend_by_category(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<Uuid>>> {
        let rows = sqlx::query(
            "SELECT category_id, SUM(amount_minor) AS minor FROM expense_day_totals \
             WHERE user_id = ? AND currency = ? AND spent_on >= ? AND spent_on < ? GROUP BY category_id",
        )
        .bind(user)
        .bind(currency.code())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
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
        let rows = sqlx::query(
            "SELECT substr(spent_on, 1, 7) AS month, SUM(amount_minor) AS minor FROM expense_day_totals \
             WHERE user_id = ? AND currency = ? AND spent_on >= ? AND spent_on < ? GROUP BY month",
        )
        .bind(user)
        .bind(currency.code())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
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
        let rows = sqlx::query(
            "SELECT category_id, substr(spent_on, 1, 7) AS month, SUM(amount_minor) AS minor FROM expense_day_totals \
             WHERE user_id = ? AND currency = ? AND spent_on >= ? AND spent_on < ? \
             GROUP BY category_id, month",
        )
        .bind(user)
        .bind(currency.code())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
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

fn category_month_from_row(row: &SqliteRow) -> Result<CategoryMonthSpend> {
    Ok(CategoryMonthSpend {
        category_id: row.try_get("category_id")?,
        month: row.try_get("month")?,
        minor: row.try_get("minor")?,
    })
}

async fn insert_category(
    tx: &mut sqlx::SqliteConnection,
    user: Uuid,
    category: &Category,
) -> Result<()> {
    sqlx::query("INSERT INTO categories (id, user_id, parent_id, name, colour, archived, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(category.id)
        .bind(user)
        .bind(category.parent_id)
        .bind(&category.name)
        .bind(&category.colour)
        .bind(category.archived)
        .bind(category.created_at)
        .execute(tx)
        .await
        .map_err(category_conflict)?;
    Ok(())
}
