//! Remember-me tokens: 256 random bits, shown as 64 hex digits and kept in the OS keychain.

use crate::error::{AppError, Result};
use sha2::{Digest, Sha256};
use std::fmt;

/// Domain separation: the key stream that seals a secret must never equal the stored hash.
const SEAL_LABEL: &[u8] = b"outlay remember-me seal v1";

/// A remember-me token. The database keeps only [`RememberToken::hash`]; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct RememberToken([u8; 32]);

impl RememberToken {
    /// A fresh token from the operating system's randomness.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Internal(format!("No randomness available: {e}")))?;
        Ok(RememberToken(bytes))
    }

    /// A token as the keychain returns it; `None` unless it is exactly 64 hex digits.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        bytes.try_into().ok().map(RememberToken)
    }

    /// The text form: 64 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// SHA-256 of the token: what the database stores and looks tokens up by.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0).to_vec()
    }

    /// XORs `secret` with a key stream only this token can produce (SHA-256 of a label, a
    /// block counter and the token). Sealing twice opens: the same call does both.
    ///
    /// Every token is random and seals one secret, so the stream is never reused.
    pub fn seal(&self, secret: &[u8]) -> Vec<u8> {
        secret
            .chunks(32)
            .enumerate()
            .flat_map(|(block, chunk)| {
                let stream = Sha256::new()
                    .chain_update(SEAL_LABEL)
                    .chain_update((block as u64).to_be_bytes())
                    .chain_update(self.0)
                    .finalize();
                chunk
                    .iter()
                    .zip(stream)
                    .map(|(byte, key)| byte ^ key)
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

impl fmt::Debug for RememberToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RememberToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_hex_digits_parse() {
        assert!(RememberToken::parse("zz").is_none());
        assert!(RememberToken::parse(&"ab".repeat(31)).is_none());
        let token = RememberToken::parse(&"ab".repeat(32)).unwrap();
        assert_eq!(token.to_hex(), "ab".repeat(32));
        assert_eq!(token.hash().len(), 32);
    }

    #[test]
    fn sealing_twice_opens_and_depends_on_the_token() {
        let secret = b"a database password longer than one block of 32 bytes";
        let token = RememberToken::generate().unwrap();
        let sealed = token.seal(secret);
        assert_ne!(&sealed[..], &secret[..]);
        assert_eq!(token.seal(&sealed), secret);
        let other = RememberToken::generate().unwrap();
        assert_ne!(other.seal(&sealed), secret);
        assert_ne!(
            &sealed[..32],
            &token.hash()[..],
            "the stream is not the stored hash"
        );
    }
}
