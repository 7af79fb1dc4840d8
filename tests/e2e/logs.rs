//! The app's log, read after a journey: it exists (`<data dir>/logs/outlay.<date>.log` for
//! the separate profile the tests give the app), holds the cause of a storage error, and
//! none of the secrets the journey typed.

use crate::harness::Desktop;
use crate::steps::Step;
use std::path::Path;

/// The cause SQLite gives for the expense write broken by [`break_expense_writes`]: it
/// reaches the log, never the window.
pub const PROVOKED: &str = "e2e-provoked storage failure";

/// Every log file of the app's profile, oldest first, as one text; an error when there is
/// none.
pub fn text(data_dir: &Path) -> Step<String> {
    let dir = data_dir.join("logs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("no log folder at {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("outlay.") && name.ends_with(".log")
        })
        .collect();
    if files.is_empty() {
        return Err(format!("no log file in {}", dir.display()));
    }
    files.sort();
    let mut text = String::new();
    for file in files {
        text.push_str(&std::fs::read_to_string(&file).map_err(|e| e.to_string())?);
    }
    Ok(text)
}

/// Fails naming the first of `secrets` found in the log, and keeps a copy of the log as
/// target/e2e-screenshots/`record`.log either way.
pub fn holds_no_secret(d: &Desktop, record: &str, secrets: &[&str]) -> Step<String> {
    let log = text(d.data_dir())?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{record}.log")), &log);
    for secret in secrets {
        assert!(!secret.is_empty(), "an empty secret proves nothing");
        if log.contains(secret) {
            return Err(format!("the log holds a secret the user typed: {secret:?}"));
        }
    }
    Ok(log)
}

/// Makes SQLite refuse every new expense with [`PROVOKED`] as its reason: a trigger added
/// from a second connection to the app's database file, as a damaged disk or another program
/// could break a write underneath the app. The app's connections see the new schema on their
/// next statement.
pub async fn break_expense_writes(data_dir: &Path) -> Step {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};

    let mut conn = SqliteConnectOptions::new()
        .filename(data_dir.join("outlay.db"))
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
        .map_err(|e| format!("could not open the app's database: {e}"))?;
    sqlx::query(
        "CREATE TRIGGER e2e_provoked_failure BEFORE INSERT ON expenses \
         BEGIN SELECT RAISE(ABORT, 'e2e-provoked storage failure'); END",
    )
    .execute(&mut conn)
    .await
    .map_err(|e| format!("could not add the failing trigger: {e}"))?;
    conn.close().await.map_err(|e| e.to_string())
}

/// With expense writes broken, a new expense shows the generic storage sentence, and the log
/// gets the real cause; the log holds none of `secrets`.
pub async fn a_storage_error_is_logged(d: &Desktop, record: &str, secrets: &[&str]) -> Step {
    break_expense_writes(d.data_dir()).await?;
    d.open("expenses").await?;
    d.click("#new-expense").await?;
    d.find("#expense-dialog[open]").await?;
    d.fill("#expense-amount", "1").await?;
    d.choose_label("#expense-category", "Groceries").await?;
    d.fill("#expense-description", "Never saved").await?;
    d.press_enter("#expense-description").await?;
    d.wait_text("#expense-error", "could not complete the request")
        .await?;
    let shown = d.text("#expense-error").await?;
    if shown.contains(PROVOKED) {
        return Err(format!("the window shows the internal cause: {shown:?}"));
    }
    d.screenshot("storage-error-light").await;

    let log = holds_no_secret(d, record, secrets)?;
    let cause = log
        .lines()
        .find(|line| line.contains(PROVOKED))
        .ok_or_else(|| format!("the log lacks the storage error's cause:\n{log}"))?;
    if !cause.contains("ERROR") || !cause.contains("kind=\"storage\"") {
        return Err(format!(
            "the cause is not logged as a storage error: {cause}"
        ));
    }
    Ok(())
}
