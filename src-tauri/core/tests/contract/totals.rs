//! The maintained spend totals (per user, currency, day and category) always equal the sums of
//! the live expenses: checked against a model after random adds, edits, deletes, restores,
//! recategorisations, a category merge and an import.

use crate::harness::{input, Backend};
use chrono::{Days, NaiveDate};
use outlay_core::domain::Currency;
use outlay_core::expenses::ExpenseQuery;
use outlay_core::transfer::ImportOptions;
use outlay_core::Session;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// What the model knows of one expense.
#[derive(Clone, Copy, Debug)]
struct Modelled {
    category: Uuid,
    currency: &'static str,
    date: NaiveDate,
    minor: i64,
    live: bool,
}

/// A tiny deterministic PRNG (xorshift64*), so a failure reproduces.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

const CURRENCIES: [&str; 2] = ["USD", "EUR"];

fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 25).unwrap() + Days::new(n as u64)
}

/// Compares every total the stores serve with the model's sums.
async fn check(session: &Session, model: &HashMap<Uuid, Modelled>, round: usize) {
    for code in CURRENCIES {
        let currency = Currency::parse(code).unwrap();
        let live = || model.values().filter(move |e| e.live && e.currency == code);
        for n in 0..16 {
            let (from, to) = (day(n), day(n + 1));
            let mut expected: BTreeMap<Uuid, i64> = BTreeMap::new();
            for e in live().filter(|e| e.date == from) {
                *expected.entry(e.category).or_default() += e.minor;
            }
            let found: BTreeMap<Uuid, i64> = session
                .store()
                .spend()
                .by_category(currency, from, to)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.key, r.minor))
                .filter(|(_, minor)| *minor != 0)
                .collect();
            expected.retain(|_, minor| *minor != 0);
            assert_eq!(found, expected, "round {round}, {code}, {from}");
        }
        let mut months: BTreeMap<String, i64> = BTreeMap::new();
        for e in live() {
            *months
                .entry(e.date.format("%Y-%m").to_string())
                .or_default() += e.minor;
        }
        let found: BTreeMap<String, i64> = session
            .store()
            .spend()
            .by_month(currency, day(0), day(40))
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.key, r.minor))
            .collect();
        months.retain(|_, minor| *minor != 0);
        assert_eq!(found, months, "round {round}, {code}, months");
        let some: Vec<Uuid> = model.values().map(|e| e.category).take(3).collect();
        let expected: i64 = live()
            .filter(|e| some.contains(&e.category) && e.date >= day(3) && e.date < day(12))
            .map(|e| e.minor)
            .sum();
        let spent = session
            .store()
            .spend()
            .total(currency, day(3), day(12), Some(&some))
            .await
            .unwrap();
        assert_eq!(spent, expected, "round {round}, {code}, spend");
        // And the same from the expenses themselves, as the database sums them.
        let raw = session
            .store()
            .expenses()
            .totals(&ExpenseQuery {
                amount_currency: Some(currency),
                ..Default::default()
            })
            .await
            .unwrap();
        let all = session
            .store()
            .spend()
            .total(currency, day(0), day(40), None)
            .await
            .unwrap();
        assert_eq!(
            all,
            raw.first().map_or(0, |t| t.amount.minor),
            "round {round}, {code}"
        );
    }
}

