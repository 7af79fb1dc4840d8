//! The benchmark machinery at 2 000 expenses: generation, both loaders, every timed action
//! and the report file. Cheap, and asserts no timing, only that everything ran.

use outlay_bench::load::Backend;
use outlay_bench::measure::Samples;
use outlay_bench::{report, run, Options};

#[tokio::test]
async fn the_benchmark_runs_small() {
    let out = tempfile::tempdir().unwrap();
    let mut backends = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("DATABASE_URL").map(|u| u.trim().to_owned()) {
        if !url.is_empty() {
            backends.push(Backend::Postgres(url));
        }
    }
    // What bench-desktop writes: one figure measured, one not.
    let app_metrics = out.path().join("desktop.json");
    std::fs::write(
        &app_metrics,
        r#"[{"name": "rss_ratio", "value": 1.25, "unit": "x"},
            {"name": "bundle_deb_mb", "value": null, "unit": "MB"}]"#,
    )
    .unwrap();
    let options = Options {
        expenses: 2_000,
        backends: backends.clone(),
        out: out.path().to_owned(),
        samples: Samples { adds: 5, reads: 3 },
        hledger: true,
        app_metrics: Some(app_metrics),
    };
    let metrics = run(&options).await.unwrap();
    for backend in &backends {
        for name in [
            "add_expense_p99_ms",
            "dashboard_p95_ms",
            "list_page_p95_ms",
            "list_jump_p95_ms",
            "report_p95_ms",
            "export_rows_per_s",
            "import_rows_per_s",
        ] {
            let full = format!("{name}_{}", backend.name());
            let metric = metrics
                .iter()
                .find(|m| m.name == full)
                .unwrap_or_else(|| panic!("no {full}"));
            assert!(
                metric.value.is_some_and(|v| v.is_finite() && v > 0.0),
                "{full}"
            );
        }
    }
    let app = |name: &str| metrics.iter().find(|m| m.name == name).unwrap().value;
    assert_eq!(app("rss_ratio"), Some(1.25));
    assert_eq!(app("bundle_deb_mb"), None);
    assert_eq!(app("cold_start_ratio"), None);
    let path = out.path().join("report.json");
    report::write_json(&metrics, &path).unwrap();
    let written: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(written.len() >= 6 * backends.len());
    assert!(written
        .iter()
        .all(|m| m["name"].is_string() && m["value"].is_number() && m["unit"].is_string()));
    let csv = std::fs::read_to_string(out.path().join("expenses.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2_001);
    let journal = std::fs::read_to_string(out.path().join("expenses.journal")).unwrap();
    assert_eq!(journal.matches("\n    assets:").count(), 2_000);
}
