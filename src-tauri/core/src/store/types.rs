//! The values the stores hand back that are not domain types of their own.

use crate::domain::{Currency, Money};
use crate::expenses::Expense;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, sqlx::FromRow)]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Total {
    /// The sum in this currency.
    pub amount: Money,
    /// How many expenses are in it.
    pub count: i64,
}

/// How often the user gave one description one category (category learning).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
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
