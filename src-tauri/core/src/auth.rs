//! Accounts: sign up, sign in (with throttling and remember-me), sign out, change password,
//! delete account.

use crate::categories::default_categories;
use crate::domain::{check_password_storable, Currency, Email, Password, RememberToken};
use crate::error::{AppError, Result};
use crate::store::{Account, UserRecord, UserStore};
use crate::Outlay;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{CustomizedPasswordHasher, PasswordHasher};
use argon2::{Argon2, Params};
use chrono::Duration;
use serde::Serialize;
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

/// Failures allowed before each further attempt has to wait.
const FREE_ATTEMPTS: i64 = 4;
/// Failures after which the e-mail is locked for [`LOCKOUT`].
const LOCK_AFTER: i64 = 10;
/// How long a fully locked e-mail waits.
const LOCKOUT: Duration = Duration::minutes(15);
/// How long "remember me" lasts without signing in again.
const REMEMBER_FOR: Duration = Duration::days(30);

/// Who is signed in, and the handle to their data. Every service call that reads or writes
/// user data takes one. Only a sign-up, a sign-in or a resumed remember-me token makes one
/// (its handle is private), so holding a session is proof of a sign-in.
#[derive(Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// The user's id.
    pub user_id: Uuid,
    /// The user's e-mail.
    pub email: String,
    /// The currency the dashboard and new budgets use.
    pub base_currency: Currency,
    /// The user's data, scoped to them by the store itself.
    #[serde(skip)]
    store: Arc<dyn UserStore>,
}

impl Session {
    /// The session of a signed-in account.
    fn of(account: Account) -> Self {
        Session {
            user_id: account.user.id,
            email: account.user.email,
            base_currency: account.user.base_currency,
            store: account.store,
        }
    }

    /// The signed-in user's data, by area.
    pub fn store(&self) -> &dyn UserStore {
        self.store.as_ref()
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .field("base_currency", &self.base_currency)
            .finish_non_exhaustive()
    }
}

/// Two sessions are equal when they are the same user's, whichever sign-in made them.
impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        (self.user_id, &self.email, self.base_currency)
            == (other.user_id, &other.email, other.base_currency)
    }
}

impl Eq for Session {}

/// The result of a successful sign-in.
#[derive(Debug)]
pub struct SignedIn {
    /// The new session.
    pub session: Session,
    /// A fresh remember-me token when asked for: the shell keeps it in the OS keychain.
    pub remember_token: Option<String>,
}

impl Outlay {
    /// Creates an account with the default categories and signs it in.
    pub async fn sign_up(
        &self,
        email: &str,
        password: &str,
        base_currency: &str,
    ) -> Result<Session> {
        let email = Email::parse(email)?;
        let password = Password::parse(password)?;
        let base_currency = Currency::parse(base_currency)?;
        let now = self.clock.now();
        let user = UserRecord {
            id: Uuid::now_v7(),
            email: email.as_str().to_owned(),
            password_hash: hash_password(password.expose().to_owned()).await?,
            base_currency,
            created_at: now,
        };
        let account = self
            .store
            .insert_user(&user, &default_categories(now))
            .await?;
        Ok(Session::of(account))
    }

    /// Signs in. "No such user" and "wrong password" give the same answer after the same work;
    /// repeated failures for one e-mail wait longer and longer, and that survives restarts.
    pub async fn log_in(&self, email: &str, password: &str, remember: bool) -> Result<SignedIn> {
        let email = Email::parse(email)?;
        check_password_storable(password)?;
        let now = self.clock.now();
        let throttle = self.store.throttle(email.as_str()).await?;
        if let Some(until) = throttle.locked_until.filter(|until| *until > now) {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: (until - now).num_seconds().max(1),
            });
        }
        let login = self.store.login_record(&email).await?;
        // Hash against a dummy when there is no user so both answers cost the same.
        let stored = login
            .as_ref()
            .map_or_else(|| dummy_hash().to_owned(), |l| l.password_hash.clone());
        let attempt = hash_like(password.to_owned(), stored.clone()).await?;
        let Some(account) = self.store.authenticate(login.as_ref(), &attempt).await? else {
            let failures = self.store.add_login_failure(email.as_str()).await?;
            if let Some(wait) = wait_after(failures) {
                self.store.lock_login(email.as_str(), now + wait).await?;
            }
            return Err(AppError::WrongCredentials);
        };
        let session = Session::of(account);
        let profile = session.store().profile();
        if throttle.failures > 0 {
            profile.clear_login_failures().await?;
        }
        if is_weaker_than_default(&stored) {
            let hash = hash_password(password.to_owned()).await?;
            profile.set_password_hash(&hash).await?;
        }
        let remember_token = match remember {
            true => Some(self.issue_remember_token(&session).await?),
            false => None,
        };
        Ok(SignedIn {
            session,
            remember_token,
        })
    }

    /// Signs in again with a remember-me token from the keychain.
    pub async fn resume(&self, remember_token: &str) -> Result<Session> {
        let token = RememberToken::parse(remember_token).ok_or(AppError::NotSignedIn)?;
        let account = self
            .store
            .user_by_remember_token(&token, self.clock.now())
            .await?;
        account.map(Session::of).ok_or(AppError::NotSignedIn)
    }

    /// Signs out: the remember-me token, if any, stops working.
    pub async fn log_out(&self, remember_token: Option<&str>) -> Result<()> {
        if let Some(token) = remember_token.and_then(RememberToken::parse) {
            self.store.delete_remember_token(&token).await?;
        }
        Ok(())
    }

    /// Changes the password after checking the current one; remember-me tokens are revoked.
    pub async fn change_password(&self, session: &Session, current: &str, new: &str) -> Result<()> {
        self.check_password(session, current).await?;
        let new = Password::parse(new)?;
        let hash = hash_password(new.expose().to_owned()).await?;
        let profile = session.store().profile();
        profile.set_password_hash(&hash).await?;
        profile.delete_remember_tokens().await
    }

    /// Deletes the account and all its data after checking the password.
    pub async fn delete_account(&self, session: &Session, password: &str) -> Result<()> {
        self.check_password(session, password).await?;
        session.store().profile().delete().await
    }

    /// Checks the signed-in user's password the same way sign-in does (on PostgreSQL the
    /// server itself checks it).
    async fn check_password(&self, session: &Session, password: &str) -> Result<()> {
        let wrong = || AppError::invalid("currentPassword", "That password is not correct.");
        check_password_storable(password).map_err(|_| wrong())?;
        let email = Email::parse(&session.email)?;
        let login = self
            .store
            .login_record(&email)
            .await?
            .filter(|login| login.user_id == session.user_id)
            .ok_or(AppError::NotSignedIn)?;
        let attempt = hash_like(password.to_owned(), login.password_hash.clone()).await?;
        // The second sign-in's handle is only the proof; the session keeps its own.
        self.store
            .authenticate(Some(&login), &attempt)
            .await?
            .map(drop)
            .ok_or_else(wrong)
    }

    async fn issue_remember_token(&self, session: &Session) -> Result<String> {
        let token = RememberToken::generate()?;
        let expires_at = self.clock.now() + REMEMBER_FOR;
        let profile = session.store().profile();
        profile.insert_remember_token(&token, expires_at).await?;
        Ok(token.to_hex())
    }
}

