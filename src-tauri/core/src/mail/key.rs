//! The SendGrid API key: kept in the OS keychain (one entry per user), held in a type whose
//! `Debug` and `Display` never show it, so it cannot end up in a log line or an error message.

use crate::error::{AppError, Result};
use crate::secrets;
use std::fmt;
use uuid::Uuid;

/// A SendGrid API key. Printing it prints "[redacted]".
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks a pasted key: one printable token, no spaces or line breaks (it becomes the
    /// `Authorization` header).
    pub fn parse(text: &str) -> Result<ApiKey> {
        let key = text.trim();
        if key.is_empty() {
            return Err(AppError::invalid("apiKey", "Paste your SendGrid API key."));
        }
        if key.len() > 512 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError::invalid(
                "apiKey",
                "That does not look like a SendGrid API key (one word, no spaces).",
            ));
        }
        Ok(ApiKey(key.to_owned()))
    }

    /// The key itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The keychain entry of `user`'s key.
fn entry(user: Uuid) -> String {
    format!("sendgrid-api-key/{user}")
}

/// Saves `user`'s key in the keychain, replacing any old one.
pub fn save(user: Uuid, key: &ApiKey) -> Result<()> {
    secrets::save(&entry(user), key.expose())
}

/// `user`'s key from the keychain, if one was saved.
pub fn load(user: Uuid) -> Result<Option<ApiKey>> {
    secrets::load(&entry(user))?
        .map(|text| ApiKey::parse(&text))
        .transpose()
}

/// Forgets `user`'s key.
pub fn forget(user: Uuid) -> Result<()> {
    secrets::forget(&entry(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_prints() {
        let key = ApiKey::parse(" SG.abc123.def456 ").unwrap();
        assert_eq!(key.expose(), "SG.abc123.def456");
        assert_eq!(format!("{key}"), "[redacted]");
        assert_eq!(format!("{key:?}"), "ApiKey([redacted])");
        assert!(!format!("{:?}", Some(&key)).contains("abc123"));
    }

    #[test]
    fn keys_with_spaces_or_line_breaks_are_refused() {
        for text in ["", "  ", "SG.a b", "SG.a\r\nX-Evil: 1"] {
            assert_eq!(ApiKey::parse(text).unwrap_err().field(), Some("apiKey"));
        }
    }

    #[test]
    fn kept_per_user_in_the_keychain_mock_store() {
        crate::secrets::use_mock_store();
        let (ann, bob) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(load(ann).unwrap(), None);
        save(ann, &ApiKey::parse("SG.ann").unwrap()).unwrap();
        save(bob, &ApiKey::parse("SG.bob").unwrap()).unwrap();
        assert_eq!(load(ann).unwrap().unwrap().expose(), "SG.ann");
        forget(ann).unwrap();
        assert_eq!(load(ann).unwrap(), None);
        assert_eq!(load(bob).unwrap().unwrap().expose(), "SG.bob");
    }
}
