//! Many expenses in two round trips: the upload of a local profile sends them a page at a time.

use crate::error::Result;
use crate::expenses::Expense;
use sqlx::PgConnection;
use std::collections::HashSet;
use uuid::Uuid;

/// Inserts the expenses that are not there yet (by id), then the tags of those inserted.
pub(super) async fn copy_expenses(conn: &mut PgConnection, expenses: &[Expense]) -> Result<u64> {
    fn column<T>(expenses: &[Expense], f: impl Fn(&Expense) -> T) -> Vec<T> {
        expenses.iter().map(f).collect()
    }
    let inserted: Vec<Uuid> = sqlx::query_scalar(
        r#"INSERT INTO outlay.expenses (id, category_id, amount_minor,
            currency, spent_on, description, payment_method, created_at, updated_at)
            SELECT *
            FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::date[],
            $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])
            ON CONFLICT (id) DO NOTHING
            RETURNING id"#,
    )
    .bind(column(expenses, |e| e.id))
    .bind(column(expenses, |e| e.category_id))
    .bind(column(expenses, |e| e.amount.minor))
    .bind(column(expenses, |e| e.amount.currency.code().to_owned()))
    .bind(column(expenses, |e| e.date))
    .bind(column(expenses, |e| e.description.clone()))
    .bind(column(expenses, |e| e.payment_method.clone()))
    .bind(column(expenses, |e| e.created_at))
    .bind(column(expenses, |e| e.updated_at))
    .fetch_all(&mut *conn)
    .await?;

    let inserted: HashSet<Uuid> = inserted.into_iter().collect();
    let (tagged, tags): (Vec<Uuid>, Vec<String>) = expenses
        .iter()
        .filter(|e| inserted.contains(&e.id))
        .flat_map(|e| e.tags.iter().map(move |tag| (e.id, tag.clone())))
        .unzip();
    if !tagged.is_empty() {
        sqlx::query(
            r#"INSERT INTO outlay.expense_tags (expense_id, tag)
            SELECT *
            FROM unnest($1::uuid[], $2::text[])"#,
        )
        .bind(&tagged)
        .bind(&tags)
        .execute(&mut *conn)
        .await?;
    }
    Ok(inserted.len() as u64)
}
