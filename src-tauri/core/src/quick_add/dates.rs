//! Date phrases of a quick-add line, always relative to a given "today" so a line means the
//! same thing in a test as on the day it was typed.
//!
//! Past-leaning on purpose: people log what they already spent, so "friday", "on the 5th" and
//! "3 nov" are the most recent such day not after today.

use crate::error::{AppError, Result};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The furthest back a relative phrase may reach ("40000 days ago" is a typo, not a date).
const MAX_DAYS_BACK: u64 = 36_600;

/// The date phrase at the start of `words` (lower-case), if there is one: how many words it
/// spans and the day it means. An impossible date ("on 31 feb 2026") is an error.
pub(super) fn date_at(words: &[&str], today: NaiveDate) -> Result<Option<(usize, NaiveDate)>> {
    if words.first() == Some(&"on") {
        return Ok(after_on(&words[1..], today)?.map(|(len, date)| (len + 1, date)));
    }
    if let Some(found) = relative(words, today)? {
        return Ok(Some(found));
    }
    if let Some(day) = words.first().and_then(|w| weekday(w, false)) {
        return Ok(Some((1, most_recent_weekday(today, day, true))));
    }
    calendar(words, today, false)
}

/// What may follow "on": a weekday (abbreviations too), "last <weekday>", or a calendar date.
fn after_on(words: &[&str], today: NaiveDate) -> Result<Option<(usize, NaiveDate)>> {
    if let Some(day) = words.first().and_then(|w| weekday(w, true)) {
        return Ok(Some((1, most_recent_weekday(today, day, true))));
    }
    if words.first() == Some(&"last") {
        return Ok(last_weekday(words, today));
    }
    calendar(words, today, true)
}

/// "today", "yesterday", "the day before yesterday", "3 days ago", "a week ago", "last friday".
fn relative(words: &[&str], today: NaiveDate) -> Result<Option<(usize, NaiveDate)>> {
    let days = |n: u64| back(today, n);
    match words {
        ["today" | "tonight", ..] => return Ok(Some((1, today))),
        ["yesterday", ..] => return Ok(Some((1, days(1)?))),
        ["the", "day", "before", "yesterday", ..] => return Ok(Some((4, days(2)?))),
        ["day", "before", "yesterday", ..] => return Ok(Some((3, days(2)?))),
        ["last", ..] => return Ok(last_weekday(words, today)),
        _ => {}
    }
    let [count, unit, "ago", ..] = words else {
        return Ok(None);
    };
    let Some(count) = small_number(count) else {
        return Ok(None);
    };
    let months = match *unit {
        "day" | "days" => return Ok(Some((3, days(count)?))),
        "week" | "weeks" => return Ok(Some((3, days(count.saturating_mul(7))?))),
        "month" | "months" => count,
        "year" | "years" => count.saturating_mul(12),
        _ => return Ok(None),
    };
    let date = u32::try_from(months)
        .ok()
        .and_then(|n| today.checked_sub_months(Months::new(n)))
        .filter(|d| d.year() >= 1900)
        .ok_or_else(too_far_back)?;
    Ok(Some((3, date)))
}

/// "last friday": the most recent Friday before today (a week ago when today is a Friday).
fn last_weekday(words: &[&str], today: NaiveDate) -> Option<(usize, NaiveDate)> {
    let day = words.get(1).and_then(|w| weekday(w, true))?;
    Some((2, most_recent_weekday(today, day, false)))
}

