//! Which database the app uses: the local file or a server. The choice (without the password)
//! is a small JSON file next to the local database; the server password is only ever in the
//! OS keychain.

use outlay_core::secrets::{self, DATABASE_PASSWORD};
use outlay_core::store::postgres::{PgConnectOptions, PgSslMode};
use outlay_core::AppError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The file in the data dir that remembers the choice.
const CONNECTION_FILE: &str = "connection.json";

/// Longest host, database or user name we accept (PostgreSQL's own limit is 63 bytes for
/// names; host names stop at 253).
const MAX_NAME: usize = 253;

/// Where the data is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Connection {
    /// The SQLite file in the data dir.
    #[default]
    Local,
    /// An Outlay server (see docs/postgres.md).
    Server(ServerSettings),
}

/// What the user types to reach a server; `outlay-cli db init` prints these values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ServerSettings {
    /// The server's host name or address.
    pub host: String,
    /// Its TCP port (PostgreSQL's default is 5432).
    pub port: u16,
    /// The database `outlay-cli db init` set up.
    pub database: String,
    /// The shared sign-in role.
    pub user: String,
    /// libpq's `sslmode`: disable, allow, prefer, require, verify-ca or verify-full.
    pub ssl_mode: String,
    /// The CA certificate (PEM) that verify-ca and verify-full check the server against.
    pub ca_file: Option<String>,
}

impl ServerSettings {
    /// Checks every field, naming the one that is wrong.
    pub fn check(&self) -> Result<(), AppError> {
        let name_ok = |value: &str| {
            !value.trim().is_empty()
                && value.len() <= MAX_NAME
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        if !name_ok(&self.host) {
            return Err(AppError::invalid(
                "host",
                "Enter the server's host name or address.",
            ));
        }
        if self.port == 0 {
            return Err(AppError::invalid(
                "port",
                "Enter a port between 1 and 65535.",
            ));
        }
        if !name_ok(&self.database) {
            return Err(AppError::invalid("database", "Enter the database name."));
        }
        if !name_ok(&self.user) {
            return Err(AppError::invalid("user", "Enter the sign-in role's name."));
        }
        let mode = self.ssl_mode()?;
        match self.ca_file.as_deref().filter(|f| !f.trim().is_empty()) {
            Some(file) if !Path::new(file).is_file() => Err(AppError::invalid(
                "caFile",
                format!("There is no file at {file}."),
            )),
            None if matches!(mode, PgSslMode::VerifyCa | PgSslMode::VerifyFull) => {
                Err(AppError::invalid(
                    "caFile",
                    "verify-ca and verify-full need the server's CA certificate file.",
                ))
            }
            _ => Ok(()),
        }
    }

    fn ssl_mode(&self) -> Result<PgSslMode, AppError> {
        PgSslMode::from_str(&self.ssl_mode).map_err(|_| {
            AppError::invalid(
                "sslMode",
                "Choose disable, allow, prefer, require, verify-ca or verify-full.",
            )
        })
    }

    /// The connection options, with `password` (from the keychain or just typed).
    pub fn options(&self, password: &str) -> Result<PgConnectOptions, AppError> {
        self.check()?;
        let mut options = PgConnectOptions::new()
            .host(self.host.trim())
            .port(self.port)
            .database(&self.database)
            .username(&self.user)
            .password(password)
            .ssl_mode(self.ssl_mode()?)
            .application_name("outlay");
        if let Some(file) = self.ca_file.as_deref().filter(|f| !f.trim().is_empty()) {
            options = options.ssl_root_cert(file);
        }
        Ok(options)
    }
}

/// The connection file of a data dir.
pub fn file(data_dir: &Path) -> PathBuf {
    data_dir.join(CONNECTION_FILE)
}

/// The saved choice; the local file when none was saved. A damaged file is an error rather
/// than a silent switch to an empty local profile.
pub fn load(data_dir: &Path) -> Result<Connection, String> {
    let path = file(data_dir);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
            format!(
                "Outlay could not read its connection settings in {}: {error}. Fix or delete \
                 that file to use the local database.",
                path.display()
            )
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Connection::Local),
        Err(error) => Err(format!("Outlay could not read {}: {error}", path.display())),
    }
}

/// Saves the choice atomically: a crash leaves either the old file or the new one.
pub fn save(data_dir: &Path, connection: &Connection) -> Result<(), AppError> {
    let path = file(data_dir);
    let temporary = path.with_extension("json.tmp");
    let json = serde_json::to_vec_pretty(connection)
        .map_err(|error| AppError::Internal(error.to_string()))?;
    std::fs::write(&temporary, json)
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(|error| {
            AppError::Internal(format!(
                "Outlay could not save its connection settings in {}: {error}",
                path.display()
            ))
        })
}

/// The server password from the keychain.
pub fn saved_password() -> Result<Option<String>, AppError> {
    crate::keychain::connect();
    secrets::load(DATABASE_PASSWORD)
}
