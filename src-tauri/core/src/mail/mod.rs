//! Alert e-mails through SendGrid: settings, the API key in the keychain, the messages, the
//! outbox and the mailer that drains it.
//!
//! The shell's part: build a [`Mailer`] from [`MailerConfig`] and the key from
//! [`Outlay::sendgrid_key`], spawn [`Outlay::run_outbox`] for the signed-in user, and offer
//! [`Outlay::send_test_email`] on the settings screen.

mod key;
mod message;
mod outbox;
mod sendgrid;
mod settings;

pub use key::ApiKey;
pub use message::{escape as escape_html, Message};
pub use outbox::{DrainReport, MailOutcome, MailStatus, OutboxMail, MAX_ATTEMPTS};
pub use sendgrid::{Delivery, Mailer, MailerConfig, RetryHint, SENDGRID_URL};
pub use settings::{check_header, EmailSettings, EmailSettingsInput};

use crate::auth::Session;
use crate::budgets::Budget;
use crate::error::{AppError, Result};
use crate::Outlay;
use uuid::Uuid;

impl Outlay {
    /// The user's e-mail settings (off, with no addresses, until saved).
    pub async fn email_settings(&self, session: &Session) -> Result<EmailSettings> {
        Ok(session
            .store()
            .alerts()
            .email_settings()
            .await?
            .unwrap_or(EmailSettings {
                enabled: false,
                recipient: None,
                sender: None,
                updated_at: self.clock.now(),
            }))
    }

    /// Checks and saves the user's e-mail settings. Alerts fired from now on are e-mailed
    /// while they are on (earlier alerts are not sent after the fact).
    pub async fn save_email_settings(
        &self,
        session: &Session,
        input: EmailSettingsInput,
    ) -> Result<EmailSettings> {
        let settings = input.check(self.clock.now())?;
        session
            .store()
            .alerts()
            .save_email_settings(&settings)
            .await?;
        Ok(settings)
    }

    /// Turns e-mail on or off for one budget's alerts (on by default).
    pub async fn set_budget_email(
        &self,
        session: &Session,
        budget_id: Uuid,
        on: bool,
    ) -> Result<Budget> {
        session.store().budgets().set_email(budget_id, on).await?;
        self.budgets(session)
            .await?
            .into_iter()
            .find(|b| b.id == budget_id)
            .ok_or(AppError::NotFound("Budget"))
    }

    /// Keeps the user's SendGrid API key in the OS keychain (never in the database).
    pub fn save_sendgrid_key(&self, session: &Session, key: &str) -> Result<()> {
        key::save(session.user_id, &ApiKey::parse(key)?)
    }

    /// The user's SendGrid API key, if one is in the keychain.
    pub fn sendgrid_key(&self, session: &Session) -> Result<Option<ApiKey>> {
        key::load(session.user_id)
    }

    /// Removes the user's SendGrid API key from the keychain.
    pub fn forget_sendgrid_key(&self, session: &Session) -> Result<()> {
        key::forget(session.user_id)
    }

    /// Sends a test e-mail now, with the saved addresses (whether or not e-mail is on), and
    /// says plainly what SendGrid answered: `Ok` when it accepted the mail, otherwise
    /// [`AppError::Mail`] with the reason (a wrong key, an unverified sender, no connection…).
    pub async fn send_test_email(&self, session: &Session, mailer: &Mailer) -> Result<()> {
        let settings = self.email_settings(session).await?;
        let message = Message::test(&settings)?;
        match mailer.send(Uuid::now_v7(), &message).await {
            Delivery::Accepted => Ok(()),
            Delivery::Rejected { reason } => Err(AppError::Mail(reason)),
            Delivery::Retry { reason, .. } => Err(AppError::Mail(format!(
                "{reason} Try again in a little while."
            ))),
        }
    }
}
