//! The desktop metrics as (name, value, unit), their targets, and target/bench/desktop.json.

use std::path::Path;

use super::launch::Run;

/// One measured figure; `value` is `None` when it could not be measured this time.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub name: String,
    pub value: Option<f64>,
    pub unit: String,
}

impl Metric {
    fn new(name: &str, value: Option<f64>, unit: &str) -> Metric {
        Metric {
            name: name.to_owned(),
            value,
            unit: unit.to_owned(),
        }
    }
}

/// Issue 7's ceilings.
const TARGETS: &[(&str, f64)] = &[("cold_start_ratio", 1.5), ("rss_ratio", 1.3)];

/// Medians over the launches of each app, and their ratios.
pub fn from_runs(outlay: &[Run], window: &[Run]) -> Vec<Metric> {
    let start = |runs: &[Run]| median(runs.iter().map(|r| r.shown.as_secs_f64() * 1000.0));
    let rss = |runs: &[Run]| median(runs.iter().map(Run::rss_mb));
    let (outlay_ms, window_ms) = (start(outlay), start(window));
    let (outlay_mb, window_mb) = (rss(outlay), rss(window));
    vec![
        Metric::new("cold_start_ratio", ratio(outlay_ms, window_ms), "x"),
        Metric::new("cold_start_outlay_ms", outlay_ms, "ms"),
        Metric::new("cold_start_minimal_window_ms", window_ms, "ms"),
        Metric::new("rss_ratio", ratio(outlay_mb, window_mb), "x"),
        Metric::new("rss_outlay_mb", outlay_mb, "MB"),
        Metric::new("rss_minimal_window_mb", window_mb, "MB"),
    ]
}

/// The size of the newest .deb `cargo xtask bundle` made, in MB (10⁶ bytes).
pub fn bundle_deb(root: &Path) -> Metric {
    let dir = root.join("target/release/bundle/deb");
    let newest = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "deb"))
        .filter_map(|entry| {
            let meta = entry.metadata().ok()?;
            Some((meta.modified().ok()?, meta.len()))
        })
        .max();
    Metric::new(
        "bundle_deb_mb",
        newest.map(|(_, bytes)| bytes as f64 / 1e6),
        "MB",
    )
}

pub fn print(metrics: &[Metric]) {
    for metric in metrics {
        let value = match metric.value {
            Some(value) => format!("{value:.2} {}", metric.unit),
            None if metric.name == "bundle_deb_mb" => {
                "not measured (no .deb in target/release/bundle/deb: `cargo xtask bundle`)"
                    .to_owned()
            }
            None => "not measured".to_owned(),
        };
        let verdict = TARGETS
            .iter()
            .find(|(name, _)| *name == metric.name)
            .zip(metric.value)
            .map(|((_, ceiling), value)| {
                let met = if value <= *ceiling { "met" } else { "MISSED" };
                format!("  (target ≤ {ceiling}: {met})")
            })
            .unwrap_or_default();
        println!("{:<30} {value}{verdict}", metric.name);
    }
}

/// A JSON list of {"name", "value", "unit"}, `value` null when not measured.
pub fn write_json(metrics: &[Metric], path: &Path) -> Result<(), String> {
    let items: Vec<String> = metrics
        .iter()
        .map(|m| {
            let value = m
                .value
                .filter(|v| v.is_finite())
                .map_or("null".to_owned(), |v| format!("{v:.4}"));
            format!(
                "  {{\"name\": {}, \"value\": {value}, \"unit\": {}}}",
                json_string(&m.name),
                json_string(&m.unit)
            )
        })
        .collect();
    let json = format!("[\n{}\n]\n", items.join(",\n"));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

fn ratio(top: Option<f64>, bottom: Option<f64>) -> Option<f64> {
    top.zip(bottom.filter(|b| *b > 0.0)).map(|(t, b)| t / b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(median([5.0, 1.0, 3.0].into_iter()), Some(3.0));
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), Some(2.5));
        assert_eq!(median(std::iter::empty()), None);
    }

    #[test]
    fn a_ratio_over_nothing_is_not_measured() {
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(Some(3.0), Some(0.0)), None);
        assert_eq!(ratio(None, Some(2.0)), None);
    }

    #[test]
    fn the_json_lists_name_value_and_unit_with_null_for_not_measured() {
        let dir = std::env::temp_dir().join(format!("bench-desktop-{}", std::process::id()));
        let path = dir.join("desktop.json");
        let metrics = [
            Metric::new("rss_ratio", Some(1.25), "x"),
            Metric::new("bundle_deb_mb", None, "MB"),
        ];
        write_json(&metrics, &path).unwrap();
        let json = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            json,
            "[\n  {\"name\": \"rss_ratio\", \"value\": 1.2500, \"unit\": \"x\"},\n  \
             {\"name\": \"bundle_deb_mb\", \"value\": null, \"unit\": \"MB\"}\n]\n"
        );
    }
}
