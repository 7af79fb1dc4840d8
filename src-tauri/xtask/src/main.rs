//! `cargo xtask run|test|bench`: the commands in the README, so a fresh clone needs no other
//! setup knowledge. Std only: this builds in seconds before anything else.

mod bench;
mod bench_desktop;
mod bundle;
mod deps;
mod e2e;
mod postgres;
mod step;
mod ui;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use step::Steps;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  run    install what is missing, build the UI, start Outlay (debug build)
  test   install what is missing, build the UI, then fmt, clippy, UI lint, UI unit tests
         and every other test
         (on Debian/Ubuntu last of all: the release .deb and its install test, see bundle)
  bindings
         write ui/src/bindings.ts, the TypeScript types of every command's arguments and
         answer, from the Rust types and src-tauri/src/commands/list.rs (a test fails while
         the checked-in file is stale)
  bench  [--scale 10k|100k|1m] [--backend sqlite|postgres|both]
         time the services on a generated data set (release build); writes
         target/bench/report.json
  bench-desktop [--rows N] [--runs N]
         start-up time and memory of the release app against a minimal Tauri window
         (Linux, Xvfb); writes target/bench/desktop.json
";

fn main() -> ExitCode {
    forget_cargo_run_env();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["run"] => run(),
        ["test"] => test(),
        ["bindings"] => bindings(),
        ["bundle", ref rest @ ..] => bundle::run(rest),
        ["bench", ..] => bench::run(&repo_root(), &args[1..]),
        ["bench-desktop", ..] => bench_desktop::run(&repo_root(), &args[1..]),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}\n{}", bundle::USAGE);
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}\n{}", bundle::USAGE);
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\nxtask: {failure}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the UI and starts the app on the database in the OS app-data dir.
fn run() -> Result<(), String> {
    let root = repo_root();
    let mut steps = Steps::new();
    prepare(&mut steps, &root)?;
    // Not timed as a step: it lasts as long as the app stays open.
    steps.summary();
    step::header("cargo run -p outlay");
    step::status(
        cargo(&root).args(["run", "-p", "outlay"]),
        "cargo run -p outlay",
    )
}

/// Regenerates ui/src/bindings.ts: the IPC tests' check of the file, told to write it.
fn bindings() -> Result<(), String> {
    let root = repo_root();
    let mut steps = Steps::new();
    steps.run("system packages", deps::ensure_system_packages)?;
    steps.run("UI packages", || ui::ensure_packages(&root))?;
    // The app embeds ui/dist, but `npm run build` type-checks against the very file this
    // writes: bundle without the check, so a stale file cannot stop its own repair.
    steps.run("UI bundle", || ui::bundle(&root))?;
    steps.run("ui/src/bindings.ts", || {
        step::status(
            cargo(&root)
                .args(["test", "-p", "outlay", "--test", "ipc", "--"])
                .args([
                    "--exact",
                    "bindings::the_typescript_bindings_are_up_to_date",
                ])
                .env("OUTLAY_WRITE_BINDINGS", "1"),
            "the bindings test",
        )
    })?;
    steps.summary();
    Ok(())
}

/// Whether the full and read-only disk tests can run here: root on Linux, allowed to mount
/// (a container may forbid it even to root). Tried once with a tiny tmpfs; when it cannot,
/// the tests skip and this says so, loudly.
fn can_mount_tmpfs() -> bool {
    if !cfg!(target_os = "linux") || !deps::is_root() {
        println!("Full and read-only disk tests skip: mounting a tmpfs needs root on Linux.");
        return false;
    }
    let dir = std::env::temp_dir().join(format!("outlay-tmpfs-probe-{}", std::process::id()));
    let quiet = |command: &mut Command| {
        command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let mounted = std::fs::create_dir_all(&dir).is_ok()
        && quiet(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
                .arg(&dir),
        );
    if mounted {
        quiet(Command::new("umount").arg(&dir));
    } else {
        println!(
            "WARNING: root cannot mount a tmpfs here: the full and read-only disk tests skip."
        );
    }
    let _ = std::fs::remove_dir(&dir);
    mounted
}

/// `cargo xtask` is `cargo run`, which gives this process the variables of the xtask
/// package (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, …). Every cargo started from here would
/// inherit them, and build scripts that read one are rebuilt when it changes: ring's reads
/// `CARGO_MANIFEST_DIR`, so ring, rustls, sqlx and everything above them were compiled once
/// for `cargo xtask` and again for a plain `cargo build` (and back). Without them, the
/// builds started here are the ones a developer's own `cargo` makes.
fn forget_cargo_run_env() {
    let ours = |name: &str| {
        name.starts_with("CARGO_PKG_")
            || matches!(
                name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
    };
    let names: Vec<_> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| ours(name))
        .collect();
    for name in names {
        std::env::remove_var(name);
    }
}

/// Everything CI checks, in the order that fails fastest on the commonest mistakes.
fn test() -> Result<(), String> {
    let root = repo_root();
    // A clean run gains nothing from incremental caches, and they cost gigabytes of disk on
    // a CI machine that has few to spare. Every cargo below inherits this.
    std::env::set_var("CARGO_INCREMENTAL", "0");
    let mut steps = Steps::new();
    prepare(&mut steps, &root)?;
    steps.run("cargo fmt --check", || {
        step::status(
            cargo(&root).args(["fmt", "--all", "--", "--check"]),
            "cargo fmt",
        )
    })?;
    steps.run("cargo clippy", || {
        step::status(
            cargo(&root).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            "cargo clippy",
        )
    })?;
    steps.run("UI lint", || ui::lint(&root))?;
    steps.run("UI unit tests", || ui::unit_tests(&root))?;
    steps.run("tauri-driver", || e2e::ensure_tauri_driver(&root))?;
    // Kept until the end of this function: dropping it stops a throw-away server, also when
    // a step failed.
    let mut server = None;
    steps.run("PostgreSQL", || {
        server = Some(postgres::start(&root, postgres::Durability::Off)?);
        Ok(())
    })?;
    let database_url = server.as_ref().map_or("", |s| s.url.as_str());
    steps.run("cargo test", || {
        step::status(
            cargo(&root)
                .args(["test", "--workspace"])
                .env("DATABASE_URL", database_url)
                // The PostgreSQL tests fail rather than skip if the server is not reachable.
                .env("OUTLAY_REQUIRE_POSTGRES", "1")
                // …and so do the end-to-end tests if Xvfb or the drivers are missing.
                .env("OUTLAY_REQUIRE_E2E", "1")
                // …and the full and read-only disk tests if root cannot mount a tmpfs.
                .env(
                    "OUTLAY_REQUIRE_TMPFS",
                    if can_mount_tmpfs() { "1" } else { "" },
                ),
            "cargo test",
        )
    })?;
    // Last: the slowest step (a release build with full LTO), and the least likely to fail.
    bundle::test_steps(&mut steps, &root)?;
    steps.summary();
    Ok(())
}

/// What both tasks need first: system packages, UI packages and the built UI (the app embeds
/// ui/dist at compile time, so even `cargo clippy` needs it).
fn prepare(steps: &mut Steps, root: &Path) -> Result<(), String> {
    steps.run("system packages", deps::ensure_system_packages)?;
    steps.run("UI packages", || ui::ensure_packages(root))?;
    steps.run("UI build", || ui::build(root))
}

/// The repository root, wherever `cargo xtask` was started from.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("xtask lives at <root>/src-tauri/xtask")
        .to_path_buf()
}

/// The cargo that started us (rustup's choice of toolchain), run at the repo root.
fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}
