//! WAL checkpoints off the write path.
//!
//! By default SQLite checkpoints inside the commit that takes the WAL past 1000 pages: that
//! commit copies the WAL into the database file and syncs it, so about one add in a hundred
//! took several times as long as the others (the add's p99). Outlay's connections turn the
//! automatic checkpoint off, and this task runs a PASSIVE checkpoint once a second on a pooled
//! connection instead; readers and writers go on meanwhile, and a checkpoint with nothing to
//! copy costs next to nothing. The last connection to close checkpoints whatever is left.

use sqlx::SqlitePool;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the WAL is copied back into the database file.
const EVERY: Duration = Duration::from_secs(1);

/// The checkpointing task; stops when dropped (with its store).
pub(super) struct Checkpointer(JoinHandle<()>);

impl Checkpointer {
    pub(super) fn start(pool: SqlitePool) -> Self {
        Checkpointer(tokio::spawn(async move {
            let mut ticks = tokio::time::interval(EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if pool.is_closed() {
                    return;
                }
                // A busy or failed checkpoint is tried again at the next tick; the WAL only
                // grows meanwhile, nothing is lost.
                let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await;
            }
        }))
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::super::SqliteStore;
    use std::time::Duration;

    /// With the automatic checkpoint off, only this task moves pages from the WAL into the
    /// database file: the schema the store just wrote must get there while the store is open.
    #[tokio::test]
    async fn the_wal_is_copied_into_the_database_while_the_store_is_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outlay.db");
        let store = SqliteStore::open(&path).await.unwrap();
        let size = || std::fs::metadata(&path).map_or(0, |m| m.len());
        let schema_pages = 20 * 4096;
        // Polled, not timed: the first checkpoint runs as the store opens, the next a second
        // later; half a minute leaves room for a loaded machine.
        for _ in 0..300 {
            if size() >= schema_pages {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            size() >= schema_pages,
            "the database file is still {} bytes",
            size()
        );
        drop(store);
    }
}
