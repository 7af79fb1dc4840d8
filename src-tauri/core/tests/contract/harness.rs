//! A fresh database per test, and the macro that runs each contract test on every backend.

pub mod postgres;

use chrono::{DateTime, Utc};
use outlay_core::categories::Category;
use outlay_core::expenses::{Expense, ExpenseInput};
use outlay_core::{Clock, Outlay, PostgresStore, Session, SqliteStore};
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;
use uuid::Uuid;

/// The storage backends the contract runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// "Now" in every contract test: Wednesday 25 November 2026, noon UTC.
pub fn test_now() -> DateTime<Utc> {
    "2026-11-25T12:00:00Z".parse().unwrap()
}

/// One test's database and the app on top of it.
pub struct TestApp {
    pub outlay: Outlay,
    pub clock: Clock,
    database: Database,
}

/// Where a test's data lives; dropping it removes the database.
enum Database {
    Sqlite { path: PathBuf, _dir: TempDir },
    Postgres(Box<postgres::TestDatabase>),
}

impl Database {
    async fn open(&self, clock: Clock) -> Outlay {
        match self {
            Database::Sqlite { path, .. } => {
                Outlay::new(Arc::new(SqliteStore::open(path).await.unwrap()), clock)
            }
            Database::Postgres(db) => {
                let store = PostgresStore::connect(db.signin.clone()).await.unwrap();
                Outlay::new(Arc::new(store), clock)
            }
        }
    }
}

impl Backend {
    /// A new, empty database with migrations applied.
    ///
    /// Panics for PostgreSQL when no server is configured: check [`Backend::available`] first.
    pub async fn app(self) -> TestApp {
        let database = match self {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("outlay.db");
                Database::Sqlite { path, _dir: dir }
            }
            Backend::Postgres => {
                let url = postgres::admin_url().expect("a PostgreSQL server (DATABASE_URL)");
                Database::Postgres(Box::new(postgres::TestDatabase::create(&url).await))
            }
        };
        let clock = Clock::fixed(test_now());
        let outlay = database.open(clock.clone()).await;
        TestApp {
            outlay,
            clock,
            database,
        }
    }

    /// False (after a notice) when this backend's tests are to be skipped on this machine;
    /// panics instead when CI requires them.
    pub fn available(self) -> bool {
        match self {
            Backend::Sqlite => true,
            Backend::Postgres => postgres::admin_url().is_some(),
        }
    }
}

impl TestApp {
    /// The PostgreSQL database under this app, for tests that go behind its back.
    pub fn postgres(&self) -> Option<&postgres::TestDatabase> {
        match &self.database {
            Database::Postgres(db) => Some(db),
            Database::Sqlite { .. } => None,
        }
    }

    /// The same database opened again, as after an app restart.
    pub async fn reopen(&self) -> Outlay {
        self.database.open(self.clock.clone()).await
    }

    /// Signs up `email` with a valid password and USD.
    pub async fn user(&self, email: &str) -> Session {
        self.outlay
            .sign_up(email, "correct horse battery", "USD")
            .await
            .unwrap()
    }

    /// The id of the user's category called `name`.
    pub async fn category(&self, session: &Session, name: &str) -> Category {
        let categories = self.outlay.categories(session).await.unwrap();
        categories
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no category {name}"))
    }

    /// Adds an expense of `amount` on `date` in the category `category`.
    pub async fn spend(
        &self,
        session: &Session,
        amount: &str,
        date: &str,
        category: &str,
        description: &str,
    ) -> Expense {
        let category_id = self.category(session, category).await.id;
        let input = ExpenseInput {
            amount: amount.into(),
            date: Some(date.into()),
            category_id,
            description: description.into(),
            ..ExpenseInput::default()
        };
        self.outlay.add_expense(session, input).await.unwrap().value
    }
}

/// An input for `category_id` with only the amount and date set.
pub fn input(amount: &str, date: &str, category_id: Uuid) -> ExpenseInput {
    ExpenseInput {
        amount: amount.into(),
        date: Some(date.into()),
        category_id,
        ..ExpenseInput::default()
    }
}

/// Generates one `#[tokio::test]` per backend for each named `async fn name(backend: Backend)`.
macro_rules! contract_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::harness::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let backend = $crate::harness::Backend::Postgres;
                    if backend.available() {
                        super::$name(backend).await;
                    }
                }
            )*
        }
    };
}
