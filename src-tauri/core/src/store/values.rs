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

/// The spend change that makes a written budget be checked: its category (an overall
/// budget covers every category, so the nil id finds it) on `today`.
pub(crate) fn budget_touched(category: Option<Uuid>, today: NaiveDate) -> SpendChange {
    SpendChange::touched(category.unwrap_or_default(), today)
}
