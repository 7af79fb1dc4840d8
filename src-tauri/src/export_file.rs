//! Where an export lands: a new file in a folder the shell chose (never a path from the
//! page), under a name that does not replace anything already there, and only once it is
//! complete — a failed export leaves no half file behind.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use outlay_core::AppError;
use tempfile::NamedTempFile;

/// "name (2).csv", "name (3).csv", … are tried up to this many before giving up.
const MAX_TRIES: u32 = 1000;

/// A file being written in `folder`, under a hidden temporary name until [`finish`].
/// Dropping it unfinished deletes it.
pub fn start(folder: &Path) -> Result<NamedTempFile, AppError> {
    std::fs::create_dir_all(folder).map_err(|e| io_error(folder, &e))?;
    tempfile::Builder::new()
        .prefix(".outlay-export-")
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(|e| io_error(folder, &e))
}

/// Flushes `file` to disk and gives it its real name: `stem.extension`, or the first free
/// `stem (n).extension`. Returns where it is.
pub fn finish(mut file: NamedTempFile, stem: &str, extension: &str) -> Result<PathBuf, AppError> {
    let folder = file
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    file.as_file()
        .sync_all()
        .map_err(|e| io_error(&folder, &e))?;
    for n in 1..=MAX_TRIES {
        let name = if n == 1 {
            format!("{stem}.{extension}")
        } else {
            format!("{stem} ({n}).{extension}")
        };
        let target = folder.join(name);
        // No-clobber: a file that appeared meanwhile is never replaced.
        match file.persist_noclobber(&target) {
            Ok(_) => return Ok(target),
            Err(e) if e.error.kind() == ErrorKind::AlreadyExists => file = e.file,
            Err(e) => return Err(io_error(&folder, &e.error)),
        }
    }
    Err(AppError::Internal(format!(
        "{} already holds {MAX_TRIES} files named {stem}; move some away and try again.",
        folder.display()
    )))
}

fn io_error(folder: &Path, error: &std::io::Error) -> AppError {
    if error.kind() == ErrorKind::StorageFull {
        return AppError::DiskFull;
    }
    AppError::Internal(format!(
        "The file could not be saved in {}: {error}",
        folder.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_finished_file_takes_the_first_free_name_and_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("report.csv"), "old").unwrap();
        for text in ["second", "third"] {
            let mut file = start(dir.path()).unwrap();
            file.write_all(text.as_bytes()).unwrap();
            finish(file, "report", "csv").unwrap();
        }
        assert_eq!(
            names(dir.path()),
            ["report (2).csv", "report (3).csv", "report.csv"]
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("report.csv")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("report (3).csv")).unwrap(),
            "third"
        );
    }

    #[test]
    fn an_unfinished_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = start(&dir.path().join("Downloads")).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert!(names(&dir.path().join("Downloads")).is_empty());
    }
}
