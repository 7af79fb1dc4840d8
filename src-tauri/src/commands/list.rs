// Every app command, spelled once: `module::name(arguments the page sends) -> answer;`.
//
// This file is a single macro call, `include!`d twice: by commands/mod.rs, whose `commands!`
// makes the invoke handler, the names and the TypeScript contract from it, and by
// src-tauri/build.rs, whose `commands!` makes a permission for each name (tauri-build). A
// window may then call only what its capability file under src-tauri/capabilities/ grants;
// tests/ipc/capabilities.rs checks that those grant only commands listed here.
//
// The arguments and the answer are the command's own, with the `State`, `AppHandle` and
// other context parameters left out: the page sends each argument by its camelCase name and
// gets the answer's JSON (`()` is nothing, a `Result` the `Ok` side). They are written here by
// hand next to the function's signature, so keep the two in step; `cargo xtask bindings` then
// turns them into ui/src/bindings.ts. Types are named as commands/mod.rs imports them for
// the `ts` feature.
//
// A new command: write it in its area's file, add a line here, grant it in a capability
// file, then run `cargo xtask bindings` and call it from ui/src/api.ts.
commands! {
    app::app_info() -> AppInfo;
    app::app_started(screen: String) -> ();

    account::sign_up(email: String, password: String, base_currency: String) -> Session;
    account::log_in(email: String, password: String, remember: Option<bool>) -> SignedInAnswer;
    account::current_session() -> Option<Session>;
    account::resume_session() -> Option<Session>;
    account::log_out() -> ();
    account::change_password(current_password: String, new_password: String) -> ();
    account::delete_account(password: String) -> ();

    categories::list_categories() -> Vec<Category>;
    categories::create_category(input: CategoryInput) -> Category;
    categories::update_category(id: Uuid, input: CategoryInput) -> Category;
    categories::archive_category(id: Uuid, archived: bool) -> Category;
    categories::merge_categories(from: Uuid, into: Uuid) -> u64;

    expenses::add_expense(input: ExpenseInput) -> Expense;
    expenses::update_expense(id: Uuid, input: ExpenseInput) -> Expense;
    expenses::delete_expenses(ids: Vec<Uuid>) -> u64;
    expenses::undo_delete(ids: Vec<Uuid>) -> u64;
    expenses::recategorise_expenses(ids: Vec<Uuid>, category_id: Uuid) -> u64;
    expenses::list_expenses(filter: ExpenseFilter, after: Option<ExpenseCursor>, limit: u32) -> ExpensePage;
    expenses::list_expenses_at(filter: ExpenseFilter, position: u64, limit: u32) -> ExpensePage;
    expenses::expense_totals(filter: ExpenseFilter) -> Vec<Total>;

    budgets::list_budgets() -> Vec<Budget>;
    budgets::create_budget(input: BudgetInput) -> Budget;
    budgets::update_budget(id: Uuid, input: BudgetInput) -> Budget;
    budgets::delete_budget(id: Uuid) -> ();
    budgets::budget_progress() -> Vec<BudgetProgress>;
    budgets::dashboard() -> Dashboard;

    reports::spending_report(first: NaiveDate, months: u32) -> SpendingReport;

    transfer::import_expenses_csv(text: String, options: ImportOptions) -> ImportReport;
    transfer::export_expenses_csv() -> ExportedFile;

    statements::choose_statement() -> Option<ChosenFile>;
    statements::review_statement(
        choices: StatementChoices,
        on_progress: Channel<ImportProgress>
    ) -> StatementReview;
    statements::import_statement(
        choices: StatementChoices,
        on_progress: Channel<ImportProgress>
    ) -> StatementImport;
    statements::cancel_statement() -> ();
    statements::category_rules() -> Vec<CategoryRule>;
    statements::add_category_rule(contains: String, category_id: Uuid) -> CategoryRule;
    statements::delete_category_rule(id: Uuid) -> ();

    database::database_status() -> DatabaseStatus;
    database::retry_server() -> DatabaseStatus;
    database::connect_server(settings: ServerSettings, password: String) -> DatabaseStatus;
    database::use_local_file() -> DatabaseStatus;
    database::upload_to_server(
        settings: ServerSettings,
        password: String,
        account_password: String,
        progress: Channel<UploadProgress>
    ) -> UploadReport;

    quick_add::open_quick_add() -> ();
    quick_add::quick_add_shortcut() -> String;
    quick_add::set_quick_add_shortcut(shortcut: String) -> String;

    assistant::quick_add_preview(text: String) -> QuickAddPreview;
    assistant::quick_add_save(text: String, category_id: Option<Uuid>) -> Expense;
    assistant::ask_assistant(question: String) -> AssistantReply;

    alerts::list_alerts() -> AlertList;
    alerts::mark_alert_read(id: Uuid) -> ();
    alerts::mark_all_alerts_read() -> u64;
    alerts::notifications_enabled() -> bool;
    alerts::set_notifications_enabled(on: bool) -> ();
    alerts::email_status() -> EmailStatus;
    alerts::save_email_settings(input: EmailSettingsInput, api_key: Option<String>) -> EmailStatus;
    alerts::send_test_email() -> ();
    alerts::retry_mail(id: Uuid) -> ();
    alerts::set_budget_email(budget_id: Uuid, on: bool) -> Budget;
}
