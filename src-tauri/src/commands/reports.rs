//! Report commands.

use crate::database::Database;
use crate::signed_in::SignedIn;
use chrono::NaiveDate;
use outlay_core::reports::SpendingReport;
use outlay_core::AppError;
use tauri::State;

/// Spend by category by month for `months` months from the month holding `first`.
#[tauri::command]
pub async fn spending_report(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    first: NaiveDate,
    months: u32,
) -> Result<SpendingReport, AppError> {
    let outlay = database.outlay()?;
    outlay
        .spending_report(&signed_in.session()?, first, months)
        .await
}
