//! The timed actions, each through the public services as the app calls them.

use crate::load::Loaded;
use crate::report::Metric;
use chrono::{Months, NaiveDate};
use outlay_core::expenses::{ExpenseFilter, ExpenseInput};
use std::future::Future;
use std::time::{Duration, Instant};

/// How many times each latency is sampled (after a few untimed warm-up runs).
#[derive(Clone, Copy, Debug)]
pub struct Samples {
    /// Adds (p99 wants a few hundred).
    pub adds: usize,
    /// Dashboards, list pages and reports each.
    pub reads: usize,
}

/// The UI list's page size.
const JUMP_PAGE: u32 = 200;

/// Sorted durations of one action.
pub struct Timings(Vec<Duration>);

impl Timings {
    /// The `q` quantile (0.0..=1.0), nearest rank, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let rank = ((self.0.len() as f64 * q).ceil() as usize).clamp(1, self.0.len());
        self.0[rank - 1].as_secs_f64() * 1000.0
    }
}

/// Runs `action` `warmup` times untimed, then `n` times timed.
pub async fn time<F, Fut>(warmup: usize, n: usize, mut action: F) -> Result<Timings, String>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    for i in 0..warmup {
        action(i).await?;
    }
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        action(warmup + i).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(Timings(times))
}

/// The latency metrics of one loaded store, named with `suffix`.
pub async fn latencies(
    loaded: &Loaded,
    today: NaiveDate,
    samples: Samples,
    suffix: &str,
) -> Result<(Vec<Metric>, Timings), String> {
    let outlay = &loaded.outlay;
    let session = &loaded.session;
    let text = |e: outlay_core::AppError| e.to_string();
    let categories: Vec<_> = loaded.categories.values().copied().collect();
    let adds = time(5, samples.adds, |i| {
        let input = ExpenseInput {
            amount: format!("{}.{:02}", 1 + i % 60, i % 100),
            date: Some(today.to_string()),
            category_id: categories[i % categories.len()],
            description: format!("bench add {i}"),
            payment_method: Some("card".into()),
            tags: vec!["bench".into()],
            ..ExpenseInput::default()
        };
        async move {
            // Budget evaluation and alert bookkeeping happen inside the add itself.
            outlay.add_expense(session, input).await.map_err(text)?;
            Ok(())
        }
    })
    .await?;
    let dashboards = time(3, samples.reads, |_| async {
        outlay.dashboard(session, today).await.map_err(text)?;
        Ok(())
    })
    .await?;
    let filter = ExpenseFilter {
        category_id: Some(loaded.categories["Food"]),
        search: Some("market".into()),
        ..ExpenseFilter::default()
    };
    let pages = time(3, samples.reads, |_| async {
        let page = outlay
            .list_expenses(session, &filter, None, 100)
            .await
            .map_err(text)?;
        match page.expenses.len() {
            100 => Ok(()),
            n => Err(format!("the list page held {n} expenses, not 100")),
        }
    })
    .await?;
    // The scrollbar dragged down a long list: a page that starts at a row far below the
    // top, from a tenth of the way down to the very end.
    let everything = ExpenseFilter::default();
    let count: u64 = outlay
        .expense_totals(session, &everything)
        .await
        .map_err(text)?
        .iter()
        .map(|total| u64::try_from(total.count).unwrap_or(0))
        .sum();
    let last_page = count.saturating_sub(JUMP_PAGE.into());
    let jumps = time(3, samples.reads, |i| {
        let position = last_page * (i as u64 % 10 + 1) / 10;
        let everything = &everything;
        async move {
            let page = outlay
                .list_expenses_at(session, everything, position, JUMP_PAGE)
                .await
                .map_err(text)?;
            match page.expenses.len() {
                n if n == JUMP_PAGE as usize => Ok(()),
                n => Err(format!("the page at row {position} held {n} expenses")),
            }
        }
    })
    .await?;
    let first = today - Months::new(11);
    let reports = time(3, samples.reads, |_| async {
        outlay
            .spending_report(session, first, 12)
            .await
            .map_err(text)?;
        Ok(())
    })
    .await?;
    for (name, t) in [
        ("add", &adds),
        ("dashboard", &dashboards),
        ("list page", &pages),
        ("list jump", &jumps),
        ("report", &reports),
    ] {
        println!(
            "  {suffix} {name}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            t.quantile_ms(0.5),
            t.quantile_ms(0.95),
            t.quantile_ms(0.99),
            t.quantile_ms(1.0)
        );
    }
    let metric = |name: &str, value: f64| Metric {
        name: format!("{name}_{suffix}"),
        value: Some(value),
        unit: "ms",
    };
    Ok((
        vec![
            metric("add_expense_p99_ms", adds.quantile_ms(0.99)),
            metric("dashboard_p95_ms", dashboards.quantile_ms(0.95)),
            metric("list_page_p95_ms", pages.quantile_ms(0.95)),
            metric("list_jump_p95_ms", jumps.quantile_ms(0.95)),
            metric("report_p95_ms", reports.quantile_ms(0.95)),
        ],
        reports,
    ))
}
