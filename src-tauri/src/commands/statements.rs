//! Bank statements in: the file is chosen in the native open dialog and read by the core
//! from its path, so no file content crosses IPC. The page never names a path: the shell
//! keeps the chosen one (chosen_statement.rs) and tells the page only its name and size.
//! Also the user's category rules, which the review makes.

use std::path::{Path, PathBuf};

use crate::alerting::after_write;
use crate::chosen_statement::ChosenStatement;
use crate::database::Database;
use crate::signed_in::SignedIn;
use crate::windows;
use outlay_core::statement::{CategoryRule, StatementChoices, StatementImport, StatementReview};
use outlay_core::transfer::ImportProgress;
use outlay_core::AppError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Runtime, State, WebviewWindow};
use tauri_plugin_dialog::{Dialog, FilePath};
use uuid::Uuid;

/// What the page learns of the chosen file.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChosenFile {
    /// The file's name, without its folder.
    pub name: String,
    /// Its size.
    pub bytes: u64,
}

/// The extensions banks give their exports, in both cases: the GTK dialog's filters are
/// case-sensitive, and many banks shout (`UMSATZ.CSV`).
const STATEMENT_EXTENSIONS: &[&str] = &[
    "csv", "CSV", "txt", "TXT", "ofx", "OFX", "qfx", "QFX", "qif", "QIF", "xml", "XML",
];

/// Opens the native open dialog over `window` and remembers the file picked for the user
/// signed in; `None` when they cancelled.
#[tauri::command]
pub async fn choose_statement<R: Runtime>(
    window: WebviewWindow<R>,
    signed_in: State<'_, SignedIn>,
    chosen: State<'_, ChosenStatement>,
) -> Result<Option<ChosenFile>, AppError> {
    let session = signed_in.session()?;
    let picked = match chosen.next_test_pick() {
        Some(pick) => pick,
        None => pick_in_dialog(&window).await?,
    };
    let Some(path) = picked else {
        return Ok(None);
    };
    let file = describe(&path)?;
    chosen.choose(session.user_id, path);
    Ok(Some(file))
}

async fn pick_in_dialog<R: Runtime>(
    window: &WebviewWindow<R>,
) -> Result<Option<PathBuf>, AppError> {
    use tauri::Manager;
    let dialog = window
        .try_state::<Dialog<R>>()
        .ok_or_else(|| AppError::Internal("The open dialog is not available.".into()))?;
    let (picked, answer) = tokio::sync::oneshot::channel::<Option<FilePath>>();
    dialog
        .file()
        .set_title("Import a bank statement")
        .set_parent(window)
        .add_filter("Bank statements", STATEMENT_EXTENSIONS)
        .add_filter("All files", &["*"])
        .pick_file(move |path| {
            // The receiver is gone only if the command itself was dropped.
            let _ = picked.send(path);
        });
    let Some(path) = answer.await.ok().flatten() else {
        return Ok(None);
    };
    path.into_path()
        .map(Some)
        .map_err(|_| AppError::invalid("file", "That file is not on this computer's disk."))
}

fn describe(path: &Path) -> Result<ChosenFile, AppError> {
    let metadata = std::fs::metadata(path)
        .map_err(|e| AppError::invalid("file", format!("The file could not be opened: {e}.")))?;
    if metadata.is_dir() {
        return Err(AppError::invalid("file", "That is a folder, not a file."));
    }
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok(ChosenFile {
        name,
        bytes: metadata.len(),
    })
}

/// The chosen file of the user signed in, or a message to choose one.
fn chosen_path(chosen: &ChosenStatement, user: Uuid) -> Result<PathBuf, AppError> {
    chosen
        .path_for(user)
        .ok_or_else(|| AppError::invalid("file", "Choose the statement file first."))
}

/// Reads the chosen file and says what an import would do, saving nothing; progress goes to
/// `on_progress`, and `cancel_statement` stops it.
#[tauri::command]
pub async fn review_statement(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    chosen: State<'_, ChosenStatement>,
    choices: StatementChoices,
    on_progress: Channel<ImportProgress>,
) -> Result<StatementReview, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let path = chosen_path(&chosen, session.user_id)?;
    let cancel = chosen.start();
    outlay
        .review_statement(
            &session,
            &path,
            &choices,
            &mut send_to(&on_progress),
            cancel,
        )
        .await
}

/// Imports the chosen file with the user's choices, all in one transaction; budget alerts
/// it fires are raised like any write's.
#[tauri::command]
pub async fn import_statement<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    chosen: State<'_, ChosenStatement>,
    choices: StatementChoices,
    on_progress: Channel<ImportProgress>,
) -> Result<StatementImport, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let path = chosen_path(&chosen, session.user_id)?;
    let cancel = chosen.start();
    let imported = outlay
        .import_statement(
            &session,
            &path,
            &choices,
            &mut send_to(&on_progress),
            cancel,
        )
        .await?;
    if !imported.report.rejected {
        // Imported: a second click must not save it again.
        chosen.forget();
    }
    if imported.report.imported > 0 {
        let _ = app.emit_to(windows::MAIN, "spending-changed", ());
    }
    after_write(&app, &outlay, &session, &imported.report.fired).await;
    Ok(imported)
}

/// Stops the review or import running; an import stopped saves nothing.
#[tauri::command]
pub fn cancel_statement(chosen: State<'_, ChosenStatement>) {
    chosen.cancel();
}

fn send_to(channel: &Channel<ImportProgress>) -> impl FnMut(ImportProgress) + Send + '_ {
    move |progress| {
        // A closed window only stops the progress bar, not the work.
        let _ = channel.send(progress);
    }
}

/// The user's category rules ("description contains LIDL → Groceries").
#[tauri::command]
pub async fn category_rules(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<CategoryRule>, AppError> {
    let outlay = database.outlay()?;
    outlay.category_rules(&signed_in.session()?).await
}

/// Adds a rule: descriptions containing `contains` go to `category_id`, in later reviews,
/// imports and quick adds.
#[tauri::command]
pub async fn add_category_rule(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    contains: String,
    category_id: Uuid,
) -> Result<CategoryRule, AppError> {
    let outlay = database.outlay()?;
    outlay
        .add_category_rule(&signed_in.session()?, &contains, category_id)
        .await
}

/// Deletes a rule.
#[tauri::command]
pub async fn delete_category_rule(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    outlay.delete_category_rule(&signed_in.session()?, id).await
}
