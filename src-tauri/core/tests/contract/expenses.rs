use crate::harness::{input, Backend};
use outlay_core::expenses::{ExpenseFilter, ExpenseInput};
use outlay_core::AppError;
use std::collections::HashSet;

async fn create_read_update_delete_undo(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await;
    let coffee = app.category(&ann, "Coffee").await;
    let added = app
        .outlay
        .add_expense(
            &ann,
            ExpenseInput {
                amount: "1,234.56".into(),
                currency: Some("eur".into()),
                date: Some("2026-11-20".into()),
                category_id: groceries.id,
                description: "  weekly shop ".into(),
                payment_method: Some("card".into()),
                tags: vec!["#Family".into(), "food".into(), "family".into()],
            },
        )
        .await
        .unwrap()
        .value;
    assert_eq!(
        (added.amount.minor, added.amount.currency.code()),
        (123_456, "EUR")
    );
    assert_eq!(
        (added.description.as_str(), added.tags.clone()),
        ("weekly shop", vec!["family".to_owned(), "food".to_owned()])
    );
    assert_eq!(app.outlay.expense(&ann, added.id).await.unwrap(), added);

    let mut change = input("4.50", "2026-11-21", coffee.id);
    change.description = "flat white".into();
    change.tags = vec!["work".into()];
    let updated = app
        .outlay
        .update_expense(&ann, added.id, change)
        .await
        .unwrap()
        .value;
    assert_eq!(updated.created_at, added.created_at);
    let stored = app.outlay.expense(&ann, added.id).await.unwrap();
    assert_eq!(
        (
            stored.amount.minor,
            stored.amount.currency.code(),
            stored.category_id
        ),
        (450, "USD", coffee.id)
    );
    assert_eq!(
        (
            stored.description.as_str(),
            stored.tags.clone(),
            stored.payment_method.clone()
        ),
        ("flat white", vec!["work".to_owned()], None)
    );

    assert_eq!(
        app.outlay
            .delete_expenses(&ann, &[added.id])
            .await
            .unwrap()
            .value,
        1
    );
    let page = app
        .outlay
        .list_expenses(&ann, &ExpenseFilter::default(), None, 50)
        .await
        .unwrap();
    assert!(page.expenses.is_empty());
    assert!(app
        .outlay
        .expense(&ann, added.id)
        .await
        .unwrap()
        .deleted_at
        .is_some());
    assert!(matches!(
        app.outlay
            .update_expense(&ann, added.id, input("1", "2026-11-21", coffee.id))
            .await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(
        app.outlay
            .undo_delete(&ann, &[added.id])
            .await
            .unwrap()
            .value,
        1
    );
    let page = app
        .outlay
        .list_expenses(&ann, &ExpenseFilter::default(), None, 50)
        .await
        .unwrap();
    assert_eq!(page.expenses, vec![stored]);
}

async fn bad_input_is_a_field_error_and_saves_nothing(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = app.category(&ann, "Food").await.id;
    let huge = "x".repeat(100_000);
    let cases: Vec<(ExpenseInput, &str)> = vec![
        (input("abc", "2026-11-20", food), "amount"),
        (input("0", "2026-11-20", food), "amount"),
        (input("-3", "2026-11-20", food), "amount"),
        (input("1e9999", "2026-11-20", food), "amount"),
        (
            input("1234567890123456789012345", "2026-11-20", food),
            "amount",
        ),
        (input("12", "2026-02-30", food), "date"),
        (input("12", "yesterday", food), "date"),
        (
            input("12", "2026-11-20", uuid::Uuid::now_v7()),
            "categoryId",
        ),
        (
            ExpenseInput {
                description: huge.clone(),
                ..input("12", "2026-11-20", food)
            },
            "description",
        ),
        (
            ExpenseInput {
                currency: Some("XYZ".into()),
                ..input("12", "2026-11-20", food)
            },
            "currency",
        ),
        (
            ExpenseInput {
                tags: vec!["two words".into()],
                ..input("12", "2026-11-20", food)
            },
            "tags",
        ),
        (
            ExpenseInput {
                payment_method: Some(huge),
                ..input("12", "2026-11-20", food)
            },
            "paymentMethod",
        ),
    ];
    for (bad, field) in cases {
        let error = app.outlay.add_expense(&ann, bad).await.unwrap_err();
        assert_eq!(error.field(), Some(field), "{error:?}");
    }
    let totals = app
        .outlay
        .expense_totals(&ann, &ExpenseFilter::default())
        .await
        .unwrap();
    assert!(totals.is_empty(), "nothing was saved: {totals:?}");
}

async fn injection_strings_are_stored_and_searched_literally(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let nasty = [
        "'); DROP TABLE expenses; --",
        "<img src=x onerror=alert(1)>",
        "100% off_sale \\o/",
        "☕ café",
    ];
    for text in nasty {
        app.spend(&ann, "1", "2026-11-20", "Other", text).await;
    }
    app.spend(&ann, "1", "2026-11-20", "Other", "100 percent offXsale")
        .await;
    for text in nasty {
        let filter = ExpenseFilter {
            search: Some(text.into()),
            ..Default::default()
        };
        let page = app
            .outlay
            .list_expenses(&ann, &filter, None, 50)
            .await
            .unwrap();
        let found: Vec<&str> = page
            .expenses
            .iter()
            .map(|e| e.description.as_str())
            .collect();
        assert_eq!(found, [text], "search {text:?}");
    }
    let wildcard = ExpenseFilter {
        search: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(
        app.outlay
            .list_expenses(&ann, &wildcard, None, 50)
            .await
            .unwrap()
            .expenses
            .len(),
        1
    );
}

async fn filters_combine(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = app.category(&ann, "Food").await.id;
    let groceries = app.category(&ann, "Groceries").await.id;
    let taxi = app.category(&ann, "Taxi").await.id;
    let add = |amount: &'static str,
               date: &'static str,
               category,
               method: Option<&'static str>,
               tags: Vec<&'static str>,
               description: &'static str| ExpenseInput {
        payment_method: method.map(Into::into),
        tags: tags.into_iter().map(Into::into).collect(),
        description: description.into(),
        ..input(amount, date, category)
    };
    for expense in [
        add(
            "10",
            "2026-10-31",
            groceries,
            Some("card"),
            vec!["home"],
            "Market",
        ),
        add(
            "20",
            "2026-11-01",
            food,
            Some("cash"),
            vec![],
            "Lunch with Sam",
        ),
        add(
            "30",
            "2026-11-15",
            groceries,
            Some("card"),
            vec!["home", "bulk"],
            "Costco run",
        ),
        add(
            "40",
            "2026-11-30",
            taxi,
            Some("card"),
            vec!["work"],
            "Airport taxi",
        ),
        add("50", "2026-12-01", taxi, None, vec![], "Taxi home"),
    ] {
        app.outlay.add_expense(&ann, expense).await.unwrap();
    }
    let amounts = |filter: ExpenseFilter| {
        let outlay = app.outlay.clone();
        let ann = ann.clone();
        async move {
            let page = outlay
                .list_expenses(&ann, &filter, None, 100)
                .await
                .unwrap();
            let totals = outlay.expense_totals(&ann, &filter).await.unwrap();
            let listed: Vec<i64> = page.expenses.iter().map(|e| e.amount.minor / 100).collect();
            let total: i64 = totals.iter().map(|t| t.amount.minor / 100).sum();
            assert_eq!(
                total,
                listed.iter().sum::<i64>(),
                "totals match the filtered set"
            );
            listed
        }
    };
    let november = |f: ExpenseFilter| ExpenseFilter {
        from: "2026-11-01".parse().ok(),
        to: "2026-11-30".parse().ok(),
        ..f
    };
    assert_eq!(
        amounts(ExpenseFilter::default()).await,
        [50, 40, 30, 20, 10]
    );
    assert_eq!(
        amounts(november(ExpenseFilter::default())).await,
        [40, 30, 20]
    );
    assert_eq!(
        amounts(ExpenseFilter {
            category_id: Some(food),
            ..Default::default()
        })
        .await,
        [30, 20, 10],
        "children included"
    );
    assert_eq!(
        amounts(ExpenseFilter {
            category_id: Some(groceries),
            ..Default::default()
        })
        .await,
        [30, 10]
    );
    assert_eq!(
        amounts(ExpenseFilter {
            payment_method: Some("card".into()),
            ..Default::default()
        })
        .await,
        [40, 30, 10]
    );
    assert_eq!(
        amounts(ExpenseFilter {
            tag: Some("#HOME".into()),
            ..Default::default()
        })
        .await,
        [30, 10]
    );
    assert_eq!(
        amounts(ExpenseFilter {
            min_amount: Some("20".into()),
            max_amount: Some("40.00".into()),
            ..Default::default()
        })
        .await,
        [40, 30, 20]
    );
    assert_eq!(
        amounts(ExpenseFilter {
            search: Some("TAXI".into()),
            ..Default::default()
        })
        .await,
        [50, 40]
    );
    assert_eq!(
        amounts(november(ExpenseFilter {
            category_id: Some(food),
            payment_method: Some("card".into()),
            ..Default::default()
        }))
        .await,
        [30]
    );
    let backwards = ExpenseFilter {
        from: "2026-12-01".parse().ok(),
        to: "2026-11-01".parse().ok(),
        ..Default::default()
    };
    assert_eq!(
        app.outlay
            .list_expenses(&ann, &backwards, None, 10)
            .await
            .unwrap_err()
            .field(),
        Some("from")
    );
}

async fn totals_are_per_currency(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = app.category(&ann, "Food").await.id;
    for (amount, currency) in [
        ("0.10", "USD"),
        ("0.20", "USD"),
        ("5", "EUR"),
        ("300", "JPY"),
    ] {
        let expense = ExpenseInput {
            currency: Some(currency.into()),
            ..input(amount, "2026-11-20", food)
        };
        app.outlay.add_expense(&ann, expense).await.unwrap();
    }
    let totals = app
        .outlay
        .expense_totals(&ann, &ExpenseFilter::default())
        .await
        .unwrap();
    let mut seen: Vec<(String, i64, i64)> = totals
        .iter()
        .map(|t| (t.amount.currency.code().to_owned(), t.amount.minor, t.count))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("EUR".to_owned(), 500, 1),
            ("JPY".to_owned(), 300, 1),
            ("USD".to_owned(), 30, 2)
        ]
    );
}

