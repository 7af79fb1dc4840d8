//! Bank statements in, on every backend: the real exports in `../shared/bank-csv/` read with
//! the detected layout alone, checked against the files' own text; duplicates, rules and
//! saved layouts; bad files refused clearly with nothing saved.

use crate::harness::{Backend, TestApp};
use outlay_core::expenses::ExpenseFilter;
use outlay_core::quick_add::SuggestionSource;
use outlay_core::statement::{
    DateOrder, RowKind, StatementChoices, StatementCounts, StatementReview,
};
use outlay_core::transfer::OnInvalid;
use outlay_core::{AppError, Session};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// The real bank exports, kept beside the repository (never copied into it).
fn bank_files() -> Option<PathBuf> {
    let dir = std::env::var_os("OUTLAY_BANK_CSV_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bank-csv"));
    if dir.join("SOURCES.md").exists() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: no bank exports at {} (set OUTLAY_BANK_CSV_DIR)",
            dir.display()
        );
        None
    }
}

async fn user_in(app: &TestApp, currency: &str) -> Session {
    user_named(app, currency, currency).await
}

async fn user_named(app: &TestApp, currency: &str, name: &str) -> Session {
    let email = format!("{}@example.com", name.replace('.', "-").to_lowercase());
    app.outlay
        .sign_up(&email, "correct horse battery", currency)
        .await
        .unwrap()
}

