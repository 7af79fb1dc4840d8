//! The `Store` contract: every test here runs, unchanged, on each storage backend through the
//! public services of `Outlay`. One binary, modules per area (zero2prod style).

#![allow(
    clippy::unwrap_used,
    reason = "test code, helpers too: a failed unwrap is a failed test, naming the error"
)]

#[macro_use]
mod harness;

mod alerts;
mod assistant;
mod auth;
mod bank_statements;
mod budgets;
mod categories;
mod dashboard;
mod expenses;
mod import_alerts;
mod isolation;
mod mail;
mod quick_add;
mod sorting;
mod statements;
mod totals;
mod transfer;
mod upload;
// PostgreSQL only: what the server itself enforces, and how connection failures look.
mod server_connection;
mod server_isolation;
