//! The alert centre, notifications on/off, and alert e-mail settings.

use crate::alerting::{self, MailSender};
use crate::database::Database;
use crate::preferences;
use crate::signed_in::SignedIn;
use outlay_core::alerts::AlertList;
use outlay_core::budgets::Budget;
use outlay_core::mail::{EmailSettings, EmailSettingsInput, OutboxMail};
use outlay_core::AppError;
use serde::Serialize;
use tauri::State;
use uuid::Uuid;

/// How many of the newest alerts the alert centre lists.
pub(crate) const ALERTS_LISTED: u32 = 50;

/// The newest alerts and how many are unread.
#[tauri::command]
pub async fn list_alerts(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<AlertList, AppError> {
    let outlay = database.outlay()?;
    outlay.alerts(&signed_in.session()?, ALERTS_LISTED).await
}

/// Marks one alert read.
#[tauri::command]
pub async fn mark_alert_read(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    outlay.mark_alert_read(&signed_in.session()?, id).await
}

/// Marks every alert read; returns how many were unread.
#[tauri::command]
pub async fn mark_all_alerts_read(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<u64, AppError> {
    let outlay = database.outlay()?;
    outlay.mark_all_alerts_read(&signed_in.session()?).await
}

/// Whether budget alerts raise native notifications on this computer.
#[tauri::command]
pub fn notifications_enabled(database: State<'_, Database>) -> bool {
    preferences::load(database.data_dir()).notifications_on()
}

#[tauri::command]
pub fn set_notifications_enabled(database: State<'_, Database>, on: bool) -> Result<(), AppError> {
    let mut saved = preferences::load(database.data_dir());
    saved.notifications = Some(on);
    preferences::save(database.data_dir(), &saved)
}

/// The e-mail settings, whether a SendGrid key is in the keychain, and failed mails.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EmailStatus {
    settings: EmailSettings,
    has_api_key: bool,
    /// Why the keychain cannot be used, if it cannot.
    keychain_problem: Option<String>,
    failed: Vec<OutboxMail>,
}

#[tauri::command]
pub async fn email_status(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<EmailStatus, AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    crate::keychain::connect();
    let key = outlay.sendgrid_key(&session);
    Ok(EmailStatus {
        settings: outlay.email_settings(&session).await?,
        has_api_key: matches!(key, Ok(Some(_))),
        keychain_problem: key.err().map(|e| e.to_string()),
        failed: outlay.failed_mails(&session).await?,
    })
}

/// Saves the e-mail settings and, when given, the SendGrid key (to the keychain only); then
/// restarts the sender with them.
#[tauri::command]
pub async fn save_email_settings(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    sender: State<'_, MailSender>,
    input: EmailSettingsInput,
    api_key: Option<String>,
) -> Result<EmailStatus, AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    crate::keychain::connect();
    if let Some(key) = api_key.filter(|k| !k.trim().is_empty()) {
        outlay.save_sendgrid_key(&session, key.trim())?;
    }
    outlay.save_email_settings(&session, input).await?;
    sender.start(&outlay, &session);
    email_status(database, signed_in).await
}

/// Sends a test e-mail now and says what SendGrid answered.
#[tauri::command]
pub async fn send_test_email(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    crate::keychain::connect();
    let mailer = alerting::mailer(&outlay, &session)?;
    outlay.send_test_email(&session, &mailer).await
}

/// Queues a failed e-mail again.
#[tauri::command]
pub async fn retry_mail(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    outlay.retry_mail(&signed_in.session()?, id).await
}

/// Turns e-mail on or off for one budget's alerts.
#[tauri::command]
pub async fn set_budget_email(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    budget_id: Uuid,
    on: bool,
) -> Result<Budget, AppError> {
    let outlay = database.outlay()?;
    outlay
        .set_budget_email(&signed_in.session()?, budget_id, on)
        .await
}
