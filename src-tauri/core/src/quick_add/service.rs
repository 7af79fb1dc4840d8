//! Quick add as a service: preview with a suggested category, then save.

use super::keywords::{rule_for, CategoryPath};
use super::learning::{learn, words, History};
use super::{parse_line, CategorySuggestion, QuickAddPreview, SuggestionSource};
use crate::auth::Session;
use crate::categories::{palette_colour, Category};
use crate::error::{AppError, Result};
use crate::expenses::{Expense, ExpenseInput};
use crate::statement::CategoryRule;
use crate::{Outlay, Saved};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// How many of the user's newest expenses category learning looks at: recent habits count,
/// and the query stays cheap however long the history grows.
pub const LEARN_FROM_RECENT: u32 = 5_000;

/// The category that takes what nothing else fits.
const FALLBACK_CATEGORY: &str = "Other";

impl Outlay {
    /// Reads a quick-add line ("12.50 lunch yesterday #work @card") against today's date and
    /// suggests a category; nothing is saved.
    pub async fn quick_add_preview(
        &self,
        session: &Session,
        text: &str,
    ) -> Result<QuickAddPreview> {
        let line = parse_line(text, self.clock.today(), session.base_currency)?;
        let category = self.suggest_category(session, &line.description).await?;
        Ok(QuickAddPreview { line, category })
    }

    /// Saves a quick-add line as an expense through [`Outlay::add_expense`]. The category is
    /// `category_id` when given (the user changed the suggestion), else the suggested one.
    /// Like every write, it answers the budget alerts it fired.
    pub async fn quick_add_save(
        &self,
        session: &Session,
        text: &str,
        category_id: Option<Uuid>,
    ) -> Result<Saved<Expense>> {
        let preview = self.quick_add_preview(session, text).await?;
        let category_id = category_id
            .or(preview.category.map(|c| c.category_id))
            .ok_or_else(|| AppError::invalid("categoryId", "Pick a category for this expense."))?;
        let line = preview.line;
        let input = ExpenseInput {
            amount: line.amount.to_decimal_string(),
            currency: Some(line.amount.currency.code().to_owned()),
            date: Some(line.date.to_string()),
            category_id,
            description: line.description,
            payment_method: line.payment_method,
            tags: line.tags,
        };
        self.add_expense(session, input).await
    }

    /// The category a description most likely belongs to: the user's own rules first
    /// ("description contains LIDL → Groceries"), then their history (the same description,
    /// then shared words), then the keyword rules, then "Other". Archived categories are
    /// never suggested.
    pub async fn suggest_category(
        &self,
        session: &Session,
        description: &str,
    ) -> Result<Option<CategorySuggestion>> {
        CategoryGuesser::load(self, session)
            .await?
            .suggest(session, description)
            .await
    }
}

/// Suggests categories for many descriptions (a bank statement's lines) with the
/// categories and rules read once.
pub(crate) struct CategoryGuesser {
    categories: Vec<Category>,
    rules: Vec<CategoryRule>,
    /// Each rule's text in lower case, as the rules are ordered.
    rules_lower: Vec<String>,
    /// "Other", created for lines nothing fits when the user has no such category.
    fallback: Option<Uuid>,
    created: Vec<Category>,
    /// Categories found so far, by the text they were looked up with: a statement names the
    /// same payee hundreds of times.
    found: std::collections::HashMap<String, Uuid>,
    /// The recent history read once, for many lines; `None`: asked of the store each time.
    history: Option<History>,
}

impl CategoryGuesser {
    /// Reads the user's categories and rules.
    pub(crate) async fn load(outlay: &Outlay, session: &Session) -> Result<Self> {
        let mut rules = session.store().statements().rules().await?;
        // Longer rules are more specific: "lidl plus" before "lidl".
        rules.sort_by_key(|r| std::cmp::Reverse(r.contains.chars().count()));
        Ok(CategoryGuesser {
            categories: outlay.categories(session).await?,
            rules_lower: rules.iter().map(|r| r.contains.to_lowercase()).collect(),
            rules,
            fallback: None,
            created: Vec::new(),
            found: std::collections::HashMap::new(),
            history: None,
        })
    }

    /// [`CategoryGuesser::load`] for a statement: the recent history read at once too, so
    /// its thousands of payees cost no query each.
    pub(crate) async fn load_for_many(outlay: &Outlay, session: &Session) -> Result<Self> {
        let mut guesser = Self::load(outlay, session).await?;
        let uses = session
            .store()
            .expenses()
            .recent_description_uses(LEARN_FROM_RECENT)
            .await?;
        guesser.history = Some(History::new(uses));
        Ok(guesser)
    }

