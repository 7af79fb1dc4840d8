//! The global shortcut that opens quick-add from anywhere. The user can change it in the
//! settings; the choice is kept in `preferences.json` beside the database.

use std::path::Path;
use std::str::FromStr;

use outlay_core::AppError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

use crate::{preferences, windows};

/// Out of the way of common editor and browser shortcuts.
pub const DEFAULT: &str = "CommandOrControl+Alt+E";

/// The plugin, with the handler every registered shortcut runs.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            if event.state() == ShortcutState::Pressed {
                windows::open_quick_add(app);
            }
        })
        .build()
}

/// The saved shortcut, or the default.
pub fn saved(data_dir: &Path) -> String {
    preferences::load(data_dir)
        .quick_add_shortcut
        .unwrap_or_else(|| DEFAULT.to_owned())
}

/// Registers the saved shortcut at start-up. Failing is not fatal (another app may hold the
/// keys, or the desktop may not allow global shortcuts): the settings show it.
pub fn register_saved<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) {
    let shortcut = saved(data_dir);
    if let Err(error) = register(app, &shortcut) {
        tracing::warn!("the quick-add shortcut {shortcut} is not available: {error}");
    }
}

/// Replaces the registered shortcut with `text` ("Ctrl+Alt+E") and saves it.
pub fn change<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
    text: &str,
) -> Result<String, AppError> {
    let new = parse(text)?;
    let old = saved(data_dir);
    let shortcuts = app.global_shortcut();
    if let Ok(old) = Shortcut::from_str(&old) {
        let _ = shortcuts.unregister(old);
    }
    if let Err(error) = shortcuts.register(new) {
        // Put the old one back so the user is not left without any.
        let _ = register(app, &old);
        return Err(AppError::invalid(
            "shortcut",
            format!("{text} cannot be used: {error}. Another app may have it."),
        ));
    }
    let mut saved = preferences::load(data_dir);
    saved.quick_add_shortcut = Some(text.trim().to_owned());
    preferences::save(data_dir, &saved)?;
    Ok(text.trim().to_owned())
}

fn parse(text: &str) -> Result<Shortcut, AppError> {
    Shortcut::from_str(text.trim()).map_err(|_| {
        AppError::invalid(
            "shortcut",
            "Type a shortcut such as Ctrl+Alt+E: modifiers, then one key, joined by +.",
        )
    })
}

fn register<R: Runtime>(app: &AppHandle<R>, text: &str) -> Result<(), AppError> {
    let shortcut = parse(text)?;
    app.global_shortcut()
        .register(shortcut)
        .map_err(|error| AppError::invalid("shortcut", error.to_string()))
}
