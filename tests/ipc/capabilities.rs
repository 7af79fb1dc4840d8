//! The capability files grant app commands by permission (`allow-<command>`): each one they
//! grant is a command of src-tauri/src/commands/list.rs, and each command is granted to a
//! window. (tauri-build already refuses a permission that does not exist; this also catches a
//! command no window may call, and a grant left behind under a name reused later.)

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// The app commands a capability file grants, as command names.
fn granted(file: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/capabilities")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let capability: Value = serde_json::from_str(&text).unwrap();
    capability["permissions"]
        .as_array()
        .unwrap_or_else(|| panic!("{file} lists permissions"))
        .iter()
        .filter_map(Value::as_str)
        // Plugins' and the core's permissions are `plugin:name`; the app's own have no prefix.
        .filter(|permission| !permission.contains(':'))
        .map(|permission| {
            permission
                .strip_prefix("allow-")
                .unwrap_or_else(|| panic!("{file}: {permission} is not an allow-<command>"))
                .replace('-', "_")
        })
        .collect()
}

fn capability_files() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/capabilities");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_capabilities_grant_only_listed_commands_and_every_one_somewhere() {
    let listed: BTreeSet<String> = outlay::commands::ALL
        .iter()
        .map(|name| name.to_string())
        .collect();
    let mut granted_anywhere = BTreeSet::new();
    for file in capability_files() {
        let granted = granted(&file);
        let unknown: Vec<_> = granted.difference(&listed).collect();
        assert!(
            unknown.is_empty(),
            "{file} grants unlisted commands {unknown:?}"
        );
        granted_anywhere.extend(granted);
    }
    let ungranted: Vec<_> = listed.difference(&granted_anywhere).collect();
    assert!(
        ungranted.is_empty(),
        "no window may call {ungranted:?}: grant them in a capability file or drop them"
    );
}
