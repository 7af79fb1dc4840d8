//! Budget and dashboard commands.

use crate::database::Database;
use crate::signed_in::SignedIn;
use outlay_core::budgets::{Budget, BudgetInput, BudgetProgress};
use outlay_core::dashboard::Dashboard;
use outlay_core::AppError;
use tauri::State;
use uuid::Uuid;

/// The user's budgets.
#[tauri::command]
pub async fn list_budgets(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<Budget>, AppError> {
    let outlay = database.outlay()?;
    outlay.budgets(&signed_in.session()?).await
}

/// Creates a budget.
#[tauri::command]
pub async fn create_budget(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    input: BudgetInput,
) -> Result<Budget, AppError> {
    let outlay = database.outlay()?;
    outlay.create_budget(&signed_in.session()?, input).await
}

/// Changes a budget.
#[tauri::command]
pub async fn update_budget(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: BudgetInput,
) -> Result<Budget, AppError> {
    let outlay = database.outlay()?;
    outlay.update_budget(&signed_in.session()?, id, input).await
}

/// Deletes a budget.
#[tauri::command]
pub async fn delete_budget(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
) -> Result<(), AppError> {
    let outlay = database.outlay()?;
    outlay.delete_budget(&signed_in.session()?, id).await
}

/// Every budget evaluated for today's period.
#[tauri::command]
pub async fn budget_progress(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<BudgetProgress>, AppError> {
    let outlay = database.outlay()?;
    let today = outlay.clock().today();
    outlay.budget_progress(&signed_in.session()?, today).await
}

/// The dashboard for this month.
#[tauri::command]
pub async fn dashboard(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<Dashboard, AppError> {
    let outlay = database.outlay()?;
    let today = outlay.clock().today();
    outlay.dashboard(&signed_in.session()?, today).await
}
