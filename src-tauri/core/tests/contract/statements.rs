//! Storage for bank statement import, on every backend: saved layouts, category rules, and the
//! bank's references saved with an import.

use crate::harness::{test_now, Backend};
use outlay_core::alerts::PastPeriods;
use outlay_core::domain::{Currency, Money};
use outlay_core::expenses::Expense;
use outlay_core::statement::CategoryRule;
use outlay_core::{AppError, Session};
use uuid::Uuid;

/// A live expense of `minor` cents in `category` today, for the store's import.
pub fn expense(category: Uuid, minor: i64, description: &str) -> Expense {
    let now = test_now();
    Expense {
        id: Uuid::now_v7(),
        amount: Money::from_minor(minor, Currency::parse("USD").unwrap()).unwrap(),
        date: now.date_naive(),
        category_id: category,
        description: description.into(),
        payment_method: None,
        tags: Vec::new(),
        created_at: now,
        updated_at: now,
        deleted_at: None,
    }
}

/// A rule made now plus `seconds`.
pub fn rule(contains: &str, category: Uuid, seconds: i64) -> CategoryRule {
    CategoryRule {
        id: Uuid::now_v7(),
        contains: contains.into(),
        category_id: category,
        created_at: test_now() + chrono::Duration::seconds(seconds),
    }
}

/// Imports `expenses` through the store with `(expense, reference)` pairs.
pub async fn import(session: &Session, expenses: &[Expense], references: &[(Uuid, &str)]) {
    let references: Vec<(Uuid, String)> = references
        .iter()
        .map(|(id, reference)| (*id, (*reference).to_owned()))
        .collect();
    session
        .store()
        .transfer()
        .import(
            &[],
            expenses,
            &references,
            test_now(),
            PastPeriods::Notify,
            &mut |_| {},
        )
        .await
        .unwrap();
}

/// The references of `asked` that `session` imported before, sorted.
pub async fn known(session: &Session, asked: &[&str]) -> Vec<String> {
    let asked: Vec<String> = asked.iter().map(|r| (*r).to_owned()).collect();
    let mut known = session
        .store()
        .statements()
        .known_references(&asked)
        .await
        .unwrap();
    known.sort();
    known
}

async fn a_layout_is_saved_per_fingerprint_and_saved_over(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let statements = ann.store().statements();
    let now = test_now();
    assert_eq!(statements.layout("sparkasse-v1").await.unwrap(), None);
    let first = r#"{"delimiter":";","date":0,"amount":3,"decimal":","}"#;
    statements
        .save_layout("sparkasse-v1", first, now)
        .await
        .unwrap();
    let other = r#"{"delimiter":",","date":1,"amount":2}"#;
    statements
        .save_layout("chase-csv", other, now)
        .await
        .unwrap();
    assert_eq!(
        statements.layout("sparkasse-v1").await.unwrap().as_deref(),
        Some(first)
    );
    // Saved again (the user changed a column): the new mapping replaces the old one.
    let changed = r#"{"delimiter":";","date":1,"amount":3,"decimal":",","note":"€ ✓"}"#;
    let later = now + chrono::Duration::minutes(5);
    statements
        .save_layout("sparkasse-v1", changed, later)
        .await
        .unwrap();
    assert_eq!(
        statements.layout("sparkasse-v1").await.unwrap().as_deref(),
        Some(changed)
    );
    assert_eq!(
        statements.layout("chase-csv").await.unwrap().as_deref(),
        Some(other)
    );
    // Fingerprints are compared exactly.
    assert_eq!(statements.layout("SPARKASSE-V1").await.unwrap(), None);
}

