//! SQL written once for every backend, and the small seam where the dialects differ.
//!
//! sqlx's `QueryBuilder` writes each dialect's placeholders (`?` or `$n`), so a query that
//! reads the same in SQLite and PostgreSQL is built here, by a provided method of
//! [`Dialect`], and only executed by the backend (which knows its connection and its
//! transactions). What really differs — table names, how a user's rows are picked, an id
//! list, a case-insensitive search, a month, a 64-bit sum, a byte-wise text order — is the
//! seam: the constants and required methods of [`Dialect`], one small impl per backend.
//!
//! The bounds on `Dialect` are assumed in its own provided methods, so the shared builders
//! need no bounds of their own; the backends call them on the concrete database type.

use super::paging::{open_page, push_page, PageStart};
use super::values::{folded, thresholds_text};
use crate::budgets::Budget;
use crate::domain::Currency;
use crate::error::Result;
use crate::expenses::ExpenseQuery;
use crate::mail::EmailSettings;
use crate::statement::CategoryRule;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

/// Whose rows a query may see.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Owner {
    /// The rows whose `user_id` column holds this id (SQLite: one file, several users).
    Column(Uuid),
    /// Whatever the server lets the connection's role see (PostgreSQL: row-level security
    /// on `owner = current_user`, so no condition is written at all).
    Server,
}

