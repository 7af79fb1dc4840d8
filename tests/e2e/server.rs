//! Moving to an Outlay server: a user with a local profile uploads it from the settings,
//! keeps working on the server after a restart (the server password comes from the
//! keychain), and can go back to the local file.

use crate::harness::Desktop;
use crate::steps::Step;
use outlay_core::store::postgres::{initialise, PgConnectOptions};
use sqlx::{Connection, PgConnection};
use std::str::FromStr;

const EMAIL: &str = "sam@example.com";
const PASSWORD: &str = "correct horse battery";

/// A database set up as an administrator would (`outlay-cli db init` as a non-superuser
/// owner), dropped with its roles by [`TestServer::remove`].
pub struct TestServer {
    admin: PgConnectOptions,
    name: String,
    oid: u32,
    pub host: String,
    pub port: u16,
    pub signin_role: String,
    pub signin_password: String,
}

impl TestServer {
    pub async fn create(admin_url: &str) -> TestServer {
        let admin = PgConnectOptions::from_str(admin_url).expect("DATABASE_URL is a postgres URL");
        let mut conn = PgConnection::connect_with(&admin)
            .await
            .expect("PostgreSQL answers");
        let name = format!("outlay_e2e_{}", uuid::Uuid::now_v7().simple());
        let password = uuid::Uuid::now_v7().simple().to_string();
        for sql in [
            format!("CREATE ROLE {name} LOGIN CREATEROLE PASSWORD '{password}'"),
            format!("CREATE DATABASE {name} OWNER {name}"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        let oid: i64 = sqlx::query_scalar("SELECT oid::bigint FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let owner = admin
            .clone()
            .username(&name)
            .password(&password)
            .database(&name);
        let installed = initialise(&owner, false).await.expect("db init");
        TestServer {
            host: admin.get_host().to_owned(),
            port: admin.get_port(),
            admin,
            oid: oid as u32,
            signin_role: installed.signin_role,
            signin_password: installed.signin_password.expect("a first run sets one"),
            name,
        }
    }

    /// How many expenses the server holds, counted by the administrator behind the app.
    pub async fn expense_count(&self) -> i64 {
        let mut conn = PgConnection::connect_with(&self.admin.clone().database(&self.name))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT count(*) FROM outlay.expenses WHERE deleted_at IS NULL")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    }

    /// Drops the database, the roles it made, and its owner.
    pub async fn remove(self) {
        let mut conn = PgConnection::connect_with(&self.admin).await.unwrap();
        let pattern = format!("outlay\\_{}\\_%", self.oid);
        let roles: Vec<String> =
            sqlx::query_scalar("SELECT rolname::text FROM pg_roles WHERE rolname LIKE $1")
                .bind(pattern)
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let mut statements = vec![format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )];
        statements.extend(roles.iter().map(|r| format!("DROP ROLE IF EXISTS \"{r}\"")));
        statements.push(format!("DROP ROLE IF EXISTS {}", self.name));
        for sql in statements {
            let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await;
        }
    }
}

pub async fn moves_to_a_server(d: &mut Desktop, server: &TestServer) -> Step {
    // A local profile with one expense.
    d.find("body[data-screen='sign-up']").await?;
    d.fill("#auth-email", EMAIL).await?;
    d.fill("#auth-password", PASSWORD).await?;
    d.choose("#auth-currency", "USD").await?;
    d.click("#auth-submit").await?;
    d.find("body[data-screen='dashboard'][data-ready='true']")
        .await?;
    d.open("expenses").await?;
    d.click("#new-expense").await?;
    d.find("#expense-dialog[open]").await?;
    d.fill("#expense-amount", "41.20").await?;
    d.choose_label("#expense-category", "Groceries").await?;
    d.fill("#expense-description", "Market").await?;
    d.press_enter("#expense-description").await?;
    d.wait_count(".expense-row", 1).await?;

    // A wrong server password is refused with a clear message, and nothing moves.
    d.open("settings").await?;
    fill_server(d, server, "not the password").await?;
    d.fill("#server-account-password", PASSWORD).await?;
    d.click("#server-upload").await?;
    d.wait_text(".database-form .form-banner", "refused")
        .await?;
    d.screenshot("settings-server-refused-light").await;

    // Upload for real.
    d.fill("#server-password", &server.signin_password).await?;
    d.click("#server-upload").await?;
    d.wait_text("#toast", "Uploaded 1 expenses").await?;
    if server.expense_count().await != 1 {
        return Err("the server does not hold the uploaded expense".into());
    }
    let settings = std::fs::read_to_string(d.data_dir().join("connection.json"))
        .map_err(|e| format!("no connection.json: {e}"))?;
    if settings.contains(&server.signin_password) {
        return Err("the server password was written to connection.json".into());
    }

    // A restart reconnects with the password from the keychain; signing in lands on the
    // server's copy.
    d.restart_app().await;
    d.find("body[data-screen='sign-in']").await?;
    d.fill("#auth-email", EMAIL).await?;
    d.fill("#auth-password", PASSWORD).await?;
    d.click("#auth-submit").await?;
    d.wait_text("#dashboard-spent", "$41.20").await?;
    d.open("settings").await?;
    let address = format!("{}:{}", server.host, server.port);
    d.wait_text("#settings-database", &address).await?;
    d.screenshot("settings-server-light").await;

    // Back to the local file: sign in there again.
    d.click("#server-use-local").await?;
    d.find("body[data-screen='sign-in']").await?;
    d.fill("#auth-email", EMAIL).await?;
    d.fill("#auth-password", PASSWORD).await?;
    d.click("#auth-submit").await?;
    d.wait_text("#dashboard-spent", "$41.20").await?;
    d.open("settings").await?;
    d.wait_text("#settings-database", "outlay.db").await?;

    // A storage error's cause is in the log; no password typed here is: the account's, the
    // server's, or the wrong one.
    crate::logs::a_storage_error_is_logged(
        d,
        "outlay-server",
        &[PASSWORD, &server.signin_password, "not the password"],
    )
    .await
}

async fn fill_server(d: &Desktop, server: &TestServer, password: &str) -> Step {
    d.fill("#server-host", &server.host).await?;
    d.fill("#server-port", &server.port.to_string()).await?;
    d.fill("#server-database", &server.name).await?;
    d.fill("#server-user", &server.signin_role).await?;
    d.fill("#server-password", password).await?;
    d.choose("#server-ssl-mode", "prefer").await
}
