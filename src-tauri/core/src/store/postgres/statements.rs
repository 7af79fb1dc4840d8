//! Bank statement import on PostgreSQL: layouts and rules through the shared SQL, the
//! references already imported looked up with one bound array. Row-level security keeps
//! each to the user's own rows.

use super::rows::rule_error;
use super::PgUser;
use crate::error::Result;
use crate::statement::CategoryRule;
use crate::store::sql::Dialect;
use crate::store::StatementStore;
use chrono::{DateTime, Utc};
use sqlx::Postgres;
use uuid::Uuid;

impl PgUser {
    crate::store::shared::statement_layouts_and_rules!(Postgres);
}

#[async_trait::async_trait]
impl StatementStore for PgUser {
    async fn layout(&self, fingerprint: &str) -> Result<Option<String>> {
        self.read_layout(fingerprint).await
    }

    async fn save_layout(
        &self,
        fingerprint: &str,
        mapping: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write_layout(fingerprint, mapping, now).await
    }

    async fn rules(&self) -> Result<Vec<CategoryRule>> {
        self.read_rules().await
    }

    async fn add_rule(&self, rule: &CategoryRule) -> Result<()> {
        self.insert_rule(rule).await
    }

    async fn delete_rule(&self, id: Uuid) -> Result<bool> {
        self.remove_rule(id).await
    }

    async fn known_references(&self, references: &[String]) -> Result<Vec<String>> {
        if references.is_empty() {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_scalar(
            "SELECT reference FROM outlay.bank_references WHERE reference = ANY($1)",
        )
        .bind(references)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }
}