/// The fragments in which the dialects differ, and the SQL written once on top of them.
pub(crate) trait Dialect: Database
where
    for<'t> Uuid: Encode<'t, Self> + Type<Self>,
    for<'t> Option<Uuid>: Encode<'t, Self> + Type<Self>,
    for<'t> NaiveDate: Encode<'t, Self> + Type<Self>,
    for<'t> i64: Encode<'t, Self> + Type<Self>,
    for<'t> bool: Encode<'t, Self> + Type<Self>,
    for<'t> String: Encode<'t, Self> + Type<Self>,
    for<'t> Option<String>: Encode<'t, Self> + Type<Self>,
    for<'t> &'static str: Encode<'t, Self> + Type<Self>,
    for<'t> DateTime<Utc>: Encode<'t, Self> + Type<Self>,
{
    /// The expenses table.
    const EXPENSES: &'static str;
    /// The tags of expenses.
    const EXPENSE_TAGS: &'static str;
    /// Spend per user, day, category and currency, kept by the database on every write.
    const DAY_TOTALS: &'static str;
    /// The budgets table.
    const BUDGETS: &'static str;
    /// The categories table.
    const CATEGORIES: &'static str;
    /// The alerts table.
    const ALERTS: &'static str;
    /// The e-mail settings, one row per user.
    const EMAIL_SETTINGS: &'static str;
    /// The mappings saved per bank file layout.
    const STATEMENT_LAYOUTS: &'static str;
    /// The category rules ("description contains … → category").
    const CATEGORY_RULES: &'static str;
    /// The column that says whose a row is (the key of the e-mail settings).
    const OWNER_COLUMN: &'static str;
    /// Every column of an expense on the alias `e`, its tags joined by commas as `tags`.
    const EXPENSE_COLUMNS: &'static str;
    /// Turns a `SUM` of minor units into a 64-bit integer (PostgreSQL's is `numeric`).
    const AS_BIGINT: &'static str;
    /// `spent_on` as "YYYY-MM".
    const MONTH: &'static str;
    /// Orders text by its bytes, as SQLite always does, whatever the server's locale.
    const BYTE_ORDER: &'static str;

    /// Appends ` AND column IN (ids)` in the dialect's cheapest form.
    fn push_ids(builder: &mut QueryBuilder<Self>, column: &str, ids: &[Uuid]);
    /// Appends ` AND column contains text`, case-insensitively and literally.
    fn push_contains(builder: &mut QueryBuilder<Self>, column: &str, text: &str);

    /// Appends the condition that keeps only `owner`'s rows of `alias` (none: the table
    /// itself), followed by `AND` when there is one.
    fn push_owner(builder: &mut QueryBuilder<Self>, owner: Owner, alias: &str) {
        if let Owner::Column(user) = owner {
            let dot = if alias.is_empty() { "" } else { "." };
            builder
                .push(format_args!("{alias}{dot}user_id = "))
                .push_bind(user)
                .push(" AND ");
        }
    }

    /// Appends the conditions of a filter after `e.deleted_at IS NULL`.
    fn push_filters(builder: &mut QueryBuilder<Self>, query: &ExpenseQuery) {
        if let Some(from) = query.from {
            builder.push(" AND e.spent_on >= ").push_bind(from);
        }
        if let Some(until) = query.until {
            builder.push(" AND e.spent_on < ").push_bind(until);
        }
        if let Some(ids) = &query.category_ids {
            Self::push_ids(builder, "e.category_id", ids);
        }
        if let Some(method) = &query.payment_method {
            builder
                .push(" AND e.payment_method = ")
                .push_bind(method.clone());
        }
        if let Some(tag) = &query.tag {
            builder
                .push(format_args!(
                    " AND EXISTS (SELECT 1 FROM {} t WHERE t.expense_id = e.id AND t.tag = ",
                    Self::EXPENSE_TAGS
                ))
                .push_bind(tag.clone())
                .push(")");
        }
        if let Some(currency) = query.amount_currency {
            builder
                .push(" AND e.currency = ")
                .push_bind(currency.code());
        }
        if let Some(min) = query.min_minor {
            builder.push(" AND e.amount_minor >= ").push_bind(min);
        }
        if let Some(max) = query.max_minor {
            builder.push(" AND e.amount_minor <= ").push_bind(max);
        }
        if let Some(search) = &query.search {
            Self::push_contains(builder, "e.description", search);
        }
    }

    /// One expense by id, deleted or not.
    fn expense(owner: Owner, id: Uuid) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT {} FROM {} e WHERE ",
            Self::EXPENSE_COLUMNS,
            Self::EXPENSES
        ));
        Self::push_owner(&mut builder, owner, "e");
        builder.push("e.id = ").push_bind(id);
        builder
    }

    /// One page of the live expenses matching `query`.
    fn expense_page(
        owner: Owner,
        query: &ExpenseQuery,
        start: PageStart<'_>,
        limit: u32,
    ) -> Result<QueryBuilder<Self>> {
        let from = format!("{} e", Self::EXPENSES);
        let mut builder = open_page::<Self>(Self::EXPENSE_COLUMNS, &from, start);
        Self::push_owner(&mut builder, owner, "e");
        builder.push("e.deleted_at IS NULL");
        Self::push_filters(&mut builder, query);
        push_page(&mut builder, query.sort, start, limit)?;
        Ok(builder)
    }

    /// Totals per currency (`currency`, `minor`, `count`) of the live expenses matching
    /// `query`, the most used currency first.
    fn expense_totals(owner: Owner, query: &ExpenseQuery) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT e.currency, SUM(e.amount_minor){} AS minor, COUNT(*) AS count FROM {} e WHERE ",
            Self::AS_BIGINT,
            Self::EXPENSES
        ));
        Self::push_owner(&mut builder, owner, "e");
        builder.push("e.deleted_at IS NULL");
        Self::push_filters(&mut builder, query);
        builder.push(format_args!(
            " GROUP BY e.currency ORDER BY COUNT(*) DESC, e.currency{}",
            Self::BYTE_ORDER
        ));
        builder
    }

    /// The largest live expenses matching `query`, then the newest.
    fn largest_expenses(owner: Owner, query: &ExpenseQuery, limit: u32) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT {} FROM {} e WHERE ",
            Self::EXPENSE_COLUMNS,
            Self::EXPENSES
        ));
        Self::push_owner(&mut builder, owner, "e");
        builder.push("e.deleted_at IS NULL");
        Self::push_filters(&mut builder, query);
        builder
            .push(" ORDER BY e.amount_minor DESC, e.spent_on DESC, e.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        builder
    }

    /// Opens a query on the day totals of `currency` in `[from, to)` that selects `keys`
    /// (written with a trailing comma, or empty) and the 64-bit sum of the amounts as
    /// `minor`; the caller appends any `GROUP BY`.
    fn spend_in(
        owner: Owner,
        keys: &str,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT {keys} coalesce(SUM(e.amount_minor), 0){} AS minor FROM {} e WHERE ",
            Self::AS_BIGINT,
            Self::DAY_TOTALS
        ));
        Self::push_owner(&mut builder, owner, "e");
        builder
            .push("e.currency = ")
            .push_bind(currency.code())
            .push(" AND e.spent_on >= ")
            .push_bind(from)
            .push(" AND e.spent_on < ")
            .push_bind(to);
        builder
    }

    /// All the budgets, the overall one first.
    fn budgets(owner: Owner) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("SELECT b.* FROM {} b WHERE ", Self::BUDGETS));
        Self::push_owner(&mut builder, owner, "b");
        builder.push("TRUE ORDER BY b.category_id IS NOT NULL, b.id");
        builder
    }

    /// Inserts a budget; the server fills in the owner of its rows itself.
    fn insert_budget(owner: Owner, budget: &Budget) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("INSERT INTO {} (", Self::BUDGETS));
        if let Owner::Column(_) = owner {
            builder.push("user_id, ");
        }
        builder.push(
            "id, category_id, period, amount_minor, currency, thresholds, email_alerts, \
             created_at) VALUES (",
        );
        let mut values = builder.separated(", ");
        if let Owner::Column(user) = owner {
            values.push_bind(user);
        }
        values
            .push_bind(budget.id)
            .push_bind(budget.category_id)
            .push_bind(budget.period.as_str())
            .push_bind(budget.amount.minor)
            .push_bind(budget.amount.currency.code())
            .push_bind(thresholds_text(budget))
            .push_bind(budget.email_alerts)
            .push_bind(budget.created_at);
        builder.push(")");
        builder
    }

    /// Saves a budget's category, period, amount and thresholds.
    fn update_budget(owner: Owner, budget: &Budget) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("UPDATE {} SET category_id = ", Self::BUDGETS));
        builder
            .push_bind(budget.category_id)
            .push(", period = ")
            .push_bind(budget.period.as_str())
            .push(", amount_minor = ")
            .push_bind(budget.amount.minor)
            .push(", currency = ")
            .push_bind(budget.amount.currency.code())
            .push(", thresholds = ")
            .push_bind(thresholds_text(budget));
        builder.push(" WHERE ");
        Self::push_owner(&mut builder, owner, "");
        builder.push("id = ").push_bind(budget.id);
        builder
    }

    /// Turns e-mail on or off for one budget's alerts.
    fn set_budget_email(owner: Owner, id: Uuid, on: bool) -> QueryBuilder<Self> {
        let mut builder =
            QueryBuilder::new(format!("UPDATE {} SET email_alerts = ", Self::BUDGETS));
        builder.push_bind(on).push(" WHERE ");
        Self::push_owner(&mut builder, owner, "");
        builder.push("id = ").push_bind(id);
        builder
    }

    /// Deletes one budget.
    fn delete_budget(owner: Owner, id: Uuid) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("DELETE FROM {} WHERE ", Self::BUDGETS));
        Self::push_owner(&mut builder, owner, "");
        builder.push("id = ").push_bind(id);
        builder
    }

    /// The newest `limit` alerts, newest first.
    fn alerts(owner: Owner, limit: u32) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("SELECT a.* FROM {} a WHERE ", Self::ALERTS));
        Self::push_owner(&mut builder, owner, "a");
        builder
            .push("TRUE ORDER BY a.id DESC LIMIT ")
            .push_bind(i64::from(limit));
        builder
    }

    /// How many alerts match `condition` (written on the table itself).
    fn count_alerts(owner: Owner, condition: &str) -> QueryBuilder<Self> {
        let mut builder =
            QueryBuilder::new(format!("SELECT count(*) FROM {} WHERE ", Self::ALERTS));
        Self::push_owner(&mut builder, owner, "");
        builder.push(condition);
        builder
    }

    /// Marks one unread alert (`Some`) or every unread one read at `at`.
    fn mark_alerts_read(owner: Owner, id: Option<Uuid>, at: DateTime<Utc>) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("UPDATE {} SET read_at = ", Self::ALERTS));
        builder.push_bind(at).push(" WHERE ");
        Self::push_owner(&mut builder, owner, "");
        builder.push("read_at IS NULL");
        if let Some(id) = id {
            builder.push(" AND id = ").push_bind(id);
        }
        builder
    }

    /// The user's e-mail settings row.
    fn email_settings(owner: Owner) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT enabled, recipient, sender, updated_at FROM {} WHERE ",
            Self::EMAIL_SETTINGS
        ));
        Self::push_owner(&mut builder, owner, "");
        builder.push("TRUE");
        builder
    }

    /// Saves the user's e-mail settings over what was there.
    fn save_email_settings(owner: Owner, settings: &EmailSettings) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("INSERT INTO {} (", Self::EMAIL_SETTINGS));
        if let Owner::Column(_) = owner {
            builder.push("user_id, ");
        }
        builder.push("enabled, recipient, sender, updated_at) VALUES (");
        let mut values = builder.separated(", ");
        if let Owner::Column(user) = owner {
            values.push_bind(user);
        }
        values
            .push_bind(settings.enabled)
            .push_bind(settings.recipient.clone())
            .push_bind(settings.sender.clone())
            .push_bind(settings.updated_at);
        builder.push(format_args!(
            ") ON CONFLICT ({}) DO UPDATE SET enabled = excluded.enabled, \
             recipient = excluded.recipient, sender = excluded.sender, \
             updated_at = excluded.updated_at",
            Self::OWNER_COLUMN
        ));
        builder
    }

    /// The day, amount, currency and description of the live expenses in `[from, to)`.
    fn live_expense_keys(owner: Owner, from: NaiveDate, to: NaiveDate) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT e.spent_on AS date, e.amount_minor AS minor, e.currency, e.description \
             FROM {} e WHERE ",
            Self::EXPENSES
        ));
        Self::push_owner(&mut builder, owner, "e");
        builder
            .push("e.deleted_at IS NULL AND e.spent_on >= ")
            .push_bind(from)
            .push(" AND e.spent_on < ")
            .push_bind(to);
        builder
    }

    /// Points every `column` of `table` that names category `from` at `into` instead (and,
    /// with `changed_at`, marks the rows changed then).
    fn move_category(
        owner: Owner,
        (table, column): (&str, &str),
        (from, into): (Uuid, Uuid),
        changed_at: Option<DateTime<Utc>>,
    ) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("UPDATE {table} SET {column} = "));
        builder.push_bind(into);
        if let Some(at) = changed_at {
            builder.push(", updated_at = ").push_bind(at);
        }
        builder.push(" WHERE ");
        Self::push_owner(&mut builder, owner, "");
        builder.push(format_args!("{column} = ")).push_bind(from);
        builder
    }

    /// The mapping saved for the layout `fingerprint`.
    fn statement_layout(owner: Owner, fingerprint: &str) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT mapping FROM {} WHERE ",
            Self::STATEMENT_LAYOUTS
        ));
        Self::push_owner(&mut builder, owner, "");
        builder
            .push("fingerprint = ")
            .push_bind(fingerprint.to_owned());
        builder
    }

    /// Saves the mapping of the layout `fingerprint` over what was there.
    fn save_statement_layout(
        owner: Owner,
        fingerprint: &str,
        mapping: &str,
        now: DateTime<Utc>,
    ) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("INSERT INTO {} (", Self::STATEMENT_LAYOUTS));
        if let Owner::Column(_) = owner {
            builder.push("user_id, ");
        }
        builder.push("fingerprint, mapping, updated_at) VALUES (");
        let mut values = builder.separated(", ");
        if let Owner::Column(user) = owner {
            values.push_bind(user);
        }
        values
            .push_bind(fingerprint.to_owned())
            .push_bind(mapping.to_owned())
            .push_bind(now);
        builder.push(format_args!(
            ") ON CONFLICT ({}, fingerprint) DO UPDATE SET mapping = excluded.mapping, \
             updated_at = excluded.updated_at",
            Self::OWNER_COLUMN
        ));
        builder
    }

    /// The category rules, oldest first.
    fn category_rules(owner: Owner) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!(
            "SELECT id, contains, category_id, created_at FROM {} WHERE ",
            Self::CATEGORY_RULES
        ));
        Self::push_owner(&mut builder, owner, "");
        builder.push("TRUE ORDER BY created_at, id");
        builder
    }

    /// Adds a category rule, with its text folded for the one-rule-per-text index.
    fn insert_category_rule(owner: Owner, rule: &CategoryRule) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("INSERT INTO {} (", Self::CATEGORY_RULES));
        if let Owner::Column(_) = owner {
            builder.push("user_id, ");
        }
        builder.push("id, contains, folded, category_id, created_at) VALUES (");
        let mut values = builder.separated(", ");
        if let Owner::Column(user) = owner {
            values.push_bind(user);
        }
        values
            .push_bind(rule.id)
            .push_bind(rule.contains.clone())
            .push_bind(folded(&rule.contains))
            .push_bind(rule.category_id)
            .push_bind(rule.created_at);
        builder.push(")");
        builder
    }

    /// Deletes one category rule.
    fn delete_category_rule(owner: Owner, id: Uuid) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("DELETE FROM {} WHERE ", Self::CATEGORY_RULES));
        Self::push_owner(&mut builder, owner, "");
        builder.push("id = ").push_bind(id);
        builder
    }

    /// Deletes one category.
    fn delete_category(owner: Owner, id: Uuid) -> QueryBuilder<Self> {
        let mut builder = QueryBuilder::new(format!("DELETE FROM {} WHERE ", Self::CATEGORIES));
        Self::push_owner(&mut builder, owner, "");
        builder.push("id = ").push_bind(id);
        builder
    }
}
