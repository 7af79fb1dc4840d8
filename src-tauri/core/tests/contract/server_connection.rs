//! PostgreSQL only: connection failures as the user will read them, schema versions, set-up
//! runs, and writes cut short.

use crate::harness::postgres::credentials;
use crate::harness::{input, Backend, TestApp};
use outlay_core::store::postgres::{initialise, PgConnectOptions, PgSslMode};
use outlay_core::{AppError, PostgresStore};
use sqlx::{Connection, Executor, PgConnection};

async fn app() -> Option<TestApp> {
    match Backend::Postgres.available() {
        true => Some(Backend::Postgres.app().await),
        false => None,
    }
}

fn signin(app: &TestApp) -> PgConnectOptions {
    app.postgres().unwrap().signin.clone()
}

async fn connect_error(options: PgConnectOptions) -> AppError {
    match PostgresStore::connect(options).await {
        Ok(_) => panic!("connected"),
        Err(error) => error,
    }
}

#[tokio::test]
async fn an_unreachable_server_says_so() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = PgConnectOptions::new()
        .host("127.0.0.1")
        .port(port)
        .username("nobody");
    let error = connect_error(options).await;
    assert!(matches!(error, AppError::ServerUnreachable), "{error:?}");
    assert_eq!(error.kind(), "serverUnreachable");
}

#[tokio::test]
async fn a_wrong_signin_password_is_refused_clearly() {
    let Some(app) = app().await else { return };
    let error = connect_error(signin(&app).password("not the password")).await;
    assert!(matches!(error, AppError::ServerRefused), "{error:?}");
}

#[tokio::test]
async fn a_tls_failure_says_so() {
    let Some(app) = app().await else { return };
    let mut admin = app.postgres().unwrap().admin().await;
    let ssl: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    if ssl == "on" {
        eprintln!("notice: the test server speaks TLS; cannot provoke a TLS failure");
        return;
    }
    let error = connect_error(signin(&app).ssl_mode(PgSslMode::Require)).await;
    assert!(matches!(error, AppError::Tls(_)), "{error:?}");
    assert_eq!(error.kind(), "tls");
}

#[tokio::test]
async fn a_newer_or_missing_schema_is_refused() {
    let Some(app) = app().await else { return };
    let db = app.postgres().unwrap();
    let mut admin = db.admin().await;
    admin
        .execute(
            r#"
            INSERT INTO public._sqlx_migrations
                (version, description, success, checksum, execution_time)
            VALUES (29991231000000, 'from the future', true, '\x00', 0)
            "#,
        )
        .await
        .unwrap();
    let error = connect_error(db.signin.clone()).await;
    assert!(
        matches!(
            error,
            AppError::SchemaTooNew {
                found: 29991231000000
            }
        ),
        "{error:?}"
    );
    // An older set-up tool refuses it too, rather than "migrating" it.
    let error = initialise(&db.owner, false).await.unwrap_err();
    assert!(matches!(error, AppError::SchemaTooNew { .. }), "{error:?}");

    admin
        .execute("DELETE FROM public._sqlx_migrations")
        .await
        .unwrap();
    let error = connect_error(db.signin.clone()).await;
    assert!(matches!(error, AppError::SchemaTooOld), "{error:?}");
    assert_eq!(error.kind(), "schemaTooOld");
}

#[tokio::test]
async fn setting_up_again_keeps_or_rotates_the_signin_password() {
    let Some(app) = app().await else { return };
    let db = app.postgres().unwrap();
    let again = initialise(&db.owner, false).await.unwrap();
    assert!(
        again.signin_password.is_none(),
        "the password is left alone"
    );
    PostgresStore::connect(db.signin.clone()).await.unwrap();

    let rotated = initialise(&db.owner, true).await.unwrap();
    let new_password = rotated.signin_password.expect("a new password");
    let error = connect_error(db.signin.clone()).await;
    assert!(matches!(error, AppError::ServerRefused), "{error:?}");
    PostgresStore::connect(db.signin.clone().password(&new_password))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_write_cut_short_commits_nothing() {
    let Some(app) = app().await else { return };
    let ann = app.user("ann@example.com").await;
    let category = app.category(&ann, "Groceries").await.id;
    let expense = app
        .outlay
        .add_expense(&ann, input("10", "2026-11-20", category))
        .await
        .unwrap()
        .value;
    // The second statement of the write fails (a duplicate tag): the first must not stay.
    let mut broken = expense.clone();
    broken.id = uuid::Uuid::now_v7();
    broken.tags = vec!["same".into(), "same".into()];
    assert!(ann
        .store()
        .expenses()
        .insert(&broken, broken.created_at)
        .await
        .is_err());
    assert!(ann
        .store()
        .expenses()
        .get(broken.id)
        .await
        .unwrap()
        .is_none());

    // A connection that dies inside a transaction leaves nothing behind either.
    let (role, key) = credentials(&app.outlay, "ann@example.com", "correct horse battery").await;
    let options = signin(&app).username(&role).password(&key);
    let mut raw = PgConnection::connect_with(&options).await.unwrap();
    raw.execute("BEGIN").await.unwrap();
    let sql = format!(
        "UPDATE outlay.expenses SET description = 'half-way' WHERE id = '{}'",
        expense.id
    );
    raw.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    drop(raw);
    let after = app.outlay.expense(&ann, expense.id).await.unwrap();
    assert_eq!(after.description, expense.description);
}

#[tokio::test]
async fn the_app_reconnects_after_the_server_drops_it() {
    let Some(app) = app().await else { return };
    let ann = app.user("ann@example.com").await;
    let db = app.postgres().unwrap();
    let mut admin = db.admin().await;
    let killed: Vec<bool> = sqlx::query_scalar(
        r#"
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
        "#,
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(!killed.is_empty());
    assert!(!app.outlay.categories(&ann).await.unwrap().is_empty());
    assert!(app
        .outlay
        .log_in("ann@example.com", "correct horse battery", false)
        .await
        .is_ok());
}

#[tokio::test]
async fn a_deleted_accounts_role_is_dropped_once_its_sessions_end() {
    let Some(app) = app().await else { return };
    let ann = app.user("ann@example.com").await;
    let (role, _) = credentials(&app.outlay, "ann@example.com", "correct horse battery").await;
    app.outlay
        .delete_account(&ann, "correct horse battery")
        .await
        .unwrap();
    let db = app.postgres().unwrap();
    let mut admin = db.admin().await;
    let can_log_in: bool =
        sqlx::query_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1")
            .bind(&role)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    assert!(!can_log_in, "no new sessions for a deleted account");
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1")
        .bind(&role)
        .execute(&mut admin)
        .await
        .unwrap();
    // Wait for the terminated backends to be gone from pg_stat_activity.
    for _ in 0..50 {
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1")
                .bind(&role)
                .fetch_one(&mut admin)
                .await
                .unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.reopen().await;
    let roles: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_roles WHERE rolname = $1")
        .bind(&role)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert_eq!(roles, 0);
}