async fn pages_stay_stable_while_expenses_are_added(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = app.category(&ann, "Food").await.id;
    let mut original = HashSet::new();
    // 25 expenses over 5 days, 5 on each day, so ties on the date are broken by id.
    for i in 0..25 {
        let date = format!("2026-11-{:02}", 10 + i % 5);
        original.insert(
            app.outlay
                .add_expense(&ann, input("1", &date, food))
                .await
                .unwrap()
                .value
                .id,
        );
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut round = 0;
    loop {
        let page = app
            .outlay
            .list_expenses(&ann, &ExpenseFilter::default(), cursor.as_ref(), 7)
            .await
            .unwrap();
        seen.extend(page.expenses.iter().map(|e| (e.date, e.id)));
        // Someone adds an expense dated today (ahead of the cursor) between page loads.
        app.outlay
            .add_expense(&ann, input("2", "2026-11-25", food))
            .await
            .unwrap();
        round += 1;
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(round, 4);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, no reordering");
    let ids: HashSet<_> = seen.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids.len(), seen.len(), "no expense shown twice");
    assert_eq!(ids, original, "every original expense shown, none skipped");
}

async fn bulk_recategorise_and_delete(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let a = app.spend(&ann, "1", "2026-11-01", "Groceries", "a").await;
    let b = app.spend(&ann, "2", "2026-11-02", "Groceries", "b").await;
    let travel = app.category(&ann, "Travel").await.id;
    assert_eq!(
        app.outlay
            .recategorise_expenses(&ann, &[a.id, b.id], travel)
            .await
            .unwrap()
            .value,
        2
    );
    let filter = ExpenseFilter {
        category_id: Some(travel),
        ..Default::default()
    };
    assert_eq!(
        app.outlay
            .list_expenses(&ann, &filter, None, 10)
            .await
            .unwrap()
            .expenses
            .len(),
        2
    );
    assert_eq!(
        app.outlay
            .delete_expenses(&ann, &[a.id, b.id, uuid::Uuid::now_v7()])
            .await
            .unwrap()
            .value,
        2
    );
    assert_eq!(
        app.outlay
            .delete_expenses(&ann, &[a.id])
            .await
            .unwrap()
            .value,
        0,
        "already deleted"
    );
    let too_many = vec![uuid::Uuid::now_v7(); 10_001];
    assert_eq!(
        app.outlay
            .delete_expenses(&ann, &too_many)
            .await
            .unwrap_err()
            .field(),
        Some("ids")
    );
}

async fn default_date_is_today_and_archived_categories_are_refused(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let gifts = app.category(&ann, "Gifts").await.id;
    let expense = app
        .outlay
        .add_expense(
            &ann,
            ExpenseInput {
                amount: "5".into(),
                category_id: gifts,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .value;
    assert_eq!(expense.date.to_string(), "2026-11-25");
    app.outlay
        .set_category_archived(&ann, gifts, true)
        .await
        .unwrap();
    let error = app
        .outlay
        .add_expense(&ann, input("5", "2026-11-25", gifts))
        .await
        .unwrap_err();
    assert_eq!(error.field(), Some("categoryId"));
}

contract_tests!(
    create_read_update_delete_undo,
    bad_input_is_a_field_error_and_saves_nothing,
    injection_strings_are_stored_and_searched_literally,
    filters_combine,
    totals_are_per_currency,
    pages_stay_stable_while_expenses_are_added,
    bulk_recategorise_and_delete,
    default_date_is_today_and_archived_categories_are_refused,
);
