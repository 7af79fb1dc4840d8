//! Who is signed in to this window's app: managed state shared by every command.

use outlay_core::{AppError, Session};
use std::sync::Mutex;

/// The current session, if any. A plain `Mutex`: it is held only to copy or swap the value,
/// never across an `.await`.
#[derive(Default)]
pub struct SignedIn(Mutex<Option<Session>>);

impl SignedIn {
    /// The session, or [`AppError::NotSignedIn`] — the first thing every data command checks.
    pub fn session(&self) -> Result<Session, AppError> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(AppError::NotSignedIn)
    }

    /// Remembers a new session (after sign-up, sign-in or resume).
    pub fn set(&self, session: Session) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(session);
    }

    /// Forgets the session (sign-out, account deleted).
    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}
