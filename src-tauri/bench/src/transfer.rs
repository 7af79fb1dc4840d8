//! Export and import throughput, through the services.

use crate::load::{Loaded, PASSWORD};
use outlay_core::expenses::ExpenseFilter;
use outlay_core::transfer::{ImportOptions, ImportProgress};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

/// Exports everything of the main account to `path`; returns (rows, rows per second).
pub async fn export(loaded: &Loaded, path: &Path) -> Result<(u64, f64), String> {
    let out = BufWriter::new(File::create(path).map_err(|e| format!("{path:?}: {e}"))?);
    let started = Instant::now();
    let rows = loaded
        .outlay
        .export_csv(&loaded.session, &ExpenseFilter::default(), out, &mut |_| {})
        .await
        .map_err(|e| e.to_string())?;
    Ok((rows, rows as f64 / started.elapsed().as_secs_f64()))
}

/// Imports `csv` into a new, empty account on the same store (duplicate detection, one
/// commit); returns (lines, imported, duplicates, lines per second).
pub async fn import(loaded: &Loaded, csv: &Path) -> Result<(u64, u64, u64, f64), String> {
    let text = |e: outlay_core::AppError| e.to_string();
    let session = loaded
        .outlay
        .sign_up("importer@example.com", PASSWORD, "USD")
        .await
        .map_err(text)?;
    let file = std::io::BufReader::with_capacity(
        1 << 20,
        File::open(csv).map_err(|e| format!("{csv:?}: {e}"))?,
    );
    let mut lines = 0;
    let started = Instant::now();
    // When reading ended and saving began, to tell where the time goes.
    let (mut read, mut first_save) = (None, None);
    let report = loaded
        .outlay
        .import_csv(
            &session,
            file,
            &ImportOptions::default(),
            &mut |p| match p {
                ImportProgress::Reading { lines: n } => {
                    lines = n;
                    read = Some(started.elapsed());
                }
                ImportProgress::Saving { .. } => {
                    first_save.get_or_insert(started.elapsed());
                }
            },
        )
        .await
        .map_err(text)?;
    let took = started.elapsed().as_secs_f64();
    if let (Some(read), Some(save)) = (read, first_save) {
        println!(
            "  import: read and checked in {read:.2?}, duplicates and first batch by \
             {save:.2?}, all in {took:.2}s"
        );
    }
    if report.invalid_count > 0 {
        return Err(format!(
            "the import found invalid lines: {:?}",
            report.invalid.first()
        ));
    }
    Ok((
        lines,
        report.imported,
        report.duplicates,
        lines as f64 / took,
    ))
}

/// Imports a bank statement file (`files::write_bank_csv`) into a new, empty account on the
/// same store, with the layout detected from the file: sniffing, reading, categories
/// suggested, duplicates checked, one commit. Returns (rows, expenses saved, rows per second).
pub async fn import_bank(loaded: &Loaded, path: &Path) -> Result<(u64, u64, f64), String> {
    let text = |e: outlay_core::AppError| e.to_string();
    let session = loaded
        .outlay
        .sign_up("bank-importer@example.com", PASSWORD, "EUR")
        .await
        .map_err(text)?;
    let mut rows = 0;
    let started = Instant::now();
    let (mut read, mut first_save) = (None, None);
    let imported = loaded
        .outlay
        .import_statement(
            &session,
            path,
            &outlay_core::statement::StatementChoices::default(),
            &mut |p| match p {
                ImportProgress::Reading { lines } => {
                    rows = lines;
                    read = Some(started.elapsed());
                }
                ImportProgress::Saving { .. } => {
                    first_save.get_or_insert(started.elapsed());
                }
            },
            &std::sync::atomic::AtomicBool::new(false),
        )
        .await
        .map_err(text)?;
    let took = started.elapsed().as_secs_f64();
    if let (Some(read), Some(save)) = (read, first_save) {
        println!(
            "  bank import: read in {read:.2?}, duplicates, categories and first batch by \
             {save:.2?}, all in {took:.2}s"
        );
    }
    if imported.report.invalid_count > 0 || imported.report.rejected {
        return Err(format!(
            "the bank import found invalid lines: {:?}",
            imported.report.invalid.first()
        ));
    }
    Ok((rows, imported.report.imported, rows as f64 / took))
}
