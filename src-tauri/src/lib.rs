//! The Outlay desktop shell: plugins, managed state and windows around `outlay-core`.
//!
//! `run` is the real app. `builder` holds what the real app and the IPC tests share, and is
//! generic over the runtime so tests can hand it `tauri::test::mock_builder()`.

mod alerting;
mod backups;
#[cfg(feature = "ts")]
pub mod bindings;
mod chosen_statement;
pub mod commands;
pub mod connection;
pub mod database;
mod export_file;
pub mod first_screen;
mod keychain;
pub mod logging;
mod preferences;
mod shortcut;
mod signed_in;
mod startup;
mod startup_failure;
mod tray;
mod windows;

use std::path::PathBuf;

use tauri::{App, Manager, Runtime};

/// Environment variable that, when set, replaces the OS app-data dir as the home of the
/// database, and keeps the log in its `logs` folder. Tests and end-to-end runs use it to get a
/// fresh, throw-away profile.
pub const DATA_DIR_ENV: &str = "OUTLAY_DATA_DIR";

/// Registers Outlay's commands. The caller manages an `outlay_core::Outlay` as state (`run`
/// does so at start-up; tests open one in a temp dir).
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        // Made first thing in `run`, so it times the whole start.
        .manage(startup::Startup::new())
        .manage(signed_in::SignedIn::default())
        .manage(alerting::MailSender::default())
        .manage(first_screen::FirstScreen::default())
        .manage(chosen_statement::ChosenStatement::from_env())
        .invoke_handler(commands::handler())
}

/// Starts the desktop app and returns when it quits; exits non-zero if it cannot start.
pub fn run() {
    let data_dir = std::env::var_os(DATA_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from);
    // The log first, so that whatever fails after it leaves a trail; the context is only
    // made this early for the bundle identifier, which names the log folder.
    let context = tauri::generate_context!();
    logging::init(logging::dir(
        &context.config().identifier,
        data_dir.as_deref(),
    ));
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        separate_profile = data_dir.is_some(),
        "Outlay starting"
    );

    let mut app = tauri::Builder::default();
    // A second launch focuses the window already open instead of opening the same database
    // twice. An explicit data dir is a deliberately separate profile (end-to-end tests run
    // several side by side), so it is not tied to the instance that owns the default one.
    if data_dir.is_none() {
        app = app.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            windows::focus_main(app);
        }));
    }

    let app = app
        .plugin(shortcut::plugin())
        .plugin(tauri_plugin_notification::init())
        // Opened from Rust only (choose_statement): no capability grants the page its
        // commands, so the page cannot open a dialog, or learn a path, by itself.
        .plugin(tauri_plugin_dialog::init());
    let app = builder(app)
        .on_window_event(windows::hide_instead_of_closing)
        .setup(move |app| {
            // Tauri would turn an error returned here into a panic; the user gets a
            // readable reason instead.
            if let Err(reason) = start(app, data_dir) {
                startup_failure::report_and_exit(&reason);
            }
            Ok(())
        })
        .build(context)
        .unwrap_or_else(|error| {
            startup_failure::report_and_exit(&format!("Outlay could not start: {error}"))
        });
    app.run(|_, _| {});
}

/// Opens the database, then the window: the page calls commands as soon as it loads, so the
/// state they need must exist first. The tray and the global shortcut come after the window:
/// WebKit starts its web process for the page while they are made, instead of after. (Setup
/// runs on the main thread, which answers the page's commands only once setup returns, so
/// the page still never sees them missing.)
fn start<R: Runtime>(app: &App<R>, data_dir: Option<PathBuf>) -> Result<(), String> {
    let dir = match &data_dir {
        Some(dir) => dir.clone(),
        None => app
            .path()
            .app_data_dir()
            .map_err(|error| format!("Outlay could not find its data folder: {error}"))?,
    };
    // Setup runs on the main thread inside the event loop; opening the pools on Tauri's own
    // async runtime keeps their background tasks on the runtime the commands use.
    let database = tauri::async_runtime::block_on(database::Database::open(dir.clone()))?;
    app.manage(database);
    app.manage(windows::WebviewData(data_dir.clone()));
    windows::open_main(app, data_dir.as_deref())?;
    // Resuming the session reads the remember-me token: the keychain connection (a D-Bus
    // handshake with the Secret Service, ~10-15 ms) is made while the tray and shortcut are.
    tauri::async_runtime::spawn_blocking(keychain::connect);
    if let Err(error) = tray::create(app) {
        // Without a tray, closing the window quits (see windows::hide_instead_of_closing).
        tracing::warn!("no tray icon: {error}");
    }
    shortcut::register_saved(app.handle(), &dir);
    // Last, so the tray exists for the month line and nothing waits on the main thread.
    tauri::async_runtime::spawn(first_screen::read(app.handle().clone()));
    tauri::async_runtime::spawn(backups::keep_daily(app.handle().clone()));
    Ok(())
}
