//! The one error type that crosses every layer, and the IPC boundary as `{kind, message}`.

use serde::Serialize;

/// Everything that can go wrong in Outlay, in terms the user (or the UI) can act on.
///
/// Internal details (SQL text, driver messages) never reach `message`: `Storage` carries a
/// generic sentence for the user and logs nothing secret.
#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(as = "ErrorPayload"))]
pub enum AppError {
    /// A field of the user's input is invalid; `field` lets the UI put the message beside it.
    #[error("{message}")]
    Invalid {
        /// The input field at fault, as the UI names it (`"amount"`, `"email"`).
        field: &'static str,
        /// What is wrong, in a sentence for the user.
        message: String,
    },
    /// Sign-in failed. Deliberately the same for "no such user" and "wrong password".
    #[error("That e-mail and password do not match.")]
    WrongCredentials,
    /// Too many failed sign-ins for this e-mail; try again later.
    #[error("Too many failed attempts. Try again in {}.", wait_phrase(*retry_after_secs))]
    TooManyAttempts {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: i64,
    },
    /// Someone already signed up with this e-mail.
    #[error("An account with this e-mail already exists.")]
    EmailTaken,
    /// The command needs a signed-in user.
    #[error("Please sign in first.")]
    NotSignedIn,
    /// The thing asked for does not exist (or belongs to someone else — we do not say which).
    #[error("{0} not found.")]
    NotFound(&'static str),
    /// A request that conflicts with the current state (e.g. a duplicate category name).
    #[error("{0}")]
    Conflict(String),
    /// The database was written by a newer Outlay.
    #[error("This database was created by a newer version of Outlay (schema {found}); please update the app.")]
    SchemaTooNew {
        /// The database's schema version.
        found: i64,
    },
    /// The server's database predates this app (or was never set up with `outlay-cli db init`).
    #[error("The server's database is not set up for this version of Outlay; ask its administrator to run `outlay-cli db init`.")]
    SchemaTooOld,
    /// The database server did not answer (address, network, or the server is down).
    #[error("The Outlay server could not be reached. Check the address and your connection; nothing was changed.")]
    ServerUnreachable,
    /// The server refused the connection settings themselves (sign-in account, password,
    /// or its access rules), as opposed to one user's password.
    #[error("The server refused Outlay's connection settings. Check the user and password in the settings, or ask the server's administrator.")]
    ServerRefused,
    /// A secure (TLS) connection to the server could not be made; `0` says why.
    #[error("A secure connection to the server could not be made: {0}")]
    Tls(String),
    /// The database is locked by another program for longer than we wait.
    #[error("The database is busy (locked by another program). Please try again.")]
    Busy,
    /// The disk is full: nothing was written.
    #[error("The disk is full; nothing was saved. Free some space and try again.")]
    DiskFull,
    /// The data file or its folder cannot be written (permissions, a read-only disk).
    #[error("Outlay's data file or its folder is read-only, so nothing was saved. Make them writable for your account (or move the data to a writable disk), then try again.")]
    ReadOnly,
    /// The data file is damaged, or is not an Outlay database at all.
    #[error("Outlay's data file is damaged or is not an Outlay database, so it was not opened. Restore a backup, or move the file away to start a new profile.")]
    Corrupt,
    /// The data file cannot be opened: its folder is gone, or something else is in its place.
    #[error("Outlay's data file could not be opened: its folder is missing or not accessible, or a folder is where the file should be.")]
    CannotOpen,
    /// The data file is there but empty: never taken for a new profile, since a profile may
    /// have been lost.
    #[error("Outlay's data file is empty (0 bytes), so it holds no profile. If you had data, restore a backup; to start a new profile, move the empty file away.")]
    EmptyDataFile,
    /// No OS keychain service is available, so a secret cannot be kept (never in plain text).
    #[error("No keychain is available on this computer ({0}), so Outlay cannot keep this secret. On Linux, install and unlock a Secret Service such as GNOME Keyring or KWallet.")]
    KeychainUnavailable(String),
    /// An e-mail could not be sent; `0` says why, in SendGrid's terms where it gave any.
    #[error("{0}")]
    Mail(String),
    /// Any other storage failure. The cause is logged where it is made (`From<sqlx::Error>`),
    /// not shown.
    #[error("The database could not complete the request. Nothing was changed.")]
    Storage(#[source] sqlx::Error),
    /// A failure outside the database (I/O, randomness).
    #[error("{0}")]
    Internal(String),
}

fn wait_phrase(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{} second{}", s.max(1), if s == 1 { "" } else { "s" }),
        s => {
            let minutes = (s + 59) / 60;
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
        }
    }
}

impl AppError {
    /// Shorthand for a validation error on `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The same failure again, for an answer that repeats it (the server that could not be
    /// opened at start-up). A storage cause is not cloneable; its message is kept.
    pub fn replay(&self) -> AppError {
        match self {
            AppError::Invalid { field, message } => AppError::invalid(field, message.clone()),
            AppError::WrongCredentials => AppError::WrongCredentials,
            AppError::EmailTaken => AppError::EmailTaken,
            AppError::NotSignedIn => AppError::NotSignedIn,
            AppError::SchemaTooNew { found } => AppError::SchemaTooNew { found: *found },
            AppError::SchemaTooOld => AppError::SchemaTooOld,
            AppError::ServerUnreachable => AppError::ServerUnreachable,
            AppError::ServerRefused => AppError::ServerRefused,
            AppError::Tls(cause) => AppError::Tls(cause.clone()),
            AppError::Busy => AppError::Busy,
            AppError::DiskFull => AppError::DiskFull,
            AppError::ReadOnly => AppError::ReadOnly,
            AppError::Corrupt => AppError::Corrupt,
            AppError::CannotOpen => AppError::CannotOpen,
            AppError::EmptyDataFile => AppError::EmptyDataFile,
            AppError::KeychainUnavailable(cause) => AppError::KeychainUnavailable(cause.clone()),
            other => AppError::Internal(other.to_string()),
        }
    }

