//! SendGrid's v3 Mail Send API over reqwest: one request per mail, and what its answer means
//! for the outbox (sent, try again later, or never).

use super::key::ApiKey;
use super::message::Message;
use crate::error::{AppError, Result};
use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use uuid::Uuid;

/// SendGrid's public API.
pub const SENDGRID_URL: &str = "https://api.sendgrid.com";

/// Where and how patiently to talk to SendGrid.
#[derive(Clone, Debug)]
pub struct MailerConfig {
    /// Base URL without a trailing path: SendGrid's, or a fake one in tests.
    pub base_url: String,
    /// How long one request may take, connecting included.
    pub timeout: Duration,
}

impl Default for MailerConfig {
    fn default() -> Self {
        MailerConfig {
            base_url: SENDGRID_URL.to_owned(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// When the server asked us to come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryHint {
    /// `Retry-After: <seconds>`.
    After(Duration),
    /// `X-RateLimit-Reset: <unix seconds>`.
    At(DateTime<Utc>),
}

/// What one attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// SendGrid accepted the mail (202).
    Accepted,
    /// Worth trying again later: 429, 5xx, a timeout or a network failure.
    Retry {
        /// What went wrong, for the outbox list.
        reason: String,
        /// The server's own idea of when to come back, if it said.
        hint: Option<RetryHint>,
    },
    /// Will never succeed as it is (other 4xx): kept as failed, with the reason shown.
    Rejected {
        /// What SendGrid said, for the user.
        reason: String,
    },
}

/// Sends mail through SendGrid with one API key. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    client: reqwest::Client,
    endpoint: String,
    key: ApiKey,
    timeout: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("endpoint", &self.endpoint)
            .field("key", &self.key)
            .finish()
    }
}

impl Mailer {
    /// A mailer for `config.base_url` with `key`.
    pub fn new(config: &MailerConfig, key: ApiKey) -> Result<Mailer> {
        // reqwest is built without its default crypto (aws-lc); rustls uses ring, already in
        // the build for sqlx. Installing it twice (another mailer, the shell) is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("Outlay/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| {
                tracing::error!(cause = %crate::error::causes(&error), "no e-mail client");
                AppError::Internal("The e-mail client could not be set up.".into())
            })?;
        let base = config.base_url.trim().trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(AppError::invalid(
                "baseUrl",
                "The SendGrid address must start with https://.",
            ));
        }
        Ok(Mailer {
            client,
            endpoint: format!("{base}/v3/mail/send"),
            key,
            timeout: config.timeout,
        })
    }

    /// How long one request may take (the outbox leases a mail for longer than this).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `message` once. `id` travels along as a custom argument and in a stable
    /// `Message-ID`, so a copy sent twice (see the outbox's at-least-once window) carries the
    /// same identity: SendGrid's event data shows it, and mail clients such as Gmail fold
    /// copies with one Message-ID together.
    pub async fn send(&self, id: Uuid, message: &Message) -> Delivery {
        let domain = message
            .sender
            .rsplit_once('@')
            .map_or("outlay.invalid", |(_, d)| d);
        let body = json!({
            "personalizations": [{"to": [{"email": message.recipient}]}],
            "from": {"email": message.sender},
            "subject": message.subject,
            "content": [
                {"type": "text/plain", "value": message.text},
                {"type": "text/html", "value": message.html},
            ],
            "headers": {"Message-ID": format!("<outlay-{id}@{domain}>")},
            "custom_args": {"outlay_mail_id": id.to_string()},
        });
        let response = self
            .client
            .post(&self.endpoint)
            .bearer_auth(self.key.expose())
            .json(&body)
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(e) => {
                // Display of a reqwest error names the URL, never the headers: no key in here.
                tracing::warn!(%id, cause = %crate::error::causes(&e), "SendGrid was not reached");
                return unreached(&e);
            }
        };
        let status = response.status();
        let hint = retry_hint(response.headers());
        let text = response.text().await.unwrap_or_default();
        let delivery = classify(status, hint, &text, &self.key);
        // The reason is SendGrid's own words with the key taken out (see sendgrid_message).
        match &delivery {
            Delivery::Accepted => {}
            Delivery::Retry { reason, .. } => {
                tracing::warn!(%id, %status, %reason, "SendGrid will be asked again")
            }
            Delivery::Rejected { reason } => {
                tracing::warn!(%id, %status, %reason, "SendGrid refused an e-mail")
            }
        }
        delivery
    }
}

/// A request that got no answer: always worth another try.
fn unreached(e: &reqwest::Error) -> Delivery {
    let reason = if e.is_timeout() {
        "SendGrid did not answer in time."
    } else if e.is_connect() {
        "SendGrid could not be reached."
    } else {
        "The connection to SendGrid failed."
    };
    Delivery::Retry {
        reason: reason.into(),
        hint: None,
    }
}

/// `Retry-After` (seconds) wins over `X-RateLimit-Reset` (unix seconds); both are optional.
fn retry_hint(headers: &HeaderMap) -> Option<RetryHint> {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    if let Some(seconds) = number(RETRY_AFTER.as_str()) {
        return Some(RetryHint::After(Duration::from_secs(seconds)));
    }
    number("x-ratelimit-reset")
        .and_then(|unix| DateTime::from_timestamp(i64::try_from(unix).ok()?, 0))
        .map(RetryHint::At)
}

