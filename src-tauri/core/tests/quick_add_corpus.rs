//! The phrasing corpus: quick-add lines (`corpus/quick_add.txt`) and assistant questions
//! (`corpus/questions.txt`) as people type them, each with the reading expected on Wednesday
//! 25 November 2026. Reports "N of M phrasings parse as expected" and fails on any mismatch.

#![allow(
    clippy::unwrap_used,
    reason = "test code, helpers too: a failed unwrap is a failed test, naming the error"
)]

use chrono::NaiveDate;
use outlay_core::budgets::BudgetInput;
use outlay_core::domain::{Currency, PeriodKind};
use outlay_core::expenses::ExpenseInput;
use outlay_core::quick_add::parse_line;
use outlay_core::{AppError, Clock, Outlay, Session, SqliteStore};
use std::sync::Arc;

const TODAY: &str = "2026-11-25";

/// One case of a corpus file: the quoted text, an optional prefix before it, and what follows
/// "=>".
struct Case {
    prefix: String,
    text: String,
    expected: String,
}

/// Reads `"text" => expected` lines, skipping blanks and `#` comments.
fn cases(file: &str) -> Vec<Case> {
    file.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let open = line.find('"').unwrap_or_else(|| panic!("no quote: {line}"));
            let (text, rest) = unquote(&line[open + 1..]);
            let expected = rest
                .strip_prefix(" => ")
                .unwrap_or_else(|| panic!("no \" => \": {line}"));
            Case {
                prefix: line[..open].trim().trim_end_matches(':').to_owned(),
                text,
                expected: expected.trim().to_owned(),
            }
        })
        .collect()
}

/// The quoted text up to its closing quote (with \t \n \" \\ \u{hex} escapes), and the rest.
fn unquote(quoted: &str) -> (String, &str) {
    let mut text = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return (text, &quoted[at + 1..]),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('t') => text.push('\t'),
                Some('n') => text.push('\n'),
                Some('u') => {
                    let hex: String = chars
                        .by_ref()
                        .map(|(_, c)| c)
                        .skip_while(|c| *c == '{')
                        .take_while(|c| *c != '}')
                        .collect();
                    let code = u32::from_str_radix(&hex, 16).expect("\\u{hex}");
                    text.push(char::from_u32(code).expect("a character"));
                }
                Some(other) => text.push(other),
                None => panic!("a line ends in a backslash"),
            },
            c => text.push(c),
        }
    }
    panic!("unclosed quote: {quoted}");
}

/// `refused: field` → the field.
fn refusal(expected: &str) -> Option<&str> {
    expected.strip_prefix("refused: ")
}

/// Checks an error against `refused: field`.
fn check_refusal(shown: &str, field: &str, error: &AppError) -> Option<String> {
    (error.kind() != "invalid" || error.field() != Some(field)).then(|| {
        format!(
            "{shown:?}: wanted a refusal on {field}, got {} on {:?}: {error}",
            error.kind(),
            error.field()
        )
    })
}

/// Compares one line's reading with `amount | date | description | #tags | @method`.
fn check_line(text: &str, base: &str, expected: &str) -> Option<String> {
    let today: NaiveDate = TODAY.parse().unwrap();
    let base = Currency::parse(if base.is_empty() { "EUR" } else { base }).unwrap();
    let shown: String = text.chars().take(60).collect();
    match (refusal(expected), parse_line(text, today, base)) {
        (Some(field), Err(error)) => check_refusal(&shown, field, &error),
        (Some(field), Ok(line)) => Some(format!(
            "{shown:?}: wanted a refusal on {field}, got {line:?}"
        )),
        (None, Err(error)) => Some(format!("{shown:?}: wanted {expected}, got {error}")),
        (None, Ok(line)) => {
            let tags: Vec<String> = line.tags.iter().map(|t| format!("#{t}")).collect();
            let method = line.payment_method.as_ref().map(|m| format!("@{m}"));
            let got = [
                line.amount.to_string(),
                line.date.to_string(),
                line.description.clone(),
                tags.join(" "),
                method.unwrap_or_default(),
            ];
            let mut wanted: Vec<&str> = expected.split('|').map(str::trim).collect();
            wanted.resize(5, "");
            if wanted[1] == "today" {
                wanted[1] = TODAY;
            }
            (got.as_slice() != wanted.as_slice())
                .then(|| format!("{shown:?}: wanted {wanted:?}, got {got:?}"))
        }
    }
}

