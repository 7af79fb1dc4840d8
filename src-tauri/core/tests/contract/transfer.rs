//! CSV import and export through the services, on every backend.

use crate::harness::{input, test_now, Backend, TestApp};
use outlay_core::alerts::PastPeriods;
use outlay_core::domain::{Currency, Money};
use outlay_core::expenses::{Expense, ExpenseFilter};
use outlay_core::transfer::{ImportOptions, ImportProgress, ImportReport, OnInvalid};
use outlay_core::{AppError, Session};

const HEADER: &str = "date,amount,currency,category,description,payment_method,tags\n";

async fn import(
    app: &TestApp,
    session: &Session,
    csv: &str,
    options: &ImportOptions,
) -> ImportReport {
    app.outlay
        .import_csv(session, csv.as_bytes(), options, &mut |_| {})
        .await
        .unwrap()
}

async fn import_error(app: &TestApp, session: &Session, csv: &[u8]) -> AppError {
    app.outlay
        .import_csv(session, csv, &ImportOptions::default(), &mut |_| {})
        .await
        .unwrap_err()
}

async fn export(app: &TestApp, session: &Session, filter: &ExpenseFilter) -> String {
    let mut out = Vec::new();
    app.outlay
        .export_csv(session, filter, &mut out, &mut |_| {})
        .await
        .unwrap();
    String::from_utf8(out).unwrap()
}

async fn count(app: &TestApp, session: &Session) -> i64 {
    let totals = app
        .outlay
        .expense_totals(session, &ExpenseFilter::default())
        .await
        .unwrap();
    totals.iter().map(|t| t.count).sum()
}

async fn export_then_import_round_trips_every_field(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await;
    let nasty = [
        "=HYPERLINK(\"http://x\")",
        "'); DROP TABLE expenses; --",
        "-5 refund noted",
        "@SUM(A1), \"quoted\"",
        "☕ café, naïve",
    ];
    for (i, text) in nasty.iter().enumerate() {
        let date = format!("2026-11-0{}", i + 1);
        let mut expense = input(&format!("{}.05", i + 1), &date, groceries.id);
        expense.description = (*text).into();
        expense.payment_method = Some("+card".into());
        expense.tags = vec!["family".into(), "weekend".into()];
        app.outlay.add_expense(&ann, expense).await.unwrap();
    }
    let mut euro = input(
        "1,234.50",
        "2026-10-31",
        app.category(&ann, "Travel").await.id,
    );
    euro.currency = Some("EUR".into());
    app.outlay.add_expense(&ann, euro).await.unwrap();
    let deleted = app.spend(&ann, "9", "2026-11-10", "Taxi", "deleted").await;
    app.outlay
        .delete_expenses(&ann, &[deleted.id])
        .await
        .unwrap();

    let csv = export(&app, &ann, &ExpenseFilter::default()).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7, "{csv}");
    assert_eq!(lines[0], HEADER.trim_end());
    assert_eq!(lines[1], "2026-10-31,1234.50,EUR,Travel,,,");
    assert_eq!(
        lines[2],
        "2026-11-01,1.05,USD,Food/Groceries,\"'=HYPERLINK(\"\"http://x\"\")\",'+card,family weekend"
    );
    assert!(!csv.contains("deleted"));

    let bob = app.user("bob@example.com").await;
    let report = import(&app, &bob, &csv, &ImportOptions::default()).await;
    assert_eq!(
        (report.imported, report.duplicates, report.invalid_count),
        (6, 0, 0)
    );
    assert!(!report.rejected);
    assert_eq!(export(&app, &bob, &ExpenseFilter::default()).await, csv);
    let imported = app
        .outlay
        .list_expenses(&bob, &ExpenseFilter::default(), None, 50)
        .await
        .unwrap()
        .expenses;
    let descriptions: Vec<&str> = imported
        .iter()
        .rev()
        .skip(1)
        .map(|e| e.description.as_str())
        .collect();
    assert_eq!(descriptions, nasty, "injection strings stay text");
    assert_eq!(imported[0].payment_method.as_deref(), Some("+card"));
    assert_eq!(imported[0].tags, ["family", "weekend"]);
    assert_eq!(
        imported[0].category_id,
        app.category(&bob, "Groceries").await.id
    );
}

