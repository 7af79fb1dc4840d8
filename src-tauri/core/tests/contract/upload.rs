//! Moving a local profile to a server: everything arrives once (category rules too), with its
//! categories mapped, and uploading again (after an interruption, say) adds nothing.

use crate::harness::{Backend, TestApp};
use crate::statements::rule;
use outlay_core::budgets::BudgetInput;
use outlay_core::categories::CategoryInput;
use outlay_core::domain::PeriodKind;
use outlay_core::expenses::{ExpenseFilter, ExpenseInput};
use outlay_core::upload::{UploadProgress, UploadReport};
use outlay_core::Session;

contract_tests!(a_local_profile_uploads_once_and_matches);

/// The same e-mail's expenses as (date, amount, description, category name, tags), sorted.
async fn snapshot(
    app: &TestApp,
    session: &Session,
) -> Vec<(String, i64, String, String, Vec<String>)> {
    let categories = app.outlay.categories(session).await.unwrap();
    let page = app
        .outlay
        .list_expenses(session, &ExpenseFilter::default(), None, 500)
        .await
        .unwrap();
    let mut rows: Vec<_> = page
        .expenses
        .into_iter()
        .map(|e| {
            let category = categories.iter().find(|c| c.id == e.category_id).unwrap();
            (
                e.date.to_string(),
                e.amount.minor,
                e.description,
                category.name.clone(),
                e.tags,
            )
        })
        .collect();
    rows.sort();
    rows
}

async fn a_local_profile_uploads_once_and_matches(backend: Backend) {
    let local = Backend::Sqlite.app().await;
    let ann = local.user("ann@example.com").await;
    let pets = local
        .outlay
        .create_category(
            &ann,
            CategoryInput {
                name: "Pets".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let vet = CategoryInput {
        name: "Vet".into(),
        parent_id: Some(pets.id),
        colour: None,
    };
    let vet = local.outlay.create_category(&ann, vet).await.unwrap();
    local
        .spend(&ann, "41.20", "2026-11-02", "Groceries", "Market")
        .await;
    local
        .spend(&ann, "12", "2026-10-30", "Pets", "Food for Rex")
        .await;
    let tagged = ExpenseInput {
        amount: "80".into(),
        date: Some("2026-11-20".into()),
        category_id: vet.id,
        description: "Jabs".into(),
        tags: vec!["rex".into(), "health".into()],
        ..ExpenseInput::default()
    };
    local.outlay.add_expense(&ann, tagged).await.unwrap();
    let binned = local
        .spend(&ann, "5", "2026-11-21", "Coffee", "Spilled")
        .await;
    local
        .outlay
        .delete_expenses(&ann, &[binned.id])
        .await
        .unwrap();
    let groceries = local.category(&ann, "Groceries").await.id;
    let budget = BudgetInput {
        category_id: Some(groceries),
        period: PeriodKind::Monthly,
        amount: "400".into(),
        currency: None,
        thresholds: None,
    };
    local.outlay.create_budget(&ann, budget).await.unwrap();
    let rules = ann.store().statements();
    rules.add_rule(&rule("LIDL", groceries, 0)).await.unwrap();
    rules.add_rule(&rule("VetCare", vet.id, 1)).await.unwrap();

    let server = backend.app().await;
    let ann_there = server.user("ann@example.com").await;
    // A rule for the same text is on the server already: the server's stays.
    let server_groceries = server.category(&ann_there, "Groceries").await.id;
    let theirs = rule("lidl", server_groceries, -60);
    let server_rules = ann_there.store().statements();
    server_rules.add_rule(&theirs).await.unwrap();
    let mut heard = Vec::new();
    let report = local
        .outlay
        .upload_profile(&ann, &server.outlay, &ann_there, |p| heard.push(p))
        .await
        .unwrap();
    let expected = UploadReport {
        categories_added: 2,
        budgets_added: 1,
        rules_added: 1,
        expenses_added: 3,
        expenses_already_there: 0,
    };
    assert_eq!(report, expected);
    assert_eq!(heard.last(), Some(&UploadProgress { done: 3, total: 3 }));
    assert_eq!(
        snapshot(&server, &ann_there).await,
        snapshot(&local, &ann).await
    );
    let server_vet = server.category(&ann_there, "Vet").await.id;
    let copied: Vec<(String, uuid::Uuid)> = server_rules
        .rules()
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.contains, r.category_id))
        .collect();
    assert_eq!(
        copied,
        [
            ("lidl".to_owned(), server_groceries),
            ("VetCare".to_owned(), server_vet)
        ]
    );
    // The budget now watches the server's own Groceries, and sees the market trip.
    let budgets = server.outlay.budgets(&ann_there).await.unwrap();
    assert_eq!(budgets.len(), 1);
    assert_eq!(budgets[0].category_id, Some(server_groceries));
    let progress = server
        .outlay
        .budget_progress(&ann_there, "2026-11-25".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(progress[0].spent.minor, 4120);

    let again = local
        .outlay
        .upload_profile(&ann, &server.outlay, &ann_there, |_| {})
        .await
        .unwrap();
    let nothing_new = UploadReport {
        expenses_already_there: 3,
        ..UploadReport::default()
    };
    assert_eq!(again, nothing_new);
    assert_eq!(
        snapshot(&server, &ann_there).await,
        snapshot(&local, &ann).await
    );
}
