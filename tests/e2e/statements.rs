//! Bank statements: a new user in euros imports their bank's export (ING's "Umsatzanzeige",
//! Latin-1, a preamble before the header) through the review, makes a rule from a row, and
//! imports; the next statement of the same bank is read with the saved layout, the rule's
//! category preset, and imports in one click.
//!
//! The native open dialog is out of WebDriver's reach: the app "picks" the files named in
//! `OUTLAY_TEST_PICK_FILES` instead (src-tauri/src/chosen_statement.rs).

use crate::harness::Desktop;
use crate::steps::Step;
use std::path::{Path, PathBuf};

/// The variable the app reads the test's picks from.
pub const PICK_FILES: &str = "OUTLAY_TEST_PICK_FILES";

/// The real ING export in `../shared/bank-csv/` (or `OUTLAY_BANK_CSV_DIR`), if it is here.
pub fn ing_statement() -> Option<PathBuf> {
    let dir = std::env::var_os("OUTLAY_BANK_CSV_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bank-csv"));
    Some(dir.join("ing-de.csv")).filter(|file| file.is_file())
}

/// The rows of the next statement: three expenses (one from the rule's payee) and a salary.
const NEXT_ROWS: &str = "\
18.12.2025;18.12.2025;VISA Firma;Lastschrift;NR XXXX 4025 NUERNBERG DE KAUFUMSATZ 16.12 23.45 118804 ARN74830725350312466100001;-23,45;EUR
17.12.2025;17.12.2025;Bäckerei Müller;Lastschrift;Brötchen und Kuchen;-7,80;EUR
15.12.2025;15.12.2025;Stadtwerke Nürnberg;Lastschrift;Strom Abschlag Dezember;-65,00;EUR
12.12.2025;12.12.2025;Arbeitgeber GmbH;Gutschrift;Gehalt Dezember;2.500,00;EUR
";

/// Writes the next statement of the same account into `dir`: the first file's preamble and
/// header byte for byte, then new rows, in Latin-1 as ING writes it.
pub fn write_next_statement(first: &Path, dir: &Path) -> PathBuf {
    let bytes = std::fs::read(first).unwrap();
    let header = bytes
        .split_inclusive(|b| *b == b'\n')
        .position(|line| line.starts_with(b"Buchung;"))
        .expect("the ING file has its header");
    let mut next: Vec<u8> = bytes
        .split_inclusive(|b| *b == b'\n')
        .take(header + 1)
        .flatten()
        .copied()
        .collect();
    next.extend(
        NEXT_ROWS
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("the rows are Latin-1")),
    );
    let path = dir.join("ing-de-next.csv");
    std::fs::write(&path, next).unwrap();
    path
}

/// The line of the first review row whose description starts with `text`.
async fn line_of(d: &Desktop, text: &str) -> Step<u64> {
    let found = d
        .script(&format!(
            "const row = [...document.querySelectorAll('.statement-row')].find(r => \
             r.querySelector('.statement-row__description').textContent.startsWith({text:?})); \
             return row ? Number(row.dataset.line) : null;"
        ))
        .await?;
    found
        .as_u64()
        .ok_or_else(|| format!("no review row starts with {text:?}"))
}

/// The category each shown expense row of the review is going to, by description.
async fn review_categories(d: &Desktop) -> Step<Vec<(String, String)>> {
    let rows = d
        .script(
            "return [...document.querySelectorAll('.statement-row')] \
             .filter(r => r.querySelector('.statement-row__import').checked) \
             .map(r => { const s = r.querySelector('.statement-row__category-select'); \
               return [r.querySelector('.statement-row__description').textContent, \
                       s.options[s.selectedIndex].text.trim()]; });",
        )
        .await?;
    serde_json::from_value(rows).map_err(|e| e.to_string())
}

/// Searches the expense list and checks what it finds: `count` expenses, those shown each in
/// `category`.
async fn listed(d: &Desktop, search: &str, count: usize, category: &str) -> Step {
    d.fill("#expense-search", search).await?;
    let noun = if count == 1 { "expense" } else { "expenses" };
    d.wait_text("#expense-totals", &format!("{count} {noun} ·"))
        .await?;
    // The list is virtualised: it holds the rows in view (all of them here, but never more).
    d.eventually(&format!("the list shows {search:?}"), || async {
        let shown = d.count(".expense-row").await?;
        Ok(shown > 0 && shown <= count)
    })
    .await?;
    let categories = d
        .script(
            "return [...document.querySelectorAll('.expense-row .expense-category')] \
             .map(c => c.textContent);",
        )
        .await?;
    let categories: Vec<String> = serde_json::from_value(categories).map_err(|e| e.to_string())?;
    if categories.iter().any(|c| c != category) {
        return Err(format!(
            "{search:?}: expected every row in {category}, the list shows {categories:?}"
        ));
    }
    Ok(())
}

