//! `sqlx::migrate!` embeds the migration files at compile time, but Cargo does not know the
//! crate depends on them: without this, a changed or added migration kept the old set in an
//! incremental build.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
