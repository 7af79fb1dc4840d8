//! Sign up, sign in, sign out, password and account commands.

use crate::alerting::{signed_in_now, signed_out};
use crate::database::Database;
use crate::keychain;
use crate::signed_in::SignedIn;
use outlay_core::secrets::{self, REMEMBER_ME};
use outlay_core::{AppError, Outlay, Session};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// A session plus whether "remember me" could be honoured (it needs the OS keychain).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SignedInAnswer {
    #[serde(flatten)]
    session: Session,
    /// True when the remember-me token is in the keychain.
    remembered: bool,
    /// Why it could not be remembered, for the UI to show.
    remember_problem: Option<String>,
}

/// Creates an account and signs it in.
#[tauri::command]
pub async fn sign_up<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    email: String,
    password: String,
    base_currency: String,
) -> Result<Session, AppError> {
    let outlay = database.outlay()?;
    let session = outlay.sign_up(&email, &password, &base_currency).await?;
    signed_in.set(session.clone());
    signed_in_now(&app, &outlay, &session).await;
    Ok(session)
}

/// Signs in with e-mail and password; with `remember`, keeps a token in the OS keychain so
/// the next start signs in by itself.
#[tauri::command]
pub async fn log_in<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    email: String,
    password: String,
    remember: Option<bool>,
) -> Result<SignedInAnswer, AppError> {
    let outlay = database.outlay()?;
    let remember = remember.unwrap_or(false);
    if remember {
        keychain::connect();
    }
    let done = outlay.log_in(&email, &password, remember).await?;
    signed_in.set(done.session.clone());
    signed_in_now(&app, &outlay, &done.session).await;
    let mut answer = SignedInAnswer {
        session: done.session,
        remembered: false,
        remember_problem: None,
    };
    if let Some(token) = done.remember_token {
        match secrets::save(REMEMBER_ME, &token) {
            Ok(()) => answer.remembered = true,
            Err(problem) => {
                // The token is useless without the keychain: revoke it rather than leave it.
                outlay.log_out(Some(&token)).await?;
                answer.remember_problem = Some(problem.to_string());
            }
        }
    }
    Ok(answer)
}

/// The session to start the page with: the one already signed in (the page was reloaded),
/// else one resumed with the remember-me token from the keychain, if there is a valid one.
/// One call, so the page starts after a single round trip.
#[tauri::command]
pub async fn resume_session<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<Option<Session>, AppError> {
    resume(&app, &database, &signed_in).await
}

/// What `resume_session` answers; also read ahead at start (see first_screen.rs).
pub(crate) async fn resume<R: Runtime>(
    app: &AppHandle<R>,
    database: &Database,
    signed_in: &SignedIn,
) -> Result<Option<Session>, AppError> {
    let _turn = signed_in.resuming().await;
    if let Ok(session) = signed_in.session() {
        return Ok(Some(session));
    }
    let outlay = database.outlay()?;
    keychain::connect();
    let Ok(Some(token)) = secrets::load(REMEMBER_ME) else {
        return Ok(None);
    };
    match outlay.resume(&token).await {
        Ok(session) => {
            signed_in.set(session.clone());
            signed_in_now(app, &outlay, &session).await;
            Ok(Some(session))
        }
        Err(AppError::NotSignedIn) => {
            // Expired or revoked: forget it so the next start does not try again.
            let _ = secrets::forget(REMEMBER_ME);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// The signed-in user, or `null`.
#[tauri::command]
pub fn current_session(signed_in: State<'_, SignedIn>) -> Option<Session> {
    signed_in.session().ok()
}

/// Signs out, and forgets "remember me" so the next start asks again.
#[tauri::command]
pub async fn log_out<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<(), AppError> {
    // After a resume under way (first_screen.rs), which would otherwise sign back in.
    let _turn = signed_in.resuming().await;
    signed_in.clear();
    signed_out(&app);
    forget_remembered(&database.outlay()?).await
}

/// Revokes the remember-me token in the keychain (if any) and removes it from the keychain.
pub async fn forget_remembered(outlay: &Outlay) -> Result<(), AppError> {
    keychain::connect();
    let token = secrets::load(REMEMBER_ME).ok().flatten();
    outlay.log_out(token.as_deref()).await?;
    // No keychain means nothing was remembered.
    let _ = secrets::forget(REMEMBER_ME);
    Ok(())
}

/// Changes the password after checking the current one.
#[tauri::command]
pub async fn change_password(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    outlay
        .change_password(&session, &current_password, &new_password)
        .await
}

/// Deletes the account and all its data, then signs out.
#[tauri::command]
pub async fn delete_account<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    password: String,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    outlay.delete_account(&session, &password).await?;
    // Their SendGrid key goes with them (nothing to forget, or no keychain, is fine).
    let _ = outlay.forget_sendgrid_key(&session);
    signed_in.clear();
    signed_out(&app);
    Ok(())
}
