//! The bench profile: one user, a monthly overall budget, and `rows` expenses spread over the
//! ten years up to today across every category. The same seed gives the same amounts, dates,
//! categories and words on every run (ids of the user and categories are fresh UUIDv7s).
//!
//! Expenses go in through `Store::copy_expenses`, the path uploads use, so whatever the store
//! keeps beside each expense is kept here too.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use outlay_core::budgets::BudgetInput;
use outlay_core::domain::{Money, PeriodKind};
use outlay_core::expenses::Expense;
use outlay_core::{Outlay, Session};

use crate::{DATABASE_FILE, EMAIL, PASSWORD};

/// Expenses per `copy_expenses` call: one transaction each.
const CHUNK: usize = 50_000;
/// Ten years of days.
const DAYS: u64 = 3650;
const SEED: u64 = 20_261_125;

const WORDS: &[&str] = &[
    "coffee",
    "groceries",
    "lunch",
    "bus ticket",
    "train",
    "fuel",
    "rent",
    "electricity",
    "water bill",
    "phone",
    "internet",
    "cinema",
    "books",
    "pharmacy",
    "gym",
    "taxi",
    "restaurant",
    "bakery",
    "hardware store",
    "gift",
    "parking",
    "insurance",
    "shoes",
    "",
];
const PAYMENT_METHODS: &[Option<&str>] = &[Some("card"), Some("cash"), Some("bank transfer"), None];

pub async fn prepare(rows: u64, dir: &Path) -> Result<(), String> {
    let path = dir.join(DATABASE_FILE);
    if path.exists() {
        return Err(format!("{} exists already", path.display()));
    }
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let outlay = Outlay::open_sqlite(&path).await.map_err(text)?;
    let session = outlay.sign_up(EMAIL, PASSWORD, "USD").await.map_err(text)?;
    let today = outlay.clock().today();
    let now = outlay.clock().now();
    let categories: Vec<_> = outlay
        .categories(&session)
        .await
        .map_err(text)?
        .into_iter()
        .map(|category| category.id)
        .collect();

    let started = Instant::now();
    let mut random = SplitMix64(SEED);
    let mut done = 0;
    while done < rows {
        let size = (rows - done).min(CHUNK as u64);
        let chunk: Vec<Expense> = (0..size)
            .map(|_| expense(&mut random, &session, &categories, today, now))
            .collect();
        session
            .store()
            .expenses()
            .copy(&chunk)
            .await
            .map_err(text)?;
        done += size;
        eprintln!(
            "bench-prepare: {done} of {rows} expenses ({:.0?})",
            started.elapsed()
        );
    }

    // Spend per month is about rows / 120 expenses of MEAN_MINOR each; the budget sits a
    // little above that, as a real one would.
    let monthly = rows.max(120) / 120 * MEAN_MINOR / 100 * 11 / 10;
    outlay
        .create_budget(
            &session,
            BudgetInput {
                category_id: None,
                period: PeriodKind::Monthly,
                amount: monthly.to_string(),
                currency: None,
                thresholds: None,
            },
        )
        .await
        .map_err(text)?;
    checkpoint(&path).await
}

/// Moves what the write-ahead log holds into the database file and empties the log, as a
/// quiet app's SQLite does over time: a user's file does not carry hundreds of MB of log,
/// which every start would have to index again.
async fn checkpoint(path: &Path) -> Result<(), String> {
    use sqlx::{Connection, Executor};
    let url = format!("sqlite://{}", path.display());
    let mut file = sqlx::SqliteConnection::connect(&url)
        .await
        .map_err(|error| format!("{url}: {error}"))?;
    file.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .map_err(|error| format!("checkpoint of {url}: {error}"))?;
    Ok(())
}

/// Roughly the mean of [`amount_minor`], in minor units.
const MEAN_MINOR: u64 = 3_400;

/// Mostly small amounts with a long tail, from 1.00 to 300.00.
fn amount_minor(random: &mut SplitMix64) -> i64 {
    let u = random.unit();
    // Three in four are everyday amounts under 60.00 (mean ≈ 20.67); the rest reach 300.00
    // but mostly stay low (mean ≈ 75.75). Together the mean is about 34.44.
    let minor = if random.below(4) < 3 {
        100.0 + 5_900.0 * u * u
    } else {
        100.0 + 29_900.0 * u * u * u
    };
    minor as i64
}

fn expense(
    random: &mut SplitMix64,
    session: &Session,
    categories: &[uuid::Uuid],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Expense {
    let date = today - Duration::days(random.below(DAYS) as i64);
    let seconds = random.below(24 * 3600) as u32;
    // Saved some time on the day it was spent, but never in the future.
    let created_at = date
        .and_time(NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or_default())
        .and_utc()
        .min(now);
    let mut id_bits = [0u8; 10];
    id_bits[..8].copy_from_slice(&random.next().to_le_bytes());
    id_bits[8..].copy_from_slice(&random.next().to_le_bytes()[..2]);
    let millis = u64::try_from(created_at.timestamp_millis()).unwrap_or(0);
    Expense {
        id: uuid::Builder::from_unix_timestamp_millis(millis, &id_bits).into_uuid(),
        amount: Money {
            minor: amount_minor(random),
            currency: session.base_currency,
        },
        date,
        category_id: categories[random.below(categories.len() as u64) as usize],
        description: WORDS[random.below(WORDS.len() as u64) as usize].to_owned(),
        payment_method: PAYMENT_METHODS[random.below(PAYMENT_METHODS.len() as u64) as usize]
            .map(str::to_owned),
        tags: Vec::new(),
        created_at,
        updated_at: created_at,
        deleted_at: None,
    }
}

fn text(error: outlay_core::AppError) -> String {
    error.to_string()
}

/// A small, fast, seeded generator (SplitMix64): the data must not change between runs.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