async fn export_follows_the_filter(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.spend(&ann, "1", "2026-11-01", "Groceries", "shop")
        .await;
    app.spend(&ann, "2", "2026-11-02", "Coffee", "beans").await;
    app.spend(&ann, "3", "2026-11-03", "Taxi", "ride").await;
    let food = ExpenseFilter {
        category_id: Some(app.category(&ann, "Food").await.id),
        ..Default::default()
    };
    let csv = export(&app, &ann, &food).await;
    assert_eq!(
        csv.lines().skip(1).collect::<Vec<_>>(),
        [
            "2026-11-01,1.00,USD,Food/Groceries,shop,,",
            "2026-11-02,2.00,USD,Food/Coffee,beans,,",
        ]
    );
}

async fn export_pages_through_many_expenses(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let mut csv = HEADER.to_owned();
    for i in 0..12_345 {
        csv.push_str(&format!(
            "2026-{:02}-{:02},{}.00,,Other,item {i},,\n",
            1 + i % 11,
            1 + i % 28,
            1 + i % 50
        ));
    }
    let mut progress = Vec::new();
    let report = app
        .outlay
        .import_csv(&ann, csv.as_bytes(), &ImportOptions::default(), &mut |p| {
            progress.push(p)
        })
        .await
        .unwrap();
    assert_eq!(report.imported, 12_345);
    assert!(progress.contains(&ImportProgress::Reading { lines: 10_000 }));
    assert_eq!(
        progress.last(),
        Some(&ImportProgress::Saving {
            saved: 12_345,
            total: 12_345
        })
    );
    let mut pages = Vec::new();
    let mut out = Vec::new();
    let written = app
        .outlay
        .export_csv(&ann, &ExpenseFilter::default(), &mut out, &mut |n| {
            pages.push(n)
        })
        .await
        .unwrap();
    assert_eq!(written, 12_345);
    assert_eq!(pages.last(), Some(&12_345));
    let text = String::from_utf8(out).unwrap();
    let dates: Vec<&str> = text.lines().skip(1).map(|l| &l[..10]).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert_eq!(dates.len(), 12_345);
}

async fn invalid_lines_are_reported_with_line_numbers(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let csv = format!(
        "{HEADER}\
         2026-11-01,12.50,,Food/Groceries,good one,card,\n\
         2026-11-02,12.5x,,Food/Groceries,bad amount,,\n\
         2026-02-30,1,,Other,bad date,,\n\
         \n\
         2026-11-03,1,XYZ,Other,bad currency,,\n\
         2026-11-04,-3,,Other,negative,,\n\
         2026-11-05,1,,Other,too few fields\n\
         2026-11-06,1,,Other,,,fine #{long}\n\
         2026-11-07,2,,Other,good two,,\n",
        long = "x".repeat(40)
    );
    let report = import(&app, &ann, &csv, &ImportOptions::default()).await;
    assert!(report.rejected);
    assert_eq!(report.imported, 0);
    let lines: Vec<(u64, &str)> = report.invalid.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(
        lines,
        [
            (3, "amount"),
            (4, "date"),
            (6, "currency"),
            (7, "amount"),
            (8, "line"),
            (9, "tags")
        ]
    );
    assert_eq!(report.invalid[0].message, "Enter an amount such as 12.50.");
    assert_eq!(count(&app, &ann).await, 0, "all or nothing");

    let skip = ImportOptions {
        on_invalid: OnInvalid::Skip,
        ..Default::default()
    };
    let report = import(&app, &ann, &csv, &skip).await;
    assert_eq!(
        (report.imported, report.invalid_count, report.rejected),
        (2, 6, false)
    );
    assert_eq!(count(&app, &ann).await, 2);
}

