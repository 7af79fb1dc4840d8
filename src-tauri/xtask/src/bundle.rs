//! `cargo xtask bundle`: the release installers for the OS it runs on, built by the Tauri CLI
//! that ui/package-lock.json pins, and (on Debian/Ubuntu) a test that installs the .deb the
//! way a user would and opens the installed app.

mod dependencies;
mod install_test;
mod screen;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::step::{self, Steps};

pub const USAGE: &str = "\
  bundle [--bundles LIST] [--install-test]
         release installers for this OS (Linux: deb,rpm; Windows: msi,nsis; macOS: app,dmg);
         LIST picks others, e.g. deb,rpm,appimage. --install-test (Debian/Ubuntu) then
         installs the .deb with apt, opens the installed app under Xvfb and removes it";

/// What `cargo xtask bundle` builds unless told otherwise: every installer this OS can make
/// without downloading tools from outside the package registries. The AppImage needs
/// linuxdeploy, and MSI/NSIS need WiX/NSIS, which the Tauri CLI downloads on first use; on
/// Windows that is the normal case, on Linux the AppImage is asked for by name.
fn host_bundles() -> &'static str {
    if cfg!(windows) {
        "msi,nsis"
    } else if cfg!(target_os = "macos") {
        "app,dmg"
    } else {
        "deb,rpm"
    }
}

/// `cargo xtask bundle [--bundles LIST] [--install-test]`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let mut bundles = host_bundles().to_string();
    let mut install_test = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--install-test" => install_test = true,
            "--bundles" => {
                bundles = rest
                    .next()
                    .ok_or("--bundles needs a list, e.g. --bundles deb,rpm,appimage")?
                    .to_string();
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if install_test && !bundles.split(',').any(|b| b == "deb") {
        return Err("--install-test installs the .deb: add deb to --bundles".into());
    }
    let root = crate::repo_root();
    let mut steps = Steps::new();
    crate::prepare(&mut steps, &root)?;
    steps.run("release bundles", || build(&root, &bundles))?;
    if install_test {
        let rpm = bundles.split(',').any(|b| b == "rpm");
        steps.run("install test", || install_test::run(&root, rpm, false))?;
    }
    steps.summary();
    Ok(())
}

/// The steps `cargo xtask test` adds: the .deb and its install test, where apt can run them.
pub fn test_steps(steps: &mut Steps, root: &Path) -> Result<(), String> {
    if !(cfg!(target_os = "linux") && crate::deps::has_apt()) {
        println!("\nThe install test needs Debian/Ubuntu (apt, dpkg); skipping it here.");
        return Ok(());
    }
    // The .rpm costs a few seconds once the binary is built, and its Requires get checked.
    steps.run("release .deb and .rpm", || build(root, "deb,rpm"))?;
    steps.run("install test", || install_test::run(root, true, true))
}

/// Builds the release binary and the installers named in `bundles` (comma-separated Tauri
/// bundle names) into target/release/bundle/, then lists them with their sizes.
pub fn build(root: &Path, bundles: &str) -> Result<(), String> {
    let out = bundle_dir(root);
    // Old versions' installers would otherwise pile up next to the new ones, and the install
    // test must find exactly the one just built.
    for kind in bundles.split(',') {
        let dir = out.join(output_folder(kind));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| format!("could not clear {}: {e}", dir.display()))?;
        }
    }
    let overrides = write_overrides(root)?;
    step::status(
        tauri_cli(root)?
            .args(["build", "--ci", "--bundles", bundles, "--config"])
            .arg(&overrides),
        "tauri build",
    )?;
    list_outputs(root, &out);
    Ok(())
}

/// tauri.conf.json's `beforeBuildCommand` builds the UI for anyone running the Tauri CLI
/// by hand. xtask has built it already (and skips that when nothing changed); building it
/// again would rewrite ui/dist and make cargo recompile every debug test binary next time.
fn write_overrides(root: &Path) -> Result<PathBuf, String> {
    let dir = target_dir(root).join("xtask");
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let path = dir.join("tauri-bundle-overrides.json");
    std::fs::write(&path, r#"{ "build": { "beforeBuildCommand": "" } }"#)
        .map_err(|e| format!("could not write {}: {e}", path.display()))?;
    Ok(path)
}

/// The Tauri CLI from ui/node_modules: the version package-lock.json pins, installed by the
/// `npm ci` that the UI needs anyway, with prebuilt binaries from the npm registry, where
/// `cargo install tauri-cli` would compile some 600 crates first.
fn tauri_cli(root: &Path) -> Result<Command, String> {
    let name = if cfg!(windows) { "tauri.cmd" } else { "tauri" };
    let cli = root.join("ui").join("node_modules").join(".bin").join(name);
    if !cli.is_file() {
        return Err(format!(
            "{} is missing: run `npm ci` in ui/ (cargo xtask does, when the lock changes)",
            cli.display()
        ));
    }
    let mut command = Command::new(cli);
    command.current_dir(root);
    Ok(command)
}

/// Where the Tauri CLI puts each bundle kind, under target/release/bundle/.
fn output_folder(kind: &str) -> &str {
    match kind {
        "app" => "macos",
        other => other,
    }
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn bundle_dir(root: &Path) -> PathBuf {
    target_dir(root).join("release").join("bundle")
}

/// The one package of `kind` ("deb", "rpm") that the last build made.
fn built(root: &Path, kind: &str) -> Result<PathBuf, String> {
    let dir = bundle_dir(root).join(kind);
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("no {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == kind))
        .collect();
    match &found[..] {
        [package] => Ok(package.clone()),
        [] => Err(format!("no .{kind} in {}", dir.display())),
        _ => Err(format!("more than one .{kind} in {}", dir.display())),
    }
}

/// Prints each installer (and the app binary) with its size.
fn list_outputs(root: &Path, out: &Path) {
    println!("\nBuilt:");
    let binary = target_dir(root).join("release").join(if cfg!(windows) {
        "outlay.exe"
    } else {
        "outlay"
    });
    let mut found = vec![binary];
    for entry in std::fs::read_dir(out).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(entry.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path();
            let name = path.to_string_lossy();
            if [".deb", ".rpm", ".AppImage", ".msi", ".exe", ".dmg", ".app"]
                .iter()
                .any(|ext| name.ends_with(ext))
            {
                found.push(path);
            }
        }
    }
    for path in found {
        let size = size_of(&path);
        println!(
            "  {:>9.1} MiB  {}",
            size as f64 / 1_048_576.0,
            path.display()
        );
    }
}

/// Bytes in a file, or in everything under a folder (a macOS .app is one).
fn size_of(path: &Path) -> u64 {
    match path.metadata() {
        Ok(meta) if meta.is_dir() => std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| size_of(&entry.path()))
            .sum(),
        Ok(meta) => meta.len(),
        Err(_) => 0,
    }
}

/// A command's stdout, or an error with its stderr.
fn output(command: &mut Command) -> Result<String, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let out = command
        .output()
        .map_err(|e| format!("could not run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
