//! Small verbs over WebDriver, in the user's terms: type into, click, read the text of.

use crate::harness::{Desktop, PATIENCE};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// What a journey step returns: a failure message names what the user could not do.
pub type Step<T = ()> = Result<T, String>;

impl Desktop {
    /// Waits for the element matching `css` to exist and be shown.
    pub async fn find(&self, css: &str) -> Step<Element> {
        let element = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("{css} never appeared: {e}"))?;
        Ok(element)
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Step {
        self.find(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("could not click {css}: {e}"))
    }

    /// Clears the input matching `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) -> Step {
        let input = self.find(css).await?;
        input
            .clear()
            .await
            .map_err(|e| format!("could not clear {css}: {e}"))?;
        // WebDriver refuses to type nothing: type a space and delete it instead, so the page
        // still sees input events (the search box listens to them).
        let backspace: char = Key::Backspace.into();
        let keys = if text.is_empty() {
            format!(" {backspace}")
        } else {
            text.to_owned()
        };
        input
            .send_keys(&keys)
            .await
            .map_err(|e| format!("could not type into {css}: {e}"))
    }

    /// Picks the option with value `value` in the select matching `css`.
    pub async fn choose(&self, css: &str, value: &str) -> Step {
        self.find(css)
            .await?
            .select_by_value(value)
            .await
            .map_err(|e| format!("no option {value:?} in {css}: {e}"))
    }

    /// Picks the option whose visible label is `label` in the select matching `css`.
    pub async fn choose_label(&self, css: &str, label: &str) -> Step {
        let select = self.find(css).await?;
        let options = select
            .find_all(Locator::Css("option"))
            .await
            .map_err(|e| e.to_string())?;
        for option in options {
            let text = option.text().await.map_err(|e| e.to_string())?;
            if text
                .trim()
                .trim_start_matches(['—', '–', '-', ' ', '\u{a0}'])
                .trim()
                == label
            {
                return option.click().await.map_err(|e| e.to_string());
            }
        }
        Err(format!("no option labelled {label:?} in {css}"))
    }

    /// Presses Enter in the element matching `css`.
    pub async fn press_enter(&self, css: &str) -> Step {
        self.press(css, Key::Enter).await
    }

    /// Presses `key` in the element matching `css`.
    pub async fn press(&self, css: &str, key: Key) -> Step {
        let key: char = key.into();
        self.find(css)
            .await?
            .send_keys(&key.to_string())
            .await
            .map_err(|e| e.to_string())
    }

    /// Signs up a new user (in US dollars) on the first screen of a fresh app and waits for
    /// the dashboard.
    pub async fn sign_up(&self, email: &str, password: &str) -> Step {
        self.sign_up_in(email, password, "USD").await
    }

    /// Signs up a new user whose base currency is `currency` and waits for the dashboard.
    pub async fn sign_up_in(&self, email: &str, password: &str, currency: &str) -> Step {
        self.find("body[data-screen='sign-up']").await?;
        self.fill("#auth-email", email).await?;
        self.fill("#auth-password", password).await?;
        self.choose("#auth-currency", currency).await?;
        self.click("#auth-submit").await?;
        self.find("body[data-screen='dashboard'][data-ready='true']")
            .await
            .map(|_| ())
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> Step<String> {
        self.find(css)
            .await?
            .text()
            .await
            .map_err(|e| format!("no text in {css}: {e}"))
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> Step<usize> {
        Ok(self
            .client
            .find_all(Locator::Css(css))
            .await
            .map_err(|e| e.to_string())?
            .len())
    }

    /// Polls until `check` holds, or fails with `what` after the patience runs out.
    pub async fn eventually<F, Fut>(&self, what: &str, mut check: F) -> Step
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Step<bool>>,
    {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < PATIENCE {
            match check().await {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(e) => last = e,
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Err(format!("timed out waiting until {what} {last}"))
    }

    /// Waits until the text of `css` contains `wanted`.
    pub async fn wait_text(&self, css: &str, wanted: &str) -> Step {
        let start = Instant::now();
        let mut seen = String::new();
        while start.elapsed() < PATIENCE {
            seen = self.text(css).await.unwrap_or_default();
            if seen.contains(wanted) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Err(format!(
            "{css} never showed {wanted:?} (last seen {seen:?})"
        ))
    }

    /// Waits until `n` elements match `css`.
    pub async fn wait_count(&self, css: &str, n: usize) -> Step {
        self.eventually(&format!("{n} × {css}"), || async {
            Ok(self.count(css).await? == n)
        })
        .await
    }

    /// Goes to a screen through the navigation and waits for it to render.
    pub async fn open(&self, screen: &str) -> Step {
        self.click(&format!("[data-nav='{screen}']")).await?;
        self.find(&format!("body[data-screen='{screen}'][data-ready='true']"))
            .await
            .map(|_| ())
    }

    /// Runs a script in the page and returns its JSON result.
    pub async fn script(&self, code: &str) -> Step<serde_json::Value> {
        self.client
            .execute(code, vec![])
            .await
            .map_err(|e| format!("script failed: {e}"))
    }
}
