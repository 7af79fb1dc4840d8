//! Reports, CSV import and CSV export through the real commands.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::commands::call;
use crate::{app_with_data_in, window};
use outlay::commands::name;
use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

/// The Downloads folder every export in this test binary goes to. On Linux the system's
/// Downloads folder is `XDG_DOWNLOAD_DIR` in `$XDG_CONFIG_HOME/user-dirs.dirs` (the dirs
/// crate behind `download_dir`), so the tests point that at a temp dir once, before any
/// export, instead of writing into the developer's own Downloads.
fn downloads() -> &'static Path {
    static DOWNLOADS: OnceLock<PathBuf> = OnceLock::new();
    DOWNLOADS.get_or_init(|| {
        let root = tempfile::tempdir().expect("a temp dir").keep();
        let config = root.join("config");
        let downloads = root.join("My Downloads");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(
            config.join("user-dirs.dirs"),
            format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
        )
        .unwrap();
        std::env::set_var("XDG_CONFIG_HOME", &config);
        downloads
    })
}

fn signed_up(data_dir: &Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = app_with_data_in(data_dir);
    let main = window(&app, "main");
    call(
        &main,
        name::sign_up,
        json!({
            "email": "csv@example.com",
            "password": "correct horse battery",
            "baseCurrency": "USD",
        }),
    )
    .expect("sign-up works");
    (app, main)
}

const THREE_LINES: &str = "date,amount,currency,category,description,payment_method,tags\n\
2026-03-04,12.50,USD,Food/Groceries,Fresh Market,card,family\n\
2026-03-09,40.00,USD,Transport,Train pass,,\n\
2026-05-01,7.25,USD,Food,Lunch,cash,\n";

#[test]
fn a_report_of_too_many_or_no_months_is_refused_by_field() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, main) = signed_up(data_dir.path());
    for months in [0, 121] {
        let error = call(
            &main,
            name::spending_report,
            json!({ "first": "2026-01-01", "months": months }),
        )
        .unwrap_err();
        assert_eq!(
            (error["kind"].as_str(), error["field"].as_str()),
            (Some("invalid"), Some("months")),
            "{months}: {error}"
        );
    }
    let empty = call(
        &main,
        name::spending_report,
        json!({ "first": "2026-01-01", "months": 12 }),
    )
    .unwrap();
    assert_eq!(empty["rows"], json!([]));
    assert_eq!(empty["months"].as_array().unwrap().len(), 12);
    assert_eq!(empty["total"], json!({ "minor": 0, "currency": "USD" }));
}

#[test]
fn imported_expenses_show_in_the_report_and_come_back_out_in_the_export() {
    let downloads = downloads();
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, main) = signed_up(data_dir.path());

    let report = call(
        &main,
        name::import_expenses_csv,
        json!({ "text": THREE_LINES, "options": {} }),
    )
    .unwrap();
    assert_eq!(report["imported"], 3, "{report}");
    assert_eq!(report["rejected"], false, "{report}");
    assert_eq!(report["invalidCount"], 0, "{report}");

    let year = call(
        &main,
        name::spending_report,
        json!({ "first": "2026-01-01", "months": 12 }),
    )
    .unwrap();
    assert_eq!(year["total"], json!({ "minor": 5975, "currency": "USD" }));
    assert_eq!(year["monthTotals"][2]["minor"], 5250, "{year}");
    assert_eq!(year["monthTotals"][4]["minor"], 725, "{year}");

    let first = call(&main, name::export_expenses_csv, json!({})).unwrap();
    let second = call(&main, name::export_expenses_csv, json!({})).unwrap();
    assert_eq!(first["rows"], 3, "{first}");
    let (first, second) = (
        PathBuf::from(first["path"].as_str().unwrap()),
        PathBuf::from(second["path"].as_str().unwrap()),
    );
    assert_eq!(first.parent(), Some(downloads));
    assert_ne!(
        first, second,
        "the second export must not replace the first"
    );
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("outlay-expenses-") && name.ends_with(".csv"),
        "{name}"
    );
    let written = std::fs::read_to_string(&first).unwrap();
    let mut lines: Vec<&str> = written.lines().collect();
    let header = lines.remove(0);
    assert_eq!(
        header,
        "date,amount,currency,category,description,payment_method,tags"
    );
    assert_eq!(
        lines,
        [
            "2026-03-04,12.50,USD,Food/Groceries,Fresh Market,card,family",
            "2026-03-09,40.00,USD,Transport,Train pass,,",
            "2026-05-01,7.25,USD,Food,Lunch,cash,",
        ]
    );
    assert_eq!(std::fs::read_to_string(&second).unwrap(), written);
    // Nothing half-written or temporary is left beside them.
    let stray: Vec<_> = std::fs::read_dir(downloads)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("outlay-expenses-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_file_with_bad_lines_imports_nothing_and_says_which_lines() {
    let data_dir = tempfile::tempdir().unwrap();
    let (_app, main) = signed_up(data_dir.path());
    let text = "date,amount,category\n\
2026-03-04,12.50,Food\n\
2026-02-30,5,Food\n\
2026-03-05,lots,Food\n";

    let report: Value = call(
        &main,
        name::import_expenses_csv,
        json!({ "text": text, "options": {} }),
    )
    .unwrap();
    assert_eq!(report["rejected"], true, "{report}");
    assert_eq!(report["imported"], 0, "{report}");
    assert_eq!(report["invalidCount"], 2, "{report}");
    assert_eq!(report["invalid"][0]["line"], 3, "{report}");
    assert_eq!(report["invalid"][0]["field"], "date", "{report}");
    assert_eq!(report["invalid"][1]["line"], 4, "{report}");
    assert_eq!(report["invalid"][1]["field"], "amount", "{report}");
    let totals = call(&main, name::expense_totals, json!({ "filter": {} })).unwrap();
    assert_eq!(totals, json!([]), "nothing may be saved");

    // Asked to, it imports the valid line and skips the others.
    let skipped = call(
        &main,
        name::import_expenses_csv,
        json!({ "text": text, "options": { "onInvalid": "skip" } }),
    )
    .unwrap();
    assert_eq!(
        (&skipped["imported"], &skipped["rejected"]),
        (&json!(1), &json!(false)),
        "{skipped}"
    );

    // Not CSV with a usable header at all: a typed error on the file.
    let error = call(
        &main,
        name::import_expenses_csv,
        json!({ "text": "hello there\n", "options": {} }),
    )
    .unwrap_err();
    assert_eq!(
        (error["kind"].as_str(), error["field"].as_str()),
        (Some("invalid"), Some("file")),
        "{error}"
    );
}
