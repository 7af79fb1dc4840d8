//! Learning categories from the user's own history: a description typed before gets the
//! category it was most often given; failing that, descriptions sharing words with it vote.

use crate::store::DescriptionUse;
use std::collections::HashMap;
use uuid::Uuid;

/// The most words of a description sent to the store: enough for any real description.
const MAX_WORDS: usize = 8;

/// Words too common to say anything about a category.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "at", "on", "in", "of", "to", "my", "from", "by", "an",
];

/// A description reduced for comparison: lower case, single spaces.
pub(crate) fn normalise(description: &str) -> String {
    description
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The words of a description worth matching on: lower case, letters and digits only, two
/// characters or more, no stopwords, each once, at most eight.
pub(crate) fn words(description: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in description
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2 && !STOPWORDS.contains(w))
    {
        if !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
        if words.len() == MAX_WORDS {
            break;
        }
    }
    words
}

/// How a category was learned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Learned {
    /// The category.
    pub category_id: Uuid,
    /// The same description was used before (rather than only some of its words).
    pub exact: bool,
    /// What matched: the earlier description, or the shared words.
    pub matched: String,
}

/// The category the user's history suggests for `description`, among categories `usable`.
///
/// Exact matches win, most uses first, then the most recent; otherwise each earlier
/// description votes with its uses times the words it shares. Ties go to the category whose
/// id sorts first, so the answer never depends on the order the store returned rows in.
pub(crate) fn learn(
    description: &str,
    history: &[DescriptionUse],
    usable: impl Fn(Uuid) -> bool,
) -> Option<Learned> {
    let wanted = normalise(description);
    if wanted.is_empty() {
        return None;
    }
    let history: Vec<&DescriptionUse> = history.iter().filter(|u| usable(u.category_id)).collect();
    let exact: Vec<&DescriptionUse> = history
        .iter()
        .copied()
        .filter(|u| normalise(&u.description) == wanted)
        .collect();
    if let Some(best) = best(exact.iter().map(|u| (*u, u.uses))) {
        return Some(Learned {
            category_id: best,
            exact: true,
            matched: wanted,
        });
    }
    let wanted_words = words(description);
    let shared = |u: &DescriptionUse| -> Vec<String> {
        let theirs = words(&u.description);
        wanted_words
            .iter()
            .filter(|w| theirs.contains(w))
            .cloned()
            .collect()
    };
    let votes: Vec<(&DescriptionUse, i64, Vec<String>)> = history
        .iter()
        .map(|u| {
            let shared = shared(u);
            (*u, u.uses.saturating_mul(shared.len() as i64), shared)
        })
        .filter(|(_, weight, _)| *weight > 0)
        .collect();
    let category_id = best(votes.iter().map(|(u, weight, _)| (*u, *weight)))?;
    let mut matched: Vec<String> = Vec::new();
    for word in votes
        .iter()
        .filter(|(u, _, _)| u.category_id == category_id)
        .flat_map(|(_, _, shared)| shared)
    {
        if !matched.contains(word) {
            matched.push(word.clone());
        }
    }
    matched.sort_by_key(|w| wanted_words.iter().position(|x| x == w));
    Some(Learned {
        category_id,
        exact: false,
        matched: matched.join(" "),
    })
}

/// The recent history held in memory, by word, for suggesting categories to many
/// descriptions (a bank statement's thousands of payees) without a query each.
pub(crate) struct History {
    uses: Vec<DescriptionUse>,
    by_word: HashMap<String, Vec<usize>>,
}

impl History {
    pub(crate) fn new(uses: Vec<DescriptionUse>) -> Self {
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, usage) in uses.iter().enumerate() {
            for word in words(&usage.description) {
                by_word.entry(word).or_default().push(at);
            }
        }
        History { uses, by_word }
    }

    /// What the store's `description_uses` answers for `words`, but for the matching:
    /// whole words here, substrings there. [`learn`] only weighs whole words shared, and an
    /// exact match shares all of them, so it learns the same from either.
    pub(crate) fn uses_for(&self, words: &[String]) -> Vec<DescriptionUse> {
        let mut found: Vec<usize> = words
            .iter()
            .filter_map(|w| self.by_word.get(w))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        let mut uses: Vec<DescriptionUse> = found.iter().map(|at| self.uses[*at].clone()).collect();
        uses.sort_by(|a, b| b.uses.cmp(&a.uses).then(b.last_used.cmp(&a.last_used)));
        uses.truncate(crate::store::MAX_DESCRIPTION_USES as usize);
        uses
    }
}

/// The category with the most weight; ties by the latest use, then by id.
fn best<'u>(weighted: impl Iterator<Item = (&'u DescriptionUse, i64)>) -> Option<Uuid> {
    let mut totals: HashMap<Uuid, (i64, chrono::NaiveDate)> = HashMap::new();
    for (usage, weight) in weighted {
        let entry = totals
            .entry(usage.category_id)
            .or_insert((0, usage.last_used));
        entry.0 = entry.0.saturating_add(weight);
        entry.1 = entry.1.max(usage.last_used);
    }
    totals
        .into_iter()
        .max_by(|(id_a, a), (id_b, b)| a.cmp(b).then_with(|| id_b.cmp(id_a)))
        .map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(description: &str, category: u128, uses: i64, last: &str) -> DescriptionUse {
        DescriptionUse {
            description: description.into(),
            category_id: Uuid::from_u128(category),
            uses,
            last_used: last.parse().unwrap(),
        }
    }

    #[test]
    fn the_same_description_wins_over_shared_words() {
        let history = [
            usage("Lunch with Bob", 1, 9, "2026-11-01"),
            usage("lunch", 2, 2, "2026-10-01"),
            usage("LUNCH", 3, 2, "2026-11-20"),
        ];
        let learned = learn("  lunch ", &history, |_| true).unwrap();
        assert_eq!(
            (learned.category_id, learned.exact),
            (Uuid::from_u128(3), true),
            "two uses each: the most recent wins"
        );
        let learned = learn("lunch at work", &history, |_| true).unwrap();
        assert_eq!(
            (learned.category_id, learned.exact, learned.matched.as_str()),
            (Uuid::from_u128(1), false, "lunch")
        );
    }

    #[test]
    fn unusable_categories_and_empty_descriptions_learn_nothing() {
        let history = [usage("taxi", 1, 5, "2026-11-01")];
        assert_eq!(learn("taxi", &history, |_| false), None);
        assert_eq!(learn("   ", &history, |_| true), None);
        assert_eq!(learn("bus", &history, |_| true), None);
    }

    #[test]
    fn history_in_memory_finds_what_the_store_would() {
        let history = History::new(vec![
            usage("Shell fuel", 3, 9, "2024-03-01"),
            usage("LIDL Online", 2, 1, "2024-03-05"),
            usage("Lidl  Berlin", 1, 5, "2024-03-02"),
        ]);
        let found = history.uses_for(&words("lidl berlin"));
        let descriptions: Vec<&str> = found.iter().map(|u| u.description.as_str()).collect();
        assert_eq!(
            descriptions,
            ["Lidl  Berlin", "LIDL Online"],
            "most used first, no Shell"
        );
        let learned = learn("lidl berlin", &found, |_| true).unwrap();
        assert_eq!(
            (learned.category_id, learned.exact),
            (Uuid::from_u128(1), true)
        );
        assert!(history.uses_for(&words("aldi")).is_empty());
    }

    #[test]
    fn words_are_normalised() {
        assert_eq!(
            words("Lunch @ Joe's, the BEST lunch"),
            ["lunch", "joe", "best"]
        );
        assert!(words("a b c").is_empty());
    }
}
