use crate::harness::Backend;
use outlay_core::budgets::BudgetInput;
use outlay_core::domain::PeriodKind;

async fn dashboard_sums_the_month_by_top_level_category(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.outlay
        .create_budget(
            &ann,
            BudgetInput {
                category_id: None,
                period: PeriodKind::Monthly,
                amount: "100".into(),
                currency: None,
                thresholds: None,
            },
        )
        .await
        .unwrap();
    app.spend(&ann, "10", "2026-11-01", "Groceries", "shop")
        .await;
    app.spend(&ann, "5.25", "2026-11-20", "Coffee", "beans")
        .await;
    app.spend(&ann, "70", "2026-11-24", "Taxi", "airport").await;
    app.spend(&ann, "99", "2026-10-31", "Taxi", "last month")
        .await;
    app.spend(&ann, "1", "2025-12-01", "Taxi", "twelve months ago")
        .await;
    app.spend(&ann, "1000", "2025-11-30", "Taxi", "thirteen months ago")
        .await;
    let deleted = app
        .spend(&ann, "500", "2026-11-02", "Taxi", "deleted")
        .await;
    app.outlay
        .delete_expenses(&ann, &[deleted.id])
        .await
        .unwrap();

    let dashboard = app
        .outlay
        .dashboard(&ann, "2026-11-25".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(dashboard.spent.minor, 8525);
    let breakdown: Vec<(&str, i64)> = dashboard
        .by_category
        .iter()
        .map(|c| (c.name.as_str(), c.spent.minor))
        .collect();
    assert_eq!(breakdown, [("Transport", 7000), ("Food", 1525)]);
    assert_eq!(dashboard.budgets[0].percent, 85);
    assert_eq!(dashboard.trend.len(), 12);
    assert_eq!(
        (
            dashboard.trend[0].month.as_str(),
            dashboard.trend[0].spent.minor
        ),
        ("2025-12", 100)
    );
    assert_eq!(
        (
            dashboard.trend[10].month.as_str(),
            dashboard.trend[10].spent.minor
        ),
        ("2026-10", 9900)
    );
    assert_eq!(
        (
            dashboard.trend[11].month.as_str(),
            dashboard.trend[11].spent.minor
        ),
        ("2026-11", 8525)
    );
    assert_eq!(dashboard.recent.len(), 6);
    assert_eq!(dashboard.recent[0].description, "airport");
}

contract_tests!(
    dashboard_sums_the_month_by_top_level_category,
    the_month_line_reads_spend_against_the_overall_budget
);

async fn the_month_line_reads_spend_against_the_overall_budget(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.spend(&ann, "1234.50", "2026-11-03", "Groceries", "")
        .await;
    app.spend(&ann, "99", "2026-10-31", "Groceries", "").await;
    let line = app.outlay.month_line(&ann).await.unwrap();
    assert_eq!(line, "November: 1,234.50 USD spent");
    let overall = BudgetInput {
        category_id: None,
        period: PeriodKind::Monthly,
        amount: "2000".into(),
        currency: None,
        thresholds: None,
    };
    app.outlay.create_budget(&ann, overall).await.unwrap();
    let line = app.outlay.month_line(&ann).await.unwrap();
    assert_eq!(line, "November: 1,234.50 USD of 2,000.00 USD");
}
