//! Every data command refuses without a session, and bad arguments come back as errors the
//! UI can read — never a panic, never a half-written row.

use crate::{app_with_data_in, request, window};
use outlay::commands::name;
use serde_json::{json, Value};
use tauri::ipc::InvokeBody;
use tauri::test::{get_ipc_response, MockRuntime};
use tauri::WebviewWindow;

/// Calls `command` with JSON `args` as the page would; `Ok` holds the answer, `Err` the error.
pub(crate) fn call(
    window: &WebviewWindow<MockRuntime>,
    command: &str,
    args: Value,
) -> Result<Value, Value> {
    let mut invoke = request(command);
    invoke.body = InvokeBody::Json(args);
    get_ipc_response(window, invoke).map(|body| body.deserialize::<Value>().expect("JSON answer"))
}

const SOME_ID: &str = "0192f7c4-1b2c-7d3e-8f40-123456789abc";

fn data_commands() -> Vec<(&'static str, Value)> {
    let expense = json!({ "amount": "12.50", "categoryId": SOME_ID });
    let budget = json!({ "period": "monthly", "amount": "100" });
    vec![
        (name::list_categories, json!({})),
        (
            name::create_category,
            json!({ "input": { "name": "Pets" } }),
        ),
        (
            name::update_category,
            json!({ "id": SOME_ID, "input": { "name": "Pets" } }),
        ),
        (
            name::archive_category,
            json!({ "id": SOME_ID, "archived": true }),
        ),
        (
            name::merge_categories,
            json!({ "from": SOME_ID, "into": SOME_ID }),
        ),
        (name::add_expense, json!({ "input": expense })),
        (
            name::update_expense,
            json!({ "id": SOME_ID, "input": expense }),
        ),
        (name::delete_expenses, json!({ "ids": [SOME_ID] })),
        (name::undo_delete, json!({ "ids": [SOME_ID] })),
        (
            name::recategorise_expenses,
            json!({ "ids": [SOME_ID], "categoryId": SOME_ID }),
        ),
        (
            name::list_expenses,
            json!({ "filter": {}, "after": null, "limit": 10 }),
        ),
        (
            name::list_expenses_at,
            json!({ "filter": {}, "position": 0, "limit": 10 }),
        ),
        (name::expense_totals, json!({ "filter": {} })),
        (name::list_budgets, json!({})),
        (name::create_budget, json!({ "input": budget })),
        (
            name::update_budget,
            json!({ "id": SOME_ID, "input": budget }),
        ),
        (name::delete_budget, json!({ "id": SOME_ID })),
        (name::budget_progress, json!({})),
        (name::dashboard, json!({})),
        (
            name::spending_report,
            json!({ "first": "2026-01-01", "months": 12 }),
        ),
        (
            name::import_expenses_csv,
            json!({ "text": "date,amount,category\n2026-01-02,5,Food\n", "options": {} }),
        ),
        (name::export_expenses_csv, json!({})),
        (name::choose_statement, json!({})),
        (
            name::review_statement,
            json!({ "choices": {}, "onProgress": "__CHANNEL__:1" }),
        ),
        (
            name::import_statement,
            json!({ "choices": {}, "onProgress": "__CHANNEL__:1" }),
        ),
        (name::category_rules, json!({})),
        (
            name::add_category_rule,
            json!({ "contains": "LIDL", "categoryId": SOME_ID }),
        ),
        (name::delete_category_rule, json!({ "id": SOME_ID })),
        (
            name::change_password,
            json!({ "currentPassword": "a", "newPassword": "b" }),
        ),
        (name::delete_account, json!({ "password": "a" })),
    ]
}

#[test]
fn every_data_command_refuses_without_a_session() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    for (command, args) in data_commands() {
        let error = call(&main, command, args).expect_err(command);
        assert_eq!(error["kind"], "notSignedIn", "{command}: {error}");
    }
    assert_eq!(
        call(&main, name::current_session, json!({})).unwrap(),
        Value::Null
    );
}

