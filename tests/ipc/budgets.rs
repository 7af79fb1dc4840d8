//! Budgets through the real commands: a budget saved below what is already spent this period
//! alerts at once, not at the next expense.

use crate::commands::call;
use crate::{app_with_data_in, window};
use outlay::commands::name;
use serde_json::json;

#[test]
fn a_budget_set_below_this_months_spend_alerts_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // The mock runtime has no notification service; the alert list is what is checked here
    // (the real D-Bus notification is the end-to-end tests' part).
    std::fs::write(
        dir.path().join("preferences.json"),
        r#"{"notifications": false}"#,
    )
    .unwrap();
    let app = app_with_data_in(dir.path());
    let main = window(&app, "main");
    call(
        &main,
        name::sign_up,
        json!({
            "email": "budget@example.com",
            "password": "correct horse battery",
            "baseCurrency": "USD",
        }),
    )
    .expect("sign-up works");
    let food = call(
        &main,
        name::create_category,
        json!({ "input": { "name": "Groceries" } }),
    )
    .expect("a category");
    call(
        &main,
        name::add_expense,
        json!({ "input": { "amount": "90", "categoryId": food["id"] } }),
    )
    .expect("an expense for today");
    let unread =
        |main| call(main, name::list_alerts, json!({})).expect("the alerts")["unread"].clone();
    assert_eq!(unread(&main), json!(0), "no budget yet");

    let budget = call(
        &main,
        name::create_budget,
        json!({ "input": { "period": "monthly", "amount": "100" } }),
    )
    .expect("the budget is saved");
    let alerts = call(&main, name::list_alerts, json!({})).expect("the alerts");
    assert_eq!(alerts["unread"], json!(1), "{alerts}");
    assert_eq!(alerts["alerts"][0]["threshold"], json!(80), "{alerts}");

    // Lowered below the spend: the 100 % alert follows at once.
    call(
        &main,
        name::update_budget,
        json!({ "id": budget["id"], "input": { "period": "monthly", "amount": "50" } }),
    )
    .expect("the budget is changed");
    assert_eq!(unread(&main), json!(2));
}
