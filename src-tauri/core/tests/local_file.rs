//! The local data file in the conditions a user's machine meets: a full disk, a read-only
//! disk, a damaged or empty file, a folder in its place. Each gets its own clear error, loses
//! nothing, and the app works again once the cause is gone, without a restart.
//!
//! The full and read-only disks are real: a small tmpfs mounted for the test (root only;
//! `cargo xtask test` runs these as root and sets `OUTLAY_REQUIRE_TMPFS`, so there they fail
//! rather than skip).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed unwrap is a failed test, naming the error"
)]

use outlay_core::backup::BackupReason;
use outlay_core::expenses::{ExpenseFilter, ExpenseInput};
use outlay_core::{AppError, Outlay, Session};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const PASSWORD: &str = "correct horse battery";

/// A tmpfs of a few megabytes, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0700")])
            .arg("tmpfs")
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            return Some(SmallDisk { dir });
        }
        if std::env::var_os("OUTLAY_REQUIRE_TMPFS").is_some_and(|v| !v.is_empty()) {
            panic!("a tmpfs could not be mounted at {}", dir.path().display());
        }
        eprintln!("skipped: mounting a tmpfs needs root (OUTLAY_REQUIRE_TMPFS makes this fail)");
        None
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, how: &str) {
        let done = Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(done.success(), "remount {how}");
    }

    /// Writes a file until the disk has no room left.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        loop {
            if let Err(e) = file.write_all(&chunk) {
                assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
                break;
            }
        }
        // The last partial chunk too.
        while file.write(&chunk[..512]).is_ok_and(|n| n > 0) {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

async fn signed_up(path: &Path) -> (Outlay, Session) {
    let outlay = Outlay::open_sqlite(path).await.unwrap();
    let session = outlay
        .sign_up("disk@example.com", PASSWORD, "EUR")
        .await
        .unwrap();
    (outlay, session)
}

async fn add(outlay: &Outlay, session: &Session, i: usize) -> Result<(), AppError> {
    let category_id = outlay.categories(session).await?[0].id;
    let input = ExpenseInput {
        amount: format!("{}.{:02}", 1 + i % 90, i % 100),
        date: Some("2026-11-30".into()),
        category_id,
        description: format!("Saved on a full disk? number {i} {}", "x".repeat(200)),
        ..ExpenseInput::default()
    };
    outlay.add_expense(session, input).await.map(|_| ())
}

async fn count(outlay: &Outlay, session: &Session) -> usize {
    outlay
        .expense_totals(session, &ExpenseFilter::default())
        .await
        .unwrap()
        .iter()
        .map(|t| t.count as usize)
        .sum()
}

#[tokio::test]
async fn a_full_disk_fails_each_save_clearly_and_saves_work_again_once_there_is_room() {
    let Some(disk) = SmallDisk::mount(8) else {
        return;
    };
    let (outlay, session) = signed_up(&disk.path().join("outlay.db")).await;
    add(&outlay, &session, 0).await.unwrap();
    let filler = disk.fill();
    // A checkpoint may hand a few saves the room of a log it emptied: saves are tried until
    // 100 have failed.
    let (mut failed, mut tried) = (0, 0);
    while failed < 100 {
        tried += 1;
        assert!(
            tried <= 200,
            "only {failed} of {tried} saves failed on a full disk"
        );
        match add(&outlay, &session, tried).await {
            Err(AppError::DiskFull) => failed += 1,
            Ok(()) => {}
            Err(other) => panic!("save {tried}: not the full-disk message: {other:?}"),
        }
    }
    let saved = count(&outlay, &session).await;
    assert_eq!(
        saved,
        1 + tried - failed,
        "a failed save left nothing behind"
    );

    std::fs::remove_file(filler).unwrap();
    for i in 1..=100 {
        add(&outlay, &session, tried + i)
            .await
            .unwrap_or_else(|e| panic!("save {i} after space was freed: {e:?}"));
    }
    assert_eq!(count(&outlay, &session).await, saved + 100);
    outlay.close().await;
}

#[tokio::test]
async fn a_read_only_disk_is_named() {
    let Some(disk) = SmallDisk::mount(8) else {
        return;
    };
    let path = disk.path().join("outlay.db");
    let (outlay, session) = signed_up(&path).await;
    add(&outlay, &session, 0).await.unwrap();
    outlay.close().await;
    disk.remount("ro");
    let opened = Outlay::open_sqlite(&path).await;
    disk.remount("rw");
    match opened {
        Err(AppError::ReadOnly) => {}
        other => panic!("not the read-only message: {:?}", other.err()),
    }
}

#[tokio::test]
async fn damaged_empty_and_misplaced_files_each_get_their_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let open = |name: &str| {
        let path = dir.path().join(name);
        async move { Outlay::open_sqlite(&path).await.err() }
    };

    std::fs::write(dir.path().join("not-a-database.db"), vec![b'x'; 8192]).unwrap();
    assert!(matches!(
        open("not-a-database.db").await,
        Some(AppError::Corrupt)
    ));

    let (outlay, session) = signed_up(&dir.path().join("flipped.db")).await;
    add(&outlay, &session, 0).await.unwrap();
    outlay.close().await;
    let flipped = dir.path().join("flipped.db");
    let mut bytes = std::fs::read(&flipped).unwrap();
    // The header's page size field (bytes 16-17): a power of two no more.
    bytes[16] = 0x7f;
    std::fs::write(&flipped, bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("flipped.db-wal"));
    assert!(matches!(open("flipped.db").await, Some(AppError::Corrupt)));

    std::fs::write(dir.path().join("empty.db"), b"").unwrap();
    assert!(matches!(
        open("empty.db").await,
        Some(AppError::EmptyDataFile)
    ));
    assert_eq!(
        std::fs::metadata(dir.path().join("empty.db"))
            .unwrap()
            .len(),
        0
    );

    std::fs::create_dir(dir.path().join("folder.db")).unwrap();
    assert!(matches!(
        open("folder.db").await,
        Some(AppError::CannotOpen)
    ));

    assert!(matches!(
        open("no-such-folder/outlay.db").await,
        Some(AppError::CannotOpen)
    ));
}

