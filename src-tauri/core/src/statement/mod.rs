//! Bank statements in: the files banks and finance apps export (CSV as each bank writes it,
//! OFX/QFX, QIF, ISO 20022 CAMT.053), read into one shape, [`BankLine`], reviewed, then saved
//! as expenses.
//!
//! Every reader turns its format into bank lines and nothing more: which lines become
//! expenses (money out, booked, not a duplicate), which category each gets and how it is
//! saved is decided once, after reading, the same for every format.

mod amounts;
mod columns;
mod dates;
mod decode;
mod file;
mod layout;
mod read;
mod rules;
mod service;


pub use amounts::DecimalMark;
pub use columns::Role;
pub use dates::DateOrder;
pub use layout::{CsvLayout, Detected, Spending};
pub use read::{CsvRows, Row};

pub use file::MAX_DOCUMENT_BYTES;
pub use service::{
    ReviewRow, RowKind, StatementChoices, StatementCounts, StatementImport, StatementReview,
    MAX_FLAGGED, REVIEW_ROWS,
};

pub use rules::{CategoryRule, MAX_RULE_CHARS};

use crate::domain::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// One transaction as the statement states it, whatever the format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BankLine {
    /// The 1-based line of the file where the transaction starts, for messages and review.
    pub line: u64,
    /// The booking date (the date the bank gives first when it gives several).
    pub date: NaiveDate,
    /// Money out of the account is positive (spending); money in (salary, refunds,
    /// transfers in) is negative. Zero is a notice line, not a transaction.
    pub spent: Money,
    /// Payee and purpose as the bank wrote them, on one line.
    pub description: String,
    /// The bank's own id for the transaction when the format has one (OFX `FITID`, CAMT
    /// `AcctSvcrRef` or `NtryRef`): the duplicate key when present.
    pub reference: Option<String>,
    /// Not yet booked (OFX has none; CAMT `PDNG`, CSV "pending" rows): shown in the review,
    /// not saved unless the user chooses to.
    pub pending: bool,
}
