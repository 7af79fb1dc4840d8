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
