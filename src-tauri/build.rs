//! tauri-build for the app: the context, and a permission for each app command.

// A permission (`allow-<command>`) for every app command, so that a window can call only what
// its capability file under src-tauri/capabilities/ grants. The commands are listed once, in
// src/commands/list.rs; only their names matter here.
macro_rules! commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $answer:ty;)*) => {
        const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

include!("src/commands/list.rs");

fn main() {
    // tauri-build watches its default capabilities dir only; ours moved, so say so.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=src-tauri/src/commands/list.rs");
    // The capabilities live under src-tauri/ while tauri.conf.json and Cargo.toml sit at the
    // root, so the default `./capabilities/**/*` pattern would find nothing.
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // `{:#}` prints the whole cause chain, which is where the useful part usually is.
        panic!("tauri-build failed: {error:#}");
    }
}
