//! Categories: a default set at sign-up, one level of children, colours, rename, merge, archive.

use crate::auth::Session;
use crate::domain::CategoryName;
use crate::error::{AppError, Result};
use crate::Outlay;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A category of spending, such as "Groceries" under "Food".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Category {
    /// UUIDv7.
    pub id: Uuid,
    /// The parent, for a sub-category; categories nest one level only.
    pub parent_id: Option<Uuid>,
    /// Shown name.
    pub name: String,
    /// `#rrggbb`, for charts and chips.
    pub colour: String,
    /// Archived categories stay on old expenses but are not offered for new ones.
    pub archived: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// What the user fills in to create or change a category.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct CategoryInput {
    /// The name.
    pub name: String,
    /// The parent category, if it is a sub-category.
    pub parent_id: Option<Uuid>,
    /// `#rrggbb`; a palette colour is picked when empty.
    pub colour: Option<String>,
}

/// The starting categories: (name, colour, children).
const DEFAULT_CATEGORIES: &[(&str, &str, &[&str])] = &[
    ("Food", "#e4572e", &["Groceries", "Restaurants", "Coffee"]),
    (
        "Transport",
        "#17bebb",
        &["Fuel", "Public transport", "Taxi"],
    ),
    ("Housing", "#76b041", &["Rent", "Utilities"]),
    ("Health", "#ef476f", &[]),
    ("Shopping", "#ffc914", &["Clothes", "Electronics"]),
    ("Entertainment", "#8e7dbe", &[]),
    ("Travel", "#2e86ab", &[]),
    ("Bills & subscriptions", "#5c6784", &[]),
    ("Education", "#3a7d44", &[]),
    ("Gifts", "#d17a22", &[]),
    ("Other", "#8d99ae", &[]),
];

const PALETTE: &[&str] = &[
    "#e4572e", "#17bebb", "#76b041", "#ef476f", "#ffc914", "#8e7dbe", "#2e86ab", "#d17a22",
];

/// The categories a new user starts with (11 top-level, 10 children).
pub(crate) fn default_categories(now: DateTime<Utc>) -> Vec<Category> {
    let mut categories = Vec::new();
    for (name, colour, children) in DEFAULT_CATEGORIES {
        let parent = Category {
            id: Uuid::now_v7(),
            parent_id: None,
            name: (*name).to_owned(),
            colour: (*colour).to_owned(),
            archived: false,
            created_at: now,
        };
        for child in *children {
            categories.push(Category {
                id: Uuid::now_v7(),
                parent_id: Some(parent.id),
                name: (*child).to_owned(),
                ..parent.clone()
            });
        }
        categories.insert(categories.len() - children.len(), parent);
    }
    categories
}

/// The palette colour for the `index`-th category, so new ones do not all look alike.
pub(crate) fn palette_colour(index: usize) -> String {
    PALETTE[index % PALETTE.len()].to_owned()
}

fn parse_colour(colour: Option<&str>, fallback_index: usize) -> Result<String> {
    match colour.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(PALETTE[fallback_index % PALETTE.len()].to_owned()),
        Some(c)
            if c.len() == 7
                && c.starts_with('#')
                && c[1..].chars().all(|d| d.is_ascii_hexdigit()) =>
        {
            Ok(c.to_ascii_lowercase())
        }
        Some(_) => Err(AppError::invalid(
            "colour",
            "Pick a colour such as #2e86ab.",
        )),
    }
}

impl Outlay {
    /// The user's categories, parents before their children.
    pub async fn categories(&self, session: &Session) -> Result<Vec<Category>> {
        session.store().categories().list().await
    }

    /// Creates a category (or a sub-category when `parent_id` is set).
    pub async fn create_category(
        &self,
        session: &Session,
        input: CategoryInput,
    ) -> Result<Category> {
        let name = CategoryName::parse(&input.name)?;
        let existing = self.categories(session).await?;
        self.check_parent(&existing, input.parent_id, None)?;
        let category = Category {
            id: Uuid::now_v7(),
            parent_id: input.parent_id,
            name: name.as_str().to_owned(),
            colour: parse_colour(input.colour.as_deref(), existing.len())?,
            archived: false,
            created_at: self.clock.now(),
        };
        session.store().categories().insert(&category).await?;
        Ok(category)
    }

