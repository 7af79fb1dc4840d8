//! Quick add and the assistant: open the quick-add window, type a line, Enter; the expense is
//! in the list and the dashboard moved. Then ask the assistant about it.

use crate::harness::{Desktop, PATIENCE};
use crate::steps::Step;
use std::time::Instant;

const EMAIL: &str = "kim@example.com";
const PASSWORD: &str = "correct horse battery";

pub async fn quick_add_and_ask(d: &Desktop) -> Step {
    d.sign_up(EMAIL, PASSWORD).await?;
    d.wait_text("#dashboard-spent", "$0.00").await?;

    // The same command the tray and the global shortcut use, from its settings button.
    d.open("settings").await?;
    let main = d.client.window().await.map_err(|e| e.to_string())?;
    d.click("#settings-open-quick-add").await?;
    let quick_add = new_window(d, &main).await?;
    d.client
        .switch_to_window(quick_add)
        .await
        .map_err(|e| format!("could not switch to quick add: {e}"))?;
    d.find("body[data-screen='quick-add'][data-ready='true']")
        .await?;
    d.fill("#quick-add-text", "12.50 lunch #work @card").await?;
    d.wait_text("[data-part='amount']", "$12.50").await?;
    d.wait_text("[data-part='category']", "Restaurants").await?;
    d.wait_text("[data-part='tag']", "#work").await?;
    d.wait_text("[data-part='payment']", "@card").await?;
    d.screenshot("quick-add-light").await;
    d.press_enter("#quick-add-text").await?;
    d.eventually("the quick-add window closes", || async {
        let windows = d.client.windows().await.map_err(|e| e.to_string())?;
        Ok(windows.len() == 1)
    })
    .await?;
    d.client
        .switch_to_window(main)
        .await
        .map_err(|e| format!("could not switch back: {e}"))?;

    d.open("expenses").await?;
    d.wait_count(".expense-row", 1).await?;
    d.wait_text(".expense-row .expense-description", "lunch")
        .await?;
    d.wait_text(".expense-row .expense-amount", "12.50").await?;
    d.open("dashboard").await?;
    d.wait_text("#dashboard-spent", "$12.50").await?;

    d.open("assistant").await?;
    d.fill(
        "#assistant-question",
        "how much did I spend on food this month?",
    )
    .await?;
    d.press_enter("#assistant-question").await?;
    d.wait_text(".chat__message--outlay .chat__text", "12.50 USD")
        .await?;
    d.screenshot("assistant-light").await;
    Ok(())
}

/// The handle of the window that is not `main`, once it exists.
async fn new_window(
    d: &Desktop,
    main: &fantoccini::wd::WindowHandle,
) -> Step<fantoccini::wd::WindowHandle> {
    let start = Instant::now();
    loop {
        let windows = d.client.windows().await.map_err(|e| e.to_string())?;
        if let Some(other) = windows.into_iter().find(|w| w != main) {
            return Ok(other);
        }
        if start.elapsed() > PATIENCE {
            return Err("the quick-add window never opened".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