#[test]
fn bad_arguments_are_errors_not_panics() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    let session = call(
        &main,
        name::sign_up,
        json!({
            "email": "ann@example.com",
            "password": "correct horse battery",
            "baseCurrency": "USD",
        }),
    )
    .unwrap();
    assert_eq!(session["email"], "ann@example.com");
    let categories = call(&main, name::list_categories, json!({})).unwrap();
    let food = categories[0]["id"].as_str().unwrap().to_owned();

    // Values of the right type that the core refuses: typed errors naming the field.
    let huge = "x".repeat(1_000_000);
    for (input, field) in [
        (json!({ "amount": "NaN", "categoryId": food }), "amount"),
        (json!({ "amount": "1e308", "categoryId": food }), "amount"),
        (
            json!({ "amount": "12", "date": "2026-02-30", "categoryId": food }),
            "date",
        ),
        (
            json!({ "amount": "12", "date": "+275760-09-13", "categoryId": food }),
            "date",
        ),
        (
            json!({ "amount": "12", "categoryId": food, "description": huge }),
            "description",
        ),
        (json!({ "amount": huge, "categoryId": food }), "amount"),
    ] {
        let error = call(&main, name::add_expense, json!({ "input": input })).unwrap_err();
        assert_eq!(
            (error["kind"].as_str(), error["field"].as_str()),
            (Some("invalid"), Some(field)),
            "{error}"
        );
    }

    // Wrong JSON types never reach the core: Tauri refuses to deserialize them.
    for args in [
        json!({ "input": { "amount": 12.5, "categoryId": food } }),
        json!({ "input": { "amount": null, "categoryId": food } }),
        json!({ "input": { "amount": "12", "categoryId": "not-a-uuid" } }),
        json!({ "input": "oops" }),
        json!({}),
    ] {
        let error =
            call(&main, name::add_expense, args.clone()).expect_err("wrong types are refused");
        assert!(error.to_string().contains("input"), "{args} → {error}");
    }
    let bad_filter = call(
        &main,
        name::list_expenses,
        json!({ "filter": { "from": "2026-13-45" }, "limit": 10 }),
    )
    .unwrap_err();
    assert!(bad_filter.to_string().contains("filter"), "{bad_filter}");
    let negative_limit = call(
        &main,
        name::list_expenses,
        json!({ "filter": {}, "limit": -1 }),
    );
    assert!(negative_limit.is_err());
    let negative_position = call(
        &main,
        name::list_expenses_at,
        json!({ "filter": {}, "position": -1, "limit": 10 }),
    );
    assert!(negative_position.is_err());

    // Nothing was saved by any of it.
    let totals = call(&main, name::expense_totals, json!({ "filter": {} })).unwrap();
    assert_eq!(totals, json!([]));
    // And a good call still works afterwards.
    let added = call(
        &main,
        name::add_expense,
        json!({ "input": { "amount": "12.50", "categoryId": food } }),
    )
    .unwrap();
    assert_eq!(added["amount"], json!({ "minor": 1250, "currency": "USD" }));
}

#[test]
fn resuming_answers_the_session_already_signed_in_without_the_keychain() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    // Not called before signing up: that would read the developer's own keychain.
    let signed_up = call(
        &main,
        name::sign_up,
        json!({
            "email": "reload@example.com",
            "password": "a long passphrase",
            "baseCurrency": "EUR",
        }),
    )
    .expect("sign-up works");

    // The page reloaded: one call gives it the session it had, keychain untouched.
    let resumed = call(&main, name::resume_session, json!({})).expect("resume answers");
    assert_eq!(resumed, signed_up);
}

#[test]
fn the_list_comes_in_the_order_asked_for_and_its_cursor_keeps_to_it() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");
    call(
        &main,
        name::sign_up,
        json!({
            "email": "sam@example.com",
            "password": "correct horse battery",
            "baseCurrency": "USD",
        }),
    )
    .unwrap();
    let categories = call(&main, name::list_categories, json!({})).unwrap();
    let food = categories[0]["id"].as_str().unwrap().to_owned();
    for (amount, date) in [
        ("5", "2026-11-01"),
        ("40", "2026-11-02"),
        ("12", "2026-11-03"),
    ] {
        let input = json!({ "amount": amount, "date": date, "categoryId": food });
        call(&main, name::add_expense, json!({ "input": input })).unwrap();
    }

    let largest = json!({ "sort": "largestFirst" });
    let page = call(
        &main,
        name::list_expenses,
        json!({ "filter": largest, "after": null, "limit": 2 }),
    )
    .unwrap();
    let minors: Vec<_> = page["expenses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"]["minor"].clone())
        .collect();
    assert_eq!(minors, [json!(4000), json!(1200)]);
    let next = page["next"].clone();
    assert_eq!(next["sort"], "largestFirst", "{next}");
    let rest = call(
        &main,
        name::list_expenses,
        json!({ "filter": largest, "after": next, "limit": 2 }),
    )
    .unwrap();
    assert_eq!(rest["expenses"][0]["amount"]["minor"], 500);

    // The cursor came back as the page gave it; under another order it is a typed error.
    let mismatched = call(
        &main,
        name::list_expenses,
        json!({ "filter": { "sort": "oldestFirst" }, "after": next, "limit": 2 }),
    )
    .unwrap_err();
    assert_eq!(
        (mismatched["kind"].as_str(), mismatched["field"].as_str()),
        (Some("invalid"), Some("after")),
        "{mismatched}"
    );
    // An order the core does not know never reaches it.
    let unknown = call(
        &main,
        name::list_expenses,
        json!({ "filter": { "sort": "cheapestFirst" }, "limit": 2 }),
    )
    .unwrap_err();
    assert!(unknown.to_string().contains("filter"), "{unknown}");
}
