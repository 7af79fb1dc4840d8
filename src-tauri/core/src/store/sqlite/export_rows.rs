//! The export's read loop on SQLite's C API.
//!
//! Through sqlx, every row crosses from the connection's worker thread to the async task over
//! a channel, its columns copied on the way: at a million rows, profiling showed half of the
//! export's time in thread wake-ups, context switches and those copies, not in SQLite. Here
//! the connection is locked out of its worker (`lock_handle`, which sqlx offers for direct C
//! API calls) and each row is read in place, borrowed, by the caller's sink.
//!
//! The statement takes no parameters: the filters are applied, with bound values, by sqlx
//! beforehand (see `bulk.rs`), so only constant SQL reaches this file.

use crate::error::{AppError, Result};
use crate::store::ExportRow;
use libsqlite3_sys as ffi;
use std::ffi::{c_int, CStr};
use std::ptr::{self, NonNull};
use uuid::Uuid;

/// Steps through `sql` (constant, no parameters; its columns: date, minor units, currency,
/// category id, description, payment method, tags) and hands each row to `sink`.
pub(super) fn for_each(
    db: NonNull<ffi::sqlite3>,
    sql: &CStr,
    sink: &mut (dyn for<'r> FnMut(ExportRow<'r>) -> Result<()> + Send),
) -> Result<u64> {
    let mut statement = Statement::prepare(db, sql)?;
    let mut count = 0;
    while statement.step()? {
        sink(ExportRow {
            date: statement.text(0)?,
            minor: statement.int(1),
            currency: statement.text(2)?,
            category_id: Uuid::from_slice(statement.blob(3))
                .map_err(|_| AppError::Internal("A category id is not 16 bytes.".into()))?,
            description: statement.text(4)?,
            payment_method: statement.optional_text(5)?,
            tags: statement.optional_text(6)?,
        })?;
        count += 1;
    }
    Ok(count)
}

/// A prepared statement, finalized when dropped.
struct Statement {
    db: NonNull<ffi::sqlite3>,
    raw: NonNull<ffi::sqlite3_stmt>,
}

impl Statement {
    fn prepare(db: NonNull<ffi::sqlite3>, sql: &CStr) -> Result<Self> {
        let mut raw = ptr::null_mut();
        // SAFETY: `db` is an open connection that only this thread uses while the caller
        // holds sqlx's handle lock; `sql` is NUL-terminated (length -1: read up to the NUL).
        let code = unsafe {
            ffi::sqlite3_prepare_v2(db.as_ptr(), sql.as_ptr(), -1, &mut raw, ptr::null_mut())
        };
        match NonNull::new(raw) {
            Some(raw) if code == ffi::SQLITE_OK => Ok(Statement { db, raw }),
            _ => Err(error(db, code)),
        }
    }

    /// Moves to the next row: `true` on a row, `false` at the end.
    fn step(&mut self) -> Result<bool> {
        // SAFETY: a live statement of this connection, used by this thread only.
        match unsafe { ffi::sqlite3_step(self.raw.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => Ok(false),
            code => Err(error(self.db, code)),
        }
    }

    fn int(&self, column: c_int) -> i64 {
        // SAFETY: the statement is on a row (callers read only after `step` gave `true`).
        unsafe { ffi::sqlite3_column_int64(self.raw.as_ptr(), column) }
    }

    /// The column's bytes, valid until the next `step` (which needs `&mut self`, so the
    /// borrow checker ends the borrow first).
    fn blob(&self, column: c_int) -> &[u8] {
        // SAFETY: the statement is on a row. The pointer is read before the length, as
        // SQLite asks; it stays valid until the next step, reset or finalize, all of which
        // need `&mut self`. A NULL or empty value has no pointer: an empty slice.
        unsafe {
            let data = ffi::sqlite3_column_blob(self.raw.as_ptr(), column).cast::<u8>();
            let len = ffi::sqlite3_column_bytes(self.raw.as_ptr(), column);
            match (data.is_null(), usize::try_from(len)) {
                (false, Ok(len)) => std::slice::from_raw_parts(data, len),
                _ => &[],
            }
        }
    }

    fn text(&self, column: c_int) -> Result<&str> {
        // SAFETY: as for `blob`; `sqlite3_column_text` converts to UTF-8 before the length
        // is read, so pointer and length agree.
        let bytes = unsafe {
            let data = ffi::sqlite3_column_text(self.raw.as_ptr(), column);
            let len = ffi::sqlite3_column_bytes(self.raw.as_ptr(), column);
            match (data.is_null(), usize::try_from(len)) {
                (false, Ok(len)) => std::slice::from_raw_parts(data, len),
                _ => &[],
            }
        };
        std::str::from_utf8(bytes)
            .map_err(|_| AppError::Internal("The database holds text that is not UTF-8.".into()))
    }

    fn optional_text(&self, column: c_int) -> Result<Option<&str>> {
        // SAFETY: the statement is on a row.
        let kind = unsafe { ffi::sqlite3_column_type(self.raw.as_ptr(), column) };
        match kind {
            ffi::SQLITE_NULL => Ok(None),
            _ => self.text(column).map(Some),
        }
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: finalized once, here; nothing uses the statement afterwards.
        unsafe {
            ffi::sqlite3_finalize(self.raw.as_ptr());
        }
    }
}

/// The error for a failed call, classified as sqlx's errors are (`AppError::from`).
fn error(db: NonNull<ffi::sqlite3>, code: c_int) -> AppError {
    // The primary code is the low byte of an extended one.
    if matches!(code & 0xff, ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED) {
        return AppError::Busy;
    }
    // SAFETY: `sqlite3_errmsg` returns a NUL-terminated string owned by the connection, copied
    // out at once.
    let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) }
        .to_string_lossy()
        .into_owned();
    AppError::Internal(format!(
        "The database could not be read (code {code}): {message}"
    ))
}
