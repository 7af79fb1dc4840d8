//! What happens after a write fired budget alerts: a native notification (when the user wants
//! them), a nudge to the main window's alert centre, and the tray's month line. Also the
//! background sender of alert e-mails for the signed-in user.

use std::sync::Mutex;

use outlay_core::mail::{Mailer, MailerConfig};
use outlay_core::{Alert, Outlay, Session};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::commands::assistant::refresh_tray;
use crate::database::Database;
use crate::preferences;

/// Overrides SendGrid's API address (the tests point it at a fake SendGrid on loopback).
pub const SENDGRID_URL_ENV: &str = "OUTLAY_SENDGRID_URL";

/// Raises `fired` and refreshes the tray after a write that changed spend.
pub async fn after_write<R: Runtime>(
    app: &AppHandle<R>,
    outlay: &Outlay,
    session: &Session,
    fired: &[Alert],
) {
    refresh_tray(app, outlay, session).await;
    if fired.is_empty() {
        return;
    }
    let _ = app.emit("alerts-changed", ());
    let wanted = app
        .try_state::<Database>()
        .is_none_or(|db| preferences::load(db.data_dir()).notifications_on());
    if !wanted {
        return;
    }
    for alert in fired {
        // No notification service, or permission denied: the in-app alert still shows.
        if let Err(error) = app
            .notification()
            .builder()
            .title(alert.title())
            .body(alert.body())
            .show()
        {
            tracing::warn!("the notification could not be shown: {error}");
        }
    }
}

/// Someone signed in: their month in the tray, their e-mails on their way.
pub async fn signed_in_now<R: Runtime>(app: &AppHandle<R>, outlay: &Outlay, session: &Session) {
    refresh_tray(app, outlay, session).await;
    if let Some(sender) = app.try_state::<MailSender>() {
        sender.start(outlay, session);
    }
}

/// Nobody is signed in any more.
pub fn signed_out<R: Runtime>(app: &AppHandle<R>) {
    crate::tray::show_summary(app, None);
    if let Some(sender) = app.try_state::<MailSender>() {
        sender.stop();
    }
}

/// The background task sending the signed-in user's alert e-mails.
#[derive(Default)]
pub struct MailSender(Mutex<Option<JoinHandle<()>>>);

impl MailSender {
    /// (Re)starts the sender for `session` when a SendGrid key is in the keychain; stops the
    /// old one either way.
    pub fn start(&self, outlay: &Outlay, session: &Session) {
        self.stop();
        let key = match outlay.sendgrid_key(session) {
            Ok(Some(key)) => key,
            // No key (or no keychain): nothing can be sent; mail stays queued.
            _ => return,
        };
        let mut config = MailerConfig::default();
        if let Some(url) = std::env::var(SENDGRID_URL_ENV)
            .ok()
            .filter(|u| !u.is_empty())
        {
            config.base_url = url;
        }
        let mailer = match Mailer::new(&config, key) {
            Ok(mailer) => mailer,
            Err(error) => {
                tracing::error!("alert e-mails cannot be sent: {error}");
                return;
            }
        };
        let (outlay, session) = (outlay.clone(), session.clone());
        let task = tauri::async_runtime::spawn(async move {
            outlay.run_outbox(session, mailer).await;
        });
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(task);
    }

    /// Stops sending (sign-out); queued mail waits in the database for the next sign-in.
    pub fn stop(&self) {
        if let Some(task) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
    }
}

/// A mailer for "send a test e-mail", with the key from the keychain.
pub fn mailer(outlay: &Outlay, session: &Session) -> Result<Mailer, outlay_core::AppError> {
    let key = outlay.sendgrid_key(session)?.ok_or_else(|| {
        outlay_core::AppError::invalid("apiKey", "Save your SendGrid API key first.")
    })?;
    let mut config = MailerConfig::default();
    if let Some(url) = std::env::var(SENDGRID_URL_ENV)
        .ok()
        .filter(|u| !u.is_empty())
    {
        config.base_url = url;
    }
    Mailer::new(&config, key)
}
