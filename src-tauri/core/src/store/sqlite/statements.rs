//! Bank statement import on SQLite: layouts and rules through the shared SQL, the references
//! already imported looked up in chunks of bound values.

use super::{rule_error, SqliteUser};
use crate::error::Result;
use crate::statement::CategoryRule;
use crate::store::sql::Dialect;
use crate::store::StatementStore;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

/// References looked up per query: one bound value each, under SQLite's 32 766.
const REFERENCES_PER_QUERY: usize = 10_000;

impl SqliteUser {
    crate::store::shared::statement_layouts_and_rules!(Sqlite);
}

#[async_trait::async_trait]
impl StatementStore for SqliteUser {
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
        let mut known = Vec::new();
        let mut conn = self.conn().await?;
        for chunk in references.chunks(REFERENCES_PER_QUERY) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT reference FROM bank_references WHERE user_id = ",
            );
            query.push_bind(self.user).push(" AND reference IN (");
            let mut list = query.separated(", ");
            for reference in chunk {
                list.push_bind(reference.as_str());
            }
            query.push(")");
            let found: Vec<String> = query.build_query_scalar().fetch_all(&mut *conn).await?;
            known.extend(found);
        }
        // A reference asked for twice, in two chunks, is found twice.
        known.sort_unstable();
        known.dedup();
        Ok(known)
    }
}
