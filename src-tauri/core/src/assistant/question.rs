//! Reading a question: what is asked, about which category, over which time.
//! Plain word rules, so the same question always gets the same reading.

use super::periods::{self, DateRange, Found};
use crate::categories::Category;
use crate::quick_add::keywords::{rule_for_word, singular};
use crate::quick_add::service::find_path_among;
use chrono::NaiveDate;
use uuid::Uuid;

/// What a question asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Intent {
    /// "add 12 coffee": a quick-add preview to confirm.
    Add,
    /// "compare March and April".
    Compare,
    /// "what's left in my groceries budget?"
    Budget,
    /// "average daily spend this year" (`monthly` for "a month").
    Average { monthly: bool },
    /// "biggest expenses this week".
    Biggest,
    /// "how much did I spend on food last month?"
    Spend,
    /// Anything else.
    Help,
}

/// A question split into lower-case words, with its time phrases found.
pub(crate) struct Question {
    /// Lower-case words, punctuation dropped ("what's" is "what", "s").
    pub words: Vec<String>,
    /// The time phrases, in order.
    pub periods: Vec<Found>,
}

/// Which category a question is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mention {
    /// None named: all spending.
    All,
    /// A category of the user's (by name, or by a keyword rule).
    Category { id: Uuid, name: String },
    /// Something that looks like a category name but is none of the user's.
    Unknown(String),
}

/// Words that may follow "on"/"for" or precede "budget" without naming a category.
const NOT_CATEGORIES: &[&str] = &[
    "the",
    "my",
    "a",
    "an",
    "all",
    "everything",
    "total",
    "average",
    "overall",
    "monthly",
    "weekly",
    "yearly",
    "this",
    "last",
    "past",
    "each",
    "per",
    "day",
    "week",
    "month",
    "year",
    "today",
    "yesterday",
    "much",
    "what",
    "s",
    "is",
    "in",
    "left",
    "spend",
    "spent",
    "stuff",
    "things",
    "me",
    "it",
    "them",
    "whole",
    "entire",
    "so",
    "far",
    "now",
];

impl Question {
    /// Splits `text` and finds its time phrases relative to `today`.
    pub fn read(text: &str, today: NaiveDate) -> Question {
        let words: Vec<String> = text
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let periods = periods::find_all(&refs, today);
        Question { words, periods }
    }

    fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    fn has_pair(&self, first: &str, second: &str) -> bool {
        self.words
            .windows(2)
            .any(|p| p[0] == first && p[1] == second)
    }

    /// What is asked. The first matching rule wins, most specific first.
    pub fn intent(&self) -> Intent {
        let first = self.words.first().map(String::as_str);
        if matches!(first, Some("add" | "log" | "record")) {
            return Intent::Add;
        }
        if self.has("compare") || self.has("vs") || self.has("versus") {
            return Intent::Compare;
        }
        if self.has("budget") || self.has("budgets") || self.has("left") {
            return Intent::Budget;
        }
        let per = |unit: &str| {
            self.has_pair("per", unit) || self.has_pair("a", unit) || self.has_pair("each", unit)
        };
        if self.has("average") || self.has("avg") || self.has("daily") || per("day") {
            let monthly = self.has("monthly") || per("month");
            return Intent::Average { monthly };
        }
        if self.has("monthly") && (self.has("spend") || self.has("spending")) {
            return Intent::Average { monthly: true };
        }
        if ["biggest", "largest", "top", "highest", "priciest"]
            .iter()
            .any(|w| self.has(w))
            || self.has_pair("most", "expensive")
        {
            return Intent::Biggest;
        }
        if self.has_pair("how", "much")
            || ["spend", "spent", "spending", "total", "cost", "costs"]
                .iter()
                .any(|w| self.has(w))
        {
            return Intent::Spend;
        }
        Intent::Help
    }

    /// The first time phrase, or this month.
    pub fn period_or_this_month(&self, today: NaiveDate) -> DateRange {
        self.periods
            .first()
            .map(|f| f.range.clone())
            .unwrap_or_else(|| DateRange::this_month(today))
    }

