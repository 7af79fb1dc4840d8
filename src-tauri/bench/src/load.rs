//! Loading a generated data set into a fresh store: accounts, categories and budgets through
//! the services, then the expenses in batched multi-row inserts in one transaction (a million
//! service calls would measure nothing but the loader).

use crate::generate::{extra_categories, GeneratedExpense, Plan, PROFILES};
use crate::server::{credentials, TestDatabase};
use outlay_core::budgets::BudgetInput;
use outlay_core::categories::CategoryInput;
use outlay_core::domain::PeriodKind;
use outlay_core::{Clock, Outlay, PostgresStore, Session, SqliteStore};
use sqlx::{Connection, Executor, QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;
use uuid::Uuid;

/// The password of every benchmark account.
pub const PASSWORD: &str = "correct horse battery";
/// The account that holds the data set.
pub const EMAIL: &str = "bench@example.com";
/// Expenses per multi-row INSERT on SQLite: 10 columns each, under its 32 766 bound values.
const SQLITE_BATCH: usize = 3000;
/// Expenses per array INSERT on PostgreSQL.
const POSTGRES_BATCH: usize = 20_000;
/// Two more accounts with a little data each, so the main one is not alone in the tables.
const NEIGHBOURS: &[&str] = &["neighbour1@example.com", "neighbour2@example.com"];

/// Which store to load.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server of this superuser URL.
    Postgres(String),
}

