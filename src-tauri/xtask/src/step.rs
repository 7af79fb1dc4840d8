//! Running the steps of a task: a header each, the time each took, stop at the first failure.

use std::process::Command;
use std::time::{Duration, Instant};

/// The steps a task has run so far, for the closing summary.
pub struct Steps {
    started: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Steps {
    pub fn new() -> Self {
        Steps {
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one step under a header; a failure names the step and ends the task.
    pub fn run(
        &mut self,
        name: &'static str,
        step: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        header(name);
        let started = Instant::now();
        let outcome = step();
        let took = started.elapsed();
        match outcome {
            Ok(()) => {
                println!("--- {name}: ok in {}", seconds(took));
                self.done.push((name, took));
                Ok(())
            }
            Err(failure) => Err(format!("{name} failed after {}: {failure}", seconds(took))),
        }
    }

    /// One line per step and the total, so slow steps stand out.
    pub fn summary(&self) {
        println!();
        for (name, took) in &self.done {
            println!("{name:<20} {:>8}", seconds(*took));
        }
        println!("{:<20} {:>8}", "total", seconds(self.started.elapsed()));
    }
}

pub fn header(name: &str) {
    println!("\n=== {name} ===");
}

/// Runs `command` with the terminal attached; a non-zero exit is an error naming `what`.
pub fn status(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|error| format!("could not start {what}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} exited with {status}"))
    }
}

/// Whether `program --version` runs: the portable way to ask "is it on PATH?".
pub fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

fn seconds(duration: Duration) -> String {
    format!("{:.1}s", duration.as_secs_f64())
}
