//! The areas of one signed-in user's data. Every method is scoped to the user whose
//! [`super::UserStore`] it was reached through; none takes a user id.

use super::{
    CategoryMonthSpend, DescriptionUse, ExpenseKey, ExportRow, PageStart, SpendRow, Total,
    UserRecord,
};
use crate::alerts::{Alert, PastPeriods, Saved, SpendChange};
use crate::budgets::Budget;
use crate::categories::Category;
use crate::domain::{Currency, RememberToken};
use crate::error::Result;
use crate::expenses::{Expense, ExpenseQuery};
use crate::mail::{EmailSettings, MailOutcome, MailStatus, OutboxMail};
use crate::statement::CategoryRule;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// The user's own account.
#[async_trait::async_trait]
pub trait ProfileStore: Send + Sync {
    /// The account as stored now (`None` once deleted, e.g. from another device).
    async fn user(&self) -> Result<Option<UserRecord>>;
    /// Replaces the password hash (a full PHC string: change of password or re-hash with
    /// stronger parameters). PostgreSQL changes the role's password in the same transaction
    /// and signs this handle in again with it.
    async fn set_password_hash(&self, hash: &str) -> Result<()>;
    /// Deletes the user and every row that belongs to them, in one transaction.
    async fn delete(&self) -> Result<()>;
    /// Forgets the failed sign-ins of the user's e-mail (after a successful sign-in).
    async fn clear_login_failures(&self) -> Result<()>;
    /// Stores a remember-me token (its hash; PostgreSQL also the user's database password
    /// sealed with the token, so the token alone can reopen the session).
    async fn insert_remember_token(
        &self,
        token: &RememberToken,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// Forgets every remember-me token of the user (after a password change).
    async fn delete_remember_tokens(&self) -> Result<()>;
}

/// Categories.
#[async_trait::async_trait]
pub trait CategoryStore: Send + Sync {
    /// Adds a category. A duplicate name under the same parent is a conflict.
    async fn insert(&self, category: &Category) -> Result<()>;
    /// All the categories, archived included, parents before children.
    async fn list(&self) -> Result<Vec<Category>>;
    /// Saves name, colour, parent and archived flag.
    async fn update(&self, category: &Category) -> Result<()>;
    /// Moves expenses, budgets, category rules and children of `from` to `into`, then deletes
    /// `from`. Returns how many expenses moved.
    async fn merge(&self, from: Uuid, into: Uuid) -> Result<u64>;
}

/// Expenses. Every write evaluates the budgets it touches in its own transaction (see
/// [`crate::alerts::detect`]) and returns the alerts fired.
#[async_trait::async_trait]
pub trait ExpenseStore: Send + Sync {
    /// Adds an expense with its tags.
    async fn insert(&self, expense: &Expense, now: DateTime<Utc>) -> Result<Vec<Alert>>;
    /// One expense, deleted or not.
    async fn get(&self, id: Uuid) -> Result<Option<Expense>>;
    /// Copies expenses in from another store (the upload of a local profile to a server), in
    /// one transaction: each is inserted with its tags unless one with its id is already there,
    /// so copying twice adds nothing. The number inserted.
    async fn copy(&self, expenses: &[Expense]) -> Result<u64>;
    /// Saves every field of an existing live expense and replaces its tags; evaluates the
    /// budgets of both its old and its new category, date and amount.
    async fn update(&self, expense: &Expense, now: DateTime<Utc>) -> Result<Vec<Alert>>;
    /// Marks expenses deleted (`Some`) or restores them (`None`); returns how many changed.
    async fn set_deleted(
        &self,
        ids: &[Uuid],
        deleted_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>>;
    /// Moves live expenses to another category; returns how many changed.
    async fn recategorise(
        &self,
        ids: &[Uuid],
        category: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>>;
    /// One page of live expenses matching `query`, in `query.sort`'s order, from `start`.
    /// A cursor of another order is refused (`Invalid`).
    async fn list(
        &self,
        query: &ExpenseQuery,
        start: PageStart<'_>,
        limit: u32,
    ) -> Result<Vec<Expense>>;
    /// Totals per currency of every live expense matching `query`.
    async fn totals(&self, query: &ExpenseQuery) -> Result<Vec<Total>>;
    /// The largest live expenses matching `query` (by minor units: give `query` a currency),
    /// largest first, then newest first.
    async fn largest(&self, query: &ExpenseQuery, limit: u32) -> Result<Vec<Expense>>;
    /// Category learning: among the `recent` newest live expenses, those whose description
    /// contains any of `words` (lower case, matched case-insensitively), one row per
    /// description and category, most used first, at most [`super::MAX_DESCRIPTION_USES`]
    /// rows. Bounded by `recent` so it reads one index range, not the whole history.
    async fn description_uses(&self, words: &[String], recent: u32) -> Result<Vec<DescriptionUse>>;
    /// Category learning for many descriptions at once (a bank statement's): every
    /// description and category among the `recent` newest live expenses, in one read.
    async fn recent_description_uses(&self, recent: u32) -> Result<Vec<DescriptionUse>>;
}

/// Budgets. A budget written (or deleted) is checked against the spend of its period that
/// holds `today`, in the same transaction, like an expense write: a budget saved below what
/// is already spent alerts at once.
#[async_trait::async_trait]
pub trait BudgetStore: Send + Sync {
    /// Adds a budget (with its e-mail flag).
    async fn insert(
        &self,
        budget: &Budget,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>>;
    /// All the budgets.
    async fn list(&self) -> Result<Vec<Budget>>;
    /// Saves a budget's amount, period, category and thresholds.
    async fn update(
        &self,
        budget: &Budget,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>>;
    /// Deletes a budget (its alerts stay: they happened).
    async fn delete(&self, id: Uuid, today: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Alert>>;
    /// Turns e-mail on or off for a budget's alerts.
    async fn set_email(&self, id: Uuid, on: bool) -> Result<()>;
    /// Evaluates the budgets `changes` touch, in a transaction of its own (for spend that
    /// changed outside a write that evaluates itself).
    async fn reevaluate(&self, changes: &[SpendChange], now: DateTime<Utc>) -> Result<Vec<Alert>>;
}

/// Alerts that fired, and the e-mail settings they are sent with.
#[async_trait::async_trait]
pub trait AlertStore: Send + Sync {
    /// The newest `limit` alerts, newest first.
    async fn list(&self, limit: u32) -> Result<Vec<Alert>>;
    /// How many alerts are unread.
    async fn unread(&self) -> Result<i64>;
    /// Whether there is an alert with this id.
    async fn exists(&self, id: Uuid) -> Result<bool>;
    /// Marks one unread alert (`Some`) or all of them (`None`) read at `at`; returns how many
    /// changed.
    async fn mark_read(&self, id: Option<Uuid>, at: DateTime<Utc>) -> Result<u64>;
    /// The e-mail settings, if ever saved.
    async fn email_settings(&self) -> Result<Option<EmailSettings>>;
    /// Saves the e-mail settings.
    async fn save_email_settings(&self, settings: &EmailSettings) -> Result<()>;
}

/// The e-mail outbox.
#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims the mail due first (pending or with a lapsed claim, due by `now`): marks it
    /// sending until `lease_until` and counts the attempt, in one statement so two senders
    /// never claim the same mail. Returns it with the new attempt count.
    async fn claim(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<OutboxMail>>;
    /// Records how attempt number `attempt` of a claimed mail ended — only if that claim
    /// still holds. True when recorded.
    async fn finish(&self, id: Uuid, attempt: u32, outcome: &MailOutcome) -> Result<bool>;
    /// The mails, newest first, optionally only those with `status`.
    async fn list(&self, status: Option<MailStatus>, limit: u32) -> Result<Vec<OutboxMail>>;
    /// Puts a failed mail back to pending, due at `now`, with no attempts counted. True when
    /// there was such a failed mail.
    async fn retry(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool>;
    /// When the next pending (or claimed) mail is due, if any.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>>;
}

/// Spend totals, from the per-day totals the database keeps.
#[async_trait::async_trait]
pub trait SpendStore: Send + Sync {
    /// Sum of live expenses in `currency` dated in `[from, to)`, limited to `categories`
    /// when given.
    async fn total(
        &self,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
        categories: Option<&[Uuid]>,
    ) -> Result<i64>;
    /// Spend per category in `currency` dated in `[from, to)`.
    async fn by_category(
        &self,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<Uuid>>>;
    /// Spend per calendar month ("YYYY-MM") in `currency` dated in `[from, to)`.
    async fn by_month(
        &self,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<String>>>;
    /// Spend per category and calendar month in `currency` dated in `[from, to)`.
    async fn by_category_and_month(
        &self,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategoryMonthSpend>>;
}

/// Import and export.
#[async_trait::async_trait]
pub trait TransferStore: Send + Sync {
    /// The keys of the live expenses dated in `[from, to)`, for duplicate detection.
    async fn live_expense_keys(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ExpenseKey>>;
    /// Saves imported expenses (with their tags), the categories they need and the bank's
    /// references of those expenses (`(expense id, reference)`, see
    /// [`StatementStore::known_references`]), in batches, and evaluates the budgets they touch
    /// (with `past`: see [`PastPeriods`]), all in one transaction; `progress` hears how many
    /// expenses are saved so far. Returns the alerts fired.
    ///
    /// A reference already known (from an earlier import, or twice in this one) stays with
    /// the expense it came with first: the expense is saved, without it.
    async fn import(
        &self,
        categories: &[Category],
        expenses: &[Expense],
        references: &[(Uuid, String)],
        now: DateTime<Utc>,
        past: PastPeriods,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Vec<Alert>>;
    /// Streams the live expenses matching `query`, oldest first, to `sink`: one query, rows
    /// as they come, memory flat. Returns how many; an error from `sink` stops the stream
    /// and is returned.
    async fn export(
        &self,
        query: &ExpenseQuery,
        sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
    ) -> Result<u64>;
}

/// Bank statement import: the mapping saved per file layout, the user's category rules and
/// the bank's references of what was imported (saved by [`TransferStore::import`]).
#[async_trait::async_trait]
pub trait StatementStore: Send + Sync {
    /// The mapping saved for the layout with this fingerprint: the importer's own JSON, as
    /// it saved it.
    async fn layout(&self, fingerprint: &str) -> Result<Option<String>>;
    /// Saves the mapping of a layout, over any saved before for the same fingerprint.
    async fn save_layout(&self, fingerprint: &str, mapping: &str, now: DateTime<Utc>)
        -> Result<()>;
    /// The category rules, oldest first.
    async fn rules(&self) -> Result<Vec<CategoryRule>>;
    /// Adds a rule. A rule for the same text, whatever its case, is a conflict; a category
    /// that is not one of the user's is `Invalid` on `categoryId`.
    async fn add_rule(&self, rule: &CategoryRule) -> Result<()>;
    /// Deletes a rule; false when there was none with this id.
    async fn delete_rule(&self, id: Uuid) -> Result<bool>;
    /// Which of `references` (OFX `FITID`s, CAMT entry references) came with an earlier
    /// import, its expense deleted since or not; each once, in no particular order. Any
    /// number: the store batches them.
    async fn known_references(&self, references: &[String]) -> Result<Vec<String>>;
}
