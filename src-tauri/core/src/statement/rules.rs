//! Category rules: "description contains LIDL → Groceries", made by the user from the review
//! of an import and applied to later imports and quick add.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A rule that files a bank line under a category when its description contains a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
