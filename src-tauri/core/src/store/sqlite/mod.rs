//! The embedded SQLite store: one file in the app-data directory, WAL, fully synchronous.
//! One file may hold several users: every per-user query names its `user_id`, which only a
//! [`SqliteUser`] handle (made by a sign-in) carries.

mod accounts;
mod alerts;
mod budgets;
mod categories;
mod checkpoint;
mod dialect;
mod expenses;
mod export_rows;
mod outbox;
mod profile;
mod spend;
mod statements;
mod transfer;

use super::sql::Owner;
use crate::alerts::{evaluate, Alert, SpendChange};
use crate::categories::Category;
use crate::domain::Currency;
use crate::error::{AppError, Result};
use crate::expenses::Expense;
use chrono::{DateTime, Utc};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");

/// How long a write waits for another writer (another Outlay, a backup tool) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite allows 32 766 bound values; bulk actions go in chunks well below that.
const CHUNK: usize = 1000;

/// [`super::Store`] on a local SQLite file.
pub struct SqliteStore {
    pool: SqlitePool,
    path: PathBuf,
    _checkpoints: checkpoint::Checkpointer,
}

impl SqliteStore {
    /// Opens or creates the database at `path` and runs pending migrations.
    /// A database written by a newer Outlay is refused with [`AppError::SchemaTooNew`].
    pub async fn open(path: &Path) -> Result<Self> {
        let created = prepare_file(path)?;
        let opened = Self::open_prepared(path).await;
        if opened.is_err() && created {
            // Left behind empty, the file would be refused as a lost profile next time.
            if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
                let _ = std::fs::remove_file(path);
            }
        }
        opened.map_err(|error| match error {
            // On a read-only disk SQLite cannot make the shared-memory file a WAL database
            // needs, and says only that it cannot open: say why.
            AppError::CannotOpen if !writable(path) => AppError::ReadOnly,
            other => other,
        })
    }

    async fn open_prepared(path: &Path) -> Result<Self> {
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
            .after_release(|conn, _| Box::pin(still_usable(conn)))
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::Database(_) => AppError::from(e),
                other => AppError::Internal(format!(
                    "Could not open the database at {}: {other}",
                    path.display()
                )),
            })?;
        if migration_pending(&pool).await? {
            let folder = path
                .parent()
                .unwrap_or(Path::new("."))
                .join(crate::backup::DEFAULT_FOLDER);
            crate::backup::create_private_folder(&folder)?;
            let name = crate::backup::file_name(
                chrono::Utc::now(),
                crate::backup::BackupReason::BeforeMigration,
            );
            back_up_into(&pool, &folder.join(name)).await?;
        }
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

    /// The handle of a user who just proved who they are.
    fn signed_in(&self, user: Uuid) -> SqliteUser {
        SqliteUser {
            pool: self.pool.clone(),
            user,
        }
    }
}

/// One signed-in user's data in the file: the pool and the user's id, which every query of
/// the areas (one file each beside this one) names.
pub(crate) struct SqliteUser {
    pool: SqlitePool,
    user: Uuid,
}

impl SqliteUser {
    /// Whose rows the shared SQL may see.
    fn owner(&self) -> Owner {
        Owner::Column(self.user)
    }

    /// A pooled connection.
    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Sqlite>> {
        Ok(self.pool.acquire().await?)
    }

    /// Starts a write transaction that takes the write lock at once, so two writers queue on
    /// `busy_timeout` instead of failing half-way with SQLITE_BUSY on lock upgrade.
    async fn write(&self) -> Result<sqlx::Transaction<'static, Sqlite>> {
        begin_write(&self.pool).await
    }

    /// Evaluates the budgets `changes` touch inside `tx`, then commits both.
    async fn evaluate_and_commit(
        &self,
        mut tx: sqlx::Transaction<'static, Sqlite>,
        changes: &[SpendChange],
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>> {
        let mut ledger = alerts::SqliteLedger {
            conn: &mut tx,
            user: self.user,
        };
        let fired = evaluate(&mut ledger, changes, now).await?;
        tx.commit().await?;
        Ok(fired)
    }
}

/// The data file before SQLite opens it; whether it was created just now. A new file is
/// created readable by its owner only (SQLite gives its -wal and -shm files the same mode);
/// one an older Outlay left readable by others is made private. An empty file is refused:
/// SQLite would take it for a new database, and a lost profile for a new one.
fn prepare_file(path: &Path) -> Result<bool> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(AppError::CannotOpen),
        Ok(meta) if meta.len() == 0 && !has_wal(path) => Err(AppError::EmptyDataFile),
        Ok(meta) => {
            make_private(path, &meta);
            for suffix in ["-wal", "-shm"] {
                let mut beside = path.as_os_str().to_owned();
                beside.push(suffix);
                if let Ok(meta) = std::fs::metadata(&beside) {
                    make_private(Path::new(&beside), &meta);
                }
            }
            Ok(false)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut new = std::fs::OpenOptions::new();
            new.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut new, 0o600);
            new.open(path).map_err(|e| file_error(&e))?;
            Ok(true)
        }
        Err(e) => Err(file_error(&e)),
    }
}

