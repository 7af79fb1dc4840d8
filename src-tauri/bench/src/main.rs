//! `outlay-bench [--scale 10k|100k|1m|<n>] [--backend sqlite|postgres|both] [--out DIR]
//! [--no-hledger] [--app-metrics FILE]`
//!
//! Prints a table and writes `DIR/report.json` (default `target/bench`). PostgreSQL needs
//! `DATABASE_URL` (a superuser URL); `cargo xtask bench` starts a server when it is unset.

use outlay_bench::load::Backend;
use outlay_bench::measure::Samples;
use outlay_bench::{report, run, Options};
use std::path::PathBuf;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match parse(std::env::args().skip(1).collect()) {
        Ok(options) => match run(&options).await {
            Ok(metrics) => {
                report::print_table(&metrics);
                let path = options.out.join("report.json");
                if let Err(e) = report::write_json(&metrics, &path) {
                    eprintln!("outlay-bench: writing {path:?}: {e}");
                    return ExitCode::FAILURE;
                }
                println!("\nwrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("outlay-bench: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!(
                "outlay-bench: {e}\nusage: outlay-bench [--scale 10k|100k|1m|<n>] \
                 [--backend sqlite|postgres|both] [--out DIR] [--no-hledger] [--app-metrics FILE]"
            );
            ExitCode::from(2)
        }
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut expenses = 100_000;
    let mut backend = "sqlite".to_owned();
    let mut out = PathBuf::from("target/bench");
    let mut hledger = true;
    let mut app_metrics = None;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "--no-hledger" {
            hledger = false;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--scale" => expenses = parse_scale(&value)?,
            "--backend" => backend = value,
            "--out" => out = PathBuf::from(value),
            "--app-metrics" => app_metrics = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let postgres = || {
        std::env::var("DATABASE_URL")
            .map(Backend::Postgres)
            .map_err(|_| "PostgreSQL needs DATABASE_URL (a superuser URL)".to_owned())
    };
    let backends = match backend.as_str() {
        "sqlite" => vec![Backend::Sqlite],
        "postgres" => vec![postgres()?],
        "both" => vec![Backend::Sqlite, postgres()?],
        other => return Err(format!("unknown backend {other}")),
    };
    Ok(Options {
        expenses,
        backends,
        out,
        samples: Samples {
            adds: 300,
            reads: 60,
        },
        hledger,
        app_metrics,
    })
}

/// "10k", "1m", "2500".
fn parse_scale(text: &str) -> Result<u64, String> {
    let lower = text.to_ascii_lowercase();
    let (digits, factor) = match lower.strip_suffix('k') {
        Some(d) => (d, 1_000),
        None => match lower.strip_suffix('m') {
            Some(d) => (d, 1_000_000),
            None => (lower.as_str(), 1),
        },
    };
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(|n| n * factor)
        .ok_or(format!("--scale {text}: use 10k, 100k, 1m or a number"))
}