/// Lines too long or too repetitive to write in the corpus file.
fn generated_lines() -> Vec<(String, String)> {
    let junk: String = "ab€$#@ 1.2,3 ☕\u{202e}"
        .chars()
        .cycle()
        .take(10_240)
        .collect();
    let many_tags: String = (0..21).map(|i| format!("#t{i} ")).collect();
    let longest = "x".repeat(500);
    vec![
        (junk, "refused: text".into()),
        ("a ".repeat(301), "refused: text".into()),
        (
            format!("12 {longest}"),
            format!("12.00 EUR | today | {longest}"),
        ),
        (format!("12 {longest}x"), "refused: description".into()),
        (format!("12 lunch {many_tags}"), "refused: tags".into()),
        ("9".repeat(600), "refused: amount".into()),
    ]
}

/// A user with a few months of spending in USD (and one expense in EUR) and two budgets.
async fn seed() -> (Outlay, Session, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("outlay.db"))
        .await
        .unwrap();
    let clock = Clock::fixed("2026-11-25T12:00:00Z".parse().unwrap());
    let outlay = Outlay::new(Arc::new(store), clock);
    let session = outlay
        .sign_up("corpus@example.com", "correct horse battery", "USD")
        .await
        .unwrap();
    let categories = outlay.categories(&session).await.unwrap();
    let id = |name: &str| categories.iter().find(|c| c.name == name).unwrap().id;
    for (amount, currency, date, category, description) in [
        ("12.50", "USD", "2026-11-24", "Restaurants", "lunch"),
        ("70", "USD", "2026-11-23", "Taxi", "airport"),
        ("4.20", "USD", "2026-11-20", "Coffee", "latte"),
        ("3", "EUR", "2026-11-10", "Coffee", "espresso in Rome"),
        ("55.30", "USD", "2026-11-02", "Groceries", "shop"),
        ("40", "USD", "2026-10-15", "Groceries", "market"),
        ("30", "USD", "2026-10-03", "Restaurants", "dinner"),
        ("100", "USD", "2026-04-10", "Travel", "train"),
        ("80", "USD", "2026-03-05", "Travel", "hotel"),
        ("25", "USD", "2025-12-30", "Gifts", "present"),
    ] {
        let input = ExpenseInput {
            amount: amount.into(),
            currency: Some(currency.into()),
            date: Some(date.into()),
            category_id: id(category),
            description: description.into(),
            ..ExpenseInput::default()
        };
        outlay.add_expense(&session, input).await.unwrap();
    }
    for (category_id, amount) in [(Some(id("Groceries")), "200"), (None, "500")] {
        let input = BudgetInput {
            category_id,
            period: PeriodKind::Monthly,
            amount: amount.into(),
            currency: None,
            thresholds: None,
        };
        outlay.create_budget(&session, input).await.unwrap();
    }
    (outlay, session, dir)
}

/// Compares a reply with `kind | first figure's label | its minor units`, or `kind` alone
/// for a reply without figures.
async fn check_question(
    outlay: &Outlay,
    session: &Session,
    text: &str,
    expected: &str,
) -> Option<String> {
    let shown: String = text.chars().take(60).collect();
    match (refusal(expected), outlay.ask(session, text).await) {
        (Some(field), Err(error)) => check_refusal(&shown, field, &error),
        (Some(field), Ok(reply)) => Some(format!(
            "{shown:?}: wanted a refusal on {field}, got {:?}",
            reply.text
        )),
        (None, Err(error)) => Some(format!("{shown:?}: wanted {expected}, got {error}")),
        (None, Ok(reply)) => {
            let kind = serde_json::to_value(reply.kind).unwrap();
            let mut got = vec![kind.as_str().unwrap_or_default().to_owned()];
            if let Some(figure) = reply.figures.first() {
                got.push(figure.label.clone());
                got.push(figure.amount.minor.to_string());
            }
            let wanted: Vec<&str> = expected.split('|').map(str::trim).collect();
            (got != wanted)
                .then(|| format!("{shown:?}: wanted {wanted:?}, got {got:?}: {}", reply.text))
        }
    }
}

