//! The bank statement the user chose in the native open dialog: managed state, so the page
//! never names a path. It asks for "the chosen file" and learns only its name and size.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use uuid::Uuid;

/// Environment variable naming the files the open dialog "picks", in order (separated like
/// `PATH`), instead of showing the dialog: end-to-end tests cannot click in a native GTK
/// dialog, which WebDriver does not reach.
///
/// Safe to honour in every build: it is read from the process environment only, which the
/// page cannot touch. Whoever sets an app's environment already runs programs as the user
/// (and could start any other program, or this one under a debugger, instead); they get
/// nothing they could not read themselves. The page gains nothing either: it still never
/// names a path, and learns only the chosen file's name and size, as after a real dialog.
pub const TEST_PICK_FILES_ENV: &str = "OUTLAY_TEST_PICK_FILES";

/// The chosen file, whose it is, and the cancel flag of the review or import running on it.
pub struct ChosenStatement {
    /// The user who chose it: another user signed in later must choose their own.
    chosen: Mutex<Option<(Uuid, PathBuf)>>,
    /// Set by Cancel; the core checks it while it reads and before it commits.
    cancel: AtomicBool,
    /// What [`TEST_PICK_FILES_ENV`] named and was not picked yet; `None` when it is unset.
    test_picks: Option<Mutex<VecDeque<PathBuf>>>,
}

impl ChosenStatement {
    /// Nothing chosen yet; the test picks are read from the environment now, once.
    pub fn from_env() -> Self {
        let test_picks = std::env::var_os(TEST_PICK_FILES_ENV)
            .filter(|list| !list.is_empty())
            .map(|list| {
                let paths = std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty());
                Mutex::new(paths.collect())
            });
        ChosenStatement {
            chosen: Mutex::new(None),
            cancel: AtomicBool::new(false),
            test_picks,
        }
    }

    /// With the test bypass on, the next file it names (`Some(None)` when they are all
    /// picked: as if the user cancelled); `None` when the real dialog is to be shown.
    pub fn next_test_pick(&self) -> Option<Option<PathBuf>> {
        let picks = self.test_picks.as_ref()?;
        Some(picks.lock().unwrap_or_else(|e| e.into_inner()).pop_front())
    }

    /// Remembers `path` as `user`'s chosen statement.
    pub fn choose(&self, user: Uuid, path: PathBuf) {
        *self.chosen.lock().unwrap_or_else(|e| e.into_inner()) = Some((user, path));
    }

    /// The file `user` chose, if they chose one.
    pub fn path_for(&self, user: Uuid) -> Option<PathBuf> {
        self.chosen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|(owner, _)| *owner == user)
            .map(|(_, path)| path.clone())
    }

    /// Forgets the chosen file (it was imported).
    pub fn forget(&self) {
        *self.chosen.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The cancel flag, cleared for a new review or import.
    pub fn start(&self) -> &AtomicBool {
        self.cancel.store(false, Ordering::Relaxed);
        &self.cancel
    }

    /// Asks the review or import running to stop.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_picks(picks: &[&str]) -> ChosenStatement {
        ChosenStatement {
            chosen: Mutex::new(None),
            cancel: AtomicBool::new(false),
            test_picks: Some(Mutex::new(picks.iter().map(PathBuf::from).collect())),
        }
    }

    #[test]
    fn the_test_picks_come_in_order_then_run_out_like_a_cancel() {
        let chosen = with_picks(&["/a.csv", "/b.csv"]);
        assert_eq!(chosen.next_test_pick(), Some(Some("/a.csv".into())));
        assert_eq!(chosen.next_test_pick(), Some(Some("/b.csv".into())));
        assert_eq!(chosen.next_test_pick(), Some(None));
    }

    #[test]
    fn without_the_variable_the_dialog_is_shown() {
        let chosen = ChosenStatement {
            test_picks: None,
            ..with_picks(&[])
        };
        assert_eq!(chosen.next_test_pick(), None);
    }

    #[test]
    fn a_chosen_file_is_only_its_choosers() {
        let chosen = with_picks(&[]);
        let (rita, sam) = (Uuid::now_v7(), Uuid::now_v7());
        chosen.choose(rita, "/statement.csv".into());
        assert_eq!(chosen.path_for(rita), Some("/statement.csv".into()));
        assert_eq!(chosen.path_for(sam), None);
        chosen.forget();
        assert_eq!(chosen.path_for(rita), None);
    }

    #[test]
    fn a_new_run_clears_an_earlier_cancel() {
        let chosen = with_picks(&[]);
        chosen.cancel();
        assert!(!chosen.start().load(Ordering::Relaxed));
        chosen.cancel();
        assert!(chosen.cancel.load(Ordering::Relaxed));
    }
}
