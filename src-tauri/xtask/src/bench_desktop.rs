//! The desktop metrics of the benchmark (issue 7), measured on the release builds under Xvfb:
//!
//! - `cold_start_ratio`: Outlay opening on a signed-in profile with `rows` expenses until its
//!   dashboard shows its numbers, over a minimal Tauri window until its page shows (target
//!   ≤ 1.5). The two are started alternately in one run, the median of each is taken.
//! - `rss_ratio`: resident memory of each whole process tree (WebKit's processes included)
//!   5 s after it showed, Outlay's over the minimal window's (target ≤ 1.3).
//! - `bundle_deb_mb`: the newest .deb under target/release/bundle/deb (made by `cargo xtask
//!   bundle`; this module does not build bundles).
//!
//! How "shown" is seen without WebDriver: both apps write one line on stderr after the first
//! frame with their content (see src-tauri/src/startup.rs and src-tauri/bench-window). The
//! bench times, on its own clock, from spawning the process to reading that line.

mod breakdown;
mod build;
mod desktop;
mod launch;
mod metrics;
mod processes;

use std::path::Path;
use std::time::{Duration, Instant};

pub use metrics::{write_json, Metric};

use launch::Subject;

/// Counted launches of each app (after one uncounted warm-up launch of each).
pub const DEFAULT_RUNS: usize = 5;
/// Expenses in the profile Outlay opens, as issue 7 asks.
pub const DEFAULT_ROWS: u64 = 1_000_000;
/// How long after "shown" memory is read.
const SETTLE: Duration = Duration::from_secs(5);

/// Builds what is needed, measures, and returns the desktop metrics.
pub fn measure(scale_rows: u64, root: &Path) -> Result<Vec<Metric>, String> {
    measure_with(scale_rows, DEFAULT_RUNS, root)
}

/// [`measure`] with a chosen number of launches of each app.
pub fn measure_with(rows: u64, runs: usize, root: &Path) -> Result<Vec<Metric>, String> {
    if !cfg!(target_os = "linux") {
        return Err("the desktop metrics are measured on Linux (Xvfb, /proc) only".into());
    }
    if runs == 0 {
        return Err("at least one launch of each app is needed".into());
    }
    let began = Instant::now();
    let binaries = build::release(root)?;
    let data = build::profile(root, &binaries, rows)?;
    let run_dir = root.join("target/bench/desktop/run");
    let desktop = desktop::Desktop::start(&run_dir)?;
    let profile = desktop.copy_profile(&data)?;
    desktop.sign_in(&binaries.prepare, &profile)?;

    let outlay = Subject::outlay(&binaries.outlay, &profile);
    let window = Subject::window(&binaries.window);
    println!("warm-up launch of each (not counted)");
    for subject in [&window, &outlay] {
        launch::once(subject, &desktop, SETTLE)?;
    }
    let mut outlay_runs = Vec::new();
    let mut window_runs = Vec::new();
    for round in 0..runs {
        // Alternate which goes first, so a drift in machine load hits both alike.
        let order = if round % 2 == 0 {
            [&window, &outlay]
        } else {
            [&outlay, &window]
        };
        for subject in order {
            let run = launch::once(subject, &desktop, SETTLE)?;
            println!(
                "  round {}: {:<12} shown after {:>6.0} ms, {:>6.1} MB resident",
                round + 1,
                subject.name,
                run.shown.as_secs_f64() * 1000.0,
                run.rss_mb()
            );
            if std::ptr::eq(subject, &outlay) {
                outlay_runs.push(run);
            } else {
                window_runs.push(run);
            }
        }
    }
    drop(desktop);
    let _ = std::fs::remove_dir_all(&run_dir);

    breakdown::print(&outlay_runs, &window_runs);
    let mut metrics = metrics::from_runs(&outlay_runs, &window_runs);
    metrics.push(metrics::bundle_deb(root));
    println!(
        "desktop metrics took {:.0} s in all ({runs} launches of each, {rows} expenses)",
        began.elapsed().as_secs_f64()
    );
    Ok(metrics)
}

/// `cargo xtask bench-desktop [--rows N] [--runs N]`: measures, prints the metrics and writes
/// them to target/bench/desktop.json.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut rows = DEFAULT_ROWS;
    let mut runs = DEFAULT_RUNS;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--rows" => rows = parse_count(value)?,
            "--runs" => runs = parse_count(value)? as usize,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    let metrics = measure_with(rows, runs, root)?;
    println!();
    metrics::print(&metrics);
    let out = root.join("target/bench/desktop.json");
    metrics::write_json(&metrics, &out)?;
    println!("\nwritten to {}", out.display());
    Ok(())
}

/// "1000000", "1m", "100k".
pub fn parse_count(text: &str) -> Result<u64, String> {
    let lower = text.to_ascii_lowercase();
    let (digits, factor) = match lower.as_bytes().last() {
        Some(b'k') => (&lower[..lower.len() - 1], 1_000),
        Some(b'm') => (&lower[..lower.len() - 1], 1_000_000),
        _ => (lower.as_str(), 1),
    };
    digits
        .replace('_', "")
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or(format!("{text} is not a count (e.g. 1000000, 100k, 1m)"))
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn counts_read_with_or_without_a_suffix() {
        assert_eq!(parse_count("1m"), Ok(1_000_000));
        assert_eq!(parse_count("100K"), Ok(100_000));
        assert_eq!(parse_count("1_000"), Ok(1_000));
        assert!(parse_count("lots").is_err());
        assert!(parse_count("").is_err());
    }
}
