//! Answers that list things: budgets and the biggest expenses.

use super::super::format::money;
use super::super::question::{Mention, Question};
use super::super::{AssistantReply, Figure, ReplyKind};
use super::unknown_category;
use crate::auth::Session;
use crate::budgets::BudgetProgress;
use crate::domain::{Money, PeriodKind};
use crate::error::Result;
use crate::expenses::ExpenseQuery;
use crate::Outlay;
use chrono::NaiveDate;

/// How many expenses "biggest expenses" lists unless the question says ("top 3").
const BIGGEST_BY_DEFAULT: u32 = 5;

impl Outlay {
    /// "what's left in my groceries budget?"
    pub(in crate::assistant) async fn answer_budget(
        &self,
        session: &Session,
        question: &Question,
        today: NaiveDate,
    ) -> Result<AssistantReply> {
        let categories = self.categories(session).await?;
        let all = self.budget_progress(session, today).await?;
        if all.is_empty() {
            let text = "You have no budgets yet. Set one on the Budgets screen.".to_owned();
            return Ok(AssistantReply::text(ReplyKind::Budget, text));
        }
        let chosen: Vec<&BudgetProgress> = match question.category(&categories) {
            Mention::Unknown(word) => return Ok(unknown_category(&word, &categories)),
            Mention::Category { id, name } => {
                let chosen: Vec<_> = all
                    .iter()
                    .filter(|p| p.budget.category_id == Some(id))
                    .collect();
                if chosen.is_empty() {
                    let text = format!("You have no budget for {name}.");
                    return Ok(AssistantReply::text(ReplyKind::Budget, text));
                }
                chosen
            }
            Mention::All => {
                let overall: Vec<_> = all
                    .iter()
                    .filter(|p| p.budget.category_id.is_none())
                    .collect();
                if overall.is_empty() {
                    all.iter().collect()
                } else {
                    overall
                }
            }
        };
        let mut lines = Vec::new();
        let mut figures = Vec::new();
        for progress in chosen {
            let name = progress
                .budget
                .category_id
                .and_then(|id| categories.iter().find(|c| c.id == id))
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "Overall".to_owned());
            let limit = progress.budget.amount;
            let left = Money {
                minor: limit.minor.saturating_sub(progress.spent.minor),
                currency: limit.currency,
            };
            let period = match progress.period.kind {
                PeriodKind::Weekly => format!("the week of {}", progress.period.start),
                PeriodKind::Monthly => progress.period.start.format("%B %Y").to_string(),
                PeriodKind::Yearly => progress.period.start.format("%Y").to_string(),
            };
            let standing = if left.minor >= 0 {
                format!("{} left of {}", money(left), money(limit))
            } else {
                let over = Money {
                    minor: -left.minor,
                    ..left
                };
                format!("{} over the {} limit", money(over), money(limit))
            };
            lines.push(format!(
                "{name} budget for {period}: {standing}; {} spent ({} %).",
                money(progress.spent),
                progress.percent
            ));
            figures.push(Figure {
                label: format!("{name} left"),
                amount: left,
            });
        }
        let mut reply = AssistantReply::text(ReplyKind::Budget, lines.join(" "));
        reply.figures = figures;
        Ok(reply)
    }

    /// "biggest expenses this week"
    pub(in crate::assistant) async fn answer_biggest(
        &self,
        session: &Session,
        question: &Question,
        today: NaiveDate,
    ) -> Result<AssistantReply> {
        let range = question.period_or_this_month(today);
        let categories = self.categories(session).await?;
        let scope = match self.scope(session, question, &categories).await? {
            Ok(scope) => scope,
            Err(reply) => return Ok(reply),
        };
        let query = ExpenseQuery {
            from: Some(range.start),
            until: Some(range.end),
            category_ids: scope.ids,
            amount_currency: Some(session.base_currency),
            ..ExpenseQuery::default()
        };
        let limit = question.count().unwrap_or(BIGGEST_BY_DEFAULT);
        let expenses = session.store().expenses().largest(&query, limit).await?;
        let on = scope.on;
        if expenses.is_empty() {
            let text = format!("No expenses{on} {}.", range.during);
            return Ok(AssistantReply::text(ReplyKind::BiggestExpenses, text));
        }
        let listed: Vec<String> = expenses
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let category = categories
                    .iter()
                    .find(|c| c.id == e.category_id)
                    .map(|c| c.name.as_str())
                    .unwrap_or("?");
                let what = if e.description.is_empty() {
                    String::new()
                } else {
                    format!(" {}", e.description)
                };
                format!(
                    "{}. {}{what} ({category}, {})",
                    i + 1,
                    money(e.amount),
                    e.date
                )
            })
            .collect();
        let heading = if expenses.len() == 1 {
            format!("Your biggest expense{on} {}", range.during)
        } else {
            format!(
                "Your {} biggest expenses{on} {}",
                expenses.len(),
                range.during
            )
        };
        let mut reply = AssistantReply::text(
            ReplyKind::BiggestExpenses,
            format!("{heading}: {}.", listed.join("; ")),
        );
        reply.figures = expenses
            .iter()
            .map(|e| Figure {
                label: if e.description.is_empty() {
                    e.date.to_string()
                } else {
                    e.description.clone()
                },
                amount: e.amount,
            })
            .collect();
        reply.expenses = expenses;
        Ok(reply)
    }
}
