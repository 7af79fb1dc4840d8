//! Expense commands.
//!
//! The core's writes also return the budget alerts they fired (`Saved::fired`); these commands
//! still hand the UI only the saved value, until notifications are wired in the shell.

use crate::signed_in::SignedIn;
use outlay_core::expenses::{Expense, ExpenseCursor, ExpenseFilter, ExpenseInput, ExpensePage};
use outlay_core::store::Total;
use outlay_core::{AppError, Outlay};
use tauri::State;
use uuid::Uuid;

/// Adds an expense.
#[tauri::command]
pub async fn add_expense(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    input: ExpenseInput,
) -> Result<Expense, AppError> {
    let saved = outlay.add_expense(&signed_in.session()?, input).await?;
    Ok(saved.value)
}

/// Replaces every field of an expense.
#[tauri::command]
pub async fn update_expense(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: ExpenseInput,
) -> Result<Expense, AppError> {
    let saved = outlay
        .update_expense(&signed_in.session()?, id, input)
        .await?;
    Ok(saved.value)
}

/// Deletes expenses (undoable); returns how many.
#[tauri::command]
pub async fn delete_expenses(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
) -> Result<u64, AppError> {
    let saved = outlay.delete_expenses(&signed_in.session()?, &ids).await?;
    Ok(saved.value)
}

/// Restores deleted expenses; returns how many.
#[tauri::command]
pub async fn undo_delete(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
) -> Result<u64, AppError> {
    let saved = outlay.undo_delete(&signed_in.session()?, &ids).await?;
    Ok(saved.value)
}

/// Moves expenses to another category; returns how many.
#[tauri::command]
pub async fn recategorise_expenses(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    ids: Vec<Uuid>,
    category_id: Uuid,
) -> Result<u64, AppError> {
    let saved = outlay
        .recategorise_expenses(&signed_in.session()?, &ids, category_id)
        .await?;
    Ok(saved.value)
}

/// One page of expenses, newest first.
#[tauri::command]
pub async fn list_expenses(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    filter: ExpenseFilter,
    after: Option<ExpenseCursor>,
    limit: u32,
) -> Result<ExpensePage, AppError> {
    outlay
        .list_expenses(&signed_in.session()?, &filter, after.as_ref(), limit)
        .await
}

/// Totals per currency of everything the filter matches.
#[tauri::command]
pub async fn expense_totals(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    filter: ExpenseFilter,
) -> Result<Vec<Total>, AppError> {
    outlay.expense_totals(&signed_in.session()?, &filter).await
}
