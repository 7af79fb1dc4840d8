//! Values as the stores write them into SQL.

use crate::alerts::SpendChange;
use crate::budgets::Budget;
use chrono::NaiveDate;
use uuid::Uuid;

/// Thresholds as stored: "80,100".
pub(crate) fn thresholds_text(budget: &Budget) -> String {
    budget
        .thresholds
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `%text%` with the user's own `%`, `_` and `\` matched literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A category rule's text as its one-rule-per-text index compares it: lower case, folded
/// here rather than by the database so that every backend (and every server locale) agrees.
pub(crate) fn folded(text: &str) -> String {
    text.to_lowercase()
}

/// The spend change that makes a written budget be checked: its category (an overall
/// budget covers every category, so the nil id finds it) on `today`.
pub(crate) fn budget_touched(category: Option<Uuid>, today: NaiveDate) -> SpendChange {
    SpendChange::touched(category.unwrap_or_default(), today)
}
