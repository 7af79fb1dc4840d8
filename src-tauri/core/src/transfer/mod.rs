//! Moving expenses in and out as CSV: import with header mapping, validation per line and
//! duplicate detection, committed all at once; export of everything (or a filter) streamed.
//!
//! The file format, the same both ways:
//!
//! ```text
//! date,amount,currency,category,description,payment_method,tags
//! 2026-11-20,12.50,USD,Food/Groceries,Fresh Market,card,family weekend
//! ```
//!
//! - `date` is `YYYY-MM-DD`; `amount` a positive decimal as typed in the app ("1,234.56",
//!   "€3"); `currency` an ISO code, the base currency when empty.
//! - `category` is a path, `Parent/Child` or `Top`, matched without regard to letter case.
//!   A category that does not exist is created (sub-categories under their parent), unless
//!   [`ImportOptions::create_categories`] is off; then the line is an error. A `/` or `\` in a
//!   name is written `\/` or `\\`.
//! - `tags` are separated by spaces or commas; `#` is optional.
//! - Spreadsheets run cells that start with `=`, `+`, `-` or `@` as formulas, so export writes
//!   such text with a leading `'`, and import takes that `'` off again.
//!
//! Columns are found by their header (case and spacing ignored, common synonyms such as
//! "payee" or "memo" accepted); `date`, `amount` and `category` are required, the rest
//! optional, in any order.

mod columns;
mod export;
mod import;
pub(crate) mod lines;
mod paths;
mod text;

pub use columns::{Column, ColumnMap};
pub use import::{
    ImportOptions, ImportProgress, ImportReport, InvalidLine, OnInvalid, MAX_LINE_BYTES,
    MAX_REPORTED_ERRORS,
};

/// The header Outlay writes.
pub const HEADER: [&str; 7] = [
    "date",
    "amount",
    "currency",
    "category",
    "description",
    "payment_method",
    "tags",
];
