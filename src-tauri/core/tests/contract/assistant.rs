//! Every kind of assistant answer, on data in a real database, with exact amounts and text.
//! Today is Wednesday 2026-11-25 (the harness's fixed clock); the user's currency is USD.

use crate::harness::{Backend, TestApp};
use outlay_core::assistant::{AssistantReply, ReplyKind, HELP};
use outlay_core::budgets::BudgetInput;
use outlay_core::domain::PeriodKind;
use outlay_core::expenses::{ExpenseFilter, ExpenseInput};
use outlay_core::quick_add::SuggestionSource;
use outlay_core::Session;

/// Ann's spending: two months of this year, March and April, a deleted expense, one in EUR;
/// a groceries budget, an overall one and a weekly taxi budget she has overrun. Bob's
/// spending must never show in her answers.
async fn seed(app: &TestApp) -> (Session, Session) {
    let ann = app.user("ann@example.com").await;
    for (amount, date, category, description) in [
        ("12.50", "2026-11-24", "Restaurants", "lunch"),
        ("70", "2026-11-23", "Taxi", "airport"),
        ("4.20", "2026-11-20", "Coffee", "latte"),
        ("55.30", "2026-11-02", "Groceries", "shop"),
        ("40", "2026-10-15", "Groceries", "market"),
        ("30", "2026-10-03", "Restaurants", "dinner"),
        ("100", "2026-04-10", "Travel", "train"),
        ("80", "2026-03-05", "Travel", "hotel"),
    ] {
        app.spend(&ann, amount, date, category, description).await;
    }
    let deleted = app.spend(&ann, "999", "2026-11-24", "Taxi", "typo").await;
    app.outlay
        .delete_expenses(&ann, &[deleted.id])
        .await
        .unwrap();
    let travel = app.category(&ann, "Travel").await;
    let in_euros = ExpenseInput {
        amount: "300".into(),
        currency: Some("EUR".into()),
        date: Some("2026-11-10".into()),
        category_id: travel.id,
        description: "hotel in Rome".into(),
        ..ExpenseInput::default()
    };
    app.outlay.add_expense(&ann, in_euros).await.unwrap();
    let groceries = app.category(&ann, "Groceries").await;
    let taxi = app.category(&ann, "Taxi").await;
    for (category_id, period, amount) in [
        (Some(groceries.id), PeriodKind::Monthly, "200"),
        (None, PeriodKind::Monthly, "500"),
        (Some(taxi.id), PeriodKind::Weekly, "50"),
    ] {
        let input = BudgetInput {
            category_id,
            period,
            amount: amount.into(),
            currency: None,
            thresholds: None,
        };
        app.outlay.create_budget(&ann, input).await.unwrap();
    }
    let bob = app.user("bob@example.com").await;
    app.spend(&bob, "1000", "2026-10-10", "Groceries", "shop")
        .await;
    app.spend(&bob, "1000", "2026-11-24", "Taxi", "airport")
        .await;
    (ann, bob)
}

async fn ask(app: &TestApp, session: &Session, question: &str) -> AssistantReply {
    app.outlay
        .ask(session, question)
        .await
        .unwrap_or_else(|e| panic!("{question}: {e}"))
}

/// (label, minor units, currency) of each figure.
fn figures(reply: &AssistantReply) -> Vec<(String, i64, &'static str)> {
    reply
        .figures
        .iter()
        .map(|f| (f.label.clone(), f.amount.minor, f.amount.currency.code()))
        .collect()
}

fn figure(label: &str, minor: i64, currency: &'static str) -> (String, i64, &'static str) {
    (label.to_owned(), minor, currency)
}

