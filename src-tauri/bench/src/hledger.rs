//! The same report from hledger, the plain-text accounting tool people compare with.

use chrono::NaiveDate;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Times `hledger bal` by month over the twelve months from `first` to `until` (exclusive) on
/// `journal`: the same question as Outlay's spending report. `None` when hledger is missing.
pub fn time_report(
    journal: &Path,
    first: NaiveDate,
    until: NaiveDate,
) -> Result<Option<Duration>, String> {
    let mut command = Command::new("hledger");
    command
        .arg("-f")
        .arg(journal)
        .args(["bal", "expenses", "--monthly", "-b"])
        .arg(first.to_string())
        .arg("-e")
        .arg(until.to_string());
    let started = Instant::now();
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("could not run hledger: {e}")),
    };
    let took = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "hledger failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(Some(took))
}
