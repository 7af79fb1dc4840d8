//! One answer per kind of question, each from the existing services and store queries.
//! Sums are in the user's base currency, like the dashboard's; "how much" also lists other
//! currencies so nothing spent goes unmentioned.

mod lists;
mod totals;

use super::format::money;
use super::periods::DateRange;
use super::question::{Mention, Question};
use super::{AssistantReply, Figure, ReplyKind};
use crate::auth::Session;
use crate::categories::Category;
use crate::domain::Money;
use crate::error::Result;
use crate::Outlay;
use uuid::Uuid;

/// The category a question is about, resolved: its ids (with sub-categories) and " on Name".
struct Scope {
    ids: Option<Vec<Uuid>>,
    on: String,
}

impl Outlay {
    /// "add 12 coffee": the preview of "12 coffee"; nothing is saved.
    pub(in crate::assistant) async fn answer_add(
        &self,
        session: &Session,
        question: &str,
    ) -> Result<AssistantReply> {
        let trimmed = question.trim_start();
        let rest = trimmed
            .split_once(char::is_whitespace)
            .map(|(_, rest)| rest)
            .unwrap_or("");
        let preview = self.quick_add_preview(session, rest).await?;
        let line = &preview.line;
        let what = if line.description.is_empty() {
            String::new()
        } else {
            format!(" for \"{}\"", line.description)
        };
        let text = match &preview.category {
            Some(category) => format!(
                "Add {}{what} on {} in {}? Confirm to save it.",
                money(line.amount),
                line.date,
                category.name
            ),
            None => format!(
                "Add {}{what} on {}? Pick a category, then confirm to save it.",
                money(line.amount),
                line.date
            ),
        };
        let mut reply = AssistantReply::text(ReplyKind::QuickAdd, text);
        reply.figures.push(Figure {
            label: "Amount".into(),
            amount: line.amount,
        });
        reply.quick_add = Some(preview);
        Ok(reply)
    }

    /// The category a question is about, or the reply saying there is no such category.
    async fn scope(
        &self,
        session: &Session,
        question: &Question,
        categories: &[Category],
    ) -> Result<Result<Scope, AssistantReply>> {
        Ok(match question.category(categories) {
            Mention::All => Ok(Scope {
                ids: None,
                on: String::new(),
            }),
            Mention::Category { id, name } => Ok(Scope {
                ids: Some(self.category_with_children(session, id).await?),
                on: format!(" on {name}"),
            }),
            Mention::Unknown(word) => Err(unknown_category(&word, categories)),
        })
    }

    /// Spent in the base currency over `range`.
    async fn spent(
        &self,
        session: &Session,
        range: &DateRange,
        categories: Option<&[Uuid]>,
    ) -> Result<Money> {
        let currency = session.base_currency;
        let minor = session
            .store()
            .spend()
            .total(currency, range.start, range.end, categories)
            .await?;
        Ok(Money { minor, currency })
    }
}

fn unknown_category(word: &str, categories: &[Category]) -> AssistantReply {
    let names: Vec<&str> = categories
        .iter()
        .filter(|c| !c.archived)
        .map(|c| c.name.as_str())
        .collect();
    AssistantReply::text(
        ReplyKind::UnknownCategory,
        format!(
            "You have no category called \"{word}\". Your categories: {}.",
            names.join(", ")
        ),
    )
}
