//! Telling the user why the app could not start.

/// Logs `reason`, shows it in a native dialog and exits with status 1.
///
/// The dialog matters: an app started from a launcher (or any Windows release build) has no
/// terminal, so a message in the log alone would look like the app silently refusing to open.
pub fn report_and_exit(reason: &str) -> ! {
    tracing::error!("cannot start: {reason}");
    // The log reaches stderr in debug builds only; whoever started a release build from a
    // terminal (or without a display, so no dialog) still reads why.
    if !cfg!(debug_assertions) {
        eprintln!("{reason}");
    }
    show_dialog(reason);
    std::process::exit(1);
}

/// Tauri's event loop already runs GTK on this thread, so the dialog is GTK's own: rfd would
/// hand it to a GTK thread of its own and wait for the very main loop this call is blocking.
#[cfg(target_os = "linux")]
fn show_dialog(reason: &str) {
    use gtk::prelude::{DialogExt, GtkWindowExt, MessageDialogExt};

    // Without a display there is nobody to show it to; stderr has the reason.
    if !gtk::is_initialized_main_thread() && gtk::init().is_err() {
        return;
    }
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::MODAL,
        gtk::MessageType::Error,
        gtk::ButtonsType::Ok,
        "Outlay cannot start",
    );
    dialog.set_title("Outlay");
    dialog.set_secondary_text(Some(reason));
    dialog.run();
    dialog.close();
}

#[cfg(not(target_os = "linux"))]
fn show_dialog(reason: &str) {
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("Outlay cannot start")
        .set_description(reason)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}
