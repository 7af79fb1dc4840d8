//! A fresh PostgreSQL database per test, set up like a real server (`outlay-cli db init` run by
//! a non-superuser owner), and removed with all its roles afterwards.
//!
//! The server comes from `DATABASE_URL` (a superuser URL; `cargo xtask test` starts a
//! throw-away cluster and sets it). Without it the PostgreSQL tests are skipped with a notice,
//! unless `CI` or `OUTLAY_REQUIRE_POSTGRES` is set: then they fail.

use outlay_core::store::postgres::{initialise, PgConnectOptions};
use sqlx::{Connection, PgConnection, Row};
use std::io::Write;
use std::str::FromStr;
use std::sync::Once;
use uuid::Uuid;

/// Test databases older than this are leftovers of a killed run.
const STALE_AFTER_SECS: u64 = 3600;

/// The admin URL, or `None` (after a notice) when PostgreSQL tests should be skipped.
pub fn admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return Some(url);
    }
    let required = ["CI", "OUTLAY_REQUIRE_POSTGRES"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    assert!(
        !required,
        "PostgreSQL tests are required here (CI or OUTLAY_REQUIRE_POSTGRES is set) but \
         DATABASE_URL is not: run them through `cargo xtask test`, which starts a server, or \
         set DATABASE_URL to a superuser URL such as postgres://postgres:pw@127.0.0.1/postgres"
    );
    static NOTICE: Once = Once::new();
    NOTICE.call_once(|| {
        // Straight to stderr: the test harness swallows eprintln! of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "notice: DATABASE_URL is not set; skipping the PostgreSQL tests"
        );
    });
    None
}

/// One test's database: its owner, its sign-in role, and cleanup on drop.
pub struct TestDatabase {
    /// The database's name (also its owner role's name).
    pub name: String,
    /// `pg_database.oid`, which the database's role names carry.
    pub oid: u32,
    /// The owner role, as `outlay-cli db init` would connect.
    pub owner: PgConnectOptions,
    /// The shared sign-in role, as the app connects.
    pub signin: PgConnectOptions,
    admin: PgConnectOptions,
}

async fn admin_connection(admin: &PgConnectOptions) -> PgConnection {
    PgConnection::connect_with(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at DATABASE_URL: {e}"))
}

impl TestDatabase {
    /// Creates a database owned by a new non-superuser CREATEROLE role, and initialises it.
    pub async fn create(admin_url: &str) -> TestDatabase {
        let admin = PgConnectOptions::from_str(admin_url).expect("DATABASE_URL is a postgres URL");
        let mut conn = admin_connection(&admin).await;
        static SWEEP: Once = Once::new();
        let mut sweep = false;
        SWEEP.call_once(|| sweep = true);
        if sweep {
            sweep_leftovers(&mut conn).await;
        }
        let name = format!("outlay_test_{}", Uuid::now_v7().simple());
        let password = Uuid::now_v7().simple().to_string();
        for sql in [
            format!("CREATE ROLE {name} LOGIN CREATEROLE PASSWORD '{password}'"),
            // C collation: the same text order and case rules as SQLite, on any host locale.
            format!(
                r#"
                CREATE DATABASE {name} OWNER {name} TEMPLATE template0
                ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'
                "#
            ),
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
        conn.close().await.ok();
        let owner = admin
            .clone()
            .username(&name)
            .password(&password)
            .database(&name);
        let installed = initialise(&owner, false).await.expect("db init");
        let signin = admin
            .clone()
            .username(&installed.signin_role)
            .password(
                &installed
                    .signin_password
                    .expect("a first run sets a password"),
            )
            .database(&name);
        TestDatabase {
            name,
            oid: oid as u32,
            owner,
            signin,
            admin,
        }
    }

    /// A superuser connection to this database, for checks a test makes behind the app's back.
    pub async fn admin(&self) -> PgConnection {
        admin_connection(&self.admin.clone().database(&self.name)).await
    }
}

/// The role and database password of `email`'s account, derived from their Outlay password
/// exactly as the app does: what the user could type into `psql`.
pub async fn credentials(
    outlay: &outlay_core::Outlay,
    email: &str,
    password: &str,
) -> (String, String) {
    use argon2::password_hash::CustomizedPasswordHasher;
    let email = outlay_core::domain::Email::parse(email).unwrap();
    let login = outlay.store().login_record(&email).await.unwrap().unwrap();
    let stored = argon2::password_hash::phc::PasswordHash::new(&login.password_hash).unwrap();
    let full = argon2::Argon2::default()
        .hash_password_customized(
            password.as_bytes(),
            stored.salt.as_ref().unwrap().as_ref(),
            Some(stored.algorithm.as_str()),
            stored.version,
            argon2::Params::try_from(&stored).unwrap(),
        )
        .unwrap()
        .to_string();
    let key = full.rsplit_once('$').unwrap().1.to_owned();
    (login.database_role.unwrap(), key)
}

/// Drops the database, then every role it made (roles are cluster-wide), then its owner.
async fn drop_database(admin: &PgConnectOptions, name: &str, oid: u32) {
    let mut conn = admin_connection(admin).await;
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    drop_roles_of(&mut conn, oid).await;
    let sql = format!("DROP ROLE IF EXISTS {name}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
}

async fn drop_roles_of(conn: &mut PgConnection, oid: u32) {
    let pattern = format!("outlay\\_{oid}\\_%");
    let roles: Vec<String> =
        sqlx::query_scalar("SELECT rolname::text FROM pg_roles WHERE rolname LIKE $1")
            .bind(pattern)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    for role in roles {
        let sql = format!("DROP ROLE IF EXISTS \"{role}\"");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

/// Removes what a killed test run left: stale test databases, and roles whose database is gone.
async fn sweep_leftovers(conn: &mut PgConnection) {
    let databases = sqlx::query(
        r#"
        SELECT datname::text AS name, oid::bigint AS oid FROM pg_database
        WHERE datname LIKE 'outlay\_test\_%'
        "#,
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for row in databases {
        let name: String = row.get("name");
        let oid: i64 = row.get("oid");
        let created = Uuid::parse_str(name.trim_start_matches("outlay_test_"))
            .ok()
            .and_then(|id| id.get_timestamp())
            .map(|t| t.to_unix().0);
        if created.is_some_and(|secs| secs + STALE_AFTER_SECS < now) {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await
                .unwrap();
            drop_roles_of(conn, oid as u32).await;
            let sql = format!("DROP ROLE IF EXISTS {name}");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
    }
    let orphans: Vec<i64> = sqlx::query_scalar(
        r#"
        SELECT DISTINCT substring(rolname from '^outlay_([0-9]+)_')::bigint FROM pg_roles
        WHERE rolname ~ '^outlay_[0-9]+_'
            AND substring(rolname from '^outlay_([0-9]+)_')::oid
                NOT IN (SELECT oid FROM pg_database)
        "#,
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for oid in orphans {
        drop_roles_of(conn, oid as u32).await;
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin, name, oid) = (self.admin.clone(), self.name.clone(), self.oid);
        // Drop cannot await: a short-lived runtime on its own thread does the cleanup, also
        // when the test panicked.
        let cleanup = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(drop_database(&admin, &name, oid));
        });
        if cleanup.join().is_err() && !std::thread::panicking() {
            panic!("could not drop test database {}", self.name);
        }
    }
}
