//! The storage boundary: one trait, one implementation per database.
//!
//! Every method that touches user data takes the user's id and must scope its query to it;
//! the contract suite (`tests/contract`) checks each implementation the same way.

pub mod postgres;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::alerts::{Alert, PastPeriods, Saved, SpendChange};
use crate::budgets::Budget;
use crate::categories::Category;
use crate::domain::{Currency, Email, Money, RememberToken};
use crate::error::Result;
use crate::expenses::{Expense, ExpenseCursor, ExpenseQuery, ExpenseSort, SortKey};
use crate::mail::{EmailSettings, MailOutcome, MailStatus, OutboxMail};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// How an expense list order reads in SQL on the alias `e`; the same in both dialects.
struct OrderSql {
    /// The key column; `e.id` follows it to break ties.
    key: &'static str,
    /// `DESC` or `ASC`, for the key and the id alike.
    direction: &'static str,
    /// Compares `(key, e.id)` with a cursor's: the rows after it in this order.
    after: &'static str,
}

impl OrderSql {
    fn of(sort: ExpenseSort) -> Self {
        let key = if sort.by_amount() {
            "e.amount_minor"
        } else {
            "e.spent_on"
        };
        let (direction, after) = if sort.descending() {
            ("DESC", "<")
        } else {
            ("ASC", ">")
        };
        OrderSql {
            key,
            direction,
            after,
        }
    }
}

/// Where a page of the expense list starts.
#[derive(Clone, Copy, Debug)]
pub enum PageStart<'a> {
    /// At the top.
    First,
    /// Just after the expense this cursor came from: the next page of a scroll.
    After(&'a ExpenseCursor),
    /// At this row of the list (0 is the top): a jump into a long list. The database still
    /// walks the rows before it (an index walk, no sort), so scrolling on from there goes
    /// by cursor again.
    At(u64),
}

impl<'a> From<Option<&'a ExpenseCursor>> for PageStart<'a> {
    fn from(cursor: Option<&'a ExpenseCursor>) -> Self {
        cursor.map_or(PageStart::First, PageStart::After)
    }
}

/// Opens a list query: `SELECT columns FROM from WHERE `, for the caller to go on with its
/// conditions and then [`push_page`].
///
/// A page that starts at a row picks the ids of its rows in a subquery first, so the rows it
/// skips cost an index walk only: selected directly, each skipped row would also have its
/// columns read and, on PostgreSQL, its tags looked up (a jump to the end of a million
/// expenses took 1.35 s there, 0.14 s this way; docs/performance.md).
fn open_page<DB: Database>(columns: &str, from: &str, start: PageStart<'_>) -> QueryBuilder<DB> {
    QueryBuilder::new(match start {
        PageStart::At(_) => {
            format!("SELECT {columns} FROM {from} WHERE e.id IN (SELECT e.id FROM {from} WHERE ")
        }
        _ => format!("SELECT {columns} FROM {from} WHERE "),
    })
}

/// Appends the keyset condition after a cursor (when the page starts at one), the order of
/// `sort`, the limit and the offset (when it starts at a row) to a list query opened with
/// [`open_page`] whose conditions are in. Refuses a cursor of another order.
///
/// The row-value comparison lets either dialect walk an index on (owner, key, id) from the
/// cursor on, in either direction, instead of sorting every match for each page.
fn push_page<DB>(
    builder: &mut QueryBuilder<DB>,
    sort: ExpenseSort,
    start: PageStart<'_>,
    limit: u32,
) -> Result<()>
where
    DB: Database,
    for<'t> NaiveDate: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> Uuid: Encode<'t, DB> + Type<DB>,
{
    let order = OrderSql::of(sort);
    let order_by = format!(
        " ORDER BY {key} {direction}, e.id {direction}",
        key = order.key,
        direction = order.direction
    );
    if let PageStart::After(cursor) = start {
        let key = cursor.key(sort)?;
        builder.push(format_args!(" AND ({}, e.id) {} (", order.key, order.after));
        match key {
            SortKey::Date(date) => builder.push_bind(date),
            SortKey::Amount(minor) => builder.push_bind(minor),
        };
        builder.push(", ").push_bind(cursor.id).push(")");
    }
    builder
        .push(&order_by)
        .push(" LIMIT ")
        .push_bind(i64::from(limit));
    if let PageStart::At(row) = start {
        // Past i64::MAX is past any list's end anyway.
        builder
            .push(" OFFSET ")
            .push_bind(i64::try_from(row).unwrap_or(i64::MAX))
            .push(")")
            .push(&order_by);
    }
    Ok(())
}