async fn rules_are_added_listed_oldest_first_and_deleted(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await.id;
    let fuel = app.category(&ann, "Fuel").await.id;
    let statements = ann.store().statements();
    assert!(statements.rules().await.unwrap().is_empty());
    // Added newest first: listed by when they were made.
    let shell = rule("Shell", fuel, 60);
    let lidl = rule("LIDL", groceries, 0);
    let apfel = rule("ÄPFEL", groceries, 120);
    for r in [&shell, &lidl, &apfel] {
        statements.add_rule(r).await.unwrap();
    }
    assert_eq!(
        statements.rules().await.unwrap(),
        vec![lidl.clone(), shell.clone(), apfel.clone()]
    );

    // One rule per text, whatever its case (beyond ASCII too).
    for text in ["lidl", "Lidl", "äpfel"] {
        let again = statements
            .add_rule(&rule(text, fuel, 180))
            .await
            .unwrap_err();
        match again {
            AppError::Conflict(message) => {
                assert_eq!(message, "There is a rule for that text already.")
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    // A longer text is another rule.
    statements
        .add_rule(&rule("LIDL Express", fuel, 240))
        .await
        .unwrap();
    // The category must be one of the user's.
    let nowhere = statements
        .add_rule(&rule("Nowhere", Uuid::now_v7(), 300))
        .await
        .unwrap_err();
    assert_eq!(nowhere.field(), Some("categoryId"), "{nowhere:?}");
    assert_eq!(statements.rules().await.unwrap().len(), 4);

    assert!(statements.delete_rule(lidl.id).await.unwrap());
    assert!(!statements.delete_rule(lidl.id).await.unwrap());
    assert!(!statements.delete_rule(Uuid::now_v7()).await.unwrap());
    let left: Vec<String> = statements
        .rules()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.contains)
        .collect();
    assert_eq!(left, ["Shell", "ÄPFEL", "LIDL Express"]);
    // Its text is free again.
    statements
        .add_rule(&rule("lidl", groceries, 360))
        .await
        .unwrap();
}

async fn a_rule_follows_its_category_into_a_merge(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let coffee = app.category(&ann, "Coffee").await.id;
    let restaurants = app.category(&ann, "Restaurants").await.id;
    let taxi = app.category(&ann, "Taxi").await.id;
    let (transport, travel) = (
        app.category(&ann, "Transport").await.id,
        app.category(&ann, "Travel").await.id,
    );
    let statements = ann.store().statements();
    let starbucks = rule("Starbucks", coffee, 0);
    let uber = rule("Uber", taxi, 1);
    let ryanair = rule("Ryanair", transport, 2);
    for r in [&starbucks, &uber, &ryanair] {
        statements.add_rule(r).await.unwrap();
    }
    app.outlay
        .merge_categories(&ann, coffee, restaurants)
        .await
        .unwrap();
    // A parent merged: its own rules follow it, its children's stay on the children.
    app.outlay
        .merge_categories(&ann, transport, travel)
        .await
        .unwrap();
    let categories: Vec<(String, Uuid)> = statements
        .rules()
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.contains, r.category_id))
        .collect();
    assert_eq!(
        categories,
        [
            ("Starbucks".to_owned(), restaurants),
            ("Uber".to_owned(), taxi),
            ("Ryanair".to_owned(), travel),
        ]
    );
}

