//! Who is signed in to this window's app: managed state shared by every command.

use outlay_core::{AppError, Session};
use std::sync::Mutex;

/// The current session, if any. A plain `Mutex`: it is held only to copy or swap the value,
/// never across an `.await`.
#[derive(Default)]
pub struct SignedIn {
    session: Mutex<Option<Session>>,
    /// Held while a remember-me token is being resumed. The shell resumes at start for the
    /// first screen (first_screen.rs) while the page may ask too: one at a time, the second
    /// finds the session the first set, and a resume still running cannot sign the user back
    /// in after they signed out.
    resuming: tokio::sync::Mutex<()>,
}

impl SignedIn {
    /// The session, or [`AppError::NotSignedIn`] — the first thing every data command checks.
    pub fn session(&self) -> Result<Session, AppError> {
        self.session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(AppError::NotSignedIn)
    }

    /// Remembers a new session (after sign-up, sign-in or resume).
    pub fn set(&self, session: Session) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = Some(session);
    }

    /// Waits for a resume under way to finish; the caller resumes while holding the guard.
    pub async fn resuming(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.resuming.lock().await
    }

    /// Forgets the session (sign-out, account deleted).
    pub fn clear(&self) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
