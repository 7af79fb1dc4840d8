//! Where the database lives, and opening it at start-up.

use std::error::Error;
use std::path::Path;

use outlay_core::Outlay;
use tauri::{App, Manager, Runtime};

/// The SQLite file inside the data dir.
const DATABASE_FILE: &str = "outlay.db";

/// Opens (creating and migrating if need be) the database in `data_dir`, or in the OS
/// app-data dir when `data_dir` is `None`. The error is a sentence for the user.
pub fn open<R: Runtime>(app: &App<R>, data_dir: Option<&Path>) -> Result<Outlay, String> {
    let dir = match data_dir {
        Some(dir) => dir.to_path_buf(),
        None => app
            .path()
            .app_data_dir()
            .map_err(|error| format!("Outlay could not find its data folder: {error}"))?,
    };
    std::fs::create_dir_all(&dir).map_err(|error| {
        format!(
            "Outlay could not create its data folder {}: {error}",
            dir.display()
        )
    })?;

    let path = dir.join(DATABASE_FILE);
    // Setup runs on the main thread inside the event loop; opening the pool on Tauri's own
    // async runtime keeps the pool's background tasks on the runtime the commands use.
    tauri::async_runtime::block_on(Outlay::open_sqlite(&path)).map_err(|error| {
        // The user sees the core's plain sentence; whoever reads the terminal gets the cause.
        let mut cause = error.source();
        while let Some(inner) = cause {
            eprintln!("caused by: {inner}");
            cause = inner.source();
        }
        format!(
            "Outlay could not open its database {}: {error}",
            path.display()
        )
    })
}