async fn spending_totals_by_category_and_period(backend: Backend) {
    let app = backend.app().await;
    let (ann, _) = seed(&app).await;

    let reply = ask(&app, &ann, "How much did I spend on food last month?").await;
    assert_eq!(reply.kind, ReplyKind::Spending);
    assert_eq!(
        reply.text,
        "You spent 70.00 USD on Food in October 2026 (2 expenses)."
    );
    assert_eq!(figures(&reply), [figure("October 2026", 7000, "USD")]);

    let reply = ask(&app, &ann, "how much did I spend this month?").await;
    assert_eq!(
        reply.text,
        "You spent 142.00 USD in November 2026 (4 expenses). \
         Also 300.00 EUR (1 expense) in other currencies."
    );
    assert_eq!(
        figures(&reply),
        [
            figure("November 2026", 14200, "USD"),
            figure("November 2026", 30000, "EUR")
        ]
    );

    let reply = ask(&app, &ann, "how much did I spend on travel this month").await;
    assert_eq!(
        reply.text,
        "You spent 0.00 USD on Travel in November 2026 (0 expenses). \
         Also 300.00 EUR (1 expense) in other currencies."
    );

    let reply = ask(&app, &ann, "cost of uber in the last 7 days").await;
    assert_eq!(
        reply.text,
        "You spent 70.00 USD on Taxi in the last 7 days (1 expense)."
    );

    let reply = ask(&app, &ann, "what did I spend on health yesterday").await;
    assert_eq!(reply.text, "You spent nothing on Health yesterday.");
    assert_eq!(figures(&reply), [figure("yesterday", 0, "USD")]);

    let reply = ask(&app, &ann, "how much did I spend on unicorns?").await;
    assert_eq!(reply.kind, ReplyKind::UnknownCategory);
    assert!(
        reply
            .text
            .starts_with("You have no category called \"unicorns\". Your categories: Food, "),
        "{}",
        reply.text
    );
}

async fn budget_answers_say_what_is_left_or_over(backend: Backend) {
    let app = backend.app().await;
    let (ann, bob) = seed(&app).await;

    let reply = ask(&app, &ann, "What's left in my groceries budget?").await;
    assert_eq!(reply.kind, ReplyKind::Budget);
    assert_eq!(
        reply.text,
        "Groceries budget for November 2026: 144.70 USD left of 200.00 USD; 55.30 USD spent (27 %)."
    );
    assert_eq!(figures(&reply), [figure("Groceries left", 14470, "USD")]);

    let reply = ask(&app, &ann, "how much budget is left").await;
    assert_eq!(
        reply.text,
        "Overall budget for November 2026: 358.00 USD left of 500.00 USD; 142.00 USD spent (28 %)."
    );

    let reply = ask(&app, &ann, "what's left in my taxi budget").await;
    assert_eq!(
        reply.text,
        "Taxi budget for the week of 2026-11-23: 20.00 USD over the 50.00 USD limit; \
         70.00 USD spent (140 %)."
    );
    assert_eq!(figures(&reply), [figure("Taxi left", -2000, "USD")]);

    let reply = ask(&app, &ann, "what's left in my travel budget").await;
    assert_eq!(reply.text, "You have no budget for Travel.");
    assert!(reply.figures.is_empty());

    let reply = ask(&app, &bob, "show my budgets").await;
    assert_eq!(
        reply.text,
        "You have no budgets yet. Set one on the Budgets screen."
    );
}

async fn biggest_expenses_in_the_base_currency(backend: Backend) {
    let app = backend.app().await;
    let (ann, _) = seed(&app).await;

    let reply = ask(&app, &ann, "biggest expenses this week").await;
    assert_eq!(reply.kind, ReplyKind::BiggestExpenses);
    assert_eq!(
        reply.text,
        "Your 2 biggest expenses this week: 1. 70.00 USD airport (Taxi, 2026-11-23); 2. \
         12.50 USD lunch (Restaurants, 2026-11-24)."
    );
    let listed: Vec<&str> = reply
        .expenses
        .iter()
        .map(|e| e.description.as_str())
        .collect();
    assert_eq!(listed, ["airport", "lunch"]);

    // The 300 EUR hotel is larger in number but not in USD, so it is not listed.
    let reply = ask(&app, &ann, "top 3 expenses this month").await;
    let amounts: Vec<i64> = reply.expenses.iter().map(|e| e.amount.minor).collect();
    assert_eq!(amounts, [7000, 5530, 1250]);

    let reply = ask(&app, &ann, "most expensive purchase in 2026? top 1").await;
    assert_eq!(
        reply.text,
        "Your biggest expense in 2026: 1. 100.00 USD train (Travel, 2026-04-10)."
    );

    let reply = ask(&app, &ann, "biggest food expenses last month").await;
    assert_eq!(figures(&reply)[0], figure("market", 4000, "USD"));

    let reply = ask(&app, &ann, "largest expenses today").await;
    assert_eq!(reply.text, "No expenses today.");
}

