//! Budget alerts: every write that changes spend evaluates the budgets and periods it touches,
//! and each (budget, period, threshold) fires exactly once.

use crate::harness::{input, Backend, TestApp};
use outlay_core::budgets::{Budget, BudgetInput};
use outlay_core::domain::PeriodKind;
use outlay_core::mail::EmailSettingsInput;
use outlay_core::{Alert, AppError, Saved, Session};
use uuid::Uuid;

/// A budget on `category` (a name; `None` = overall) of `amount` per `period`.
pub async fn budget(
    app: &TestApp,
    session: &Session,
    category: Option<&str>,
    period: PeriodKind,
    amount: &str,
    thresholds: Option<Vec<u32>>,
) -> Budget {
    budget_saved(app, session, category, period, amount, thresholds)
        .await
        .value
}

/// Like [`budget`], with the alerts its saving fired (it is checked against the period that
/// holds today at once).
pub async fn budget_saved(
    app: &TestApp,
    session: &Session,
    category: Option<&str>,
    period: PeriodKind,
    amount: &str,
    thresholds: Option<Vec<u32>>,
) -> Saved<Budget> {
    let category_id = match category {
        Some(name) => Some(app.category(session, name).await.id),
        None => None,
    };
    app.outlay
        .create_budget(
            session,
            BudgetInput {
                category_id,
                period,
                amount: amount.into(),
                currency: None,
                thresholds,
            },
        )
        .await
        .unwrap()
}

/// What an overall budget of `amount` a `period` is typed as.
fn overall_input(period: PeriodKind, amount: &str) -> BudgetInput {
    BudgetInput {
        category_id: None,
        period,
        amount: amount.into(),
        currency: None,
        thresholds: None,
    }
}

/// Adds an expense and returns its id with the alerts it fired.
pub async fn add(
    app: &TestApp,
    session: &Session,
    amount: &str,
    date: &str,
    category: &str,
) -> (Uuid, Vec<Alert>) {
    let category_id = app.category(session, category).await.id;
    let saved = app
        .outlay
        .add_expense(session, input(amount, date, category_id))
        .await
        .unwrap();
    (saved.value.id, saved.fired)
}

/// (budget name, period label, threshold) of each alert, to compare in one line.
fn keys(alerts: &[Alert]) -> Vec<(String, String, u32)> {
    alerts
        .iter()
        .map(|a| (a.budget_name.clone(), a.period_label(), a.threshold))
        .collect()
}

fn key(name: &str, period: &str, threshold: u32) -> (String, String, u32) {
    (name.to_owned(), period.to_owned(), threshold)
}

/// Every alert stored for the user, oldest first.
async fn stored(app: &TestApp, session: &Session) -> Vec<(String, String, u32)> {
    let mut list = app.outlay.alerts(session, 200).await.unwrap().alerts;
    list.reverse();
    keys(&list)
}

/// Turns alert e-mails on.
pub async fn email_on(app: &TestApp, session: &Session) {
    app.outlay
        .save_email_settings(
            session,
            EmailSettingsInput {
                enabled: true,
                recipient: "ann@example.com".into(),
                sender: "alerts@example.com".into(),
            },
        )
        .await
        .unwrap();
}

async fn adding_fires_each_threshold_once(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(&app, &ann, None, PeriodKind::Monthly, "100", None).await;
    assert!(add(&app, &ann, "50", "2026-11-02", "Groceries")
        .await
        .1
        .is_empty());
    let (_, fired) = add(&app, &ann, "30", "2026-11-03", "Taxi").await;
    assert_eq!(keys(&fired), [key("Overall", "November 2026", 80)]);
    assert_eq!(
        fired[0].body(),
        "Overall: $80.00 of $100.00 spent in November (80 %)"
    );
    assert!(add(&app, &ann, "10", "2026-11-04", "Rent")
        .await
        .1
        .is_empty());
    let (_, fired) = add(&app, &ann, "22.50", "2026-11-05", "Rent").await;
    assert_eq!(keys(&fired), [key("Overall", "November 2026", 100)]);
    assert_eq!(
        fired[0].body(),
        "Overall: $112.50 of $100.00 spent in November (112 %)"
    );
    assert!(add(&app, &ann, "500", "2026-11-06", "Rent")
        .await
        .1
        .is_empty());

    let list = app.outlay.alerts(&ann, 50).await.unwrap();
    assert_eq!(list.unread, 2);
    assert_eq!(
        keys(&list.alerts),
        [
            key("Overall", "November 2026", 100),
            key("Overall", "November 2026", 80)
        ],
        "newest first"
    );
    assert_eq!(list.alerts[0], fired[0], "stored as fired");
}

