//! Signs the bench user in with "remember me" and files the token in the OS keychain exactly
//! where the app looks for it on start (src-tauri/src/commands/account.rs `resume_session`).

use std::path::Path;

use outlay_core::secrets::{self, REMEMBER_ME};
use outlay_core::Outlay;

use crate::{DATABASE_FILE, EMAIL, PASSWORD};

pub async fn remember(dir: &Path) -> Result<(), String> {
    // The same call the app makes (src-tauri/src/keychain.rs): it installs the platform's
    // keychain as keyring-core's default store.
    if let Err(error) = keyring::Entry::store_status() {
        return Err(format!("no OS keychain: {error}"));
    }
    let outlay = Outlay::open_sqlite(&dir.join(DATABASE_FILE))
        .await
        .map_err(|error| format!("opening the bench database: {error}"))?;
    let signed_in = outlay
        .log_in(EMAIL, PASSWORD, true)
        .await
        .map_err(|error| format!("signing the bench user in: {error}"))?;
    let token = signed_in
        .remember_token
        .ok_or("log_in with remember gave no token")?;
    secrets::save(REMEMBER_ME, &token).map_err(|error| error.to_string())?;
    // Read it back: a keychain that accepts but does not keep would make the app show the
    // sign-in form, and the bench would wait for a dashboard that never comes.
    match secrets::load(REMEMBER_ME) {
        Ok(Some(kept)) if kept == token => Ok(()),
        Ok(_) => Err("the keychain did not keep the remember-me token".into()),
        Err(error) => Err(error.to_string()),
    }
}
