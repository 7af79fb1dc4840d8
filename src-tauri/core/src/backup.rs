//! Backups of the local profile: whole, consistent copies of the data file taken while the
//! app goes on writing (SQLite's `VACUUM INTO` reads one snapshot), each written under a
//! temporary name, synced and then renamed, so a backup folder never holds half a backup.
//!
//! A backup's name says when and why it was taken (`outlay-20261202T180417Z-daily.db`), so
//! the folder alone is the list; [`prune`] keeps the newest of each of the last days, weeks
//! and months the [`Retention`] names.

use crate::error::{AppError, Result};
use crate::Outlay;
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Where backups go unless the user picks another folder: this, beside the data file.
pub const DEFAULT_FOLDER: &str = "backups";

const PREFIX: &str = "outlay-";
const SUFFIX: &str = ".db";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

/// Why a backup was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BackupReason {
    /// The daily backup.
    Daily,
    /// Before a new Outlay changed the file's schema.
    BeforeMigration,
    /// Before a restore replaced the file.
    BeforeRestore,
    /// Asked for by the user.
    Manual,
}

impl BackupReason {
    fn word(self) -> &'static str {
        match self {
            BackupReason::Daily => "daily",
            BackupReason::BeforeMigration => "before-migration",
            BackupReason::BeforeRestore => "before-restore",
            BackupReason::Manual => "manual",
        }
    }

    fn from_word(word: &str) -> Option<Self> {
        [
            BackupReason::Daily,
            BackupReason::BeforeMigration,
            BackupReason::BeforeRestore,
            BackupReason::Manual,
        ]
        .into_iter()
        .find(|r| r.word() == word)
    }
}

/// One backup in a folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    /// The backup file.
    pub path: PathBuf,
    /// When it was taken (from its name).
    pub taken_at: DateTime<Utc>,
    /// Why (from its name).
    pub reason: BackupReason,
    /// Its size.
    pub bytes: u64,
}

/// How many backups are kept: the newest of each of the last `daily` days, `weekly` weeks
/// and `monthly` months (a backup can count for all three). Backups taken before a
/// migration or a restore are kept apart: the newest `special` of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Days.
    pub daily: usize,
    /// ISO weeks.
    pub weekly: usize,
    /// Calendar months.
    pub monthly: usize,
    /// Backups from before a migration or a restore.
    pub special: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            daily: 7,
            weekly: 4,
            monthly: 12,
            special: 3,
        }
    }
}

/// The file name of a backup taken at `at` for `reason`.
pub fn file_name(at: DateTime<Utc>, reason: BackupReason) -> String {
    format!("{PREFIX}{}-{}{SUFFIX}", at.format(STAMP), reason.word())
}

fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupReason)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, word) = rest.split_once('-')?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some((at, BackupReason::from_word(word)?))
}

/// The backups in `folder`, newest first; none when the folder does not exist yet.
pub fn list(folder: &Path) -> Result<Vec<Backup>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(folder_error(folder, &e)),
    };
    let mut backups: Vec<Backup> = entries
        .flatten()
        .filter_map(|entry| {
            let (taken_at, reason) = parse_name(entry.file_name().to_str()?)?;
            let meta = entry.metadata().ok().filter(|m| m.is_file())?;
            Some(Backup {
                path: entry.path(),
                taken_at,
                reason,
                bytes: meta.len(),
            })
        })
        .collect();
    backups.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    Ok(backups)
}

/// Whether the daily backup is due: none taken in the last 24 hours.
pub fn daily_due(folder: &Path, now: DateTime<Utc>) -> Result<bool> {
    Ok(list(folder)?
        .iter()
        .all(|b| now - b.taken_at >= chrono::Duration::hours(24)))
}

/// The day, week or month a backup falls in, as (year, number).
type PeriodOf = fn(&DateTime<Utc>) -> (i32, u32);

/// Deletes the backups `retention` does not keep; returns what was deleted.
pub fn prune(folder: &Path, retention: Retention) -> Result<Vec<PathBuf>> {
    let backups = list(folder)?;
    let (special, regular): (Vec<&Backup>, Vec<&Backup>) = backups.iter().partition(|b| {
        matches!(
            b.reason,
            BackupReason::BeforeMigration | BackupReason::BeforeRestore
        )
    });
    let mut kept: HashSet<&Path> = special
        .iter()
        .take(retention.special)
        .map(|b| b.path.as_path())
        .collect();
    // Newest first: the first backup met in a day, week or month is that period's newest.
    let periods: [(usize, PeriodOf); 3] = [
        (retention.daily, |at| (at.year(), at.ordinal())),
        (retention.weekly, |at| {
            let week = at.iso_week();
            (week.year(), week.week())
        }),
        (retention.monthly, |at| (at.year(), at.month())),
    ];
    for (count, period_of) in periods {
        let mut seen = Vec::new();
        for backup in &regular {
            let period = period_of(&backup.taken_at);
            if !seen.contains(&period) {
                if seen.len() == count {
                    break;
                }
                seen.push(period);
                kept.insert(backup.path.as_path());
            }
        }
    }
    let mut deleted = Vec::new();
    for backup in &backups {
        if !kept.contains(backup.path.as_path()) {
            std::fs::remove_file(&backup.path).map_err(|e| folder_error(folder, &e))?;
            deleted.push(backup.path.clone());
        }
    }
    Ok(deleted)
}