async fn one_write_can_cross_several_thresholds(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Groceries"),
        PeriodKind::Monthly,
        "400",
        None,
    )
    .await;
    let (_, fired) = add(&app, &ann, "412.50", "2026-11-20", "Groceries").await;
    assert_eq!(
        keys(&fired),
        [
            key("Groceries", "November 2026", 80),
            key("Groceries", "November 2026", 100)
        ]
    );
    assert_eq!(
        fired[1].body(),
        "Groceries: $412.50 of $400.00 spent in November (103 %)"
    );
    assert_eq!(fired[1].title(), "Budget alert");
}

async fn falling_under_and_rising_again_does_not_fire_again(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        None,
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    add(&app, &ann, "60", "2026-11-02", "Groceries").await;
    let (big, fired) = add(&app, &ann, "50", "2026-11-03", "Groceries").await;
    assert_eq!(fired.len(), 1);
    // Back under the limit, then over it again, three ways: delete + undo, a new expense,
    // an edit that raises an amount.
    let deleted = app.outlay.delete_expenses(&ann, &[big]).await.unwrap();
    assert_eq!((deleted.value, deleted.fired.len()), (1, 0));
    let restored = app.outlay.undo_delete(&ann, &[big]).await.unwrap();
    assert_eq!((restored.value, restored.fired.len()), (1, 0));
    app.outlay.delete_expenses(&ann, &[big]).await.unwrap();
    assert!(add(&app, &ann, "45", "2026-11-04", "Groceries")
        .await
        .1
        .is_empty());
    let groceries = app.category(&ann, "Groceries").await.id;
    let edited = app
        .outlay
        .update_expense(&ann, big, input("1", "2026-11-03", groceries))
        .await;
    assert!(matches!(edited, Err(AppError::NotFound(_))), "deleted");
    let (small, _) = add(&app, &ann, "1", "2026-11-05", "Groceries").await;
    let raised = app
        .outlay
        .update_expense(&ann, small, input("300", "2026-11-05", groceries))
        .await
        .unwrap();
    assert!(raised.fired.is_empty());
    assert_eq!(stored(&app, &ann).await.len(), 1);
}

async fn delete_removes_spend_and_undo_restores_it(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let (a, _) = add(&app, &ann, "70", "2026-11-02", "Groceries").await;
    let (b, _) = add(&app, &ann, "40", "2026-11-03", "Coffee").await;
    let (c, _) = add(&app, &ann, "5", "2026-11-04", "Coffee").await;
    let bulk = app.outlay.delete_expenses(&ann, &[b, c]).await.unwrap();
    assert_eq!((bulk.value, bulk.fired.len()), (2, 0));
    // The budget is set while b and c are in the bin: 70 of 100 is under both thresholds.
    budget(&app, &ann, Some("Food"), PeriodKind::Monthly, "100", None).await;
    let restored = app.outlay.undo_delete(&ann, &[b, c]).await.unwrap();
    assert_eq!(restored.value, 2);
    assert_eq!(
        keys(&restored.fired),
        [
            key("Food", "November 2026", 80),
            key("Food", "November 2026", 100)
        ]
    );
    assert_eq!(restored.fired[1].spent.minor, 11_500);
    // Deleting everything and restoring it again fires nothing more.
    app.outlay.delete_expenses(&ann, &[a, b, c]).await.unwrap();
    let again = app.outlay.undo_delete(&ann, &[a, b, c]).await.unwrap();
    assert_eq!((again.value, again.fired.len()), (3, 0));
}

