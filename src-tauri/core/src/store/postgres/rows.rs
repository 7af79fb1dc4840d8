//! What only the PostgreSQL store reads: users, and its errors.

use crate::domain::Currency;
use crate::error::{AppError, Result};
use crate::store::UserRecord;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// The columns of a user, as [`user_from_row`] reads them.
pub(super) const USER_COLUMNS: &str = "id, email, password_hash, base_currency, created_at";

pub(super) fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    matches!(error, sqlx::Error::Database(db)
        if db.is_unique_violation() && db.constraint() == Some(constraint))
}

pub(super) fn category_conflict(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "categories_name_key") {
        return AppError::Conflict("A category with that name already exists there.".into());
    }
    AppError::from(error)
}

/// A category rule the database refused: its text has a rule already, or its category is
/// not the user's.
pub(super) fn rule_error(error: sqlx::Error) -> AppError {
    if is_unique_violation(&error, "category_rules_contains_key") {
        return AppError::Conflict("There is a rule for that text already.".into());
    }
    if matches!(&error, sqlx::Error::Database(db) if db.is_foreign_key_violation()) {
        return AppError::invalid("categoryId", "Pick one of your categories.");
    }
    AppError::from(error)
}

pub(super) fn currency(row: &PgRow, column: &str) -> Result<Currency> {
    Currency::parse(&row.try_get::<String, _>(column)?)
}

pub(super) fn user_from_row(row: &PgRow) -> Result<UserRecord> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        base_currency: currency(row, "base_currency")?,
        created_at: row.try_get("created_at")?,
    })
}
