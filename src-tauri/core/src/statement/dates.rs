//! Dates as banks write them: ISO, `31.12.2024`, `12/31/2024` or `31/12/2024`, two-digit
//! years, `12-Dec-2019`, `20261125`, with or without a time after them. Which order a file
//! uses is decided from all its dates: the orders every date fits survive.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The order of day, month and year in a file's dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum DateOrder {
    /// 2024-12-31, 2024/12/31, 20241231.
    YearMonthDay,
    /// 31.12.2024, 31/12/24, 31-Dec-2024.
    DayMonthYear,
    /// 12/31/2024, 12/31/24.
    MonthDayYear,
}

impl DateOrder {
    const ALL: [DateOrder; 3] = [
        DateOrder::YearMonthDay,
        DateOrder::DayMonthYear,
        DateOrder::MonthDayYear,
    ];

    /// How the order reads, for the review screen.
    pub fn example(self) -> &'static str {
        match self {
            DateOrder::YearMonthDay => "2026-12-31",
            DateOrder::DayMonthYear => "31.12.2026",
            DateOrder::MonthDayYear => "12/31/2026",
        }
    }
}

/// The orders still possible after the dates seen so far.
#[derive(Clone, Debug)]
pub struct DateOrders {
    possible: Vec<DateOrder>,
}

impl Default for DateOrders {
    fn default() -> Self {
        DateOrders {
            possible: DateOrder::ALL.to_vec(),
        }
    }
}

impl DateOrders {
    /// Drops the orders `cell` does not fit. A cell that fits none (a "Pending" in the date
    /// column) changes nothing.
    pub fn see(&mut self, cell: &str) {
        let fits: Vec<DateOrder> = self
            .possible
            .iter()
            .copied()
            .filter(|order| parse(cell, *order).is_some())
            .collect();
        if !fits.is_empty() {
            self.possible = fits;
        }
    }

    /// Whether day-first and month-first both still fit every date (all days 12 or less).
    pub fn ambiguous(&self) -> bool {
        self.possible.contains(&DateOrder::DayMonthYear)
            && self.possible.contains(&DateOrder::MonthDayYear)
    }

    /// The order to use: the only one left, else `month_first` decides between day-first and
    /// month-first (the user's habit: US dollars read month first).
    pub fn choose(&self, month_first: bool) -> DateOrder {
        if self.ambiguous() {
            return if month_first {
                DateOrder::MonthDayYear
            } else {
                DateOrder::DayMonthYear
            };
        }
        self.possible
            .first()
            .copied()
            .unwrap_or(DateOrder::YearMonthDay)
    }
}

/// A number or a month name, as found between separators.
#[derive(Clone, Copy)]
enum Part {
    Number { value: u32, digits: usize },
    Month(u32),
}

const MONTHS: [(&str, u32); 16] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("mär", 3),
    ("apr", 4),
    ("may", 5),
    ("mai", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("okt", 10),
    ("nov", 11),
    ("dec", 12),
    ("dez", 12),
];

/// The date part of a cell: what comes before a time (`T13:00:00`, ` 13:43:54.496`).
fn date_text(cell: &str) -> &str {
    let cell = cell.trim();
    let cut = cell.char_indices().find(|(i, c)| {
        let rest = &cell[i + c.len_utf8()..];
        let time_follows = rest.chars().take_while(char::is_ascii_digit).count() >= 1
            && rest
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with(':');
        (*c == 'T' || *c == ' ') && *i >= 6 && time_follows
    });
    cut.map_or(cell, |(i, _)| &cell[..i])
}

