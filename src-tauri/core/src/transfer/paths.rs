//! Category paths of an import ("Food/Groceries") to ids: matched without regard to case,
//! created when missing (and allowed), each distinct path parsed once.

use super::text::{split_path, unguard_formula};
use crate::categories::{palette_colour, Category};
use crate::domain::CategoryName;
use crate::error::{AppError, Result};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// The user's categories by lower-cased (parent name, name), and the ones this import adds.
pub(super) struct Categories {
    by_path: HashMap<(String, String), Uuid>,
    by_text: HashMap<String, Uuid>,
    /// Categories to create with the import, parents before children.
    pub created: Vec<Category>,
    create: bool,
    count: usize,
}

impl Categories {
    pub fn new(existing: Vec<Category>, create: bool) -> Self {
        let names: HashMap<Uuid, String> = existing
            .iter()
            .map(|c| (c.id, c.name.to_lowercase()))
            .collect();
        let by_path = existing
            .iter()
            .map(|c| {
                let parent = c
                    .parent_id
                    .and_then(|p| names.get(&p).cloned())
                    .unwrap_or_default();
                ((parent, c.name.to_lowercase()), c.id)
            })
            .collect();
        Categories {
            by_path,
            by_text: HashMap::new(),
            created: Vec::new(),
            create,
            count: existing.len(),
        }
    }

    /// The id of the category at `path`, created (with its parent) when missing and allowed.
    pub fn resolve(&mut self, path: &str, now: DateTime<Utc>) -> Result<Uuid> {
        // A file names a few dozen categories a million times: parse each path once.
        if let Some(id) = self.by_text.get(path) {
            return Ok(*id);
        }
        let id = self.resolve_new(path, now)?;
        self.by_text.insert(path.to_owned(), id);
        Ok(id)
    }

    fn resolve_new(&mut self, path: &str, now: DateTime<Utc>) -> Result<Uuid> {
        let invalid = |m: &str| AppError::invalid("category", m);
        let names = split_path(unguard_formula(path.trim()))
            .ok_or_else(|| invalid("A category path cannot end with a backslash."))?;
        let names = names
            .iter()
            .map(|n| CategoryName::parse(n).map_err(|e| invalid(&e.to_string())))
            .collect::<Result<Vec<_>>>()?;
        let (parent, name) = match &names[..] {
            [top] => (None, top),
            [parent, child] => (Some(parent), child),
            _ => {
                return Err(invalid(
                    "Categories nest one level: use \"Parent/Child\" or \"Category\".",
                ))
            }
        };
        // A parent is always top-level: "Groceries/Fruit" means a top-level "Groceries".
        let parent_id = match parent {
            None => None,
            Some(parent) => Some(self.find_or_create(String::new(), parent, None, now)?),
        };
        let parent_key = parent
            .map(|p| p.as_str().to_lowercase())
            .unwrap_or_default();
        self.find_or_create(parent_key, name, parent_id, now)
    }

    fn find_or_create(
        &mut self,
        parent_key: String,
        name: &CategoryName,
        parent_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Uuid> {
        let key = (parent_key, name.as_str().to_lowercase());
        if let Some(found) = self.by_path.get(&key) {
            return Ok(*found);
        }
        if !self.create {
            return Err(AppError::invalid(
                "category",
                format!("There is no category \"{}\".", name.as_str()),
            ));
        }
        let category = Category {
            id: Uuid::now_v7(),
            parent_id,
            name: name.as_str().to_owned(),
            colour: palette_colour(self.count),
            archived: false,
            created_at: now,
        };
        self.count += 1;
        let id = category.id;
        self.by_path.insert(key, id);
        self.created.push(category);
        Ok(id)
    }
}
