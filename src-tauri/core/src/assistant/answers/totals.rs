//! Sums over periods: how much, averages, comparisons.

use super::super::format::{count, divide, money, sentence};
use super::super::periods::DateRange;
use super::super::question::{Mention, Question};
use super::super::{AssistantReply, Figure, ReplyKind};
use super::unknown_category;
use crate::auth::Session;
use crate::domain::Money;
use crate::error::Result;
use crate::expenses::ExpenseFilter;
use crate::Outlay;
use chrono::NaiveDate;

impl Outlay {
    /// "how much did I spend on food last month?"
    pub(in crate::assistant) async fn answer_spend(
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

    /// "compare March and April"; one period is compared with the one before it, none means
    /// this month against last month.
    pub(in crate::assistant) async fn answer_compare(
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
    pub(in crate::assistant) async fn answer_average(
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
}
