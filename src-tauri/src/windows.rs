//! The app's windows. Their look is declared in tauri.conf.json with `"create": false`, so
//! they open only once what their pages need is in place.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime, WebviewWindowBuilder};

/// The label of the main window, as in tauri.conf.json and src-tauri/capabilities/main.json.
const MAIN: &str = "main";

/// Opens the main window as tauri.conf.json describes it. With an explicit `data_dir` the
/// webview keeps its storage (cache, local storage) there too, so that profile shares nothing
/// with the default one.
pub fn open_main<R: Runtime, M: Manager<R>>(
    manager: &M,
    data_dir: Option<&Path>,
) -> Result<(), String> {
    let config = manager
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN)
        .ok_or("tauri.conf.json declares no main window")?;
    let mut window = WebviewWindowBuilder::from_config(manager.app_handle(), config)
        .map_err(|error| format!("Outlay could not open its window: {error}"))?;
    if let Some(dir) = data_dir {
        window = window.data_directory(dir.join("webview"));
    }
    window
        .build()
        .map(|_| ())
        .map_err(|error| format!("Outlay could not open its window: {error}"))
}

/// Brings the main window to the front, e.g. when the user launches Outlay a second time.
pub fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        // Each step can fail on some window managers; focusing is best effort.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