/// A user as stored: the password hash never leaves the core.
#[derive(Clone, Debug)]
pub struct UserRecord {
    /// UUIDv7 of the user.
    pub id: Uuid,
    /// Lower-cased e-mail.
    pub email: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// The currency budgets and the dashboard use by default.
    pub base_currency: Currency,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// What sign-in needs to know about an e-mail before the password is checked.
#[derive(Clone, Debug)]
pub struct LoginRecord {
    /// The user's id.
    pub user_id: Uuid,
    /// The stored argon2id PHC string: complete on SQLite; on PostgreSQL only algorithm,
    /// parameters and salt (the hash itself is the user's database password, see
    /// [`PostgresStore`]). Either way the typed password is hashed with these.
    pub password_hash: String,
    /// The database role the user signs in to the server as (PostgreSQL only).
    pub database_role: Option<String>,
}

/// Failed sign-ins for one e-mail address.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Throttle {
    /// Consecutive failures since the last success.
    pub failures: i64,
    /// No attempt is checked before this instant.
    pub locked_until: Option<DateTime<Utc>>,
}

/// Spend of one category (or of one month) in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpendRow<K> {
    /// The category id or the month ("2026-11").
    pub key: K,
    /// Sum of the expenses, in minor units.
    pub minor: i64,
}

/// Spend of one category in one calendar month, in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryMonthSpend {
    /// The category.
    pub category_id: Uuid,
    /// The month, "YYYY-MM".
    pub month: String,
    /// Sum of the expenses, in minor units.
    pub minor: i64,
}

/// What makes two expenses the same for import: day, amount, currency and description.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExpenseKey {
    /// The day spent.
    pub date: NaiveDate,
    /// The amount in minor units.
    pub minor: i64,
    /// The ISO code.
    pub currency: String,
    /// The description as saved.
    pub description: String,
}

impl ExpenseKey {
    /// The key of an expense.
    pub fn of(expense: &Expense) -> Self {
        ExpenseKey {
            date: expense.date,
            minor: expense.amount.minor,
            currency: expense.amount.currency.code().to_owned(),
            description: expense.description.clone(),
        }
    }
}

/// One expense as export writes it, borrowed from the database row.
#[derive(Clone, Copy, Debug)]
pub struct ExportRow<'a> {
    /// "YYYY-MM-DD".
    pub date: &'a str,
    /// Amount in minor units.
    pub minor: i64,
    /// ISO code.
    pub currency: &'a str,
    /// The category.
    pub category_id: Uuid,
    /// What it was for.
    pub description: &'a str,
    /// How it was paid.
    pub payment_method: Option<&'a str>,
    /// Tags separated by spaces, in no particular order; `None` without tags.
    pub tags: Option<&'a str>,
}

/// Total of a filtered set in one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Total {
    /// The sum in this currency.
    pub amount: Money,
    /// How many expenses are in it.
    pub count: i64,
}

/// How often the user gave one description one category (category learning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescriptionUse {
    /// The description as stored.
    pub description: String,
    /// The category it was given.
    pub category_id: Uuid,
    /// How many expenses had both.
    pub uses: i64,
    /// The latest date among them.
    pub last_used: NaiveDate,
}

/// The most rows [`Store::description_uses`] returns.
pub const MAX_DESCRIPTION_USES: u32 = 200;

