//! Alert e-mails against a fake SendGrid on loopback: delivery, retries with backoff,
//! permanent failures, a restart with mail pending, and no duplicates where they can be
//! avoided. Time is the test clock, moved by hand; nothing here measures the wall clock.

use crate::alerts::{add, budget, email_on};
use crate::harness::{Backend, TestApp};
use chrono::Duration as Span;
use fake_sendgrid::{FakeSendGrid, Reply};
use outlay_core::domain::PeriodKind;
use outlay_core::mail::{ApiKey, MailStatus, Mailer, MailerConfig, OutboxMail};
use outlay_core::{AppError, Outlay, Session};
use std::time::Duration;

const KEY: &str = "SG.test-key.very-secret";

fn mailer(fake: &FakeSendGrid, timeout: Duration) -> Mailer {
    let config = MailerConfig {
        base_url: fake.url().to_owned(),
        timeout,
    };
    Mailer::new(&config, ApiKey::parse(KEY).unwrap()).unwrap()
}

/// Ann with e-mail on and one alert mail queued (a $100 monthly budget overrun).
async fn one_mail_queued(app: &TestApp) -> Session {
    let ann = app.user("ann@example.com").await;
    email_on(app, &ann).await;
    budget(app, &ann, None, PeriodKind::Monthly, "100", Some(vec![100])).await;
    assert_eq!(add(app, &ann, "120", "2026-11-20", "Rent").await.1.len(), 1);
    ann
}

async fn the_mail(outlay: &Outlay, session: &Session) -> OutboxMail {
    let mut outbox = outlay.outbox(session, None).await.unwrap();
    assert_eq!(outbox.len(), 1);
    outbox.remove(0)
}