impl Outlay {
    /// Takes a backup of the local profile into `folder` (created, private to the user),
    /// consistent however many writes go on meanwhile. A server profile is backed up by
    /// its server's administrator: that is [`AppError::Invalid`] here.
    pub async fn back_up(&self, folder: &Path, reason: BackupReason) -> Result<Backup> {
        create_private_folder(folder)?;
        // To the second, as its name keeps it.
        let taken_at = self
            .clock
            .now()
            .with_nanosecond(0)
            .unwrap_or(self.clock.now());
        let path = folder.join(file_name(taken_at, reason));
        self.store.back_up_into(&path).await?;
        let bytes = std::fs::metadata(&path)
            .map_err(|e| folder_error(folder, &e))?
            .len();
        tracing::info!(path = %path.display(), bytes, "backup taken");
        Ok(Backup {
            path,
            taken_at,
            reason,
            bytes,
        })
    }
}

/// Creates `folder` if needed, readable by the user only on Unix: backups hold everything
/// the data file does.
pub fn create_private_folder(folder: &Path) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| folder_error(folder, &e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| folder_error(folder, &e))?;
    }
    Ok(())
}

fn folder_error(folder: &Path, error: &std::io::Error) -> AppError {
    match error.kind() {
        std::io::ErrorKind::StorageFull => AppError::DiskFull,
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            AppError::invalid(
                "folder",
                format!("The backup folder {} cannot be written.", folder.display()),
            )
        }
        _ => AppError::Internal(format!(
            "The backup folder {} could not be used: {error}",
            folder.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        format!("{text}T03:00:00Z").parse().unwrap()
    }

    #[test]
    fn names_say_when_and_why() {
        let name = file_name(at("2026-12-02"), BackupReason::BeforeMigration);
        assert_eq!(name, "outlay-20261202T030000Z-before-migration.db");
        assert_eq!(
            parse_name(&name),
            Some((at("2026-12-02"), BackupReason::BeforeMigration))
        );
        assert_eq!(parse_name("outlay.db"), None);
        assert_eq!(parse_name("outlay-20261202T030000Z-daily.db.part"), None);
    }

    #[test]
    fn a_years_daily_backups_thin_out_to_days_weeks_and_months() {
        let dir = tempfile::tempdir().unwrap();
        let mut day = at("2026-01-01");
        while day <= at("2026-12-02") {
            let name = file_name(day, BackupReason::Daily);
            std::fs::write(dir.path().join(name), b"backup").unwrap();
            day += chrono::Duration::days(1);
        }
        for (i, reason) in [BackupReason::BeforeMigration; 5].into_iter().enumerate() {
            let name = file_name(at("2026-06-01") + chrono::Duration::hours(i as i64), reason);
            std::fs::write(dir.path().join(name), b"backup").unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), b"not a backup").unwrap();
        prune(dir.path(), Retention::default()).unwrap();
        let kept: Vec<String> = list(dir.path())
            .unwrap()
            .iter()
            .filter(|b| b.reason == BackupReason::Daily)
            .map(|b| b.taken_at.format("%Y-%m-%d").to_string())
            .collect();
        // 7 days (26 Nov – 2 Dec); the ISO weeks' newest: 2 Dec, 29 Nov (a Sunday), 22 and
        // 15 Nov; the months' newest: 2 Dec, 30 Nov, then the last day of Oct back to Jan.
        assert_eq!(
            kept[..7],
            [
                "2026-12-02",
                "2026-12-01",
                "2026-11-30",
                "2026-11-29",
                "2026-11-28",
                "2026-11-27",
                "2026-11-26"
            ]
        );
        assert!(kept.contains(&"2026-11-22".to_owned()) && kept.contains(&"2026-11-15".to_owned()));
        assert!(kept.contains(&"2026-01-31".to_owned()), "{kept:?}");
        assert!(!kept.contains(&"2026-11-25".to_owned()), "{kept:?}");
        // 7 days + 2 more weeks + 10 more months (Jan–Oct; Nov's newest is 30 Nov).
        assert_eq!(kept.len(), 7 + 2 + 10, "{kept:?}");
        let special = list(dir.path())
            .unwrap()
            .iter()
            .filter(|b| b.reason == BackupReason::BeforeMigration)
            .count();
        assert_eq!(special, 3);
        assert!(
            dir.path().join("notes.txt").exists(),
            "only backups are pruned"
        );
    }

    #[test]
    fn the_daily_backup_is_due_after_a_day() {
        let dir = tempfile::tempdir().unwrap();
        assert!(daily_due(dir.path(), at("2026-12-02")).unwrap());
        std::fs::write(
            dir.path()
                .join(file_name(at("2026-12-02"), BackupReason::Daily)),
            b"x",
        )
        .unwrap();
        assert!(!daily_due(dir.path(), at("2026-12-02") + chrono::Duration::hours(23)).unwrap());
        assert!(daily_due(dir.path(), at("2026-12-03")).unwrap());
    }
}
