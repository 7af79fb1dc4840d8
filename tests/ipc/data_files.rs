//! The data folder and its files as the first start leaves them: private to the user on a
//! shared computer (checked with `stat`'s numbers), and an empty data file never taken for
//! a new profile.

use crate::commands::call;
use crate::{app_with_data_in, window};
use outlay::commands::name;
use outlay::database::Database;
use serde_json::json;

#[cfg(unix)]
#[test]
fn the_data_folder_and_files_are_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("Outlay");
    let app = app_with_data_in(&data_dir);
    let main = window(&app, "main");
    call(
        &main,
        name::sign_up,
        json!({
            "email": "private@example.com",
            "password": "correct horse battery",
            "baseCurrency": "EUR",
        }),
    )
    .expect("sign-up works");
    let mode = |name: &str| {
        let path = data_dir.join(name);
        let meta = std::fs::metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        meta.permissions().mode() & 0o777
    };
    assert_eq!(mode(""), 0o700, "the data folder");
    for file in ["outlay.db", "outlay.db-wal", "outlay.db-shm"] {
        assert_eq!(mode(file), 0o600, "{file}");
    }
}

#[cfg(unix)]
#[test]
fn a_profile_an_older_outlay_left_readable_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let data_dir = tempfile::tempdir().unwrap();
    drop(app_with_data_in(data_dir.path()));
    let db = data_dir.path().join("outlay.db");
    for path in [data_dir.path().to_path_buf(), db.clone()] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    drop(app_with_data_in(data_dir.path()));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(data_dir.path()), 0o700);
    assert_eq!(mode(&db), 0o600, "read and written by the owner only");
}

#[test]
fn an_empty_data_file_is_reported_not_replaced() {
    let data_dir = tempfile::tempdir().unwrap();
    let db = data_dir.path().join("outlay.db");
    std::fs::write(&db, b"").unwrap();
    let refused = tauri::async_runtime::block_on(Database::open(data_dir.path().to_path_buf()));
    let message = refused.err().expect("an empty file is not opened");
    assert!(message.contains("empty (0 bytes)"), "{message}");
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0, "left as it was");
}
