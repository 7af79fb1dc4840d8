//! Setting up a server: migrations run as the owner role, and the shared sign-in role's
//! password. Used by `outlay-cli db init` and by the tests.

use super::scram;
use crate::error::{AppError, Result};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, Row};

/// The PostgreSQL dialect of the schema, same versions as SQLite's.
pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// What `initialise` set up: what an administrator puts in the app's settings.
#[derive(Clone, Debug)]
pub struct Installation {
    /// The shared role the app signs in and signs up with.
    pub signin_role: String,
    /// Its new password, when this run set one (first run, or asked to rotate it).
    pub signin_password: Option<String>,
    /// The group role every user's own role is a member of.
    pub users_role: String,
    /// The newest schema version now applied.
    pub schema_version: i64,
}

/// Brings the schema up to date as the owner (`owner` connects as a role that owns the
/// database and has CREATEROLE, not necessarily a superuser), then makes sure the sign-in role
/// can log in. Its password is generated on the first run and when `rotate_password` is set;
/// otherwise left alone, so running this again after an upgrade breaks no installed app.
pub async fn initialise(owner: &PgConnectOptions, rotate_password: bool) -> Result<Installation> {
    // sqlx keeps its bookkeeping table in the first schema of the search path; pin it to
    // public so `outlay.schema_versions()` finds it whatever the owner's defaults are.
    let options = owner.clone().options([("search_path", "public")]);
    let mut conn = PgConnection::connect_with(&options).await?;
    MIGRATOR.run(&mut conn).await.map_err(|e| match e {
        MigrateError::VersionMissing(found) => AppError::SchemaTooNew { found },
        MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _) => AppError::from(e),
        other => AppError::Internal(format!("Could not update the database schema: {other}")),
    })?;
    let row = sqlx::query(
        r#"SELECT i.users_role::text AS users_role, i.signin_role::text
            AS signin_role, r.rolcanlogin
            FROM outlay.installation i
            JOIN pg_roles r ON r.rolname = i.signin_role"#,
    )
    .fetch_one(&mut conn)
    .await?;
    let signin_role: String = row.try_get("signin_role")?;
    let can_log_in: bool = row.try_get("rolcanlogin")?;
    let signin_password = match !can_log_in || rotate_password {
        true => {
            let password = random_password()?;
            // A utility statement takes no bind parameters; the verifier is base64 and '$:',
            // and quote_literal makes it a literal whatever it holds.
            let literal: String = sqlx::query_scalar("SELECT quote_literal($1)")
                .bind(scram::verifier(&password)?)
                .fetch_one(&mut conn)
                .await?;
            let sql = format!(
                "ALTER ROLE {} LOGIN PASSWORD {literal}",
                quote_ident(&signin_role)
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await?;
            Some(password)
        }
        false => None,
    };
    let schema_version = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    conn.close().await?;
    Ok(Installation {
        signin_role,
        signin_password,
        users_role: row.try_get("users_role")?,
        schema_version,
    })
}

/// A double-quoted identifier; our role names are `outlay_<digits>_<word>` anyway.
pub(super) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// 256 random bits as 64 hex digits: ASCII, so SASLprep leaves it alone.
fn random_password() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("No randomness available: {e}")))?;
    Ok(hex::encode(bytes))
}