/// Calendar dates: "2026-11-03", "the 5th", "3 nov", "3rd of november 2025", "nov 3", and a
/// lone ordinal ("5th") when `lone_ordinal` (after "on"); a lone "5" is never a date.
fn calendar(
    words: &[&str],
    today: NaiveDate,
    lone_ordinal: bool,
) -> Result<Option<(usize, NaiveDate)>> {
    let Some(first) = words.first() else {
        return Ok(None);
    };
    if first.contains('-') {
        return Ok(iso(first)?.map(|date| (1, date)));
    }
    if *first == "the" {
        let Some((day, _)) = words.get(1).and_then(|w| day_number(w)) else {
            return Ok(None);
        };
        let (len, date) = match month_year(&words[2..], day, today)? {
            Some(found) => found,
            None => (0, most_recent_day_of_month(today, day)?),
        };
        return Ok(Some((len + 2, date)));
    }
    if let Some((day, ordinal)) = day_number(first) {
        return Ok(match month_year(&words[1..], day, today)? {
            Some((len, date)) => Some((len + 1, date)),
            None if ordinal && lone_ordinal => Some((1, most_recent_day_of_month(today, day)?)),
            None => None,
        });
    }
    if let Some(month) = month_number(first) {
        if let Some((day, _)) = words.get(1).and_then(|w| day_number(w)) {
            let (year_len, year) = year_at(&words[2..]);
            let date = dated(day, month, year, today)?;
            return Ok(Some((2 + year_len, date)));
        }
    }
    Ok(None)
}

/// After a day number: an optional "of", a month and an optional year.
fn month_year(words: &[&str], day: u32, today: NaiveDate) -> Result<Option<(usize, NaiveDate)>> {
    let of = usize::from(words.first() == Some(&"of"));
    let Some(month) = words.get(of).and_then(|w| month_number(w)) else {
        return Ok(None);
    };
    let (year_len, year) = year_at(&words[of + 1..]);
    Ok(Some((of + 1 + year_len, dated(day, month, year, today)?)))
}

/// A four-digit year 1900–2999 at the start of `words`.
fn year_at(words: &[&str]) -> (usize, Option<i32>) {
    match words.first() {
        Some(w) if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) => {
            match w.parse::<i32>() {
                Ok(year) if (1900..=2999).contains(&year) => (1, Some(year)),
                _ => (0, None),
            }
        }
        _ => (0, None),
    }
}

/// Day and month with a year, or else the most recent such date not after today.
fn dated(day: u32, month: u32, year: Option<i32>, today: NaiveDate) -> Result<NaiveDate> {
    let no_such_day = || AppError::invalid("date", "That date does not exist.");
    match year {
        Some(year) => NaiveDate::from_ymd_opt(year, month, day).ok_or_else(no_such_day),
        // Eight years back covers 29 February.
        None => (0..=8)
            .filter_map(|back| NaiveDate::from_ymd_opt(today.year() - back, month, day))
            .find(|date| *date <= today)
            .ok_or_else(no_such_day),
    }
}

/// "2026-11-03", checked like the expense form checks it.
fn iso(word: &str) -> Result<Option<NaiveDate>> {
    let shaped = word.len() == 10
        && word.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Ok(None);
    }
    crate::expenses::parse_date(word, "date").map(Some)
}

/// The most recent `day` of a month, not after today; months too short for it are skipped.
fn most_recent_day_of_month(today: NaiveDate, day: u32) -> Result<NaiveDate> {
    (0..12)
        .filter_map(|back| today.checked_sub_months(Months::new(back)))
        .filter_map(|month| month.with_day(day))
        .find(|date| *date <= today)
        .ok_or_else(|| AppError::invalid("date", "That date does not exist."))
}

/// The most recent `day` of the week: today counts when `include_today`.
fn most_recent_weekday(today: NaiveDate, day: Weekday, include_today: bool) -> NaiveDate {
    let behind = (today.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    let behind = if behind == 0 && !include_today {
        7
    } else {
        behind
    };
    today - Days::new(u64::from(behind))
}

fn back(today: NaiveDate, days: u64) -> Result<NaiveDate> {
    if days > MAX_DAYS_BACK {
        return Err(too_far_back());
    }
    today
        .checked_sub_days(Days::new(days))
        .ok_or_else(too_far_back)
}

fn too_far_back() -> AppError {
    AppError::invalid("date", "That date is too far back.")
}

/// "3", "a", "an", "one" … "ten": how many units "ago".
fn small_number(word: &str) -> Option<u64> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match word {
        "a" | "an" => Some(1),
        w if w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 6 => w.parse().ok(),
        w => WORDS.iter().position(|n| *n == w).map(|i| i as u64 + 1),
    }
}

