//! The e-mail outbox: alert mails queued in the same transaction as the write that fired the
//! alert, and sent in the background, so a mail survives a crash or a restart and goes out
//! afterwards.
//!
//! Delivery is at least once, and duplicates are avoided where they can be:
//! - A mail is *claimed* before it is sent — one statement moves it to `sending`, counts the
//!   attempt and leases it for longer than a request may take — so two loops (two windows,
//!   two devices on one server) never send the same mail at the same time.
//! - The result is recorded only while the claim still holds (same attempt number), so a
//!   sender whose lease ran out cannot overwrite a newer attempt.
//! - A mail that SendGrid accepted is marked `sent` right after the 202.
//!
//! What remains: if SendGrid accepted the mail but we never learnt it — the answer timed out,
//! or the app died between the 202 and marking it sent — the mail is sent again once its
//! retry time or lease has passed. SendGrid has no idempotency key to stop that; each copy
//! carries the same `Message-ID` and `outlay_mail_id`, so mail clients fold the copies together
//! and they can be told apart in SendGrid's activity.

use super::message::Message;
use super::sendgrid::{Delivery, Mailer, RetryHint};
use super::settings::EmailSettings;
use crate::alerts::Alert;
use crate::auth::Session;
use crate::error::{AppError, Result};
use crate::Outlay;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

/// Attempts before a mail that keeps failing temporarily is given up (about three hours).
pub const MAX_ATTEMPTS: u32 = 10;
/// The wait after the first failure; it doubles per attempt up to [`MAX_RETRY_WAIT`].
const FIRST_RETRY_WAIT: Duration = Duration::from_secs(30);
const MAX_RETRY_WAIT: Duration = Duration::from_secs(3600);
/// A server asking for more than a day is not taken at its word.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(24 * 3600);
/// A claimed mail is left alone for the request timeout plus this.
const LEASE_MARGIN: Duration = Duration::from_secs(60);
/// Mails sent per pass at most, so one pass cannot run for ever.
const BATCH: usize = 50;
/// How long the background loop sleeps when nothing is due (it also wakes when mail is queued).
const IDLE: Duration = Duration::from_secs(300);
/// How long the loop waits after the database failed it.
const AFTER_STORAGE_ERROR: Duration = Duration::from_secs(30);
/// Most mails one listing returns.
const MAX_LISTED: u32 = 200;

/// Where a mail stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum MailStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// Claimed by a sender (until `next_attempt_at`, when the claim lapses).
    Sending,
    /// Accepted by SendGrid.
    Sent,
    /// Refused for good, or given up after [`MAX_ATTEMPTS`]; `last_error` says why.
    Failed,
}

impl MailStatus {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "pending" => Ok(MailStatus::Pending),
            "sending" => Ok(MailStatus::Sending),
            "sent" => Ok(MailStatus::Sent),
            "failed" => Ok(MailStatus::Failed),
            _ => Err(AppError::Internal(format!("Unknown mail status {text:?}."))),
        }
    }
}

/// One mail in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OutboxMail {
    /// UUIDv7; also its identity at SendGrid (`outlay_mail_id`, `Message-ID`).
    pub id: Uuid,
    /// The alert it tells about.
    pub alert_id: Option<Uuid>,
    /// What is sent.
    pub message: Message,
    /// Where it stands.
    pub status: MailStatus,
    /// Attempts so far.
    pub attempts: u32,
    /// Pending: not before this. Sending: the claim lapses at this.
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When SendGrid accepted it.
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxMail {
    /// The mail telling about `alert`, due at once.
    pub fn for_alert(alert: &Alert, settings: &EmailSettings, now: DateTime<Utc>) -> Result<Self> {
        Ok(OutboxMail {
            id: Uuid::now_v7(),
            alert_id: Some(alert.id),
            message: Message::for_alert(alert, settings)?,
            status: MailStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            sent_at: None,
        })
    }
}

/// How an attempt ended, as the store records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailOutcome {
    /// Accepted at this instant.
    Sent(DateTime<Utc>),
    /// Back to pending until this instant.
    RetryAt(DateTime<Utc>, String),
    /// Failed for good.
    Failed(String),
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainReport {
    /// Accepted by SendGrid.
    pub sent: u32,
    /// Failed for now; tried again later.
    pub retrying: u32,
    /// Failed for good.
    pub failed: u32,
    /// The pass stopped early because SendGrid is unhappy (rate limit, outage, network):
    /// nothing more is sent before this.
    pub paused_until: Option<DateTime<Utc>>,
}