/// Persistence of everything Outlay knows. Implementations: [`SqliteStore`], [`PostgresStore`].
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// Where the data lives, for the settings screen ("/home/ann/.local/share/…/outlay.db").
    fn location(&self) -> String;

    /// Creates a user with their starting categories, all or nothing.
    /// A duplicate e-mail is [`crate::AppError::EmailTaken`].
    async fn insert_user(&self, user: &UserRecord, categories: &[Category]) -> Result<()>;
    /// What sign-in needs about the account of a (normalised) e-mail, if there is one.
    async fn login_record(&self, email: &Email) -> Result<Option<LoginRecord>>;
    /// Checks a sign-in: `attempt` is the typed password hashed with the salt and parameters
    /// of `login.password_hash` (a full PHC string). Returns the user when it matches, and from
    /// then on serves that user's data; `None` for a wrong password or no account (`login` is
    /// `None`, which still costs a check so both answers take as long).
    ///
    /// SQLite compares the hashes. PostgreSQL signs in to the server as the user's own role,
    /// with the hash as its password, and keeps that connection pool for the user.
    async fn authenticate(
        &self,
        login: Option<&LoginRecord>,
        attempt: &str,
    ) -> Result<Option<UserRecord>>;
    /// Finds a user by id.
    async fn user_by_id(&self, user: Uuid) -> Result<Option<UserRecord>>;
    /// Replaces the password hash (a full PHC string: change of password or re-hash with
    /// stronger parameters). PostgreSQL changes the role's password in the same transaction.
    async fn set_password_hash(&self, user: Uuid, hash: &str) -> Result<()>;
    /// Deletes the user and every row that belongs to them, in one transaction.
    async fn delete_user(&self, user: Uuid) -> Result<()>;

    /// The throttle state of an e-mail address (zero when never failed).
    async fn throttle(&self, email: &str) -> Result<Throttle>;
    /// Counts one more failure atomically and returns the new count.
    async fn add_login_failure(&self, email: &str) -> Result<i64>;
    /// Sets the lock of an e-mail address.
    async fn lock_login(&self, email: &str, until: DateTime<Utc>) -> Result<()>;
    /// Forgets failures after a successful sign-in.
    async fn clear_throttle(&self, email: &str) -> Result<()>;

    /// Stores a remember-me token (its hash; PostgreSQL also the user's database password
    /// sealed with the token, so the token alone can reopen the session).
    async fn insert_remember_token(
        &self,
        user: Uuid,
        token: &RememberToken,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    /// The user a still-valid remember-me token belongs to; from then on serves their data
    /// like [`Store::authenticate`].
    async fn user_by_remember_token(
        &self,
        token: &RememberToken,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>>;
    /// Forgets one remember-me token.
    async fn delete_remember_token(&self, token: &RememberToken) -> Result<()>;
    /// Forgets every remember-me token of a user (after a password change).
    async fn delete_remember_tokens(&self, user: Uuid) -> Result<()>;

    /// Adds a category. A duplicate name under the same parent is a conflict.
    async fn insert_category(&self, user: Uuid, category: &Category) -> Result<()>;
    /// All the user's categories, archived included, parents before children.
    async fn categories(&self, user: Uuid) -> Result<Vec<Category>>;
    /// Saves name, colour, parent and archived flag.
    async fn update_category(&self, user: Uuid, category: &Category) -> Result<()>;
    /// Moves expenses, budgets and children of `from` to `into`, then deletes `from`.
    /// Returns how many expenses moved.
    async fn merge_category(&self, user: Uuid, from: Uuid, into: Uuid) -> Result<u64>;

    /// Adds an expense with its tags and evaluates the budgets it touches, in one
    /// transaction (see [`crate::alerts::detect`]); returns the alerts fired.
    async fn insert_expense(
        &self,
        user: Uuid,
        expense: &Expense,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>>;
    /// One expense, deleted or not.
    async fn expense(&self, user: Uuid, id: Uuid) -> Result<Option<Expense>>;
    /// Copies expenses in from another store (the upload of a local profile to a server), in
    /// one transaction: each is inserted with its tags unless one with its id is already there,
    /// so copying twice adds nothing. The number inserted.
    async fn copy_expenses(&self, user: Uuid, expenses: &[Expense]) -> Result<u64>;
    /// Saves every field of an existing live expense and replaces its tags; evaluates the
    /// budgets of both its old and its new category, date and amount, in one transaction.
    async fn update_expense(
        &self,
        user: Uuid,
        expense: &Expense,
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>>;
    /// Marks expenses deleted (`Some`) or restores them (`None`) and evaluates the budgets the
    /// changed ones touch, in one transaction; returns how many changed.
    async fn set_expenses_deleted(
        &self,
        user: Uuid,
        ids: &[Uuid],
        deleted_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>>;
    /// Moves live expenses to another category and evaluates the budgets of the old and new
    /// categories, in one transaction; returns how many changed.
    async fn recategorise_expenses(
        &self,
        user: Uuid,
        ids: &[Uuid],
        category: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Saved<u64>>;
    /// Evaluates the budgets `changes` touch, in a transaction of its own (for spend that
    /// changed outside a write that evaluates itself).
    async fn reevaluate_budgets(
        &self,
        user: Uuid,
        changes: &[SpendChange],
        now: DateTime<Utc>,
    ) -> Result<Vec<Alert>>;
    /// One page of live expenses matching `query`, in `query.sort`'s order, from `start`.
    /// A cursor of another order is refused (`Invalid`).
    async fn list_expenses(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        start: PageStart<'_>,
        limit: u32,
    ) -> Result<Vec<Expense>>;
    /// Totals per currency of every live expense matching `query`.
    async fn expense_totals(&self, user: Uuid, query: &ExpenseQuery) -> Result<Vec<Total>>;
    /// The largest live expenses matching `query` (by minor units: give `query` a currency),
    /// largest first, then newest first.
    async fn largest_expenses(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        limit: u32,
    ) -> Result<Vec<Expense>>;
    /// Category learning: among the user's `recent` newest live expenses, those whose
    /// description contains any of `words` (lower case, matched case-insensitively), one row
    /// per description and category, most used first, at most [`MAX_DESCRIPTION_USES`] rows.
    /// Bounded by `recent` so it reads one index range, not the whole history.
    async fn description_uses(
        &self,
        user: Uuid,
        words: &[String],
        recent: u32,
    ) -> Result<Vec<DescriptionUse>>;

    /// Adds a budget (with its e-mail flag).
    async fn insert_budget(&self, user: Uuid, budget: &Budget) -> Result<()>;
    /// All the user's budgets.
    async fn budgets(&self, user: Uuid) -> Result<Vec<Budget>>;
    /// Saves a budget's amount, period, category and thresholds.
    async fn update_budget(&self, user: Uuid, budget: &Budget) -> Result<()>;
    /// Deletes a budget (its alerts stay: they happened).
    async fn delete_budget(&self, user: Uuid, id: Uuid) -> Result<()>;
    /// Turns e-mail on or off for a budget's alerts.
    async fn set_budget_email(&self, user: Uuid, id: Uuid, on: bool) -> Result<()>;

    /// The newest `limit` alerts, newest first.
    async fn alerts(&self, user: Uuid, limit: u32) -> Result<Vec<Alert>>;
    /// How many alerts are unread.
    async fn unread_alerts(&self, user: Uuid) -> Result<i64>;
    /// Whether the user has an alert with this id.
    async fn alert_exists(&self, user: Uuid, id: Uuid) -> Result<bool>;
    /// Marks one unread alert (`Some`) or all of them (`None`) read at `at`; returns how many
    /// changed.
    async fn mark_alerts_read(
        &self,
        user: Uuid,
        id: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> Result<u64>;

    /// The user's e-mail settings, if ever saved.
    async fn email_settings(&self, user: Uuid) -> Result<Option<EmailSettings>>;
    /// Saves the user's e-mail settings.
    async fn save_email_settings(&self, user: Uuid, settings: &EmailSettings) -> Result<()>;
    /// Claims the mail due first (pending or with a lapsed claim, due by `now`): marks it
    /// sending until `lease_until` and counts the attempt, in one statement so two senders
    /// never claim the same mail. Returns it with the new attempt count.
    async fn claim_mail(
        &self,
        user: Uuid,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<OutboxMail>>;
    /// Records how attempt number `attempt` of a claimed mail ended — only if that claim
    /// still holds. True when recorded.
    async fn finish_mail(
        &self,
        user: Uuid,
        id: Uuid,
        attempt: u32,
        outcome: &MailOutcome,
    ) -> Result<bool>;
    /// The user's mails, newest first, optionally only those with `status`.
    async fn outbox(
        &self,
        user: Uuid,
        status: Option<MailStatus>,
        limit: u32,
    ) -> Result<Vec<OutboxMail>>;
    /// Puts a failed mail back to pending, due at `now`, with no attempts counted. True when
    /// there was such a failed mail.
    async fn retry_mail(&self, user: Uuid, id: Uuid, now: DateTime<Utc>) -> Result<bool>;
    /// When the next pending (or claimed) mail is due, if any.
    async fn next_mail_due(&self, user: Uuid) -> Result<Option<DateTime<Utc>>>;

    /// Sum of live expenses in `currency` dated in `[from, to)`, limited to `categories` when given.
    async fn spend(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
        categories: Option<&[Uuid]>,
    ) -> Result<i64>;
    /// Spend per category in `currency` dated in `[from, to)`.
    async fn spend_by_category(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<Uuid>>>;
    /// Spend per calendar month ("YYYY-MM") in `currency` dated in `[from, to)`.
    async fn spend_by_month(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SpendRow<String>>>;
    /// Spend per category and calendar month in `currency` dated in `[from, to)`.
    async fn spend_by_category_and_month(
        &self,
        user: Uuid,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategoryMonthSpend>>;

    /// The keys of the live expenses dated in `[from, to)`, for duplicate detection.
    async fn live_expense_keys(
        &self,
        user: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ExpenseKey>>;
    /// Saves imported expenses (with their tags) and the categories they need, in batches,
    /// and evaluates the budgets they touch (with `past`: see [`PastPeriods`]), all in one
    /// transaction; `progress` hears how many expenses are saved so far. Returns the alerts
    /// fired.
    async fn import_expenses(
        &self,
        user: Uuid,
        categories: &[Category],
        expenses: &[Expense],
        now: DateTime<Utc>,
        past: PastPeriods,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<Vec<Alert>>;
    /// Streams the live expenses matching `query`, oldest first, to `sink` (for export):
    /// one query, rows as they come, memory flat. Returns how many; an error from `sink` stops
    /// the stream and is returned.
    async fn export_expenses(
        &self,
        user: Uuid,
        query: &ExpenseQuery,
        sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
    ) -> Result<u64>;
}
