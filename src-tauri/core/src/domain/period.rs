//! Budget periods: ISO weeks, calendar months and calendar years.

use crate::error::{AppError, Result};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often a budget resets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum PeriodKind {
    /// ISO 8601 weeks, Monday to Sunday (a year may have week 53).
    Weekly,
    /// Calendar months.
    Monthly,
    /// Calendar years.
    Yearly,
}

impl PeriodKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Weekly => "weekly",
            PeriodKind::Monthly => "monthly",
            PeriodKind::Yearly => "yearly",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "weekly" => Ok(PeriodKind::Weekly),
            "monthly" => Ok(PeriodKind::Monthly),
            "yearly" => Ok(PeriodKind::Yearly),
            _ => Err(AppError::invalid(
                "period",
                "Choose weekly, monthly or yearly.",
            )),
        }
    }
}

/// One concrete period: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// Weekly, monthly or yearly.
    pub kind: PeriodKind,
    /// The first day in the period.
    pub start: NaiveDate,
    /// The first day after the period.
    pub end: NaiveDate,
}

impl Period {
    /// The period of `kind` that contains `date`.
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        let start = match kind {
            PeriodKind::Weekly => {
                date - Days::new(u64::from(date.weekday().num_days_from_monday()))
            }
            PeriodKind::Monthly => date.with_day(1).expect("day 1 exists in every month"),
            PeriodKind::Yearly => date.with_ordinal(1).expect("day 1 exists in every year"),
        };
        let end = match kind {
            PeriodKind::Weekly => start + Days::new(7),
            PeriodKind::Monthly => start + Months::new(1),
            PeriodKind::Yearly => start + Months::new(12),
        };
        Period { kind, start, end }
    }

    /// The period just before this one.
    pub fn previous(self) -> Period {
        Period::containing(self.kind, self.start - Days::new(1))
    }

    /// Whether `date` falls in this period.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// A stable key such as "2026-W53", "2026-02" or "2026" — used in alert keys and labels.
    pub fn key(self) -> String {
        match self.kind {
            PeriodKind::Weekly => {
                let week = self.start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            PeriodKind::Monthly => self.start.format("%Y-%m").to_string(),
            PeriodKind::Yearly => self.start.format("%Y").to_string(),
        }
    }

    /// The period as people name it: "November 2026", "week of 23 Nov 2026", "2026".
    pub fn label(self) -> String {
        match self.kind {
            PeriodKind::Weekly => self.start.format("week of %-d %b %Y").to_string(),
            PeriodKind::Monthly => self.start.format("%B %Y").to_string(),
            PeriodKind::Yearly => self.start.format("%Y").to_string(),
        }
    }

    /// The label to use in a sentence written in `year`: the year is left out when it is the
    /// same ("in November", "in the week of 23 Nov", "in 2026").
    pub fn phrase_in(self, year: i32) -> String {
        let same_year = self.start.year() == year;
        match (self.kind, same_year) {
            (PeriodKind::Weekly, true) => self.start.format("the week of %-d %b").to_string(),
            (PeriodKind::Weekly, false) => format!("the {}", self.label()),
            (PeriodKind::Monthly, true) => self.start.format("%B").to_string(),
            _ => self.label(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn month_edges() {
        let january = Period::containing(PeriodKind::Monthly, day("2026-01-31"));
        assert_eq!(
            (january.start, january.end),
            (day("2026-01-01"), day("2026-02-01"))
        );
        assert!(!january.contains(day("2026-02-01")));
        let february = Period::containing(PeriodKind::Monthly, day("2028-02-29"));
        assert_eq!(
            (february.start, february.end),
            (day("2028-02-01"), day("2028-03-01"))
        );
        assert_eq!(february.previous().key(), "2028-01");
    }

    #[test]
    fn iso_week_53_spans_the_new_year() {
        // 2026 starts on a Thursday, so it has an ISO week 53: Mon 28 Dec 2026 – Sun 3 Jan 2027.
        let week = Period::containing(PeriodKind::Weekly, day("2027-01-03"));
        assert_eq!(
            (week.start, week.end),
            (day("2026-12-28"), day("2027-01-04"))
        );
        assert_eq!(week.key(), "2026-W53");
        assert_eq!(
            Period::containing(PeriodKind::Weekly, day("2027-01-04")).key(),
            "2027-W01"
        );
    }

    #[test]
    fn labels_and_phrases() {
        let november = Period::containing(PeriodKind::Monthly, day("2026-11-25"));
        assert_eq!(november.label(), "November 2026");
        assert_eq!(november.phrase_in(2026), "November");
        assert_eq!(november.phrase_in(2027), "November 2026");
        let week = Period::containing(PeriodKind::Weekly, day("2026-11-25"));
        assert_eq!(week.label(), "week of 23 Nov 2026");
        assert_eq!(week.phrase_in(2026), "the week of 23 Nov");
        let week_53 = Period::containing(PeriodKind::Weekly, day("2027-01-02"));
        assert_eq!(week_53.phrase_in(2027), "the week of 28 Dec 2026");
        let year = Period::containing(PeriodKind::Yearly, day("2026-03-01"));
        assert_eq!(
            (year.label(), year.phrase_in(2026)),
            ("2026".into(), "2026".into())
        );
    }

    #[test]
    fn year_end() {
        let year = Period::containing(PeriodKind::Yearly, day("2026-12-31"));
        assert_eq!(
            (year.start, year.end, year.key().as_str()),
            (day("2026-01-01"), day("2027-01-01"), "2026")
        );
        assert_eq!(year.previous().key(), "2025");
    }
}
