//! Thin `#[tauri::command]` adapters, one file per area: they take what the UI sent and the
//! managed state, call `outlay-core`, and hand back its result. No SQL and no rules here.
//!
//! Every command is listed once, in list.rs (see there for how to add one).

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

/// Builds, from the list in list.rs: `handler`, the invoke handler of every command; `name`,
/// each command's name as the page sends it; and with the `ts` feature `contract`, each
/// command's arguments and answer for the TypeScript bindings (see bindings.rs).
macro_rules! commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $answer:ty;)*) => {
        /// The invoke handler listing every app command.
        pub fn handler<R: tauri::Runtime>(
        ) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$name),*]
        }

        /// Each command's name, as the page (and a test) sends it.
        #[allow(non_upper_case_globals, reason = "a command's name, spelled as it is sent")]
        pub mod name {
            $(
                #[doc = concat!("`", stringify!($name), "`")]
                pub const $name: &str = stringify!($name);
            )*
        }

        /// Every command's name, in the order of list.rs.
        pub const ALL: &[&str] = &[$(name::$name),*];

        #[cfg(feature = "ts")]
        pub(crate) fn contract() -> Vec<crate::bindings::Command> {
            use contract_types::*;
            vec![$(
                crate::bindings::Command::new::<$answer>(
                    name::$name,
                    vec![$(crate::bindings::Argument::of::<$ty>(stringify!($arg))),*],
                )
            ),*]
        }
    };
}

include!("list.rs");

/// The types list.rs names, in scope for `contract`.
#[cfg(feature = "ts")]
mod contract_types {
    pub(super) use super::account::SignedInAnswer;
    pub(super) use super::alerts::EmailStatus;
    pub(super) use super::app::AppInfo;
    pub(super) use super::database::DatabaseStatus;
    pub(super) use super::statements::ChosenFile;
    pub(super) use super::transfer::ExportedFile;
    pub(super) use crate::bindings::Channel;
    pub(super) use crate::connection::ServerSettings;
    pub(super) use chrono::NaiveDate;
    pub(super) use outlay_core::alerts::AlertList;
    pub(super) use outlay_core::assistant::AssistantReply;
    pub(super) use outlay_core::budgets::{Budget, BudgetInput, BudgetProgress};
    pub(super) use outlay_core::categories::{Category, CategoryInput};
    pub(super) use outlay_core::dashboard::Dashboard;
    pub(super) use outlay_core::expenses::{
        Expense, ExpenseCursor, ExpenseFilter, ExpenseInput, ExpensePage,
    };
    pub(super) use outlay_core::mail::EmailSettingsInput;
    pub(super) use outlay_core::quick_add::QuickAddPreview;
    pub(super) use outlay_core::reports::SpendingReport;
    pub(super) use outlay_core::statement::{
        CategoryRule, StatementChoices, StatementImport, StatementReview,
    };
    pub(super) use outlay_core::store::Total;
    pub(super) use outlay_core::transfer::{ImportOptions, ImportProgress, ImportReport};
    pub(super) use outlay_core::upload::{UploadProgress, UploadReport};
    pub(super) use outlay_core::Session;
    pub(super) use uuid::Uuid;
}
