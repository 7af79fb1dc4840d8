//! Category rules: "description contains LIDL → Groceries", made by the user from the review
//! of an import and applied to later imports and quick add.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A rule that files a bank line under a category when its description contains a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CategoryRule {
    /// UUIDv7.
    pub id: Uuid,
    /// The text looked for in a description, as the user typed it ("LIDL"); matched
    /// case-insensitively, and one rule per text whatever its case.
    pub contains: String,
    /// The category a matching line gets: one of the user's own.
    pub category_id: Uuid,
    /// When the rule was made; the oldest rule comes first.
    pub created_at: DateTime<Utc>,
}

/// The longest text a rule looks for.
pub const MAX_RULE_CHARS: usize = 100;

impl crate::Outlay {
    /// The user's category rules, oldest first.
    pub async fn category_rules(
        &self,
        session: &crate::Session,
    ) -> crate::error::Result<Vec<CategoryRule>> {
        session.store().statements().rules().await
    }

    /// Makes a rule: later bank lines (and quick-add lines) whose description contains
    /// `contains`, in any case, get `category_id`. The text is trimmed, with single spaces;
    /// one rule per text.
    pub async fn add_category_rule(
        &self,
        session: &crate::Session,
        contains: &str,
        category_id: Uuid,
    ) -> crate::error::Result<CategoryRule> {
        use crate::error::AppError;
        let contains = contains.split_whitespace().collect::<Vec<_>>().join(" ");
        if contains.chars().count() < 2 {
            return Err(AppError::invalid(
                "contains",
                "Type at least two characters for the rule to look for.",
            ));
        }
        if contains.chars().count() > MAX_RULE_CHARS {
            return Err(AppError::invalid(
                "contains",
                format!("A rule looks for at most {MAX_RULE_CHARS} characters."),
            ));
        }
        let category = self
            .categories(session)
            .await?
            .into_iter()
            .find(|c| c.id == category_id && !c.archived)
            .ok_or_else(|| AppError::invalid("categoryId", "Pick one of your categories."))?;
        let rule = CategoryRule {
            id: Uuid::now_v7(),
            contains,
            category_id: category.id,
            created_at: self.clock.now(),
        };
        session.store().statements().add_rule(&rule).await?;
        Ok(rule)
    }

    /// Deletes a rule; a rule already gone is not an error.
    pub async fn delete_category_rule(
        &self,
        session: &crate::Session,
        id: Uuid,
    ) -> crate::error::Result<()> {
        session.store().statements().delete_rule(id).await?;
        Ok(())
    }
}
