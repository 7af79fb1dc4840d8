//! How long Outlay took to start: from the moment `run` began to the first screen the page
//! reports as shown with its data (the dashboard, or the sign-in form).
//!
//! It is always on and costs one command call per start: Settings shows the figure, the log
//! has it, and the shell writes it as one line on stderr (in release builds too, where the
//! log does not go to stderr), `Outlay: started in 812 ms (dashboard shown)`, so a
//! slow start can be reported with a number. `cargo xtask bench-desktop` waits for that line
//! rather than driving the page through WebDriver, which would slow down what it measures.
//! No environment variable or test-only switch is involved: the bench sees what a user would.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Managed state: when the app began, and how long its first screen took.
pub struct Startup {
    began: Instant,
    shown: OnceLock<Duration>,
}

impl Startup {
    pub fn new() -> Self {
        Startup {
            began: Instant::now(),
            shown: OnceLock::new(),
        }
    }

    /// Records that the first screen, `screen`, is on display. Only the first call counts
    /// (a reload of the page is not a start) and only it writes the line.
    pub fn shown(&self, screen: &str) {
        let mut first = false;
        let took = *self.shown.get_or_init(|| {
            first = true;
            self.began.elapsed()
        });
        if first {
            let ms = took.as_millis();
            tracing::info!(ms, screen, "started");
            // On stderr in every build, not only through the log: it is what
            // `cargo xtask bench-desktop` waits for in a release app.
            eprintln!("Outlay: started in {ms} ms ({screen} shown)");
        }
    }

    /// The start-up time, once the first screen was shown.
    pub fn took(&self) -> Option<Duration> {
        self.shown.get().copied()
    }
}
