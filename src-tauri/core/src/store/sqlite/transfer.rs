//! Import and export on SQLite: import in batched multi-row inserts (bank references with
//! the expenses, budgets evaluated before the commit), export read on the C API, duplicate
//! keys.

use super::alerts::SqliteLedger;
use super::export_rows;
use super::{insert_category, SqliteUser};
use crate::alerts::{evaluate_with, Alert, PastPeriods, SpendChange};
use crate::categories::Category;
use crate::error::Result;
use crate::expenses::{Expense, ExpenseQuery};
use crate::store::sql::Dialect;
use crate::store::{ExpenseKey, ExportRow, TransferStore};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{QueryBuilder, Sqlite};
use std::ffi::CStr;
use uuid::Uuid;

/// The export's columns (see export_rows.rs), in the order of `export_order`.
const EXPORT_ROWS: &CStr = c"SELECT e.spent_on, e.amount_minor, e.currency, e.category_id, \
    e.description, e.payment_method, \
    (SELECT group_concat(t.tag, ' ') FROM expense_tags t WHERE t.expense_id = e.id) \
    FROM temp.export_order o JOIN expenses e ON e.rowid = o.expense ORDER BY o.rowid";

/// The database file mapped while an export reads it, up to SQLite's own limit (2 GiB in
/// the bundled build); address space, not memory.
const MAP_FOR_EXPORT: &str = "PRAGMA mmap_size = 2147418112";

/// Expenses per INSERT: 10 bound values each, under SQLite's 32 766.
const EXPENSE_BATCH: usize = 3000;
/// Tags per INSERT: 3 bound values each.
const TAG_BATCH: usize = 10_000;
/// Bank references per INSERT: 3 bound values each.
const REFERENCE_BATCH: usize = 10_000;

#[async_trait::async_trait]
impl TransferStore for SqliteUser {
    async fn import(
        &self,
        categories: &[Category],
        expenses: &[Expense],
        references: &[(Uuid, String)],
        now: DateTime<Utc>,
        past: PastPeriods,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Vec<Alert>> {
        let mut conn = self.pool.acquire().await?;
        let rows = Imported {
            categories,
            expenses,
            references,
        };
        let imported =
            import_in_one_transaction(&mut conn, self.user, rows, now, past, progress).await;
        if imported.is_err() {
            // SQLite may have rolled the transaction back itself (`OR ROLLBACK`, a full disk)
            // without sqlx knowing: this connection's idea of its transaction could be off, so
            // it is closed rather than handed to the next write.
            let _ = sqlx::Connection::close(conn.detach()).await;
        }
        imported
    }

    async fn export(
        &self,
        query: &ExpenseQuery,
        sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
    ) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        // The export reads every page of the user's expenses once: mapped, the kernel reads
        // ahead and SQLite copies nothing (docs/performance.md).
        // Only for the export, and unmapped again after it: a mapped file turns a failing
        // disk's read error into a crash instead of an error the app can report.
        sqlx::query(MAP_FOR_EXPORT).execute(&mut *conn).await?;
        let written = export_rows(&mut conn, self.user, query, sink).await;
        if sqlx::query("PRAGMA mmap_size = 0")
            .execute(&mut *conn)
            .await
            .is_err()
        {
            let _ = sqlx::Connection::close(conn.detach()).await;
        }
        written
    }

    async fn live_expense_keys(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ExpenseKey>> {
        let mut query = Sqlite::live_expense_keys(self.owner(), from, to);
        Ok(query.build_query_as().fetch_all(&self.pool).await?)
    }
}

/// Writes the matching expenses to `sink` in one snapshot.
async fn export_rows(
    conn: &mut sqlx::SqliteConnection,
    user: Uuid,
    query: &ExpenseQuery,
    sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
) -> Result<u64> {
    // One snapshot for both statements; a temporary table lives and dies with it.
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    // The matching expenses in export order, filtered by sqlx with bound values, so the
    // read loop on the C API (export_rows.rs) runs constant SQL.
    let mut order = QueryBuilder::<Sqlite>::new(
        "CREATE TEMP TABLE export_order AS SELECT e.rowid AS expense FROM expenses e \
         WHERE e.user_id = ",
    );
    order.push_bind(user).push(" AND e.deleted_at IS NULL");
    Sqlite::push_filters(&mut order, query);
    order.push(" ORDER BY e.spent_on, e.id");
    order.build().execute(&mut *tx).await?;
    let written = {
        let mut handle = tx.lock_handle().await?;
        export_rows::for_each(handle.as_raw_handle(), EXPORT_ROWS, sink)
    };
    // Read-only but for the temporary table: rolling back drops it.
    tx.rollback().await?;
    written
}

/// What one import saves.
#[derive(Clone, Copy)]
struct Imported<'a> {
    categories: &'a [Category],
    expenses: &'a [Expense],
    /// (expense id, the bank's reference).
    references: &'a [(Uuid, String)],
}