async fn comparisons_and_averages(backend: Backend) {
    let app = backend.app().await;
    let (ann, _) = seed(&app).await;

    let reply = ask(&app, &ann, "compare March and April").await;
    assert_eq!(reply.kind, ReplyKind::Comparison);
    assert_eq!(
        reply.text,
        "March 2026: 80.00 USD. April 2026: 100.00 USD. \
         April 2026 is 20.00 USD (25 %) more than March 2026."
    );
    assert_eq!(
        figures(&reply),
        [
            figure("March 2026", 8000, "USD"),
            figure("April 2026", 10000, "USD")
        ]
    );

    let reply = ask(&app, &ann, "compare this month and last month").await;
    assert_eq!(
        reply.text,
        "November 2026: 142.00 USD. October 2026: 70.00 USD. \
         October 2026 is 72.00 USD (50 %) less than November 2026."
    );

    let reply = ask(&app, &ann, "compare food in october vs november").await;
    assert_eq!(
        reply.text,
        "Spending on Food. October 2026: 70.00 USD. November 2026: 72.00 USD. \
         November 2026 is 2.00 USD (2 %) more than October 2026."
    );

    let reply = ask(&app, &ann, "average daily spend this year").await;
    assert_eq!(reply.kind, ReplyKind::Average);
    assert_eq!(
        reply.text,
        "You spent 392.00 USD in 2026 so far: 1.19 USD a day on average over 329 days."
    );
    assert_eq!(
        figures(&reply),
        [figure("2026", 39200, "USD"), figure("Per day", 119, "USD")]
    );

    let reply = ask(
        &app,
        &ann,
        "how much do I spend per month on average this year",
    )
    .await;
    assert_eq!(
        reply.text,
        "You spent 392.00 USD in 2026 so far: 35.64 USD a month on average over 11 months."
    );

    let reply = ask(&app, &ann, "average daily spend on food last month").await;
    assert_eq!(
        reply.text,
        "You spent 70.00 USD on Food in October 2026: 2.26 USD a day on average over 31 days."
    );
}

async fn add_returns_a_preview_and_saves_nothing(backend: Backend) {
    let app = backend.app().await;
    let (ann, _) = seed(&app).await;
    let everything = ExpenseFilter::default();
    let before = app.outlay.expense_totals(&ann, &everything).await.unwrap();

    let reply = ask(&app, &ann, "add 12 coffee").await;
    assert_eq!(reply.kind, ReplyKind::QuickAdd);
    assert_eq!(
        reply.text,
        "Add 12.00 USD for \"coffee\" on 2026-11-25 in Coffee? Confirm to save it."
    );
    let preview = reply.quick_add.expect("a preview");
    assert_eq!(preview.line.amount.minor, 1200);
    let category = preview.category.expect("a category");
    assert_eq!(
        (category.name.as_str(), category.source),
        ("Coffee", SuggestionSource::KeywordRule)
    );
    assert_eq!(
        app.outlay.expense_totals(&ann, &everything).await.unwrap(),
        before,
        "asking to add saves nothing"
    );

    let error = app.outlay.ask(&ann, "add coffee").await.unwrap_err();
    assert_eq!(error.field(), Some("amount"));

    let reply = ask(&app, &ann, "tell me a joke").await;
    assert_eq!((reply.kind, reply.text.as_str()), (ReplyKind::Help, HELP));
    let error = app.outlay.ask(&ann, " ").await.unwrap_err();
    assert_eq!(error.field(), Some("question"));
}

contract_tests!(
    spending_totals_by_category_and_period,
    budget_answers_say_what_is_left_or_over,
    biggest_expenses_in_the_base_currency,
    comparisons_and_averages,
    add_returns_a_preview_and_saves_nothing,
);
