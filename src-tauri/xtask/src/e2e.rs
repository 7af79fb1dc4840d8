//! What the end-to-end tests need beyond Debian packages: `tauri-driver`, from crates.io.

use std::path::Path;

use crate::step;

/// tauri-driver 2.x (not the 3.0 alphas), the WebDriver bridge to the Tauri window.
const TAURI_DRIVER_VERSION: &str = "^2";

/// Installs tauri-driver with `cargo install` when it is not on PATH or in ~/.cargo/bin.
pub fn ensure_tauri_driver(root: &Path) -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        println!("End-to-end tests run on Linux only (WebKitWebDriver); skipping tauri-driver.");
        return Ok(());
    }
    if step::available("tauri-driver")
        || cargo_home_bin("tauri-driver").is_some_and(|p| p.is_file())
    {
        println!("tauri-driver present.");
        return Ok(());
    }
    step::status(
        crate::cargo(root).args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ]),
        "cargo install tauri-driver",
    )
}

fn cargo_home_bin(tool: &str) -> Option<std::path::PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    Some(home.join("bin").join(tool))
}
