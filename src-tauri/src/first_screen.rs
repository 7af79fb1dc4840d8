//! The first screen's data, read while WebKit starts, and handed to the page in `/start.js`.
//!
//! Asked over IPC, the page's answers (the session, then the dashboard, its categories and its
//! alerts) came in after WebKit had painted its first frame, still empty, and a frame can only
//! start once the one before is on screen: under Xvfb that held the numbers up by ~150 ms. The
//! shell reads the answers as soon as setup is done (the page is not even requested yet) and
//! puts them into `/start.js`, which the page loads before its own script (ui/index.html). The
//! page then builds the dashboard in its first task, and its first frame shows the numbers.
//!
//! Only the page's first load gets them, each answer once (ui/src/api.ts); a page that loads
//! before they are ready gets the empty placeholder in ui/public/start.js and asks over IPC.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};
use tauri::http::{header, HeaderValue, Request, Response};
use tauri::{AppHandle, Manager, Runtime};

use crate::commands::{account, alerts::ALERTS_LISTED, name};
use crate::database::Database;
use crate::signed_in::SignedIn;

/// Where the page loads the answers from.
const PATH: &str = "/start.js";

/// Managed state: the script with the answers, until the page has loaded it.
#[derive(Clone, Default)]
pub struct FirstScreen(Arc<Mutex<Slot>>);

#[derive(Default)]
enum Slot {
    /// Not read yet (or nothing to hand over).
    #[default]
    Empty,
    Ready(String),
    /// The page has had them: a reload asks over IPC, for fresh data.
    Taken,
}

impl FirstScreen {
    /// The script with the answers, once; `None` before they are ready and after.
    pub fn take(&self) -> Option<String> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Ready(script) => Some(script),
            _ => None,
        }
    }

    fn offer(&self, script: String) {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Too late if the page already loaded: it asked over IPC instead.
        if matches!(*slot, Slot::Empty) {
            *slot = Slot::Ready(script);
        }
    }

    /// Serves the answers in place of the placeholder (for the main window's webview).
    pub fn serve(&self, request: Request<Vec<u8>>, response: &mut Response<Cow<'static, [u8]>>) {
        if request.uri().path() != PATH {
            return;
        }
        // Whatever was served, a reload must not reuse it from WebKit's cache.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(script) = self.take() {
            *response.body_mut() = Cow::Owned(script.into_bytes());
        }
    }
}

/// Reads what the page asks for before the dashboard's first frame (ui/src/app.ts `start`,
/// ui/src/screens/dashboard.ts `mount`): `resume_session`, then for a signed-in user
/// `dashboard`, `list_categories` and `list_alerts`, the same answers the commands give. An
/// answer that fails is left out; the page's own call then reports the error as usual.
pub async fn read<R: Runtime>(app: AppHandle<R>) {
    let (Some(database), Some(signed_in), Some(first_screen)) = (
        app.try_state::<Database>(),
        app.try_state::<SignedIn>(),
        app.try_state::<FirstScreen>(),
    ) else {
        return;
    };
    let mut answers = Map::new();
    let Ok(session) = account::resume(&app, &database, &signed_in).await else {
        return;
    };
    let Some(answer) = json(&session) else {
        return;
    };
    answers.insert(name::resume_session.into(), answer);
    if let (Some(session), Ok(outlay)) = (session, database.outlay()) {
        let today = outlay.clock().today();
        let (dashboard, categories, alerts) = tokio::join!(
            outlay.dashboard(&session, today),
            outlay.categories(&session),
            outlay.alerts(&session, ALERTS_LISTED),
        );
        for (command, answer) in [
            (name::dashboard, dashboard.ok().and_then(|d| json(&d))),
            (
                name::list_categories,
                categories.ok().and_then(|c| json(&c)),
            ),
            (name::list_alerts, alerts.ok().and_then(|a| json(&a))),
        ] {
            if let Some(answer) = answer {
                answers.insert(command.into(), answer);
            }
        }
    }
    // JSON is a JavaScript expression; the file is a script of its own, so no escaping for
    // HTML is involved.
    first_screen.offer(format!(
        "window.__outlayFirstScreen = {};\n",
        Value::Object(answers)
    ));
}

/// The answer as the command would send it (Tauri serializes with serde_json too).
fn json<T: serde::Serialize>(value: &T) -> Option<Value> {
    serde_json::to_value(value).ok()
}
