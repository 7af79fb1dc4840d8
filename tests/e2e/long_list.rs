//! A long list: a user imports years of expenses, then jumps to the end of the list with the
//! End key and drags the scrollbar to the middle. Each jump fetches a page where the user
//! landed, not every page before it.

use crate::harness::Desktop;
use crate::steps::Step;
use fantoccini::key::Key;

/// Enough rows that the end is far past anything scrolling would prefetch.
const EXPENSES: usize = 6000;
/// Must match ROW_HEIGHT in ui/src/components/expense-list.ts.
const ROW_HEIGHT: usize = 44;

/// One expense a day from 2008 on: "Day 0" is the oldest, so newest first it is the last row.
fn csv() -> String {
    let first = chrono::NaiveDate::from_ymd_opt(2008, 1, 1).unwrap();
    let mut csv = String::from("date,amount,category,description\n");
    for day in 0..EXPENSES {
        let date = first + chrono::Days::new(day as u64);
        csv.push_str(&format!(
            "{date},{}.{:02},Food,Day {day}\n",
            1 + day % 50,
            day % 100
        ));
    }
    csv
}

/// The description on row `row` (1-based, as `aria-rowindex`) once its page has arrived.
async fn row_says(d: &Desktop, row: usize, description: &str) -> Step {
    d.wait_text(
        &format!("#expense-list [aria-rowindex='{row}'] .expense-description"),
        description,
    )
    .await
}

/// How many rows the list holds, and from which row.
async fn window(d: &Desktop) -> Step<(usize, usize)> {
    let value = d
        .script(
            "const list = document.querySelector('#expense-list'); \
             return [Number(list.dataset.windowStart), Number(list.dataset.windowRows)];",
        )
        .await?;
    let number = |i: usize| value[i].as_u64().map(|n| n as usize);
    match (number(0), number(1)) {
        (Some(start), Some(rows)) => Ok((start, rows)),
        _ => Err(format!("the list's window is not numbers: {value}")),
    }
}

pub async fn jumps_through_a_long_list(d: &Desktop) -> Step {
    d.sign_up("lena@example.com", "correct horse battery")
        .await?;

    let file = d.data_dir().join("years.csv");
    std::fs::write(&file, csv()).map_err(|e| e.to_string())?;
    d.open("settings").await?;
    d.find("#import-file")
        .await?
        .send_keys(&file.to_string_lossy())
        .await
        .map_err(|e| e.to_string())?;
    d.wait_text("#import-summary", "Imported 6,000 expenses")
        .await?;

    d.open("expenses").await?;
    row_says(d, 1, &format!("Day {}", EXPENSES - 1)).await?;
    // The count arrives beside the first page; End goes to the last of that many rows.
    d.find(&format!("#expense-list[aria-rowcount='{EXPENSES}']"))
        .await?;

    // End: the oldest expense, fetched by position.
    d.press("#expense-list", Key::End).await?;
    row_says(d, EXPENSES, "Day 0").await?;
    d.screenshot("long-list-end").await;
    let (start, rows) = window(d).await?;
    if start == 0 || rows > 1000 {
        return Err(format!(
            "jumping to the end fetched rows {start}..{} instead of a page near the end",
            start + rows
        ));
    }

    // The scrollbar dragged to the middle.
    let middle = EXPENSES / 2;
    d.script(&format!(
        "document.querySelector('#expense-list').scrollTop = {};",
        middle * ROW_HEIGHT
    ))
    .await?;
    row_says(d, middle + 1, &format!("Day {}", EXPENSES - 1 - middle)).await?;
    let (start, rows) = window(d).await?;
    if !(start..start + rows).contains(&middle) || rows > 1000 {
        return Err(format!(
            "the middle of the list shows rows {start}..{} of the window",
            start + rows
        ));
    }

    // Scrolling up from there extends the window upwards, row for row.
    d.script(&format!(
        "document.querySelector('#expense-list').scrollTop = {};",
        (middle - 300) * ROW_HEIGHT
    ))
    .await?;
    row_says(
        d,
        middle - 299,
        &format!("Day {}", EXPENSES - 1 - (middle - 300)),
    )
    .await?;

    // Home: back to the newest.
    d.press("#expense-list", Key::Home).await?;
    row_says(d, 1, &format!("Day {}", EXPENSES - 1)).await
}
