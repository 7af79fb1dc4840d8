//! tauri-build for the app: the context, and a permission for each app command.

// Every app command is listed here so tauri-build generates an `allow-<command>` permission
// for it; a window can then call only what its capability file under
// src-tauri/capabilities/ grants. Add a command here, then grant it where it is used.
const COMMANDS: &[&str] = &[
    "app_info",
    "app_started",
    "sign_up",
    "log_in",
    "current_session",
    "resume_session",
    "log_out",
    "change_password",
    "delete_account",
    "list_categories",
    "create_category",
    "update_category",
    "archive_category",
    "merge_categories",
    "add_expense",
    "update_expense",
    "delete_expenses",
    "undo_delete",
    "recategorise_expenses",
    "list_expenses",
    "list_expenses_at",
    "expense_totals",
    "list_budgets",
    "create_budget",
    "update_budget",
    "delete_budget",
    "budget_progress",
    "dashboard",
    "spending_report",
    "import_expenses_csv",
    "export_expenses_csv",
    "choose_statement",
    "review_statement",
    "import_statement",
    "cancel_statement",
    "category_rules",
    "add_category_rule",
    "delete_category_rule",
    "database_status",
    "retry_server",
    "connect_server",
    "use_local_file",
    "upload_to_server",
    "open_quick_add",
    "quick_add_shortcut",
    "set_quick_add_shortcut",
    "quick_add_preview",
    "quick_add_save",
    "ask_assistant",
    "list_alerts",
    "mark_alert_read",
    "mark_all_alerts_read",
    "notifications_enabled",
    "set_notifications_enabled",
    "email_status",
    "save_email_settings",
    "send_test_email",
    "retry_mail",
    "set_budget_email",
];

fn main() {
    // tauri-build watches its default capabilities dir only; ours moved, so say so.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    // The capabilities live under src-tauri/ while tauri.conf.json and Cargo.toml sit at the
    // root, so the default `./capabilities/**/*` pattern would find nothing.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // `{:#}` prints the whole cause chain, which is where the useful part usually is.
        panic!("tauri-build failed: {error:#}");
    }
}
