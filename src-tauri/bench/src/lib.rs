//! Outlay's benchmark: generates a deterministic data set, loads it into each store, and
//! times the actions a user waits for. `cargo xtask bench` builds and runs it in release mode;
//! `tests/smoke.rs` runs it small so it keeps working.

pub mod files;
pub mod generate;
pub mod hledger;
pub mod load;
pub mod measure;
pub mod report;
mod server;
pub mod transfer;

use chrono::{Datelike, Months, NaiveDate};
use generate::Plan;
use load::Backend;
use measure::Samples;
use outlay_core::Clock;
use report::Metric;
use std::path::PathBuf;

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Expenses in the data set.
    pub expenses: u64,
    /// The stores to measure.
    pub backends: Vec<Backend>,
    /// Where the data files and `report.json` go.
    pub out: PathBuf,
    /// Samples per latency.
    pub samples: Samples,
    /// Whether to time hledger on the same data.
    pub hledger: bool,
    /// The desktop metrics `cargo xtask bench-desktop` wrote (its desktop.json), if measured.
    pub app_metrics: Option<PathBuf>,
}

/// "Today" for the data set and the clock: fixed, so every run asks the same questions.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("a real date")
}

/// Generates the data, measures every backend, and returns the metrics (placeholders for
/// the app metrics included). Progress goes to stdout.
pub async fn run(options: &Options) -> Result<Vec<Metric>, String> {
    let today = today();
    let plan = Plan::new(options.expenses, today);
    std::fs::create_dir_all(&options.out).map_err(|e| format!("{:?}: {e}", options.out))?;
    let journal = options.out.join("expenses.journal");
    let csv = options.out.join("expenses.csv");
    let started = std::time::Instant::now();
    files::write_csv(&plan, &csv).map_err(|e| format!("writing {csv:?}: {e}"))?;
    files::write_journal(&plan, &journal).map_err(|e| format!("writing {journal:?}: {e}"))?;
    let bank_csv = options.out.join("bank-statement.csv");
    files::write_bank_csv(&plan, &bank_csv).map_err(|e| format!("writing {bank_csv:?}: {e}"))?;
    println!(
        "generated {} expenses (CSV and journal) in {:.1?}",
        plan.expenses,
        started.elapsed()
    );

    let clock = Clock::fixed(today.and_hms_opt(12, 0, 0).expect("noon").and_utc());
    let report_first = (today - Months::new(11)).with_day(1).expect("day 1");
    let hledger = match options.hledger {
        true => hledger::time_report(&journal, report_first, report_first + Months::new(12))?,
        false => None,
    };
    if let Some(took) = hledger {
        println!("hledger bal over the same year: {took:.1?}");
    }
    let mut metrics = Vec::new();
    for backend in &options.backends {
        let name = backend.name();
        let started = std::time::Instant::now();
        let loaded = load::load(backend, &plan, clock.clone(), &options.out).await?;
        println!("{name}: loaded in {:.1?}", started.elapsed());
        let (latencies, reports) =
            measure::latencies(&loaded, today, options.samples, name).await?;
        metrics.extend(latencies);
        let (rows, per_second) = transfer::export(&loaded, &options.out.join("export.csv")).await?;
        println!("{name}: exported {rows} expenses at {per_second:.0} rows/s");
        metrics.push(Metric {
            name: format!("export_rows_per_s_{name}"),
            value: Some(per_second),
            unit: "rows/s",
        });
        // Last: it doubles the data in the store.
        let (lines, imported, duplicates, per_second) = transfer::import(&loaded, &csv).await?;
        println!(
            "{name}: imported {imported} of {lines} lines ({duplicates} duplicates) \
             at {per_second:.0} rows/s"
        );
        metrics.push(Metric {
            name: format!("import_rows_per_s_{name}"),
            value: Some(per_second),
            unit: "rows/s",
        });
        let (rows, saved, bank_per_second) = transfer::import_bank(&loaded, &bank_csv).await?;
        println!(
            "{name}: imported a bank statement of {rows} rows ({saved} expenses) at \
             {bank_per_second:.0} rows/s, {:.0} % of the native layout's rate",
            100.0 * bank_per_second / per_second
        );
        metrics.push(Metric {
            name: format!("import_bank_rows_per_s_{name}"),
            value: Some(bank_per_second),
            unit: "rows/s",
        });
        metrics.push(Metric {
            name: format!("import_bank_over_native_{name}"),
            value: Some(bank_per_second / per_second),
            unit: "ratio",
        });
        metrics.push(Metric {
            name: format!("hledger_report_ratio_{name}"),
            value: hledger.map(|h| h.as_secs_f64() * 1000.0 / reports.quantile_ms(0.5)),
            unit: "ratio",
        });
    }
    let measured = match &options.app_metrics {
        Some(path) => report::read_app_metrics(path)?,
        None => Vec::new(),
    };
    for (name, unit) in report::APP_METRICS {
        let value = measured
            .iter()
            .find(|(measured_name, _)| measured_name == name)
            .and_then(|(_, value)| *value);
        metrics.push(Metric {
            name: (*name).to_owned(),
            value,
            unit,
        });
    }
    Ok(metrics)
}
