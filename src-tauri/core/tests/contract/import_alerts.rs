//! A CSV import evaluates budget alerts in its own transaction, like every write that changes
//! spend — except that thresholds crossed in periods already over are recorded as read, with
//! no e-mail and no notification.

use crate::alerts::{budget, email_on};
use crate::harness::{input, test_now, Backend, TestApp};
use outlay_core::domain::PeriodKind;
use outlay_core::transfer::{ImportOptions, ImportReport};
use outlay_core::{Alert, Session};

const HEADER: &str = "date,amount,currency,category,description,payment_method,tags\n";

async fn import(app: &TestApp, session: &Session, csv: &str) -> ImportReport {
    app.outlay
        .import_csv(
            session,
            csv.as_bytes(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .await
        .unwrap()
}

/// (budget name, period label, threshold, read) of each alert.
fn keys(alerts: &[Alert]) -> Vec<(String, String, u32, bool)> {
    alerts
        .iter()
        .map(|a| {
            let read = a.read_at.is_some();
            (a.budget_name.clone(), a.period_label(), a.threshold, read)
        })
        .collect()
}

fn key(name: &str, period: &str, threshold: u32, read: bool) -> (String, String, u32, bool) {
    (name.to_owned(), period.to_owned(), threshold, read)
}

/// Every alert stored for the user, sorted by budget name, period and threshold.
async fn stored(app: &TestApp, session: &Session) -> Vec<(String, String, u32, bool)> {
    let list = app.outlay.alerts(session, 200).await.unwrap().alerts;
    let mut keys = keys(&list);
    keys.sort();
    keys
}

async fn an_import_over_this_months_budget_fires_once_and_mails(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Food"),
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    email_on(&app, &ann).await;
    // Only together do the two Food lines pass the limit; the taxi does not count for Food.
    let csv = format!(
        "{HEADER}\
         2026-11-03,60,,Food/Groceries,market,,\n\
         2026-11-20,45.50,,Food/Coffee,beans,,\n\
         2026-11-21,500,,Transport/Taxi,airport,,\n"
    );
    let report = import(&app, &ann, &csv).await;
    assert_eq!(report.imported, 3);
    assert_eq!(
        keys(&report.fired),
        [key("Food", "November 2026", 100, false)]
    );
    assert_eq!(report.fired[0].spent.minor, 10_550);
    let outbox = app.outlay.outbox(&ann, None).await.unwrap();
    assert_eq!(outbox.len(), 1, "one e-mail, in the import's transaction");
    assert_eq!(outbox[0].alert_id, Some(report.fired[0].id));
    let list = app.outlay.alerts(&ann, 10).await.unwrap();
    assert_eq!((list.unread, list.alerts.len()), (1, 1));
    assert_eq!(list.alerts[0], report.fired[0], "stored as fired");

    let again = import(&app, &ann, &csv).await;
    assert_eq!((again.imported, again.duplicates), (0, 3));
    assert!(again.fired.is_empty(), "a second import fires nothing");
    assert_eq!(app.outlay.outbox(&ann, None).await.unwrap().len(), 1);
    assert_eq!(app.outlay.alerts(&ann, 10).await.unwrap().alerts.len(), 1);
}

async fn past_overspend_is_recorded_as_read_without_mail(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Food"),
        PeriodKind::Monthly,
        "100",
        Some(vec![80, 100]),
    )
    .await;
    budget(&app, &ann, None, PeriodKind::Yearly, "300", Some(vec![100])).await;
    email_on(&app, &ann).await;
    // Today is 25 November 2026: last year, and October (over since 1 November), are history.
    let csv = format!(
        "{HEADER}\
         2025-03-10,150,,Food/Groceries,market,,\n\
         2025-07-01,90,,Food/Groceries,market,,\n\
         2025-12-31,70,,Travel,train,,\n\
         2026-10-31,85,,Food/Coffee,beans,,\n"
    );
    let report = import(&app, &ann, &csv).await;
    assert_eq!(report.imported, 4);
    assert!(report.fired.is_empty(), "{:?}", keys(&report.fired));
    assert!(app.outlay.outbox(&ann, None).await.unwrap().is_empty());
    assert_eq!(
        stored(&app, &ann).await,
        [
            key("Food", "July 2025", 80, true),
            key("Food", "March 2025", 80, true),
            key("Food", "March 2025", 100, true),
            key("Food", "October 2026", 80, true),
            key("Overall", "2025", 100, true),
        ]
    );
    let list = app.outlay.alerts(&ann, 10).await.unwrap();
    assert_eq!(list.unread, 0);
    assert!(list.alerts.iter().all(|a| a.read_at == Some(test_now())));

    // The recorded thresholds stay fired; any other write in a past period is news as usual.
    let coffee = app.category(&ann, "Coffee").await.id;
    let saved = app
        .outlay
        .add_expense(&ann, input("20", "2026-10-30", coffee))
        .await
        .unwrap();
    assert_eq!(
        keys(&saved.fired),
        [key("Food", "October 2026", 100, false)]
    );
    assert_eq!(app.outlay.outbox(&ann, None).await.unwrap().len(), 1);
    assert_eq!(app.outlay.alerts(&ann, 10).await.unwrap().unread, 1);
}

async fn one_import_notifies_for_today_and_files_the_past(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(&app, &ann, None, PeriodKind::Weekly, "100", Some(vec![100])).await;
    email_on(&app, &ann).await;
    // The week of 16 November ended on Monday 23rd; the week of 23 November holds today.
    let csv = format!(
        "{HEADER}\
         2026-11-22,120,,Housing/Rent,last week,,\n\
         2026-11-23,130,,Housing/Rent,this week,,\n"
    );
    let report = import(&app, &ann, &csv).await;
    assert_eq!(
        keys(&report.fired),
        [key("Overall", "week of 23 Nov 2026", 100, false)]
    );
    assert_eq!(
        stored(&app, &ann).await,
        [
            key("Overall", "week of 16 Nov 2026", 100, true),
            key("Overall", "week of 23 Nov 2026", 100, false),
        ]
    );
    let outbox = app.outlay.outbox(&ann, None).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].alert_id, Some(report.fired[0].id));
}