/// Opens a backup as the app would restore it, and checks it: SQLite's integrity check, and
/// the per-day totals (kept by triggers) agreeing with the expenses themselves, which only
/// holds for a copy of one moment.
async fn check_backup(path: &Path) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
        .await
        .unwrap();
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let (count, sum): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(amount_minor), 0) FROM expenses WHERE deleted_at IS NULL",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let (total_count, total_sum): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(expense_count), 0), COALESCE(SUM(amount_minor), 0) \
         FROM expense_day_totals",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        (count, sum),
        (total_count, total_sum),
        "a copy of one moment"
    );
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_a_thousand_adds_is_one_consistent_moment() {
    let dir = tempfile::tempdir().unwrap();
    let (outlay, session) = signed_up(&dir.path().join("outlay.db")).await;
    let folder = dir.path().join("backups");
    // Four writers of 250 adds each, as fast as they go; the backup is taken after the
    // first 200 are saved, while the rest are being written.
    let saved = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (outlay, session, saved) = (outlay.clone(), session.clone(), saved.clone());
            tokio::spawn(async move {
                for i in 0..250 {
                    add(&outlay, &session, writer * 250 + i).await.unwrap();
                    saved.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            })
        })
        .collect();
    while saved.load(std::sync::atomic::Ordering::Relaxed) < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let backup = outlay.back_up(&folder, BackupReason::Manual).await.unwrap();
    let saved_by_then = saved.load(std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(count(&outlay, &session).await, 1000);
    let in_backup = check_backup(&backup.path).await as usize;
    assert!(
        // Up to one add per writer may have committed without being counted yet.
        (200..=saved_by_then + 4).contains(&in_backup),
        "{in_backup}: not a moment between the 200th add and the backup's end ({saved_by_then})"
    );
    eprintln!("the backup holds {in_backup} of the 1000 adds ({saved_by_then} when it ended)");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&backup.path), 0o600);
    }
    let listed = outlay_core::backup::list(&folder).unwrap();
    assert_eq!(listed, std::slice::from_ref(&backup));
    // A backup opens as a profile, with the user's sign-in.
    let restored = Outlay::open_sqlite(&backup.path).await.unwrap();
    restored
        .log_in("disk@example.com", PASSWORD, false)
        .await
        .unwrap();
    restored.close().await;
    outlay.close().await;
}

#[tokio::test]
async fn a_newer_outlay_backs_the_file_up_before_changing_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outlay.db");
    let (outlay, session) = signed_up(&path).await;
    add(&outlay, &session, 1).await.unwrap();
    outlay.close().await;
    // The file as the Outlay before bank statements left it.
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        for sql in [
            "DROP TABLE bank_references",
            "DROP TABLE category_rules",
            "DROP TABLE statement_layouts",
            "DELETE FROM _sqlx_migrations WHERE version = 20261202000001",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        conn.close().await.unwrap();
    }
    let folder = dir.path().join("backups");
    assert!(outlay_core::backup::list(&folder).unwrap().is_empty());
    let upgraded = Outlay::open_sqlite(&path).await.unwrap();
    let backups = outlay_core::backup::list(&folder).unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].reason, BackupReason::BeforeMigration);
    assert_eq!(check_backup(&backups[0].path).await, 1);
    let versions: Vec<i64> = {
        use sqlx::Connection;
        let mut conn =
            sqlx::SqliteConnection::connect(&format!("sqlite://{}", backups[0].path.display()))
                .await
                .unwrap();
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
            .fetch_all(&mut conn)
            .await
            .unwrap()
    };
    assert!(
        !versions.contains(&20261202000001),
        "the schema before the change"
    );
    upgraded.close().await;
    // Opened again, nothing is pending: no second backup.
    Outlay::open_sqlite(&path).await.unwrap().close().await;
    assert_eq!(outlay_core::backup::list(&folder).unwrap().len(), 1);
}
