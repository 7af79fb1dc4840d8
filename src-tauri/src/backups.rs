//! The daily backup of the local profile, taken in the background: a minute after start-up
//! (so the first screen is not kept waiting on the disk) when the newest backup is a day
//! old, then checked every hour while Outlay runs in the window or the tray. Backups go to
//! `backups/` in the data folder and are pruned to [`Retention::default`].

use crate::connection::Connection;
use crate::database::Database;
use outlay_core::backup::{self, BackupReason, Retention, DEFAULT_FOLDER};
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};

const FIRST_CHECK: Duration = Duration::from_secs(60);
const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// Runs for as long as the app does.
pub async fn keep_daily<R: Runtime>(app: AppHandle<R>) {
    tokio::time::sleep(FIRST_CHECK).await;
    loop {
        if let Err(error) = back_up_if_due(&app).await {
            // Tried again at the next check; the data file itself is untouched.
            tracing::warn!(%error, "the daily backup could not be taken");
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}

async fn back_up_if_due<R: Runtime>(app: &AppHandle<R>) -> outlay_core::Result<()> {
    let database = app.state::<Database>();
    if !matches!(database.status(), (Connection::Local, None)) {
        return Ok(()); // a server's data is backed up on the server
    }
    let folder = database.data_dir().join(DEFAULT_FOLDER);
    if !backup::daily_due(&folder, chrono::Utc::now())? {
        return Ok(());
    }
    let outlay = database.outlay()?;
    outlay.back_up(&folder, BackupReason::Daily).await?;
    let pruned = backup::prune(&folder, Retention::default())?;
    tracing::info!(pruned = pruned.len(), "daily backup taken");
    Ok(())
}
