//! A fake SendGrid v3 Mail Send API on loopback, for tests.
//!
//! It checks what the real service checks first — the path, the `Authorization: Bearer <key>`
//! header and the JSON body against SendGrid's documented schema — records every request and
//! the mails it accepted, and answers what the test scripted: 202 (the default), 400, 401,
//! 413, 429 (with `Retry-After` / `X-RateLimit-Reset`), 500, or no answer at all.
//!
//! In-process (Rust tests):
//! ```no_run
//! # async fn demo() {
//! use fake_sendgrid::{FakeSendGrid, Reply};
//! let fake = FakeSendGrid::start("SG.test-key").await.unwrap();
//! fake.script([Reply::TooManyRequests { retry_after: Some(3), rate_limit_reset: None }]);
//! // … point the mailer at fake.url() …
//! assert!(fake.mails().is_empty());
//! # }
//! ```
//! As a process (end-to-end tests), see `src/main.rs`: it prints its URL on the first line and
//! serves the same state over `/_fake/…` endpoints.

mod check;
mod server;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the fake answers a well-formed, authorised request with. Scripted replies are used in
/// order, one per request; when none is left the fake accepts (202).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "camelCase")]
pub enum Reply {
    /// 202 Accepted: the mail is recorded.
    Accept,
    /// 400 Bad Request with a SendGrid-style error body.
    BadRequest,
    /// 401 Unauthorized, as for a revoked key.
    Unauthorized,
    /// 413 Payload Too Large.
    PayloadTooLarge,
    /// 429 Too Many Requests, optionally with `Retry-After` (seconds) and
    /// `X-RateLimit-Reset` (unix seconds).
    #[serde(rename_all = "camelCase")]
    TooManyRequests {
        /// The `Retry-After` header, in seconds.
        retry_after: Option<u64>,
        /// The `X-RateLimit-Reset` header, in unix seconds.
        rate_limit_reset: Option<u64>,
    },
    /// 500 Internal Server Error.
    ServerError,
    /// Reads the whole request, then never answers (the client's timeout decides).
    Hang,
}

/// A mail the fake accepted (answered 202).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mail {
    /// Every `to` address of every personalization.
    pub to: Vec<String>,
    /// `from.email`.
    pub from: String,
    /// The subject (top-level, or the first personalization's).
    pub subject: String,
    /// The `text/plain` content, if any.
    pub text: Option<String>,
    /// The `text/html` content, if any.
    pub html: Option<String>,
    /// Top-level `custom_args`.
    pub custom_args: BTreeMap<String, String>,
    /// Top-level `headers`.
    pub headers: BTreeMap<String, String>,
}

/// One request to `/v3/mail/send`, whatever was answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// The status answered; `None` when the fake hung.
    pub status: Option<u16>,
    /// The body as sent (`null` when it was not JSON).
    pub body: serde_json::Value,
}

/// The recorded requests, accepted mails and the script, shared with the serving task.
#[derive(Default)]
struct State {
    key: String,
    script: VecDeque<Reply>,
    requests: Vec<Request>,
    mails: Vec<Mail>,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<State>>);

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not hide what the fake recorded.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake on `127.0.0.1`; stops when dropped.
pub struct FakeSendGrid {
    url: String,
    shared: Shared,
    task: JoinHandle<()>,
}

impl FakeSendGrid {
    /// Starts on a free loopback port, accepting only `Authorization: Bearer <api_key>`.
    pub async fn start(api_key: &str) -> std::io::Result<FakeSendGrid> {
        FakeSendGrid::start_on(api_key, 0).await
    }

    /// Starts on `port` of 127.0.0.1 (0 picks a free one).
    pub async fn start_on(api_key: &str, port: u16) -> std::io::Result<FakeSendGrid> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Shared::default();
        shared.lock().key = api_key.to_owned();
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(FakeSendGrid { url, shared, task })
    }

    /// The base URL to configure the mailer with, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Appends replies for the next requests, in order.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().script.extend(replies);
    }

    /// The mails accepted so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        self.shared.lock().mails.clone()
    }

    /// Every request to the mail-send endpoint so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().requests.clone()
    }

    /// Forgets recorded requests, mails and any script left.
    pub fn reset(&self) {
        let mut state = self.shared.lock();
        state.script.clear();
        state.requests.clear();
        state.mails.clear();
    }
}

impl Drop for FakeSendGrid {
    fn drop(&mut self) {
        self.task.abort();
    }
}
