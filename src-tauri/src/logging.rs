//! The app's log, so that "The database could not complete the request" leaves a trail an
//! app started from a menu (no terminal) can still show.
//!
//! One file a day (UTC), `outlay.YYYY-MM-DD.log`, in the OS log folder: Tauri's
//! `app_log_dir`, worked out here before the app exists so that even a failure to build it
//! is logged (see [`os_dir`]). With [`crate::DATA_DIR_ENV`] set, the separate profile keeps its
//! log beside its data, in `<data dir>/logs`. The newest [`KEPT_FILES`] files are kept; older
//! ones are deleted when the app starts and when the day changes. Debug builds (and a build
//! whose log folder cannot be written) also log to stderr.
//!
//! What is logged: info and up from Outlay's own crates (the causes of storage and network
//! errors, a panic, start-up), warnings and errors from the libraries. sqlx's statement log is
//! always off: an `ALTER ROLE … PASSWORD` carries a password verifier in its text. Nothing
//! logs a typed password, a key or connection options (`PgConnectOptions`'s `Debug` shows
//! the password); the causes logged are errors' `Display`, which name no secret.

use std::path::{Path, PathBuf};

use tracing::level_filters::LevelFilter;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// Log files are `<FILE_PREFIX>.<date>.<FILE_SUFFIX>`.
pub const FILE_PREFIX: &str = "outlay";
/// See [`FILE_PREFIX`].
pub const FILE_SUFFIX: &str = "log";
/// How many daily files are kept: two weeks of a daily user's days.
pub const KEPT_FILES: usize = 14;

/// The log folder: `<data_dir>/logs` for an explicit profile, else the OS's (see [`os_dir`]).
pub fn dir(identifier: &str, data_dir: Option<&Path>) -> Option<PathBuf> {
    match data_dir {
        Some(data_dir) => Some(data_dir.join("logs")),
        None => os_dir(identifier),
    }
}

/// What Tauri's `app_log_dir` resolves to for the bundle `identifier`, by the same rule and
/// crate: `~/Library/Logs/<id>` on macOS, `<local data dir>/<id>/logs` elsewhere (Linux:
/// `$XDG_DATA_HOME` or `~/.local/share`; Windows: `%LOCALAPPDATA%`). The IPC tests check
/// that the two agree.
pub fn os_dir(identifier: &str) -> Option<PathBuf> {
    if cfg!(target_os = "macos") {
        dirs::home_dir().map(|home| home.join("Library/Logs").join(identifier))
    } else {
        dirs::data_local_dir().map(|local| local.join(identifier).join("logs"))
    }
}

/// What reaches the log, file and stderr alike.
pub fn filter() -> Targets {
    Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("outlay", LevelFilter::INFO)
        .with_target("outlay_core", LevelFilter::INFO)
        // Statement text (and slow-statement warnings) could hold a password verifier.
        .with_target("sqlx::query", LevelFilter::OFF)
}

/// The daily file appender in `dir` (created, private to the user, on Unix), pruned to
/// [`KEPT_FILES`].
pub fn appender(dir: &Path) -> Result<RollingFileAppender, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The log names e-mail addresses and file paths: as private as the data.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(KEPT_FILES)
        .build(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// Starts logging to a file in `dir` (and stderr in debug builds), takes in the `log` crate's
/// records (Tauri's own) and logs panics. Never fails: without a file the log goes to
/// stderr, and says why.
///
/// Writes are unbuffered (no background writer): the app leaves through
/// `std::process::exit` on several paths, which would drop a buffered line.
pub fn init(dir: Option<PathBuf>) {
    let file = match dir {
        Some(dir) => appender(&dir),
        None => Err("the OS has no folder for it".to_owned()),
    };
    let (file, problem) = match file {
        Ok(file) => (Some(file), None),
        Err(problem) => (None, Some(problem)),
    };
    let file_layer = file.map(|file| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(file)
            .with_filter(filter())
    });
    let stderr_layer = (cfg!(debug_assertions) || problem.is_some()).then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });
    // Already set (a second call): the first one stands.
    let _ = tracing_subscriber::registry()
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    if let Some(problem) = problem {
        tracing::warn!("no log file: {problem}");
    }
    log_panics();
}

/// A panic (an async command's, say) is logged before the default hook prints it.
fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(target: "outlay::panic", "{info}");
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file layer as `init` makes it, on a thread of its own.
    fn log_into(dir: &Path, events: impl FnOnce()) -> String {
        let file = appender(dir).unwrap();
        let subscriber = tracing_subscriber::registry().with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(file)
                .with_filter(filter()),
        );
        tracing::subscriber::with_default(subscriber, events);
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            text.push_str(&std::fs::read_to_string(path).unwrap());
        }
        text
    }

    #[test]
    fn one_dated_file_gets_outlays_events_and_only_warnings_of_others() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let text = log_into(&logs, || {
            tracing::info!(target: "outlay_core::error", "core info kept");
            tracing::info!(target: "outlay::database", "shell info kept");
            tracing::debug!(target: "outlay_core::error", "debug dropped");
            tracing::info!(target: "tao::event_loop", "library info dropped");
            tracing::warn!(target: "tao::event_loop", "library warning kept");
        });
        assert!(text.contains("core info kept"), "{text}");
        assert!(text.contains("shell info kept"), "{text}");
        assert!(text.contains("library warning kept"), "{text}");
        assert!(!text.contains("dropped"), "{text}");

        let names: Vec<String> = std::fs::read_dir(&logs)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(names[0], format!("outlay.{today}.log"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&logs).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[test]
    fn sqlx_statements_never_reach_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let text = log_into(dir.path(), || {
            // What sqlx logs for a slow statement: its text.
            tracing::warn!(
                target: "sqlx::query",
                summary = "ALTER ROLE",
                db.statement = "ALTER ROLE u PASSWORD 'SCRAM-SHA-256$4096:secret'",
                "slow statement"
            );
            tracing::error!(target: "sqlx::query", "even an error");
            tracing::warn!(target: "sqlx::pool", "a pool warning is kept");
        });
        assert!(text.contains("a pool warning is kept"), "{text}");
        assert!(!text.contains("SCRAM"), "{text}");
        assert!(!text.contains("even an error"), "{text}");
    }

    #[test]
    fn old_files_beyond_the_kept_number_are_deleted_at_start() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=20 {
            let name = format!("outlay.2020-01-{day:02}.log");
            std::fs::write(dir.path().join(name), "old\n").unwrap();
        }
        // Not ours: left alone.
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        drop(appender(dir.path()).unwrap());
        let ours = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().starts_with("outlay.")
            })
            .count();
        // The newest old ones and today's new file.
        assert_eq!(ours, KEPT_FILES);
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn an_explicit_profile_logs_beside_its_data() {
        let data = Path::new("/tmp/profile");
        assert_eq!(
            dir("app.outlay.desktop", Some(data)),
            Some(data.join("logs"))
        );
    }
}
