use crate::harness::{Backend, TestApp};
use outlay_core::budgets::{BudgetInput, BudgetProgress};
use outlay_core::domain::PeriodKind;
use outlay_core::expenses::ExpenseInput;
use outlay_core::Session;

fn budget(period: PeriodKind, amount: &str) -> BudgetInput {
    BudgetInput {
        category_id: None,
        period,
        amount: amount.into(),
        currency: None,
        thresholds: None,
    }
}

async fn progress_on(app: &TestApp, session: &Session, day: &str) -> BudgetProgress {
    let progress = app
        .outlay
        .budget_progress(session, day.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(progress.len(), 1);
    progress.into_iter().next().unwrap()
}

async fn month_edges_31_january_to_1_february(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.outlay
        .create_budget(&ann, budget(PeriodKind::Monthly, "100"))
        .await
        .unwrap();
    app.spend(&ann, "80", "2027-01-31", "Other", "last day of January")
        .await;
    app.spend(&ann, "30", "2027-02-01", "Other", "first day of February")
        .await;
    let january = progress_on(&app, &ann, "2027-01-31").await;
    assert_eq!(
        (
            january.spent.minor,
            january.percent,
            january.reached.clone()
        ),
        (8000, 80, vec![80])
    );
    let february = progress_on(&app, &ann, "2027-02-01").await;
    assert_eq!(
        (
            february.spent.minor,
            february.percent,
            february.period.key()
        ),
        (3000, 30, "2027-02".into())
    );
}

async fn leap_day_counts_in_february(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.outlay
        .create_budget(&ann, budget(PeriodKind::Monthly, "50"))
        .await
        .unwrap();
    app.spend(&ann, "50", "2028-02-29", "Other", "leap day")
        .await;
    app.spend(&ann, "7", "2028-03-01", "Other", "march").await;
    let february = progress_on(&app, &ann, "2028-02-10").await;
    assert_eq!(
        (
            february.spent.minor,
            february.percent,
            february.reached.clone()
        ),
        (5000, 100, vec![80, 100])
    );
    assert_eq!(progress_on(&app, &ann, "2028-03-31").await.spent.minor, 700);
}

async fn iso_week_53_and_year_end(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.outlay
        .create_budget(&ann, budget(PeriodKind::Weekly, "100"))
        .await
        .unwrap();
    app.outlay
        .create_budget(&ann, budget(PeriodKind::Yearly, "1000"))
        .await
        .unwrap();
    app.spend(&ann, "10", "2026-12-27", "Other", "Sunday of week 52")
        .await;
    app.spend(&ann, "20", "2026-12-28", "Other", "Monday of week 53")
        .await;
    app.spend(&ann, "40", "2026-12-31", "Other", "New Year's Eve")
        .await;
    app.spend(
        &ann,
        "30",
        "2027-01-03",
        "Other",
        "Sunday of week 53, next year",
    )
    .await;
    app.spend(&ann, "5", "2027-01-04", "Other", "Monday of 2027-W01")
        .await;
    let progress = app
        .outlay
        .budget_progress(&ann, "2027-01-01".parse().unwrap())
        .await
        .unwrap();
    let week = progress
        .iter()
        .find(|p| p.budget.period == PeriodKind::Weekly)
        .unwrap();
    assert_eq!(
        (week.period.key(), week.spent.minor, week.percent),
        ("2026-W53".to_owned(), 9000, 90)
    );
    let year = progress
        .iter()
        .find(|p| p.budget.period == PeriodKind::Yearly)
        .unwrap();
    assert_eq!(
        (year.period.key(), year.spent.minor),
        ("2027".to_owned(), 3500)
    );
    let old_year = app
        .outlay
        .budget_progress(&ann, "2026-12-31".parse().unwrap())
        .await
        .unwrap();
    let old_year = old_year
        .iter()
        .find(|p| p.budget.period == PeriodKind::Yearly)
        .unwrap();
    assert_eq!(old_year.spent.minor, 7000);
}

async fn category_budgets_include_children_and_ignore_other_currencies(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let food = app.category(&ann, "Food").await.id;
    let groceries = app.category(&ann, "Groceries").await.id;
    let input = BudgetInput {
        category_id: Some(food),
        thresholds: Some(vec![100, 50]),
        ..budget(PeriodKind::Monthly, "400")
    };
    let created = app.outlay.create_budget(&ann, input).await.unwrap().value;
    assert_eq!(created.thresholds, [50, 100]);
    app.spend(&ann, "400", "2026-11-03", "Groceries", "big shop")
        .await;
    app.spend(&ann, "12.50", "2026-11-04", "Food", "market")
        .await;
    app.spend(&ann, "99", "2026-11-04", "Taxi", "not food")
        .await;
    let euros = ExpenseInput {
        amount: "70".into(),
        currency: Some("EUR".into()),
        date: Some("2026-11-05".into()),
        category_id: groceries,
        ..Default::default()
    };
    app.outlay.add_expense(&ann, euros).await.unwrap();
    let progress = progress_on(&app, &ann, "2026-11-25").await;
    assert_eq!(
        (progress.spent.minor, progress.percent, progress.reached),
        (41_250, 103, vec![50, 100])
    );
}

async fn budgets_update_delete_and_validate(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let created = app
        .outlay
        .create_budget(&ann, budget(PeriodKind::Monthly, "100"))
        .await
        .unwrap()
        .value;
    let updated = app
        .outlay
        .update_budget(&ann, created.id, budget(PeriodKind::Weekly, "25.50"))
        .await
        .unwrap()
        .value;
    assert_eq!(
        app.outlay.budgets(&ann).await.unwrap(),
        vec![updated.clone()]
    );
    assert_eq!(updated.amount.minor, 2550);
    for (bad, field) in [
        (budget(PeriodKind::Monthly, "0"), "amount"),
        (budget(PeriodKind::Monthly, "lots"), "amount"),
        (
            BudgetInput {
                thresholds: Some(vec![0]),
                ..budget(PeriodKind::Monthly, "1")
            },
            "thresholds",
        ),
        (
            BudgetInput {
                category_id: Some(uuid::Uuid::now_v7()),
                ..budget(PeriodKind::Monthly, "1")
            },
            "categoryId",
        ),
    ] {
        assert_eq!(
            app.outlay
                .create_budget(&ann, bad)
                .await
                .unwrap_err()
                .field(),
            Some(field)
        );
    }
    app.outlay.delete_budget(&ann, created.id).await.unwrap();
    assert!(app.outlay.budgets(&ann).await.unwrap().is_empty());
}

contract_tests!(
    month_edges_31_january_to_1_february,
    leap_day_counts_in_february,
    iso_week_53_and_year_end,
    category_budgets_include_children_and_ignore_other_currencies,
    budgets_update_delete_and_validate,
);
