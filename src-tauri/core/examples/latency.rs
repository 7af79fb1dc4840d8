//! Measures (does not assert) add-expense and dashboard latency on SQLite and on PostgreSQL
//! over loopback, with many expenses already stored.
//!
//! ```text
//! DATABASE_URL=postgres://postgres:pw@127.0.0.1:5432/postgres \
//!     cargo run --release -p outlay-core --example latency -- 1000000
//! ```
//! Without DATABASE_URL only SQLite is measured.

#![allow(
    clippy::unwrap_used,
    reason = "a measuring program run by hand: any failure should stop it, naming the error"
)]

#[allow(
    dead_code,
    reason = "shared with the contract tests, which use more of it than this program does"
)]
#[path = "../tests/contract/harness/postgres.rs"]
mod server;

use outlay_core::budgets::BudgetInput;
use outlay_core::domain::PeriodKind;
use outlay_core::expenses::ExpenseInput;
use outlay_core::{Clock, Outlay, PostgresStore, Session, SqliteStore};
use sqlx::{Connection, Executor};
use std::sync::Arc;
use std::time::{Duration, Instant};

const EMAIL: &str = "bench@example.com";
const PASSWORD: &str = "correct horse battery";
const TODAY: &str = "2026-11-25";
const ADDS: usize = 200;
const DASHBOARDS: usize = 30;

#[tokio::main]
async fn main() {
    let count: i64 = std::env::args()
        .nth(1)
        .map(|n| n.parse().expect("a number of expenses"))
        .unwrap_or(100_000);
    let clock = Clock::fixed(format!("{TODAY}T12:00:00Z").parse().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outlay.db");
    let outlay = Outlay::new(
        Arc::new(SqliteStore::open(&path).await.unwrap()),
        clock.clone(),
    );
    let session = outlay.sign_up(EMAIL, PASSWORD, "USD").await.unwrap();
    let started = Instant::now();
    let mut file = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query(
        r#"
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1),
            cats(k, id) AS (
                SELECT row_number() OVER (ORDER BY id) - 1, id FROM categories WHERE user_id = ?2
            )
        INSERT INTO expenses (id, user_id, category_id, amount_minor, currency, spent_on,
            description, created_at, updated_at)
        SELECT randomblob(16), ?2, cats.id, 100 + i % 5000, 'USD',
            date(?3, '-' || (i % 1095) || ' days'), 'bench', ?4, ?4
        FROM n JOIN cats ON cats.k = n.i % (SELECT count(*) FROM cats)
        "#,
    )
    .bind(count)
    .bind(session.user_id)
    .bind(TODAY)
    .bind(clock.now())
    .execute(&mut file)
    .await
    .unwrap();
    file.execute("ANALYZE").await.unwrap();
    println!(
        "sqlite: loaded {count} expenses in {:.1?}",
        started.elapsed()
    );
    measure("sqlite", &outlay, &session).await;

    let Ok(url) = std::env::var("DATABASE_URL") else {
        println!("postgres: DATABASE_URL not set, skipped");
        return;
    };
    let db = server::TestDatabase::create(&url).await;
    let store = PostgresStore::connect(db.signin.clone()).await.unwrap();
    let outlay = Outlay::new(Arc::new(store), clock);
    let session = outlay.sign_up(EMAIL, PASSWORD, "USD").await.unwrap();
    let started = Instant::now();
    let (role, key) = server::credentials(&outlay, EMAIL, PASSWORD).await;
    let mut own =
        sqlx::PgConnection::connect_with(&db.signin.clone().username(&role).password(&key))
            .await
            .unwrap();
    sqlx::query(
        r#"
        INSERT INTO outlay.expenses (id, category_id, amount_minor, currency, spent_on,
            description, created_at, updated_at)
        SELECT gen_random_uuid(), c.ids[1 + i % c.n], 100 + i % 5000, 'USD',
            $2::date - (i % 1095)::int, 'bench', now(), now()
        FROM generate_series(1, $1) i,
            (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n FROM outlay.categories) c
        "#,
    )
    .bind(count)
    .bind(TODAY.parse::<chrono::NaiveDate>().unwrap())
    .execute(&mut own)
    .await
    .unwrap();
    // Only the owner may ANALYZE; a real server's autovacuum would do it soon after.
    db.admin()
        .await
        .execute("ANALYZE outlay.expenses")
        .await
        .unwrap();
    println!(
        "postgres: loaded {count} expenses in {:.1?}",
        started.elapsed()
    );
    measure("postgres", &outlay, &session).await;
}

async fn measure(backend: &str, outlay: &Outlay, session: &Session) {
    let category = outlay.categories(session).await.unwrap()[0].id;
    let mut adds = Vec::new();
    for i in 0..ADDS {
        let input = ExpenseInput {
            amount: format!("{}.50", 1 + i % 90),
            date: Some(TODAY.into()),
            category_id: category,
            description: "coffee".into(),
            ..ExpenseInput::default()
        };
        let started = Instant::now();
        outlay.add_expense(session, input).await.unwrap();
        adds.push(started.elapsed());
    }
    // The same again with an overall and a category budget set high enough never to fire:
    // every add then sums both budgets' month (the worst case for the alert check).
    for category_id in [None, Some(category)] {
        let budget = BudgetInput {
            category_id,
            period: PeriodKind::Monthly,
            amount: "10000000".into(),
            currency: None,
            thresholds: None,
        };
        outlay.create_budget(session, budget).await.unwrap();
    }
    let mut budgeted = Vec::new();
    for i in 0..ADDS {
        let input = ExpenseInput {
            amount: format!("{}.50", 1 + i % 90),
            date: Some(TODAY.into()),
            category_id: category,
            description: "coffee".into(),
            ..ExpenseInput::default()
        };
        let started = Instant::now();
        outlay.add_expense(session, input).await.unwrap();
        budgeted.push(started.elapsed());
    }
    let on = TODAY.parse().unwrap();
    let mut dashboards = Vec::new();
    for _ in 0..DASHBOARDS {
        let started = Instant::now();
        outlay.dashboard(session, on).await.unwrap();
        dashboards.push(started.elapsed());
    }
    report(backend, "add expense", adds);
    report(backend, "add, 2 budgets", budgeted);
    report(backend, "dashboard", dashboards);
}

fn report(backend: &str, action: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{backend:>8} {action:<14} n={:<4} median {:>8.2?}  p95 {:>8.2?}  max {:>8.2?}",
        times.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}