/// When to try again after attempt number `attempt` failed: exponential backoff with jitter,
/// and never sooner than the server asked.
fn next_attempt(attempt: u32, hint: Option<RetryHint>, now: DateTime<Utc>) -> DateTime<Utc> {
    let doublings = attempt.saturating_sub(1).min(16);
    let wait = FIRST_RETRY_WAIT
        .saturating_mul(1 << doublings)
        .min(MAX_RETRY_WAIT);
    // "Equal jitter": half fixed, half random, so many devices retrying do not march in step.
    let half = wait / 2;
    let jitter = half.mul_f64(random_fraction());
    let mut at = now + to_chrono(half + jitter);
    let asked = match hint {
        Some(RetryHint::After(wait)) => Some(now + to_chrono(wait.min(MAX_SERVER_WAIT))),
        Some(RetryHint::At(reset)) => Some(reset.min(now + to_chrono(MAX_SERVER_WAIT))),
        None => None,
    };
    if let Some(asked) = asked {
        at = at.max(asked);
    }
    at
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// A uniformly random number in [0, 1).
fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    // Without randomness the wait is simply not jittered.
    if getrandom::fill(&mut bytes).is_err() {
        return 0.0;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

impl Outlay {
    /// Sends the user's due mail once each (up to 50), oldest due first. Stops early when
    /// SendGrid asks to slow down or cannot be reached. See the module docs for what "once"
    /// can and cannot promise.
    pub async fn drain_outbox(&self, session: &Session, mailer: &Mailer) -> Result<DrainReport> {
        let mut report = DrainReport::default();
        let lease = to_chrono(mailer.timeout() + LEASE_MARGIN);
        for _ in 0..BATCH {
            let now = self.clock.now();
            let Some(mail) = session.store().outbox().claim(now, now + lease).await? else {
                break;
            };
            // A mail whose claims kept lapsing (the app died mid-send, again and again).
            if mail.attempts > MAX_ATTEMPTS {
                let reason = format!("Gave up after {MAX_ATTEMPTS} attempts.");
                session
                    .store()
                    .outbox()
                    .finish(mail.id, mail.attempts, &MailOutcome::Failed(reason))
                    .await?;
                report.failed += 1;
                continue;
            }
            let delivery = mailer.send(mail.id, &mail.message).await;
            let now = self.clock.now();
            let outcome = match delivery {
                Delivery::Accepted => {
                    report.sent += 1;
                    MailOutcome::Sent(now)
                }
                Delivery::Rejected { reason } => {
                    report.failed += 1;
                    MailOutcome::Failed(reason)
                }
                Delivery::Retry { reason, .. } if mail.attempts >= MAX_ATTEMPTS => {
                    report.failed += 1;
                    MailOutcome::Failed(format!(
                        "Gave up after {MAX_ATTEMPTS} attempts. The last one: {reason}"
                    ))
                }
                Delivery::Retry { reason, hint } => {
                    report.retrying += 1;
                    let at = next_attempt(mail.attempts, hint, now);
                    report.paused_until = Some(at);
                    MailOutcome::RetryAt(at, reason)
                }
            };
            session
                .store()
                .outbox()
                .finish(mail.id, mail.attempts, &outcome)
                .await?;
            if report.paused_until.is_some() {
                break;
            }
        }
        Ok(report)
    }

    /// Sends the user's mail in the background for as long as the future runs: drains the
    /// outbox, then sleeps until the next mail is due or a write queues one. The shell spawns
    /// it on tokio for the signed-in user (with their key) and aborts it on sign-out or when
    /// the key changes. Mail left pending at exit goes out on the next run.
    pub async fn run_outbox(&self, session: Session, mailer: Mailer) {
        let mut queued = self.mail_wakeup.subscribe();
        loop {
            let report = self.drain_outbox(&session, &mailer).await;
            let now = self.clock.now();
            let wait = match (&report, session.store().outbox().next_due().await) {
                (Err(_), _) | (_, Err(_)) => AFTER_STORAGE_ERROR,
                (Ok(report), Ok(next)) => {
                    let due = match (next, report.paused_until) {
                        (Some(next), Some(paused)) => Some(next.max(paused)),
                        (next, paused) => next.or(paused),
                    };
                    due.map_or(IDLE, |at| (at - now).to_std().unwrap_or_default().min(IDLE))
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = queued.changed() => {}
            }
        }
    }

    /// The user's mails, newest first (up to 200), optionally only those with `status`.
    pub async fn outbox(
        &self,
        session: &Session,
        status: Option<MailStatus>,
    ) -> Result<Vec<OutboxMail>> {
        session.store().outbox().list(status, MAX_LISTED).await
    }

    /// Mails that failed for good, newest first, each with the reason.
    pub async fn failed_mails(&self, session: &Session) -> Result<Vec<OutboxMail>> {
        self.outbox(session, Some(MailStatus::Failed)).await
    }

    /// Puts a failed mail back in the queue, due now, with a fresh set of attempts.
    pub async fn retry_mail(&self, session: &Session, id: Uuid) -> Result<()> {
        if !session.store().outbox().retry(id, self.clock.now()).await? {
            return Err(AppError::NotFound("Failed e-mail"));
        }
        self.mail_wakeup.send_modify(|n| *n = n.wrapping_add(1));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-25T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for (attempt, low, high) in [
            (1, 15, 30),
            (2, 30, 60),
            (3, 60, 120),
            (9, 1800, 3600),
            (30, 1800, 3600),
        ] {
            let wait = (next_attempt(attempt, None, now()) - now()).num_seconds();
            assert!((low..=high).contains(&wait), "attempt {attempt}: {wait}s");
        }
    }

    #[test]
    fn the_servers_wait_is_honoured_but_bounded() {
        let after = next_attempt(1, Some(RetryHint::After(Duration::from_secs(600))), now());
        assert_eq!((after - now()).num_seconds(), 600);
        let reset = now() + chrono::Duration::minutes(20);
        assert_eq!(next_attempt(1, Some(RetryHint::At(reset)), now()), reset);
        let past = now() - chrono::Duration::minutes(20);
        assert!(next_attempt(1, Some(RetryHint::At(past)), now()) > now());
        let absurd = next_attempt(
            1,
            Some(RetryHint::After(Duration::from_secs(u64::MAX / 4))),
            now(),
        );
        assert_eq!((absurd - now()).num_hours(), 24);
    }
}