impl Backend {
    /// "sqlite" or "postgres", the suffix of the metric names.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// A loaded store; the database goes away when this is dropped.
pub struct Loaded {
    /// The app over the store.
    pub outlay: Outlay,
    /// The account holding the data set.
    pub session: Session,
    /// The category id of each profile path ("Food/Groceries").
    pub categories: HashMap<&'static str, Uuid>,
    _keep: Keep,
}

/// What must live as long as the data set: dropping it deletes the data.
enum Keep {
    Nothing,
    Sqlite(#[allow(dead_code, reason = "never read, only dropped")] TempDir),
    Postgres(#[allow(dead_code, reason = "never read, only dropped")] Box<TestDatabase>),
}

/// Opens a fresh store of `backend` (files under `dir`), signs up the accounts, and loads
/// `plan`'s expenses into the main one.
pub async fn load(
    backend: &Backend,
    plan: &Plan,
    clock: Clock,
    dir: &Path,
) -> Result<Loaded, String> {
    match backend {
        Backend::Sqlite => {
            let tmp = tempfile::tempdir_in(dir).map_err(|e| e.to_string())?;
            let path = tmp.path().join("outlay.db");
            let store = SqliteStore::open(&path).await.map_err(|e| e.to_string())?;
            let outlay = Outlay::new(Arc::new(store), clock);
            let (session, categories) = accounts(&outlay).await?;
            let url = format!("sqlite://{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url)
                .await
                .map_err(|e| e.to_string())?;
            load_sqlite(&mut conn, session.user_id, &categories, plan)
                .await
                .map_err(|e| format!("loading SQLite: {e}"))?;
            conn.execute("ANALYZE").await.map_err(|e| e.to_string())?;
            // The file at rest, as a user's is between sessions: the load's WAL (hundreds of
            // MB) copied into the database now, not during the timed adds.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .map_err(|e| e.to_string())?;
            conn.close().await.map_err(|e| e.to_string())?;
            if std::env::var_os("OUTLAY_BENCH_KEEP").is_some() {
                // For EXPLAIN QUERY PLAN afterwards: the file outlives the run.
                println!("sqlite: keeping {}", tmp.keep().join("outlay.db").display());
                return Ok(Loaded {
                    outlay,
                    session,
                    categories,
                    _keep: Keep::Nothing,
                });
            }
            Ok(Loaded {
                outlay,
                session,
                categories,
                _keep: Keep::Sqlite(tmp),
            })
        }
        Backend::Postgres(url) => {
            let db = TestDatabase::create(url).await;
            let store = PostgresStore::connect(db.signin.clone())
                .await
                .map_err(|e| e.to_string())?;
            let outlay = Outlay::new(Arc::new(store), clock);
            let (session, categories) = accounts(&outlay).await?;
            let (role, key) = credentials(&outlay, EMAIL, PASSWORD).await;
            let mut own =
                sqlx::PgConnection::connect_with(&db.signin.clone().username(&role).password(&key))
                    .await
                    .map_err(|e| e.to_string())?;
            load_postgres(&mut own, &categories, plan)
                .await
                .map_err(|e| format!("loading PostgreSQL: {e}"))?;
            own.close().await.map_err(|e| e.to_string())?;
            // What a real server's autovacuum does soon after a million inserts (only the owner
            // may): statistics, and the visibility map that lets a jump down the list walk the
            // index alone instead of visiting every row it skips.
            let mut admin = db.admin().await;
            admin
                .execute("VACUUM ANALYZE")
                .await
                .map_err(|e| e.to_string())?;
            if std::env::var_os("OUTLAY_BENCH_KEEP").is_some() {
                // For EXPLAIN ANALYZE afterwards (as a superuser: SET ROLE to the user's role).
                println!("postgres: keeping database {} (user role {role})", db.name);
                std::mem::forget(db);
                return Ok(Loaded {
                    outlay,
                    session,
                    categories,
                    _keep: Keep::Nothing,
                });
            }
            Ok(Loaded {
                outlay,
                session,
                categories,
                _keep: Keep::Postgres(Box::new(db)),
            })
        }
    }
}

/// Signs up the main account and its neighbours, creates the extra categories and budgets.
async fn accounts(outlay: &Outlay) -> Result<(Session, HashMap<&'static str, Uuid>), String> {
    let text = |e: outlay_core::AppError| e.to_string();
    for email in NEIGHBOURS {
        let neighbour = outlay.sign_up(email, PASSWORD, "USD").await.map_err(text)?;
        let groceries = outlay
            .categories(&neighbour)
            .await
            .map_err(text)?
            .into_iter()
            .find(|c| c.name == "Groceries")
            .ok_or("no Groceries category")?;
        for day in 1..=20 {
            let input = outlay_core::expenses::ExpenseInput {
                amount: format!("{day}.25"),
                date: Some(format!("2026-11-{day:02}")),
                category_id: groceries.id,
                description: "Fresh Market".into(),
                ..Default::default()
            };
            outlay.add_expense(&neighbour, input).await.map_err(text)?;
        }
    }
    let session = outlay.sign_up(EMAIL, PASSWORD, "USD").await.map_err(text)?;
    let existing = outlay.categories(&session).await.map_err(text)?;
    for (parent, child) in extra_categories() {
        let parent_id = existing
            .iter()
            .find(|c| c.parent_id.is_none() && c.name == parent)
            .ok_or_else(|| format!("no category {parent}"))?
            .id;
        let input = CategoryInput {
            name: child.into(),
            parent_id: Some(parent_id),
            colour: None,
        };
        outlay
            .create_category(&session, input)
            .await
            .map_err(text)?;
    }
    let categories = category_ids(outlay, &session).await?;
    for (category, period, amount) in [
        (None, PeriodKind::Monthly, "3000"),
        (Some("Food"), PeriodKind::Monthly, "900"),
        (Some("Transport"), PeriodKind::Weekly, "100"),
        (Some("Travel"), PeriodKind::Yearly, "5000"),
    ] {
        let input = BudgetInput {
            category_id: category.map(|c| categories[c]),
            period,
            amount: amount.into(),
            currency: None,
            thresholds: None,
        };
        outlay.create_budget(&session, input).await.map_err(text)?;
    }
    Ok((session, categories))
}

/// Category ids by path ("Food" and "Food/Groceries").
async fn category_ids(
    outlay: &Outlay,
    session: &Session,
) -> Result<HashMap<&'static str, Uuid>, String> {
    let all = outlay
        .categories(session)
        .await
        .map_err(|e| e.to_string())?;
    let path_of = |id: Uuid| -> Option<String> {
        let c = all.iter().find(|c| c.id == id)?;
        match c.parent_id.and_then(|p| all.iter().find(|x| x.id == p)) {
            Some(parent) => Some(format!("{}/{}", parent.name, c.name)),
            None => Some(c.name.clone()),
        }
    };
    let mut ids = HashMap::new();
    for profile in PROFILES {
        let id = all
            .iter()
            .find(|c| path_of(c.id).as_deref() == Some(profile.path))
            .ok_or_else(|| format!("no category {}", profile.path))?;
        ids.insert(profile.path, id.id);
    }
    for top in all.iter().filter(|c| c.parent_id.is_none()) {
        if let Some(p) = PROFILES.iter().find(|p| p.path == top.name) {
            ids.insert(p.path, top.id);
        }
    }
    Ok(ids)
}

async fn load_sqlite(
    conn: &mut sqlx::SqliteConnection,
    user: Uuid,
    categories: &HashMap<&'static str, Uuid>,
    plan: &Plan,
) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    let mut batch: Vec<GeneratedExpense> = Vec::with_capacity(SQLITE_BATCH);
    let mut expenses = plan.expenses().peekable();
    while expenses.peek().is_some() {
        batch.clear();
        batch.extend(expenses.by_ref().take(SQLITE_BATCH));
        let mut insert = QueryBuilder::<Sqlite>::new(
            r#"
            INSERT INTO expenses (id, user_id, category_id, amount_minor, currency, spent_on,
                description, payment_method, created_at, updated_at)
            "#,
        );
        insert.push_values(&batch, |mut row, e| {
            row.push_bind(e.id)
                .push_bind(user)
                .push_bind(categories[e.category()])
                .push_bind(e.minor)
                .push_bind(e.currency)
                .push_bind(e.date)
                .push_bind(e.description.as_str())
                .push_bind(e.payment_method)
                .push_bind(e.created_at)
                .push_bind(e.created_at);
        });
        insert.build().execute(&mut *tx).await?;
        let tags: Vec<(Uuid, &str)> = batch
            .iter()
            .flat_map(|e| e.tags.iter().map(|t| (e.id, *t)))
            .collect();
        for chunk in tags.chunks(SQLITE_BATCH) {
            let mut insert =
                QueryBuilder::<Sqlite>::new("INSERT INTO expense_tags (expense_id, user_id, tag) ");
            insert.push_values(chunk, |mut row, (id, tag)| {
                row.push_bind(*id).push_bind(user).push_bind(*tag);
            });
            insert.build().execute(&mut *tx).await?;
        }
    }
    tx.commit().await
}

async fn load_postgres(
    conn: &mut sqlx::PgConnection,
    categories: &HashMap<&'static str, Uuid>,
    plan: &Plan,
) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    let mut batch: Vec<GeneratedExpense> = Vec::with_capacity(POSTGRES_BATCH);
    let mut expenses = plan.expenses().peekable();
    while expenses.peek().is_some() {
        batch.clear();
        batch.extend(expenses.by_ref().take(POSTGRES_BATCH));
        let column = |f: &dyn Fn(&GeneratedExpense) -> String| -> Vec<String> {
            batch.iter().map(f).collect()
        };
        sqlx::query(
            r#"
            INSERT INTO outlay.expenses (id, category_id, amount_minor, currency, spent_on,
                description, payment_method, created_at, updated_at)
            SELECT i, c, a, cur, d, descr, pm, t, t
            FROM UNNEST($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::date[], $6::text[],
                $7::text[], $8::timestamptz[]) AS x(i, c, a, cur, d, descr, pm, t)
            "#,
        )
        .bind(batch.iter().map(|e| e.id).collect::<Vec<_>>())
        .bind(
            batch
                .iter()
                .map(|e| categories[e.category()])
                .collect::<Vec<_>>(),
        )
        .bind(batch.iter().map(|e| e.minor).collect::<Vec<_>>())
        .bind(column(&|e| e.currency.to_owned()))
        .bind(batch.iter().map(|e| e.date).collect::<Vec<_>>())
        .bind(column(&|e| e.description.clone()))
        .bind(
            batch
                .iter()
                .map(|e| e.payment_method.map(str::to_owned))
                .collect::<Vec<_>>(),
        )
        .bind(batch.iter().map(|e| e.created_at).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
        let (ids, tags): (Vec<Uuid>, Vec<String>) = batch
            .iter()
            .flat_map(|e| e.tags.iter().map(|t| (e.id, (*t).to_owned())))
            .unzip();
        sqlx::query(
            r#"
            INSERT INTO outlay.expense_tags (expense_id, tag)
            SELECT * FROM UNNEST($1::uuid[], $2::text[])
            "#,
        )
        .bind(ids)
        .bind(tags)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
