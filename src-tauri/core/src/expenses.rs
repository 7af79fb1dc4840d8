//! Expenses: create, read, update, soft-delete with undo, filtered lists with keyset paging.

use crate::alerts::Saved;
use crate::auth::Session;
use crate::domain::{parse_description, Currency, Money, PaymentMethod, Sign, Tag};
use crate::error::{AppError, Result};
use crate::store::{PageStart, Total};
use crate::Outlay;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most expenses one page may hold.
pub const MAX_PAGE_SIZE: u32 = 500;
/// The most expenses one bulk action may touch.
pub const MAX_BULK: usize = 10_000;
/// The most tags on one expense.
pub const MAX_TAGS: usize = 20;

/// One expense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Expense {
    /// UUIDv7.
    pub id: Uuid,
    /// How much, exactly.
    pub amount: Money,
    /// The calendar day it was spent, in the user's zone.
    pub date: NaiveDate,
    /// Its category.
    pub category_id: Uuid,
    /// What it was for (may be empty).
    pub description: String,
    /// How it was paid, e.g. "card".
    pub payment_method: Option<String>,
    /// Lower-case tags, sorted.
    pub tags: Vec<String>,
    /// When it was first saved.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
    /// Set while it sits in the undo window or the bin.
    pub deleted_at: Option<DateTime<Utc>>,
}

/// What the user typed in the expense form; every field is checked by [`Outlay::add_expense`].
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ExpenseInput {
    /// "12.50", "€3", "1,234.56".
    pub amount: String,
    /// ISO 4217 code; the user's base currency when empty.
    pub currency: Option<String>,
    /// "YYYY-MM-DD"; today when empty.
    pub date: Option<String>,
    /// The category.
    pub category_id: Uuid,
    /// Free text, up to 500 characters.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub description: String,
    /// Free text, up to 40 characters; none when empty.
    pub payment_method: Option<String>,
    /// Tags with or without '#'.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub tags: Vec<String>,
}

/// Which expenses to list or total. Empty fields do not filter.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase")]
pub struct ExpenseFilter {
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
    /// A category; its sub-categories are included.
    pub category_id: Option<Uuid>,
    /// Exact payment method.
    pub payment_method: Option<String>,
    /// One tag.
    pub tag: Option<String>,
    /// Smallest amount (typed text, in the currency below or the base currency).
    pub min_amount: Option<String>,
    /// Largest amount.
    pub max_amount: Option<String>,
    /// Currency of the amount bounds.
    pub currency: Option<String>,
    /// Words to find in the description (case-insensitive).
    pub search: Option<String>,
    /// The order of the list; newest first when absent. Totals ignore it.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub sort: ExpenseSort,
}

/// The order a list of expenses comes in. Each order ends on the id, so expenses that tie
/// (same day, same amount) still come in one fixed order and pages never skip or repeat one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ExpenseSort {
    /// Latest day first, then latest id: the order expenses were spent and added in, reversed.
    #[default]
    NewestFirst,
    /// Earliest day first, then earliest id.
    OldestFirst,
    /// Largest amount first, then latest id. Amounts compare as stored minor units whatever
    /// their currency (no exchange rates): ¥500 (500) sorts above $4.99 (499).
    LargestFirst,
    /// Smallest amount first, then earliest id; minor units as for [`ExpenseSort::LargestFirst`].
    SmallestFirst,
}

impl ExpenseSort {
    /// Whether the order runs from the highest key down.
    pub fn descending(self) -> bool {
        matches!(self, ExpenseSort::NewestFirst | ExpenseSort::LargestFirst)
    }

    /// Whether the order's key is the amount (else the date).
    pub fn by_amount(self) -> bool {
        matches!(self, ExpenseSort::LargestFirst | ExpenseSort::SmallestFirst)
    }
}