async fn an_edit_moves_spend_between_budgets_and_periods(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Food"),
        PeriodKind::Monthly,
        "100",
        Some(vec![80]),
    )
    .await;
    budget(
        &app,
        &ann,
        Some("Transport"),
        PeriodKind::Monthly,
        "100",
        Some(vec![80]),
    )
    .await;
    let taxi = app.category(&ann, "Taxi").await.id;
    let groceries = app.category(&ann, "Groceries").await.id;

    // Category: the spend leaves Food for Transport (through its sub-category Taxi).
    let (id, fired) = add(&app, &ann, "85", "2026-10-15", "Groceries").await;
    assert_eq!(keys(&fired), [key("Food", "October 2026", 80)]);
    let moved = app
        .outlay
        .update_expense(&ann, id, input("85", "2026-10-15", taxi))
        .await
        .unwrap();
    assert_eq!(keys(&moved.fired), [key("Transport", "October 2026", 80)]);

    // Date: from October into November, for the same budget.
    let moved = app
        .outlay
        .update_expense(&ann, id, input("85", "2026-11-10", taxi))
        .await
        .unwrap();
    assert_eq!(keys(&moved.fired), [key("Transport", "November 2026", 80)]);

    // Amount: a small Food expense raised over the line.
    let (small, fired) = add(&app, &ann, "10", "2026-11-11", "Groceries").await;
    assert!(fired.is_empty());
    let raised = app
        .outlay
        .update_expense(&ann, small, input("90", "2026-11-11", groceries))
        .await
        .unwrap();
    assert_eq!(keys(&raised.fired), [key("Food", "November 2026", 80)]);

    // Category, date and amount at once, back into October's Food budget: fired already.
    let back = app
        .outlay
        .update_expense(&ann, id, input("99", "2026-10-01", groceries))
        .await
        .unwrap();
    assert!(back.fired.is_empty());
    assert_eq!(stored(&app, &ann).await.len(), 4);
}

async fn bulk_recategorise_moves_spend_into_another_budget(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Transport"),
        PeriodKind::Monthly,
        "100",
        None,
    )
    .await;
    let (a, _) = add(&app, &ann, "45", "2026-11-02", "Groceries").await;
    let (b, _) = add(&app, &ann, "45", "2026-11-03", "Groceries").await;
    let (c, _) = add(&app, &ann, "200", "2026-09-03", "Groceries").await;
    let taxi = app.category(&ann, "Taxi").await.id;
    let moved = app
        .outlay
        .recategorise_expenses(&ann, &[a, b, c], taxi)
        .await
        .unwrap();
    assert_eq!(moved.value, 3);
    // One alert per budget, period and threshold, however many expenses moved together.
    assert_eq!(
        keys(&moved.fired),
        [
            key("Transport", "September 2026", 80),
            key("Transport", "September 2026", 100),
            key("Transport", "November 2026", 80)
        ]
    );
    // Moving them again within Transport changes nothing.
    let public = app.category(&ann, "Public transport").await.id;
    let within = app
        .outlay
        .recategorise_expenses(&ann, &[a, b], public)
        .await
        .unwrap();
    assert_eq!((within.value, within.fired.len()), (2, 0));
}

async fn sub_categories_count_for_their_parents_budget_only(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(&app, &ann, Some("Food"), PeriodKind::Monthly, "100", None).await;
    budget(
        &app,
        &ann,
        Some("Coffee"),
        PeriodKind::Monthly,
        "1000",
        None,
    )
    .await;
    assert!(add(&app, &ann, "50", "2026-11-02", "Groceries")
        .await
        .1
        .is_empty());
    assert!(add(&app, &ann, "500", "2026-11-02", "Transport")
        .await
        .1
        .is_empty());
    assert!(add(&app, &ann, "500", "2026-11-02", "Health")
        .await
        .1
        .is_empty());
    let (_, fired) = add(&app, &ann, "35", "2026-11-03", "Coffee").await;
    assert_eq!(keys(&fired), [key("Food", "November 2026", 80)]);
    assert_eq!(fired[0].spent.minor, 8_500);
    // Spend in the parent itself counts for the parent, not for its children's budgets.
    let (_, fired) = add(&app, &ann, "15", "2026-11-04", "Food").await;
    assert_eq!(keys(&fired), [key("Food", "November 2026", 100)]);
}