    /// Renames, recolours or moves a category.
    pub async fn update_category(
        &self,
        session: &Session,
        id: Uuid,
        input: CategoryInput,
    ) -> Result<Category> {
        let name = CategoryName::parse(&input.name)?;
        let existing = self.categories(session).await?;
        let mut category = find(&existing, id)?.clone();
        self.check_parent(&existing, input.parent_id, Some(id))?;
        category.name = name.as_str().to_owned();
        category.parent_id = input.parent_id;
        if input.colour.is_some() {
            category.colour = parse_colour(input.colour.as_deref(), 0)?;
        }
        session.store().categories().update(&category).await?;
        Ok(category)
    }

    /// Archives (or restores) a category: it stays on old expenses but is not offered for new ones.
    pub async fn set_category_archived(
        &self,
        session: &Session,
        id: Uuid,
        archived: bool,
    ) -> Result<Category> {
        let existing = self.categories(session).await?;
        let mut category = find(&existing, id)?.clone();
        category.archived = archived;
        session.store().categories().update(&category).await?;
        Ok(category)
    }

    /// Merges `from` into `into`: its expenses, budgets and sub-categories move, then it is gone.
    /// Returns how many expenses moved.
    pub async fn merge_categories(&self, session: &Session, from: Uuid, into: Uuid) -> Result<u64> {
        if from == into {
            return Err(AppError::invalid(
                "category",
                "Pick two different categories to merge.",
            ));
        }
        let existing = self.categories(session).await?;
        let source = find(&existing, from)?;
        let target = find(&existing, into)?;
        let source_has_children = existing.iter().any(|c| c.parent_id == Some(from));
        if source_has_children && target.parent_id.is_some() {
            return Err(AppError::invalid(
                "category",
                "A category with sub-categories can only be merged into a top-level category.",
            ));
        }
        if target.parent_id == Some(source.id) {
            return Err(AppError::invalid(
                "category",
                "Merge a sub-category into its parent the other way round: \
                 pick the parent as the target.",
            ));
        }
        session.store().categories().merge(from, into).await
    }

    /// `id` and its sub-categories: what "in this category" means for filters and budgets.
    pub(crate) async fn category_with_children(
        &self,
        session: &Session,
        id: Uuid,
    ) -> Result<Vec<Uuid>> {
        let existing = self.categories(session).await?;
        find(&existing, id)?;
        Ok(existing
            .iter()
            .filter(|c| c.id == id || c.parent_id == Some(id))
            .map(|c| c.id)
            .collect())
    }

    fn check_parent(
        &self,
        existing: &[Category],
        parent: Option<Uuid>,
        moving: Option<Uuid>,
    ) -> Result<()> {
        let Some(parent) = parent else { return Ok(()) };
        let parent = existing
            .iter()
            .find(|c| c.id == parent)
            .ok_or_else(|| AppError::invalid("parentId", "That parent category does not exist."))?;
        if parent.parent_id.is_some() {
            return Err(AppError::invalid(
                "parentId",
                "Sub-categories cannot have sub-categories of their own.",
            ));
        }
        if let Some(moving) = moving {
            if parent.id == moving || existing.iter().any(|c| c.parent_id == Some(moving)) {
                return Err(AppError::invalid(
                    "parentId",
                    "A category with sub-categories cannot become a sub-category.",
                ));
            }
        }
        Ok(())
    }
}

fn find(categories: &[Category], id: Uuid) -> Result<&Category> {
    categories
        .iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound("Category"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_have_parents_before_children_and_twenty_one_entries() {
        let categories = default_categories(Utc::now());
        assert_eq!(categories.len(), 21);
        for (index, category) in categories.iter().enumerate() {
            if let Some(parent) = category.parent_id {
                assert!(
                    categories[..index].iter().any(|c| c.id == parent),
                    "{} comes after its parent",
                    category.name
                );
            }
        }
    }

    #[test]
    fn colours_are_checked() {
        assert_eq!(parse_colour(Some("#ABCDEF"), 0).unwrap(), "#abcdef");
        assert!(parse_colour(Some("red"), 0).is_err());
        assert!(parse_colour(Some("#12345g"), 0).is_err());
        assert_eq!(parse_colour(None, 1).unwrap(), PALETTE[1]);
    }
}