/// A checked filter, as the stores receive it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpenseQuery {
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// First day after the range.
    pub until: Option<NaiveDate>,
    /// Category ids (a category and its children); `None` = all.
    pub category_ids: Option<Vec<Uuid>>,
    /// Exact payment method.
    pub payment_method: Option<String>,
    /// Normalised tag.
    pub tag: Option<String>,
    /// Amount bounds in minor units, in `amount_currency`.
    pub min_minor: Option<i64>,
    /// Upper amount bound.
    pub max_minor: Option<i64>,
    /// The currency the bounds apply to (set whenever a bound is).
    pub amount_currency: Option<Currency>,
    /// Substring of the description, matched case-insensitively.
    pub search: Option<String>,
    /// The order of a list.
    pub sort: ExpenseSort,
}

/// Where the next page starts: the sort keys of the last expense shown, and the order they
/// continue. The UI passes back what the previous page gave without looking inside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExpenseCursor {
    /// The order of the previous page; the cursor continues only that order.
    pub sort: ExpenseSort,
    /// Date of the last expense on the previous page.
    pub date: NaiveDate,
    /// Amount in minor units of the last expense on the previous page.
    pub amount_minor: i64,
    /// Id of the last expense on the previous page.
    pub id: Uuid,
}

/// The value a page continues from, in the column its order sorts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// The date orders.
    Date(NaiveDate),
    /// The amount orders (minor units).
    Amount(i64),
}

impl ExpenseCursor {
    /// The cursor that continues `sort` after `last`.
    pub fn after(sort: ExpenseSort, last: &Expense) -> Self {
        ExpenseCursor {
            sort,
            date: last.date,
            amount_minor: last.amount.minor,
            id: last.id,
        }
    }

    /// The key to continue `sort` from. A cursor of another order would page from the wrong
    /// place (skipping or repeating expenses), so it is refused rather than guessed at.
    pub fn key(&self, sort: ExpenseSort) -> Result<SortKey> {
        if self.sort != sort {
            return Err(AppError::invalid(
                "after",
                "The list's order changed while it was loading; load it again from the top.",
            ));
        }
        Ok(if sort.by_amount() {
            SortKey::Amount(self.amount_minor)
        } else {
            SortKey::Date(self.date)
        })
    }
}

/// One page of expenses and how to get the next.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExpensePage {
    /// In the order asked for.
    pub expenses: Vec<Expense>,
    /// Pass back to get the next page; `None` on the last page.
    pub next: Option<ExpenseCursor>,
}

impl Outlay {
    /// Adds an expense after checking every field. Returns it with the budget alerts it fired.
    pub async fn add_expense(
        &self,
        session: &Session,
        input: ExpenseInput,
    ) -> Result<Saved<Expense>> {
        let now = self.clock.now();
        let expense = self
            .check_expense(session, input, Uuid::now_v7(), now, now)
            .await?;
        let fired = session.store().expenses().insert(&expense, now).await?;
        self.mail_queued(&fired);
        Ok(Saved {
            value: expense,
            fired,
        })
    }

    /// One expense of the user's (deleted ones too, so undo can show them).
    pub async fn expense(&self, session: &Session, id: Uuid) -> Result<Expense> {
        session
            .store()
            .expenses()
            .get(id)
            .await?
            .ok_or(AppError::NotFound("Expense"))
    }

    /// Replaces every field of an expense. A new amount, date or category can move spend
    /// between budgets and periods: both sides are evaluated.
    pub async fn update_expense(
        &self,
        session: &Session,
        id: Uuid,
        input: ExpenseInput,
    ) -> Result<Saved<Expense>> {
        let old = self.expense(session, id).await?;
        if old.deleted_at.is_some() {
            return Err(AppError::NotFound("Expense"));
        }
        let now = self.clock.now();
        let expense = self
            .check_expense(session, input, id, old.created_at, now)
            .await?;
        let fired = session.store().expenses().update(&expense, now).await?;
        self.mail_queued(&fired);
        Ok(Saved {
            value: expense,
            fired,
        })
    }

    /// Deletes expenses softly: [`Outlay::undo_delete`] brings them back. Returns how many.
    pub async fn delete_expenses(&self, session: &Session, ids: &[Uuid]) -> Result<Saved<u64>> {
        check_bulk(ids)?;
        let now = self.clock.now();
        let saved = session
            .store()
            .expenses()
            .set_deleted(ids, Some(now), now)
            .await?;
        self.mail_queued(&saved.fired);
        Ok(saved)
    }

