//! The release builds both apps are measured on, and the cached bench profile.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{cargo, step, ui};

/// Bump when bench-prepare's data changes, so cached profiles are made again.
const DATA_VERSION: u32 = 1;

pub struct Binaries {
    pub outlay: PathBuf,
    pub window: PathBuf,
    pub prepare: PathBuf,
}

/// Builds the UI, then Outlay and the yardstick in release mode with `custom-protocol`, which
/// the Tauri CLI turns on for bundles: without it the app would look for a dev server.
///
/// Two cargo runs, not one: built together, the yardstick's dependencies would add features
/// to Outlay's (cargo unifies them), and the Outlay measured would not be the one shipped.
pub fn release(root: &Path) -> Result<Binaries, String> {
    ui::ensure_packages(root)?;
    ui::build(root)?;
    for package in ["outlay", "bench-window"] {
        step::status(
            cargo(root).args([
                "build",
                "--release",
                "-p",
                package,
                "--features",
                "custom-protocol",
            ]),
            &format!("cargo build --release -p {package}"),
        )?;
    }
    let dir = root.join("target").join("release");
    Ok(Binaries {
        outlay: dir.join("outlay"),
        window: dir.join("bench-window"),
        prepare: dir.join("bench-prepare"),
    })
}

/// The data dir with the bench user and `rows` expenses, made once per size, month (the
/// expenses end today, so the dashboard's month has its share) and schema (a newer migration
/// could otherwise run on 10⁶ rows inside a timed start) under target/bench/desktop/.
pub fn profile(root: &Path, binaries: &Binaries, rows: u64) -> Result<PathBuf, String> {
    let cache = root.join("target/bench/desktop");
    let schema = newest_migration(root)?;
    let dir = cache.join(format!(
        "data-{rows}-{}-{schema}-v{DATA_VERSION}",
        year_month()
    ));
    let complete = dir.join("complete");
    if complete.exists() {
        println!("reusing the profile in {}", dir.display());
        return Ok(dir);
    }
    // Made under another name and renamed when whole, so an interrupted run is not reused.
    let partial = cache.join("data-partial");
    let _ = std::fs::remove_dir_all(&partial);
    let _ = std::fs::remove_dir_all(&dir);
    step::status(
        std::process::Command::new(&binaries.prepare)
            .args(["data", "--rows", &rows.to_string(), "--dir"])
            .arg(&partial),
        "bench-prepare data",
    )?;
    std::fs::write(partial.join("complete"), b"")
        .and_then(|()| std::fs::rename(&partial, &dir))
        .map_err(|error| format!("keeping the profile in {}: {error}", dir.display()))?;
    Ok(dir)
}

/// The version of the newest SQLite migration ("20261125000001").
fn newest_migration(root: &Path) -> Result<String, String> {
    let dir = root.join("migrations/sqlite");
    std::fs::read_dir(&dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let version = name.split('_').next()?;
            version
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| version.to_owned())
        })
        .max()
        .ok_or(format!("no migrations in {}", dir.display()))
}

/// "2026-11", from the system clock, in UTC.
fn year_month() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 86_400) as i64;
    let (year, month, _) = civil_from_days(days);
    format!("{year:04}-{month:02}")
}

/// Howard Hinnant's days-to-civil-date algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_since_1970_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_782), (2026, 11, 25));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