async fn weekly_monthly_and_yearly_periods(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Coffee"),
        PeriodKind::Weekly,
        "10",
        Some(vec![100]),
    )
    .await;
    budget(
        &app,
        &ann,
        Some("Travel"),
        PeriodKind::Yearly,
        "1000",
        Some(vec![100]),
    )
    .await;
    // Weekly: Monday 23 Nov to Sunday 29 Nov, then a new week.
    assert!(add(&app, &ann, "6", "2026-11-23", "Coffee")
        .await
        .1
        .is_empty());
    let (_, fired) = add(&app, &ann, "4", "2026-11-29", "Coffee").await;
    assert_eq!(keys(&fired), [key("Coffee", "week of 23 Nov 2026", 100)]);
    assert_eq!(
        fired[0].body(),
        "Coffee: $10.00 of $10.00 spent in the week of 23 Nov (100 %)"
    );
    let (_, fired) = add(&app, &ann, "10", "2026-11-30", "Coffee").await;
    assert_eq!(keys(&fired), [key("Coffee", "week of 30 Nov 2026", 100)]);
    // ISO week 53 of 2026 reaches into 2027.
    let (_, fired) = add(&app, &ann, "10", "2027-01-03", "Coffee").await;
    assert_eq!(keys(&fired), [key("Coffee", "week of 28 Dec 2026", 100)]);
    // Yearly: spend all over the year adds up.
    assert!(add(&app, &ann, "600", "2026-02-01", "Travel")
        .await
        .1
        .is_empty());
    let (_, fired) = add(&app, &ann, "400", "2026-12-31", "Travel").await;
    assert_eq!(keys(&fired), [key("Travel", "2026", 100)]);
    assert_eq!(
        fired[0].body(),
        "Travel: $1,000.00 of $1,000.00 spent in 2026 (100 %)"
    );
    assert!(add(&app, &ann, "999", "2027-01-01", "Travel")
        .await
        .1
        .is_empty());
}

async fn other_currencies_and_other_users_do_not_count(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    budget(&app, &ann, None, PeriodKind::Monthly, "100", None).await;
    let groceries = app.category(&ann, "Groceries").await.id;
    let mut euros = input("500", "2026-11-02", groceries);
    euros.currency = Some("EUR".into());
    assert!(app
        .outlay
        .add_expense(&ann, euros)
        .await
        .unwrap()
        .fired
        .is_empty());
    assert!(add(&app, &bob, "500", "2026-11-02", "Groceries")
        .await
        .1
        .is_empty());
    assert!(app.outlay.alerts(&bob, 10).await.unwrap().alerts.is_empty());
    assert_eq!(stored(&app, &ann).await.len(), 0);
}

async fn the_import_hook_reevaluates_what_it_is_given(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    // Spend written before the budget existed, as an import would leave it. Saving the
    // budget checks only the period holding today.
    add(&app, &ann, "90", "2026-11-02", "Groceries").await;
    add(&app, &ann, "90", "2026-10-02", "Groceries").await;
    let saved = budget_saved(
        &app,
        &ann,
        Some("Food"),
        PeriodKind::Monthly,
        "100",
        Some(vec![80]),
    )
    .await;
    assert_eq!(keys(&saved.fired), [key("Food", "November 2026", 80)]);
    let groceries = app.category(&ann, "Groceries").await.id;
    let health = app.category(&ann, "Health").await.id;
    let day = |d: &str| d.parse().unwrap();
    let untouched = app
        .outlay
        .reevaluate_budgets(&ann, &[(health, day("2026-11-02"))])
        .await
        .unwrap();
    assert!(untouched.is_empty(), "no budget covers Health");
    let fired = app
        .outlay
        .reevaluate_budgets(
            &ann,
            &[
                (groceries, day("2026-11-02")),
                (groceries, day("2026-11-20")),
                (groceries, day("2026-10-02")),
            ],
        )
        .await
        .unwrap();
    assert_eq!(keys(&fired), [key("Food", "October 2026", 80)]);
    let replay = app
        .outlay
        .reevaluate_budgets(&ann, &[(groceries, day("2026-11-02"))])
        .await
        .unwrap();
    assert!(replay.is_empty(), "a replay fires nothing twice");
}