    /// Restores softly deleted expenses (their spend counts again). Returns how many.
    pub async fn undo_delete(&self, session: &Session, ids: &[Uuid]) -> Result<Saved<u64>> {
        check_bulk(ids)?;
        let saved = session
            .store()
            .expenses()
            .set_deleted(ids, None, self.clock.now())
            .await?;
        self.mail_queued(&saved.fired);
        Ok(saved)
    }

    /// Moves expenses to another category. Returns how many.
    pub async fn recategorise_expenses(
        &self,
        session: &Session,
        ids: &[Uuid],
        category_id: Uuid,
    ) -> Result<Saved<u64>> {
        check_bulk(ids)?;
        self.category_with_children(session, category_id).await?;
        let saved = session
            .store()
            .expenses()
            .recategorise(ids, category_id, self.clock.now())
            .await?;
        self.mail_queued(&saved.fired);
        Ok(saved)
    }

    /// A page of expenses matching `filter`, in its order. `limit` is capped at 500. A cursor
    /// from a list in another order is refused (`Invalid`).
    pub async fn list_expenses(
        &self,
        session: &Session,
        filter: &ExpenseFilter,
        after: Option<&ExpenseCursor>,
        limit: u32,
    ) -> Result<ExpensePage> {
        self.expense_page(session, filter, after.into(), limit)
            .await
    }

    /// The page that starts at row `position` of the list (0 is the top): where a list
    /// scrolled far past what it has fetched jumps to, instead of fetching every page
    /// between. Its `next` continues by cursor as usual.
    pub async fn list_expenses_at(
        &self,
        session: &Session,
        filter: &ExpenseFilter,
        position: u64,
        limit: u32,
    ) -> Result<ExpensePage> {
        self.expense_page(session, filter, PageStart::At(position), limit)
            .await
    }

    async fn expense_page(
        &self,
        session: &Session,
        filter: &ExpenseFilter,
        start: PageStart<'_>,
        limit: u32,
    ) -> Result<ExpensePage> {
        let query = self.check_filter(session, filter).await?;
        let limit = limit.clamp(1, MAX_PAGE_SIZE);
        let expenses = session
            .store()
            .expenses()
            .list(&query, start, limit)
            .await?;
        let next = (expenses.len() == limit as usize)
            .then(|| expenses.last().map(|e| ExpenseCursor::after(query.sort, e)))
            .flatten();
        Ok(ExpensePage { expenses, next })
    }

    /// Totals per currency of everything matching `filter`.
    pub async fn expense_totals(
        &self,
        session: &Session,
        filter: &ExpenseFilter,
    ) -> Result<Vec<Total>> {
        let query = self.check_filter(session, filter).await?;
        session.store().expenses().totals(&query).await
    }

