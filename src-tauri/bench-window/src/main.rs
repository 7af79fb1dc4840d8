//! The yardstick of `cargo xtask bench-desktop`: the smallest Tauri app that opens a window
//! with a page, built like Outlay. It prints one line when its page is on screen; the bench
//! times that line just as it times Outlay's "started" line.

// No console window on Windows, as for the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::OnceLock;
use std::time::Instant;

/// When `main` began, for the figure in the line.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// The page calls this after its first frame.
#[tauri::command]
fn page_shown() {
    let started = STARTED.get_or_init(Instant::now);
    eprintln!(
        "bench-window: page shown in {} ms",
        started.elapsed().as_millis()
    );
}

fn main() {
    STARTED.get_or_init(Instant::now);
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![page_shown])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("bench-window could not start: {error}");
            std::process::exit(1);
        });
}
