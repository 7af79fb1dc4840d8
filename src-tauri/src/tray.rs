//! The system-tray icon: Quick add…, Open Outlay, this month's spend against the budget, and
//! Quit. Outlay keeps running here when its window is closed.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{App, AppHandle, Manager, Runtime};

use crate::windows;

/// The menu line that shows this month's spend; kept to update its text.
pub struct TraySummary<R: Runtime>(MenuItem<R>);

/// What the summary line says when nobody is signed in.
const SIGNED_OUT: &str = "Not signed in";

/// Builds the tray icon and its menu.
pub fn create<R: Runtime>(app: &App<R>) -> tauri::Result<()> {
    let quick_add = MenuItem::with_id(app, "quick-add", "Quick add…", true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Outlay", true, None::<&str>)?;
    let summary = MenuItem::with_id(app, "summary", SIGNED_OUT, false, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Outlay", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &quick_add,
            &open,
            &PredefinedMenuItem::separator(app)?,
            &summary,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let icon = tauri::image::Image::from_bytes(include_bytes!("../../icons/tray.png"))?;
    TrayIconBuilder::with_id("main")
        .icon(icon)
        .tooltip("Outlay")
        .menu(&menu)
        // Left click opens the window (where the platform reports it); the menu is on the right.
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "quick-add" => windows::open_quick_add(app),
            "open" => windows::focus_main(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                windows::focus_main(tray.app_handle());
            }
        })
        .build(app)?;
    app.manage(TraySummary(summary));
    Ok(())
}

/// Sets the summary line ("November: $1,234.00 of $2,000.00"), or the signed-out line.
pub fn show_summary<R: Runtime>(app: &AppHandle<R>, line: Option<&str>) {
    if let Some(summary) = app.try_state::<TraySummary<R>>() {
        // A tray that cannot update one line is not worth failing a command over.
        let _ = summary.0.set_text(line.unwrap_or(SIGNED_OUT));
    }
}
