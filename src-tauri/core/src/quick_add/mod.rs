//! Quick add: one typed line such as `12.50 lunch yesterday #work @card` becomes an expense.
//!
//! [`parse_line`] reads the line (pure, no I/O); [`Outlay::quick_add_preview`] adds the
//! category the user's history or the keyword rules suggest, and [`Outlay::quick_add_save`]
//! saves it through [`Outlay::add_expense`], so every check of the expense form applies.
//!
//! [`Outlay::quick_add_preview`]: crate::Outlay::quick_add_preview
//! [`Outlay::quick_add_save`]: crate::Outlay::quick_add_save
//! [`Outlay::add_expense`]: crate::Outlay::add_expense

mod amount;
pub(crate) mod dates;
pub(crate) mod keywords;
pub(crate) mod learning;
pub(crate) mod service;
pub(crate) use service::CategoryGuesser;
mod tokens;

use crate::domain::{parse_description, Currency, Money, PaymentMethod, Sign, Tag};
use crate::error::{AppError, Result};
use crate::expenses::MAX_TAGS;
use chrono::NaiveDate;
use serde::Serialize;
use tokens::Token;
use uuid::Uuid;

/// The longest line quick add reads (a description may be 500 characters, plus the rest).
pub const MAX_LINE_CHARS: usize = 600;

/// A quick-add line, read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct QuickAddLine {
    /// How much: the currency typed, or the user's base currency.
    pub amount: Money,
    /// The day: today unless the line says otherwise.
    pub date: NaiveDate,
    /// The words that are not amount, date, tag or payment method (may be empty).
    pub description: String,
    /// `#tags`, lower case, sorted, each once.
    pub tags: Vec<String>,
    /// `@card`, `@cash`, "by card"…, lower case.
    pub payment_method: Option<String>,
}

/// What quick add would save: the line and the category it suggests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct QuickAddPreview {
    /// The line, read.
    #[serde(flatten)]
    pub line: QuickAddLine,
    /// The suggested category; `None` when nothing fits (the user must pick one).
    pub category: Option<CategorySuggestion>,
}

/// A suggested category and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CategorySuggestion {
    /// The category.
    pub category_id: Uuid,
    /// Its name, e.g. "Coffee".
    pub name: String,
    /// Its parent's name for a sub-category, e.g. "Food".
    pub parent_name: Option<String>,
    /// Where the suggestion came from.
    pub source: SuggestionSource,
    /// What it matched: the earlier description, the shared words, or the keyword.
    pub matched: String,
}

/// Where a suggested category came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SuggestionSource {
    /// The same description in the user's history.
    History,
    /// Descriptions in the user's history sharing words with this one.
    HistoryWords,
    /// A built-in keyword rule ("coffee" → Coffee).
    KeywordRule,
    /// A rule the user made ("description contains LIDL → Groceries").
    UserRule,
    /// Nothing matched: the user's "Other" category.
    Fallback,
}

/// Words at either end of the description that only joined it to the rest ("12 for lunch").
const CONNECTORS: &[&str] = &["on", "for", "at", "-", "–", "—", ":"];
/// Verbs that only open the line ("spent 12 on lunch" is lunch).
const OPENING_VERBS: &[&str] = &["spent", "paid", "bought", "add"];

/// Reads a quick-add line relative to `today`; amounts without a currency are in `base`.
///
/// Errors are [`AppError::Invalid`] on the field at fault: `text` (empty, too long),
/// `amount` (none, several, not positive), `date`, `tags`, `paymentMethod`, `description`.
pub fn parse_line(text: &str, today: NaiveDate, base: Currency) -> Result<QuickAddLine> {
    if text.chars().count() > MAX_LINE_CHARS {
        return Err(AppError::invalid(
            "text",
            format!("That is too long for a quick add (at most {MAX_LINE_CHARS} characters)."),
        ));
    }
    let tokens = tokens::tokenise(text);
    if tokens.is_empty() {
        return Err(AppError::invalid(
            "text",
            "Type an amount and what it was for, e.g. \"12.50 lunch\".",
        ));
    }
    let mut free: Vec<&Token> = tokens.iter().collect();
    let (tags, payment_method) = take_marks(&mut free)?;
    let date = take_date(&mut free, today)?;
    let payment_method = match (payment_method, take_payment_phrase(&mut free)) {
        (Some(a), Some(b)) if a != b => return Err(two_payment_methods()),
        (a, b) => a.or(b),
    };
    let amount = take_amount(&mut free, base)?;
    Ok(QuickAddLine {
        amount,
        date: date.unwrap_or(today),
        description: description(&free)?,
        tags,
        payment_method,
    })
}

