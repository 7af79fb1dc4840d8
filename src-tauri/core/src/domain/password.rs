//! Passwords as the user types them: checked for length, never logged.

use crate::error::{AppError, Result};
use std::fmt;

/// The fewest characters a new password may have (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The most bytes we hash: argon2 accepts more, but a 1 MB "password" is an attack, not a secret.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A password that passed the checks for a *new* password. `Debug` hides it.
pub struct Password(String);

impl Password {
    /// Checks a new password: 8 characters or more, at most 1 KiB, no NUL bytes.
    pub fn parse(text: &str) -> Result<Self> {
        check_storable(text)?;
        if text.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AppError::invalid(
                "password",
                format!("Use at least {MIN_PASSWORD_CHARS} characters."),
            ));
        }
        Ok(Password(text.to_owned()))
    }

    /// The secret, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Rejects what no password can be (empty, NUL bytes, over 1 KiB). Used at sign-in too,
/// so a hostile 1 MB string is refused before it reaches argon2.
pub fn check_storable(text: &str) -> Result<()> {
    if text.is_empty() {
        return Err(AppError::invalid("password", "Enter a password."));
    }
    if text.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::invalid(
            "password",
            "That password is too long (at most 1024 bytes).",
        ));
    }
    if text.contains('\0') {
        return Err(AppError::invalid(
            "password",
            "A password cannot contain a NUL character.",
        ));
    }
    Ok(())
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_huge_and_nul_passwords_are_refused() {
        assert!(Password::parse("").is_err());
        assert!(Password::parse(&"x".repeat(1024 * 1024)).is_err());
        assert!(Password::parse("good pass\0word").is_err());
        assert!(Password::parse("short").is_err());
    }

    #[test]
    fn accepts_unicode_and_hides_itself() {
        let password = Password::parse("correct horse ✓").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
