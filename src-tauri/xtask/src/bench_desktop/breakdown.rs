//! Where the time and memory went, for reading beside the metrics.

use std::collections::BTreeMap;

use super::launch::Run;
use super::metrics::median;

pub fn print(outlay: &[Run], window: &[Run]) {
    println!();
    for (name, runs) in [("Outlay", outlay), ("bench-window", window)] {
        let own = median(
            runs.iter()
                .filter_map(|r| r.reported_ms)
                .map(|ms| ms as f64),
        );
        let seen = median(runs.iter().map(|r| r.shown.as_secs_f64() * 1000.0));
        if let (Some(own), Some(seen)) = (own, seen) {
            println!(
                "{name}: shown after {seen:.0} ms (median); its own count from main: {own:.0} ms, \
                 so {:.0} ms before main",
                seen - own
            );
        }
        // Memory by process name, from the median launch by total.
        let mut by_total: Vec<&Run> = runs.iter().collect();
        by_total.sort_by_key(|r| r.rss_kib());
        if let Some(run) = by_total.get(by_total.len() / 2) {
            let mut by_name: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
            for process in &run.tree {
                let entry = by_name.entry(process.name.as_str()).or_default();
                entry.0 += process.rss_kib;
                entry.1 += 1;
            }
            let parts: Vec<String> = by_name
                .iter()
                .map(|(name, (kib, count))| {
                    let times = if *count > 1 {
                        format!(" ×{count}")
                    } else {
                        String::new()
                    };
                    format!("{name}{times} {:.1} MB", *kib as f64 * 1024.0 / 1e6)
                })
                .collect();
            println!("  resident: {}", parts.join(", "));
        }
    }
}
