use crate::harness::{input, Backend};
use crate::statements::{expense, import, known, rule};
use outlay_core::budgets::BudgetInput;
use outlay_core::categories::CategoryInput;
use outlay_core::domain::PeriodKind;
use outlay_core::expenses::ExpenseFilter;
use outlay_core::AppError;

async fn two_users_never_see_each_others_data(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    let anns = app
        .spend(&ann, "42", "2026-11-20", "Groceries", "ann's secret")
        .await;
    let anns_food = app.category(&ann, "Food").await.id;

    // Ann's budget fires as it is saved (already over), with e-mail on.
    app.outlay
        .save_email_settings(
            &ann,
            outlay_core::mail::EmailSettingsInput {
                enabled: true,
                recipient: "ann@example.com".into(),
                sender: "alerts@example.com".into(),
            },
        )
        .await
        .unwrap();
    let created = app
        .outlay
        .create_budget(
            &ann,
            BudgetInput {
                category_id: Some(anns_food),
                period: PeriodKind::Monthly,
                amount: "10".into(),
                currency: None,
                thresholds: None,
            },
        )
        .await
        .unwrap();
    let (anns_budget, fired) = (created.value, created.fired);
    assert_eq!(fired.len(), 2);
    let anns_mail = app.outlay.outbox(&ann, None).await.unwrap()[0].id;

    // Bob's view holds nothing of Ann's.
    assert!(app.outlay.alerts(&bob, 50).await.unwrap().alerts.is_empty());
    assert!(app.outlay.outbox(&bob, None).await.unwrap().is_empty());
    assert!(!app.outlay.email_settings(&bob).await.unwrap().enabled);
    assert!(matches!(
        app.outlay.mark_alert_read(&bob, fired[0].id).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        app.outlay.retry_mail(&bob, anns_mail).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        app.outlay
            .set_budget_email(&bob, anns_budget.id, false)
            .await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(app.outlay.mark_all_alerts_read(&bob).await.unwrap(), 0);
    let page = app
        .outlay
        .list_expenses(&bob, &ExpenseFilter::default(), None, 100)
        .await
        .unwrap();
    assert!(page.expenses.is_empty());
    assert!(app
        .outlay
        .expense_totals(&bob, &ExpenseFilter::default())
        .await
        .unwrap()
        .is_empty());
    assert!(app.outlay.budgets(&bob).await.unwrap().is_empty());
    let bobs_categories = app.outlay.categories(&bob).await.unwrap();
    assert!(bobs_categories.iter().all(|c| c.id != anns_food));
    assert_eq!(
        app.outlay
            .dashboard(&bob, "2026-11-25".parse().unwrap())
            .await
            .unwrap()
            .spent
            .minor,
        0
    );

    // Bob cannot reach Ann's rows by id.
    assert!(matches!(
        app.outlay.expense(&bob, anns.id).await,
        Err(AppError::NotFound(_))
    ));
    let bobs_food = app.category(&bob, "Food").await.id;
    assert!(app
        .outlay
        .update_expense(&bob, anns.id, input("1", "2026-11-20", bobs_food))
        .await
        .is_err());
    assert_eq!(
        app.outlay
            .delete_expenses(&bob, &[anns.id])
            .await
            .unwrap()
            .value,
        0
    );
    assert_eq!(
        app.outlay
            .recategorise_expenses(&bob, &[anns.id], bobs_food)
            .await
            .unwrap()
            .value,
        0
    );
    assert!(app
        .outlay
        .delete_budget(&bob, anns_budget.id)
        .await
        .is_err());
    assert!(app
        .outlay
        .update_category(
            &bob,
            anns_food,
            CategoryInput {
                name: "Mine now".into(),
                ..Default::default()
            }
        )
        .await
        .is_err());
    assert!(app
        .outlay
        .merge_categories(&bob, anns_food, bobs_food)
        .await
        .is_err());
    // …nor file his expenses or budgets under her categories.
    assert_eq!(
        app.outlay
            .add_expense(&bob, input("1", "2026-11-20", anns_food))
            .await
            .unwrap_err()
            .field(),
        Some("categoryId")
    );
    let filter = ExpenseFilter {
        category_id: Some(anns_food),
        ..Default::default()
    };
    assert!(app
        .outlay
        .list_expenses(&bob, &filter, None, 10)
        .await
        .is_err());

    // Ann's data is untouched.
    let still = app.outlay.expense(&ann, anns.id).await.unwrap();
    assert_eq!(
        (
            still.description.as_str(),
            still.deleted_at,
            still.category_id
        ),
        ("ann's secret", None, anns.category_id)
    );
    assert_eq!(app.outlay.budgets(&ann).await.unwrap(), vec![anns_budget]);
    assert_eq!(app.outlay.alerts(&ann, 50).await.unwrap().unread, 2);
    assert!(app
        .outlay
        .categories(&ann)
        .await
        .unwrap()
        .iter()
        .any(|c| c.name == "Food"));
}

/// Below the services: the store handle a sign-in yields is scoped to its user by the store
/// itself. Handed Bob's ids, Ann's handle finds, changes and deletes nothing of his, in
/// every area; no per-user method even takes a user id to get wrong.
async fn a_users_store_handle_cannot_reach_another_users_rows(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    let bobs = app
        .spend(&bob, "42", "2026-11-20", "Groceries", "bob's secret")
        .await;
    let bobs_food = app.category(&bob, "Food").await;
    let bobs_budget = app
        .outlay
        .create_budget(
            &bob,
            BudgetInput {
                category_id: Some(bobs_food.id),
                period: PeriodKind::Monthly,
                amount: "10".into(),
                currency: None,
                thresholds: None,
            },
        )
        .await
        .unwrap()
        .value;
    app.spend(&bob, "1", "2026-11-21", "Groceries", "").await;
    let bobs_alert = app.outlay.alerts(&bob, 10).await.unwrap().alerts[0].id;
    // A statement imported in October (outside the month checked below), its layout and a rule.
    let bobs_statements = bob.store().statements();
    bobs_statements
        .save_layout("bank-x", "bob's mapping", app.clock.now())
        .await
        .unwrap();
    let bobs_rule = rule("Bob's shop", bobs_food.id, 0);
    bobs_statements.add_rule(&bobs_rule).await.unwrap();
    let mut bobs_imported = expense(bobs.category_id, 100, "bob's statement");
    bobs_imported.date = day("2026-10-15");
    import(
        &bob,
        std::slice::from_ref(&bobs_imported),
        &[(bobs_imported.id, "BOB-REF-1")],
    )
    .await;
    let (now, today) = (app.clock.now(), app.clock.today());
    let usd = bobs.amount.currency;
    let (from, to) = (day("2026-11-01"), day("2026-12-01"));

    let anns = ann.store();
    assert_eq!(anns.expenses().get(bobs.id).await.unwrap(), None);
    let everything = outlay_core::expenses::ExpenseQuery::default();
    let listed = anns
        .expenses()
        .list(&everything, outlay_core::store::PageStart::First, 500)
        .await
        .unwrap();
    assert!(listed.iter().all(|e| e.id != bobs.id), "{listed:?}");
    assert!(anns
        .expenses()
        .totals(&everything)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(anns.spend().total(usd, from, to, None).await.unwrap(), 0);
    assert!(anns
        .spend()
        .by_category(usd, from, to)
        .await
        .unwrap()
        .is_empty());
    assert!(anns
        .transfer()
        .live_expense_keys(from, to)
        .await
        .unwrap()
        .is_empty());
    let mut moved = bobs.clone();
    moved.description = "changed by ann".into();
    assert!(matches!(
        anns.expenses().update(&moved, now).await,
        Err(AppError::NotFound(_))
    ));
    let deleted = anns
        .expenses()
        .set_deleted(&[bobs.id], Some(now), now)
        .await
        .unwrap();
    assert_eq!(deleted.value, 0);
    let anns_food = app.category(&ann, "Food").await.id;
    let moved = anns
        .expenses()
        .recategorise(&[bobs.id], anns_food, now)
        .await
        .unwrap();
    assert_eq!(moved.value, 0);
    let mut renamed = bobs_food.clone();
    renamed.name = "Renamed by ann".into();
    assert!(matches!(
        anns.categories().update(&renamed).await,
        Err(AppError::NotFound(_))
    ));
    assert!(anns.budgets().list().await.unwrap().is_empty());
    assert!(matches!(
        anns.budgets().delete(bobs_budget.id, today, now).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        anns.budgets().set_email(bobs_budget.id, true).await,
        Err(AppError::NotFound(_))
    ));
    assert!(!anns.alerts().exists(bobs_alert).await.unwrap());
    assert_eq!(
        anns.alerts()
            .mark_read(Some(bobs_alert), now)
            .await
            .unwrap(),
        0
    );
    assert_eq!(anns.alerts().mark_read(None, now).await.unwrap(), 0);
    let anns_statements = anns.statements();
    assert_eq!(anns_statements.layout("bank-x").await.unwrap(), None);
    assert!(anns_statements.rules().await.unwrap().is_empty());
    assert!(!anns_statements.delete_rule(bobs_rule.id).await.unwrap());
    assert!(known(&ann, &["BOB-REF-1"]).await.is_empty());
    let into_his = anns_statements
        .add_rule(&rule("Mine", bobs_food.id, 1))
        .await
        .unwrap_err();
    assert_eq!(into_his.field(), Some("categoryId"), "{into_his:?}");
    // His texts, fingerprints and references are no obstacle to hers, nor changed by hers.
    anns_statements
        .add_rule(&rule("bob's shop", anns_food, 2))
        .await
        .unwrap();
    anns_statements
        .save_layout("bank-x", "ann's mapping", now)
        .await
        .unwrap();
    let mut anns_imported = expense(anns_food, 100, "ann's statement");
    anns_imported.date = day("2026-10-15");
    import(
        &ann,
        std::slice::from_ref(&anns_imported),
        &[(anns_imported.id, "BOB-REF-1")],
    )
    .await;
    assert_eq!(known(&ann, &["BOB-REF-1"]).await, ["BOB-REF-1"]);

    // Bob's rows are as he left them.
    let his = bob.store();
    let still = his.expenses().get(bobs.id).await.unwrap().unwrap();
    assert_eq!(
        (
            still.description.as_str(),
            still.deleted_at,
            still.category_id
        ),
        ("bob's secret", None, bobs.category_id)
    );
    assert_eq!(his.budgets().list().await.unwrap(), vec![bobs_budget]);
    assert_eq!(his.alerts().unread().await.unwrap(), 2);
    assert!(his
        .categories()
        .list()
        .await
        .unwrap()
        .iter()
        .any(|c| c.name == "Food"));
    assert_eq!(his.spend().total(usd, from, to, None).await.unwrap(), 4300);
    let his_statements = his.statements();
    assert_eq!(
        his_statements.layout("bank-x").await.unwrap().as_deref(),
        Some("bob's mapping")
    );
    assert_eq!(his_statements.rules().await.unwrap(), vec![bobs_rule]);
    assert_eq!(known(&bob, &["BOB-REF-1"]).await, ["BOB-REF-1"]);
}

fn day(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

contract_tests!(
    two_users_never_see_each_others_data,
    a_users_store_handle_cannot_reach_another_users_rows
);
