//! Rows as every backend reads them (`FromRow`), and their domain values.

use super::{CategoryMonthSpend, SpendRow, Total};
use crate::alerts::Alert;
use crate::budgets::Budget;
use crate::categories::Category;
use crate::domain::{Currency, Money, Period, PeriodKind};
use crate::error::Result;
use crate::expenses::Expense;
use crate::statement::CategoryRule;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// An expense as [`super::sql::Dialect::EXPENSE_COLUMNS`] selects it.
#[derive(sqlx::FromRow)]
pub(crate) struct ExpenseRow {
    id: Uuid,
    amount_minor: i64,
    currency: String,
    spent_on: NaiveDate,
    category_id: Uuid,
    description: String,
    payment_method: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
    /// Joined by commas, in no order (tags hold no commas: see `domain::Tag`).
    tags: Option<String>,
}

impl ExpenseRow {
    /// The expense, its tags sorted.
    pub(crate) fn into_expense(self) -> Result<Expense> {
        let mut tags: Vec<String> = self
            .tags
            .map(|t| t.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        tags.sort();
        Ok(Expense {
            id: self.id,
            amount: Money {
                minor: self.amount_minor,
                currency: Currency::parse(&self.currency)?,
            },
            date: self.spent_on,
            category_id: self.category_id,
            description: self.description,
            payment_method: self.payment_method,
            tags,
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

/// Expenses from their rows.
pub(crate) fn expenses(rows: Vec<ExpenseRow>) -> Result<Vec<Expense>> {
    rows.into_iter().map(ExpenseRow::into_expense).collect()
}

/// A budget, every column.
#[derive(sqlx::FromRow)]
pub(crate) struct BudgetRow {
    id: Uuid,
    category_id: Option<Uuid>,
    period: String,
    amount_minor: i64,
    currency: String,
    /// "80,100".
    thresholds: String,
    email_alerts: bool,
    created_at: DateTime<Utc>,
}

impl BudgetRow {
    /// The budget.
    pub(crate) fn into_budget(self) -> Result<Budget> {
        Ok(Budget {
            id: self.id,
            category_id: self.category_id,
            period: PeriodKind::parse(&self.period)?,
            amount: Money {
                minor: self.amount_minor,
                currency: Currency::parse(&self.currency)?,
            },
            thresholds: self
                .thresholds
                .split(',')
                .filter_map(|t| t.parse().ok())
                .collect(),
            email_alerts: self.email_alerts,
            created_at: self.created_at,
        })
    }
}

/// Budgets from their rows.
pub(crate) fn budgets(rows: Vec<BudgetRow>) -> Result<Vec<Budget>> {
    rows.into_iter().map(BudgetRow::into_budget).collect()
}

/// A category, every column.
#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    colour: String,
    archived: bool,
    created_at: DateTime<Utc>,
}

/// Categories from their rows.
pub(crate) fn categories(rows: Vec<CategoryRow>) -> Vec<Category> {
    rows.into_iter()
        .map(|row| Category {
            id: row.id,
            parent_id: row.parent_id,
            name: row.name,
            colour: row.colour,
            archived: row.archived,
            created_at: row.created_at,
        })
        .collect()
}

/// The total of one currency.
#[derive(sqlx::FromRow)]
pub(crate) struct TotalRow {
    currency: String,
    minor: i64,
    count: i64,
}

/// Totals from their rows.
pub(crate) fn totals(rows: Vec<TotalRow>) -> Result<Vec<Total>> {
    rows.into_iter()
        .map(|row| {
            Ok(Total {
                amount: Money {
                    minor: row.minor,
                    currency: Currency::parse(&row.currency)?,
                },
                count: row.count,
            })
        })
        .collect()
}

/// Spend of one category and month.
#[derive(sqlx::FromRow)]
pub(crate) struct CategoryMonthRow {
    category_id: Uuid,
    month: String,
    minor: i64,
}

/// Category-and-month spend from its rows.
pub(crate) fn category_months(rows: Vec<CategoryMonthRow>) -> Vec<CategoryMonthSpend> {
    rows.into_iter()
        .map(|row| CategoryMonthSpend {
            category_id: row.category_id,
            month: row.month,
            minor: row.minor,
        })
        .collect()
}

/// Spend by one key (a category or a month) from `(key, minor)` rows.
pub(crate) fn spend_rows<K>(rows: Vec<(K, i64)>) -> Vec<SpendRow<K>> {
    rows.into_iter()
        .map(|(key, minor)| SpendRow { key, minor })
        .collect()
}

/// An alert, every column.
#[derive(sqlx::FromRow)]
pub(crate) struct AlertRow {
    id: Uuid,
    budget_id: Uuid,
    budget_name: String,
    period: String,
    period_start: NaiveDate,
    threshold: i32,
    spent_minor: i64,
    limit_minor: i64,
    currency: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

impl AlertRow {
    /// The alert.
    pub(crate) fn into_alert(self) -> Result<Alert> {
        let currency = Currency::parse(&self.currency)?;
        let kind = PeriodKind::parse(&self.period)?;
        Ok(Alert {
            id: self.id,
            budget_id: self.budget_id,
            budget_name: self.budget_name,
            period: Period::containing(kind, self.period_start),
            threshold: u32::try_from(self.threshold).unwrap_or(0),
            spent: Money {
                minor: self.spent_minor,
                currency,
            },
            limit: Money {
                minor: self.limit_minor,
                currency,
            },
            created_at: self.created_at,
            read_at: self.read_at,
        })
    }
}

/// Alerts from their rows.
pub(crate) fn alerts(rows: Vec<AlertRow>) -> Result<Vec<Alert>> {
    rows.into_iter().map(AlertRow::into_alert).collect()
}

/// A category rule, as [`super::sql::Dialect::category_rules`] selects it.
#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRuleRow {
    id: Uuid,
    contains: String,
    category_id: Uuid,
    created_at: DateTime<Utc>,
}

/// Category rules from their rows.
pub(crate) fn category_rules(rows: Vec<CategoryRuleRow>) -> Vec<CategoryRule> {
    rows.into_iter()
        .map(|row| CategoryRule {
            id: row.id,
            contains: row.contains,
            category_id: row.category_id,
            created_at: row.created_at,
        })
        .collect()
}
