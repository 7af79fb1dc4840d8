//! Moving between the local file and an Outlay server, and the one-time upload.

use crate::alerting::{signed_in_now, signed_out};
use crate::commands::account::forget_remembered;
use crate::connection::{Connection, ServerSettings};
use crate::database::{open_server, Database};
use crate::keychain;
use crate::signed_in::SignedIn;
use outlay_core::secrets::{self, DATABASE_PASSWORD};
use outlay_core::upload::{UploadProgress, UploadReport};
use outlay_core::{AppError, Outlay, Session};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

/// What the settings screen shows about the database.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DatabaseStatus {
    connection: Connection,
    /// The file's path or the server's address.
    location: String,
    /// Why the chosen server is not open, if it is not.
    problem: Option<AppError>,
}

fn status(database: &Database) -> DatabaseStatus {
    let (connection, problem) = database.status();
    DatabaseStatus {
        connection,
        location: database.location(),
        problem,
    }
}

/// Which database is in use, and whether it is open.
#[tauri::command]
pub fn database_status(database: State<'_, Database>) -> DatabaseStatus {
    status(&database)
}

/// Connects to the saved server again.
#[tauri::command]
pub async fn retry_server(database: State<'_, Database>) -> Result<DatabaseStatus, AppError> {
    database.retry().await?;
    Ok(status(&database))
}

/// Switches to a server (the user signs in there next). An empty `password` means the one
/// already in the keychain.
#[tauri::command]
pub async fn connect_server<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    settings: ServerSettings,
    password: String,
) -> Result<DatabaseStatus, AppError> {
    let server = connect(&settings, &password).await?;
    leave_current(&app, &database, &signed_in).await;
    database.switch(Connection::Server(settings), server)?;
    Ok(status(&database))
}

/// Switches back to the local file (the user signs in there next).
#[tauri::command]
pub async fn use_local_file<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<DatabaseStatus, AppError> {
    let local = database.open_local().await?;
    leave_current(&app, &database, &signed_in).await;
    database.switch(Connection::Local, local)?;
    Ok(status(&database))
}

/// Copies the signed-in local profile into the same e-mail's account on the server (creating
/// it with `account_password` if need be), then switches to the server, still signed in.
/// Running it again copies nothing twice.
#[tauri::command]
pub async fn upload_to_server<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    settings: ServerSettings,
    password: String,
    account_password: String,
    progress: Channel<UploadProgress>,
) -> Result<UploadReport, AppError> {
    let session = signed_in.session()?;
    if database.status().0 != Connection::Local {
        return Err(AppError::Conflict(
            "You are already using a server; switch to the local file first.".into(),
        ));
    }
    let local = database.outlay()?;
    local
        .log_in(&session.email, &account_password, false)
        .await
        .map_err(|error| match error {
            AppError::WrongCredentials => {
                AppError::invalid("accountPassword", "That is not your Outlay password.")
            }
            other => other,
        })?;
    let server = connect(&settings, &password).await?;
    let there = account_on_server(&server, &session, &account_password).await?;
    let report = local
        .upload_profile(&session, &server, &there, |done| {
            // A closed window only stops the progress bar, not the upload.
            let _ = progress.send(done);
        })
        .await?;
    leave_current(&app, &database, &signed_in).await;
    database.switch(Connection::Server(settings), server)?;
    signed_in_now(&app, &database.outlay()?, &there).await;
    signed_in.set(there);
    Ok(report)
}

/// Opens the server, and keeps a typed password in the keychain once it is known to work.
async fn connect(settings: &ServerSettings, password: &str) -> Result<Outlay, AppError> {
    let typed = Some(password).filter(|p| !p.is_empty());
    let server = open_server(settings, typed).await?;
    if let Some(password) = typed {
        keychain::connect();
        secrets::save(DATABASE_PASSWORD, password)?;
    }
    Ok(server)
}

/// The user's account on the server: signed up with the same e-mail, or signed in if it
/// exists (a second upload, or an account made on another computer).
async fn account_on_server(
    server: &Outlay,
    local: &Session,
    password: &str,
) -> Result<Session, AppError> {
    let currency = local.base_currency.code();
    match server.sign_up(&local.email, password, currency).await {
        Err(AppError::EmailTaken) => match server.log_in(&local.email, password, false).await {
            Ok(signed) => Ok(signed.session),
            Err(AppError::WrongCredentials) => Err(AppError::invalid(
                "accountPassword",
                "The server already has an account with this e-mail and another password.",
            )),
            Err(other) => Err(other),
        },
        other => other,
    }
}

/// Signs out of the database being left; its remember-me token means nothing elsewhere.
async fn leave_current<R: Runtime>(app: &AppHandle<R>, database: &Database, signed_in: &SignedIn) {
    signed_in.clear();
    signed_out(app);
    if let Ok(outlay) = database.outlay() {
        // Best effort: an unreachable old server must not stop the switch.
        let _ = forget_remembered(&outlay).await;
    }
}
