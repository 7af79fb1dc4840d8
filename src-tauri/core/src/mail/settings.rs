//! Each user's e-mail settings: where alerts go, the sender SendGrid verified, and whether
//! e-mail is on at all. The API key is not here: it lives in the OS keychain (see `key.rs`).

use crate::domain::Email;
use crate::error::{AppError, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// E-mail settings as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EmailSettings {
    /// Whether alerts are e-mailed at all.
    pub enabled: bool,
    /// Where alerts go.
    pub recipient: Option<String>,
    /// The From address; SendGrid only sends from a sender identity verified in the account.
    pub sender: Option<String>,
    /// When they were last saved.
    pub updated_at: DateTime<Utc>,
}

impl EmailSettings {
    /// On, with both addresses set: alerts are queued for e-mail.
    pub fn active(&self) -> bool {
        self.enabled && self.recipient.is_some() && self.sender.is_some()
    }
}

/// What the user fills in on the settings screen.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct EmailSettingsInput {
    /// Turn alert e-mails on or off.
    pub enabled: bool,
    /// Where alerts go (may be empty while e-mail is off).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub recipient: String,
    /// The verified sender address (may be empty while e-mail is off).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub sender: String,
}

impl EmailSettingsInput {
    /// Checks the input: addresses must be addresses, with no line breaks (they become mail
    /// headers), and both are needed to turn e-mail on.
    pub fn check(&self, now: DateTime<Utc>) -> Result<EmailSettings> {
        let recipient = optional_address(&self.recipient, "recipient")?;
        let sender = optional_address(&self.sender, "sender")?;
        if self.enabled && recipient.is_none() {
            return Err(AppError::invalid(
                "recipient",
                "Enter the address alerts should go to.",
            ));
        }
        if self.enabled && sender.is_none() {
            return Err(AppError::invalid(
                "sender",
                "Enter the sender address you verified in SendGrid.",
            ));
        }
        Ok(EmailSettings {
            enabled: self.enabled,
            recipient,
            sender,
            updated_at: now,
        })
    }
}

/// Refuses CR and LF in a value that becomes a mail header: one could smuggle in headers of
/// its own (`Bcc: …`). Typed, so the UI puts the message beside `field`.
pub fn check_header(value: &str, field: &'static str) -> Result<()> {
    if value.contains(['\r', '\n']) {
        return Err(AppError::invalid(field, "This cannot contain line breaks."));
    }
    Ok(())
}

fn optional_address(text: &str, field: &'static str) -> Result<Option<String>> {
    check_header(text, field)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let email = Email::parse(text).map_err(|_| {
        AppError::invalid(field, "Enter an e-mail address such as ann@example.com.")
    })?;
    Ok(Some(email.as_str().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(enabled: bool, recipient: &str, sender: &str) -> EmailSettingsInput {
        EmailSettingsInput {
            enabled,
            recipient: recipient.into(),
            sender: sender.into(),
        }
    }

    #[test]
    fn line_breaks_in_addresses_are_refused_as_header_injection() {
        let now = Utc::now();
        for (recipient, sender, field) in [
            (
                "ann@example.com\r\nBcc: eve@example.com",
                "a@example.com",
                "recipient",
            ),
            (
                "ann@example.com",
                "a@example.com\nBcc: eve@example.com",
                "sender",
            ),
        ] {
            let error = input(true, recipient, sender).check(now).unwrap_err();
            assert_eq!(error.field(), Some(field));
            assert_eq!(error.to_string(), "This cannot contain line breaks.");
        }
    }

    #[test]
    fn on_needs_both_addresses_off_needs_none() {
        let now = Utc::now();
        assert_eq!(
            input(true, "", "a@example.com")
                .check(now)
                .unwrap_err()
                .field(),
            Some("recipient")
        );
        assert_eq!(
            input(true, "ann@example.com", " ")
                .check(now)
                .unwrap_err()
                .field(),
            Some("sender")
        );
        let off = input(false, "", "").check(now).unwrap();
        assert!(!off.active());
        let on = input(true, " Ann@Example.com ", "alerts@example.com")
            .check(now)
            .unwrap();
        assert!(on.active());
        assert_eq!(on.recipient.as_deref(), Some("ann@example.com"));
    }
}