/// Removes `#tags` and `@method` words.
fn take_marks(free: &mut Vec<&Token>) -> Result<(Vec<String>, Option<String>)> {
    let mut tags = Vec::new();
    let mut method: Option<String> = None;
    let mut rest = Vec::with_capacity(free.len());
    for token in free.drain(..) {
        if token.bare.starts_with('#') {
            tags.push(Tag::parse(token.bare)?.as_str().to_owned());
        } else if let Some(text) = token.bare.strip_prefix('@') {
            let parsed = PaymentMethod::parse(text)?.as_str().to_lowercase();
            if method.as_ref().is_some_and(|m| *m != parsed) {
                return Err(two_payment_methods());
            }
            method = Some(parsed);
        } else {
            rest.push(token);
        }
    }
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err(AppError::invalid(
            "tags",
            format!("At most {MAX_TAGS} tags per expense."),
        ));
    }
    *free = rest;
    Ok((tags, method))
}

fn two_payment_methods() -> AppError {
    AppError::invalid(
        "paymentMethod",
        "Give one payment method, e.g. @card or @cash.",
    )
}

/// Removes the date phrase, if any; two of them are ambiguous.
fn take_date(free: &mut Vec<&Token>, today: NaiveDate) -> Result<Option<NaiveDate>> {
    let words: Vec<&str> = free.iter().map(|t| t.lower.as_str()).collect();
    let mut found: Option<(usize, usize, NaiveDate)> = None;
    let mut at = 0;
    while at < words.len() {
        match dates::date_at(&words[at..], today)? {
            Some((len, date)) => {
                if let Some((start, first_len, _)) = found {
                    return Err(AppError::invalid(
                        "date",
                        format!(
                            "Found two dates (\"{}\" and \"{}\"); keep one.",
                            words[start..start + first_len].join(" "),
                            words[at..at + len].join(" ")
                        ),
                    ));
                }
                found = Some((at, len, date));
                at += len;
            }
            None => at += 1,
        }
    }
    Ok(found.map(|(start, len, date)| {
        free.drain(start..start + len);
        date
    }))
}

/// Removes "by card", "with cash", "in cash" and the like.
fn take_payment_phrase(free: &mut Vec<&Token>) -> Option<String> {
    const METHODS: &[&str] = &[
        "card", "cash", "credit", "debit", "paypal", "cheque", "check",
    ];
    let at = free.windows(2).position(|pair| {
        matches!(pair[0].lower.as_str(), "by" | "with" | "in" | "via")
            && METHODS.contains(&pair[1].lower.as_str())
            && (pair[0].lower != "in" || pair[1].lower == "cash")
    })?;
    let method = free[at + 1].lower.clone();
    free.drain(at..at + 2);
    Some(method)
}

/// Removes the one amount; none or several is an error.
fn take_amount(free: &mut Vec<&Token>, base: Currency) -> Result<Money> {
    let mut found: Option<(usize, amount::FoundAmount)> = None;
    let mut at = 0;
    while at < free.len() {
        match amount::amount_at(&free[at..], base)? {
            Some(amount) => {
                if let Some((_, first)) = &found {
                    return Err(AppError::invalid(
                        "amount",
                        format!(
                            "Found two amounts (\"{}\" and \"{}\"); keep only the amount spent.",
                            first.typed, amount.typed
                        ),
                    ));
                }
                let len = amount.len;
                found = Some((at, amount));
                at += len;
            }
            None => at += 1,
        }
    }
    let Some((start, amount)) = found else {
        return Err(AppError::invalid(
            "amount",
            "Add an amount, e.g. \"12.50 lunch\".",
        ));
    };
    free.drain(start..start + amount.len);
    Money::parse(&amount.text, base, Sign::Positive)
}

/// The words left, as typed, without connecting words or punctuation at either end.
fn description(free: &[&Token]) -> Result<String> {
    let mut words: &[&Token] = free;
    while let Some((first, rest)) = words.split_first() {
        let word = first.lower.as_str();
        if !CONNECTORS.contains(&word) && !OPENING_VERBS.contains(&word) {
            break;
        }
        words = rest;
    }
    while let Some((last, rest)) = words.split_last() {
        if !CONNECTORS.contains(&last.lower.as_str()) {
            break;
        }
        words = rest;
    }
    let text = words.iter().map(|t| t.typed).collect::<Vec<_>>().join(" ");
    parse_description(text.trim_end_matches([',', ';', ':', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_serialises_flat_in_camel_case() {
        let line = parse_line(
            "12.50 lunch yesterday #work @card",
            "2026-11-25".parse().unwrap(),
            Currency::parse("EUR").unwrap(),
        )
        .unwrap();
        let preview = QuickAddPreview {
            line,
            category: Some(CategorySuggestion {
                category_id: Uuid::nil(),
                name: "Restaurants".into(),
                parent_name: Some("Food".into()),
                source: SuggestionSource::KeywordRule,
                matched: "lunch".into(),
            }),
        };
        assert_eq!(
            serde_json::to_string(&preview).unwrap(),
            r#"{"amount":{"minor":1250,"currency":"EUR"},"date":"2026-11-24","description":"lunch","tags":["work"],"paymentMethod":"card","category":{"categoryId":"00000000-0000-0000-0000-000000000000","name":"Restaurants","parentName":"Food","source":"keywordRule","matched":"lunch"}}"#
        );
    }
}