/// How long to lock after the `failures`-th consecutive failure: nothing for the first four,
/// then 2, 4, 8, 16, 32 seconds, then 15 minutes from the tenth on.
fn wait_after(failures: i64) -> Option<Duration> {
    match failures {
        f if f <= FREE_ATTEMPTS => None,
        f if f < LOCK_AFTER => Some(Duration::seconds(1 << (f - FREE_ATTEMPTS))),
        _ => Some(LOCKOUT),
    }
}

/// Hashes with argon2id and the crate's defaults (m = 19 MiB, t = 2, p = 1), off the async
/// threads because it takes tens of milliseconds on purpose.
async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::Internal(format!("Could not hash the password: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Hashes `password` with the algorithm, parameters and salt of `stored` (a PHC string with or
/// without its hash): the result matches `stored` exactly when the password is right.
async fn hash_like(password: String, stored: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let corrupt = || AppError::Internal("A stored password hash is corrupt.".into());
        let hash = PasswordHash::new(&stored).map_err(|_| corrupt())?;
        let salt = hash.salt.as_ref().ok_or_else(corrupt)?;
        let params = Params::try_from(&hash).map_err(|_| corrupt())?;
        Argon2::default()
            .hash_password_customized(
                password.as_bytes(),
                salt.as_ref(),
                Some(hash.algorithm.as_str()),
                hash.version,
                params,
            )
            .map(|hash| hash.to_string())
            .map_err(|e| AppError::Internal(format!("Could not hash the password: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// True when a stored hash used weaker parameters (or another algorithm) than today's default.
fn is_weaker_than_default(stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return true;
    };
    let target = Params::default();
    let algorithm_differs = hash.algorithm.as_str() != "argon2id";
    match Params::try_from(&hash) {
        Ok(p) => {
            algorithm_differs
                || p.m_cost() < target.m_cost()
                || p.t_cost() < target.t_cost()
                || p.p_cost() < target.p_cost()
        }
        Err(_) => true,
    }
}

/// A valid hash of a random password, for timing-equal answers to unknown e-mails.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 16];
        // If randomness fails the dummy is still a valid hash of a fixed unguessable-enough
        // string; it must never match a real password, and nobody can sign in to it anyway.
        let _ = getrandom::fill(&mut secret);
        Argon2::default()
            .hash_password(&secret)
            .expect("argon2 with default parameters hashes")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_then_lock() {
        let waits: Vec<i64> = (1..=11)
            .map(|f| wait_after(f).map_or(0, |d| d.num_seconds()))
            .collect();
        assert_eq!(waits, [0, 0, 0, 0, 2, 4, 8, 16, 32, 900, 900]);
    }

    #[tokio::test]
    async fn hashing_like_a_stored_hash_reproduces_it_only_for_the_right_password() {
        let stored = hash_password("password123".into()).await.unwrap();
        let same = hash_like("password123".into(), stored.clone())
            .await
            .unwrap();
        assert_eq!(same, stored);
        let other = hash_like("password124".into(), stored.clone())
            .await
            .unwrap();
        assert_ne!(other, stored);
        // Without its hash (as PostgreSQL keeps it) the salt and parameters still apply.
        let (params, _) = stored.rsplit_once('$').unwrap();
        assert_eq!(
            hash_like("password123".into(), params.into())
                .await
                .unwrap(),
            stored
        );
    }

    #[test]
    fn weaker_hashes_are_detected() {
        let weak = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let hash = weak.hash_password(b"password123").unwrap().to_string();
        assert!(is_weaker_than_default(&hash));
        let strong = Argon2::default()
            .hash_password(b"password123")
            .unwrap()
            .to_string();
        assert!(!is_weaker_than_default(&strong));
    }
}
