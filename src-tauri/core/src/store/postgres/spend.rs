//! Spend totals on PostgreSQL, from the per-day totals its triggers keep (shared SQL).

use super::PgUser;
use crate::store::sql::Dialect;
use sqlx::Postgres;

crate::store::shared::spend_store!(PgUser, Postgres);
