//! Spend totals on SQLite, from the per-day totals its triggers keep (shared SQL).

use super::SqliteUser;
use crate::store::sql::Dialect;
use sqlx::Sqlite;

crate::store::shared::spend_store!(SqliteUser, Sqlite);