async fn a_budget_set_or_lowered_below_this_periods_spend_alerts_at_once(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    add(&app, &ann, "90", "2026-11-02", "Groceries").await;
    // Last month was over too, but that period is history: nothing for it.
    add(&app, &ann, "300", "2026-10-02", "Groceries").await;
    let food_id = app.category(&ann, "Food").await.id;
    let food_input = |amount: &str| BudgetInput {
        category_id: Some(food_id),
        period: PeriodKind::Monthly,
        amount: amount.into(),
        currency: None,
        thresholds: None,
    };
    // The write that saves the budget checks it, in its own transaction.
    let created = app
        .outlay
        .create_budget(&ann, food_input("100"))
        .await
        .unwrap();
    assert_eq!(keys(&created.fired), [key("Food", "November 2026", 80)]);
    let food = created.value;
    let resaved = app
        .outlay
        .update_budget(&ann, food.id, food_input("100"))
        .await
        .unwrap();
    assert!(
        resaved.fired.is_empty(),
        "saved again unchanged, nothing fires twice: {:?}",
        resaved.fired
    );

    // Lowered to 60: now over in full.
    let lowered = app
        .outlay
        .update_budget(&ann, food.id, food_input("60"))
        .await
        .unwrap();
    assert_eq!(keys(&lowered.fired), [key("Food", "November 2026", 100)]);

    // An overall budget is found without a category; one with room left fires nothing.
    let overall = app
        .outlay
        .create_budget(&ann, overall_input(PeriodKind::Weekly, "50"))
        .await
        .unwrap();
    assert!(
        overall.fired.is_empty(),
        "nothing spent this week: {:?}",
        overall.fired
    );
    let yearly = app
        .outlay
        .create_budget(&ann, overall_input(PeriodKind::Yearly, "400"))
        .await
        .unwrap();
    assert_eq!(keys(&yearly.fired), [key("Overall", "2026", 80)]);
    // Deleting is a write like the others, and a deleted budget fires nothing.
    let deleted = app
        .outlay
        .delete_budget(&ann, overall.value.id)
        .await
        .unwrap();
    assert!(deleted.fired.is_empty(), "{:?}", deleted.fired);
    assert_eq!(
        stored(&app, &ann).await,
        [
            key("Food", "November 2026", 80),
            key("Food", "November 2026", 100),
            key("Overall", "2026", 80)
        ]
    );
}

async fn a_restart_does_not_fire_again(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(&app, &ann, None, PeriodKind::Monthly, "100", Some(vec![50])).await;
    assert_eq!(add(&app, &ann, "60", "2026-11-02", "Rent").await.1.len(), 1);
    let reopened = app.reopen().await;
    let ann = reopened
        .log_in("ann@example.com", "correct horse battery", false)
        .await
        .unwrap()
        .session;
    let rent = app.category(&ann, "Rent").await.id;
    let saved = reopened
        .add_expense(&ann, input("60", "2026-11-03", rent))
        .await
        .unwrap();
    assert!(saved.fired.is_empty());
    assert_eq!(reopened.alerts(&ann, 10).await.unwrap().alerts.len(), 1);
}

