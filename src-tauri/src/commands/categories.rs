//! Category commands.

use crate::signed_in::SignedIn;
use outlay_core::categories::{Category, CategoryInput};
use outlay_core::{AppError, Outlay};
use tauri::State;
use uuid::Uuid;

/// The user's categories, parents before children.
#[tauri::command]
pub async fn list_categories(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
) -> Result<Vec<Category>, AppError> {
    outlay.categories(&signed_in.session()?).await
}

/// Creates a category.
#[tauri::command]
pub async fn create_category(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    input: CategoryInput,
) -> Result<Category, AppError> {
    outlay.create_category(&signed_in.session()?, input).await
}

/// Renames, recolours or moves a category.
#[tauri::command]
pub async fn update_category(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    input: CategoryInput,
) -> Result<Category, AppError> {
    outlay
        .update_category(&signed_in.session()?, id, input)
        .await
}

/// Archives or restores a category.
#[tauri::command]
pub async fn archive_category(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    id: Uuid,
    archived: bool,
) -> Result<Category, AppError> {
    outlay
        .set_category_archived(&signed_in.session()?, id, archived)
        .await
}

/// Merges one category into another; returns how many expenses moved.
#[tauri::command]
pub async fn merge_categories(
    outlay: State<'_, Outlay>,
    signed_in: State<'_, SignedIn>,
    from: Uuid,
    into: Uuid,
) -> Result<u64, AppError> {
    outlay
        .merge_categories(&signed_in.session()?, from, into)
        .await
}
