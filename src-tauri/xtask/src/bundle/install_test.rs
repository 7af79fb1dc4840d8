//! The .deb as a user gets it: `apt-get install ./Outlay_….deb` (which pulls the declared
//! dependencies), what it put on the disk, whether those dependencies cover what the binary
//! links, and the installed app opening its window under Xvfb. The package is removed again
//! afterwards, also when a check fails, so the machine is left as it was.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::dependencies::{self, Needs};
use super::{output, screen::Picture};
use crate::{deps, step};

/// The tools this test runs, by Debian package.
const TOOLS: &[(&str, &str)] = &[
    ("xvfb", "a virtual display for the installed app"),
    ("dbus", "a private session bus for it"),
    (
        "x11-utils",
        "xwininfo and xprop, which find its window and its class",
    ),
    ("x11-apps", "xwd, which captures what the window shows"),
    (
        "desktop-file-utils",
        "desktop-file-validate, for the menu entry",
    ),
    (
        "binutils",
        "objdump, which lists the libraries the binary links",
    ),
    ("rpm", "reads the Requires of the .rpm"),
];

/// Wait for another apt rather than fail on its lock; no progress bars in the log.
const APT_OPTIONS: &[&str] = &["-o", "DPkg::Lock::Timeout=300", "-o", "Dpkg::Use-Pty=0"];

/// How long the window and its page may take to appear. Generous: a first start compiles
/// WebKit's caches, and CI machines are busy.
const PATIENCE: Duration = Duration::from_secs(90);

/// The share of the window that must be in colour: Outlay's first screen has its
/// accent-coloured logo and button, a blank or error page has none.
const COLOURED_SHARE: f64 = 0.002;

