//! The database the commands work on: opened at start-up from the saved connection choice,
//! and swapped when the user moves between the local file and a server.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use outlay_core::{AppError, Outlay};

use crate::connection::{self, Connection, ServerSettings};

/// The SQLite file inside the data dir.
const DATABASE_FILE: &str = "outlay.db";

/// Managed state: the open database, or why the chosen server could not be opened (the app
/// still starts, so the user can retry or go back to the local file).
pub struct Database {
    data_dir: PathBuf,
    current: RwLock<Current>,
}

struct Current {
    connection: Connection,
    opened: Result<Outlay, AppError>,
}

impl Database {
    /// Opens what `connection.json` in `data_dir` names. A local file that cannot be opened
    /// is fatal (the error is a sentence for the user); a server that cannot be reached is not.
    pub async fn open(data_dir: PathBuf) -> Result<Database, String> {
        std::fs::create_dir_all(&data_dir).map_err(|error| {
            format!(
                "Outlay could not create its data folder {}: {error}",
                data_dir.display()
            )
        })?;
        make_private(&data_dir);
        let connection = connection::load(&data_dir)?;
        let opened = match &connection {
            Connection::Local => Ok(open_local(&data_dir).await?),
            Connection::Server(server) => open_server(server, None).await,
        };
        if let Err(problem) = &opened {
            tracing::warn!("the server could not be opened: {problem}");
        }
        Ok(Database {
            data_dir,
            current: RwLock::new(Current { connection, opened }),
        })
    }

    /// The data dir (the local file, the connection choice and preferences live there).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The open database, or the reason there is none.
    pub fn outlay(&self) -> Result<Outlay, AppError> {
        self.read(|current| {
            current
                .opened
                .as_ref()
                .map(Outlay::clone)
                .map_err(|e| e.replay())
        })
    }

    /// The saved choice, and why it is not open (if it is not).
    pub fn status(&self) -> (Connection, Option<AppError>) {
        self.read(|c| {
            (
                c.connection.clone(),
                c.opened.as_ref().err().map(AppError::replay),
            )
        })
    }

    /// Where the data is, in words: the file's path or the server's address.
    pub fn location(&self) -> String {
        self.read(|c| match (&c.opened, &c.connection) {
            (Ok(outlay), _) => outlay.database_location(),
            (Err(_), Connection::Server(server)) => {
                format!(
                    "{}:{}/{} (not connected)",
                    server.host, server.port, server.database
                )
            }
            (Err(_), Connection::Local) => "the local file (not open)".into(),
        })
    }

    /// Tries the saved server again (after it was unreachable, say).
    pub async fn retry(&self) -> Result<(), AppError> {
        let Connection::Server(server) = self.status().0 else {
            return Ok(());
        };
        let opened = open_server(&server, None).await;
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        current.opened = opened;
        current
            .opened
            .as_ref()
            .map(|_| ())
            .map_err(AppError::replay)
    }

    /// Makes `outlay` (opened from `connection`) the database, and saves the choice.
    pub fn switch(&self, connection: Connection, outlay: Outlay) -> Result<(), AppError> {
        connection::save(&self.data_dir, &connection)?;
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        *current = Current {
            connection,
            opened: Ok(outlay),
        };
        Ok(())
    }

    /// Opens the local file (for "use the local file" and the upload's source).
    pub async fn open_local(&self) -> Result<Outlay, AppError> {
        open_local(&self.data_dir).await.map_err(AppError::Internal)
    }

    fn read<T>(&self, f: impl FnOnce(&Current) -> T) -> T {
        f(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The data folder holds every expense and the password hashes: on a shared computer, other
/// accounts must not list or read it (the database file itself is made private by the core).
#[cfg(unix)]
fn make_private(data_dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(error) = std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700)) {
        tracing::warn!(%error, path = %data_dir.display(), "the data folder could not be made private");
    }
}

#[cfg(not(unix))]
fn make_private(_: &Path) {}

async fn open_local(data_dir: &Path) -> Result<Outlay, String> {
    let path = data_dir.join(DATABASE_FILE);
    Outlay::open_sqlite(&path).await.map_err(|error| {
        // The user sees the core's plain sentence; the log gets the cause.
        tracing::error!(
            path = %path.display(),
            cause = %outlay_core::error::causes(&error),
            "the local database could not be opened"
        );
        format!(
            "Outlay could not open its database {}: {error}",
            path.display()
        )
    })
}

/// Connects to `server` with `password`, or with the one in the keychain.
pub async fn open_server(
    server: &ServerSettings,
    password: Option<&str>,
) -> Result<Outlay, AppError> {
    let saved;
    let password = match password {
        Some(typed) => typed,
        None => {
            saved = connection::saved_password()?.ok_or_else(|| {
                AppError::invalid("password", "Enter the server password; it is not saved.")
            })?;
            &saved
        }
    };
    Outlay::open_postgres(server.options(password)?).await
}
