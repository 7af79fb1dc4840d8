//! End to end: the real Outlay binary in a real WebKit window under Xvfb, driven through
//! tauri-driver and WebKitWebDriver as a new user would drive it.
//!
//! One journey per test function: each starts its own display, bus, driver and app on an
//! empty data dir, so the tests share nothing.

#![allow(
    clippy::unwrap_used,
    reason = "test code, helpers too: a failed unwrap is a failed test, naming the error"
)]

mod alerts;
mod harness;
mod journey;
mod logs;
mod long_list;
mod quick_add;
mod reports;
mod server;
mod statements;
mod steps;

use harness::{tools_present, Desktop};
use std::time::Duration;

/// One desktop at a time: four WebKit instances at once overload a 2-core machine until a
/// page hangs ("session deleted because of page crash or hang").
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Far more than the journey needs (about a minute), far less than CI allows.
const JOURNEY_LIMIT: Duration = Duration::from_secs(300);

#[tokio::test(flavor = "multi_thread")]
async fn a_new_user_tracks_spending_against_a_budget() {
    let _turn = ONE_AT_A_TIME.lock().await;
    if !tools_present() {
        return;
    }
    let mut desktop = Desktop::start().await;
    // A WebDriver call that never answers must fail the run, not hang CI.
    let outcome = tokio::time::timeout(JOURNEY_LIMIT, journey::new_user(&mut desktop))
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "the journey did not finish within {JOURNEY_LIMIT:?}"
            ))
        });
    // Screenshot the moment of failure before the app goes away.
    if outcome.is_err() {
        desktop.screenshot("failure").await;
    }
    desktop.stop().await;
    outcome.unwrap();
}

/// PostgreSQL comes from `DATABASE_URL` (`cargo xtask test` starts one); without it the test
/// is skipped locally and fails where PostgreSQL is required.
#[tokio::test(flavor = "multi_thread")]
async fn a_user_moves_their_data_to_a_server() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(url) = std::env::var("DATABASE_URL").ok() else {
        assert!(
            std::env::var_os("OUTLAY_REQUIRE_POSTGRES").is_none(),
            "DATABASE_URL is required here"
        );
        eprintln!("SKIPPED: DATABASE_URL is not set");
        return;
    };
    if !tools_present() {
        return;
    }
    let server = server::TestServer::create(&url).await;
    let mut desktop = Desktop::start().await;
    let outcome = tokio::time::timeout(
        JOURNEY_LIMIT,
        server::moves_to_a_server(&mut desktop, &server),
    )
    .await
    .unwrap_or_else(|_| Err(format!("the move did not finish within {JOURNEY_LIMIT:?}")));
    if outcome.is_err() {
        desktop.screenshot("failure-server").await;
    }
    desktop.stop().await;
    server.remove().await;
    outcome.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn quick_add_and_the_assistant() {
    let _turn = ONE_AT_A_TIME.lock().await;
    if !tools_present() {
        return;
    }
    let desktop = Desktop::start().await;
    let outcome = tokio::time::timeout(JOURNEY_LIMIT, quick_add::quick_add_and_ask(&desktop))
        .await
        .unwrap_or_else(|_| Err(format!("quick add did not finish within {JOURNEY_LIMIT:?}")));
    if outcome.is_err() {
        desktop.screenshot("failure-quick-add").await;
    }
    desktop.stop().await;
    outcome.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_budget_overrun_notifies_and_emails_once() {
    let _turn = ONE_AT_A_TIME.lock().await;
    if !tools_present() {
        return;
    }
    let sendgrid = fake_sendgrid::FakeSendGrid::start(alerts::API_KEY)
        .await
        .expect("the fake SendGrid listens");
    let mut desktop = Desktop::start_with(&[("OUTLAY_SENDGRID_URL", sendgrid.url())]).await;
    let notify_log = desktop.watch_notifications();
    let outcome = tokio::time::timeout(
        JOURNEY_LIMIT,
        alerts::overrun_raises_everything(&desktop, &sendgrid, &notify_log),
    )
    .await
    .unwrap_or_else(|_| {
        Err(format!(
            "the overrun did not finish within {JOURNEY_LIMIT:?}"
        ))
    });
    if outcome.is_err() {
        desktop.screenshot("failure-alerts").await;
    }
    // Kept for the record: what the bus carried and what SendGrid received.
    let record = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
    let _ = std::fs::copy(&notify_log, record.join("notifications.log"));
    let _ = std::fs::write(
        record.join("sendgrid-mails.json"),
        serde_json::to_string_pretty(&sendgrid.mails()).unwrap_or_default(),
    );
    desktop.stop().await;
    outcome.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_and_csv_import_and_export() {
    let _turn = ONE_AT_A_TIME.lock().await;
    if !tools_present() {
        return;
    }
    // The app's Downloads folder, as the desktop names it: XDG_DOWNLOAD_DIR in
    // $XDG_CONFIG_HOME/user-dirs.dirs. A temp dir, so the export lands nowhere real.
    let home = tempfile::tempdir().unwrap();
    let downloads = home.path().join("Downloads");
    std::fs::write(
        home.path().join("user-dirs.dirs"),
        format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
    )
    .unwrap();
    let config = home.path().to_string_lossy().into_owned();
    let desktop = Desktop::start_with(&[("XDG_CONFIG_HOME", &config)]).await;
    let outcome = tokio::time::timeout(
        JOURNEY_LIMIT,
        reports::report_import_export(&desktop, &downloads),
    )
    .await
    .unwrap_or_else(|_| Err(format!("reports did not finish within {JOURNEY_LIMIT:?}")));
    if outcome.is_err() {
        desktop.screenshot("failure-reports").await;
    }
    desktop.stop().await;
    outcome.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_list_jumps_where_the_user_goes() {
    let _turn = ONE_AT_A_TIME.lock().await;
    if !tools_present() {
        return;
    }
    let desktop = Desktop::start().await;
    let outcome = tokio::time::timeout(
        JOURNEY_LIMIT,
        long_list::jumps_through_a_long_list(&desktop),
    )
    .await
    .unwrap_or_else(|_| {
        Err(format!(
            "the long list did not finish within {JOURNEY_LIMIT:?}"
        ))
    });
    if outcome.is_err() {
        desktop.screenshot("failure-long-list").await;
    }
    desktop.stop().await;
    outcome.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn bank_statements_are_reviewed_and_the_next_imports_in_one_click() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(first) = statements::ing_statement() else {
        eprintln!("SKIPPED: ../shared/bank-csv/ing-de.csv is not here (set OUTLAY_BANK_CSV_DIR)");
        return;
    };
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let next = statements::write_next_statement(&first, dir.path());
    let picks = std::env::join_paths([&first, &next]).unwrap();
    let desktop = Desktop::start_with(&[(statements::PICK_FILES, picks.to_str().unwrap())]).await;
    let outcome = tokio::time::timeout(
        JOURNEY_LIMIT,
        statements::review_rule_and_one_click(&desktop),
    )
    .await
    .unwrap_or_else(|_| {
        Err(format!(
            "the statements did not finish within {JOURNEY_LIMIT:?}"
        ))
    });
    if outcome.is_err() {
        desktop.screenshot("failure-statements").await;
    }
    desktop.stop().await;
    outcome.unwrap();
}
