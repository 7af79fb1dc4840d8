//! The `outlay` binary: everything happens in [`outlay::run`].

// No console window behind the app in Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    outlay::run();
}
