//! Pages of the expense list in SQL: the order, the keyset after a cursor, a jump to a row.
//! The same in every dialect (sqlx's `QueryBuilder` writes each one's placeholders).

use crate::error::Result;
use crate::expenses::{ExpenseCursor, ExpenseSort, SortKey};
use chrono::NaiveDate;
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// How an expense list order reads in SQL on the alias `e`; the same in both dialects.
struct OrderSql {
    /// The key column; `e.id` follows it to break ties.
    key: &'static str,
    /// `DESC` or `ASC`, for the key and the id alike.
    direction: &'static str,
    /// Compares `(key, e.id)` with a cursor's: the rows after it in this order.
    after: &'static str,
}

impl OrderSql {
    fn of(sort: ExpenseSort) -> Self {
        let key = if sort.by_amount() {
            "e.amount_minor"
        } else {
            "e.spent_on"
        };
        let (direction, after) = if sort.descending() {
            ("DESC", "<")
        } else {
            ("ASC", ">")
        };
        OrderSql {
            key,
            direction,
            after,
        }
    }
}

/// Where a page of the expense list starts.
#[derive(Clone, Copy, Debug)]
pub enum PageStart<'a> {
    /// At the top.
    First,
    /// Just after the expense this cursor came from: the next page of a scroll.
    After(&'a ExpenseCursor),
    /// At this row of the list (0 is the top): a jump into a long list. The database still
    /// walks the rows before it (an index walk, no sort), so scrolling on from there goes
    /// by cursor again.
    At(u64),
}

impl<'a> From<Option<&'a ExpenseCursor>> for PageStart<'a> {
    fn from(cursor: Option<&'a ExpenseCursor>) -> Self {
        cursor.map_or(PageStart::First, PageStart::After)
    }
}

/// Opens a list query: `SELECT columns FROM from WHERE `, for the caller to go on with its
/// conditions and then [`push_page`].
///
/// A page that starts at a row picks the ids of its rows in a subquery first, so the rows it
/// skips cost an index walk only: selected directly, each skipped row would also have its
/// columns read and, on PostgreSQL, its tags looked up (a jump to the end of a million
/// expenses took 1.35 s there, 0.14 s this way; docs/performance.md).
pub(crate) fn open_page<DB: Database>(
    columns: &str,
    from: &str,
    start: PageStart<'_>,
) -> QueryBuilder<DB> {
    QueryBuilder::new(match start {
        PageStart::At(_) => {
            format!("SELECT {columns} FROM {from} WHERE e.id IN (SELECT e.id FROM {from} WHERE ")
        }
        _ => format!("SELECT {columns} FROM {from} WHERE "),
    })
}

/// Appends the keyset condition after a cursor (when the page starts at one), the order of
/// `sort`, the limit and the offset (when it starts at a row) to a list query opened with
/// [`open_page`] whose conditions are in. Refuses a cursor of another order.
///
/// The row-value comparison lets either dialect walk an index on (owner, key, id) from the
/// cursor on, in either direction, instead of sorting every match for each page.
pub(crate) fn push_page<DB>(
    builder: &mut QueryBuilder<DB>,
    sort: ExpenseSort,
    start: PageStart<'_>,
    limit: u32,
) -> Result<()>
where
    DB: Database,
    for<'t> NaiveDate: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> Uuid: Encode<'t, DB> + Type<DB>,
{
    let order = OrderSql::of(sort);
    let order_by = format!(
        " ORDER BY {key} {direction}, e.id {direction}",
        key = order.key,
        direction = order.direction
    );
    if let PageStart::After(cursor) = start {
        let key = cursor.key(sort)?;
        builder.push(format_args!(" AND ({}, e.id) {} (", order.key, order.after));
        match key {
            SortKey::Date(date) => builder.push_bind(date),
            SortKey::Amount(minor) => builder.push_bind(minor),
        };
        builder.push(", ").push_bind(cursor.id).push(")");
    }
    builder
        .push(&order_by)
        .push(" LIMIT ")
        .push_bind(i64::from(limit));
    if let PageStart::At(row) = start {
        // Past i64::MAX is past any list's end anyway.
        builder
            .push(" OFFSET ")
            .push_bind(i64::try_from(row).unwrap_or(i64::MAX))
            .push(")")
            .push(&order_by);
    }
    Ok(())
}
