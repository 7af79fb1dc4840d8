//! The report: a table on the terminal and `report.json`, a list of `{name, value, unit}`.

use serde::Serialize;
use std::path::Path;

/// One number of the report. Names end in `_sqlite` / `_postgres` where a backend applies.
#[derive(Clone, Debug, Serialize)]
pub struct Metric {
    /// e.g. "dashboard_p95_ms_sqlite".
    pub name: String,
    /// The measured value; `None` prints as "not measured" and is left out of the JSON.
    #[serde(skip)]
    pub value: Option<f64>,
    /// "ms", "rows/s", "ratio", "MB".
    pub unit: &'static str,
}

/// Metrics that need the release desktop app (a real window, its bundle), which this
/// benchmark does not build: `cargo xtask bench` measures them first (bench-desktop) and
/// hands their file over with `--app-metrics`; without it they are "not measured".
pub const APP_METRICS: &[(&str, &str)] = &[
    ("cold_start_ratio", "ratio"),
    ("rss_ratio", "ratio"),
    ("bundle_deb_mb", "MB"),
];

/// Reads the `[{name, value, unit}]` list bench-desktop wrote; `value` is null when that
/// figure could not be measured.
pub fn read_app_metrics(path: &Path) -> Result<Vec<(String, Option<f64>)>, String> {
    #[derive(serde::Deserialize)]
    struct Measured {
        name: String,
        value: Option<f64>,
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let measured: Vec<Measured> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(measured.into_iter().map(|m| (m.name, m.value)).collect())
}

#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    value: f64,
    unit: &'a str,
}

/// Prints the metrics as a table.
pub fn print_table(metrics: &[Metric]) {
    println!("\n{:<34} {:>14}  unit", "metric", "value");
    for m in metrics {
        match m.value {
            Some(v) => println!("{:<34} {:>14}  {}", m.name, format_value(v), m.unit),
            None => println!("{:<34} {:>14}  {}", m.name, "not measured", m.unit),
        }
    }
}

fn format_value(v: f64) -> String {
    match v {
        v if v >= 1000.0 => format!("{v:.0}"),
        v if v >= 10.0 => format!("{v:.1}"),
        v => format!("{v:.3}"),
    }
}

/// Writes the measured metrics to `path` as a JSON list.
pub fn write_json(metrics: &[Metric], path: &Path) -> std::io::Result<()> {
    let entries: Vec<Entry> = metrics
        .iter()
        .filter_map(|m| {
            Some(Entry {
                name: &m.name,
                value: m.value?,
                unit: m.unit,
            })
        })
        .collect();
    let json = serde_json::to_string_pretty(&entries).map_err(std::io::Error::other)?;
    std::fs::write(path, json + "\n")
}
