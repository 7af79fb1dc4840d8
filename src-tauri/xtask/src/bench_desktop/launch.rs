//! One launch of an app: spawn it, time until it says it is shown, let it settle, read its
//! process tree's memory, stop the whole tree.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::desktop::Desktop;
use super::processes::{self, Process};

/// How long a launch may take to show before the bench gives up on it.
const PATIENCE: Duration = Duration::from_secs(300);

/// An app the bench starts.
pub struct Subject {
    pub name: &'static str,
    program: PathBuf,
    /// Outlay's data dir (OUTLAY_DATA_DIR); the yardstick has none.
    data_dir: Option<PathBuf>,
    /// The start of the stderr line the app writes once it is shown.
    marker: &'static str,
    /// What that line must also say for the launch to count (Outlay must show the
    /// dashboard, not the sign-in form).
    expected: &'static str,
}

impl Subject {
    pub fn outlay(program: &Path, data_dir: &Path) -> Subject {
        Subject {
            name: "Outlay",
            program: program.to_path_buf(),
            data_dir: Some(data_dir.to_path_buf()),
            marker: "Outlay: started in ",
            expected: "(dashboard shown)",
        }
    }

    pub fn window(program: &Path) -> Subject {
        Subject {
            name: "bench-window",
            program: program.to_path_buf(),
            data_dir: None,
            marker: "bench-window: page shown in ",
            expected: "",
        }
    }
}

/// What one launch measured.
pub struct Run {
    /// From spawning the process to reading its "shown" line.
    pub shown: Duration,
    /// The app's own figure from that line (from its `main` to shown), in ms.
    pub reported_ms: Option<u64>,
    /// The process tree `settle` after shown.
    pub tree: Vec<Process>,
}

impl Run {
    pub fn rss_kib(&self) -> u64 {
        self.tree.iter().map(|p| p.rss_kib).sum()
    }

    pub fn rss_mb(&self) -> f64 {
        self.rss_kib() as f64 * 1024.0 / 1e6
    }
}

enum Said {
    Shown(Instant, String),
    Other(String),
    Closed,
}

pub fn once(subject: &Subject, desktop: &Desktop, settle: Duration) -> Result<Run, String> {
    let mut command = Command::new(&subject.program);
    desktop.env(&mut command);
    if let Some(dir) = &subject.data_dir {
        command.env("OUTLAY_DATA_DIR", dir);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let spawned = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("{}: {e}", subject.program.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr pipe")?;
    let (tell, heard) = mpsc::channel();
    let marker = subject.marker;
    // Reads stderr to its end, so the app never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let said = if line.starts_with(marker) {
                Said::Shown(Instant::now(), line)
            } else {
                Said::Other(line)
            };
            if tell.send(said).is_err() {
                return;
            }
        }
        let _ = tell.send(Said::Closed);
    });

    let mut said_else = Vec::new();
    let outcome = loop {
        let left = PATIENCE.saturating_sub(spawned.elapsed());
        match heard.recv_timeout(left) {
            Ok(Said::Shown(at, line)) if line.contains(subject.expected) => break Ok((at, line)),
            Ok(Said::Shown(_, line)) => {
                break Err(format!(
                    "{} said `{line}`; the bench needs it to open on the dashboard \
                     (was the remember-me token refused?)",
                    subject.name
                ))
            }
            Ok(Said::Other(line)) => said_else.push(line),
            Ok(Said::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                break Err(format!("{} exited before it showed", subject.name))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                break Err(format!(
                    "{} did not show within {} s",
                    subject.name,
                    PATIENCE.as_secs()
                ))
            }
        }
    };
    let result = outcome.map(|(at, line)| {
        std::thread::sleep(settle);
        Run {
            shown: at - spawned,
            reported_ms: reported_ms(&line, subject.marker),
            tree: processes::tree(child.id()),
        }
    });
    stop(&mut child);
    result.map_err(|problem| {
        let tail = said_else.iter().rev().take(15).rev().cloned();
        let tail: Vec<String> = tail.collect();
        if tail.is_empty() {
            problem
        } else {
            format!("{problem}; its last words:\n  {}", tail.join("\n  "))
        }
    })
}

/// Stops the app and everything it started (WebKit's processes exit with their parent; any
/// that linger are killed by PID), and waits until they are gone so the next launch starts on
/// a quiet machine.
fn stop(child: &mut std::process::Child) {
    let tree = processes::tree(child.id());
    processes::terminate(child);
    let deadline = Instant::now() + Duration::from_secs(5);
    let lingering = || -> Vec<Process> {
        tree.iter()
            .filter(|process| processes::alive(process))
            .cloned()
            .collect()
    };
    while !lingering().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    processes::kill(&lingering());
    // A moment for the system to reclaim what they held.
    std::thread::sleep(Duration::from_millis(500));
}

/// "Outlay: started in 812 ms (dashboard shown)" → 812.
fn reported_ms(line: &str, marker: &str) -> Option<u64> {
    line.strip_prefix(marker)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::reported_ms;

    #[test]
    fn the_apps_own_figure_is_read_from_its_line() {
        let marker = "Outlay: started in ";
        assert_eq!(
            reported_ms("Outlay: started in 812 ms (dashboard shown)", marker),
            Some(812)
        );
        assert_eq!(reported_ms("Outlay: started in soon", marker), None);
    }
}
