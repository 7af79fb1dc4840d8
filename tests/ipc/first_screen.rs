//! The first screen's answers, read at start and served in /start.js: the same answers the
//! commands give, served once, and only in place of /start.js.

use std::borrow::Cow;

use crate::commands::call;
use crate::{app_with_data_in, window};
use outlay::commands::name;
use outlay::first_screen::{self, FirstScreen};
use serde_json::{json, Value};
use tauri::http::{header, Request, Response};
use tauri::test::MockRuntime;
use tauri::{App, Manager};

const PLACEHOLDER: &[u8] = b"// the stand-in in ui/public/start.js\n";

/// What the webview would get for `path`, served from a response holding the stand-in.
fn serve(app: &App<MockRuntime>, path: &str) -> Response<Cow<'static, [u8]>> {
    let request = Request::builder()
        .uri(format!("tauri://localhost{path}"))
        .body(Vec::new())
        .expect("a request");
    let mut response = Response::new(Cow::Borrowed(PLACEHOLDER));
    app.state::<FirstScreen>().serve(request, &mut response);
    response
}

/// The answers in a served start.js, by command.
fn answers(script: &[u8]) -> Value {
    let script = std::str::from_utf8(script).expect("a UTF-8 script");
    let json = script
        .strip_prefix("window.__outlayFirstScreen = ")
        .and_then(|rest| rest.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("start.js sets the answers: {script}"));
    serde_json::from_str(json).expect("the answers are JSON")
}

#[test]
fn start_js_holds_the_commands_own_answers_once() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    // Signed in first: resuming without a session would read the developer's own keychain.
    let session = call(
        &main,
        name::sign_up,
        json!({
            "email": "first@example.com",
            "password": "a long passphrase",
            "baseCurrency": "EUR",
        }),
    )
    .unwrap();
    let categories = call(&main, name::list_categories, json!({})).unwrap();
    let food = categories[0]["id"].clone();
    call(
        &main,
        name::add_expense,
        json!({ "input": { "amount": "12.50", "categoryId": food } }),
    )
    .unwrap();

    tauri::async_runtime::block_on(first_screen::read(app.handle().clone()));

    // Other files are left as they are, and do not use the answers up.
    let page = serve(&app, "/index.html");
    assert_eq!(page.body().as_ref(), PLACEHOLDER);
    assert!(page.headers().get(header::CACHE_CONTROL).is_none());

    let start = serve(&app, "/start.js");
    assert_eq!(start.headers()[header::CACHE_CONTROL], "no-store");
    let answers = answers(start.body());
    assert_eq!(answers[name::resume_session], session);
    for command in [name::dashboard, name::list_categories, name::list_alerts] {
        assert_eq!(
            answers[command],
            call(&main, command, json!({})).unwrap(),
            "{command}"
        );
    }
    assert_eq!(answers[name::dashboard]["spent"]["minor"], 1250);

    // A reload gets the stand-in and asks over IPC, for fresh data.
    assert_eq!(serve(&app, "/start.js").body().as_ref(), PLACEHOLDER);
}

#[test]
fn a_page_that_loaded_before_the_answers_were_read_keeps_the_stand_in() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    call(
        &main,
        name::sign_up,
        json!({
            "email": "early@example.com",
            "password": "a long passphrase",
            "baseCurrency": "USD",
        }),
    )
    .unwrap();

    assert_eq!(serve(&app, "/start.js").body().as_ref(), PLACEHOLDER);
    tauri::async_runtime::block_on(first_screen::read(app.handle().clone()));

    // The page has asked over IPC meanwhile; a reload must not get the old answers either.
    assert_eq!(serve(&app, "/start.js").body().as_ref(), PLACEHOLDER);
}
