//! System packages the app needs to build and test, installed when missing where we know how
//! (Debian/Ubuntu), named where we don't.

use std::process::Command;

use crate::step;
use crate::ui;

/// Debian/Ubuntu packages, each with the reason it is here. This is the one list: later
/// needs (an X server for end-to-end tests, PostgreSQL, …) are added here.
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    (
        "libwebkit2gtk-4.1-dev",
        "WebKitGTK, the webview the UI runs in",
    ),
    ("libayatana-appindicator3-dev", "the system tray icon"),
    ("librsvg2-dev", "SVG icons in GTK menus"),
    ("libxdo-dev", "keyboard shortcuts in native menus"),
    ("libssl-dev", "TLS for crates that link OpenSSL"),
    ("build-essential", "the C compiler and linker"),
    ("file", "the bundler inspects binaries with it"),
    ("pkg-config", "how build scripts find the libraries above"),
    ("xvfb", "a virtual display for the end-to-end tests"),
    (
        "webkit2gtk-driver",
        "WebKitWebDriver, which tauri-driver drives the real window through",
    ),
    ("dbus", "a private session bus for the end-to-end tests"),
    (
        "dunst",
        "a notification daemon on the end-to-end tests' private bus",
    ),
    (
        "gnome-keyring",
        "a real Secret Service (OS keychain) for the end-to-end tests",
    ),
    (
        "postgresql",
        "a throw-away server for the PostgreSQL contract and isolation tests",
    ),
];

/// Debian's Node.js, only installed when there is no `node` at all.
const DEBIAN_NODE_PACKAGES: &[&str] = &["nodejs", "npm"];

/// Vite 7 refuses older Node versions.
const NODE_MINIMUM: (u32, u32) = (20, 19);

pub fn ensure_system_packages() -> Result<(), String> {
    if cfg!(target_os = "linux") {
        ensure_linux_packages()?;
    } else if cfg!(target_os = "macos") {
        check_macos();
    } else if cfg!(windows) {
        // Building xtask already proved the MSVC build tools are there; only the runtime
        // webview is left, and Windows 10/11 ship it.
        println!(
            "Windows: Outlay needs the WebView2 runtime (preinstalled on Windows 10 and 11; \
             otherwise https://developer.microsoft.com/microsoft-edge/webview2/)."
        );
    }
    ensure_node()
}

fn ensure_linux_packages() -> Result<(), String> {
    let names: Vec<&str> = DEBIAN_PACKAGES.iter().map(|(name, _)| *name).collect();
    if !has_apt() {
        println!(
            "No apt-get here: install your distribution's equivalents of: {}",
            names.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = names
        .into_iter()
        .filter(|name| !is_installed(name))
        .collect();
    if missing.is_empty() {
        println!("All {} Debian packages present.", DEBIAN_PACKAGES.len());
        return Ok(());
    }
    for (name, why) in DEBIAN_PACKAGES.iter().filter(|(n, _)| missing.contains(n)) {
        println!("missing {name}: {why}");
    }
    apt_install(&missing)
}

fn check_macos() {
    let has_command_line_tools = Command::new("xcode-select")
        .arg("-p")
        .output()
        .is_ok_and(|output| output.status.success());
    if has_command_line_tools {
        println!("macOS: Xcode command line tools present.");
    } else {
        println!("macOS: install the Xcode command line tools with `xcode-select --install`.");
    }
}

fn ensure_node() -> Result<(), String> {
    if !step::available("node") && cfg!(target_os = "linux") && has_apt() {
        println!("Node.js is missing; installing Debian's.");
        apt_install(DEBIAN_NODE_PACKAGES)?;
    }
    let version = node_version().ok_or(
        "Node.js is needed to build the UI: install Node 20 (LTS) or newer from https://nodejs.org",
    )?;
    if version < NODE_MINIMUM {
        return Err(format!(
            "Node.js {}.{} is too old; the UI build needs {}.{} or newer (https://nodejs.org)",
            version.0, version.1, NODE_MINIMUM.0, NODE_MINIMUM.1
        ));
    }
    if !ui::npm_available() {
        return Err("npm is missing: it comes with Node.js from https://nodejs.org".into());
    }
    println!("Node.js {}.{} and npm present.", version.0, version.1);
    Ok(())
}

/// `(major, minor)` of the `node` on PATH.
fn node_version() -> Option<(u32, u32)> {
    let output = Command::new("node").arg("--version").output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let mut parts = text.trim().trim_start_matches('v').split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

pub fn has_apt() -> bool {
    step::available("apt-get") && step::available("dpkg-query")
}

pub fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"install ok installed"))
}

/// `apt-get update` once, then one `apt-get install` for everything missing.
pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    let as_root = is_root();
    if !as_root && !step::available("sudo") {
        return Err(format!(
            "not root and no sudo: as root, run `apt-get install -y {}`",
            packages.join(" ")
        ));
    }
    // Wait for another apt (say, unattended-upgrades) rather than fail on its lock.
    let lock_wait = ["-o", "DPkg::Lock::Timeout=300"];
    step::status(
        apt_get(as_root).args(lock_wait).args(["update", "-q"]),
        "apt-get update",
    )?;
    step::status(
        apt_get(as_root)
            .args(lock_wait)
            .args(["install", "-y", "-q"])
            .args(packages),
        "apt-get install",
    )
}

/// `apt-get` that never stops to ask a question, through sudo unless we are root.
pub fn apt_get(as_root: bool) -> Command {
    if as_root {
        let mut command = Command::new("apt-get");
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command
    } else {
        // sudo resets the environment, so the variable is passed as an argument.
        let mut command = Command::new("sudo");
        command.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        command
    }
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// Installs one Debian package when it is missing and apt is here; otherwise says what to
/// install. For tools only some tasks need (hledger for `cargo xtask bench`).
pub fn ensure_optional_package(package: &str, why: &str) -> Result<(), String> {
    if !cfg!(target_os = "linux") || !has_apt() {
        println!("Install {package} yourself if you want {why}.");
        return Ok(());
    }
    if is_installed(package) {
        println!("{package} present.");
        return Ok(());
    }
    println!("missing {package}: {why}");
    apt_install(&[package])
}