async fn totals_equal_the_raw_sums_after_random_changes(backend: Backend) {
    let app = backend.app().await;
    let ann = app.user("ann@example.com").await;
    let bob = app.user("bob@example.com").await;
    let names = [
        "Groceries",
        "Coffee",
        "Restaurants",
        "Taxi",
        "Food",
        "Other",
    ];
    let mut categories = Vec::new();
    for name in names {
        categories.push(app.category(&ann, name).await.id);
    }
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut model: HashMap<Uuid, Modelled> = HashMap::new();
    let mut ids: Vec<Uuid> = Vec::new();
    for round in 0..150 {
        let live: Vec<Uuid> = ids.iter().copied().filter(|id| model[id].live).collect();
        let dead: Vec<Uuid> = ids.iter().copied().filter(|id| !model[id].live).collect();
        match dice.below(10) {
            0..=3 => {
                let e = Modelled {
                    category: categories[dice.below(categories.len())],
                    currency: CURRENCIES[dice.below(2)],
                    date: day(dice.below(16)),
                    minor: 1 + dice.below(10_000) as i64,
                    live: true,
                };
                let mut expense = input(
                    &format!("{}.{:02}", e.minor / 100, e.minor % 100),
                    &e.date.to_string(),
                    e.category,
                );
                expense.currency = Some(e.currency.into());
                let added = app.outlay.add_expense(&ann, expense).await.unwrap();
                model.insert(added.value.id, e);
                ids.push(added.value.id);
            }
            4 | 5 if !live.is_empty() => {
                let id = live[dice.below(live.len())];
                let mut e = model[&id];
                match dice.below(4) {
                    0 => e.minor = 1 + dice.below(10_000) as i64,
                    1 => e.date = day(dice.below(16)),
                    2 => e.category = categories[dice.below(categories.len())],
                    _ => e.currency = CURRENCIES[dice.below(2)],
                }
                let mut change = input(
                    &format!("{}.{:02}", e.minor / 100, e.minor % 100),
                    &e.date.to_string(),
                    e.category,
                );
                change.currency = Some(e.currency.into());
                change.description = format!("edited in round {round}");
                app.outlay.update_expense(&ann, id, change).await.unwrap();
                model.insert(id, e);
            }
            6 if !live.is_empty() => {
                let chosen: Vec<Uuid> = live
                    .iter()
                    .copied()
                    .filter(|_| dice.below(3) == 0)
                    .collect();
                app.outlay.delete_expenses(&ann, &chosen).await.unwrap();
                for id in chosen {
                    model.get_mut(&id).unwrap().live = false;
                }
            }
            7 if !dead.is_empty() => {
                let chosen: Vec<Uuid> = dead
                    .iter()
                    .copied()
                    .filter(|_| dice.below(2) == 0)
                    .collect();
                app.outlay.undo_delete(&ann, &chosen).await.unwrap();
                for id in chosen {
                    model.get_mut(&id).unwrap().live = true;
                }
            }
            8 if !ids.is_empty() => {
                let to = categories[dice.below(categories.len())];
                let chosen: Vec<Uuid> =
                    ids.iter().copied().filter(|_| dice.below(4) == 0).collect();
                app.outlay
                    .recategorise_expenses(&ann, &chosen, to)
                    .await
                    .unwrap();
                for id in chosen {
                    let e = model.get_mut(&id).unwrap();
                    if e.live {
                        e.category = to; // deleted expenses are not moved
                    }
                }
            }
            _ => {
                // Someone else's spending never shows in ann's totals.
                app.spend(&bob, "7", &day(dice.below(16)).to_string(), "Coffee", "bob")
                    .await;
            }
        }
        if round == 100 {
            // Coffee into Restaurants: every Coffee expense (deleted ones too) moves.
            let (coffee, restaurants) = (categories[1], categories[2]);
            app.outlay
                .merge_categories(&ann, coffee, restaurants)
                .await
                .unwrap();
            for e in model.values_mut().filter(|e| e.category == coffee) {
                e.category = restaurants;
            }
            categories.remove(1);
        }
        if round % 25 == 24 {
            check(&ann, &model, round).await;
        }
    }
    let csv = format!(
        "date,amount,currency,category,description\n\
         {},3.00,USD,Food/Groceries,imported one\n\
         {},4.50,EUR,Transport/Taxi,imported two\n",
        day(2),
        day(9)
    );
    let report = app
        .outlay
        .import_csv(&ann, csv.as_bytes(), &ImportOptions::default(), &mut |_| {})
        .await
        .unwrap();
    assert_eq!(report.imported, 2);
    let taxi = app.category(&ann, "Taxi").await.id;
    for (category, currency, date, minor) in [
        (categories[0], "USD", day(2), 300),
        (taxi, "EUR", day(9), 450),
    ] {
        model.insert(
            Uuid::now_v7(),
            Modelled {
                category,
                currency,
                date,
                minor,
                live: true,
            },
        );
    }
    check(&ann, &model, 150).await;
}

contract_tests!(totals_equal_the_raw_sums_after_random_changes,);
