//! E-mail addresses, compared case-insensitively.

use crate::error::{AppError, Result};
use serde::Serialize;

/// A plausible e-mail address, stored lower-cased so "Ann@X.org" and "ann@x.org" are one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Trims, lower-cases and checks the shape `local@domain.tld` (no spaces, no control
    /// characters, at most 254 characters as RFC 5321 allows).
    pub fn parse(text: &str) -> Result<Self> {
        let email = text.trim().to_lowercase();
        let invalid =
            || AppError::invalid("email", "Enter an e-mail address such as ann@example.com.");
        if email.is_empty()
            || email.len() > 254
            || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(email))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_and_trims() {
        assert_eq!(
            Email::parse("  Ann.Lee@Example.ORG ").unwrap().as_str(),
            "ann.lee@example.org"
        );
    }

    #[test]
    fn refuses_malformed_addresses() {
        let long = format!("{}@example.com", "a".repeat(300));
        for text in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "ann@.com",
            "ann@x..com",
            "ann\0@x.com",
            long.as_str(),
        ] {
            assert_eq!(
                Email::parse(text).unwrap_err().field(),
                Some("email"),
                "{text:?}"
            );
        }
    }
}
