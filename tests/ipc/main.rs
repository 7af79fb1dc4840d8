//! IPC tests: the real command wiring, context and capabilities, on Tauri's mock runtime.
//!
//! `generate_context!` embeds the real tauri.conf.json and capability files, so these tests
//! also prove that a window may call exactly what its capability grants.

#![allow(
    clippy::unwrap_used,
    reason = "test code, helpers too: a failed unwrap is a failed test, naming the error"
)]

mod bindings;
mod budgets;
mod capabilities;
mod commands;
mod data_files;
mod first_screen;
mod statements;
mod transfer;

use std::path::Path;

use outlay::commands::name;
use outlay::database::Database;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The app's commands and state as `outlay::run` sets them up, with the database in
/// `data_dir`.
pub(crate) fn app_with_data_in(data_dir: &Path) -> App<MockRuntime> {
    let database = tauri::async_runtime::block_on(Database::open(data_dir.to_path_buf()))
        .expect("the database opens in a fresh dir");
    outlay::builder(mock_builder())
        .manage(database)
        .build(tauri::generate_context!(test = true))
        .expect("the app builds on the mock runtime")
}

pub(crate) fn window(app: &App<MockRuntime>, label: &str) -> WebviewWindow<MockRuntime> {
    WebviewWindowBuilder::new(app, label, WebviewUrl::default())
        .build()
        .expect("a mock window")
}

/// A call as the page's `invoke` sends it, from the origin the bundled UI is served from.
pub(crate) fn request(command: &str) -> InvokeRequest {
    let origin = if cfg!(windows) {
        "http://tauri.localhost"
    } else {
        "tauri://localhost"
    };
    InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: origin.parse().expect("a valid origin"),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn app_info_reports_the_version_and_where_the_database_is() {
    let data_dir = tempfile::tempdir().expect("a temp dir");
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");

    let info: Value = get_ipc_response(&main, request(name::app_info))
        .expect("the main window may call app_info")
        .deserialize()
        .expect("app_info answers JSON");

    assert_eq!(
        info["version"],
        app.package_info().version.to_string(),
        "in {info}"
    );
    let database_path = info["databasePath"]
        .as_str()
        .unwrap_or_else(|| panic!("databasePath is a string in {info}"));
    assert!(
        database_path.contains(&*data_dir.path().to_string_lossy()),
        "{database_path} should be inside {}",
        data_dir.path().display()
    );
}

#[test]
fn the_start_up_time_is_known_once_the_page_says_its_first_screen_is_shown() {
    let data_dir = tempfile::tempdir().expect("a temp dir");
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    let started_in = || -> Value {
        get_ipc_response(&main, request(name::app_info))
            .expect("app_info answers")
            .deserialize::<Value>()
            .expect("app_info answers JSON")["startedInMs"]
            .clone()
    };
    assert_eq!(started_in(), Value::Null);

    let mut shown = request(name::app_started);
    shown.body = InvokeBody::Json(serde_json::json!({ "screen": "dashboard" }));
    get_ipc_response(&main, shown).expect("the main window may call app_started");
    let first = started_in();
    assert!(
        first.is_u64(),
        "startedInMs is a whole number of ms: {first}"
    );

    // A reload of the page calls it again; the start happened once.
    let mut again = request(name::app_started);
    again.body = InvokeBody::Json(serde_json::json!({ "screen": "dashboard" }));
    get_ipc_response(&main, again).expect("app_started answers again");
    assert_eq!(started_in(), first);
}

#[test]
fn a_window_no_capability_names_cannot_call_app_commands() {
    let data_dir = tempfile::tempdir().expect("a temp dir");
    let app = app_with_data_in(data_dir.path());
    let stranger = window(&app, "stranger");

    let denied = get_ipc_response(&stranger, request(name::app_info));

    assert!(denied.is_err(), "app_info answered the window {denied:?}");
}

/// The log is opened before the app exists, in the folder Tauri's `app_log_dir` names for
/// the real configuration: the two must not drift apart.
#[test]
fn the_log_folder_is_tauris_app_log_dir() {
    use tauri::Manager;
    let data_dir = tempfile::tempdir().expect("a temp dir");
    let app = app_with_data_in(data_dir.path());
    assert_eq!(
        outlay::logging::os_dir(&app.config().identifier),
        Some(app.path().app_log_dir().expect("Tauri knows a log folder")),
    );
}
