//! Budgets on SQLite (shared SQL).

use super::SqliteUser;
use crate::store::sql::Dialect;
use sqlx::Sqlite;

crate::store::shared::budget_store!(SqliteUser, Sqlite);
