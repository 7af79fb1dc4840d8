//! Budget alerts end to end: overrun a budget in the real window; the alert shows in the app,
//! a `Notify` call with its text goes over the session bus, and a fake SendGrid on loopback
//! receives the e-mail exactly once.

use crate::harness::Desktop;
use crate::steps::Step;
use fake_sendgrid::FakeSendGrid;
use std::path::Path;

const EMAIL: &str = "lee@example.com";
const PASSWORD: &str = "correct horse battery";
pub const API_KEY: &str = "SG.e2e-test-key";

pub async fn overrun_raises_everything(
    d: &Desktop,
    sendgrid: &FakeSendGrid,
    notify_log: &Path,
) -> Step {
    d.sign_up(EMAIL, PASSWORD).await?;
    d.wait_text("#dashboard-spent", "$0.00").await?;

    // E-mail on, with the key going to the keychain.
    d.open("settings").await?;
    d.click("#email-enabled").await?;
    d.fill("#email-recipient", "lee@example.com").await?;
    d.fill("#email-sender", "alerts@example.com").await?;
    d.fill("#email-api-key", API_KEY).await?;
    d.click("#email-save").await?;
    d.wait_text("#toast", "E-mail settings saved").await?;

    d.open("budgets").await?;
    d.choose("#budget-category", "").await?;
    d.choose("#budget-period", "monthly").await?;
    d.fill("#budget-amount", "50").await?;
    d.click("#budget-save").await?;
    d.wait_count(".budget-row", 1).await?;

    // 45 of 50: the 80 % alert; then 55 of 50: the overrun.
    add(d, "45", "Weekly shop").await?;
    d.open("dashboard").await?;
    d.wait_count("#alert-list .alert-item", 1).await?;
    add(d, "10", "Top-up").await?;
    d.open("dashboard").await?;
    d.wait_count("#alert-list .alert-item", 2).await?;
    d.wait_text("#alert-list .alert-item__body", "$55.00 of $50.00")
        .await?;
    d.wait_text("#alerts-unread", "2").await?;
    d.screenshot("dashboard-alerts-light").await;

    // The overrun's notification, on the bus.
    let overrun = "Overall: $55.00 of $50.00 spent in";
    d.eventually("the overrun's Notify call is on the bus", || async {
        let log = std::fs::read_to_string(notify_log).unwrap_or_default();
        Ok(log.contains(overrun) && log.contains("(110 %)") && log.contains("Budget alert"))
    })
    .await?;

    // Its e-mail, once.
    d.eventually("the overrun's e-mail reaches SendGrid", || async {
        Ok(sendgrid
            .mails()
            .iter()
            .any(|m| m.text.as_deref().is_some_and(|t| t.contains(overrun))))
    })
    .await?;
    let mails = sendgrid.mails();
    let overruns = mails
        .iter()
        .filter(|m| m.text.as_deref().is_some_and(|t| t.contains(overrun)))
        .count();
    if overruns != 1 || mails.len() != 2 {
        return Err(format!("expected one e-mail per alert, got {mails:?}"));
    }
    if mails
        .iter()
        .any(|m| m.to != ["lee@example.com"] || m.from != "alerts@example.com")
    {
        return Err(format!("wrong addresses: {mails:?}"));
    }

    // Marking read clears the badge.
    d.click("#alerts-mark-all").await?;
    d.eventually("the unread badge disappears", || async {
        Ok(d.count("#alerts-unread[hidden]").await? == 1)
    })
    .await?;

    // Last, as it breaks expense writes: a storage error's cause is in the log, and neither
    // the password nor the SendGrid key is.
    crate::logs::a_storage_error_is_logged(d, "outlay-alerts", &[PASSWORD, API_KEY]).await
}

async fn add(d: &Desktop, amount: &str, description: &str) -> Step {
    d.open("expenses").await?;
    let before = d.count(".expense-row").await?;
    d.click("#new-expense").await?;
    d.find("#expense-dialog[open]").await?;
    d.fill("#expense-amount", amount).await?;
    d.choose_label("#expense-category", "Groceries").await?;
    d.fill("#expense-description", description).await?;
    d.press_enter("#expense-description").await?;
    d.wait_count(".expense-row", before + 1).await
}