pub async fn review_rule_and_one_click(d: &Desktop) -> Step {
    d.sign_up_in("greta@example.com", "correct horse battery", "EUR")
        .await?;
    d.open("expenses").await?;

    // The first statement: reviewed, a rule made from a row, imported.
    d.click("#import-statement").await?;
    d.find("#statement-dialog[data-state='ready']").await?;
    d.wait_text("#statement-summary", "17 expenses · 3 money in left out")
        .await?;
    d.wait_text(
        "#statement-read-as",
        "CSV · Latin-1 (Windows-1252) · semicolon-separated",
    )
    .await?;
    if d.count("#statement-saved-layout").await? != 0 {
        return Err("a first statement claims a saved layout".into());
    }
    d.screenshot("statement-review").await;

    let line = line_of(d, "VISA Firma").await?;
    d.click(&format!(
        ".statement-row[data-line='{line}'] .statement-row__rule"
    ))
    .await?;
    d.find("#statement-rule:not([hidden])").await?;
    d.fill("#rule-contains", "VISA Firma").await?;
    d.choose_label("#rule-category", "Shopping").await?;
    d.click("#rule-save").await?;
    d.wait_text("#statement-rule-note", "Rule saved").await?;
    d.find("#statement-dialog[data-state='ready']").await?;
    // Every row of that payee picks the rule up.
    d.wait_text("#statement-rule-note", "(13 rows here)")
        .await?;
    let categories = review_categories(d).await?;
    let visa: Vec<_> = categories
        .iter()
        .filter(|(description, _)| description.starts_with("VISA Firma"))
        .collect();
    if visa.len() != 13 || visa.iter().any(|(_, category)| category != "Shopping") {
        return Err(format!(
            "the rule did not reach every VISA row: {categories:?}"
        ));
    }
    d.wait_text(
        &format!(".statement-row[data-line='{line}'] .statement-row__why"),
        "Your rule “VISA Firma”",
    )
    .await?;
    d.screenshot("statement-review-rule").await;

    d.click("#statement-import").await?;
    d.wait_text(
        "#toast-message",
        "Imported 17 expenses · 3 money in left out",
    )
    .await?;
    d.wait_count("#statement-dialog", 0).await?;
    d.wait_text("#expense-totals", "17 expenses ·").await?;
    listed(d, "VISA Firma", 13, "Shopping").await?;
    d.fill("#expense-search", "").await?;
    d.wait_text("#expense-totals", "17 expenses ·").await?;
    d.screenshot("statement-imported").await;

    // The next statement, in the dark theme: the saved layout, the rule's category preset,
    // one click.
    d.open("settings").await?;
    d.wait_text("#category-rules", "“VISA Firma”").await?;
    d.choose("#settings-theme", "dark").await?;
    d.open("expenses").await?;
    d.click("#import-statement").await?;
    d.find("#statement-dialog[data-state='ready']").await?;
    d.wait_text(
        "#statement-saved-layout",
        "Read with the layout saved for this bank",
    )
    .await?;
    d.wait_text("#statement-summary", "3 expenses · 1 money in left out")
        .await?;
    let line = line_of(d, "VISA Firma").await?;
    d.wait_text(
        &format!(".statement-row[data-line='{line}'] .statement-row__why"),
        "Your rule “VISA Firma”",
    )
    .await?;
    let categories = review_categories(d).await?;
    if !categories.iter().any(|(description, category)| {
        description.starts_with("VISA Firma") && category == "Shopping"
    }) {
        return Err(format!("the rule's category is not preset: {categories:?}"));
    }
    if categories.len() != 3 {
        return Err(format!("three expenses should be ticked: {categories:?}"));
    }
    d.screenshot("statement-review-saved-layout-dark").await;
    d.click("#statement-import").await?;
    d.wait_text(
        "#toast-message",
        "Imported 3 expenses · 1 money in left out",
    )
    .await?;
    d.wait_count("#statement-dialog", 0).await?;
    d.wait_text("#expense-totals", "20 expenses ·").await?;

    // Saved as reviewed: the amounts, the Latin-1 names read right, the categories shown.
    listed(d, "VISA Firma", 14, "Shopping").await?;
    let others = categories
        .iter()
        .filter(|(description, _)| !description.starts_with("VISA Firma"));
    for (description, category) in others {
        let payee = description.split(" · ").next().unwrap_or(description);
        listed(d, payee, 1, category).await?;
    }
    d.fill("#expense-search", "Bäckerei Müller").await?;
    d.wait_text(".expense-row .expense-amount", "€7.80").await?;
    d.wait_text(".expense-row .expense-description", "Brötchen und Kuchen")
        .await?;
    d.fill("#expense-search", "").await?;
    d.wait_text("#expense-totals", "20 expenses ·").await?;
    d.screenshot("statement-imported-dark").await;
    Ok(())
}