    /// What kind of failure this is: the UI branches on it (as `kind`, see [`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Invalid { .. } => ErrorKind::Invalid,
            AppError::WrongCredentials => ErrorKind::WrongCredentials,
            AppError::TooManyAttempts { .. } => ErrorKind::TooManyAttempts,
            AppError::EmailTaken => ErrorKind::EmailTaken,
            AppError::NotSignedIn => ErrorKind::NotSignedIn,
            AppError::NotFound(_) => ErrorKind::NotFound,
            AppError::Conflict(_) => ErrorKind::Conflict,
            AppError::SchemaTooNew { .. } => ErrorKind::SchemaTooNew,
            AppError::SchemaTooOld => ErrorKind::SchemaTooOld,
            AppError::ServerUnreachable => ErrorKind::ServerUnreachable,
            AppError::ServerRefused => ErrorKind::ServerRefused,
            AppError::Tls(_) => ErrorKind::Tls,
            AppError::Busy => ErrorKind::Busy,
            AppError::DiskFull => ErrorKind::DiskFull,
            AppError::ReadOnly => ErrorKind::ReadOnly,
            AppError::Corrupt => ErrorKind::Corrupt,
            AppError::CannotOpen => ErrorKind::CannotOpen,
            AppError::EmptyDataFile => ErrorKind::EmptyDataFile,
            AppError::KeychainUnavailable(_) => ErrorKind::KeychainUnavailable,
            AppError::Mail(_) => ErrorKind::Mail,
            AppError::Storage(_) => ErrorKind::Storage,
            AppError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The field a validation error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// The kinds of [`AppError`], one per variant: the stable, machine-readable name the UI
/// branches on. Its names are serde's (camelCase: `notSignedIn`), spelled nowhere else, so the
/// answers, the log and the TypeScript union (ui/src/bindings.ts) cannot disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorKind {
    /// [`AppError::Invalid`].
    Invalid,
    /// [`AppError::WrongCredentials`].
    WrongCredentials,
    /// [`AppError::TooManyAttempts`].
    TooManyAttempts,
    /// [`AppError::EmailTaken`].
    EmailTaken,
    /// [`AppError::NotSignedIn`].
    NotSignedIn,
    /// [`AppError::NotFound`].
    NotFound,
    /// [`AppError::Conflict`].
    Conflict,
    /// [`AppError::SchemaTooNew`].
    SchemaTooNew,
    /// [`AppError::SchemaTooOld`].
    SchemaTooOld,
    /// [`AppError::ServerUnreachable`].
    ServerUnreachable,
    /// [`AppError::ServerRefused`].
    ServerRefused,
    /// [`AppError::Tls`].
    Tls,
    /// [`AppError::Busy`].
    Busy,
    /// [`AppError::DiskFull`].
    DiskFull,
    /// [`AppError::ReadOnly`].
    ReadOnly,
    /// [`AppError::Corrupt`].
    Corrupt,
    /// [`AppError::CannotOpen`].
    CannotOpen,
    /// [`AppError::EmptyDataFile`].
    EmptyDataFile,
    /// [`AppError::KeychainUnavailable`].
    KeychainUnavailable,
    /// [`AppError::Mail`].
    Mail,
    /// [`AppError::Storage`].
    Storage,
    /// [`AppError::Internal`].
    Internal,
}

impl ErrorKind {
    /// The name the UI sees, e.g. "notSignedIn".
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            // A unit variant always serializes as its name.
            _ => format!("{self:?}"),
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// So a test can say `assert_eq!(error.kind(), "notFound")`, in the UI's words.
impl PartialEq<&str> for ErrorKind {
    fn eq(&self, name: &&str) -> bool {
        self.name() == *name
    }
}

/// The user's sentence for a database error, with the cause logged: `Storage` at error level,
/// the conditions with a sentence of their own (busy, disk full, server unreachable or
/// refusing, TLS) at warn level. Only the error's text is logged (never connection options,
/// whose `Debug` shows the password), and the shell keeps sqlx's statement log off: no SQL,
/// and so no password verifier, reaches the log from here.
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        let cause = causes(&error);
        let answer = from_sqlx(error);
        match &answer {
            AppError::Storage(_) => {
                tracing::error!(kind = answer.kind().name(), %cause, "a database request failed")
            }
            other => {
                tracing::warn!(kind = other.kind().name(), %cause, "a database request failed")
            }
        }
        answer
    }
}

