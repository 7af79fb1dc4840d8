//! `bench-prepare`: what `cargo xtask bench-desktop` needs before it can start Outlay on a
//! signed-in profile with many expenses.
//!
//! ```text
//! bench-prepare data --rows 1000000 --dir <data dir>   # a fresh outlay.db (once per size)
//! bench-prepare sign-in --dir <data dir>               # a remember-me token in the keychain
//! ```
//! `sign-in` talks to the Secret Service on DBUS_SESSION_BUS_ADDRESS, which the bench points at
//! a private, throw-away keyring.

mod data;
mod sign_in;

use std::path::PathBuf;
use std::process::ExitCode;

/// The bench user. The password only guards a throw-away profile.
pub const EMAIL: &str = "bench@example.com";
/// The bench user's password.
pub const PASSWORD: &str = "bench password 2026";
/// The file the app opens inside its data dir (src-tauri/src/database.rs).
pub const DATABASE_FILE: &str = "outlay.db";

const USAGE: &str =
    "usage: bench-prepare data --rows N --dir DIR | bench-prepare sign-in --dir DIR";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match parse(&args) {
        Some(("data", Some(rows), dir)) => data::prepare(rows, &dir).await,
        Some(("sign-in", None, dir)) => sign_in::remember(&dir).await,
        _ => Err(USAGE.to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("bench-prepare: {problem}");
            ExitCode::FAILURE
        }
    }
}

/// The task, `--rows` if given, and `--dir`.
fn parse(args: &[String]) -> Option<(&str, Option<u64>, PathBuf)> {
    let (task, mut rest) = args.split_first()?;
    let mut rows = None;
    let mut dir = None;
    while let [flag, value, tail @ ..] = rest {
        match flag.as_str() {
            "--rows" => rows = Some(value.parse().ok()?),
            "--dir" => dir = Some(PathBuf::from(value)),
            _ => return None,
        }
        rest = tail;
    }
    if !rest.is_empty() {
        return None;
    }
    Some((task.as_str(), rows, dir?))
}
