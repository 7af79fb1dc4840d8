//! Splitting a typed line into words, keeping what was typed for the description.

/// One whitespace-separated word of a quick-add line.
#[derive(Clone, Debug)]
pub(super) struct Token<'a> {
    /// Exactly as typed (punctuation included), for the description.
    pub typed: &'a str,
    /// Without the punctuation that sentences wrap words in: `(12.50),` is `12.50`.
    pub bare: &'a str,
    /// `bare`, lower-cased, for matching date words and keywords.
    pub lower: String,
}

/// Characters that may open a word but never belong to an amount, date or tag.
const OPENING: &[char] = &['(', '[', '"', '\'', '“', '‘'];
/// Characters that may close a word. A leading '.' stays: ".5" is half a unit.
const CLOSING: &[char] = &[',', ';', ':', '!', '?', '.', ')', ']', '"', '\'', '”', '’'];

/// Splits on whitespace, control characters (a pasted tab or newline is a space here) and
/// the invisible marks pasted text carries: direction marks and overrides, zero-width space,
/// byte-order mark. Zero-width joiners stay: they hold emoji such as 👨‍👩‍👧 together.
pub(super) fn tokenise(text: &str) -> Vec<Token<'_>> {
    text.split(|c: char| c.is_whitespace() || c.is_control() || is_invisible_mark(c))
        .filter(|piece| !piece.is_empty())
        .map(|typed| {
            let bare = typed.trim_start_matches(OPENING).trim_end_matches(CLOSING);
            Token {
                typed,
                bare,
                lower: bare.to_lowercase(),
            }
        })
        .collect()
}

fn is_invisible_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_kept_for_the_description_only() {
        let tokens = tokenise("Lunch, (12.50)\tYesterday. .5");
        let bare: Vec<&str> = tokens.iter().map(|t| t.bare).collect();
        assert_eq!(bare, ["Lunch", "12.50", "Yesterday", ".5"]);
        assert_eq!(tokens[0].typed, "Lunch,");
        assert_eq!(tokens[2].lower, "yesterday");
    }
}
