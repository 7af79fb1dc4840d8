//! Quick add (from its window or the assistant) and the assistant's answers.

use crate::alerting::after_write;
use crate::database::Database;
use crate::signed_in::SignedIn;
use crate::{tray, windows};
use outlay_core::assistant::AssistantReply;
use outlay_core::expenses::Expense;
use outlay_core::quick_add::QuickAddPreview;
use outlay_core::{AppError, Outlay, Session};
use tauri::{AppHandle, Emitter, Runtime, State};
use uuid::Uuid;

/// What quick add would save for `text`, for the live preview.
#[tauri::command]
pub async fn quick_add_preview(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    text: String,
) -> Result<QuickAddPreview, AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    outlay.quick_add_preview(&session, &text).await
}

/// Saves `text` as an expense, in `category_id` or the suggested category.
#[tauri::command]
pub async fn quick_add_save<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    text: String,
    category_id: Option<Uuid>,
) -> Result<Expense, AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    let saved = outlay.quick_add_save(&session, &text, category_id).await?;
    let _ = app.emit_to(windows::MAIN, "spending-changed", ());
    after_write(&app, &outlay, &session, &saved.fired).await;
    Ok(saved.value)
}

/// The assistant's answer to `question`.
#[tauri::command]
pub async fn ask_assistant(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    question: String,
) -> Result<AssistantReply, AppError> {
    let outlay = database.outlay()?;
    let session = signed_in.session()?;
    outlay.ask(&session, &question).await
}

/// Recomputes the tray's month line (best effort: the tray is a convenience).
pub async fn refresh_tray<R: Runtime>(app: &AppHandle<R>, outlay: &Outlay, session: &Session) {
    if let Ok(line) = outlay.month_line(session).await {
        tray::show_summary(app, Some(&line));
    }
}
