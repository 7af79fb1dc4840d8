//! A deterministic data set: the same seed and size give the same expenses, byte for byte, on
//! every machine, so numbers from different runs and backends compare.

use chrono::{Days, NaiveDate, NaiveTime};
use uuid::Uuid;

/// SplitMix64: tiny, fast, and good enough to make realistic-looking spending.
#[derive(Clone, Debug)]
pub struct Prng(u64);

impl Prng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Prng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How one category's spending looks: how often, how much, where.
pub struct CategoryProfile {
    /// "Food/Groceries": a top-level name, or parent and child.
    pub path: &'static str,
    /// Relative frequency.
    pub weight: u32,
    /// Smallest and largest amount, in cents.
    pub cents: (i64, i64),
    /// Where the money went.
    pub merchants: &'static [&'static str],
}

/// 26 categories: the 21 every user starts with and 5 sub-categories the loader creates.
#[rustfmt::skip]
pub const PROFILES: &[CategoryProfile] = &[
    profile("Food/Groceries", 180, (300, 18_000), &["Fresh Market", "Corner Grocer", "Aldi", "Whole Foods", "Farmers market", "Lidl", "Trader Joe's"]),
    profile("Food/Restaurants", 70, (1_200, 16_000), &["Pizza Roma", "Sushi Bar", "Thai Garden", "Burger Joint", "Le Bistro", "Taco Stand"]),
    profile("Food/Coffee", 120, (250, 900), &["Blue Bottle", "Corner cafe", "Starbucks", "Espresso bar"]),
    profile("Food", 10, (500, 5_000), &["Bakery", "Deli", "Food truck"]),
    profile("Transport/Fuel", 35, (2_500, 9_000), &["Shell", "BP", "Esso", "Texaco"]),
    profile("Transport/Public transport", 90, (150, 1_200), &["Metro card", "Bus ticket", "Train ticket", "Tram pass"]),
    profile("Transport/Taxi", 25, (800, 6_000), &["Uber", "Lyft", "City cab"]),
    profile("Transport", 5, (1_000, 30_000), &["Car service", "Parking", "Toll road"]),
    profile("Housing/Rent", 3, (95_000, 180_000), &["Rent"]),
    profile("Housing/Utilities", 10, (3_000, 25_000), &["Electricity", "Water", "Gas bill", "Internet"]),
    profile("Housing", 4, (1_000, 60_000), &["Hardware store", "Plumber", "IKEA"]),
    profile("Health", 8, (1_000, 25_000), &["Dentist", "Doctor visit", "Physio"]),
    profile("Health/Pharmacy", 15, (300, 6_000), &["Pharmacy", "Drugstore"]),
    profile("Shopping/Clothes", 20, (1_500, 25_000), &["Uniqlo", "H&M", "Shoe shop", "Zara"]),
    profile("Shopping/Electronics", 6, (1_000, 200_000), &["Electronics store", "Apple Store", "Cables and more"]),
    profile("Shopping", 15, (500, 15_000), &["Amazon", "Department store", "Bookshop"]),
    profile("Entertainment", 12, (800, 12_000), &["Concert", "Museum", "Bowling"]),
    profile("Entertainment/Streaming", 6, (599, 2_299), &["Netflix", "Spotify", "Disney+"]),
    profile("Entertainment/Cinema", 8, (900, 3_500), &["Cinema", "IMAX"]),
    profile("Travel", 4, (2_000, 80_000), &["Travel agency", "Car rental", "Museum pass"]),
    profile("Travel/Hotels", 4, (6_000, 60_000), &["Hotel", "Booking.com", "Airbnb"]),
    profile("Travel/Flights", 2, (5_000, 150_000), &["Airline", "Lufthansa", "Ryanair"]),
    profile("Bills & subscriptions", 14, (500, 15_000), &["Phone bill", "Gym", "Insurance", "Cloud storage"]),
    profile("Education", 5, (1_000, 50_000), &["Online course", "Books", "Language school"]),
    profile("Gifts", 8, (1_000, 20_000), &["Birthday gift", "Flowers", "Charity"]),
    profile("Other", 10, (100, 10_000), &["Misc", "ATM fee", "Post office"]),
];

const fn profile(
    path: &'static str,
    weight: u32,
    cents: (i64, i64),
    merchants: &'static [&'static str],
) -> CategoryProfile {
    CategoryProfile {
        path,
        weight,
        cents,
        merchants,
    }
}

/// Sub-categories not among the defaults; the loader creates them before loading.
pub fn extra_categories() -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        "Health/Pharmacy",
        "Entertainment/Streaming",
        "Entertainment/Cinema",
        "Travel/Hotels",
        "Travel/Flights",
    ]
    .into_iter()
    .map(|path| path.split_once('/').expect("a parent/child path"))
}

const PAYMENT_METHODS: &[&str] = &["card", "card", "card", "cash", "bank transfer", "apple pay"];
const TAGS: &[&str] = &[
    "work",
    "family",
    "holiday",
    "reimbursable",
    "gift",
    "weekend",
    "kids",
];
/// Travel abroad is paid in euros now and then.
const FOREIGN: &str = "EUR";