async fn references_saved_with_an_import_are_known_afterwards(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await.id;
    assert!(known(&ann, &[]).await.is_empty());
    assert!(known(&ann, &["FITID-1"]).await.is_empty());

    let (rewe, aldi, bakery) = (
        expense(groceries, 1250, "REWE"),
        expense(groceries, 899, "ALDI"),
        expense(groceries, 300, "Bakery, no reference"),
    );
    import(
        &ann,
        &[rewe.clone(), aldi.clone(), bakery],
        &[(rewe.id, "FITID-1"), (aldi.id, "2026112500042")],
    )
    .await;
    assert_eq!(
        known(&ann, &["FITID-3", "FITID-1", "2026112500042", "fitid-1"]).await,
        ["2026112500042", "FITID-1"]
    );

    // A statement's worth of references and more, across the stores' batches; one asked
    // for twice, far apart, is found once.
    let mut many: Vec<String> = (0..25_000).map(|i| format!("REF-{i:06}")).collect();
    many.insert(12_345, "FITID-1".into());
    many.insert(5, "FITID-1".into());
    many.push("2026112500042".into());
    let mut found = ann
        .store()
        .statements()
        .known_references(&many)
        .await
        .unwrap();
    found.sort();
    assert_eq!(found, ["2026112500042", "FITID-1"]);

    // A reference known already, or twice in one import, does not fail the import: the
    // expense is saved, the reference stays with its first expense.
    let (again, twice, twin) = (
        expense(groceries, 1250, "REWE again"),
        expense(groceries, 100, "twice"),
        expense(groceries, 100, "twice, second"),
    );
    import(
        &ann,
        &[again.clone(), twice.clone(), twin.clone()],
        &[
            (again.id, "FITID-1"),
            (twice.id, "CAMT-7"),
            (twin.id, "CAMT-7"),
        ],
    )
    .await;
    assert!(ann
        .store()
        .expenses()
        .get(again.id)
        .await
        .unwrap()
        .is_some());
    assert!(ann.store().expenses().get(twin.id).await.unwrap().is_some());
    assert_eq!(
        known(&ann, &["FITID-1", "CAMT-7"]).await,
        ["CAMT-7", "FITID-1"]
    );

    // Its expense deleted, a reference is still known: the line was imported before.
    app.outlay.delete_expenses(&ann, &[aldi.id]).await.unwrap();
    assert_eq!(known(&ann, &["2026112500042"]).await, ["2026112500042"]);
}

/// The references go in the import's one transaction: an import that fails saves none.
async fn a_failed_import_saves_no_references(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await.id;
    let first = expense(groceries, 100, "first");
    let batch = [
        first.clone(),
        expense(groceries, 200, "second"),
        first.clone(),
    ];
    let failed = ann
        .store()
        .transfer()
        .import(
            &[],
            &batch,
            &[(first.id, "FITID-9".to_owned())],
            test_now(),
            PastPeriods::Notify,
            &mut |_| {},
        )
        .await;
    assert!(failed.is_err(), "a repeated id must fail the import");
    assert!(known(&ann, &["FITID-9"]).await.is_empty());
    // A reference must name an expense of the import: else the import fails, whole.
    let lone = expense(groceries, 300, "lone");
    let dangling = ann
        .store()
        .transfer()
        .import(
            &[],
            std::slice::from_ref(&lone),
            &[(Uuid::now_v7(), "FITID-10".to_owned())],
            test_now(),
            PastPeriods::Notify,
            &mut |_| {},
        )
        .await;
    assert!(dangling.is_err(), "a reference to no expense");
    assert!(ann.store().expenses().get(lone.id).await.unwrap().is_none());
    assert!(known(&ann, &["FITID-10"]).await.is_empty());
    import(&ann, std::slice::from_ref(&lone), &[(lone.id, "FITID-10")]).await;
    assert_eq!(known(&ann, &["FITID-9", "FITID-10"]).await, ["FITID-10"]);
}

async fn deleting_the_account_takes_layouts_rules_and_references(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await.id;
    let statements = ann.store().statements();
    statements
        .save_layout("ing-csv", "{}", test_now())
        .await
        .unwrap();
    statements
        .add_rule(&rule("LIDL", groceries, 0))
        .await
        .unwrap();
    let rewe = expense(groceries, 1250, "REWE");
    import(&ann, std::slice::from_ref(&rewe), &[(rewe.id, "FITID-1")]).await;

    app.outlay
        .delete_account(&ann, "correct horse battery")
        .await
        .unwrap();
    let again = app.user("ann@example.com").await;
    let statements = again.store().statements();
    assert_eq!(statements.layout("ing-csv").await.unwrap(), None);
    assert!(statements.rules().await.unwrap().is_empty());
    assert!(known(&again, &["FITID-1"]).await.is_empty());
}

contract_tests!(
    a_layout_is_saved_per_fingerprint_and_saved_over,
    rules_are_added_listed_oldest_first_and_deleted,
    a_rule_follows_its_category_into_a_merge,
    references_saved_with_an_import_are_known_afterwards,
    a_failed_import_saves_no_references,
    deleting_the_account_takes_layouts_rules_and_references,
);