async fn review(app: &TestApp, session: &Session, path: &Path) -> StatementReview {
    app.outlay
        .review_statement(
            session,
            path,
            &StatementChoices::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap()
}

/// A row as checked: line, date, money out (negative: money in), currency, description.
type Expected = (u64, &'static str, i64, &'static str, &'static str);

struct BankFile {
    name: &'static str,
    currency: &'static str,
    encoding: &'static str,
    counts: StatementCounts,
    rows: &'static [Expected],
}

fn counts(expenses: u64, money_in: u64, pending: u64, notices: u64) -> StatementCounts {
    StatementCounts {
        expenses,
        money_in,
        pending,
        notices,
        ..StatementCounts::default()
    }
}

fn bank_exports() -> Vec<BankFile> {
    vec![
        BankFile {
            name: "amex-us.csv",
            currency: "USD",
            encoding: "UTF-8",
            counts: counts(4, 0, 0, 0),
            rows: &[
                (2, "2025-10-11", 1120, "USD", "DELTA AIR LINES"),
                (4, "2025-10-10", 2800, "USD", "ALLIANZ TRAVEL INS"),
                (5, "2025-10-06", 20112, "USD", "ALAMO RENT-A-CAR ORLANDO FL"),
            ],
        },
        BankFile {
            name: "bank-of-america-checking.csv",
            currency: "USD",
            encoding: "UTF-8",
            counts: StatementCounts {
                balances: 1,
                ..counts(9, 0, 0, 0)
            },
            rows: &[
                (9, "2025-09-15", 11111, "USD", "CITY WATER Bill Payment"),
                (
                    11,
                    "2025-09-25",
                    30000,
                    "USD",
                    "BKOFAMERICA ATM WITHRDRAWAL",
                ),
                (17, "2025-10-03", 50000, "USD", "Check Image 4027"),
            ],
        },
        BankFile {
            name: "paypal-us.csv",
            currency: "USD",
            encoding: "UTF-8",
            counts: counts(3, 4, 0, 0),
            rows: &[
                (
                    2,
                    "2019-10-01",
                    699,
                    "USD",
                    "Calm Radio · MONTHLY - $1 for the first 2 Months",
                ),
                (4, "2019-10-01", 700, "USD", "Patreon* Membership"),
                (
                    6,
                    "2019-10-19",
                    200,
                    "USD",
                    "Wikimedia Foundation, Inc. · Monthly donation",
                ),
                (
                    8,
                    "2019-10-22",
                    -1000,
                    "USD",
                    "Noble Benefactor · Joyful Systems",
                ),
            ],
        },
        BankFile {
            name: "venmo.csv",
            currency: "USD",
            encoding: "UTF-8",
            counts: StatementCounts {
                other_rows: 5,
                ..counts(2, 2, 0, 0)
            },
            rows: &[
                (3, "2020-01-01", -7301, "USD", "foobar charge positive"),
                (5, "2020-01-03", 1201, "USD", "foobar payment negative"),
                (6, "2020-01-04", 3502, "USD", "foobar charge negative"),
            ],
        },
        BankFile {
            name: "mint.csv",
            currency: "USD",
            encoding: "UTF-8",
            counts: counts(3, 1, 0, 0),
            rows: &[
                (2, "2015-06-12", 100_000, "USD", "Transfer from Checking"),
                (4, "2015-06-13", -200_000, "USD", "Transfer to Savings"),
                (5, "2015-06-14", 250_000, "USD", "Transfer from Savings"),
            ],
        },
        BankFile {
            name: "lloyds-uk.csv",
            currency: "GBP",
            encoding: "UTF-8",
            counts: counts(6, 13, 0, 0),
            rows: &[
                (2, "2017-01-30", -191_030, "GBP", "EMPLOYER INC"),
                (5, "2017-03-31", 10000, "GBP", "HSBC"),
                (7, "2017-04-07", 276, "GBP", "OASIS COFFEE"),
                (12, "2017-05-05", 1450, "GBP", "TESCO GROCERIES"),
            ],
        },
        BankFile {
            name: "john-lewis-card-uk.csv",
            currency: "GBP",
            encoding: "UTF-8",
            counts: counts(9, 1, 3, 0),
            rows: &[
                (
                    5,
                    "2019-12-12",
                    118_323,
                    "GBP",
                    "ROYAL LONDON INSURANCE 01222 61234 GBR",
                ),
                (12, "2019-12-02", 999, "GBP", "Spotify UK London GBR"),
                (
                    14,
                    "2019-12-02",
                    -110_000,
                    "GBP",
                    "PAYMENT RECEIVED - THANK YOU",
                ),
            ],
        },
        BankFile {
            name: "ing-de.csv",
            currency: "EUR",
            encoding: "windows-1252",
            counts: counts(17, 3, 0, 0),
            rows: &[
                (
                    15,
                    "2025-12-09",
                    1398,
                    "EUR",
                    "VISA Firma · NR XXXX 4025 NUERNBERG DE KAUFUMSATZ 05.12 13.98",
                ),
                (
                    16,
                    "2025-12-08",
                    20000,
                    "EUR",
                    "Gerhard Zintel · Nebenkosten Gerhard",
                ),
                (
                    23,
                    "2025-11-28",
                    -264_774,
                    "EUR",
                    "97052181157Z00511 RV-RENTE 11.2025",
                ),
                (
                    34,
                    "2025-11-17",
                    67668,
                    "EUR",
                    "AOK · 0872139554 OB-Z525872918 EUR 676,68",
                ),
            ],
        },
        BankFile {
            name: "commerzbank-de.csv",
            currency: "EUR",
            encoding: "UTF-8",
            counts: counts(5, 0, 0, 2),
            rows: &[
                (
                    2,
                    "2024-12-31",
                    1070,
                    "EUR",
                    "Kontoführung Konto 123456700 EUR BLZ 500 400 00",
                ),
                (
                    4,
                    "2025-01-21",
                    1234,
                    "EUR",
                    "1x1 Mail & Media GmbH GMX / WEB.DE",
                ),
                (
                    7,
                    "2025-05-15",
                    3000,
                    "EUR",
                    "Bund für Umwelt und Naturschutz",
                ),
            ],
        },
        BankFile {
            name: "paypal-de.csv",
            currency: "EUR",
            encoding: "UTF-8",
            counts: counts(6, 3, 2, 0),
            rows: &[
                (3, "2025-06-21", 619, "EUR", "Deutsche Post AG"),
                (
                    4,
                    "2025-06-27",
                    2993,
                    "EUR",
                    "Lieferant GmbH · Artikel A, Artikel B, Artikel C",
                ),
                (12, "2025-11-14", 2845, "EUR", "Technik-Shop · Produkt Z"),
            ],
        },
        BankFile {
            name: "sparkasse-de-camt.csv",
            currency: "EUR",
            encoding: "windows-1252",
            counts: counts(14, 2, 1, 1),
            rows: &[
                (
                    3,
                    "2018-04-03",
                    6259,
                    "EUR",
                    "EDEKA DÜBEL//THOMASINGEN/DE · 2018-03-30T17:47:21 Karte1",
                ),
                (6, "2018-04-03", 16500, "EUR", "Mirko Siemens · Miete"),
                (15, "2018-03-27", -106_022, "EUR", "FIRMA GMBH"),
            ],
        },
        BankFile {
            name: "bunq-nl.csv",
            currency: "EUR",
            encoding: "UTF-8",
            counts: counts(5, 2, 0, 0),
            rows: &[
                (
                    2,
                    "2018-12-06",
                    878,
                    "EUR",
                    "CLOUDFLARE 650-3198939, US 9.95 USD, 1 USD = 0.88241 EUR",
                ),
                (
                    4,
                    "2018-12-06",
                    -878,
                    "EUR",
                    "Refund: CLOUDFLARE (650-3198939, US)",
                ),
                (8, "2018-12-17", 799, "EUR", "NETFLIX.COM 14087249160, NL"),
            ],
        },
        BankFile {
            name: "wise.csv",
            currency: "EUR",
            encoding: "UTF-8",
            counts: counts(3, 2, 0, 0),
            rows: &[
                (2, "2020-08-24", 35738, "USD", "Sent money to John Doe"),
                (
                    3,
                    "2020-08-24",
                    1135,
                    "USD",
                    "TransferWise Charges for: TRANSFER-175545673",
                ),
                (5, "2020-08-20", -2017, "USD", "Topped up balance"),
            ],
        },
    ]
}

async fn every_real_export_reads_with_the_detected_layout(backend: Backend) {
    let Some(dir) = bank_files() else { return };
    let app = backend.app().await;
    for file in bank_exports() {
        let session = user_named(&app, file.currency, file.name).await;
        let path = dir.join(file.name);
        let review = review(&app, &session, &path).await;
        let name = file.name;
        if std::env::var_os("OUTLAY_DUMP").is_some() {
            eprintln!(
                "{name}: {} {:?}\n{:?}",
                review.encoding, review.counts, review.layout
            );
            for row in review.rows.iter().take(40) {
                eprintln!(
                    "  {} {} {} {} {:?} {}",
                    row.bank.line,
                    row.bank.date,
                    row.bank.spent.minor,
                    row.bank.spent.currency.code(),
                    row.kind,
                    row.bank.description
                );
            }
            eprintln!("  invalid {:?}", review.invalid);
            continue;
        }
        assert_eq!(review.encoding, file.encoding, "{name}");
        assert!(review.invalid.is_empty(), "{name}: {:?}", review.invalid);
        let got = &review.counts;
        assert_eq!(
            (got.expenses, got.money_in, got.pending, got.notices),
            (
                file.counts.expenses,
                file.counts.money_in,
                file.counts.pending,
                file.counts.notices
            ),
            "{name}: expenses, money in, pending, notices"
        );
        if file.counts.balances > 0 {
            assert_eq!(got.balances, file.counts.balances, "{name}: balances");
        }
        if file.counts.other_rows > 0 {
            assert_eq!(got.other_rows, file.counts.other_rows, "{name}: other rows");
        }
        for (line, date, spent, currency, description) in file.rows {
            let row = review
                .rows
                .iter()
                .find(|r| r.bank.line == *line)
                .unwrap_or_else(|| panic!("{name}: no row at line {line}"));
            assert_eq!(row.bank.date.to_string(), *date, "{name}:{line} date");
            assert_eq!(row.bank.spent.minor, *spent, "{name}:{line} amount");
            assert_eq!(
                row.bank.spent.currency.code(),
                *currency,
                "{name}:{line} currency"
            );
            assert!(
                row.bank.description.starts_with(description),
                "{name}:{line} description {:?}",
                row.bank.description
            );
        }

        // Imported as detected, then again: the second time everything is a duplicate.
        let imported = import(&app, &session, &path).await;
        assert_eq!(
            imported.report.imported, file.counts.expenses,
            "{name}: imported"
        );
        let listed = app
            .outlay
            .expense_totals(&session, &ExpenseFilter::default())
            .await
            .unwrap();
        let saved: i64 = listed.iter().map(|t| t.count).sum();
        assert_eq!(saved as u64, file.counts.expenses, "{name}: saved");
        let again = import(&app, &session, &path).await;
        assert_eq!(again.report.imported, 0, "{name}: imported twice");
        assert_eq!(
            again.counts.duplicates, file.counts.expenses,
            "{name}: duplicates"
        );
        app.outlay
            .delete_account(&session, "correct horse battery")
            .await
            .unwrap();
    }
}

async fn import(
    app: &TestApp,
    session: &Session,
    path: &Path,
) -> outlay_core::statement::StatementImport {
    app.outlay
        .import_statement(
            session,
            path,
            &StatementChoices::default(),
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap()
}

async fn a_masked_export_reports_every_bad_date_and_saves_nothing(backend: Backend) {
    let Some(dir) = bank_files() else { return };
    let app = backend.app().await;
    let session = user_in(&app, "CZK").await;
    let path = dir.join("ceska-sporitelna-cz-cp1250.csv");
    let review = review(&app, &session, &path).await;
    assert_eq!(review.encoding, "windows-1250");
    let layout = review.layout.as_ref().unwrap();
    assert_eq!(layout.header[1], "Datum zaúčtování");
    assert_eq!(layout.header[2], "Částka CZK");
    assert_eq!(review.counts.invalid, 9);
    assert_eq!(review.counts.transactions, 0);
    assert_eq!(review.invalid[0].line, 2);
    assert_eq!(review.invalid[0].field, "date");
    assert!(
        review.invalid[0].message.contains("1111/11/11"),
        "{:?}",
        review.invalid[0]
    );
    let imported = import(&app, &session, &path).await;
    assert!(imported.report.rejected);
    assert_eq!(imported.report.imported, 0);
}

fn error_of(result: Result<StatementReview, AppError>) -> String {
    match result.unwrap_err() {
        AppError::Invalid { message, .. } => message,
        other => panic!("not a clear error: {other:?}"),
    }
}

async fn bad_files_are_refused_clearly(backend: Backend) {
    let app = backend.app().await;
    let session = user_in(&app, "EUR").await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let attempt = |path: PathBuf| {
        let app = &app;
        let session = &session;
        async move {
            app.outlay
                .review_statement(
                    session,
                    &path,
                    &StatementChoices::default(),
                    &mut |_| {},
                    &AtomicBool::new(false),
                )
                .await
        }
    };
    let message = error_of(attempt(write("empty.csv", b"")).await);
    assert!(message.contains("empty"), "{message}");
    let message = error_of(attempt(write("header.csv", b"Datum;Betrag;Verwendungszweck\n")).await);
    assert!(
        message.contains("no rows") || message.contains("no transactions"),
        "{message}"
    );
    let message = error_of(
        attempt(write(
            "sheet.csv",
            b"PK\x03\x04\x14\x00\x06\x00rest of a zip",
        ))
        .await,
    );
    assert!(message.contains("spreadsheet"), "{message}");
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    let message = error_of(attempt(write("binary.csv", &binary)).await);
    assert!(message.contains("not a text file"), "{message}");
    let message = error_of(attempt(write("prose.csv", b"Dear customer,\nthank you.\n")).await);
    assert!(message.contains("No header row"), "{message}");

    // A line that never ends: refused while reading, naming the line, with memory flat.
    let mut long = b"Datum;Betrag\n01.02.2026;-1,00\n".to_vec();
    long.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    let message = error_of(attempt(write("long.csv", &long)).await);
    assert!(message.contains("line 3 is longer than"), "{message}");

    // Dates that do not exist and an amount of 25 digits are line errors; nothing is saved.
    let path = write(
        "bad-rows.csv",
        "Datum;Betrag;Verwendungszweck\n01.02.2026;-1,00;Brot\n31.02.2026;-2,00;Milch\n03.02.2026;-1234567890123456789012345;Käse\n".as_bytes(),
    );
    let review = attempt(path.clone()).await.unwrap();
    assert_eq!(review.counts.invalid, 2);
    assert_eq!(
        (review.invalid[0].line, review.invalid[0].field),
        (3, "date")
    );
    assert_eq!(
        (review.invalid[1].line, review.invalid[1].field),
        (4, "amount")
    );
    let imported = import(&app, &session, &path).await;
    assert!(imported.report.rejected);
    let totals = app
        .outlay
        .expense_totals(&session, &ExpenseFilter::default())
        .await
        .unwrap();
    assert_eq!(totals.iter().map(|t| t.count).sum::<i64>(), 0);

    // Mixed encodings: a Latin-1 line in a UTF-8 file is named, not turned into nonsense.
    let mut mixed =
        "Datum;Empfänger;Betrag\n01.02.2026;Bäckerei Müller;-3,20\n02.02.2026;Café Über;-2,00\n"
            .as_bytes()
            .to_vec();
    mixed.extend(b"03.02.2026;Gr\xfcnkohl;-1,00\n");
    let review = attempt(write("mixed.csv", &mixed)).await.unwrap();
    assert_eq!(review.counts.invalid, 1);
    assert_eq!(review.invalid[0].line, 4);
    assert!(
        review.invalid[0].message.contains("encoding"),
        "{:?}",
        review.invalid[0]
    );
}

async fn ofx_qif_and_camt_import_once_then_all_are_duplicates(backend: Backend) {
    let app = backend.app().await;
    let session = user_in(&app, "EUR").await;
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/statement/testdata");
    for name in ["bank.ofx", "card-v2.ofx", "checking.qif", "camt053.xml"] {
        let path = testdata.join(name);
        let review = review(&app, &session, &path).await;
        assert!(review.counts.expenses > 0, "{name}: {:?}", review.counts);
        assert!(review.layout.is_none(), "{name}: only CSV has a layout");
        let first = import(&app, &session, &path).await;
        assert_eq!(first.report.imported, review.counts.expenses, "{name}");
        let second = import(&app, &session, &path).await;
        assert_eq!(second.report.imported, 0, "{name}: imported twice");
        assert_eq!(second.counts.duplicates, first.report.imported, "{name}");
    }
}

/// An ING export like `ing-de.csv`, Latin-1, with rows of our own.
fn ing_statement(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(
        "Umsatzanzeige;Datei erstellt am: 02.12.2026 10:00\n\nIBAN;DE89370400440532013000\n\
         Kontoname;Girokonto\nBank;ING\n\nSortierung;Datum absteigend\n\n\
         Buchung;Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Betrag;Währung\n",
    );
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect()
}

async fn a_rule_and_the_layout_carry_over_to_the_next_statement(backend: Backend) {
    let Some(dir) = bank_files() else { return };
    let app = backend.app().await;
    let session = user_in(&app, "EUR").await;
    let groceries = app.category(&session, "Groceries").await;
    let first = dir.join("ing-de.csv");
    let before = review(&app, &session, &first).await;
    assert!(!before.saved_layout);
    assert_eq!(before.repaired, [23], "the Rente row lacks a field");

    let rule = app
        .outlay
        .add_category_rule(&session, "  visa   firma ", groceries.id)
        .await
        .unwrap();
    assert_eq!(rule.contains, "visa firma");
    let conflict = app
        .outlay
        .add_category_rule(&session, "VISA Firma", groceries.id)
        .await;
    assert!(
        matches!(conflict, Err(AppError::Conflict(_))),
        "{conflict:?}"
    );
    let with_rule = review(&app, &session, &first).await;
    let visa = with_rule.rows.iter().find(|r| r.bank.line == 15).unwrap();
    let suggested = visa.category.as_ref().unwrap();
    assert_eq!(suggested.category_id, groceries.id);
    assert_eq!(suggested.matched, "visa firma");
    let imported = import(&app, &session, &first).await;
    assert!(imported.layout_saved);
    assert_eq!(imported.report.imported, 17);

    let dir2 = tempfile::tempdir().unwrap();
    let second = dir2.path().join("ing-january.csv");
    std::fs::write(
        &second,
        ing_statement(&[
            "05.01.2026;05.01.2026;VISA Firma;Lastschrift;NR XXXX 4025 NUERNBERG DE KAUFUMSATZ 03.01 23.45;-23,45;EUR",
            "04.01.2026;04.01.2026;Stadtwerke Nürnberg;Lastschrift;Strom Januar;-61,00;EUR",
            "02.01.2026;02.01.2026;Arbeitgeber GmbH;Gehalt/Rente;Lohn Dezember;2.345,67;EUR",
        ]),
    )
    .unwrap();
    // Learned from the history: a payee the user once filed under Utilities by hand.
    app.spend(
        &session,
        "58.00",
        "2025-12-04",
        "Utilities",
        "Stadtwerke Nürnberg",
    )
    .await;
    let next = review(&app, &session, &second).await;
    assert!(
        next.saved_layout,
        "the layout saved with the first statement"
    );
    assert_eq!((next.counts.expenses, next.counts.money_in), (2, 1));
    let power = next.rows.iter().find(|r| r.bank.line == 11).unwrap();
    let learned = power.category.as_ref().unwrap();
    assert_eq!(
        (learned.name.as_str(), learned.source),
        ("Utilities", SuggestionSource::History),
        "{learned:?}"
    );
    let imported = import(&app, &session, &second).await;
    assert_eq!(imported.report.imported, 2);
    let expenses = app
        .outlay
        .list_expenses(&session, &ExpenseFilter::default(), None, 50)
        .await
        .unwrap();
    let visa = expenses
        .expenses
        .iter()
        .find(|e| e.date.to_string() == "2026-01-05")
        .unwrap();
    assert_eq!(visa.category_id, groceries.id);
    assert_eq!(visa.amount.minor, 2345);
}

async fn a_changed_layout_is_saved_for_the_bank(backend: Backend) {
    let Some(dir) = bank_files() else { return };
    let app = backend.app().await;
    let session = user_in(&app, "USD").await;
    let amex = dir.join("amex-us.csv");
    let detected = review(&app, &session, &amex).await;
    assert!(
        detected.date_order_ambiguous,
        "every day of the file is 12 or less"
    );
    let mut layout = detected.layout.unwrap();
    assert_eq!(
        layout.date_order,
        DateOrder::MonthDayYear,
        "a dollar user reads month first"
    );
    layout.date_order = DateOrder::DayMonthYear;
    let choices = StatementChoices {
        layout: Some(layout),
        ..StatementChoices::default()
    };
    let imported = app
        .outlay
        .import_statement(
            &session,
            &amex,
            &choices,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(imported.report.imported, 4);
    let again = review(&app, &session, &amex).await;
    assert!(again.saved_layout);
    assert!(!again.date_order_ambiguous, "asked once");
    let row = again.rows.iter().find(|r| r.bank.line == 5).unwrap();
    assert_eq!(
        row.bank.date.to_string(),
        "2025-06-10",
        "10/6/2025 read day first"
    );
    assert_eq!(row.kind, RowKind::Duplicate);

    // A cancelled import saves nothing.
    let cancel = AtomicBool::new(true);
    let other = app.user("other@example.com").await;
    let cancelled = app
        .outlay
        .import_statement(
            &other,
            &amex,
            &StatementChoices::default(),
            &mut |_| {},
            &cancel,
        )
        .await;
    assert!(cancelled.is_err());
    let totals = app
        .outlay
        .expense_totals(&other, &ExpenseFilter::default())
        .await
        .unwrap();
    assert_eq!(totals.iter().map(|t| t.count).sum::<i64>(), 0);
}

/// A payee with a quote the bank never closed: without care, every later line would be read
/// as part of that payee's field.
async fn a_broken_quote_costs_only_its_line_and_only_when_chosen(backend: Backend) {
    let app = backend.app().await;
    let session = user_in(&app, "EUR").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ing-broken-quote.csv");
    std::fs::write(
        &path,
        ing_statement(&[
            "06.01.2026;06.01.2026;Bäckerei Kamm;Lastschrift;Brötchen;-3,20;EUR",
            "05.01.2026;05.01.2026;\"REWE Markt;Lastschrift;Einkauf;-41,10;EUR",
            "04.01.2026;04.01.2026;Stadtwerke Nürnberg;Lastschrift;\"Strom\nJanuar\";-61,00;EUR",
            "03.01.2026;03.01.2026;Arbeitgeber GmbH;Gehalt/Rente;Lohn Dezember;2.345,67;EUR",
            "02.01.2026;02.01.2026;Kino;Lastschrift;Tickets;-18,00;EUR",
        ]),
    )
    .unwrap();
    let review = review(&app, &session, &path).await;
    assert_eq!(review.counts.invalid, 1, "{:?}", review.invalid);
    assert_eq!(review.invalid[0].line, 11);
    assert!(
        review.invalid[0].message.contains("never closed"),
        "{:?}",
        review.invalid[0]
    );
    // Read afresh after the broken line: the quoted purpose over two lines stays one row.
    assert_eq!((review.counts.expenses, review.counts.money_in), (3, 1));
    let power = review.rows.iter().find(|r| r.bank.line == 12).unwrap();
    assert_eq!(power.bank.description, "Stadtwerke Nürnberg · Strom Januar");
    assert_eq!(power.bank.spent.minor, 6100);
    let cinema = review.rows.iter().find(|r| r.bank.line == 15).unwrap();
    assert_eq!(cinema.bank.spent.minor, 1800);

    let refused = import(&app, &session, &path).await;
    assert!(refused.report.rejected);
    let saved = || async {
        app.outlay
            .expense_totals(&session, &ExpenseFilter::default())
            .await
            .unwrap()
            .iter()
            .map(|t| t.count)
            .sum::<i64>()
    };
    assert_eq!(saved().await, 0, "nothing saved until the user chooses");
    let chosen = app
        .outlay
        .import_statement(
            &session,
            &path,
            &StatementChoices {
                on_invalid: OnInvalid::Skip,
                ..StatementChoices::default()
            },
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .await
        .unwrap();
    assert_eq!(chosen.report.imported, 3);
    assert_eq!(chosen.report.invalid[0].line, 11);
    assert_eq!(saved().await, 3);
}

contract_tests!(
    every_real_export_reads_with_the_detected_layout,
    a_masked_export_reports_every_bad_date_and_saves_nothing,
    bad_files_are_refused_clearly,
    ofx_qif_and_camt_import_once_then_all_are_duplicates,
    a_rule_and_the_layout_carry_over_to_the_next_statement,
    a_changed_layout_is_saved_for_the_bank,
    a_broken_quote_costs_only_its_line_and_only_when_chosen,
);
