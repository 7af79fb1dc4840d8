//! Keyword rules: the fallback guess of a category when the user's own history has none.
//! They name the default categories (see `categories.rs`) by parent and child, so a user who
//! renamed or archived one simply gets no guess from that rule.

/// A category named by its parent and, for a sub-category, its own name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CategoryPath {
    /// The top-level category, e.g. "Food".
    pub parent: &'static str,
    /// The sub-category, e.g. "Coffee"; `None` for the top level itself.
    pub child: Option<&'static str>,
}

const fn path(parent: &'static str, child: Option<&'static str>) -> CategoryPath {
    CategoryPath { parent, child }
}

/// Words (lower-case, singular) and the category they suggest. Checked in the order of the
/// description's words, so "coffee and cake" is Coffee.
const RULES: &[(CategoryPath, &[&str])] = &[
    (
        path("Food", Some("Coffee")),
        &[
            "coffee",
            "latte",
            "cappuccino",
            "espresso",
            "americano",
            "mocha",
            "macchiato",
            "starbucks",
            "cafe",
            "café",
            "☕",
        ],
    ),
    (
        path("Food", Some("Groceries")),
        &[
            "grocery",
            "groceries",
            "supermarket",
            "aldi",
            "lidl",
            "tesco",
            "walmart",
            "costco",
            "sainsbury",
            "sainsburys",
            "carrefour",
            "rewe",
            "edeka",
            "kroger",
            "milk",
            "bread",
            "egg",
            "fruit",
            "vegetable",
            "veggies",
            "butcher",
            "bakery",
            "🛒",
        ],
    ),
    (
        path("Food", Some("Restaurants")),
        &[
            "lunch",
            "dinner",
            "breakfast",
            "brunch",
            "restaurant",
            "pizza",
            "burger",
            "sushi",
            "takeaway",
            "takeout",
            "kebab",
            "ramen",
            "tapas",
            "bistro",
            "diner",
            "mcdonalds",
            "noodle",
            "curry",
            "🍕",
            "🍔",
            "🍣",
        ],
    ),
    (path("Food", None), &["food", "snack", "meal"]),
    (
        path("Transport", Some("Fuel")),
        &["fuel", "petrol", "diesel", "gasoline", "⛽"],
    ),
    (
        path("Transport", Some("Public transport")),
        &[
            "bus",
            "train",
            "metro",
            "subway",
            "tube",
            "tram",
            "underground",
            "rail",
            "ferry",
            "transit",
            "🚆",
            "🚌",
        ],
    ),
    (
        path("Transport", Some("Taxi")),
        &["taxi", "uber", "lyft", "cab", "bolt", "🚕"],
    ),
    (
        path("Transport", None),
        &["transport", "parking", "toll", "carwash"],
    ),
    (
        path("Housing", Some("Rent")),
        &["rent", "landlord", "mortgage"],
    ),
    (
        path("Housing", Some("Utilities")),
        &[
            "electricity",
            "electric",
            "water",
            "heating",
            "utility",
            "utilities",
            "power",
        ],
    ),
    (path("Housing", None), &["housing", "repair", "plumber"]),
    (
        path("Health", None),
        &[
            "health",
            "pharmacy",
            "doctor",
            "dentist",
            "medicine",
            "chemist",
            "hospital",
            "physio",
            "optician",
            "vitamin",
            "prescription",
            "💊",
        ],
    ),
    (
        path("Shopping", Some("Clothes")),
        &[
            "clothes", "clothing", "shoe", "shirt", "tshirt", "jeans", "jacket", "dress", "hoodie",
            "sock", "zara", "uniqlo", "👕",
        ],
    ),
    (
        path("Shopping", Some("Electronics")),
        &[
            "electronics",
            "laptop",
            "headphone",
            "charger",
            "cable",
            "computer",
            "keyboard",
            "monitor",
            "tablet",
            "📱",
        ],
    ),
    (path("Shopping", None), &["shopping", "amazon", "mall"]),
    (
        path("Entertainment", None),
        &[
            "entertainment",
            "cinema",
            "movie",
            "film",
            "concert",
            "theatre",
            "theater",
            "game",
            "bowling",
            "museum",
            "festival",
            "🎬",
        ],
    ),
    (
        path("Travel", None),
        &[
            "travel", "hotel", "flight", "airbnb", "hostel", "airline", "vacation", "holiday",
            "trip", "luggage", "✈",
        ],
    ),
    (
        path("Bills & subscriptions", None),
        &[
            "bill",
            "subscription",
            "netflix",
            "spotify",
            "internet",
            "broadband",
            "insurance",
            "icloud",
            "mobile",
            "phone",
        ],
    ),
    (
        path("Education", None),
        &[
            "education",
            "book",
            "course",
            "tuition",
            "school",
            "udemy",
            "textbook",
            "class",
            "lesson",
            "📚",
        ],
    ),
    (
        path("Gifts", None),
        &["gift", "present", "birthday", "flower", "donation", "🎁"],
    ),
];

/// The rule a word triggers, trying it as typed and as a singular ("books" → "book").
pub(crate) fn rule_for_word(word: &str) -> Option<CategoryPath> {
    let word = word.to_lowercase();
    let word = word.trim_matches(|c: char| !c.is_alphanumeric() && !is_emoji_keyword(c));
    let singular = singular(word);
    RULES
        .iter()
        .find(|(_, words)| words.contains(&word) || words.contains(&singular.as_str()))
        .map(|(path, _)| *path)
}

/// The first word of `words` that a rule knows, with the rule.
pub(crate) fn rule_for<'w>(
    words: impl IntoIterator<Item = &'w str>,
) -> Option<(CategoryPath, &'w str)> {
    words
        .into_iter()
        .find_map(|word| rule_for_word(word).map(|path| (path, word)))
}

/// "groceries" → "grocery", "books" → "book"; short words ("bus") stay as they are.
pub(crate) fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.chars().count() >= 2) {
        return format!("{stem}y");
    }
    match word.strip_suffix('s') {
        Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// Emoji stand for themselves in the rules; every other symbol is punctuation.
fn is_emoji_keyword(c: char) -> bool {
    RULES
        .iter()
        .flat_map(|(_, words)| words.iter())
        .any(|w| w.chars().count() == 1 && w.starts_with(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_case() {
        assert_eq!(rule_for_word("Books").map(|p| p.parent), Some("Education"));
        assert_eq!(
            rule_for_word("groceries,").and_then(|p| p.child),
            Some("Groceries")
        );
        assert_eq!(
            rule_for_word("bus").and_then(|p| p.child),
            Some("Public transport")
        );
        assert_eq!(rule_for_word("☕").and_then(|p| p.child), Some("Coffee"));
        assert_eq!(rule_for_word("unicorn"), None);
    }

    #[test]
    fn every_rule_names_a_default_category() {
        let defaults = crate::categories::default_categories(chrono::Utc::now());
        for (path, words) in RULES {
            let parent = defaults
                .iter()
                .find(|c| c.parent_id.is_none() && c.name == path.parent)
                .unwrap_or_else(|| panic!("no default category {}", path.parent));
            if let Some(child) = path.child {
                assert!(
                    defaults
                        .iter()
                        .any(|c| c.parent_id == Some(parent.id) && c.name == child),
                    "no default {} under {}",
                    child,
                    path.parent
                );
            }
            for word in *words {
                assert_eq!(rule_for_word(word), Some(*path), "{word} is claimed twice");
            }
        }
    }
}
