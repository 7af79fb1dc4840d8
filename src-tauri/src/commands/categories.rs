//! Category commands.

use crate::database::Database;
use crate::signed_in::SignedIn;
use outlay_core::categories::{Category, CategoryInput};
use outlay_core::AppError;
use tauri::State;
use uuid::Uuid;

/// The user's categories, parents before children.
#[tauri::command]
pub async fn list_categories(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<Category>, AppError> {
    let outlay = database.outlay()?;
    outlay.categories(&signed_in.session()?).await
}

/// Creates a category.
#[tauri::command]
pub async fn create_category(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    input: CategoryInput,
) -> Result<Category, AppError> {
    let outlay = database.outlay()?;
    outlay.create_category(&signed_in.session()?, input).await
}

/// Renames, recolours or moves a category.
#[tauri::command]
pub async fn update_category(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: CategoryInput,
) -> Result<Category, AppError> {
    let outlay = database.outlay()?;
    outlay
        .update_category(&signed_in.session()?, id, input)
        .await
}

/// Archives or restores a category.
#[tauri::command]
pub async fn archive_category(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    archived: bool,
) -> Result<Category, AppError> {
    let outlay = database.outlay()?;
    outlay
        .set_category_archived(&signed_in.session()?, id, archived)
        .await
}

/// Merges one category into another; returns how many expenses moved.
#[tauri::command]
pub async fn merge_categories(
    database: State<'_, Database>,
    signed_in: State<'_, SignedIn>,
    from: Uuid,
    into: Uuid,
) -> Result<u64, AppError> {
    let outlay = database.outlay()?;
    outlay
        .merge_categories(&signed_in.session()?, from, into)
        .await
}
