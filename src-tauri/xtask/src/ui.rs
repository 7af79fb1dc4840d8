//! The Vite project in ui/: its npm packages, build, lint and unit tests.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::step;

/// Installs ui/node_modules from package-lock.json when it is missing or older than the lock.
pub fn ensure_packages(root: &Path) -> Result<(), String> {
    let dir = ui_dir(root);
    // npm writes this copy of the lock on every install, so its age is the install's age.
    let installed = modified(&dir.join("node_modules").join(".package-lock.json"));
    let locked = modified(&dir.join("package-lock.json"))
        .ok_or("ui/package-lock.json is missing; run `npm install` in ui/ to create it")?;
    match installed {
        Some(installed) if installed >= locked => {
            println!("ui/node_modules is up to date with package-lock.json.");
            Ok(())
        }
        // `ci`, not `install`: exactly what the lock says, and it never rewrites the lock.
        _ => step::status(npm().current_dir(&dir).arg("ci"), "npm ci"),
    }
}

/// Type-checks and bundles the UI into ui/dist, which the app embeds when it compiles.
///
/// Skipped when ui/dist is newer than every source: a rebuild rewrites ui/dist, and cargo
/// then recompiles the app and every test binary that embeds it.
pub fn build(root: &Path) -> Result<(), String> {
    let dir = ui_dir(root);
    if fresh_build(&dir) {
        println!("ui/dist is newer than every UI source.");
        return Ok(());
    }
    step::status(
        npm().current_dir(&dir).args(["run", "build"]),
        "npm run build",
    )
}

/// Bundles the UI into ui/dist like `build`, without type-checking it first.
pub fn bundle(root: &Path) -> Result<(), String> {
    let dir = ui_dir(root);
    if fresh_build(&dir) {
        println!("ui/dist is newer than every UI source.");
        return Ok(());
    }
    step::status(
        npm()
            .current_dir(&dir)
            .args(["exec", "--", "vite", "build"]),
        "vite build",
    )
}

/// ESLint and the Prettier check.
pub fn lint(root: &Path) -> Result<(), String> {
    step::status(
        npm().current_dir(ui_dir(root)).args(["run", "lint"]),
        "npm run lint",
    )
}

/// The unit tests of the UI's DOM-free modules (vitest, in Node; seconds).
pub fn unit_tests(root: &Path) -> Result<(), String> {
    step::status(npm().current_dir(ui_dir(root)).arg("test"), "npm test")
}

pub fn npm_available() -> bool {
    npm()
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// npm is a batch file on Windows, which `Command` only finds by its full name.
fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

fn ui_dir(root: &Path) -> PathBuf {
    root.join("ui")
}

/// Whether ui/dist is newer than every source.
fn fresh_build(dir: &Path) -> bool {
    let built = modified(&dir.join("dist").join("index.html"));
    built.is_some_and(|built| newest_source(dir).is_some_and(|source| source <= built))
}

/// The latest change to anything in ui/ that the build reads (all but its outputs and the
/// installed packages, which package-lock.json stands for).
fn newest_source(dir: &Path) -> Option<SystemTime> {
    let mut newest = modified(dir)?;
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        if name == "node_modules" || name == "dist" {
            continue;
        }
        let changed = if entry.file_type().ok()?.is_dir() {
            newest_source(&entry.path())?
        } else {
            modified(&entry.path())?
        };
        newest = newest.max(changed);
    }
    Some(newest)
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|meta| meta.modified()).ok()
}
