//! Quick add on each backend: category learning from the user's own history (the store
//! query and the suggestion built on it), and saving through the expense path.

use crate::harness::{Backend, TestApp};
use outlay_core::expenses::ExpenseFilter;
use outlay_core::quick_add::{CategorySuggestion, SuggestionSource};
use outlay_core::store::DescriptionUse;
use outlay_core::Session;

async fn suggested(app: &TestApp, session: &Session, line: &str) -> CategorySuggestion {
    app.outlay
        .quick_add_preview(session, line)
        .await
        .unwrap()
        .category
        .unwrap_or_else(|| panic!("no category for {line}"))
}

/// (category name, source, matched) of a suggestion.
fn shown(s: &CategorySuggestion) -> (&str, SuggestionSource, &str) {
    (s.name.as_str(), s.source, s.matched.as_str())
}

async fn categories_are_learned_from_the_users_own_history(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    let entertainment = app.category(&ann, "Entertainment").await;
    let bills = app.category(&ann, "Bills & subscriptions").await;
    // The keyword rule says Bills & subscriptions; Ann files Netflix under Entertainment.
    app.spend(
        &ann,
        "9.99",
        "2026-08-01",
        "Bills & subscriptions",
        "netflix",
    )
    .await;
    for month in ["09", "10", "11"] {
        app.spend(
            &ann,
            "9.99",
            &format!("2026-{month}-01"),
            "Entertainment",
            "Netflix",
        )
        .await;
    }
    app.spend(&ann, "80", "2026-11-25", "Groceries", "Weekly shop")
        .await;
    // Deleted expenses and other users' expenses teach nothing.
    let mut deleted = Vec::new();
    for _ in 0..5 {
        deleted.push(
            app.spend(&ann, "1", "2026-11-20", "Gifts", "NETFLIX")
                .await
                .id,
        );
    }
    app.outlay.delete_expenses(&ann, &deleted).await.unwrap();
    for _ in 0..10 {
        app.spend(&bob, "1", "2026-11-20", "Travel", "netflix")
            .await;
    }

    let mut uses = ann
        .store()
        .expenses()
        .description_uses(&["netflix".to_owned()], 5_000)
        .await
        .unwrap();
    uses.sort_by_key(|u| u.uses);
    assert_eq!(
        uses,
        [
            DescriptionUse {
                description: "netflix".into(),
                category_id: bills.id,
                uses: 1,
                last_used: "2026-08-01".parse().unwrap(),
            },
            DescriptionUse {
                description: "Netflix".into(),
                category_id: entertainment.id,
                uses: 3,
                last_used: "2026-11-01".parse().unwrap(),
            },
        ]
    );
    // Only the newest rows are searched: the newest one is the weekly shop.
    let newest_only = ann
        .store()
        .expenses()
        .description_uses(&["netflix".to_owned()], 1)
        .await
        .unwrap();
    assert!(newest_only.is_empty(), "{newest_only:?}");
    let shop = ann
        .store()
        .expenses()
        .description_uses(&["shop".to_owned(), "xyz".to_owned()], 1)
        .await
        .unwrap();
    assert_eq!(shop.len(), 1);
    assert!(ann
        .store()
        .expenses()
        .description_uses(&[], 5_000)
        .await
        .unwrap()
        .is_empty());

    // The same description, in any letter case: history wins over the keyword rule.
    let same = suggested(&app, &ann, "NETFLIX 9.99").await;
    assert_eq!(
        shown(&same),
        ("Entertainment", SuggestionSource::History, "netflix")
    );
    assert_eq!(same.category_id, entertainment.id);
    // Shared words.
    let words = suggested(&app, &ann, "netflix family plan 15.99").await;
    assert_eq!(
        shown(&words),
        ("Entertainment", SuggestionSource::HistoryWords, "netflix")
    );
    // Bob's own history is his alone.
    let bobs = suggested(&app, &bob, "netflix 9.99").await;
    assert_eq!(
        shown(&bobs),
        ("Travel", SuggestionSource::History, "netflix")
    );
    // No history: keyword rules, then "Other".
    let coffee = suggested(&app, &ann, "flat white coffee 3.20").await;
    assert_eq!(
        shown(&coffee),
        ("Coffee", SuggestionSource::KeywordRule, "coffee")
    );
    assert_eq!(coffee.parent_name.as_deref(), Some("Food"));
    let other = suggested(&app, &ann, "zzz 3").await;
    assert_eq!(shown(&other), ("Other", SuggestionSource::Fallback, ""));

    // An archived category is never suggested: the next best history takes over.
    app.outlay
        .set_category_archived(&ann, entertainment.id, true)
        .await
        .unwrap();
    let after = suggested(&app, &ann, "Netflix 9.99").await;
    assert_eq!(
        shown(&after),
        (
            "Bills & subscriptions",
            SuggestionSource::History,
            "netflix"
        )
    );
}

async fn quick_add_saves_through_the_expense_path(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let saved = app
        .outlay
        .quick_add_save(&ann, "12.50 lunch yesterday #work @card", None)
        .await
        .unwrap()
        .value;
    let stored = app.outlay.expense(&ann, saved.id).await.unwrap();
    let restaurants = app.category(&ann, "Restaurants").await;
    assert_eq!(
        (
            stored.amount.minor,
            stored.amount.currency.code(),
            stored.date.to_string(),
            stored.description.as_str(),
            stored.tags.clone(),
            stored.payment_method.as_deref(),
            stored.category_id,
        ),
        (
            1250,
            "USD",
            "2026-11-24".to_owned(),
            "lunch",
            vec!["work".to_owned()],
            Some("card"),
            restaurants.id
        )
    );

    // The user may change the suggested category; the expense form's checks still apply.
    let taxi = app.category(&ann, "Taxi").await;
    let chosen = app
        .outlay
        .quick_add_save(&ann, "€23,40 lunch", Some(taxi.id))
        .await
        .unwrap()
        .value;
    assert_eq!(
        (
            chosen.category_id,
            chosen.amount.minor,
            chosen.amount.currency.code()
        ),
        (taxi.id, 2340, "EUR")
    );
    app.outlay
        .set_category_archived(&ann, taxi.id, true)
        .await
        .unwrap();
    let archived = app
        .outlay
        .quick_add_save(&ann, "5 taxi", Some(taxi.id))
        .await
        .unwrap_err();
    assert_eq!(archived.field(), Some("categoryId"));
    let junk = app
        .outlay
        .quick_add_save(&ann, "lunch yesterday", None)
        .await
        .unwrap_err();
    assert_eq!(junk.field(), Some("amount"));

    // Now "lunch" has history (Restaurants once, Taxi once, the latest): the latest wins
    // the tie, but Taxi is archived, so Restaurants.
    let next = suggested(&app, &ann, "lunch 9").await;
    assert_eq!(
        shown(&next),
        ("Restaurants", SuggestionSource::History, "lunch")
    );
    let all = app
        .outlay
        .list_expenses(&ann, &ExpenseFilter::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(all.expenses.len(), 2, "refused lines saved nothing");
}

contract_tests!(
    categories_are_learned_from_the_users_own_history,
    quick_add_saves_through_the_expense_path,
);