/// One generated expense, with its category as a path (ids exist only once loaded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedExpense {
    /// A UUIDv7 whose time is `created_at`, its random part from the seed.
    pub id: Uuid,
    /// The day spent.
    pub date: NaiveDate,
    /// Amount in minor units, always positive.
    pub minor: i64,
    /// "USD" mostly; "EUR" for some travel.
    pub currency: &'static str,
    /// Index into [`PROFILES`].
    pub profile: usize,
    /// What it was for.
    pub description: String,
    /// How it was paid.
    pub payment_method: Option<&'static str>,
    /// Zero to two tags, sorted.
    pub tags: Vec<&'static str>,
    /// When it was entered: the day itself, at a random time.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl GeneratedExpense {
    /// The category path, "Food/Groceries".
    pub fn category(&self) -> &'static str {
        PROFILES[self.profile].path
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// The PRNG seed.
    pub seed: u64,
    /// How many expenses in all.
    pub expenses: u64,
    /// The last day with spending ("today").
    pub last_day: NaiveDate,
    /// How many days back the spending starts.
    pub days: u64,
}

impl Plan {
    /// `expenses` expenses over the ten years up to `last_day`, seed 7.
    pub fn new(expenses: u64, last_day: NaiveDate) -> Self {
        Plan {
            seed: 7,
            expenses,
            last_day,
            days: 3652,
        }
    }

    /// The first day with spending.
    pub fn first_day(&self) -> NaiveDate {
        self.last_day - Days::new(self.days - 1)
    }

    /// Every expense, oldest first; call again for the same sequence.
    pub fn expenses(&self) -> impl Iterator<Item = GeneratedExpense> {
        let plan = *self;
        let mut rng = Prng::new(plan.seed);
        let total_weight: u32 = PROFILES.iter().map(|p| p.weight).sum();
        (0..plan.expenses).map(move |i| {
            // Spread evenly, the first on the first day and the last on the last.
            let day =
                plan.first_day() + Days::new(i * (plan.days - 1) / (plan.expenses - 1).max(1));
            let mut roll = (rng.next_u64() % u64::from(total_weight)) as u32;
            let profile = PROFILES
                .iter()
                .position(|p| {
                    let hit = roll < p.weight;
                    roll = roll.saturating_sub(p.weight);
                    hit
                })
                .unwrap_or(0);
            generate_one(&mut rng, plan.last_day, day, profile)
        })
    }
}

fn generate_one(
    rng: &mut Prng,
    last_day: NaiveDate,
    day: NaiveDate,
    profile: usize,
) -> GeneratedExpense {
    let p = &PROFILES[profile];
    let (low, high) = p.cents;
    // Skewed towards the low end, as spending is: many small amounts, a few large ones.
    let minor = low + ((high - low) as f64 * rng.unit().powf(2.2)) as i64;
    let currency = if p.path.starts_with("Travel") && rng.below(4) == 0 {
        FOREIGN
    } else {
        "USD"
    };
    let merchant = *rng.pick(p.merchants);
    let description = match rng.below(5) {
        0 => format!("{merchant} #{}", 1 + rng.below(400)),
        1 => format!("{merchant} {}", day.format("%b")),
        _ => merchant.to_owned(),
    };
    let payment_method = match rng.below(10) {
        0 => None,
        _ => Some(*rng.pick(PAYMENT_METHODS)),
    };
    let mut tags: Vec<&'static str> = match rng.below(10) {
        0..=5 => Vec::new(),
        6..=8 => vec![*rng.pick(TAGS)],
        _ => vec![*rng.pick(TAGS), *rng.pick(TAGS)],
    };
    tags.sort_unstable();
    tags.dedup();
    let seconds = 7 * 3600 + rng.below(15 * 3600) as u32;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).expect("within a day");
    // Entered on the day itself, never after "today".
    let created_at = day.min(last_day).and_time(time).and_utc();
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    random[8..].copy_from_slice(&rng.next_u64().to_le_bytes()[..2]);
    let millis = created_at.timestamp_millis() as u64;
    GeneratedExpense {
        id: uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid(),
        date: day,
        minor,
        currency,
        profile,
        description,
        payment_method,
        tags,
        created_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_plan_gives_the_same_expenses() {
        let plan = Plan::new(500, "2026-11-25".parse().unwrap());
        let a: Vec<_> = plan.expenses().collect();
        let b: Vec<_> = plan.expenses().collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 500);
        assert_eq!(a[0].date, plan.first_day());
        assert_eq!(a[499].date, plan.last_day);
        assert!(a.iter().all(|e| e.minor > 0 && e.id.get_version_num() == 7));
    }

    #[test]
    fn every_profile_path_is_a_default_or_an_extra_category() {
        let extras: Vec<_> = extra_categories()
            .map(|(p, c)| format!("{p}/{c}"))
            .collect();
        assert_eq!(PROFILES.len(), 26);
        assert_eq!(extras.len(), 5);
        assert!(extras.iter().all(|e| PROFILES.iter().any(|p| p.path == e)));
    }
}
