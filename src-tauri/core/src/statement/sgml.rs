//! The tokens of OFX 1.x SGML and OFX 2.x XML alike, read tolerantly: a value runs from its
//! start tag to the next `<`, end tags are reported where written and never required.

use super::field::{at_line, line_of};
use crate::error::Result;

/// The five XML entities and numeric character references; anything else stays as written
/// (SGML exports put a bare `&` in names such as "AT&T").
pub(super) fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest[1..].find(';').map(|end| &rest[1..=end]);
        let decoded = entity.and_then(|e| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => {
                let number = e.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (entity, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A start tag (uppercased name, at its `<`), an end tag, or the text between tags.
#[derive(Debug)]
pub(super) enum Token<'a> {
    Open(usize, String),
    Close(String),
    Text(&'a str),
}

/// The tokens of an OFX body; comments, declarations and processing instructions skipped.
pub(super) struct Tokens<'a> {
    pub(super) text: &'a str,
    pub(super) at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Result<Token<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = self.text.get(self.at..).filter(|r| !r.is_empty())?;
            let start = self.at;
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                self.at += end;
                return Some(Ok(Token::Text(&rest[..end])));
            }
            let close = if rest.starts_with("<!--") { "-->" } else { ">" };
            let Some(end) = rest.find(close) else {
                self.at = self.text.len();
                let message = "a tag is not closed; the file may be cut short.";
                return Some(Err(at_line(line_of(self.text, start), message)));
            };
            self.at += end + close.len();
            let inner = &rest[1..end];
            if inner.starts_with(['!', '?']) {
                continue;
            }
            let (is_end, inner) = match inner.strip_prefix('/') {
                Some(name) => (true, name),
                None => (false, inner),
            };
            let name = inner
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            return Some(Ok(match is_end {
                true => Token::Close(name),
                false => Token::Open(start, name),
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        Tokens { text, at: 0 }
            .map(|token| match token.unwrap() {
                Token::Open(at, name) => format!("<{name}@{at}"),
                Token::Close(name) => format!("/{name}"),
                Token::Text(text) => format!("'{text}'"),
            })
            .collect()
    }

    #[test]
    fn reads_sgml_and_xml_alike() {
        assert_eq!(
            tokens("<?OFX x?><!-- a > b --><stmttrn><NAME>A&amp;B\n</stmttrn>"),
            ["<STMTTRN@23", "<NAME@32", "'A&amp;B\n'", "/STMTTRN"]
        );
        assert_eq!(tokens("<MEMO></MEMO>"), ["<MEMO@0", "/MEMO"]);
        let error = Tokens {
            text: "a\n<OFX",
            at: 0,
        }
        .nth(1)
        .unwrap()
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Line 2: a tag is not closed; the file may be cut short."
        );
    }

    #[test]
    fn entities_are_decoded_and_bare_ampersands_kept() {
        assert_eq!(
            unescape("AT&amp;T &lt;3 &#233;t&#xE9; &quot;x&apos;"),
            "AT&T <3 été \"x'"
        );
        assert_eq!(unescape("AT&T & co; &bogus; &"), "AT&T & co; &bogus; &");
    }
}
