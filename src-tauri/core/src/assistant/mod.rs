//! The assistant: plain questions about the user's own spending, answered offline and
//! deterministically from their data ("how much did I spend on food last month?").
//!
//! No model, no network: [`question`] reads the question with word rules, [`answers`] asks
//! the store. The same question over the same data always gets the same reply.

mod answers;
pub(crate) mod format;
mod periods;
mod question;

use crate::auth::Session;
use crate::domain::Money;
use crate::error::{AppError, Result};
use crate::expenses::Expense;
use crate::quick_add::QuickAddPreview;
use crate::Outlay;
use question::{Intent, Question};
use serde::Serialize;

/// The longest question the assistant reads.
pub const MAX_QUESTION_CHARS: usize = 500;

/// The assistant's answer: a sentence or two, and the numbers behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AssistantReply {
    /// What kind of answer this is, for the UI to lay out.
    pub kind: ReplyKind,
    /// The answer in plain text; amounts as "1,234.50 USD".
    pub text: String,
    /// The amounts the text mentions, labelled (e.g. "October 2026" → 85.25 USD).
    pub figures: Vec<Figure>,
    /// Expenses the answer lists (the biggest ones), in the order given.
    pub expenses: Vec<Expense>,
    /// For "add …": what would be saved. Nothing is saved until the user confirms with
    /// [`Outlay::quick_add_save`].
    pub quick_add: Option<QuickAddPreview>,
}

/// The kinds of answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ReplyKind {
    /// How much was spent (in a category, over a period).
    Spending,
    /// How budgets stand.
    Budget,
    /// The largest expenses of a period.
    BiggestExpenses,
    /// Two periods side by side.
    Comparison,
    /// Spend per day or per month on average.
    Average,
    /// An expense to confirm before it is saved.
    QuickAdd,
    /// The question names a category the user does not have.
    UnknownCategory,
    /// What the assistant can do.
    Help,
}

/// One labelled amount of a reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Figure {
    /// What it is, e.g. "October 2026", "Groceries left".
    pub label: String,
    /// The amount.
    pub amount: Money,
}

impl AssistantReply {
    fn text(kind: ReplyKind, text: String) -> AssistantReply {
        AssistantReply {
            kind,
            text,
            figures: Vec::new(),
            expenses: Vec::new(),
            quick_add: None,
        }
    }
}

/// What the assistant says when it does not understand.
pub const HELP: &str = "I can answer questions about your spending, for example: \
\"How much did I spend on food last month?\", \"What's left in my groceries budget?\", \
\"Biggest expenses this week\", \"Compare March and April\", \"Average daily spend this year\". \
I can also add an expense: \"add 12 coffee\".";

impl Outlay {
    /// Answers a question about the user's spending, offline, from their data, relative to
    /// today's date. "add …" returns a quick-add preview to confirm and saves nothing.
    pub async fn ask(&self, session: &Session, question: &str) -> Result<AssistantReply> {
        if question.chars().count() > MAX_QUESTION_CHARS {
            return Err(AppError::invalid(
                "question",
                format!("Ask in at most {MAX_QUESTION_CHARS} characters."),
            ));
        }
        if question.trim().is_empty() {
            return Err(AppError::invalid(
                "question",
                "Ask a question, e.g. \"How much did I spend this month?\"",
            ));
        }
        let today = self.clock.today();
        let read = Question::read(question, today);
        match read.intent() {
            Intent::Add => self.answer_add(session, question).await,
            Intent::Compare => self.answer_compare(session, &read, today).await,
            Intent::Budget => self.answer_budget(session, &read, today).await,
            Intent::Average { monthly } => {
                self.answer_average(session, &read, today, monthly).await
            }
            Intent::Biggest => self.answer_biggest(session, &read, today).await,
            Intent::Spend => self.answer_spend(session, &read, today).await,
            Intent::Help => Ok(AssistantReply::text(ReplyKind::Help, HELP.to_owned())),
        }
    }
}