/// `error` and each of its sources, joined by ": ", skipping a source whose text the line
/// already holds (sqlx repeats the driver's message in its own).
pub fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = inner.source();
    }
    line
}

/// The condition an SQLite result code (extended, as sqlx reports it) names, if it is one
/// the user can act on. The primary code is the low byte (sqlite.org/rescode.html).
fn sqlite_condition(code: &str) -> Option<AppError> {
    let extended: u32 = code.parse().ok()?;
    Some(match (extended & 0xff, extended) {
        // SQLITE_BUSY, SQLITE_LOCKED.
        (5 | 6, _) => AppError::Busy,
        // SQLITE_FULL; SQLITE_IOERR_SHMSIZE: the -shm file could not grow (no space).
        (13, _) | (_, 4874) => AppError::DiskFull,
        // SQLITE_READONLY and its extended codes (a read-only file or folder); SQLITE_PERM.
        (8 | 3, _) => AppError::ReadOnly,
        // SQLITE_CORRUPT, SQLITE_NOTADB.
        (11 | 26, _) => AppError::Corrupt,
        // SQLITE_CANTOPEN.
        (14, _) => AppError::CannotOpen,
        _ => return None,
    })
}

fn from_sqlx(error: sqlx::Error) -> AppError {
    match &error {
        // SQLite reports its own I/O failures as database errors: an I/O error here is
        // the network to a database server.
        sqlx::Error::Io(_) => return AppError::ServerUnreachable,
        sqlx::Error::Tls(cause) => return AppError::Tls(cause.to_string()),
        _ => {}
    }
    if let sqlx::Error::Database(db) = &error {
        let message = db.message();
        if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
            if let Some(answer) = db.code().as_deref().and_then(sqlite_condition) {
                return answer;
            }
        }
        // PostgreSQL: 53100 disk_full, 55P03 lock_not_available.
        match db.code().as_deref() {
            Some("55P03") => return AppError::Busy,
            Some("53100") => return AppError::DiskFull,
            // invalid_password, invalid_authorization_specification (no such role, not
            // allowed by pg_hba.conf): the connection settings, not the user's password.
            Some("28P01") | Some("28000") => return AppError::ServerRefused,
            _ => {}
        }
        if message.contains("database is locked") {
            return AppError::Busy;
        }
    }
    if let sqlx::Error::PoolTimedOut = error {
        return AppError::Busy;
    }
    AppError::Storage(error)
}

