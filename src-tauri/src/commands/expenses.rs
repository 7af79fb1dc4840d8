//! Expense commands.
//!
//! The core's writes also return the budget alerts they fired (`Saved::fired`): the shell
//! raises them (see alerting.rs) and hands the UI the saved value.

use crate::alerting::after_write;
use crate::database::Database;
use crate::signed_in::SignedIn;
use outlay_core::expenses::{Expense, ExpenseCursor, ExpenseFilter, ExpenseInput, ExpensePage};
use outlay_core::store::Total;
use outlay_core::AppError;
use tauri::{AppHandle, Runtime, State};
use uuid::Uuid;

/// Adds an expense.
#[tauri::command]
pub async fn add_expense<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    input: ExpenseInput,
) -> Result<Expense, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let saved = outlay.add_expense(&session, input).await?;
    after_write(&app, &outlay, &session, &saved.fired).await;
    Ok(saved.value)
}

/// Replaces every field of an expense.
#[tauri::command]
pub async fn update_expense<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: ExpenseInput,
) -> Result<Expense, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let saved = outlay.update_expense(&session, id, input).await?;
    after_write(&app, &outlay, &session, &saved.fired).await;
    Ok(saved.value)
}

/// Deletes expenses (undoable); returns how many.
#[tauri::command]
pub async fn delete_expenses<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
) -> Result<u64, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let saved = outlay.delete_expenses(&session, &ids).await?;
    after_write(&app, &outlay, &session, &saved.fired).await;
    Ok(saved.value)
}

/// Restores deleted expenses; returns how many.
#[tauri::command]
pub async fn undo_delete<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
) -> Result<u64, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let saved = outlay.undo_delete(&session, &ids).await?;
    after_write(&app, &outlay, &session, &saved.fired).await;
    Ok(saved.value)
}

/// Moves expenses to another category; returns how many.
#[tauri::command]
pub async fn recategorise_expenses<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
    category_id: Uuid,
) -> Result<u64, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let saved = outlay
        .recategorise_expenses(&session, &ids, category_id)
        .await?;
    after_write(&app, &outlay, &session, &saved.fired).await;
    Ok(saved.value)
}

/// One page of expenses in the filter's order (newest first unless it says otherwise).
#[tauri::command]
pub async fn list_expenses(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    filter: ExpenseFilter,
    after: Option<ExpenseCursor>,
    limit: u32,
) -> Result<ExpensePage, AppError> {
    let outlay = database.outlay()?;
    outlay
        .list_expenses(&signed_in.session()?, &filter, after.as_ref(), limit)
        .await
}

/// The page that starts at row `position` of the filter's list: where the list jumps when
/// its scrollbar is dragged far past what it has fetched.
#[tauri::command]
pub async fn list_expenses_at(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    filter: ExpenseFilter,
    position: u64,
    limit: u32,
) -> Result<ExpensePage, AppError> {
    let outlay = database.outlay()?;
    outlay
        .list_expenses_at(&signed_in.session()?, &filter, position, limit)
        .await
}

/// Totals per currency of everything the filter matches.
#[tauri::command]
pub async fn expense_totals(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    filter: ExpenseFilter,
) -> Result<Vec<Total>, AppError> {
    let outlay = database.outlay()?;
    outlay.expense_totals(&signed_in.session()?, &filter).await
}
