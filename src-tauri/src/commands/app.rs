//! Facts about the running app itself.

use crate::database::Database;
use crate::startup::Startup;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// What the UI shows in its "about" corner.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version, as bundled (from Cargo.toml).
    pub version: String,
    /// Where the data is kept, so a user can find and back it up.
    pub database_path: String,
    /// How long this start took until the first screen showed its data (see startup.rs).
    pub started_in_ms: Option<u64>,
}

#[tauri::command]
pub fn app_info<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    startup: State<'_, Startup>,
) -> AppInfo {
    AppInfo {
        version: app.package_info().version.to_string(),
        database_path: database.location(),
        started_in_ms: startup
            .took()
            .map(|took| u64::try_from(took.as_millis()).unwrap_or(u64::MAX)),
    }
}

/// The page calls this once, after the first frame of its first screen with data in it.
#[tauri::command]
pub fn app_started(startup: State<'_, Startup>, screen: String) {
    startup.shown(&screen);
}
