//! Secrets in the OS keychain (Keychain Services, Credential Manager, Secret Service) through
//! keyring-core. There is deliberately no plain-text fallback: without a keychain the secret
//! is not kept, and the caller says so to the user.
//!
//! The shell installs the platform's store at start-up (`keyring` crate); tests install
//! keyring-core's mock store.

use crate::error::{AppError, Result};

/// The keychain service name every Outlay secret is filed under.
pub const SERVICE: &str = "app.outlay.desktop";

/// The keychain entry of the remember-me token.
pub const REMEMBER_ME: &str = "remember-me";

/// The keychain entry of the Outlay server's sign-in password.
pub const DATABASE_PASSWORD: &str = "database-password";

fn entry(name: &str) -> Result<keyring_core::Entry> {
    keyring_core::Entry::new(SERVICE, name).map_err(unavailable)
}

fn unavailable(error: keyring_core::Error) -> AppError {
    AppError::KeychainUnavailable(error.to_string())
}

/// Stores `secret` under `name`, replacing what was there.
pub fn save(name: &str, secret: &str) -> Result<()> {
    entry(name)?.set_password(secret).map_err(unavailable)
}

/// The secret stored under `name`, if any.
pub fn load(name: &str) -> Result<Option<String>> {
    match entry(name)?.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(error) => Err(unavailable(error)),
    }
}

/// Forgets the secret stored under `name` (nothing to forget is fine).
pub fn forget(name: &str) -> Result<()> {
    match entry(name)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(error) => Err(unavailable(error)),
    }
}

/// Installs keyring-core's in-memory mock store once per test process: the default store is
/// global, and tests running in parallel must not swap it under each other.
#[cfg(test)]
pub(crate) fn use_mock_store() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_forget_round_trip_on_the_mock_store() {
        use_mock_store();
        assert_eq!(load("test-secret").unwrap(), None);
        save("test-secret", "s3cret").unwrap();
        assert_eq!(load("test-secret").unwrap().as_deref(), Some("s3cret"));
        forget("test-secret").unwrap();
        forget("test-secret").unwrap();
        assert_eq!(load("test-secret").unwrap(), None);
    }
}
