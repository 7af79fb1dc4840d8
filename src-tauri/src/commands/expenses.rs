//! Expense commands.

use crate::database::Database;
use crate::signed_in::SignedIn;
use outlay_core::expenses::{Expense, ExpenseCursor, ExpenseFilter, ExpenseInput, ExpensePage};
use outlay_core::store::Total;
use outlay_core::AppError;
use tauri::State;
use uuid::Uuid;

/// Adds an expense.
#[tauri::command]
pub async fn add_expense(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    input: ExpenseInput,
) -> Result<Expense, AppError> {
    let outlay = database.outlay()?;
    outlay.add_expense(&signed_in.session()?, input).await
}

/// Replaces every field of an expense.
#[tauri::command]
pub async fn update_expense(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: ExpenseInput,
) -> Result<Expense, AppError> {
    let outlay = database.outlay()?;
    outlay
        .update_expense(&signed_in.session()?, id, input)
        .await
}

/// Deletes expenses (undoable); returns how many.
#[tauri::command]
pub async fn delete_expenses(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
) -> Result<u64, AppError> {
    let outlay = database.outlay()?;
    outlay.delete_expenses(&signed_in.session()?, &ids).await
}

/// Restores deleted expenses; returns how many.
#[tauri::command]
pub async fn undo_delete(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
) -> Result<u64, AppError> {
    let outlay = database.outlay()?;
    outlay.undo_delete(&signed_in.session()?, &ids).await
}

/// Moves expenses to another category; returns how many.
#[tauri::command]
pub async fn recategorise_expenses(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
    category_id: Uuid,
) -> Result<u64, AppError> {
    let outlay = database.outlay()?;
    outlay
        .recategorise_expenses(&signed_in.session()?, &ids, category_id)
        .await
}

/// One page of expenses, newest first.
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
