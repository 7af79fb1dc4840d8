//! A throw-away desktop session both apps run in: Xvfb, a private D-Bus session bus and an
//! unlocked gnome-keyring (the Secret Service), all with HOME in a temp dir, as the end-to-end
//! tests set them up (tests/e2e/harness.rs). Dropping it stops what it started, by PID.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(30);

pub struct Desktop {
    display: String,
    bus: String,
    home: PathBuf,
    run_dir: PathBuf,
    /// Started in this order; stopped in the reverse one.
    processes: Vec<Child>,
}

impl Desktop {
    /// Starts the session under `run_dir` (emptied first).
    pub fn start(run_dir: &Path) -> Result<Desktop, String> {
        for tool in ["Xvfb", "dbus-daemon", "dbus-send", "gnome-keyring-daemon"] {
            if !on_path(tool) {
                return Err(format!(
                    "{tool} is missing (`cargo xtask test` installs the desktop test tools)"
                ));
            }
        }
        let _ = std::fs::remove_dir_all(run_dir);
        let home = run_dir.join("home");
        std::fs::create_dir_all(&home).map_err(|e| format!("{}: {e}", home.display()))?;
        private(&home)?;
        let mut desktop = Desktop {
            display: String::new(),
            bus: String::new(),
            home,
            run_dir: run_dir.to_path_buf(),
            processes: Vec::new(),
        };

        let number = (90..300)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .ok_or("no free X display number")?;
        desktop.display = format!(":{number}");
        let xvfb = Command::new("Xvfb")
            .arg(&desktop.display)
            .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb: {e}"))?;
        desktop.processes.push(xvfb);
        wait_until(|| Path::new(&format!("/tmp/.X11-unix/X{number}")).exists())
            .map_err(|()| format!("Xvfb did not open display {}", desktop.display))?;

        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("dbus-daemon: {e}"))?;
        let stdout = bus.stdout.take();
        desktop.processes.push(bus);
        let mut address = String::new();
        if let Some(stdout) = stdout {
            BufReader::new(stdout)
                .read_line(&mut address)
                .map_err(|e| format!("dbus-daemon's address: {e}"))?;
        }
        desktop.bus = address.trim().to_owned();
        if desktop.bus.is_empty() {
            return Err("dbus-daemon printed no address".into());
        }

        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &desktop.bus)
            .env("HOME", &desktop.home)
            .env("XDG_RUNTIME_DIR", &desktop.home)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("gnome-keyring-daemon: {e}"))?;
        // --unlock reads the new keyring's password from stdin.
        let password = keyring
            .stdin
            .take()
            .map(|mut stdin| stdin.write_all(b"bench"));
        desktop.processes.push(keyring);
        if let Some(Err(error)) = password {
            return Err(format!("unlocking the keyring: {error}"));
        }
        let bus = desktop.bus.clone();
        wait_until(|| name_owned(&bus, "org.freedesktop.secrets"))
            .map_err(|()| "the Secret Service did not appear on the bus".to_owned())?;
        Ok(desktop)
    }

    /// `command` with the session's environment, as a desktop would start an app. WebKit's
    /// sandbox is off: it needs user namespaces that containers lack.
    pub fn env<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("HOME", &self.home)
            .env("XDG_RUNTIME_DIR", &self.home)
            .env("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
            // Compositing stays on (turning it off made WebKit hang here), and nothing of the
            // caller's own session leaks in.
            .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("OUTLAY_DATA_DIR")
    }

    /// A copy of the cached profile in `data`, for this run only: the app writes to its
    /// database (and its webview keeps a cache beside it), and the cache must stay as made.
    pub fn copy_profile(&self, data: &Path) -> Result<PathBuf, String> {
        let profile = self.run_dir.join("profile");
        std::fs::create_dir_all(&profile).map_err(|e| format!("{}: {e}", profile.display()))?;
        for file in ["outlay.db", "outlay.db-wal"] {
            let from = data.join(file);
            if from.exists() {
                std::fs::copy(&from, profile.join(file))
                    .map_err(|e| format!("copying {}: {e}", from.display()))?;
            }
        }
        Ok(profile)
    }

    /// Signs the bench user in with "remember me" into this session's keychain.
    pub fn sign_in(&self, prepare: &Path, profile: &Path) -> Result<(), String> {
        let mut command = Command::new(prepare);
        command.args(["sign-in", "--dir"]).arg(profile);
        crate::step::status(self.env(&mut command), "bench-prepare sign-in")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in self.processes.iter_mut().rev() {
            // SIGTERM first: Xvfb removes its lock file and socket only then.
            crate::bench_desktop::processes::terminate(child);
        }
    }
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

/// GLib refuses an XDG_RUNTIME_DIR others can read.
fn private(dir: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let _ = dir;
    Ok(())
}

fn wait_until(mut done: impl FnMut() -> bool) -> Result<(), ()> {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > PATIENCE {
            return Err(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

fn name_owned(bus: &str, name: &str) -> bool {
    Command::new("dbus-send")
        .args([
            &format!("--bus={bus}"),
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{name}"),
        ])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"))
}
