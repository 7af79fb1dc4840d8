//! SQLite's side of the dialect seam.

use crate::store::sql::Dialect;
use crate::store::values::like_pattern;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

impl Dialect for Sqlite {
    const EXPENSES: &'static str = "expenses";
    const EXPENSE_TAGS: &'static str = "expense_tags";
    const DAY_TOTALS: &'static str = "expense_day_totals";
    const BUDGETS: &'static str = "budgets";
    const CATEGORIES: &'static str = "categories";
    const ALERTS: &'static str = "alerts";
    const EMAIL_SETTINGS: &'static str = "email_settings";
    const STATEMENT_LAYOUTS: &'static str = "statement_layouts";
    const CATEGORY_RULES: &'static str = "category_rules";
    const OWNER_COLUMN: &'static str = "user_id";
    const EXPENSE_COLUMNS: &'static str = r#"
        e.id, e.amount_minor, e.currency, e.spent_on, e.category_id, e.description,
        e.payment_method, e.created_at, e.updated_at, e.deleted_at,
        (SELECT group_concat(t.tag, ',') FROM expense_tags t WHERE t.expense_id = e.id) AS tags
    "#;
    const AS_BIGINT: &'static str = "";
    const MONTH: &'static str = "substr(e.spent_on, 1, 7)";
    const BYTE_ORDER: &'static str = "";

    fn push_ids(builder: &mut QueryBuilder<Self>, column: &str, ids: &[Uuid]) {
        super::push_in(builder, column, ids);
    }

    fn push_contains(builder: &mut QueryBuilder<Self>, column: &str, text: &str) {
        // SQLite's LIKE ignores ASCII case.
        builder
            .push(format_args!(" AND {column} LIKE "))
            .push_bind(like_pattern(text))
            .push(" ESCAPE '\\'");
    }
}
