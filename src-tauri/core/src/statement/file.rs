//! A statement file opened from its path: the format and encoding sniffed from its first
//! bytes, then its rows, one at a time for CSV (whatever its size), all at once for the
//! formats that are one document (OFX, QIF, CAMT).

use super::decode::{self, SAMPLE_BYTES};
use super::layout::{CsvLayout, Detected};
use super::quotes::{QuoteGuard, RowShape};
use super::read::{CsvRows, Row};
use super::{BankLine, StatementFormat};
use crate::domain::Currency;
use crate::error::{AppError, Result};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// The largest OFX, QIF or CAMT file read (they are read whole).
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// What the first bytes say about a file.
pub struct Sniffed {
    /// The format.
    pub format: StatementFormat,
    /// The encoding's name (WHATWG), for the review.
    pub encoding: &'static encoding_rs::Encoding,
    /// The CSV layout detected, for CSV.
    pub detected: Option<Detected>,
}

fn open(path: &Path) -> Result<File> {
    let file = File::open(path)
        .map_err(|e| AppError::invalid("file", format!("The file could not be opened: {e}.")))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(AppError::invalid("file", "That is a folder, not a file."));
    }
    Ok(file)
}

/// Sniffs the format, the encoding and (for CSV) the layout.
pub fn sniff(path: &Path, base: Currency) -> Result<Sniffed> {
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    open(path)?
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(read_error)?;
    if sample.is_empty() {
        return Err(AppError::invalid("file", "The file is empty."));
    }
    refuse_binary(&sample)?;
    let encoding = decode::detect(&sample);
    if let Some(format) = super::sniff(&sample) {
        return Ok(Sniffed {
            format,
            encoding,
            detected: None,
        });
    }
    let complete = sample.len() < SAMPLE_BYTES;
    let mut text = Vec::new();
    decode::utf8_reader(sample.as_slice(), encoding)
        .read_to_end(&mut text)
        .map_err(read_error)?;
    let text = String::from_utf8_lossy(&text);
    let detected = CsvLayout::detect(&text, complete, base)?;
    Ok(Sniffed {
        format: StatementFormat::Csv,
        encoding,
        detected: Some(detected),
    })
}

/// Spreadsheets, archives and programs are not statements, whatever their name.
fn refuse_binary(sample: &[u8]) -> Result<()> {
    let starts = |magic: &[u8]| sample.starts_with(magic);
    if starts(b"PK\x03\x04") {
        return Err(AppError::invalid(
            "file",
            "This is a spreadsheet or archive (.xlsx, .zip), not a CSV: export the statement as CSV from your bank, or save the sheet as CSV.",
        ));
    }
    if starts(b"\xD0\xCF\x11\xE0") {
        return Err(AppError::invalid(
            "file",
            "This is an old Excel file (.xls), not a CSV: save it as CSV first.",
        ));
    }
    if starts(b"%PDF") {
        return Err(AppError::invalid(
            "file",
            "This is a PDF statement: Outlay reads CSV, OFX, QIF and CAMT files. Most banks offer one of them next to the PDF.",
        ));
    }
    let utf16 = encoding_rs::Encoding::for_bom(sample)
        .is_some_and(|(e, _)| e != encoding_rs::UTF_8)
        || decode::detect(sample).name().starts_with("UTF-16");
    let controls = sample
        .iter()
        .filter(|b| matches!(b, 0..=8 | 14..=26 | 28..=31))
        .count();
    if !utf16 && controls * 100 > sample.len() {
        return Err(AppError::invalid(
            "file",
            "This is not a text file (it holds binary data): choose the CSV, OFX, QIF or CAMT file your bank exported.",
        ));
    }
    Ok(())
}

fn read_error(e: std::io::Error) -> AppError {
    AppError::invalid("file", format!("The file could not be read: {e}."))
}

/// The rows of a statement, whichever its format.
pub enum Rows<'r> {
    /// A CSV, read as it goes.
    Csv(Box<CsvRows<'r>>),
    /// A document, read whole.
    Lines(std::vec::IntoIter<BankLine>),
}

impl Rows<'_> {
    /// Opens `path` as `format` (with `layout` for CSV).
    pub fn open(
        path: &Path,
        sniffed: &Sniffed,
        layout: Option<&CsvLayout>,
        base: Currency,
    ) -> Result<Self> {
        let mut file = open(path)?;
        match (sniffed.format, layout) {
            (StatementFormat::Csv, Some(layout)) => {
                file.rewind().map_err(read_error)?;
                let utf8 = decode::utf8_reader(
                    BufReader::with_capacity(256 * 1024, file),
                    sniffed.encoding,
                );
                let guarded = QuoteGuard::new(
                    BufReader::with_capacity(64 * 1024, utf8),
                    RowShape::of(layout),
                );
                Ok(Rows::Csv(Box::new(CsvRows::new(
                    Box::new(guarded),
                    layout.clone(),
                    base,
                )?)))
            }
            (StatementFormat::Csv, None) => Err(AppError::invalid(
                "layout",
                "Say which column holds the date and which the amount.",
            )),
            (format, _) => {
                let mut bytes = Vec::new();
                (&mut file)
                    .take(MAX_DOCUMENT_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(read_error)?;
                if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
                    return Err(AppError::invalid(
                        "file",
                        format!(
                            "This file is larger than {} MB; statements in this format are read whole.",
                            MAX_DOCUMENT_BYTES / 1024 / 1024
                        ),
                    ));
                }
                let lines = match format {
                    StatementFormat::Ofx => super::read_ofx(&bytes, base)?,
                    StatementFormat::Qif => super::read_qif(&bytes, base)?,
                    StatementFormat::Camt => super::read_camt(&bytes, base)?,
                    StatementFormat::Csv => Vec::new(),
                };
                Ok(Rows::Lines(lines.into_iter()))
            }
        }
    }

    /// The next row.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        match self {
            Rows::Csv(rows) => rows.next_row(),
            Rows::Lines(lines) => Ok(lines.next().map(Row::Line)),
        }
    }

    /// The lines read by aligning a short row's last fields (CSV only).
    pub fn repaired(&self) -> &[u64] {
        match self {
            Rows::Csv(rows) => &rows.repaired,
            Rows::Lines(_) => &[],
        }
    }
}