#[tokio::test]
async fn phrasings_parse_as_expected() {
    let mut mismatches = Vec::new();
    let mut lines = 0;
    for case in cases(include_str!("corpus/quick_add.txt")) {
        lines += 1;
        mismatches.extend(check_line(&case.text, &case.prefix, &case.expected));
    }
    for (text, expected) in generated_lines() {
        lines += 1;
        mismatches.extend(check_line(&text, "", &expected));
    }

    let (outlay, session, _dir) = seed().await;
    let mut questions = 0;
    let too_long = "how much ".repeat(1_200);
    let generated = [(too_long.as_str(), "refused: question")];
    let written = cases(include_str!("corpus/questions.txt"));
    for (text, expected) in generated.into_iter().chain(
        written
            .iter()
            .map(|c| (c.text.as_str(), c.expected.as_str())),
    ) {
        questions += 1;
        mismatches.extend(check_question(&outlay, &session, text, expected).await);
    }

    let total = lines + questions;
    let passed = total - mismatches.len();
    let report = format!(
        "{passed} of {total} phrasings parse as expected \
         ({lines} quick-add lines, {questions} questions)"
    );
    println!("{report}");
    assert!(
        mismatches.is_empty(),
        "{report}; mismatches:\n{}",
        mismatches.join("\n")
    );
}

/// Pieces people (and cats on keyboards) type, glued at random.
const PIECES: &[&str] = &[
    "12",
    "4.50",
    "1,234.56",
    "23,40",
    ".5",
    "-5",
    "0",
    "9999999999999999",
    "€",
    "$",
    "£",
    "¥",
    "US$",
    "EUR",
    "usd",
    "euros",
    "#",
    "#work",
    "@",
    "@card",
    "by",
    "card",
    "on",
    "the",
    "5th",
    "31st",
    "last",
    "friday",
    "fri",
    "yesterday",
    "days",
    "ago",
    "3",
    "nov",
    "feb",
    "29",
    "2026",
    "2026-02-30",
    "2026-11-03",
    "coffee",
    "lunch",
    "add",
    "how much",
    "compare",
    "budget",
    "biggest",
    "average",
    "top",
    "per",
    "day",
    "month",
    "week",
    "year",
    "☕",
    "😀",
    "👨‍👩‍👧",
    "قهوة",
    "אתמול",
    "\u{202e}",
    "\u{200b}",
    "\u{0}",
    "\t",
    "\n",
    " ",
    " ",
    " ",
    ",",
    ".",
    "-",
    "'",
    "\"",
    "%",
    "_",
    "\\",
    "ß",
    "İ",
    "ǅ",
    "\u{fffd}",
    "１２",
    "٤",
];

/// A small deterministic generator, so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }

    fn line(&mut self) -> String {
        let pieces = self.next(14);
        (0..pieces)
            .map(|_| PIECES[self.next(PIECES.len())])
            .collect()
    }
}

#[tokio::test]
async fn random_junk_never_panics_and_is_refused_as_invalid() {
    let today: NaiveDate = TODAY.parse().unwrap();
    let eur = Currency::parse("EUR").unwrap();
    let mut dice = Dice(20_261_125);
    let (mut read, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let line = dice.line();
        match parse_line(&line, today, eur) {
            Ok(_) => read += 1,
            Err(error) => {
                assert_eq!(error.kind(), "invalid", "{line:?}: {error}");
                assert!(error.field().is_some(), "{line:?}");
                refused += 1;
            }
        }
    }
    assert!(
        read > 100 && refused > 1_000,
        "{read} read, {refused} refused"
    );

    let (outlay, session, _dir) = seed().await;
    for _ in 0..300 {
        let question = dice.line();
        if let Err(error) = outlay.ask(&session, &question).await {
            assert_eq!(error.kind(), "invalid", "{question:?}: {error}");
        }
    }
}
