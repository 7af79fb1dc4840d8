//! TEMPORARY start-up trace (investigation only; not to be committed).
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

static T0: OnceLock<(Instant, f64)> = OnceLock::new();

pub fn init() {
    T0.get_or_init(|| {
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
        (Instant::now(), epoch)
    });
}

pub fn on() -> bool {
    std::env::var_os("OUTLAY_TRACE").is_some()
}

pub fn mark(what: &str) {
    init();
    if on() {
        let (t0, _) = T0.get().unwrap();
        eprintln!(
            "trace {:>8.1} {:?} {what}",
            t0.elapsed().as_secs_f64() * 1000.0,
            std::thread::current().name().unwrap_or("?")
        );
    }
}

/// Page marks arrive as "name=epochms,name=epochms".
pub fn page(marks: &str) {
    init();
    let (_, epoch0) = *T0.get().unwrap();
    for part in marks.split(',') {
        if let Some((name, at)) = part.split_once('=') {
            if let Ok(at) = at.parse::<f64>() {
                eprintln!("trace {:>8.1} page {name}", at - epoch0);
            }
        }
    }
}
