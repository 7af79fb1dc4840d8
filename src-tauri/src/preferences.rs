//! Choices about this computer's app, kept in `preferences.json` beside the database: the
//! quick-add shortcut and whether budget alerts raise native notifications.

use std::path::Path;

use outlay_core::AppError;
use serde::{Deserialize, Serialize};

const FILE: &str = "preferences.json";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preferences {
    pub quick_add_shortcut: Option<String>,
    pub notifications: Option<bool>,
}

impl Preferences {
    /// Notifications are on unless the user turned them off.
    pub fn notifications_on(&self) -> bool {
        self.notifications.unwrap_or(true)
    }
}

/// The saved preferences; defaults when there are none (or the file is unreadable).
pub fn load(data_dir: &Path) -> Preferences {
    std::fs::read(data_dir.join(FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Saves the preferences atomically.
pub fn save(data_dir: &Path, preferences: &Preferences) -> Result<(), AppError> {
    let json =
        serde_json::to_vec_pretty(preferences).map_err(|e| AppError::Internal(e.to_string()))?;
    let path = data_dir.join(FILE);
    let temporary = path.with_extension("json.tmp");
    std::fs::write(&temporary, json)
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(|error| {
            AppError::Internal(format!("Outlay could not save its preferences: {error}"))
        })
}
