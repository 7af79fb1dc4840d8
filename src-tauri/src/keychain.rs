//! Connects outlay-core's secrets to the platform keychain, once, on first use.

use std::sync::Once;

/// Installs the OS keychain as keyring-core's default store. Without one (no Secret Service
/// on a Linux box, say) the secrets calls answer `KeychainUnavailable` instead.
pub fn connect() {
    static CONNECT: Once = Once::new();
    CONNECT.call_once(|| {
        if let Err(error) = keyring::Entry::store_status() {
            tracing::warn!("no OS keychain available: {error}");
        }
    });
}