fn parts(cell: &str) -> Option<[Part; 3]> {
    let text = date_text(cell);
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let number = |range: std::ops::Range<usize>| Part::Number {
            value: text[range.clone()].parse().unwrap_or(0),
            digits: range.len(),
        };
        return Some([number(0..4), number(4..6), number(6..8)]);
    }
    let mut found = text
        .split(['.', '/', '-', ' ', '\''])
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.bytes().all(|b| b.is_ascii_digit()) && (1..=4).contains(&p.len()) {
                return p.parse().ok().map(|value| Part::Number {
                    value,
                    digits: p.len(),
                });
            }
            let lower = p.to_lowercase();
            MONTHS
                .iter()
                .find(|(name, _)| lower.starts_with(name) && lower.chars().count() <= 9)
                .map(|(_, month)| Part::Month(*month))
        });
    let parts = [found.next()??, found.next()??, found.next()??];
    found.next().is_none().then_some(parts)
}

fn year(part: Part) -> Option<i32> {
    match part {
        Part::Number { value, digits: 4 } => i32::try_from(value).ok(),
        // Two-digit years: 00–69 are this century, 70–99 the last.
        Part::Number { value, digits: 2 } => {
            let value = i32::try_from(value).ok()?;
            Some(if value < 70 {
                2000 + value
            } else {
                1900 + value
            })
        }
        _ => None,
    }
}

fn day_or_month(part: Part) -> Option<u32> {
    match part {
        Part::Number {
            value,
            digits: 1 | 2,
        } => Some(value),
        _ => None,
    }
}

fn month(part: Part) -> Option<u32> {
    match part {
        Part::Month(month) => Some(month),
        other => day_or_month(other),
    }
}

/// The date `cell` holds in `order`; `None` when it is no date in that order (31.02. is
/// none in any).
pub fn parse(cell: &str, order: DateOrder) -> Option<NaiveDate> {
    let [a, b, c] = parts(cell)?;
    let (y, m, d) = match order {
        DateOrder::YearMonthDay => (year(a)?, month(b)?, day_or_month(c)?),
        DateOrder::DayMonthYear => (year(c)?, month(b)?, day_or_month(a)?),
        DateOrder::MonthDayYear => (year(c)?, month(a)?, day_or_month(b)?),
    };
    // A year comes first only as four digits (2024-12-31): "03.04.18" is never 2003.
    let year_first = matches!(a, Part::Number { digits: 4, .. });
    if year_first != (order == DateOrder::YearMonthDay) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn bank_dates_read() {
        use DateOrder::*;
        assert_eq!(parse("31.12.2024", DayMonthYear), ymd(2024, 12, 31));
        assert_eq!(parse("03.04.18", DayMonthYear), ymd(2018, 4, 3));
        assert_eq!(parse("9/15/2025", MonthDayYear), ymd(2025, 9, 15));
        assert_eq!(parse("6/12/15", MonthDayYear), ymd(2015, 6, 12));
        assert_eq!(parse("12-Dec-2019", DayMonthYear), ymd(2019, 12, 12));
        assert_eq!(parse("2020-01-01T13:00:00", YearMonthDay), ymd(2020, 1, 1));
        assert_eq!(
            parse("24-08-2020 13:43:54.496", DayMonthYear),
            ymd(2020, 8, 24)
        );
        assert_eq!(parse("20261125", YearMonthDay), ymd(2026, 11, 25));
        assert_eq!(parse("2019.04.19.", YearMonthDay), ymd(2019, 4, 19));
        assert_eq!(parse("31.02.2026", DayMonthYear), None);
        assert_eq!(parse("Pending", DayMonthYear), None);
        assert_eq!(parse("2024-12-31", DayMonthYear), None);
        assert_eq!(parse("03.04.18", YearMonthDay), None);
    }

    #[test]
    fn the_order_is_decided_by_all_dates() {
        let mut orders = DateOrders::default();
        orders.see("10/11/2025");
        orders.see("10/6/2025");
        assert!(orders.ambiguous());
        assert_eq!(orders.choose(true), DateOrder::MonthDayYear);
        assert_eq!(orders.choose(false), DateOrder::DayMonthYear);
        orders.see("9/25/2025");
        assert!(!orders.ambiguous());
        assert_eq!(orders.choose(false), DateOrder::MonthDayYear);
        orders.see("Pending");
        assert_eq!(orders.choose(false), DateOrder::MonthDayYear);
    }
}