/// The import's whole write: rows, then budgets evaluated, then one commit.
async fn import_in_one_transaction(
    conn: &mut sqlx::SqliteConnection,
    user: Uuid,
    rows: Imported<'_>,
    now: DateTime<Utc>,
    past: PastPeriods,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Vec<Alert>> {
    let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
    // Foreign keys checked once at the commit, and `OR ROLLBACK` on the inserts: a failure
    // undoes the whole import anyway, so SQLite need not journal each statement's pages to
    // undo that statement alone (an eighth of the import's time at a million rows).
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    insert_all(&mut tx, user, rows, progress).await?;
    let mut ledger = SqliteLedger {
        conn: &mut tx,
        user,
    };
    let changes = SpendChange::all_added(rows.expenses);
    let fired = evaluate_with(&mut ledger, &changes, now, past).await?;
    tx.commit().await?;
    Ok(fired)
}

/// Inserts the categories, then the expenses and their tags in batches, then the references.
async fn insert_all(
    tx: &mut sqlx::SqliteConnection,
    user: Uuid,
    rows: Imported<'_>,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<()> {
    for category in rows.categories {
        insert_category(&mut *tx, user, category).await?;
    }
    let mut saved = 0;
    for batch in rows.expenses.chunks(EXPENSE_BATCH) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            r#"INSERT OR ROLLBACK INTO expenses (id, user_id, category_id,
                amount_minor, currency, spent_on, description, payment_method, created_at,
                updated_at) "#,
        );
        insert.push_values(batch, |mut row, e| {
            row.push_bind(e.id)
                .push_bind(user)
                .push_bind(e.category_id)
                .push_bind(e.amount.minor)
                .push_bind(e.amount.currency.code())
                .push_bind(e.date)
                .push_bind(e.description.as_str())
                .push_bind(e.payment_method.as_deref())
                .push_bind(e.created_at)
                .push_bind(e.updated_at);
        });
        insert.build().execute(&mut *tx).await?;
        let tags: Vec<(Uuid, &str)> = batch
            .iter()
            .flat_map(|e| e.tags.iter().map(|t| (e.id, t.as_str())))
            .collect();
        for chunk in tags.chunks(TAG_BATCH) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT OR ROLLBACK INTO expense_tags (expense_id, user_id, tag) ",
            );
            insert.push_values(chunk, |mut row, (id, tag)| {
                row.push_bind(*id).push_bind(user).push_bind(*tag);
            });
            insert.build().execute(&mut *tx).await?;
        }
        saved += batch.len() as u64;
        progress(saved);
    }
    for chunk in rows.references.chunks(REFERENCE_BATCH) {
        // OR IGNORE: a reference known already stays with its first expense (see
        // `TransferStore::import`). It skips only rows that break the key: a reference to no
        // expense still fails the import, at the commit (foreign keys are deferred).
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO bank_references (user_id, reference, expense_id) ",
        );
        insert.push_values(chunk, |mut row, (expense, reference)| {
            row.push_bind(user)
                .push_bind(reference.as_str())
                .push_bind(*expense);
        });
        insert.build().execute(&mut *tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::SqliteStore;
    use crate::expenses::ExpenseQuery;
    use crate::store::TransferStore;
    use uuid::Uuid;

    /// The export maps the database file only while it reads: every connection the pool hands
    /// out afterwards reads through SQLite's own cache again.
    #[tokio::test]
    async fn the_export_unmaps_the_file_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("outlay.db"))
            .await
            .unwrap();
        let user = store.signed_in(Uuid::now_v7());
        let exported = user
            .export(&ExpenseQuery::default(), &mut |_| Ok(()))
            .await
            .unwrap();
        assert_eq!(exported, 0);
        let mut held = Vec::new();
        for _ in 0..store.pool.size() {
            let mut conn = store.pool.acquire().await.unwrap();
            let mapped: i64 = sqlx::query_scalar("PRAGMA mmap_size")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(mapped, 0);
            held.push(conn);
        }
        assert!(!held.is_empty());
    }
}