    /// The suggestion for `description` (see [`Outlay::suggest_category`]).
    pub(crate) async fn suggest(
        &self,
        session: &Session,
        description: &str,
    ) -> Result<Option<CategorySuggestion>> {
        if let Some(by_rule) = self.suggest_by_rule(description) {
            return Ok(Some(by_rule));
        }
        let categories = &self.categories;
        let usable = |id: Uuid| categories.iter().any(|c| c.id == id && !c.archived);
        let words = words(description);
        if !words.is_empty() {
            let history = match &self.history {
                Some(history) => history.uses_for(&words),
                None => {
                    session
                        .store()
                        .expenses()
                        .description_uses(&words, LEARN_FROM_RECENT)
                        .await?
                }
            };
            if let Some(learned) = learn(description, &history, usable) {
                let source = if learned.exact {
                    SuggestionSource::History
                } else {
                    SuggestionSource::HistoryWords
                };
                return Ok(suggestion(
                    categories,
                    learned.category_id,
                    source,
                    learned.matched,
                ));
            }
        }
        if let Some((path, word)) = rule_for(description.split_whitespace()) {
            if let Some(id) = find_path(categories, path) {
                let matched = word.to_lowercase();
                return Ok(suggestion(
                    categories,
                    id,
                    SuggestionSource::KeywordRule,
                    matched,
                ));
            }
        }
        let fallback = categories
            .iter()
            .find(|c| c.parent_id.is_none() && !c.archived && c.name == FALLBACK_CATEGORY);
        Ok(fallback
            .and_then(|c| suggestion(categories, c.id, SuggestionSource::Fallback, String::new())))
    }

    /// The suggestion for a bank line ("payee · purpose"): the user's rules over the whole
    /// line, else the history and keywords over the payee alone, which names the shop; the
    /// purpose is mostly card numbers and references that differ on every line.
    pub(crate) async fn suggest_line(
        &self,
        session: &Session,
        description: &str,
    ) -> Result<Option<CategorySuggestion>> {
        let payee = description.split(" · ").next().unwrap_or(description);
        match self.suggest_by_rule(description) {
            Some(by_rule) => Ok(Some(by_rule)),
            None => self.suggest(session, payee).await,
        }
    }

    fn suggest_by_rule(&self, description: &str) -> Option<CategorySuggestion> {
        if self.rules.is_empty() {
            return None;
        }
        let categories = &self.categories;
        let usable = |id: Uuid| categories.iter().any(|c| c.id == id && !c.archived);
        let lower = description.to_lowercase();
        let (rule, _) = self
            .rules
            .iter()
            .zip(&self.rules_lower)
            .find(|(r, text)| usable(r.category_id) && lower.contains(text.as_str()))?;
        suggestion(
            categories,
            rule.category_id,
            SuggestionSource::UserRule,
            rule.contains.clone(),
        )
    }

    /// The category a bank line is saved in: [`CategoryGuesser::suggest_line`]'s, else
    /// "Other" (created once, with the import, when the user has none). A line is never
    /// refused for want of a category.
    pub(crate) async fn category_for(
        &mut self,
        session: &Session,
        description: &str,
        now: DateTime<Utc>,
    ) -> Result<Uuid> {
        if let Some(by_rule) = self.suggest_by_rule(description) {
            return Ok(by_rule.category_id);
        }
        let payee = description.split(" · ").next().unwrap_or(description);
        if let Some(id) = self.found.get(payee) {
            return Ok(*id);
        }
        let id = match self.suggest(session, payee).await? {
            Some(suggested) => suggested.category_id,
            None => self.fallback(now),
        };
        self.found.insert(payee.to_owned(), id);
        Ok(id)
    }

    fn fallback(&mut self, now: DateTime<Utc>) -> Uuid {
        if let Some(id) = self.fallback {
            return id;
        }
        let category = Category {
            id: Uuid::now_v7(),
            parent_id: None,
            name: FALLBACK_CATEGORY.to_owned(),
            colour: palette_colour(self.categories.len()),
            archived: false,
            created_at: now,
        };
        let id = category.id;
        self.fallback = Some(id);
        self.created.push(category);
        id
    }

    /// The categories [`CategoryGuesser::category_for`] made, to save with the import.
    pub(crate) fn created(&self) -> Vec<Category> {
        self.created.clone()
    }
}

/// The user's live category a rule names: the child under its parent, else a category of the
/// child's name anywhere, else the parent itself. Names compare case-insensitively.
pub(crate) fn find_path(categories: &[Category], path: CategoryPath) -> Option<Uuid> {
    find_path_among(categories.iter().filter(|c| !c.archived), path)
}

/// [`find_path`] over any set of categories (the assistant includes archived ones).
pub(crate) fn find_path_among<'c>(
    categories: impl Iterator<Item = &'c Category> + Clone,
    path: CategoryPath,
) -> Option<Uuid> {
    let named = |name: &str, c: &Category| c.name.to_lowercase() == name.to_lowercase();
    let parent = categories
        .clone()
        .find(|c| c.parent_id.is_none() && named(path.parent, c));
    if let Some(child) = path.child {
        let under_parent = categories
            .clone()
            .find(|c| named(child, c) && parent.is_some_and(|p| c.parent_id == Some(p.id)));
        if let Some(found) = under_parent.or_else(|| categories.clone().find(|c| named(child, c))) {
            return Some(found.id);
        }
    }
    parent.map(|p| p.id)
}

fn suggestion(
    categories: &[Category],
    id: Uuid,
    source: SuggestionSource,
    matched: String,
) -> Option<CategorySuggestion> {
    let category = categories.iter().find(|c| c.id == id)?;
    let parent_name = category
        .parent_id
        .and_then(|p| categories.iter().find(|c| c.id == p))
        .map(|p| p.name.clone());
    Some(CategorySuggestion {
        category_id: id,
        name: category.name.clone(),
        parent_name,
        source,
        matched,
    })
}
