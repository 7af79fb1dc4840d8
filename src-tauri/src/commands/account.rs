//! Sign up, sign in, sign out, password and account commands.

use crate::signed_in::SignedIn;
use outlay_core::{AppError, Outlay, Session};
use tauri::State;

/// Creates an account and signs it in.
#[tauri::command]
pub async fn sign_up(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    email: String,
    password: String,
    base_currency: String,
) -> Result<Session, AppError> {
    let session = outlay.sign_up(&email, &password, &base_currency).await?;
    signed_in.set(session.clone());
    Ok(session)
}

/// Signs in with e-mail and password.
#[tauri::command]
pub async fn log_in(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    email: String,
    password: String,
) -> Result<Session, AppError> {
    let session = outlay.log_in(&email, &password, false).await?.session;
    signed_in.set(session.clone());
    Ok(session)
}

/// The signed-in user, or `null`.
#[tauri::command]
pub fn current_session(signed_in: State<'_, SignedIn>) -> Option<Session> {
    signed_in.session().ok()
}

/// Signs out.
#[tauri::command]
pub async fn log_out(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
) -> Result<(), AppError> {
    signed_in.clear();
    outlay.log_out(None).await
}

/// Changes the password after checking the current one.
#[tauri::command]
pub async fn change_password(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let session = signed_in.session()?;
    outlay
        .change_password(&session, &current_password, &new_password)
        .await
}

/// Deletes the account and all its data, then signs out.
#[tauri::command]
pub async fn delete_account(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    password: String,
) -> Result<(), AppError> {
    let session = signed_in.session()?;
    outlay.delete_account(&session, &password).await?;
    signed_in.clear();
    Ok(())
}
