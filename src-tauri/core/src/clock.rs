//! The time source: the system clock in the app, a clock tests can move.

use chrono::{DateTime, Local, NaiveDate, Utc};
use std::sync::{Arc, Mutex};

/// Where "now" and "today" come from.
#[derive(Clone)]
pub struct Clock(Source);

#[derive(Clone)]
enum Source {
    System,
    Fixed(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// The computer's clock; "today" is the local calendar date.
    pub fn system() -> Self {
        Clock(Source::System)
    }

    /// A clock stopped at `at` (UTC); "today" is the UTC date. For tests.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock(Source::Fixed(Arc::new(Mutex::new(at))))
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => Utc::now(),
            Source::Fixed(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Today's date in the user's zone.
    pub fn today(&self) -> NaiveDate {
        match &self.0 {
            Source::System => Local::now().date_naive(),
            Source::Fixed(_) => self.now().date_naive(),
        }
    }

    /// Moves a fixed clock forward; no effect on the system clock.
    pub fn advance(&self, by: chrono::Duration) {
        if let Source::Fixed(at) = &self.0 {
            let mut at = at.lock().unwrap_or_else(|e| e.into_inner());
            *at += by;
        }
    }
}