async fn alerts_are_marked_read_one_or_all(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    budget(
        &app,
        &ann,
        None,
        PeriodKind::Monthly,
        "100",
        Some(vec![10, 20, 30]),
    )
    .await;
    let (_, fired) = add(&app, &ann, "35", "2026-11-02", "Rent").await;
    assert_eq!(fired.len(), 3);
    app.outlay.mark_alert_read(&ann, fired[0].id).await.unwrap();
    app.outlay.mark_alert_read(&ann, fired[0].id).await.unwrap();
    let list = app.outlay.alerts(&ann, 10).await.unwrap();
    assert_eq!(list.unread, 2);
    assert!(list
        .alerts
        .iter()
        .any(|a| a.id == fired[0].id && a.read_at.is_some()));
    assert!(matches!(
        app.outlay.mark_alert_read(&bob, fired[1].id).await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(app.outlay.mark_all_alerts_read(&bob).await.unwrap(), 0);
    assert_eq!(app.outlay.mark_all_alerts_read(&ann).await.unwrap(), 2);
    assert_eq!(app.outlay.alerts(&ann, 10).await.unwrap().unread, 0);
}

async fn alerts_queue_mail_in_the_same_write(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = budget(
        &app,
        &ann,
        Some("Food"),
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    budget(
        &app,
        &ann,
        Some("Travel"),
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    // E-mail off: the alert fires, nothing is queued.
    assert_eq!(
        add(&app, &ann, "100", "2026-10-02", "Groceries")
            .await
            .1
            .len(),
        1
    );
    assert!(app.outlay.outbox(&ann, None).await.unwrap().is_empty());
    // On, but not for Food.
    email_on(&app, &ann).await;
    let off = app
        .outlay
        .set_budget_email(&ann, food.id, false)
        .await
        .unwrap();
    assert!(!off.email_alerts);
    assert_eq!(
        add(&app, &ann, "100", "2026-11-02", "Groceries")
            .await
            .1
            .len(),
        1
    );
    assert!(app.outlay.outbox(&ann, None).await.unwrap().is_empty());
    // On for Travel (the default).
    let (_, fired) = add(&app, &ann, "150", "2026-11-02", "Travel").await;
    let outbox = app.outlay.outbox(&ann, None).await.unwrap();
    assert_eq!(outbox.len(), 1);
    let mail = &outbox[0];
    assert_eq!(mail.alert_id, Some(fired[0].id));
    assert_eq!(mail.message.recipient, "ann@example.com");
    assert_eq!(
        mail.message.subject,
        "Budget alert: Travel at 150 % in November 2026"
    );
    assert!(mail.message.text.starts_with(&fired[0].body()));
    assert_eq!(mail.attempts, 0);
    // Deleting the account takes alerts, mail and settings with it.
    app.outlay
        .delete_account(&ann, "correct horse battery")
        .await
        .unwrap();
}

async fn concurrent_writes_fire_each_threshold_exactly_once(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    email_on(&app, &ann).await;
    budget(
        &app,
        &ann,
        Some("Groceries"),
        PeriodKind::Monthly,
        "100",
        None,
    )
    .await;
    let groceries = app.category(&ann, "Groceries").await.id;
    // A second device on the same database, signed in as Ann too.
    let second = app.reopen().await;
    second
        .log_in("ann@example.com", "correct horse battery", false)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..50 {
        let outlay = if i % 2 == 0 {
            app.outlay.clone()
        } else {
            second.clone()
        };
        let (ann, input) = (ann.clone(), input("2", "2026-11-20", groceries));
        tasks.push(tokio::spawn(async move {
            outlay.add_expense(&ann, input).await.unwrap().fired
        }));
    }
    let mut fired = Vec::new();
    for task in tasks {
        fired.extend(task.await.unwrap());
    }
    let mut thresholds: Vec<u32> = fired.iter().map(|a| a.threshold).collect();
    thresholds.sort();
    assert_eq!(
        thresholds,
        [80, 100],
        "each threshold fired by exactly one write"
    );
    assert_eq!(stored(&app, &ann).await.len(), 2);
    let outbox = app.outlay.outbox(&ann, None).await.unwrap();
    assert_eq!(outbox.len(), 2, "one mail per alert");
    let mut mailed: Vec<_> = outbox.iter().filter_map(|m| m.alert_id).collect();
    let mut alerted: Vec<_> = fired.iter().map(|a| a.id).collect();
    mailed.sort();
    alerted.sort();
    assert_eq!(mailed, alerted);
}

async fn daily_totals_follow_every_kind_of_write(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let id = |name: &'static str| {
        let (app, ann) = (&app, &ann);
        async move { app.category(ann, name).await.id }
    };
    let (groceries, coffee, taxi) = (id("Groceries").await, id("Coffee").await, id("Taxi").await);
    let mut ids = Vec::new();
    for (i, (amount, day, category)) in [
        ("10", "2026-11-02", groceries),
        ("20.50", "2026-11-02", coffee),
        ("30", "2026-11-09", taxi),
        ("40", "2026-11-16", groceries),
        ("50", "2026-10-31", coffee),
        ("60", "2026-11-30", groceries),
    ]
    .into_iter()
    .enumerate()
    {
        let mut expense = input(amount, day, category);
        if i == 3 {
            expense.currency = Some("EUR".into());
        }
        ids.push(
            app.outlay
                .add_expense(&ann, expense)
                .await
                .unwrap()
                .value
                .id,
        );
    }
    // Every kind of write, each one moving spend between days, categories or currencies.
    app.outlay
        .update_expense(&ann, ids[0], input("12.25", "2026-11-03", coffee))
        .await
        .unwrap();
    let mut dollars = input("40", "2026-11-17", groceries);
    dollars.currency = Some("USD".into());
    app.outlay
        .update_expense(&ann, ids[3], dollars)
        .await
        .unwrap();
    app.outlay
        .delete_expenses(&ann, &[ids[1], ids[2]])
        .await
        .unwrap();
    app.outlay.undo_delete(&ann, &[ids[2]]).await.unwrap();
    app.outlay
        .recategorise_expenses(&ann, &[ids[4], ids[5]], taxi)
        .await
        .unwrap();
    let health = app.category(&ann, "Health").await.id;
    app.outlay
        .merge_categories(&ann, taxi, health)
        .await
        .unwrap();

    // Budgets that fire at 1 % (as they are saved, for the periods holding today), then one
    // re-evaluation of everything: each alert carries the total the daily sums give, which
    // must be what the expenses themselves add up to.
    let mut fired = Vec::new();
    for (category, period) in [
        (None, PeriodKind::Monthly),
        (Some("Food"), PeriodKind::Monthly),
        (Some("Health"), PeriodKind::Weekly),
        (None, PeriodKind::Yearly),
    ] {
        let saved = budget_saved(&app, &ann, category, period, "1", Some(vec![1])).await;
        fired.extend(saved.fired);
    }
    let categories = app.outlay.categories(&ann).await.unwrap();
    let mut touched = Vec::new();
    for day in [
        "2026-10-31",
        "2026-11-02",
        "2026-11-09",
        "2026-11-17",
        "2026-11-30",
    ] {
        for c in &categories {
            touched.push((c.id, day.parse().unwrap()));
        }
    }
    fired.extend(app.outlay.reevaluate_budgets(&ann, &touched).await.unwrap());
    // Overall: October, November, 2026; Food: November; Health: three weeks.
    assert_eq!(fired.len(), 7);
    for alert in &fired {
        let progress = app
            .outlay
            .budget_progress(&ann, alert.period.start)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.budget.id == alert.budget_id)
            .unwrap();
        assert_eq!(
            alert.spent,
            progress.spent,
            "{} in {}",
            alert.budget_name,
            alert.period_label()
        );
    }
}

contract_tests!(
    adding_fires_each_threshold_once,
    one_write_can_cross_several_thresholds,
    falling_under_and_rising_again_does_not_fire_again,
    delete_removes_spend_and_undo_restores_it,
    an_edit_moves_spend_between_budgets_and_periods,
    bulk_recategorise_moves_spend_into_another_budget,
    sub_categories_count_for_their_parents_budget_only,
    weekly_monthly_and_yearly_periods,
    other_currencies_and_other_users_do_not_count,
    the_import_hook_reevaluates_what_it_is_given,
    a_budget_set_or_lowered_below_this_periods_spend_alerts_at_once,
    a_restart_does_not_fire_again,
    alerts_are_marked_read_one_or_all,
    alerts_queue_mail_in_the_same_write,
    concurrent_writes_fire_each_threshold_exactly_once,
    daily_totals_follow_every_kind_of_write,
);

/// PostgreSQL: two devices whose writes cross a threshold only together. The second writer
/// waits for the first (a lock on the user's own row), so its sum includes the first one's
/// spend and the crossing is not missed by both.
#[tokio::test]
async fn postgres_writers_of_one_user_queue_so_a_joint_crossing_fires() {
    use sqlx::{Connection, Executor};
    if !Backend::Postgres.available() {
        return;
    }
    let app = Backend::Postgres.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        None,
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    add(&app, &ann, "40", "2026-11-02", "Rent").await;
    let rent = app.category(&ann, "Rent").await.id;
    let db = app.postgres().unwrap();
    let (role, password) = crate::harness::postgres::credentials(
        &app.outlay,
        "ann@example.com",
        "correct horse battery",
    )
    .await;
    // The other device, mid-write: it holds the lock and has added $50 it has not committed.
    let options = db.signin.clone().username(&role).password(&password);
    let mut other = sqlx::PgConnection::connect_with(&options).await.unwrap();
    other.execute("BEGIN").await.unwrap();
    other
        .execute("SELECT 1 FROM outlay.users WHERE owner = current_user FOR NO KEY UPDATE")
        .await
        .unwrap();
    let sql = format!(
        r#"
        INSERT INTO outlay.expenses (id, category_id, amount_minor, currency, spent_on,
            created_at, updated_at)
        VALUES ('{}', '{rent}', 5000, 'USD', '2026-11-10', now(), now())
        "#,
        Uuid::now_v7()
    );
    other.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    let adding = {
        let (outlay, ann) = (app.outlay.clone(), ann.clone());
        tokio::spawn(async move {
            outlay
                .add_expense(&ann, input("20", "2026-11-11", rent))
                .await
        })
    };
    let mut admin = db.admin().await;
    let mut waiting = 0i64;
    for _ in 0..500 {
        waiting = sqlx::query_scalar(
            r#"
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
            "#,
        )
        .fetch_one(&mut admin)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(waiting, 1, "the app's write waits for the other device's");
    other.execute("COMMIT").await.unwrap();
    let fired = adding.await.unwrap().unwrap().fired;
    assert_eq!(keys(&fired), [key("Overall", "November 2026", 100)]);
    assert_eq!(fired[0].spent.minor, 11_000);
}
