//! Budgets on PostgreSQL (shared SQL).

use super::PgUser;
use crate::store::sql::Dialect;
use sqlx::Postgres;

crate::store::shared::budget_store!(PgUser, Postgres);