/// A consistent copy of the database in `dest`: `VACUUM INTO` reads one snapshot (writers
/// go on meanwhile) into a file created first, private to the user, under a temporary name;
/// synced and renamed once complete, so `dest` is whole or absent, also after a crash.
async fn back_up_into(pool: &SqlitePool, dest: &Path) -> Result<()> {
    let io = |e: std::io::Error| file_error(&e);
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial); // left by a backup that was cut short
    let mut new = std::fs::OpenOptions::new();
    new.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut new, 0o600);
    drop(new.open(&partial).map_err(io)?);
    let written = async {
        let target = partial.to_str().ok_or_else(|| {
            AppError::invalid("folder", "Pick a backup folder whose name is plain text.")
        })?;
        sqlx::query("VACUUM INTO ?1")
            .bind(target)
            .execute(pool)
            .await?;
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        std::fs::rename(&partial, dest).map_err(io)?;
        // The rename itself reaches the disk with the folder's entry.
        #[cfg(unix)]
        if let Some(folder) = dest.parent() {
            std::fs::File::open(folder)
                .and_then(|f| f.sync_all())
                .map_err(io)?;
        }
        Ok(())
    }
    .await;
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Whether a migration is about to change an existing profile's schema (a newer Outlay
/// opening an older file): the moment to take a backup first.
async fn migration_pending(pool: &SqlitePool) -> Result<bool> {
    let applied: Vec<i64> =
        match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await
        {
            Ok(applied) => applied,
            // No such table: a new file, nothing to keep.
            Err(sqlx::Error::Database(e)) if e.message().contains("no such table") => {
                return Ok(false)
            }
            Err(e) => return Err(e.into()),
        };
    Ok(MIGRATOR
        .iter()
        .any(|m| m.migration_type.is_up_migration() && !applied.contains(&m.version)))
}

/// Whether the system lets this account write the file.
fn writable(path: &Path) -> bool {
    !std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .is_err_and(|e| {
            matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
        })
}

/// A new database's pages may all be in its write-ahead log until the first checkpoint.
fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).is_ok_and(|m| m.len() > 0)
}

#[cfg(unix)]
fn make_private(path: &Path, meta: &std::fs::Metadata) {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    // The owner's read and write bits stay as they are (a file made read-only stays so).
    if mode & !0o600 != 0 {
        // A read-only disk refuses; the file then stays as it was, and opening goes on.
        if let Err(e) =
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o600))
        {
            tracing::warn!(error = %e, "the data file could not be made private");
        }
    }
}

#[cfg(not(unix))]
fn make_private(_: &Path, _: &std::fs::Metadata) {}

/// The user's sentence for a data file the system would not create or read.
fn file_error(error: &std::io::Error) -> AppError {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::StorageFull => AppError::DiskFull,
        ErrorKind::ReadOnlyFilesystem => AppError::ReadOnly,
        ErrorKind::PermissionDenied => AppError::ReadOnly,
        _ => AppError::CannotOpen,
    }
}

/// Whether a connection given back to the pool can serve the next request. When SQLite
/// undoes a transaction itself (the disk filled up, an I/O error), sqlx's own rollback then
/// fails and its count of open transactions stays at one: every later `BEGIN` on that
/// connection would fail ("non-zero transaction depth") long after the disk has room again.
/// Such a connection is closed, and the pool opens a fresh one.
async fn still_usable(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    // The common release (a committed or never-begun transaction): nothing to wait for.
    if !sqlx::Connection::is_in_transaction(conn) {
        return Ok(true);
    }
    // A dropped transaction queued its rollback: a ping runs after it, settling the count.
    sqlx::Connection::ping(conn).await?;
    Ok(!sqlx::Connection::is_in_transaction(conn))
}

async fn begin_write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, Sqlite>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

crate::store::shared::user_store!(SqliteUser);

fn is_unique_violation(error: &sqlx::Error, index: &str) -> bool {
    matches!(error, sqlx::Error::Database(db)
        if db.is_unique_violation() && db.message().contains(index))
}

fn category_conflict(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "categories_name_key") {
        return AppError::Conflict("A category with that name already exists there.".into());
    }
    AppError::from(error)
}

/// A category rule the database refused: its text has a rule already, or its category is
/// not the user's.
fn rule_error(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "category_rules.folded") {
        return AppError::Conflict("There is a rule for that text already.".into());
    }
    if matches!(&error, sqlx::Error::Database(db) if db.is_foreign_key_violation()) {
        return AppError::invalid("categoryId", "Pick one of your categories.");
    }
    AppError::from(error)
}

fn currency(row: &SqliteRow, column: &str) -> Result<Currency> {
    Currency::parse(&row.try_get::<String, _>(column)?)
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

/// Appends `AND column IN (…)` with bound ids.
fn push_in(builder: &mut QueryBuilder<Sqlite>, column: &str, ids: &[Uuid]) {
    builder.push(format_args!(" AND {column} IN ("));
    let mut list = builder.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    builder.push(")");
}

async fn insert_tags(tx: &mut SqliteConnection, user: Uuid, expense: &Expense) -> Result<()> {
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

async fn insert_category(tx: &mut SqliteConnection, user: Uuid, category: &Category) -> Result<()> {
    sqlx::query(
        r#"
        INSERT INTO categories (id, user_id, parent_id, name, colour, archived, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        "#,
    )
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