async fn a_queued_alert_is_delivered(backend: Backend) {
    let app = backend.app().await;
    let ann = one_mail_queued(&app).await;
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    let report = app
        .outlay
        .drain_outbox(&ann, &mailer(&fake, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!((report.sent, report.retrying, report.failed), (1, 0, 0));
    let mails = fake.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.to, ["ann@example.com"]);
    assert_eq!(mail.from, "alerts@example.com");
    assert_eq!(
        mail.subject,
        "Budget alert: Overall at 120 % in November 2026"
    );
    assert!(mail
        .text
        .as_deref()
        .unwrap()
        .starts_with("Overall: $120.00 of $100.00 spent in November (120 %)"));
    assert!(mail.html.as_deref().unwrap().contains("<td>$120.00</td>"));
    let stored = the_mail(&app.outlay, &ann).await;
    assert_eq!(mail.custom_args["outlay_mail_id"], stored.id.to_string());
    assert_eq!(
        mail.headers["Message-ID"],
        format!("<outlay-{}@example.com>", stored.id)
    );
    assert_eq!(stored.status, MailStatus::Sent);
    assert_eq!(stored.sent_at, Some(app.clock.now()));
    // Nothing is sent twice.
    app.clock.advance(Span::days(1));
    let again = app
        .outlay
        .drain_outbox(&ann, &mailer(&fake, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(fake.requests().len(), 1);
}

async fn temporary_failures_are_retried_with_backoff(backend: Backend) {
    let app = backend.app().await;
    let ann = one_mail_queued(&app).await;
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    let mailer = mailer(&fake, Duration::from_secs(10));
    let reset = app.clock.now() + Span::minutes(30);
    fake.script([
        Reply::ServerError,
        Reply::TooManyRequests {
            retry_after: Some(600),
            rate_limit_reset: None,
        },
        Reply::TooManyRequests {
            retry_after: None,
            rate_limit_reset: Some(reset.timestamp() as u64),
        },
    ]);
    let drain = || app.outlay.drain_outbox(&ann, &mailer);

    // 500: back off 15–30 s (first attempt), and not a moment before.
    let first = drain().await.unwrap();
    assert_eq!(first.retrying, 1);
    let mail = the_mail(&app.outlay, &ann).await;
    assert_eq!((mail.status, mail.attempts), (MailStatus::Pending, 1));
    assert!(mail.last_error.as_deref().unwrap().contains("(500)"));
    let wait = mail.next_attempt_at - app.clock.now();
    assert!(
        wait >= Span::seconds(15) && wait <= Span::seconds(30),
        "{wait}"
    );
    assert_eq!(drain().await.unwrap().retrying, 0, "not due yet");
    assert_eq!(fake.requests().len(), 1);

    // 429 with Retry-After: 600 s wins over the backoff.
    app.clock.advance(wait);
    assert_eq!(drain().await.unwrap().retrying, 1);
    let mail = the_mail(&app.outlay, &ann).await;
    assert_eq!(mail.next_attempt_at, app.clock.now() + Span::seconds(600));
    assert!(mail.last_error.as_deref().unwrap().contains("rate limit"));

    // 429 with X-RateLimit-Reset: not before that instant.
    app.clock.advance(Span::seconds(600));
    assert_eq!(drain().await.unwrap().retrying, 1);
    let mail = the_mail(&app.outlay, &ann).await;
    assert_eq!(mail.next_attempt_at, reset);

    app.clock.advance(reset - app.clock.now());
    let last = drain().await.unwrap();
    assert_eq!((last.sent, last.retrying), (1, 0));
    let mail = the_mail(&app.outlay, &ann).await;
    assert_eq!((mail.status, mail.attempts), (MailStatus::Sent, 4));
    assert_eq!(fake.requests().len(), 4);
    assert_eq!(fake.mails().len(), 1);
}

async fn permanent_failures_are_kept_with_the_reason(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    email_on(&app, &ann).await;
    budget(
        &app,
        &ann,
        None,
        PeriodKind::Monthly,
        "100",
        Some(vec![10, 20, 30]),
    )
    .await;
    assert_eq!(add(&app, &ann, "35", "2026-11-20", "Rent").await.1.len(), 3);
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    fake.script([
        Reply::BadRequest,
        Reply::Unauthorized,
        Reply::PayloadTooLarge,
    ]);
    let mailer = mailer(&fake, Duration::from_secs(10));
    let report = app.outlay.drain_outbox(&ann, &mailer).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 3));
    let failed = app.outlay.failed_mails(&ann).await.unwrap();
    let mut reasons: Vec<String> = failed.iter().filter_map(|m| m.last_error.clone()).collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "SendGrid refused the API key (401). Check the key in Settings.",
            "SendGrid refused the e-mail (400): \
             The from address does not match a verified Sender Identity.",
            "The e-mail is too large for SendGrid (413).",
        ]
    );
    assert!(reasons.iter().all(|r| !r.contains(KEY)));
    // Never retried by itself…
    app.clock.advance(Span::days(2));
    assert_eq!(
        app.outlay.drain_outbox(&ann, &mailer).await.unwrap().sent,
        0
    );
    assert_eq!(fake.requests().len(), 3);
    // …only when the user asks.
    app.outlay.retry_mail(&ann, failed[0].id).await.unwrap();
    assert!(matches!(
        app.outlay.retry_mail(&ann, failed[0].id).await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(
        app.outlay.drain_outbox(&ann, &mailer).await.unwrap().sent,
        1
    );
    assert_eq!(app.outlay.failed_mails(&ann).await.unwrap().len(), 2);
}

async fn pending_mail_goes_out_after_a_restart(backend: Backend) {
    let app = backend.app().await;
    let ann = one_mail_queued(&app).await;
    drop(ann);
    let outlay = app.reopen().await;
    let ann = outlay
        .log_in("ann@example.com", "correct horse battery", false)
        .await
        .unwrap()
        .session;
    assert_eq!(the_mail(&outlay, &ann).await.status, MailStatus::Pending);
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    let report = outlay
        .drain_outbox(&ann, &mailer(&fake, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(fake.mails().len(), 1);
}

async fn a_timed_out_send_is_retried_with_the_same_identity(backend: Backend) {
    let app = backend.app().await;
    let ann = one_mail_queued(&app).await;
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    fake.script([Reply::Hang]);
    let mailer = mailer(&fake, Duration::from_millis(300));
    let first = app.outlay.drain_outbox(&ann, &mailer).await.unwrap();
    assert_eq!(first.retrying, 1);
    let mail = the_mail(&app.outlay, &ann).await;
    assert_eq!(
        mail.last_error.as_deref(),
        Some("SendGrid did not answer in time.")
    );
    app.clock.advance(mail.next_attempt_at - app.clock.now());
    assert_eq!(
        app.outlay.drain_outbox(&ann, &mailer).await.unwrap().sent,
        1
    );
    // SendGrid cannot tell us whether the first copy went out; both carry the same identity
    // so the copies fold together (see the outbox module).
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].status, None, "the first one was never answered");
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.body["custom_args"]["outlay_mail_id"].clone())
        .collect();
    assert_eq!(ids[0], ids[1]);
    assert_eq!(ids[0], mail.id.to_string());
    assert_eq!(fake.mails().len(), 1);
}

