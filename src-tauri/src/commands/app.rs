//! Facts about the running app itself.

use crate::database::Database;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// What the UI shows in its "about" corner.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version, as bundled (from Cargo.toml).
    pub version: String,
    /// Where the data is kept, so a user can find and back it up.
    pub database_path: String,
}

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, database: State<'_, Database>) -> AppInfo {
    AppInfo {
        version: app.package_info().version.to_string(),
        database_path: database.location(),
    }
}