/// Installs, checks, opens and removes the .deb; with `rpm`, also checks the .rpm's Requires
/// (which cannot be installed here). With `skip_if_installed`, a machine where Outlay is
/// installed for real (a developer's) skips the test rather than fail; CI never skips.
pub fn run(root: &Path, rpm: bool, skip_if_installed: bool) -> Result<(), String> {
    ensure_tools()?;
    let deb = super::built(root, "deb")?;
    let package = field(&deb, "Package")?;
    if deps::is_installed(&package) {
        if skip_if_installed && std::env::var_os("CI").is_none() {
            println!(
                "SKIPPED: `{package}` is installed on this machine, and the install test would \
                 replace and then remove it. `apt-get remove {package}` to run it."
            );
            return Ok(());
        }
        return Err(format!(
            "the package `{package}` is already installed here; this test would replace it and \
             then remove it. Remove it first (`apt-get remove {package}`), then run again"
        ));
    }
    let work = super::target_dir(root).join("xtask").join("install-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)
        .map_err(|e| format!("could not create {}: {e}", work.display()))?;

    let mut installed = Installed {
        package: package.clone(),
        removed: false,
    };
    let started = Instant::now();
    step::status(
        deps::apt_get(deps::is_root())
            .args(["install", "-y", "-q"])
            .args(APT_OPTIONS)
            .arg(&deb),
        "apt-get install of the .deb",
    )?;
    println!(
        "Installed {package} in {:.1}s.",
        started.elapsed().as_secs_f64()
    );

    let (binary, window_class) = check_files(&package)?;
    let needs = Needs::of(&binary)?;
    dependencies::check_deb(&needs, &deb)?;
    if rpm {
        dependencies::check_rpm(&needs, &super::built(root, "rpm")?)?;
    }
    open_window(&binary, &window_class, &work)?;
    installed.remove()
}

fn ensure_tools() -> Result<(), String> {
    let missing: Vec<&str> = TOOLS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !deps::is_installed(name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    for (name, why) in TOOLS.iter().filter(|(n, _)| missing.contains(n)) {
        println!("missing {name}: {why}");
    }
    deps::apt_install(&missing)
}

/// The installed package, removed when the test ends however it ends.
struct Installed {
    package: String,
    removed: bool,
}

impl Installed {
    /// Removes the package and checks that dpkg no longer has it installed.
    fn remove(&mut self) -> Result<(), String> {
        self.removed = true;
        step::status(
            deps::apt_get(deps::is_root())
                .args(["remove", "-y", "-q"])
                .args(APT_OPTIONS)
                .arg(&self.package),
            "apt-get remove",
        )?;
        if deps::is_installed(&self.package) {
            return Err(format!(
                "{} is still installed after apt-get remove",
                self.package
            ));
        }
        println!("Removed {} again.", self.package);
        Ok(())
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        if !self.removed {
            if let Err(failure) = self.remove() {
                eprintln!("could not remove {}: {failure}", self.package);
            }
        }
    }
}

/// The binary, menu entry and icons the package installed; returns the binary's path and
/// the window class the menu entry expects (`StartupWMClass`).
fn check_files(package: &str) -> Result<(PathBuf, String), String> {
    let listing = output(Command::new("dpkg").args(["-L", package]))?;
    let files: Vec<&str> = listing.lines().collect();
    let binary = files
        .iter()
        .find(|f| f.starts_with("/usr/bin/"))
        .ok_or("the package installs nothing in /usr/bin")?;
    let name = binary.trim_start_matches("/usr/bin/");
    let desktop = files
        .iter()
        .find(|f| f.starts_with("/usr/share/applications/") && f.ends_with(".desktop"))
        .ok_or("the package installs no menu entry in /usr/share/applications")?;
    step::status(
        Command::new("desktop-file-validate").arg(desktop),
        "desktop-file-validate",
    )?;
    let entry = std::fs::read_to_string(desktop).map_err(|e| format!("{desktop}: {e}"))?;
    for line in [
        "Name=Outlay".to_string(),
        format!("Exec={name}"),
        format!("Icon={name}"),
        "Categories=Office;Finance;".to_string(),
    ] {
        if !entry.lines().any(|l| l == line) {
            return Err(format!("{desktop} lacks the line `{line}`:\n{entry}"));
        }
    }
    for size in ["32x32", "64x64", "128x128", "512x512"] {
        let icon = format!("/usr/share/icons/hicolor/{size}/apps/{name}.png");
        if !files.contains(&icon.as_str()) {
            return Err(format!("the package installs no {icon}"));
        }
    }
    println!("{binary}, {desktop} and the icons are in place.");
    let window_class = entry
        .lines()
        .find_map(|l| l.strip_prefix("StartupWMClass="))
        .ok_or(format!(
            "{desktop} has no StartupWMClass, so docks cannot match the window"
        ))?;
    Ok((PathBuf::from(binary), window_class.to_string()))
}

/// Starts the installed binary under Xvfb and waits for its window to show Outlay's page.
/// Also checks that the window's WM_CLASS is the one the menu entry names.
fn open_window(binary: &Path, window_class: &str, work: &Path) -> Result<(), String> {
    let mut processes = Processes(Vec::new());
    let display = free_display()?;
    processes.0.push(
        Command::new("Xvfb")
            .arg(&display)
            .args(["-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start Xvfb: {e}"))?,
    );
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{}", &display[1..]));
    wait_until("Xvfb to open its display", || Ok(socket.exists()))?;

    // A private session bus, so nothing reaches the developer's keychain or notifications.
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start dbus-daemon: {e}"))?;
    let mut bus_address = String::new();
    if let Some(out) = bus.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut bus_address);
    }
    processes.0.push(bus);

    // Everything the app and WebKit write goes under `work`: a fresh profile, and the
    // user's own home stays untouched.
    let home = work.join("home");
    let data = work.join("data");
    let log_path = work.join("outlay.log");
    let log =
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    let started = Instant::now();
    processes.0.push(
        Command::new(binary)
            .env("DISPLAY", &display)
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address.trim())
            .env("OUTLAY_DATA_DIR", &data)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            // WebKit's sandbox needs user namespaces that containers often lack.
            .env("WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS", "1")
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", binary.display()))?,
    );
    let app = processes.0.len() - 1;
    let exited = |processes: &mut Processes| -> Result<(), String> {
        match processes.0[app].try_wait() {
            Ok(Some(status)) => Err(format!(
                "{} exited ({status}); its output:\n{}",
                binary.display(),
                std::fs::read_to_string(&log_path).unwrap_or_default()
            )),
            _ => Ok(()),
        }
    };

    wait_until("a window named Outlay", || {
        exited(&mut processes)?;
        let tree = output(Command::new("xwininfo").args(["-display", &display, "-root", "-tree"]))?;
        // `0x200003 "Outlay": ("outlay" "Outlay") …`: the name, not the class, must match;
        // GTK's 10×10 leader window has the class too.
        Ok(tree.contains("\"Outlay\": ("))
    })?;
    println!("Window up after {:.1}s.", started.elapsed().as_secs_f64());
    let class =
        output(Command::new("xprop").args(["-display", &display, "-name", "Outlay", "WM_CLASS"]))?;
    // WM_CLASS(STRING) = "outlay", "Outlay": instance and class; docks match either.
    if !class.contains(&format!("\"{window_class}\"")) {
        return Err(format!(
            "the menu entry says StartupWMClass={window_class} but the window has {}",
            class.trim()
        ));
    }

    let picture_path = work.join("window.ppm");
    let mut share = 0.0;
    let shown = wait_until("the window to show Outlay's page", || {
        exited(&mut processes)?;
        let dump = Command::new("xwd")
            .args(["-silent", "-display", &display, "-name", "Outlay"])
            .output()
            .map_err(|e| format!("could not run xwd: {e}"))?;
        if !dump.status.success() {
            return Ok(false);
        }
        let picture = Picture::from_xwd(&dump.stdout)?;
        share = picture.coloured_share();
        picture.save_ppm(&picture_path)?;
        Ok(share >= COLOURED_SHARE)
    });
    if let Err(failure) = shown {
        return Err(format!(
            "{failure}: only {:.3}% of it is in colour (see {})",
            share * 100.0,
            picture_path.display()
        ));
    }
    println!(
        "Page shown after {:.1}s ({:.1}% in colour; picture: {}).",
        started.elapsed().as_secs_f64(),
        share * 100.0,
        picture_path.display()
    );
    // Still running a moment later: a crash right after the first paint counts too.
    std::thread::sleep(Duration::from_secs(2));
    exited(&mut processes)?;
    if !data.join("outlay.db").is_file() {
        return Err(format!("the app made no database in {}", data.display()));
    }
    println!("Still running, and its database is in OUTLAY_DATA_DIR.");
    Ok(())
}

/// The processes the test started, stopped by their own PIDs in reverse order when dropped.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            // SIGTERM first, so the app can end its WebKit helper processes itself.
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Polls `ready` until it says yes, fails, or PATIENCE runs out.
fn wait_until(what: &str, mut ready: impl FnMut() -> Result<bool, String>) -> Result<(), String> {
    let start = Instant::now();
    loop {
        if ready()? {
            return Ok(());
        }
        if start.elapsed() > PATIENCE {
            return Err(format!("timed out waiting for {what}"));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// An X display number nobody uses.
fn free_display() -> Result<String, String> {
    (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .map(|n| format!(":{n}"))
        .ok_or("no free X display between :90 and :199".into())
}

/// One control field of a .deb.
fn field(deb: &Path, name: &str) -> Result<String, String> {
    let value = output(Command::new("dpkg-deb").arg("-f").arg(deb).arg(name))?;
    Ok(value.trim().to_string())
}
