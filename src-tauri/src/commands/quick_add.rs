//! The quick-add window and its global shortcut.

use crate::database::Database;
use crate::{shortcut, windows};
use outlay_core::AppError;
use tauri::{AppHandle, Runtime, State};

/// Opens the quick-add window (the tray and the global shortcut do the same).
#[tauri::command]
pub fn open_quick_add<R: Runtime>(app: AppHandle<R>) {
    windows::open_quick_add(&app);
}

/// The global shortcut that opens quick-add.
#[tauri::command]
pub fn quick_add_shortcut(database: State<'_, Database>) -> String {
    shortcut::saved(database.data_dir())
}

/// Changes the global shortcut; answers the one now in use.
#[tauri::command]
pub fn set_quick_add_shortcut<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    shortcut: String,
) -> Result<String, AppError> {
    shortcut::change(&app, database.data_dir(), &shortcut)
}