    async fn check_expense(
        &self,
        session: &Session,
        input: ExpenseInput,
        id: Uuid,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Expense> {
        let currency = match input
            .currency
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => Currency::parse(code)?,
            None => session.base_currency,
        };
        let amount = Money::parse(&input.amount, currency, Sign::Positive)?;
        let date = match input
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(text) => parse_date(text, "date")?,
            None => self.clock.today(),
        };
        let category = self
            .categories(session)
            .await?
            .into_iter()
            .find(|c| c.id == input.category_id);
        match category {
            None => return Err(AppError::invalid("categoryId", "Pick a category.")),
            Some(c) if c.archived => {
                return Err(AppError::invalid(
                    "categoryId",
                    "That category is archived; pick another.",
                ))
            }
            Some(_) => {}
        }
        let payment_method = match input
            .payment_method
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(text) => Some(PaymentMethod::parse(text)?.as_str().to_owned()),
            None => None,
        };
        let mut tags = input
            .tags
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| Tag::parse(t).map(|t| t.as_str().to_owned()))
            .collect::<Result<Vec<_>>>()?;
        tags.sort();
        tags.dedup();
        if tags.len() > MAX_TAGS {
            return Err(AppError::invalid(
                "tags",
                format!("At most {MAX_TAGS} tags per expense."),
            ));
        }
        Ok(Expense {
            id,
            amount,
            date,
            category_id: input.category_id,
            description: parse_description(&input.description)?,
            payment_method,
            tags,
            created_at,
            updated_at: now,
            deleted_at: None,
        })
    }

    pub(crate) async fn check_filter(
        &self,
        session: &Session,
        filter: &ExpenseFilter,
    ) -> Result<ExpenseQuery> {
        if let (Some(from), Some(to)) = (filter.from, filter.to) {
            if from > to {
                return Err(AppError::invalid(
                    "from",
                    "The start date is after the end date.",
                ));
            }
        }
        let category_ids = match filter.category_id {
            Some(id) => Some(self.category_with_children(session, id).await?),
            None => None,
        };
        let non_empty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let amount_currency = match non_empty(&filter.currency) {
            Some(code) => Currency::parse(&code)?,
            None => session.base_currency,
        };
        let bound = |text: Option<String>| -> Result<Option<i64>> {
            text.map(|t| Money::parse(&t, amount_currency, Sign::Any).map(|m| m.minor))
                .transpose()
        };
        let min_minor = bound(non_empty(&filter.min_amount))?;
        let max_minor = bound(non_empty(&filter.max_amount))?;
        let search = non_empty(&filter.search);
        if search.as_ref().is_some_and(|s| s.chars().count() > 200) {
            return Err(AppError::invalid(
                "search",
                "Search for at most 200 characters.",
            ));
        }
        Ok(ExpenseQuery {
            from: filter.from,
            until: filter.to.and_then(|d| d.succ_opt()),
            category_ids,
            payment_method: non_empty(&filter.payment_method),
            tag: non_empty(&filter.tag)
                .map(|t| Tag::parse(&t).map(|t| t.as_str().to_owned()))
                .transpose()?,
            amount_currency: (min_minor.is_some() || max_minor.is_some())
                .then_some(amount_currency),
            min_minor,
            max_minor,
            search,
            sort: filter.sort,
        })
    }
}

/// Parses "YYYY-MM-DD", refusing impossible dates (2026-02-30) and years outside 1900–2999.
pub fn parse_date(text: &str, field: &'static str) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "Enter a real date as YYYY-MM-DD."))?;
    if !(1900..=2999).contains(&chrono::Datelike::year(&date)) {
        return Err(AppError::invalid(
            field,
            "Enter a date between 1900 and 2999.",
        ));
    }
    Ok(date)
}

fn check_bulk(ids: &[Uuid]) -> Result<()> {
    if ids.len() > MAX_BULK {
        return Err(AppError::invalid(
            "ids",
            format!("Select at most {MAX_BULK} expenses at once."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_without_a_sort_lists_newest_first() {
        let filter: ExpenseFilter = serde_json::from_str("{}").unwrap();
        assert_eq!(filter.sort, ExpenseSort::NewestFirst);
        let filter: ExpenseFilter = serde_json::from_str(r#"{"sort":"smallestFirst"}"#).unwrap();
        assert_eq!(filter.sort, ExpenseSort::SmallestFirst);
        assert!(serde_json::from_str::<ExpenseFilter>(r#"{"sort":"cheapest"}"#).is_err());
    }

    #[test]
    fn a_cursor_continues_only_its_own_order() {
        let cursor = ExpenseCursor {
            sort: ExpenseSort::LargestFirst,
            date: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            amount_minor: 1250,
            id: Uuid::now_v7(),
        };
        assert_eq!(
            cursor.key(ExpenseSort::LargestFirst).unwrap(),
            SortKey::Amount(1250)
        );
        assert!(matches!(
            cursor.key(ExpenseSort::SmallestFirst),
            Err(AppError::Invalid { field: "after", .. })
        ));
        let json = serde_json::to_value(&cursor).unwrap();
        assert_eq!(json["sort"], "largestFirst");
        assert_eq!(json["amountMinor"], 1250);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(parse_date("2026-02-30", "date").is_err());
        assert!(parse_date("2026-13-01", "date").is_err());
        assert!(parse_date("99999-01-01", "date").is_err());
        assert!(parse_date("1800-01-01", "date").is_err());
        assert_eq!(
            parse_date("2028-02-29", "date").unwrap().to_string(),
            "2028-02-29"
        );
    }
}
