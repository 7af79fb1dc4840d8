//! The storage boundary, in two levels.
//!
//! - [`Store`], the account level: sign-up, sign-in, the sign-in throttle and remember-me
//!   tokens. It reaches no one's expenses.
//! - [`UserStore`], one signed-in user's data, split by area ([`areas`]). Only a sign-in
//!   (or a sign-up, or a resumed remember-me token) yields one, and it carries the user's
//!   scoping itself: on SQLite the pool and the user's id, on PostgreSQL the user's own
//!   connection pool under row-level security. No per-user method takes a user id, so no
//!   call can name someone else's.
//!
//! Each backend has one file per area under `sqlite/` and `postgres/`, with the same names.
//! SQL that reads the same in both dialects is written once in [`sql`]; the fragments that
//! differ go through its small [`sql::Dialect`] seam. The contract suite (`tests/contract`)
//! runs unchanged on every backend.

pub mod areas;
mod paging;
pub mod postgres;
pub(crate) mod rows;
mod shared;
pub(crate) mod sql;
mod sqlite;
mod types;
mod values;

pub use areas::{
    AlertStore, BudgetStore, CategoryStore, ExpenseStore, OutboxStore, ProfileStore, SpendStore,
    StatementStore, TransferStore,
};
pub use paging::PageStart;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use types::*;

use crate::categories::Category;
use crate::domain::{Email, RememberToken};
use crate::error::{AppError, Result};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::Arc;

/// A signed-in user: their account and the handle to their data.
#[derive(Clone)]
pub struct Account {
    /// The account as stored.
    pub user: UserRecord,
    /// Everything the user may read and write, and nothing else.
    pub store: Arc<dyn UserStore>,
}

/// The account level of a database: what happens before anyone is signed in.
/// Implementations: [`SqliteStore`], [`PostgresStore`].
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// Where the data lives, for the settings screen ("/home/ann/.local/share/…/outlay.db").
    fn location(&self) -> String;

    /// Creates a user with their starting categories, all or nothing, and signs them in.
    /// A duplicate e-mail is [`crate::AppError::EmailTaken`].
    async fn insert_user(&self, user: &UserRecord, categories: &[Category]) -> Result<Account>;
    /// What sign-in needs about the account of a (normalised) e-mail, if there is one.
    async fn login_record(&self, email: &Email) -> Result<Option<LoginRecord>>;
    /// Checks a sign-in: `attempt` is the typed password hashed with the salt and parameters
    /// of `login.password_hash` (a full PHC string). Returns the signed-in account when it
    /// matches; `None` for a wrong password or no account (`login` is `None`, which still
    /// costs a check so both answers take as long).
    ///
    /// SQLite compares the hashes. PostgreSQL signs in to the server as the user's own role,
    /// with the hash as its password, and the handle keeps that connection pool.
    async fn authenticate(
        &self,
        login: Option<&LoginRecord>,
        attempt: &str,
    ) -> Result<Option<Account>>;

    /// The throttle state of an e-mail address (zero when never failed).
    async fn throttle(&self, email: &str) -> Result<Throttle>;
    /// Counts one more failure atomically and returns the new count.
    async fn add_login_failure(&self, email: &str) -> Result<i64>;
    /// Sets the lock of an e-mail address.
    async fn lock_login(&self, email: &str, until: DateTime<Utc>) -> Result<()>;

    /// The account a still-valid remember-me token belongs to, signed in like
    /// [`Store::authenticate`].
    async fn user_by_remember_token(
        &self,
        token: &RememberToken,
        now: DateTime<Utc>,
    ) -> Result<Option<Account>>;
    /// Forgets one remember-me token (sign-out: no session is needed to forget it).
    async fn delete_remember_token(&self, token: &RememberToken) -> Result<()>;

    /// Closes every connection and waits for them: the local file checkpointed and its
    /// `-wal` and `-shm` removed, so it can be copied, moved or its disk unmounted. Every
    /// request after this fails.
    async fn close(&self);

    /// Writes a consistent copy of the whole local profile to `dest` (which must not exist),
    /// while other requests go on. A server's data is backed up by its administrator.
    async fn back_up_into(&self, dest: &Path) -> Result<()> {
        let _ = dest;
        Err(AppError::invalid(
            "backup",
            "A server's data is backed up on the server, by its administrator.",
        ))
    }
}

/// One signed-in user's data, by area. Each accessor hands out the same handle seen
/// through one area's methods, all scoped to this user.
pub trait UserStore: Send + Sync {
    /// The user's own account: password, remember-me tokens, deletion.
    fn profile(&self) -> &dyn ProfileStore;
    /// Categories.
    fn categories(&self) -> &dyn CategoryStore;
    /// Expenses and their tags.
    fn expenses(&self) -> &dyn ExpenseStore;
    /// Budgets.
    fn budgets(&self) -> &dyn BudgetStore;
    /// Alerts that fired, and the e-mail settings.
    fn alerts(&self) -> &dyn AlertStore;
    /// The e-mail outbox.
    fn outbox(&self) -> &dyn OutboxStore;
    /// Spend totals for the dashboard, reports and budgets.
    fn spend(&self) -> &dyn SpendStore;
    /// Import and export.
    fn transfer(&self) -> &dyn TransferStore;
    /// Bank statement import: saved layouts, category rules, references already imported.
    fn statements(&self) -> &dyn StatementStore;
}
