//! ui/src/bindings.ts is exactly what the Rust side makes from today's types and command list.

use std::path::Path;

/// Set by `cargo xtask bindings`: write the file instead of comparing with it.
const WRITE: &str = "OUTLAY_WRITE_BINDINGS";

#[test]
fn the_typescript_bindings_are_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(outlay::bindings::PATH);
    let made = outlay::bindings::typescript();
    // A checkout may have turned the line ends into CRLF; they are not a change.
    let checked_in = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if checked_in == made {
        return;
    }
    if std::env::var_os(WRITE).is_some() {
        std::fs::write(&path, &made).unwrap();
        return;
    }
    let line = checked_in
        .lines()
        .zip(made.lines())
        .position(|(old, new)| old != new)
        .unwrap_or_else(|| checked_in.lines().count().min(made.lines().count()));
    panic!(
        "{} is stale (from line {}): run `cargo xtask bindings` and commit the result",
        outlay::bindings::PATH,
        line + 1
    );
}