async fn a_mail_in_flight_is_not_sent_by_a_second_device(backend: Backend) {
    let app = backend.app().await;
    let ann = one_mail_queued(&app).await;
    let second = app.reopen().await;
    second
        .log_in("ann@example.com", "correct horse battery", false)
        .await
        .unwrap();
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    fake.script([Reply::Hang]);
    let slow = mailer(&fake, Duration::from_secs(3));
    let first = {
        let (outlay, ann, slow) = (app.outlay.clone(), ann.clone(), slow.clone());
        tokio::spawn(async move { outlay.drain_outbox(&ann, &slow).await })
    };
    // Wait (boundedly) until the first device's request is at the fake.
    for _ in 0..200 {
        if !fake.requests().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(fake.requests().len(), 1);
    let meanwhile = second
        .drain_outbox(&ann, &mailer(&fake, Duration::from_secs(10)))
        .await
        .unwrap();
    assert_eq!(
        meanwhile.sent + meanwhile.retrying,
        0,
        "the mail is claimed"
    );
    assert_eq!(
        fake.requests().len(),
        1,
        "no second copy while the first is in flight"
    );
    assert_eq!(first.await.unwrap().unwrap().retrying, 1);
}

async fn a_lapsed_claim_is_sent_after_its_lease(backend: Backend) {
    let app = backend.app().await;
    let ann = one_mail_queued(&app).await;
    // A sender claimed the mail and died before it could send it or say so.
    let now = app.clock.now();
    let claimed = ann
        .store()
        .outbox()
        .claim(now, now + Span::minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((claimed.status, claimed.attempts), (MailStatus::Sending, 1));
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    let mailer = mailer(&fake, Duration::from_secs(10));
    assert_eq!(
        app.outlay.drain_outbox(&ann, &mailer).await.unwrap().sent,
        0
    );
    app.clock.advance(Span::minutes(5));
    assert_eq!(
        app.outlay.drain_outbox(&ann, &mailer).await.unwrap().sent,
        1
    );
    // The dead sender's late word changes nothing: its claim is gone.
    let late = outlay_core::mail::MailOutcome::Failed("late".into());
    assert!(!ann
        .store()
        .outbox()
        .finish(claimed.id, claimed.attempts, &late)
        .await
        .unwrap());
    assert_eq!(the_mail(&app.outlay, &ann).await.status, MailStatus::Sent);
}

async fn the_test_email_says_what_happened(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    let mailer = mailer(&fake, Duration::from_millis(300));
    let error = app.outlay.send_test_email(&ann, &mailer).await.unwrap_err();
    assert_eq!(error.field(), Some("recipient"));
    email_on(&app, &ann).await;
    app.outlay.send_test_email(&ann, &mailer).await.unwrap();
    assert_eq!(fake.mails()[0].subject, "Outlay test e-mail");
    fake.script([Reply::Unauthorized, Reply::Hang]);
    for expected in [
        "SendGrid refused the API key (401). Check the key in Settings.",
        "SendGrid did not answer in time. Try again in a little while.",
    ] {
        let error = app.outlay.send_test_email(&ann, &mailer).await.unwrap_err();
        assert_eq!(error.kind(), "mail");
        assert_eq!(error.to_string(), expected);
    }
    // A wrong key is SendGrid's 401, and the key shows up nowhere.
    let wrong = Mailer::new(
        &MailerConfig {
            base_url: fake.url().into(),
            timeout: Duration::from_secs(10),
        },
        ApiKey::parse("SG.wrong").unwrap(),
    )
    .unwrap();
    let error = app.outlay.send_test_email(&ann, &wrong).await.unwrap_err();
    assert!(error.to_string().contains("(401)"));
    assert!(!format!("{error:?} {wrong:?}").contains("SG.wrong"));
}

async fn the_background_loop_sends_when_mail_is_queued(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    email_on(&app, &ann).await;
    budget(
        &app,
        &ann,
        None,
        PeriodKind::Monthly,
        "100",
        Some(vec![100]),
    )
    .await;
    let fake = FakeSendGrid::start(KEY).await.unwrap();
    let running = {
        let (outlay, ann, mailer) = (
            app.outlay.clone(),
            ann.clone(),
            mailer(&fake, Duration::from_secs(10)),
        );
        tokio::spawn(async move { outlay.run_outbox(ann, mailer).await })
    };
    add(&app, &ann, "150", "2026-11-20", "Rent").await;
    for _ in 0..500 {
        if !fake.mails().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.abort();
    assert_eq!(fake.mails().len(), 1, "woken by the write, not by a timer");
}

contract_tests!(
    a_queued_alert_is_delivered,
    temporary_failures_are_retried_with_backoff,
    permanent_failures_are_kept_with_the_reason,
    pending_mail_goes_out_after_a_restart,
    a_timed_out_send_is_retried_with_the_same_identity,
    a_mail_in_flight_is_not_sent_by_a_second_device,
    a_lapsed_claim_is_sent_after_its_lease,
    the_test_email_says_what_happened,
    the_background_loop_sends_when_mail_is_queued,
);