/// What an HTTP answer means for the mail.
fn classify(status: StatusCode, hint: Option<RetryHint>, body: &str, key: &ApiKey) -> Delivery {
    let said = sendgrid_message(body, key);
    let code = status.as_u16();
    match code {
        200..=299 => Delivery::Accepted,
        429 => Delivery::Retry {
            reason: "SendGrid's rate limit was reached (429).".into(),
            hint,
        },
        // 408 is the server giving up on a slow request: nothing was sent, try again.
        408 | 500..=599 => Delivery::Retry {
            reason: format!(
                "SendGrid had a problem ({code}){}",
                said.map_or(".".into(), |s| format!(": {s}"))
            ),
            hint,
        },
        401 => Delivery::Rejected {
            reason: "SendGrid refused the API key (401). Check the key in Settings.".into(),
        },
        403 => Delivery::Rejected {
            reason: format!(
                "SendGrid refused to send (403){}",
                said.map_or(
                    ". Check that the sender address is verified.".into(),
                    |s| format!(": {s}")
                )
            ),
        },
        413 => Delivery::Rejected {
            reason: "The e-mail is too large for SendGrid (413).".into(),
        },
        _ => Delivery::Rejected {
            reason: format!(
                "SendGrid refused the e-mail ({code}){}",
                said.map_or(".".into(), |s| format!(": {s}"))
            ),
        },
    }
}

/// The first `errors[].message` of a SendGrid error body, shortened, with the key removed
/// should a server ever echo it.
fn sendgrid_message(body: &str, key: &ApiKey) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let message = value["errors"][0]["message"].as_str()?.trim();
    if message.is_empty() {
        return None;
    }
    let mut message: String = message.chars().take(300).collect();
    if !key.expose().is_empty() {
        message = message.replace(key.expose(), "[redacted]");
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::parse("SG.secret").unwrap()
    }

    #[test]
    fn answers_are_classified() {
        let delivery = |code: u16| classify(StatusCode::from_u16(code).unwrap(), None, "", &key());
        assert_eq!(delivery(202), Delivery::Accepted);
        for code in [429, 500, 502, 503] {
            assert!(matches!(delivery(code), Delivery::Retry { .. }), "{code}");
        }
        for code in [400, 401, 403, 404, 413] {
            assert!(
                matches!(delivery(code), Delivery::Rejected { .. }),
                "{code}"
            );
        }
    }

    #[test]
    fn sendgrids_reason_is_kept_but_never_the_key() {
        let body = r#"{"errors":[{"message":"bad key SG.secret given","field":null}]}"#;
        let Delivery::Rejected { reason } = classify(StatusCode::BAD_REQUEST, None, body, &key())
        else {
            panic!("400 is permanent")
        };
        assert_eq!(
            reason,
            "SendGrid refused the e-mail (400): bad key [redacted] given"
        );
    }

    fn message() -> Message {
        Message {
            recipient: "lee@example.com".into(),
            sender: "alerts@example.com".into(),
            subject: "Budget alert".into(),
            text: "Over budget".into(),
            html: "<p>Over budget</p>".into(),
        }
    }

    #[tokio::test]
    async fn a_failed_request_is_logged_without_the_key() {
        let (_guard, log) = crate::test_log::capture();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = MailerConfig {
            base_url: format!("http://127.0.0.1:{port}"),
            timeout: Duration::from_secs(5),
        };
        let mailer = Mailer::new(&config, ApiKey::parse("SG.never-in-a-log").unwrap()).unwrap();
        let delivery = mailer.send(Uuid::now_v7(), &message()).await;

        assert!(matches!(delivery, Delivery::Retry { .. }), "{delivery:?}");
        let text = log.text();
        assert!(text.contains("SendGrid was not reached"), "{text}");
        assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
        assert!(!text.contains("never-in-a-log"), "{text}");
    }

    #[tokio::test]
    async fn a_refused_key_is_logged_without_the_key() {
        let (_guard, log) = crate::test_log::capture();
        let fake = fake_sendgrid::FakeSendGrid::start("SG.the-right-key")
            .await
            .unwrap();
        let config = MailerConfig {
            base_url: fake.url().to_owned(),
            timeout: Duration::from_secs(5),
        };
        let mailer = Mailer::new(&config, ApiKey::parse("SG.a-wrong-secret").unwrap()).unwrap();
        let delivery = mailer.send(Uuid::now_v7(), &message()).await;

        assert!(
            matches!(delivery, Delivery::Rejected { .. }),
            "{delivery:?}"
        );
        let text = log.text();
        assert!(text.contains("SendGrid refused an e-mail"), "{text}");
        assert!(text.contains("401"), "{text}");
        assert!(!text.contains("a-wrong-secret"), "{text}");
        assert!(!text.contains("the-right-key"), "{text}");
    }

    #[test]
    fn retry_after_wins_over_the_rate_limit_reset() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", "1795000000".parse().unwrap());
        assert_eq!(
            retry_hint(&headers),
            Some(RetryHint::At(
                DateTime::from_timestamp(1_795_000_000, 0).unwrap()
            ))
        );
        headers.insert("retry-after", "7".parse().unwrap());
        assert_eq!(
            retry_hint(&headers),
            Some(RetryHint::After(Duration::from_secs(7)))
        );
    }
}
