//! The stretches of time a question names: "last month", "this week", "March", "2025",
//! "the last 7 days". Always relative to a given "today".

use crate::domain::{Period, PeriodKind};
use crate::quick_add::dates::month_number;
use chrono::{Datelike, Days, NaiveDate};

/// A run of days, `start` inclusive, `end` exclusive, with the words to say it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DateRange {
    /// The first day.
    pub start: NaiveDate,
    /// The first day after.
    pub end: NaiveDate,
    /// How to name it: "November 2026", "this week", "the last 7 days".
    pub name: String,
    /// How to say "during it": "in November 2026", "this week", "in the last 7 days".
    pub during: String,
    /// The calendar period it is, if it is one (for "the one before").
    kind: Option<PeriodKind>,
}

impl DateRange {
    fn calendar(kind: PeriodKind, on: NaiveDate, name: &str, during: &str) -> DateRange {
        let period = Period::containing(kind, on);
        DateRange {
            start: period.start,
            end: period.end,
            name: name.to_owned(),
            during: during.to_owned(),
            kind: Some(kind),
        }
    }

    fn month(on: NaiveDate) -> DateRange {
        let name = on.format("%B %Y").to_string();
        DateRange::calendar(PeriodKind::Monthly, on, &name, &format!("in {name}"))
    }

    fn year(on: NaiveDate) -> DateRange {
        let name = on.format("%Y").to_string();
        DateRange::calendar(PeriodKind::Yearly, on, &name, &format!("in {name}"))
    }

    fn days(start: NaiveDate, count: u64, name: String, during: String) -> DateRange {
        DateRange {
            start,
            end: start + Days::new(count),
            name,
            during,
            kind: None,
        }
    }

    /// The month containing `today`, named by its month ("November 2026").
    pub fn this_month(today: NaiveDate) -> DateRange {
        DateRange::month(today)
    }

    /// The range just before this one, of the same kind and length.
    pub fn previous(&self) -> DateRange {
        let day_before = self.start - Days::new(1);
        match self.kind {
            Some(PeriodKind::Monthly) => DateRange::month(day_before),
            Some(PeriodKind::Yearly) => DateRange::year(day_before),
            Some(PeriodKind::Weekly) => {
                let week = Period::containing(PeriodKind::Weekly, day_before);
                let name = format!("the week of {}", week.start);
                DateRange::calendar(PeriodKind::Weekly, day_before, &name, &format!("in {name}"))
            }
            None => {
                let length = (self.end - self.start).num_days().max(1) as u64;
                let start = self.start - Days::new(length);
                let (name, during) = if length == 1 {
                    (start.to_string(), format!("on {start}"))
                } else {
                    let name = format!("{start} to {day_before}");
                    (name.clone(), format!("from {name}"))
                };
                DateRange::days(start, length, name, during)
            }
        }
    }

    /// Days of this range up to and including `today` (0 when it starts after today).
    pub fn days_until(&self, today: NaiveDate) -> i64 {
        let end = self.end.min(today + Days::new(1));
        (end - self.start).num_days().max(0)
    }

    /// Calendar months this range touches up to and including `today`.
    pub fn months_until(&self, today: NaiveDate) -> i64 {
        let last = (self.end - Days::new(1)).min(today);
        if last < self.start {
            return 0;
        }
        let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        index(last) - index(self.start) + 1
    }

    /// Whether `today` falls inside it.
    pub fn contains(&self, today: NaiveDate) -> bool {
        self.start <= today && today < self.end
    }
}

/// A time phrase found in a question: where it starts, how many words, and the range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Index of its first word.
    pub at: usize,
    /// How many words it spans.
    pub len: usize,
    /// The range it names.
    pub range: DateRange,
}

/// Every time phrase in `words` (lower case), in order.
pub(crate) fn find_all(words: &[&str], today: NaiveDate) -> Vec<Found> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < words.len() {
        match range_at(&words[at..], today) {
            Some((len, range)) => {
                found.push(Found { at, len, range });
                at += len;
            }
            None => at += 1,
        }
    }
    found
}

