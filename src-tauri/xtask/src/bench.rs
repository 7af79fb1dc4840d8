//! `cargo xtask bench [--scale 10k|100k|1m] [--backend sqlite|postgres|both]`: builds the
//! benchmark in release mode and runs it; it prints a table and writes target/bench/report.json.

use std::path::Path;

use crate::step::{self, Steps};
use crate::{cargo, deps, postgres};

const BACKENDS: &[&str] = &["sqlite", "postgres", "both"];

/// Parses the options, prepares what the chosen backends need, and runs the benchmark.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut scale = "100k".to_owned();
    let mut backend = "sqlite".to_owned();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--scale" => scale = value.clone(),
            "--backend" if BACKENDS.contains(&value.as_str()) => backend = value.clone(),
            "--backend" => return Err(format!("--backend is one of {}", BACKENDS.join(", "))),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let mut steps = Steps::new();
    steps.run("hledger", || {
        deps::ensure_optional_package("hledger", "the hledger comparison in the benchmark")
    })?;
    // Kept until the end: dropping it stops a throw-away server, also when a step failed.
    let mut server = None;
    if backend != "sqlite" {
        steps.run("PostgreSQL", || {
            server = Some(postgres::start(root)?);
            Ok(())
        })?;
    }
    steps.run("cargo build --release", || {
        step::status(
            cargo(root).args(["build", "--release", "-p", "outlay-bench"]),
            "cargo build",
        )
    })?;
    let out = root.join("target").join("bench");
    steps.run("benchmark", || {
        let mut command = std::process::Command::new(root.join("target/release/outlay-bench"));
        command
            .args(["--scale", &scale, "--backend", &backend, "--out"])
            .arg(&out)
            .current_dir(root);
        if let Some(server) = &server {
            command.env("DATABASE_URL", &server.url);
        }
        step::status(&mut command, "outlay-bench")
    })?;
    steps.summary();
    Ok(())
}