/// 1–31 as "5" or "5th"/"1st"/"22nd", and whether it was an ordinal.
fn day_number(word: &str) -> Option<(u32, bool)> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ordinal = match suffix {
        "" => false,
        "st" | "nd" | "rd" | "th" => true,
        _ => return None,
    };
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some((day, ordinal))
}

/// A month's number from its English name or abbreviation.
pub(crate) fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [(&str, &str); 12] = [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may", "may"),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ];
    MONTHS
        .iter()
        .position(|(name, short)| {
            word == *name || word == *short || (*short == "sep" && word == "sept")
        })
        .map(|i| i as u32 + 1)
}

/// A weekday from its English name; abbreviations ("fri") only when `short` is allowed, since
/// a bare "sun" or "sat" is more often part of a description.
fn weekday(word: &str, short: bool) -> Option<Weekday> {
    const DAYS: [(&str, &[&str], Weekday); 7] = [
        ("monday", &["mon"], Weekday::Mon),
        ("tuesday", &["tue", "tues"], Weekday::Tue),
        ("wednesday", &["wed"], Weekday::Wed),
        ("thursday", &["thu", "thur", "thurs"], Weekday::Thu),
        ("friday", &["fri"], Weekday::Fri),
        ("saturday", &["sat"], Weekday::Sat),
        ("sunday", &["sun"], Weekday::Sun),
    ];
    DAYS.iter()
        .find(|(name, shorts, _)| word == *name || (short && shorts.contains(&word)))
        .map(|(_, _, day)| *day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(words: &str, today: &str) -> Option<String> {
        let words: Vec<&str> = words.split(' ').collect();
        date_at(&words, today.parse().unwrap())
            .unwrap()
            .map(|(_, d)| d.to_string())
    }

    #[test]
    fn last_weekday_is_before_today_and_weekday_may_be_today() {
        // 2026-11-27 is a Friday.
        assert_eq!(
            date("last friday", "2026-11-27").as_deref(),
            Some("2026-11-20")
        );
        assert_eq!(date("friday", "2026-11-27").as_deref(), Some("2026-11-27"));
        assert_eq!(date("on fri", "2026-11-27").as_deref(), Some("2026-11-27"));
        assert_eq!(
            date("fri", "2026-11-27"),
            None,
            "a bare abbreviation is a word"
        );
    }

    #[test]
    fn days_of_the_month_skip_months_too_short() {
        assert_eq!(
            date("on the 31st", "2026-03-15").as_deref(),
            Some("2026-01-31")
        );
        assert_eq!(
            date("on the 30th", "2026-03-15").as_deref(),
            Some("2026-01-30")
        );
        assert_eq!(
            date("the 29th", "2028-03-01").as_deref(),
            Some("2028-02-29")
        );
        assert_eq!(date("the 1st", "2026-01-01").as_deref(), Some("2026-01-01"));
    }

    #[test]
    fn months_back_clamp_to_the_month_end() {
        assert_eq!(
            date("a month ago", "2026-03-31").as_deref(),
            Some("2026-02-28")
        );
        assert_eq!(
            date("1 year ago", "2028-02-29").as_deref(),
            Some("2027-02-28")
        );
        let far = date_at(&["200", "years", "ago"], "2026-11-25".parse().unwrap());
        assert_eq!(far.unwrap_err().field(), Some("date"));
    }

    #[test]
    fn new_year_looks_back_into_last_year() {
        assert_eq!(date("30 dec", "2027-01-02").as_deref(), Some("2026-12-30"));
        assert_eq!(
            date("on 2 jan", "2027-01-02").as_deref(),
            Some("2027-01-02")
        );
        assert_eq!(
            date("yesterday", "2027-01-01").as_deref(),
            Some("2026-12-31")
        );
    }
}
