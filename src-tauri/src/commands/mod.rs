//! Thin `#[tauri::command]` adapters, one file per area: they take what the UI sent and the
//! managed state, call `outlay-core`, and hand back its result. No SQL and no rules here.
//!
//! A new command goes in three places: its area's file, `handler` below, and `COMMANDS` in
//! src-tauri/build.rs (which makes it a permission), then gets granted in a capability file.

pub(crate) mod account;
pub(crate) mod alerts;
mod app;
pub(crate) mod assistant;
mod budgets;
mod categories;
mod database;
mod expenses;
mod quick_add;
mod reports;
mod statements;
mod transfer;

/// The invoke handler listing every app command.
pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static
{
    tauri::generate_handler![
        app::app_info,
        app::app_started,
        account::sign_up,
        account::log_in,
        account::current_session,
        account::resume_session,
        account::log_out,
        account::change_password,
        account::delete_account,
        categories::list_categories,
        categories::create_category,
        categories::update_category,
        categories::archive_category,
        categories::merge_categories,
        expenses::add_expense,
        expenses::update_expense,
        expenses::delete_expenses,
        expenses::undo_delete,
        expenses::recategorise_expenses,
        expenses::list_expenses,
        expenses::list_expenses_at,
        expenses::expense_totals,
        budgets::list_budgets,
        budgets::create_budget,
        budgets::update_budget,
        budgets::delete_budget,
        budgets::budget_progress,
        budgets::dashboard,
        reports::spending_report,
        transfer::import_expenses_csv,
        transfer::export_expenses_csv,
        statements::choose_statement,
        statements::review_statement,
        statements::import_statement,
        statements::cancel_statement,
        statements::category_rules,
        statements::add_category_rule,
        statements::delete_category_rule,
        database::database_status,
        database::retry_server,
        database::connect_server,
        database::use_local_file,
        database::upload_to_server,
        quick_add::open_quick_add,
        quick_add::quick_add_shortcut,
        quick_add::set_quick_add_shortcut,
        assistant::quick_add_preview,
        assistant::quick_add_save,
        assistant::ask_assistant,
        alerts::list_alerts,
        alerts::mark_alert_read,
        alerts::mark_all_alerts_read,
        alerts::notifications_enabled,
        alerts::set_notifications_enabled,
        alerts::email_status,
        alerts::save_email_settings,
        alerts::send_test_email,
        alerts::retry_mail,
        alerts::set_budget_email,
    ]
}
