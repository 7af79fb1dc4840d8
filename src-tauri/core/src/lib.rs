//! Outlay's core: the domain, the storage behind the [`Store`] trait, and the services the
//! desktop shell calls. No Tauri here, so everything is testable on its own.
//!
//! Every service is a method of [`Outlay`]; those that touch user data take a [`Session`],
//! which carries the signed-in user's own store handle.

// A library does not print: what the user should see is an `AppError`, what a maintainer
// needs goes to the log. (The tools print by design, so this is not a workspace lint.)
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod alerts;
pub mod assistant;
pub mod auth;
pub mod backup;
pub mod budgets;
pub mod categories;
pub mod clock;
pub mod dashboard;
pub mod domain;
pub mod error;
pub mod expenses;
pub mod mail;
mod month_line;
pub mod quick_add;
pub mod reports;
pub mod secrets;
pub mod statement;
pub mod store;
#[cfg(test)]
mod test_log;
pub mod transfer;
pub mod upload;

pub use alerts::{Alert, Saved};
pub use auth::{Session, SignedIn};
pub use clock::Clock;
pub use error::{AppError, ErrorKind, Result};
pub use store::{PostgresStore, SqliteStore, Store, UserStore};

use std::path::Path;
use std::sync::Arc;

/// The application: a store and a clock. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Outlay {
    store: Arc<dyn Store>,
    clock: Clock,
    /// Bumped whenever a write may have queued mail, to wake [`Outlay::run_outbox`].
    mail_wakeup: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Outlay {
    /// Opens (creating if needed) the SQLite database at `path` and brings its schema up to date.
    pub async fn open_sqlite(path: &Path) -> Result<Outlay> {
        let store = SqliteStore::open(path).await?;
        Ok(Outlay::new(Arc::new(store), Clock::system()))
    }

    /// Connects to an Outlay server (see [`PostgresStore::connect`]); `options` carry the
    /// shared sign-in role's user and password.
    pub async fn open_postgres(options: store::postgres::PgConnectOptions) -> Result<Outlay> {
        let store = PostgresStore::connect(options).await?;
        Ok(Outlay::new(Arc::new(store), Clock::system()))
    }

    /// Closes the store's connections and waits for them (see [`Store::close`]).
    pub async fn close(&self) {
        self.store.close().await;
    }

    /// An Outlay over any store and clock (tests pass a fixed clock).
    pub fn new(store: Arc<dyn Store>, clock: Clock) -> Outlay {
        let (mail_wakeup, _) = tokio::sync::watch::channel(0);
        Outlay {
            store,
            clock,
            mail_wakeup: Arc::new(mail_wakeup),
        }
    }

    /// After a write: wakes the outbox loop when alerts fired (their mail may be queued).
    fn mail_queued(&self, fired: &[Alert]) {
        if !fired.is_empty() {
            self.mail_wakeup.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Where the data lives, for the settings screen.
    pub fn database_location(&self) -> String {
        self.store.location()
    }

    /// The account-level store, for administration and the contract tests; a user's data is
    /// reached through their [`Session`].
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock the services use.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
}
