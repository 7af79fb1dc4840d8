//! The app's windows. Their look is declared in tauri.conf.json with `"create": false`, so
//! they open only once what their pages need is in place.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime, WebviewWindowBuilder};

use crate::first_screen::FirstScreen;

/// The label of the main window, as in tauri.conf.json and src-tauri/capabilities/main.json.
pub const MAIN: &str = "main";

/// The label of the quick-add window (tauri.conf.json, capabilities/quick-add.json).
pub const QUICK_ADD: &str = "quick-add";

/// Where webviews keep their storage when the app runs on an explicit data dir.
pub struct WebviewData(pub Option<std::path::PathBuf>);

/// Opens the main window as tauri.conf.json describes it. With an explicit `data_dir` the
/// webview keeps its storage (cache, local storage) there too, so that profile shares nothing
/// with the default one.
pub fn open_main<R: Runtime, M: Manager<R>>(
    manager: &M,
    data_dir: Option<&Path>,
) -> Result<(), String> {
    open(manager.app_handle(), MAIN, data_dir)
        .map_err(|error| format!("Outlay could not open its window: {error}"))
}

/// Opens (or brings back) the small quick-add window, focused on its one line.
pub fn open_quick_add<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(QUICK_ADD) {
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let data_dir = app.try_state::<WebviewData>().and_then(|d| d.0.clone());
    if let Err(error) = open(app, QUICK_ADD, data_dir.as_deref()) {
        tracing::error!("the quick-add window did not open: {error}");
    }
}

/// Builds the window `label` as tauri.conf.json declares it.
fn open<R: Runtime>(
    app: &AppHandle<R>,
    label: &str,
    data_dir: Option<&Path>,
) -> Result<(), String> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == label)
        .ok_or_else(|| format!("tauri.conf.json declares no {label} window"))?;
    let mut window =
        WebviewWindowBuilder::from_config(app, config).map_err(|error| error.to_string())?;
    if let Some(dir) = data_dir {
        window = window.data_directory(dir.join("webview"));
    }
    if let (MAIN, Some(first_screen)) = (label, app.try_state::<FirstScreen>()) {
        let first_screen = first_screen.inner().clone();
        window = window.on_web_resource_request(move |request, response| {
            first_screen.serve(request, response);
        });
    }
    let window = window.build().map_err(|error| error.to_string())?;
    let _ = window.set_focus();
    Ok(())
}

/// Closing the main window hides it: Outlay stays in the tray until Quit (and quits as usual
/// where no tray icon could be made).
pub fn hide_instead_of_closing<R: Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::CloseRequested { api, .. } = event {
        let in_tray = window.try_state::<crate::tray::TraySummary<R>>().is_some();
        if window.label() == MAIN && in_tray {
            api.prevent_close();
            let _ = window.hide();
        }
    }
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
