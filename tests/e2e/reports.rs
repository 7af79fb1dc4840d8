//! Reports and CSV: a new user adds two expenses, sees them in the year's report (table and
//! chart), imports a CSV file through the file picker, and exports everything to Downloads.

use crate::harness::Desktop;
use crate::steps::Step;
use std::path::Path;

const CSV: &str = "date,amount,currency,category,description,payment_method,tags\n\
2026-03-04,12.50,USD,Food/Groceries,Fresh Market,card,family\n\
2026-03-09,40.00,USD,Pets,Vet visit,,\n\
2026-05-01,7.25,USD,Food,Lunch,cash,\n";

/// `downloads` is where the app's Downloads folder was pointed (see main.rs).
pub async fn report_import_export(d: &Desktop, downloads: &Path) -> Step {
    d.sign_up("rita@example.com", "correct horse battery")
        .await?;

    d.open("reports").await?;
    d.wait_text("#report-empty", "Nothing spent in").await?;

    d.open("expenses").await?;
    for (amount, category, description) in [
        ("12.50", "Groceries", "Corner shop"),
        ("30", "Taxi", "Airport ride"),
    ] {
        d.click("#new-expense").await?;
        d.find("#expense-dialog[open]").await?;
        d.fill("#expense-amount", amount).await?;
        d.choose_label("#expense-category", category).await?;
        d.fill("#expense-description", description).await?;
        d.click("#expense-save").await?;
        d.eventually("the expense dialog closes", || async {
            Ok(d.count("#expense-dialog[open]").await? == 0)
        })
        .await?;
    }
    d.wait_count(".expense-row", 2).await?;

    d.open("reports").await?;
    d.wait_text("#report-total", "$42.50").await?;
    d.wait_text("#report-summary", "$42.50").await?;
    if d.count("canvas#report-chart").await? != 1 {
        return Err("the report has no chart canvas".into());
    }
    // Groceries sits indented under Food, whose row adds up its sub-categories.
    let rows = d
        .script(
            "return [...document.querySelectorAll('#report-table tbody tr')].map(r => \
             [r.className, r.querySelector('th').textContent])",
        )
        .await?;
    let rows = rows.to_string();
    if !(rows.contains("report-row--parent\",\"Food\"")
        && rows.contains("report-row--child\",\"Groceries, in Food\""))
    {
        return Err(format!("the table rows are not a tree: {rows}"));
    }
    for theme in ["light", "dark"] {
        d.open("settings").await?;
        d.choose("#settings-theme", theme).await?;
        d.open("reports").await?;
        d.wait_text("#report-total", "$42.50").await?;
        d.screenshot(&format!("reports-{theme}")).await;
    }
    d.click("#report-previous-year").await?;
    d.wait_text("#report-year", "2025").await?;
    d.wait_text("#report-empty", "Nothing spent in 2025")
        .await?;
    d.click("#report-next-year").await?;
    d.wait_text("#report-total", "$42.50").await?;

    // Import through the real file picker element: WebDriver types a path into it.
    let file = d.data_dir().join("bank.csv");
    std::fs::write(&file, CSV).map_err(|e| e.to_string())?;
    d.open("settings").await?;
    d.find("#import-file")
        .await?
        .send_keys(&file.to_string_lossy())
        .await
        .map_err(|e| format!("WebDriver could not pick {}: {e}", file.display()))?;
    d.wait_text("#import-summary", "Imported 3 expenses, created 1 category")
        .await?;
    // The same file again: everything is a duplicate.
    d.find("#import-file")
        .await?
        .send_keys(&file.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    d.wait_text(
        "#import-summary",
        "Imported 0 expenses, skipped 3 duplicates",
    )
    .await?;

    d.click("#export-csv").await?;
    d.wait_text("#export-result", "Saved 5 expenses to").await?;
    d.screenshot("settings-csv-light").await;
    let saved = d.text("#export-result").await?;
    let path = saved.trim_start_matches("Saved 5 expenses to ").trim();
    if Path::new(path).parent() != Some(downloads) {
        return Err(format!("{path} is not in {}", downloads.display()));
    }
    let written = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if written.lines().count() != 6 || !written.contains("Vet visit") {
        return Err(format!("the export is not the five expenses: {written}"));
    }

    d.open("reports").await?;
    d.wait_text("#report-total", "$102.25").await
}
