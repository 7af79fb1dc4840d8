//! Short texts the user names things with: categories, tags, payment methods, descriptions.

use crate::error::{AppError, Result};

/// Trims `text` and checks it is 1..=`max` characters with no control characters.
fn short_text(text: &str, field: &'static str, what: &str, max: usize) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, format!("Enter a {what}.")));
    }
    if text.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("A {what} can be at most {max} characters."),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            format!("A {what} cannot contain control characters."),
        ));
    }
    Ok(text.to_owned())
}

/// A category name such as "Groceries" (1–60 characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    /// Trims and checks a category name.
    pub fn parse(text: &str) -> Result<Self> {
        short_text(text, "name", "category name", 60).map(CategoryName)
    }

    /// The name as shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tag such as "work": lower-case, no spaces or '#', 1–32 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tag(String);

impl Tag {
    /// Normalises "#Work" to "work" and checks it.
    pub fn parse(text: &str) -> Result<Self> {
        let tag =
            short_text(text.trim().trim_start_matches('#'), "tags", "tag", 32)?.to_lowercase();
        if tag.contains(char::is_whitespace) || tag.contains(',') {
            return Err(AppError::invalid(
                "tags",
                "A tag is one word (no spaces or commas).",
            ));
        }
        Ok(Tag(tag))
    }

    /// The tag without '#'.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How an expense was paid, e.g. "card" or "cash" (1–40 characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMethod(String);

impl PaymentMethod {
    /// Trims and checks a payment method.
    pub fn parse(text: &str) -> Result<Self> {
        short_text(text, "paymentMethod", "payment method", 40).map(PaymentMethod)
    }

    /// The method as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The most characters an expense description may have.
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// Checks an expense description: may be empty, at most 500 characters, no control characters
/// other than none at all (descriptions are one line).
pub fn parse_description(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    short_text(text, "description", "description", MAX_DESCRIPTION_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(CategoryName::parse("  Food ").unwrap().as_str(), "Food");
        assert!(CategoryName::parse("   ").is_err());
        assert!(CategoryName::parse(&"x".repeat(61)).is_err());
        assert!(CategoryName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(Tag::parse("#Work").unwrap().as_str(), "work");
        assert!(Tag::parse("two words").is_err());
        assert!(Tag::parse("#").is_err());
    }

    #[test]
    fn descriptions_may_be_empty_but_not_huge() {
        assert_eq!(parse_description("  ").unwrap(), "");
        assert!(parse_description(&"x".repeat(MAX_DESCRIPTION_CHARS + 1)).is_err());
        assert_eq!(
            parse_description("<img src=x onerror=alert(1)>").unwrap(),
            "<img src=x onerror=alert(1)>"
        );
    }
}