/// Serialized as `{kind, message, field}` so the UI can branch on `kind` and place the
/// message next to `field`.
impl serde::Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ErrorPayload {
            kind: self.kind(),
            message: self.to_string(),
            field: self.field(),
        }
        .serialize(serializer)
    }
}

/// What a failed command answers: an [`AppError`] as the UI receives it.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorPayload {
    /// What kind of failure, to branch on.
    pub kind: ErrorKind,
    /// A sentence for the user.
    pub message: String,
    /// The input field at fault, for a validation error.
    pub field: Option<&'static str>,
}

/// The result type of every fallible operation in Outlay.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_kind_message_and_field() {
        let json = serde_json::to_string(&AppError::invalid("amount", "Enter an amount.")).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"invalid","message":"Enter an amount.","field":"amount"}"#
        );
    }

    /// A port on loopback that nothing listens on (bound, then let go).
    fn closed_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }

    #[tokio::test]
    async fn a_storage_error_logs_its_cause() {
        use sqlx::Connection;
        let (_guard, log) = crate::test_log::capture();
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let error = sqlx::query("SELECT * FROM no_such_table_here")
            .execute(&mut conn)
            .await
            .unwrap_err();
        let error = AppError::from(error);

        assert_eq!(error.kind(), "storage");
        let text = log.text();
        assert!(text.contains("ERROR"), "{text}");
        // The end-to-end tests look for these two on one line.
        assert!(text.contains("kind=\"storage\""), "{text}");
        assert!(text.contains("no such table: no_such_table_here"), "{text}");
        // The user's sentence stays generic.
        assert!(!error.to_string().contains("no_such_table"));
    }

    #[tokio::test]
    async fn an_unreachable_server_logs_why_but_not_the_password() {
        use sqlx::Connection;
        let (_guard, log) = crate::test_log::capture();
        let options = sqlx::postgres::PgConnectOptions::new()
            .host("127.0.0.1")
            .port(closed_port())
            .username("outlay_signin")
            .password("hunter2-never-logged")
            .database("outlay");
        // The options' own Debug shows the password: the reason it is never logged.
        assert!(format!("{options:?}").contains("hunter2-never-logged"));
        let error = sqlx::PgConnection::connect_with(&options)
            .await
            .map(|_| ())
            .unwrap_err();
        let error = AppError::from(error);

        assert_eq!(error.kind(), "serverUnreachable");
        let text = log.text();
        assert!(text.contains("WARN"), "{text}");
        assert!(text.to_lowercase().contains("refused"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[test]
    fn causes_join_the_chain_without_repeating_it() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "no one home");
        let error = sqlx::Error::Io(io);
        assert_eq!(
            causes(&error),
            "error communicating with database: no one home"
        );
    }

    #[test]
    fn lockout_message_rounds_up_to_minutes() {
        let text = AppError::TooManyAttempts {
            retry_after_secs: 61,
        }
        .to_string();
        assert_eq!(text, "Too many failed attempts. Try again in 2 minutes.");
    }
}