async fn malformed_files_are_refused_clearly(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    for (file, expected) in [
        (&b""[..], "The file is empty."),
        (
            b"when,how much\n2026-11-01,3\n",
            "no date, amount, category column",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8"),
        (
            b"date,amount,amount,category\n",
            "amount column more than once",
        ),
    ] {
        let error = import_error(&app, &ann, file).await;
        assert_eq!(error.field(), Some("file"), "{error}");
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert_eq!(count(&app, &ann).await, 0);
}

async fn huge_fields_and_bad_text_are_line_errors(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let mut csv = HEADER.as_bytes().to_vec();
    csv.extend(format!("2026-11-01,1,,Other,{},,\n", "x".repeat(200_000)).bytes());
    csv.extend(format!("2026-11-01,1,,Other,{},,\n", "y".repeat(501)).bytes());
    csv.extend(b"2026-11-01,1,,Other,caf\xe9 latin-1,,\n");
    csv.extend(b"2026-11-01,1,,Other,\"unterminated quote,,\n2026-11-02,1,,Other,swallowed,,\n");
    let report = app
        .outlay
        .import_csv(&ann, &csv[..], &ImportOptions::default(), &mut |_| {})
        .await
        .unwrap();
    let lines: Vec<(u64, &str)> = report.invalid.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(
        lines,
        [
            (2, "line"),
            (3, "description"),
            (4, "description"),
            (5, "line")
        ]
    );
    assert!(report.invalid[0].message.contains("longer than 16 KiB"));
    assert!(report.invalid[2].message.contains("UTF-8"));
}

async fn duplicates_are_skipped_and_counted(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    app.spend(&ann, "12.50", "2026-11-01", "Groceries", "Fresh Market")
        .await;
    let gone = app.spend(&ann, "3", "2026-11-02", "Coffee", "latte").await;
    app.outlay.delete_expenses(&ann, &[gone.id]).await.unwrap();
    let csv = format!(
        "{HEADER}\
         2026-11-01,12.50,USD,Food/Coffee,Fresh Market,cash,\n\
         2026-11-01,12.50,EUR,Food/Groceries,Fresh Market,,\n\
         2026-11-02,3.00,,Food/Coffee,latte,,\n\
         2026-11-03,4,,Other,twice,,\n\
         2026-11-03,4.00,,Other,twice,,other\n"
    );
    let report = import(&app, &ann, &csv, &ImportOptions::default()).await;
    // Line 2 is already there (category does not matter), line 6 repeats line 5; a deleted
    // expense is not "there" and another currency is another expense.
    assert_eq!((report.imported, report.duplicates), (3, 2));
    assert_eq!(count(&app, &ann).await, 4);
    let again = import(&app, &ann, &csv, &ImportOptions::default()).await;
    assert_eq!((again.imported, again.duplicates), (0, 5));
}

async fn categories_are_matched_or_created(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let csv = "Amount;Date;Category;Memo\n\
         1;2026-11-01;food/GROCERIES;matched\n\
         2;2026-11-02;Pets/Vet;new parent and child\n\
         3;2026-11-03;pets/vet;created once\n\
         4;2026-11-04;Hobbies;new top level\n\
         5;2026-11-05;Food/Groceries/Organic;too deep\n"
        .replace(';', ",");
    let report = import(
        &app,
        &ann,
        &csv,
        &ImportOptions {
            on_invalid: OnInvalid::Skip,
            ..Default::default()
        },
    )
    .await;
    assert_eq!((report.imported, report.categories_created), (4, 3));
    let errors: Vec<(u64, &str)> = report.invalid.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(errors, [(6, "category")]);
    let vet = app.category(&ann, "Vet").await;
    assert_eq!(vet.parent_id, Some(app.category(&ann, "Pets").await.id));
    let in_vet = app
        .outlay
        .expense_totals(
            &ann,
            &ExpenseFilter {
                category_id: Some(vet.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((in_vet[0].amount.minor, in_vet[0].count), (500, 2));

    let strict = ImportOptions {
        create_categories: false,
        ..Default::default()
    };
    let report = import(
        &app,
        &ann,
        &format!("{HEADER}2026-11-09,1,,Unknown,x,,\n"),
        &strict,
    )
    .await;
    assert!(report.rejected);
    assert_eq!(
        report.invalid[0].message,
        "There is no category \"Unknown\"."
    );
    let names: Vec<String> = app
        .outlay
        .categories(&ann)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(!names.contains(&"Unknown".to_owned()));
}

async fn rejected_imports_create_no_categories(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let before = app.outlay.categories(&ann).await.unwrap().len();
    let csv = format!("{HEADER}2026-11-01,1,,Brand new,fine,,\n2026-11-01,oops,,Other,bad,,\n");
    let report = import(&app, &ann, &csv, &ImportOptions::default()).await;
    assert!(report.rejected);
    assert_eq!(app.outlay.categories(&ann).await.unwrap().len(), before);
    assert_eq!(count(&app, &ann).await, 0);
}

/// The store's bulk insert, given two expenses with the same id (the services never make
/// such a batch, so this reaches past them): the import fails as a whole, saves nothing, and
/// the store goes on working. On SQLite the failing statement rolls back the transaction
/// itself (`INSERT OR ROLLBACK`), behind sqlx's back: every pooled connection must still
/// start real transactions afterwards.
async fn a_failed_bulk_import_saves_nothing_and_later_writes_work(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let groceries = app.category(&ann, "Groceries").await;
    let now = test_now();
    let expense = |minor: i64| Expense {
        id: uuid::Uuid::now_v7(),
        amount: Money::from_minor(minor, Currency::parse("USD").unwrap()).unwrap(),
        date: now.date_naive(),
        category_id: groceries.id,
        description: "bulk".into(),
        payment_method: None,
        tags: vec!["x".into()],
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    let mut batch: Vec<Expense> = (1..=50).map(expense).collect();
    batch.push(batch[10].clone());
    for _ in 0..3 {
        let failed = ann
            .store()
            .transfer()
            .import(&[], &batch, &[], now, PastPeriods::Notify, &mut |_| {})
            .await;
        assert!(failed.is_err(), "a repeated id must fail the import");
    }
    assert_eq!(count(&app, &ann).await, 0);
    let spent = app.outlay.dashboard(&ann, now.date_naive()).await.unwrap();
    assert_eq!(
        spent.spent.minor, 0,
        "the per-day totals must not count a failed import"
    );
    // More writes than the pool has connections, each its own transaction.
    for i in 0..12 {
        app.outlay
            .add_expense(&ann, input(&format!("{i}.50"), "2026-11-02", groceries.id))
            .await
            .unwrap();
    }
    assert_eq!(count(&app, &ann).await, 12);
    batch.pop();
    ann.store()
        .transfer()
        .import(&[], &batch, &[], now, PastPeriods::Notify, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(count(&app, &ann).await, 62);
}

/// A writer that takes `left` bytes, then fails as a full disk does.
struct FillsUp {
    left: usize,
}

impl std::io::Write for FillsUp {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An export cut short by its writer is an error that leaves nothing behind: later exports,
/// more of them than the store has connections, each write every expense, and writes work.
async fn an_export_that_cannot_be_written_fails_and_the_next_ones_work(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let mut csv = HEADER.to_owned();
    for i in 0..3000 {
        csv.push_str(&format!(
            "2026-10-{:02},{i}.25,,Food,item {i},card,a b\n",
            1 + i % 28
        ));
    }
    let report = import(&app, &ann, &csv, &ImportOptions::default()).await;
    assert_eq!(report.imported, 3000);
    let everything = ExpenseFilter::default();
    for _ in 0..6 {
        let cut = app
            .outlay
            .export_csv(&ann, &everything, FillsUp { left: 10_000 }, &mut |_| {})
            .await;
        assert!(cut.is_err(), "a full disk must fail the export");
    }
    for _ in 0..6 {
        let text = export(&app, &ann, &everything).await;
        assert_eq!(text.lines().count(), 3001);
        assert!(text.contains(",item 2999,card,a b"), "{}", &text[..200]);
    }
    let groceries = app.category(&ann, "Groceries").await;
    app.outlay
        .add_expense(&ann, input("1.00", "2026-11-01", groceries.id))
        .await
        .unwrap();
    assert_eq!(count(&app, &ann).await, 3001);
}

contract_tests!(
    a_failed_bulk_import_saves_nothing_and_later_writes_work,
    an_export_that_cannot_be_written_fails_and_the_next_ones_work,
    export_then_import_round_trips_every_field,
    export_follows_the_filter,
    export_pages_through_many_expenses,
    invalid_lines_are_reported_with_line_numbers,
    malformed_files_are_refused_clearly,
    huge_fields_and_bad_text_are_line_errors,
    duplicates_are_skipped_and_counted,
    categories_are_matched_or_created,
    rejected_imports_create_no_categories,
);
