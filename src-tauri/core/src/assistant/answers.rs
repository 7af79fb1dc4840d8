//! One answer per kind of question, each from the existing services and store queries.
//! Sums are in the user's base currency, like the dashboard's; "how much" also lists other
//! currencies so nothing spent goes unmentioned.

use super::format::{count, divide, money, sentence};
use super::periods::DateRange;
use super::question::{Mention, Question};
use super::{AssistantReply, Figure, ReplyKind};
use crate::auth::Session;
use crate::budgets::BudgetProgress;
use crate::categories::Category;
use crate::domain::{Money, PeriodKind};
use crate::error::Result;
use crate::expenses::{ExpenseFilter, ExpenseQuery};
use crate::Outlay;
use chrono::NaiveDate;
use uuid::Uuid;

/// How many expenses "biggest expenses" lists unless the question says ("top 3").
const BIGGEST_BY_DEFAULT: u32 = 5;

/// The category a question is about, resolved: its ids (with sub-categories) and " on Name".
struct Scope {
    ids: Option<Vec<Uuid>>,
    on: String,
}

impl Outlay {
    /// "add 12 coffee": the preview of "12 coffee"; nothing is saved.
    pub(super) async fn answer_add(
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

    /// "how much did I spend on food last month?"
    pub(super) async fn answer_spend(
        &self,
        session: &Session,
        question: &Question,
        today: NaiveDate,
    ) -> Result<AssistantReply> {
        let range = question.period_or_this_month(today);
        let categories = self.categories(session).await?;
        let (category_id, on) = match question.category(&categories) {
            Mention::All => (None, String::new()),
            Mention::Category { id, name } => (Some(id), format!(" on {name}")),
            Mention::Unknown(word) => return Ok(unknown_category(&word, &categories)),
        };
        let filter = ExpenseFilter {
            from: Some(range.start),
            to: range.end.pred_opt(),
            category_id,
            ..ExpenseFilter::default()
        };
        let mut totals = self.expense_totals(session, &filter).await?;
        let base = session.base_currency;
        totals.sort_by_key(|t| (t.amount.currency != base, t.amount.currency.code()));
        let (main, count_main) = match totals.first() {
            Some(t) if t.amount.currency == base => (t.amount, t.count),
            _ => (
                Money {
                    minor: 0,
                    currency: base,
                },
                0,
            ),
        };
        let others: Vec<_> = totals
            .iter()
            .filter(|t| t.amount.currency != base)
            .collect();
        let mut text = if count_main == 0 && others.is_empty() {
            format!("You spent nothing{on} {}.", range.during)
        } else {
            format!(
                "You spent {}{on} {} ({}).",
                money(main),
                range.during,
                count(count_main, "expense", "expenses")
            )
        };
        if !others.is_empty() {
            let listed: Vec<String> = others
                .iter()
                .map(|t| {
                    format!(
                        "{} ({})",
                        money(t.amount),
                        count(t.count, "expense", "expenses")
                    )
                })
                .collect();
            text.push_str(&format!(" Also {} in other currencies.", listed.join(", ")));
        }
        let mut reply = AssistantReply::text(ReplyKind::Spending, text);
        reply.figures.push(Figure {
            label: range.name.clone(),
            amount: main,
        });
        reply.figures.extend(others.iter().map(|t| Figure {
            label: range.name.clone(),
            amount: t.amount,
        }));
        Ok(reply)
    }

    /// "what's left in my groceries budget?"
    pub(super) async fn answer_budget(
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
    pub(super) async fn answer_biggest(
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
        let expenses = self
            .store
            .largest_expenses(session.user_id, &query, limit)
            .await?;
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

    /// "compare March and April"; one period is compared with the one before it, none means
    /// this month against last month.
    pub(super) async fn answer_compare(
        &self,
        session: &Session,
        question: &Question,
        today: NaiveDate,
    ) -> Result<AssistantReply> {
        let (first, second) = match question.periods.as_slice() {
            [] => {
                let this = DateRange::this_month(today);
                (this.previous(), this)
            }
            [only] => (only.range.previous(), only.range.clone()),
            [a, b, ..] => (a.range.clone(), b.range.clone()),
        };
        let categories = self.categories(session).await?;
        let scope = match self.scope(session, question, &categories).await? {
            Ok(scope) => scope,
            Err(reply) => return Ok(reply),
        };
        let a = self.spent(session, &first, scope.ids.as_deref()).await?;
        let b = self.spent(session, &second, scope.ids.as_deref()).await?;
        let difference = Money {
            minor: (b.minor - a.minor).abs(),
            currency: a.currency,
        };
        let verdict = match b.minor.cmp(&a.minor) {
            std::cmp::Ordering::Equal => "The same in both.".to_owned(),
            order => {
                let more = if order.is_gt() { "more" } else { "less" };
                let percent = if a.minor != 0 {
                    let p = i128::from(difference.minor) * 100 / i128::from(a.minor).abs();
                    format!(" ({p} %)")
                } else {
                    String::new()
                };
                format!(
                    "{} is {}{percent} {more} than {}.",
                    sentence(&second.name),
                    money(difference),
                    first.name
                )
            }
        };
        let on = match scope.on.as_str() {
            "" => String::new(),
            on => format!("Spending{on}. "),
        };
        let text = format!(
            "{on}{}: {}. {}: {}. {verdict}",
            sentence(&first.name),
            money(a),
            sentence(&second.name),
            money(b)
        );
        let mut reply = AssistantReply::text(ReplyKind::Comparison, text);
        reply.figures = vec![
            Figure {
                label: first.name.clone(),
                amount: a,
            },
            Figure {
                label: second.name.clone(),
                amount: b,
            },
        ];
        Ok(reply)
    }

    /// "average daily spend this year": the total over the days (or months) so far.
    pub(super) async fn answer_average(
        &self,
        session: &Session,
        question: &Question,
        today: NaiveDate,
        monthly: bool,
    ) -> Result<AssistantReply> {
        let range = question.period_or_this_month(today);
        let categories = self.categories(session).await?;
        let scope = match self.scope(session, question, &categories).await? {
            Ok(scope) => scope,
            Err(reply) => return Ok(reply),
        };
        let (units, unit, units_word) = if monthly {
            (range.months_until(today), "month", "months")
        } else {
            (range.days_until(today), "day", "days")
        };
        if units == 0 {
            let text = format!("{} has not started yet.", sentence(&range.name));
            return Ok(AssistantReply::text(ReplyKind::Average, text));
        }
        let total = self.spent(session, &range, scope.ids.as_deref()).await?;
        let average = Money {
            minor: divide(total.minor, units),
            currency: total.currency,
        };
        let so_far = if range.contains(today) { " so far" } else { "" };
        let text = format!(
            "You spent {}{} {}{so_far}: {} a {unit} on average over {}.",
            money(total),
            scope.on,
            range.during,
            money(average),
            count(units, unit, units_word)
        );
        let mut reply = AssistantReply::text(ReplyKind::Average, text);
        reply.figures = vec![
            Figure {
                label: range.name.clone(),
                amount: total,
            },
            Figure {
                label: format!("Per {unit}"),
                amount: average,
            },
        ];
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
        let minor = self
            .store
            .spend(
                session.user_id,
                currency,
                range.start,
                range.end,
                categories,
            )
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
