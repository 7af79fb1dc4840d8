//! Budget and dashboard commands.

use crate::alerting::after_write;
use crate::database::Database;
use crate::signed_in::SignedIn;
use outlay_core::budgets::{Budget, BudgetInput, BudgetProgress};
use outlay_core::dashboard::Dashboard;
use outlay_core::{AppError, Outlay, Session};
use tauri::{AppHandle, Runtime, State};
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

/// Creates a budget; one already overspent alerts at once.
#[tauri::command]
pub async fn create_budget<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    input: BudgetInput,
) -> Result<Budget, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let budget = outlay.create_budget(&session, input).await?;
    alert_now(&app, &outlay, &session, &budget).await;
    Ok(budget)
}

/// Changes a budget; one lowered below what is already spent alerts at once.
#[tauri::command]
pub async fn update_budget<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: BudgetInput,
) -> Result<Budget, AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    let budget = outlay.update_budget(&session, id, input).await?;
    alert_now(&app, &outlay, &session, &budget).await;
    Ok(budget)
}

/// Checks a saved budget against this period's spend and raises what fired (and refreshes
/// the tray line, which shows the budgets). The budget is saved either way: if the check
/// fails, the next expense in the period catches up.
async fn alert_now<R: Runtime>(
    app: &AppHandle<R>,
    outlay: &Outlay,
    session: &Session,
    budget: &Budget,
) {
    let fired = outlay
        .check_budget_now(session, budget)
        .await
        .unwrap_or_else(|error| {
            tracing::warn!("the new budget was saved but not checked yet: {error}");
            Vec::new()
        });
    after_write(app, outlay, session, &fired).await;
}

/// Deletes a budget.
#[tauri::command]
pub async fn delete_budget<R: Runtime>(
    app: AppHandle<R>,
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
) -> Result<(), AppError> {
    let (outlay, session) = (database.outlay()?, signed_in.session()?);
    outlay.delete_budget(&session, id).await?;
    after_write(&app, &outlay, &session, &[]).await;
    Ok(())
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
