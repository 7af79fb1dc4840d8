//! CSV import and export of expenses.
//!
//! The page never names a path: it hands over the text of a file the user picked, and an
//! export goes to the user's Downloads folder under a name the shell chooses.

use std::io::BufWriter;
use std::path::PathBuf;

use crate::alerting::after_write;
use crate::database::Database;
use crate::signed_in::SignedIn;
use crate::{export_file, windows};
use outlay_core::expenses::ExpenseFilter;
use outlay_core::transfer::{ImportOptions, ImportReport};
use outlay_core::AppError;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

/// The largest CSV text an import takes (the page refuses bigger files before reading them).
pub const MAX_IMPORT_BYTES: usize = 100 * 1024 * 1024;

/// Where an export was saved.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    /// The full path of the new file.
    pub path: PathBuf,
    /// How many expenses it holds.
    pub rows: u64,
}

/// Imports expenses from CSV `text`; budget alerts it fires are raised like any write's.
#[tauri::command]
pub async fn import_expenses_csv<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    text: String,
    options: ImportOptions,
) -> Result<ImportReport, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    if text.len() > MAX_IMPORT_BYTES {
        return Err(AppError::invalid(
            "file",
            "The file is larger than 100 MB; split it and import the parts.",
        ));
    }
    let report = outlay
        .import_csv(&session, text.as_bytes(), &options, &mut |_| {})
        .await?;
    if report.imported > 0 {
        let _ = app.emit_to(windows::MAIN, "spending-changed", ());
    }
    after_write(&app, &outlay, &session, &report.fired).await;
    Ok(report)
}

/// Writes every live expense as CSV to the user's Downloads folder (the home folder when
/// the system names none) as `outlay-expenses-YYYY-MM-DD.csv`, never over an existing file.
#[tauri::command]
pub async fn export_expenses_csv<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<ExportedFile, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let paths = app.path();
    let folder = paths
        .download_dir()
        .or_else(|_| paths.home_dir())
        .map_err(|_| {
            AppError::Internal("Outlay cannot tell where your Downloads folder is.".into())
        })?;
    let mut file = export_file::start(&folder)?;
    let rows = outlay
        .export_csv(
            &session,
            &ExpenseFilter::default(),
            BufWriter::new(file.as_file_mut()),
            &mut |_| {},
        )
        .await?;
    let stem = format!(
        "outlay-expenses-{}",
        outlay.clock().today().format("%Y-%m-%d")
    );
    let path = export_file::finish(file, &stem, "csv")?;
    Ok(ExportedFile { path, rows })
}
