//! `cargo xtask bench [--scale 10k|100k|1m] [--backend sqlite|postgres|both] [--no-desktop]`:
//! builds the benchmark in release mode and runs it; it prints a table and writes
//! target/bench/report.json. On Linux it first measures the desktop figures (the .deb's size,
//! then start-up and memory of the release app on the same number of expenses, see
//! bench_desktop) and the report includes them; `--no-desktop` skips that part.

use std::path::Path;

use crate::step::{self, Steps};
use crate::{bench_desktop, bundle, cargo, deps, postgres};

const BACKENDS: &[&str] = &["sqlite", "postgres", "both"];

/// Parses the options, prepares what the chosen backends need, and runs the benchmark.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut scale = "100k".to_owned();
    let mut backend = "sqlite".to_owned();
    let mut desktop = cfg!(target_os = "linux");
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        if flag == "--no-desktop" {
            desktop = false;
            continue;
        }
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
            server = Some(postgres::start(root, postgres::Durability::On)?);
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
    let app_metrics = out.join("desktop.json");
    let _ = std::fs::remove_file(&app_metrics);
    if desktop {
        let rows = bench_desktop::parse_count(&scale)?;
        // Measured before the store benchmark, not beside it: both want the two cores.
        steps.run("release .deb", || bundle::build(root, "deb"))?;
        steps.run("desktop start-up and memory", || {
            let metrics = bench_desktop::measure(rows, root)?;
            bench_desktop::write_json(&metrics, &app_metrics)
        })?;
    }
    steps.run("benchmark", || {
        let mut command = std::process::Command::new(root.join("target/release/outlay-bench"));
        command
            .args(["--scale", &scale, "--backend", &backend, "--out"])
            .arg(&out)
            .current_dir(root);
        if app_metrics.exists() {
            command.arg("--app-metrics").arg(&app_metrics);
        }
        if let Some(server) = &server {
            command.env("DATABASE_URL", &server.url);
        }
        step::status(&mut command, "outlay-bench")
    })?;
    steps.summary();
    Ok(())
}
