//! Moving to a server: the one-time copy of a local profile's categories, budgets, category
//! rules and expenses into the user's account on the server.
//!
//! It is idempotent: ids travel with the rows, a row already on the server is left alone, and
//! a local category that matches a server one by name (under the same parent) is the same
//! category. Running it again after an interruption finishes the job and duplicates nothing.

use crate::auth::Session;
use crate::categories::Category;
use crate::error::{AppError, Result};
use crate::expenses::{ExpenseCursor, ExpenseQuery};
use crate::statement::CategoryRule;
use crate::Outlay;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// Expenses sent per transaction: big enough to be quick, small enough to show progress.
const PAGE: u32 = 1000;

/// What an upload did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UploadReport {
    /// Categories created on the server (the others matched one already there).
    pub categories_added: u64,
    /// Budgets created on the server.
    pub budgets_added: u64,
    /// Category rules created on the server (the others had a rule for their text there).
    pub rules_added: u64,
    /// Expenses copied.
    pub expenses_added: u64,
    /// Expenses that were on the server already (from an earlier upload).
    pub expenses_already_there: u64,
}

/// How far an upload has got, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UploadProgress {
    /// Expenses handled so far.
    pub done: u64,
    /// Expenses to handle.
    pub total: u64,
}

impl Outlay {
    /// Copies what `session` has in this (local) store into `server_session`'s account on
    /// `server`. Deleted expenses stay behind. `progress` hears after every page.
    pub async fn upload_profile(
        &self,
        session: &Session,
        server: &Outlay,
        server_session: &Session,
        mut progress: impl FnMut(UploadProgress) + Send,
    ) -> Result<UploadReport> {
        let mut report = UploadReport::default();
        let categories = self
            .copy_categories(session, server_session, &mut report)
            .await?;
        self.copy_budgets(session, server, server_session, &categories, &mut report)
            .await?;
        self.copy_rules(session, server_session, &categories, &mut report)
            .await?;

        let everything = ExpenseQuery::default();
        let total: i64 = session
            .store()
            .expenses()
            .totals(&everything)
            .await?
            .iter()
            .map(|t| t.count)
            .sum();
        let total = total as u64;
        progress(UploadProgress { done: 0, total });
        let mut after: Option<ExpenseCursor> = None;
        let mut done = 0;
        loop {
            let mut page = session
                .store()
                .expenses()
                .list(&everything, after.as_ref().into(), PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(ExpenseCursor::after(everything.sort, last));
            for expense in &mut page {
                expense.category_id = server_category(&categories, expense.category_id)?;
            }
            let added = server_session.store().expenses().copy(&page).await?;
            report.expenses_added += added;
            report.expenses_already_there += page.len() as u64 - added;
            done += page.len() as u64;
            progress(UploadProgress {
                done,
                total: total.max(done),
            });
        }
        Ok(report)
    }

    /// Makes every local category exist on the server; the map is local id → server id.
    async fn copy_categories(
        &self,
        session: &Session,
        server_session: &Session,
        report: &mut UploadReport,
    ) -> Result<HashMap<Uuid, Uuid>> {
        let mut theirs = server_session.store().categories().list().await?;
        let mut ours = session.store().categories().list().await?;
        // Parents first, so a child's parent is already mapped.
        ours.sort_by_key(|c| c.parent_id.is_some());
        let mut map = HashMap::new();
        for category in ours {
            let parent = match category.parent_id {
                Some(p) => Some(server_category(&map, p)?),
                None => None,
            };
            let same = |c: &&Category| {
                c.id == category.id
                    || (c.parent_id == parent
                        && c.name.to_lowercase() == category.name.to_lowercase())
            };
            let id = match theirs.iter().find(same) {
                Some(existing) => existing.id,
                None => {
                    let copy = Category {
                        parent_id: parent,
                        ..category.clone()
                    };
                    server_session.store().categories().insert(&copy).await?;
                    report.categories_added += 1;
                    theirs.push(copy);
                    category.id
                }
            };
            map.insert(category.id, id);
        }
        Ok(map)
    }

    /// Creates the local budgets the server lacks (by id, or by category and period).
    async fn copy_budgets(
        &self,
        session: &Session,
        server: &Outlay,
        server_session: &Session,
        categories: &HashMap<Uuid, Uuid>,
        report: &mut UploadReport,
    ) -> Result<()> {
        let theirs = server_session.store().budgets().list().await?;
        for budget in session.store().budgets().list().await? {
            let category_id = match budget.category_id {
                Some(c) => Some(server_category(categories, c)?),
                None => None,
            };
            let there = theirs.iter().any(|b| {
                b.id == budget.id || (b.category_id == category_id && b.period == budget.period)
            });
            if !there {
                let copy = crate::budgets::Budget {
                    category_id,
                    ..budget
                };
                let budgets = server_session.store().budgets();
                budgets
                    .insert(&copy, server.clock.today(), server.clock.now())
                    .await?;
                report.budgets_added += 1;
            }
        }
        Ok(())
    }

    /// Creates the local category rules the server lacks (by id, or by text whatever its
    /// case: the server keeps one rule per text). Saved layouts and the bank references of
    /// past imports stay behind: a layout is mapped once more on the server, and a line
    /// imported again is then recognised by its date, amount and description only.
    async fn copy_rules(
        &self,
        session: &Session,
        server_session: &Session,
        categories: &HashMap<Uuid, Uuid>,
        report: &mut UploadReport,
    ) -> Result<()> {
        let theirs = server_session.store().statements().rules().await?;
        for rule in session.store().statements().rules().await? {
            let text = rule.contains.to_lowercase();
            let there = theirs
                .iter()
                .any(|r| r.id == rule.id || r.contains.to_lowercase() == text);
            if !there {
                let copy = CategoryRule {
                    category_id: server_category(categories, rule.category_id)?,
                    ..rule
                };
                server_session.store().statements().add_rule(&copy).await?;
                report.rules_added += 1;
            }
        }
        Ok(())
    }
}

/// The server's id of a local category; every local category is mapped before it is needed.
fn server_category(map: &HashMap<Uuid, Uuid>, local: Uuid) -> Result<Uuid> {
    map.get(&local)
        .copied()
        .ok_or_else(|| AppError::Internal("A category was missing from the upload.".into()))
}
