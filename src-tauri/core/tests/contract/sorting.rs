//! The expense list in each of its orders, paged by keyset cursors: every order holds across
//! page boundaries, ties on the date or the amount are broken by the id, a filter still
//! applies, and a cursor of one order is refused by another. A page can also start at any
//! row (a jump down a long list), and scrolling on from there by cursor misses nothing.

use crate::harness::{input, Backend, TestApp};
use outlay_core::expenses::{Expense, ExpenseFilter, ExpenseSort};
use outlay_core::{AppError, Session};
use std::cmp::Reverse;
use uuid::Uuid;

const ORDERS: [ExpenseSort; 4] = [
    ExpenseSort::NewestFirst,
    ExpenseSort::OldestFirst,
    ExpenseSort::LargestFirst,
    ExpenseSort::SmallestFirst,
];

/// Every page of `filter` in its order, `size` at a time: the expenses and how many pages.
async fn all_pages(
    app: &TestApp,
    ann: &Session,
    filter: &ExpenseFilter,
    size: u32,
) -> (Vec<Expense>, usize) {
    let (mut shown, mut pages, mut cursor) = (Vec::new(), 0, None);
    loop {
        let page = app
            .outlay
            .list_expenses(ann, filter, cursor.as_ref(), size)
            .await
            .unwrap();
        pages += 1;
        shown.extend(page.expenses);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return (shown, pages),
        }
    }
}

async fn each_order_holds_across_pages_with_a_filter(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = app.category(&ann, "Food").await.id;
    let travel = app.category(&ann, "Travel").await.id;
    // Ten in Food: three share 2026-11-03, three share 12.00 and two 3.00, so the id decides
    // within each tie. The yen amount sorts by its minor units (700) like any other.
    let food_spends = [
        ("12", "2026-11-03", None),
        ("3", "2026-11-01", None),
        ("12", "2026-11-05", None),
        ("7.25", "2026-11-03", None),
        ("3", "2026-11-04", None),
        ("0.99", "2026-11-02", None),
        ("12", "2026-11-03", None),
        ("45.10", "2026-11-06", None),
        ("700", "2026-11-02", Some("JPY")),
        ("1.50", "2026-11-06", None),
    ];
    let mut food_expenses = Vec::new();
    for (amount, date, currency) in food_spends {
        let mut spend = input(amount, date, food);
        spend.currency = currency.map(str::to_owned);
        let added = app.outlay.add_expense(&ann, spend).await.unwrap().value;
        food_expenses.push(added);
        // Travel spends interleave with Food's in date and amount; the filter keeps them out.
        app.outlay
            .add_expense(&ann, input(amount, date, travel))
            .await
            .unwrap();
    }

    for sort in ORDERS {
        let filter = ExpenseFilter {
            category_id: Some(food),
            sort,
            ..ExpenseFilter::default()
        };
        let (shown, pages) = all_pages(&app, &ann, &filter, 3).await;
        let mut expected = food_expenses.clone();
        match sort {
            ExpenseSort::NewestFirst => expected.sort_by_key(|e| Reverse((e.date, e.id))),
            ExpenseSort::OldestFirst => expected.sort_by_key(|e| (e.date, e.id)),
            ExpenseSort::LargestFirst => expected.sort_by_key(|e| Reverse((e.amount.minor, e.id))),
            ExpenseSort::SmallestFirst => expected.sort_by_key(|e| (e.amount.minor, e.id)),
        }
        let ids = |list: &[Expense]| list.iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(&shown), ids(&expected), "{sort:?}");
        assert_eq!(pages, 4, "{sort:?}: 3 + 3 + 3 + 1");
        jumps_land_on_the_row_asked_for(&app, &ann, &filter, &ids(&expected)).await;
    }

    // The orders the user sees, spelt out for the amounts: ties kept apart by id.
    let amounts = |list: Vec<Expense>| list.iter().map(|e| e.amount.minor).collect::<Vec<_>>();
    let largest = ExpenseFilter {
        category_id: Some(food),
        sort: ExpenseSort::LargestFirst,
        ..ExpenseFilter::default()
    };
    assert_eq!(
        amounts(all_pages(&app, &ann, &largest, 3).await.0),
        [4510, 1200, 1200, 1200, 725, 700, 300, 300, 150, 99]
    );
}

/// A page starting at each row of `expected` (and past its end) holds the rows from there,
/// and its cursor carries on to the end of the list.
async fn jumps_land_on_the_row_asked_for(
    app: &TestApp,
    ann: &Session,
    filter: &ExpenseFilter,
    expected: &[Uuid],
) {
    let ids = |list: &[Expense]| list.iter().map(|e| e.id).collect::<Vec<_>>();
    for position in 0..=expected.len() + 1 {
        let page = app
            .outlay
            .list_expenses_at(ann, filter, position as u64, 3)
            .await
            .unwrap();
        let from = position.min(expected.len());
        let wanted = &expected[from..(from + 3).min(expected.len())];
        assert_eq!(
            ids(&page.expenses),
            wanted,
            "{:?} at {position}",
            filter.sort
        );
        let Some(next) = page.next else {
            assert!(
                from + 3 >= expected.len(),
                "{:?} at {position}",
                filter.sort
            );
            continue;
        };
        let rest = app
            .outlay
            .list_expenses(ann, filter, Some(&next), 500)
            .await
            .unwrap();
        assert_eq!(
            ids(&rest.expenses),
            &expected[from + 3..],
            "{:?} at {position}",
            filter.sort
        );
    }
    // Far past any end (beyond what SQL's OFFSET takes): an empty page, not an error.
    let far = app
        .outlay
        .list_expenses_at(ann, filter, u64::MAX, 3)
        .await
        .unwrap();
    assert!(far.expenses.is_empty() && far.next.is_none());
}

async fn a_cursor_of_another_order_is_refused(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    for (amount, date) in [
        ("1", "2026-11-01"),
        ("2", "2026-11-02"),
        ("3", "2026-11-03"),
    ] {
        app.spend(&ann, amount, date, "Food", "").await;
    }
    let by = |sort| ExpenseFilter {
        sort,
        ..ExpenseFilter::default()
    };
    for (from, to) in [
        (ExpenseSort::LargestFirst, ExpenseSort::NewestFirst),
        (ExpenseSort::NewestFirst, ExpenseSort::OldestFirst),
        (ExpenseSort::SmallestFirst, ExpenseSort::LargestFirst),
    ] {
        let first = app
            .outlay
            .list_expenses(&ann, &by(from), None, 1)
            .await
            .unwrap();
        let cursor = first.next.expect("more than one page");
        let refused = app
            .outlay
            .list_expenses(&ann, &by(to), Some(&cursor), 1)
            .await;
        assert!(
            matches!(refused, Err(AppError::Invalid { field: "after", .. })),
            "{from:?} cursor for {to:?}: {refused:?}"
        );
        // The same cursor still continues its own order.
        let second = app
            .outlay
            .list_expenses(&ann, &by(from), Some(&cursor), 1)
            .await
            .unwrap();
        assert_ne!(second.expenses, first.expenses);
    }
}

contract_tests!(
    each_order_holds_across_pages_with_a_filter,
    a_cursor_of_another_order_is_refused,
);