    /// Whether word `i` is part of a time phrase.
    fn in_period(&self, i: usize) -> bool {
        self.periods
            .iter()
            .any(|f| (f.at..f.at + f.len).contains(&i))
    }

    /// A count asked for ("top 3", "5 biggest"), outside time phrases, 1–20.
    pub fn count(&self) -> Option<u32> {
        self.words
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.in_period(*i))
            .find_map(|(_, w)| w.parse::<u32>().ok())
            .filter(|n| (1..=20).contains(n))
    }

    /// The category the question names: a category's own name (the longest that fits, in
    /// singular or plural), else a keyword rule ("coffee", "uber"), else a word in the place
    /// of a category ("on unicorns", "unicorn budget") that is none of the user's.
    pub fn category(&self, categories: &[Category]) -> Mention {
        let stems: Vec<String> = self.words.iter().map(|w| singular(w)).collect();
        let mut best: Option<(&Category, usize)> = None;
        for category in categories {
            let name: Vec<String> = category
                .name
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(singular)
                .collect();
            let fits = !name.is_empty()
                && stems
                    .windows(name.len())
                    .enumerate()
                    .any(|(i, window)| window == name.as_slice() && !self.in_period(i));
            let better = match best {
                None => true,
                Some((chosen, len)) => {
                    name.len() > len || (name.len() == len && chosen.archived && !category.archived)
                }
            };
            if fits && better {
                best = Some((category, name.len()));
            }
        }
        if let Some((category, _)) = best {
            return Mention::Category {
                id: category.id,
                name: category.name.clone(),
            };
        }
        for (i, word) in self.words.iter().enumerate() {
            if self.in_period(i) {
                continue;
            }
            if let Some(id) =
                rule_for_word(word).and_then(|p| find_path_among(categories.iter(), p))
            {
                let name = categories
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                return Mention::Category { id, name };
            }
        }
        match self.category_slot() {
            Some(word) => Mention::Unknown(word),
            None => Mention::All,
        }
    }

    /// The word where a category would be: after "on"/"for", or before "budget".
    fn category_slot(&self) -> Option<String> {
        let usable = |i: usize| {
            let word = self.words.get(i)?;
            let fits = !self.in_period(i)
                && word.chars().all(char::is_alphabetic)
                && !NOT_CATEGORIES.contains(&word.as_str())
                && crate::quick_add::dates::month_number(word).is_none();
            fits.then(|| word.clone())
        };
        for (i, word) in self.words.iter().enumerate() {
            if word == "on" || word == "for" {
                let next = (i + 1..self.words.len())
                    .find(|j| !matches!(self.words[*j].as_str(), "the" | "my" | "a" | "an"));
                if let Some(found) = next.and_then(usable) {
                    return Some(found);
                }
            }
            if (word == "budget" || word == "budgets") && i > 0 {
                if let Some(found) = usable(i - 1) {
                    return Some(found);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(text: &str) -> Intent {
        Question::read(text, "2026-11-25".parse().unwrap()).intent()
    }

    #[test]
    fn intents() {
        assert_eq!(
            intent("How much did I spend on food last month?"),
            Intent::Spend
        );
        assert_eq!(
            intent("what's left in my groceries budget?"),
            Intent::Budget
        );
        assert_eq!(intent("biggest expenses this week"), Intent::Biggest);
        assert_eq!(intent("compare March and April"), Intent::Compare);
        assert_eq!(
            intent("average daily spend this year"),
            Intent::Average { monthly: false }
        );
        assert_eq!(
            intent("how much do I spend per month on average"),
            Intent::Average { monthly: true }
        );
        assert_eq!(intent("add 12 coffee"), Intent::Add);
        assert_eq!(intent("tell me a joke"), Intent::Help);
        assert_eq!(intent(""), Intent::Help);
    }

    #[test]
    fn counts_skip_time_phrases() {
        let question = Question::read("top 3 in the last 7 days", "2026-11-25".parse().unwrap());
        assert_eq!(question.count(), Some(3));
        let question = Question::read("biggest in the last 7 days", "2026-11-25".parse().unwrap());
        assert_eq!(question.count(), None);
    }
}
