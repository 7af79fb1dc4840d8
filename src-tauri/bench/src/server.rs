//! A throw-away PostgreSQL database set up like a real server: the contract tests' own helper,
//! shared so the benchmark measures exactly what the tests check.

#[allow(
    dead_code,
    clippy::unwrap_used,
    reason = "test code included as is: the contract tests use more of it, and unwrap"
)]
#[path = "../../core/tests/contract/harness/postgres.rs"]
mod harness;

pub use harness::{credentials, TestDatabase};
