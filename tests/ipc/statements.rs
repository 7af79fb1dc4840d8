//! Bank statements through the real commands: the file "picked" by the test-only pick list
//! (the native dialog cannot run on the mock runtime), reviewed with a progress channel,
//! imported once, and a rule made on the way. The page learns a name and a size, no path.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::commands::call;
use crate::{app_with_data_in, window};
use outlay::commands::name;
use serde_json::{json, Value};

const STATEMENT: &str = "\
Umsatzanzeige;Datei erstellt am: 09.12.2025 15:23

Buchung;Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Betrag;Währung
09.12.2025;09.12.2025;LIDL SAGT DANKE;Lastschrift;Einkauf Filiale 1234;-13,98;EUR
08.12.2025;08.12.2025;Stadtwerke;Lastschrift;Strom Abschlag;-65,00;EUR
05.12.2025;05.12.2025;Arbeitgeber GmbH;Gutschrift;Gehalt;2.500,00;EUR
";

/// The files this test binary's apps "pick", set once before any app is built: every app
/// reads the list when it starts, and only this test asks for a pick. The same statement
/// twice: the second time, everything in it is already saved.
fn picks() -> &'static [PathBuf] {
    static PICKS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PICKS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp dir").keep();
        let file = dir.join("Umsatzanzeige.csv");
        std::fs::write(&file, STATEMENT).unwrap();
        let picks = vec![file.clone(), file];
        std::env::set_var(
            "OUTLAY_TEST_PICK_FILES",
            std::env::join_paths(&picks).unwrap(),
        );
        picks
    })
}

fn no_choices() -> Value {
    json!({ "keep": [], "skip": [], "categories": [], "onInvalid": "reject" })
}

fn progress() -> Value {
    json!("__CHANNEL__:4242")
}

#[test]
fn a_statement_is_chosen_reviewed_and_imported_once() {
    let picked = picks();
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let main = window(&app, "main");

    let error = call(&main, name::choose_statement, json!({})).unwrap_err();
    assert_eq!(error["kind"], "notSignedIn", "{error}");
    call(
        &main,
        name::sign_up,
        json!({
            "email": "bank@example.com",
            "password": "correct horse battery",
            "baseCurrency": "EUR",
        }),
    )
    .unwrap();

    let error = call(
        &main,
        name::review_statement,
        json!({ "choices": no_choices(), "onProgress": progress() }),
    )
    .unwrap_err();
    assert_eq!(error["field"], "file", "nothing chosen yet: {error}");

    let chosen = call(&main, name::choose_statement, json!({})).unwrap();
    assert_eq!(
        chosen,
        json!({ "name": "Umsatzanzeige.csv", "bytes": STATEMENT.len() })
    );
    let folder = picked[0].parent().unwrap().to_string_lossy().into_owned();
    assert!(
        !chosen.to_string().contains(&folder),
        "a path leaked: {chosen}"
    );

    let review = call(
        &main,
        name::review_statement,
        json!({ "choices": no_choices(), "onProgress": progress() }),
    )
    .unwrap();
    assert_eq!(review["format"], "csv", "{review}");
    assert_eq!(review["counts"]["expenses"], 2, "{review}");
    assert_eq!(review["counts"]["moneyIn"], 1, "{review}");

    // A rule from the review: the next read suggests its category.
    let categories = call(&main, name::list_categories, json!({})).unwrap();
    let groceries = categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Groceries")
        .unwrap()["id"]
        .clone();
    let rule = call(
        &main,
        name::add_category_rule,
        json!({ "contains": "LIDL", "categoryId": groceries }),
    )
    .unwrap();
    assert_eq!(rule["contains"], "LIDL", "{rule}");
    let rules = call(&main, name::category_rules, json!({})).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), 1, "{rules}");
    let review = call(
        &main,
        name::review_statement,
        json!({ "choices": no_choices(), "onProgress": progress() }),
    )
    .unwrap();
    let lidl = review["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["description"].as_str().unwrap().starts_with("LIDL"))
        .unwrap()
        .clone();
    assert_eq!(lidl["category"]["categoryId"], groceries, "{lidl}");
    assert_eq!(lidl["category"]["source"], "userRule", "{lidl}");

    let imported = call(
        &main,
        name::import_statement,
        json!({ "choices": no_choices(), "onProgress": progress() }),
    )
    .unwrap();
    assert_eq!(imported["imported"], 2, "{imported}");
    assert_eq!(imported["layoutSaved"], true, "{imported}");
    // Imported: the same click again has no file to import.
    let again = call(
        &main,
        name::import_statement,
        json!({ "choices": no_choices(), "onProgress": progress() }),
    )
    .unwrap_err();
    assert_eq!(again["field"], "file", "{again}");

    // The same file chosen again: read with the saved layout, all of it already saved.
    call(&main, name::choose_statement, json!({})).unwrap();
    let review = call(
        &main,
        name::review_statement,
        json!({ "choices": no_choices(), "onProgress": progress() }),
    )
    .unwrap();
    assert_eq!(review["savedLayout"], true, "{review}");
    assert_eq!(review["counts"]["duplicates"], 2, "{review}");
    assert_eq!(review["counts"]["expenses"], 0, "{review}");

    // The picks are used up: as if the user cancelled the dialog.
    assert_eq!(
        call(&main, name::choose_statement, json!({})).unwrap(),
        Value::Null
    );
    call(&main, name::cancel_statement, json!({})).unwrap();
    call(
        &main,
        name::delete_category_rule,
        json!({ "id": rule["id"] }),
    )
    .unwrap();
    let rules = call(&main, name::category_rules, json!({})).unwrap();
    assert_eq!(rules, json!([]));
}

#[test]
fn the_quick_add_window_cannot_choose_a_statement() {
    let data_dir = tempfile::tempdir().unwrap();
    let app = app_with_data_in(data_dir.path());
    let quick_add = window(&app, "quick-add");
    for command in [
        name::choose_statement,
        name::review_statement,
        "add_category_rule",
    ] {
        let error = call(&quick_add, command, json!({})).unwrap_err();
        assert!(
            error.to_string().contains("not allowed"),
            "{command}: {error}"
        );
    }
}
