//! Which CSV column holds which field: found from the header, or given by the caller.

use crate::error::{AppError, Result};
use serde::Deserialize;

/// A field of an imported expense.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Column {
    /// The day spent.
    Date,
    /// The amount (may carry a currency symbol).
    Amount,
    /// The ISO currency code.
    Currency,
    /// The category path.
    Category,
    /// What it was for.
    Description,
    /// How it was paid.
    PaymentMethod,
    /// Tags.
    Tags,
}

impl Column {
    const ALL: [Column; 7] = [
        Column::Date,
        Column::Amount,
        Column::Currency,
        Column::Category,
        Column::Description,
        Column::PaymentMethod,
        Column::Tags,
    ];

    /// Header names recognised for this field, normalised (lower case, letters and digits).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Column::Date => &["date", "day", "spenton", "transactiondate", "bookingdate"],
            Column::Amount => &["amount", "value", "sum", "price", "total"],
            Column::Currency => &["currency", "ccy", "currencycode"],
            Column::Category => &["category", "categorypath", "categories"],
            Column::Description => &["description", "memo", "payee", "note", "notes", "details"],
            Column::PaymentMethod => &["paymentmethod", "method", "payment", "paidwith", "account"],
            Column::Tags => &["tags", "tag", "labels"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::Amount => "amount",
            Column::Currency => "currency",
            Column::Category => "category",
            Column::Description => "description",
            Column::PaymentMethod => "payment method",
            Column::Tags => "tags",
        }
    }
}

/// The position of each field in a line; `None` for an optional field the file lacks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMap([Option<usize>; 7]);

fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl ColumnMap {
    /// Finds the fields in a header line. `overrides` name the header of a field explicitly
    /// (e.g. the bank calls the amount "Debit"), and win over the synonyms.
    pub fn from_header(header: &[&str], overrides: &[(Column, String)]) -> Result<ColumnMap> {
        let names: Vec<String> = header.iter().map(|h| normalise(h)).collect();
        let mut map = ColumnMap::default();
        for column in Column::ALL {
            let wanted: Vec<String> = match overrides.iter().find(|(c, _)| *c == column) {
                Some((_, name)) => vec![normalise(name)],
                None => column.synonyms().iter().map(|s| (*s).to_owned()).collect(),
            };
            let found: Vec<usize> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| wanted.contains(n))
                .map(|(i, _)| i)
                .collect();
            map.0[column as usize] = match found[..] {
                [] => None,
                [i] => Some(i),
                _ => {
                    return Err(file_error(format!(
                        "The first line names the {} column more than once.",
                        column.name()
                    )))
                }
            };
        }
        let missing: Vec<&str> = [Column::Date, Column::Amount, Column::Category]
            .into_iter()
            .filter(|c| map.get(*c).is_none())
            .map(Column::name)
            .collect();
        if !missing.is_empty() {
            return Err(file_error(format!(
                "The first line must name the columns; no {} column was found. Expected a \
                 header such as: date,amount,currency,category,description,payment_method,tags",
                missing.join(", ")
            )));
        }
        Ok(map)
    }

    /// The position of `column`, if the file has it.
    pub fn get(&self, column: Column) -> Option<usize> {
        self.0[column as usize]
    }
}

/// An error about the file as a whole.
pub(super) fn file_error(message: impl Into<String>) -> AppError {
    AppError::invalid("file", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_case_and_order_are_ignored() {
        let map =
            ColumnMap::from_header(&["Payee", "Amount ", "\u{feff}DATE", "Category"], &[]).unwrap();
        assert_eq!(map.get(Column::Date), Some(2));
        assert_eq!(map.get(Column::Description), Some(0));
        assert_eq!(map.get(Column::Currency), None);
    }

    #[test]
    fn overrides_win_and_missing_columns_are_named() {
        let overrides = [(Column::Amount, "Debit".to_owned())];
        let map =
            ColumnMap::from_header(&["date", "debit", "amount", "category"], &overrides).unwrap();
        assert_eq!(map.get(Column::Amount), Some(1));
        let error = ColumnMap::from_header(&["when", "amount"], &[]).unwrap_err();
        assert!(
            error.to_string().contains("no date, category column"),
            "{error}"
        );
        assert!(ColumnMap::from_header(&["date", "amount", "value", "category"], &[]).is_err());
    }
}