async fn a_rejected_import_fires_nothing(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    budget(
        &app,
        &ann,
        Some("Food"),
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    email_on(&app, &ann).await;
    let csv = format!(
        "{HEADER}\
         2026-11-03,150,,Food/Groceries,market,,\n\
         2026-11-04,oops,,Food/Groceries,bad amount,,\n"
    );
    let report = import(&app, &ann, &csv).await;
    assert!(report.rejected);
    assert!(report.fired.is_empty());
    let list = app.outlay.alerts(&ann, 10).await.unwrap();
    assert!(list.alerts.is_empty());
    assert!(app.outlay.outbox(&ann, None).await.unwrap().is_empty());
}

contract_tests!(
    an_import_over_this_months_budget_fires_once_and_mails,
    past_overspend_is_recorded_as_read_without_mail,
    one_import_notifies_for_today_and_files_the_past,
    a_rejected_import_fires_nothing,
);

/// PostgreSQL: an import queues behind the user's other writers (a lock on the user's own
/// row, like every write that changes spend), so a threshold that the import and another
/// device's write cross only together still fires.
#[tokio::test]
async fn postgres_an_import_waits_for_the_other_device_and_sees_its_spend() {
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
        uuid::Uuid::now_v7()
    );
    other.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    let importing = {
        let (outlay, ann) = (app.outlay.clone(), ann.clone());
        let csv = format!("{HEADER}2026-11-11,60,,Housing/Rent,imported,,\n");
        tokio::spawn(async move {
            outlay
                .import_csv(&ann, csv.as_bytes(), &ImportOptions::default(), &mut |_| {})
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
    assert_eq!(waiting, 1, "the import waits for the other device's write");
    other.execute("COMMIT").await.unwrap();
    let report = importing.await.unwrap().unwrap();
    assert_eq!(
        keys(&report.fired),
        [key("Overall", "November 2026", 100, false)]
    );
    assert_eq!(report.fired[0].spent.minor, 11_000);
}