fn range_at(words: &[&str], today: NaiveDate) -> Option<(usize, DateRange)> {
    let day =
        |date: NaiveDate, name: &str| DateRange::days(date, 1, name.to_owned(), name.to_owned());
    match words {
        ["today", ..] => return Some((1, day(today, "today"))),
        ["yesterday", ..] => return Some((1, day(today - Days::new(1), "yesterday"))),
        ["this", "week", ..] => {
            let range = DateRange::calendar(PeriodKind::Weekly, today, "this week", "this week");
            return Some((2, range));
        }
        ["last", "week", ..] => {
            let on = today - Days::new(7);
            let range = DateRange::calendar(PeriodKind::Weekly, on, "last week", "last week");
            return Some((2, range));
        }
        ["this", "month", ..] => return Some((2, DateRange::month(today))),
        ["last", "month", ..] => {
            let on = Period::containing(PeriodKind::Monthly, today)
                .previous()
                .start;
            return Some((2, DateRange::month(on)));
        }
        ["this", "year", ..] => return Some((2, DateRange::year(today))),
        ["last", "year", ..] => {
            let on = Period::containing(PeriodKind::Yearly, today)
                .previous()
                .start;
            return Some((2, DateRange::year(on)));
        }
        ["last" | "past", count, unit, ..] => {
            if let Some(range) = last_n(count, unit, today) {
                return Some((3, range));
            }
        }
        _ => {}
    }
    let first = words.first()?;
    if let Some(month) = month_number(first) {
        let (len, year) = match words.get(1).and_then(|w| year_of(w)) {
            Some(year) => (2, year),
            // Without a year: the most recent such month, this one included.
            None if month <= today.month() => (1, today.year()),
            None => (1, today.year() - 1),
        };
        return NaiveDate::from_ymd_opt(year, month, 1).map(|on| (len, DateRange::month(on)));
    }
    let year = year_of(first)?;
    NaiveDate::from_ymd_opt(year, 1, 1).map(|on| (1, DateRange::year(on)))
}

/// "last 7 days", "past 2 weeks": that many days ending today.
fn last_n(count: &str, unit: &str, today: NaiveDate) -> Option<DateRange> {
    let count: u64 = count.parse().ok().filter(|n| (1..=3660).contains(n))?;
    let days = match unit {
        "day" | "days" => count,
        "week" | "weeks" => count * 7,
        _ => return None,
    };
    let start = today.checked_sub_days(Days::new(days - 1))?;
    let name = format!("the last {days} days");
    Some(DateRange::days(
        start,
        days,
        name.clone(),
        format!("in {name}"),
    ))
}

/// A four-digit year 1900–2999.
fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1900..=2999).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-11-25".parse().unwrap()
    }

    fn ranges(text: &str) -> Vec<(String, String, String)> {
        let words: Vec<&str> = text.split_whitespace().collect();
        find_all(&words, today())
            .into_iter()
            .map(|f| {
                (
                    f.range.start.to_string(),
                    f.range.end.to_string(),
                    f.range.name,
                )
            })
            .collect()
    }

    fn one(start: &str, end: &str, name: &str) -> Vec<(String, String, String)> {
        vec![(start.into(), end.into(), name.into())]
    }

    #[test]
    fn named_periods() {
        assert_eq!(
            ranges("last month"),
            one("2026-10-01", "2026-11-01", "October 2026")
        );
        assert_eq!(
            ranges("this week"),
            one("2026-11-23", "2026-11-30", "this week")
        );
        assert_eq!(
            ranges("last week"),
            one("2026-11-16", "2026-11-23", "last week")
        );
        assert_eq!(
            ranges("december"),
            one("2025-12-01", "2026-01-01", "December 2025")
        );
        assert_eq!(
            ranges("march 2024"),
            one("2024-03-01", "2024-04-01", "March 2024")
        );
        assert_eq!(ranges("in 2025"), one("2025-01-01", "2026-01-01", "2025"));
        assert_eq!(
            ranges("past 7 days"),
            one("2026-11-19", "2026-11-26", "the last 7 days")
        );
        assert_eq!(
            ranges("yesterday"),
            one("2026-11-24", "2026-11-25", "yesterday")
        );
    }

    #[test]
    fn previous_ranges() {
        let words = ["this", "week"];
        let week = &find_all(&words, today())[0].range;
        assert_eq!(week.previous().start.to_string(), "2026-11-16");
        let words = ["past", "7", "days"];
        let seven = &find_all(&words, today())[0].range;
        let before = seven.previous();
        assert_eq!(
            (before.start.to_string(), before.end.to_string()),
            ("2026-11-12".into(), "2026-11-19".into())
        );
    }

    #[test]
    fn elapsed_days_and_months() {
        let year = DateRange::year(today());
        assert_eq!(year.days_until(today()), 329);
        assert_eq!(year.months_until(today()), 11);
        let last_year = year.previous();
        assert_eq!(last_year.days_until(today()), 365);
    }
}
