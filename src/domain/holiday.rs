//! Holidays as people write them: a date (`2026-12-24`), a yearly date
//! (`12-25`), a weekday rule (`4th thu nov`, `last mon may`) or a day
//! counted from Easter (`easter-2`), any of them ending in `observed`.
//! Read once into typed values; asked for a date about a million times a
//! run, so `Holidays::contains` allocates nothing.
//!
//! `observed` follows US federal practice (5 U.S.C. § 6103(b)): a Saturday
//! holiday is observed on the Friday before, a Sunday one on the Monday
//! after. `observed monday` follows the states (Rhode Island, for one) that
//! move a weekend holiday to the Monday after. Read fail-safe (fewer
//! calls): the day itself stays a holiday beside its observed day.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The forms a holiday may take, for messages.
const FORMS: &str = "write a date (\"2026-12-24\"), a yearly date (\"12-25\"), a weekday rule \
                     (\"4th thu nov\", \"last mon may\") or a day counted from Easter \
                     (\"easter-2\"), optionally followed by \"observed\" or \"observed monday\"";

/// Days from Easter a rule may count: Easter falls from March 22 to April
/// 25, so the day counted stays inside the year.
const EASTER_REACH: i64 = 80;

/// One holiday entry, as written and as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    text: String,
    /// What people call it ("Memorial Day"), when the list says.
    name: Option<String>,
    day: Day,
    observed: Observed,
}

/// Which day of a year the holiday is, before any observed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    /// One date, once.
    Date(NaiveDate),
    /// The same month and day every year.
    Yearly { month: u32, day: u32 },
    /// The nth (1 to 5) or last weekday of a month, every year.
    Nth {
        nth: Nth,
        weekday: Weekday,
        month: u32,
    },
    /// Easter Sunday plus (or minus) a number of days, every year.
    Easter { offset: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nth {
    Ordinal(u32),
    Last,
}

/// Which weekday a weekend holiday is also observed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Observed {
    No,
    /// Saturday: the Friday before; Sunday: the Monday after.
    Federal,
    /// Saturday or Sunday: the Monday after.
    Monday,
}

impl Holiday {
    /// Reads one entry; Err is a message that says what is wrong and shows
    /// the accepted forms.
    pub fn parse(text: &str) -> Result<Holiday, String> {
        let written = text.trim();
        let lower = written.to_lowercase();
        let mut words: Vec<&str> = lower.split_whitespace().collect();
        let observed = match words.as_slice() {
            [.., "observed", "monday"] => {
                words.truncate(words.len() - 2);
                Observed::Monday
            }
            [.., "observed"] => {
                words.truncate(words.len() - 1);
                Observed::Federal
            }
            _ => Observed::No,
        };
        if words.is_empty() {
            return Err(format!("a holiday is empty: {FORMS}"));
        }
        let day = read_day(&words).map_err(|why| format!("holiday {written:?} {why}: {FORMS}"))?;
        Ok(Holiday {
            text: written.to_owned(),
            name: None,
            day,
            observed,
        })
    }

    /// The same holiday, called `name` ("Memorial Day") in messages.
    pub fn named(self, name: &str) -> Holiday {
        let name = name.trim();
        Holiday {
            name: (!name.is_empty()).then(|| name.to_owned()),
            ..self
        }
    }

    /// The entry as it was written (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What people call it, when the list says.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether both entries put a holiday on the same days, however they
    /// are written or named ("12-25 observed" and "12-25  Observed").
    pub fn same_days(&self, other: &Holiday) -> bool {
        (self.day, self.observed) == (other.day, other.observed)
    }

    /// Whether `date` is this holiday (or its observed day).
    pub fn falls_on(&self, date: NaiveDate) -> bool {
        self.falls_on_probe(&mut Probe::new(date))
    }

    /// `falls_on` for a date already taken apart, so that a list asks each
    /// of its entries without taking the date apart again.
    #[inline]
    fn falls_on_probe(&self, probe: &mut Probe) -> bool {
        let at = probe.at;
        if self.day.is(&at, &mut probe.easter) {
            return true;
        }
        match (self.observed, at.weekday) {
            (Observed::No, _) => false,
            (Observed::Federal, Weekday::Fri) => probe
                .after()
                .is_some_and(|sat| self.day.is(&sat, &mut probe.easter)),
            (Observed::Federal, Weekday::Mon) => probe
                .before(1)
                .is_some_and(|sun| self.day.is(&sun, &mut probe.easter)),
            (Observed::Monday, Weekday::Mon) => {
                probe
                    .before(1)
                    .is_some_and(|sun| self.day.is(&sun, &mut probe.easter))
                    || probe
                        .before(2)
                        .is_some_and(|sat| self.day.is(&sat, &mut probe.easter))
            }
            _ => false,
        }
    }

    /// The entry in short words a manager reads: "last Mon of May",
    /// "Dec 25, observed", "Good Friday (2 days before Easter)".
    pub fn words(&self) -> String {
        let day = match self.day {
            Day::Date(date) => date.format("%Y-%m-%d").to_string(),
            Day::Yearly { month, day } => format!("{} {day}", &month_name(month)[..3]),
            Day::Nth {
                nth,
                weekday,
                month,
            } => {
                let nth = match nth {
                    Nth::Ordinal(n) => ordinal(n),
                    Nth::Last => "last",
                };
                format!(
                    "{nth} {} of {}",
                    &weekday_name(weekday)[..3],
                    &month_name(month)[..3]
                )
            }
            Day::Easter { offset: 0 } => "Easter".to_owned(),
            Day::Easter { offset: -1 } => "the day before Easter".to_owned(),
            Day::Easter { offset: 1 } => "the day after Easter".to_owned(),
            Day::Easter { offset } if offset < 0 => {
                format!("{} days before Easter", offset.unsigned_abs())
            }
            Day::Easter { offset } => format!("{offset} days after Easter"),
        };
        let day = match self.observed {
            Observed::No => day,
            Observed::Federal => format!("{day}, observed"),
            Observed::Monday => format!("{day}, observed Mon"),
        };
        match &self.name {
            Some(name) => format!("{name} ({day})"),
            None => day,
        }
    }

    /// The months this entry's days may fall in, one bit per month (bit 0
    /// January): its own month, and the month before or after when an
    /// observed day may cross into it (a Saturday the 1st is observed on
    /// the last day of the month before; a weekend at a month's end, as
    /// early as Saturday February 27, on the Monday of the next).
    fn months(&self) -> u16 {
        let (own, first, last) = match self.day {
            Day::Date(date) => (1 << date.month0(), date.day() == 1, date.day() >= 27),
            Day::Yearly { month, day } => (1 << (month - 1), day == 1, day >= 27),
            Day::Nth { nth, month, .. } => (
                1 << (month - 1),
                nth == Nth::Ordinal(1),
                matches!(nth, Nth::Ordinal(4 | 5) | Nth::Last),
            ),
            // Easter falls from March 22 to April 25: days 81 to 116 of a
            // year, leap or not; an observed day is at most 2 days away.
            Day::Easter { offset } => {
                let months = (81 + offset - 2..=116 + offset + 2)
                    .filter_map(|day| u32::try_from(day).ok())
                    .filter_map(|day| NaiveDate::from_yo_opt(2000, day))
                    .fold(0, |months, date| months | 1 << date.month0());
                return months;
            }
        };
        let before = if own == 1 { 1 << 11 } else { own >> 1 };
        let after = if own == 1 << 11 { 1 } else { own << 1 };
        match self.observed {
            Observed::No => own,
            Observed::Federal => {
                own | if first { before } else { 0 } | if last { after } else { 0 }
            }
            Observed::Monday => own | if last { after } else { 0 },
        }
    }

    /// Every date this entry puts a holiday on, when it is a single date:
    /// the date and its observed day. `None` for a recurring entry.
    fn fixed_dates(&self) -> Option<Vec<NaiveDate>> {
        let Day::Date(date) = self.day else {
            return None;
        };
        let mut dates = vec![date];
        match (self.observed, date.weekday()) {
            (Observed::Federal, Weekday::Sat) => dates.extend(date.pred_opt()),
            (Observed::Federal, Weekday::Sun) => dates.extend(date.succ_opt()),
            (Observed::Monday, Weekday::Sat) => dates.extend(date.checked_add_days(Days::new(2))),
            (Observed::Monday, Weekday::Sun) => dates.extend(date.succ_opt()),
            _ => {}
        }
        Some(dates)
    }
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Day {
    /// Whether the date `at` is this day itself (not an observed day).
    #[inline]
    fn is(self, at: &Parts, easter: &mut EasterCache) -> bool {
        match self {
            Day::Date(d) => d == at.date,
            Day::Yearly { month, day } => at.month == month && at.day == day,
            Day::Nth {
                nth,
                weekday,
                month,
            } => {
                at.month == month
                    && at.weekday == weekday
                    && match nth {
                        Nth::Ordinal(n) => (at.day - 1) / 7 + 1 == n,
                        Nth::Last => at.in_last_week,
                    }
            }
            // Easter plus the offset stays within the year (EASTER_REACH),
            // so only this year's Easter can land on the date.
            Day::Easter { offset } => easter
                .ordinal(at.year)
                .is_some_and(|e| i64::from(at.ordinal) - i64::from(e) == offset),
        }
    }
}

/// A date taken apart once: what every entry asks about it.
#[derive(Debug, Clone, Copy)]
struct Parts {
    date: NaiveDate,
    year: i32,
    month: u32,
    day: u32,
    weekday: Weekday,
    /// Day of the year, 1 to 366.
    ordinal: u32,
    /// No later day of the month has the same weekday.
    in_last_week: bool,
}

impl Parts {
    #[inline]
    fn of(date: NaiveDate) -> Parts {
        let (year, month, day) = (date.year(), date.month(), date.day());
        Parts {
            date,
            year,
            month,
            day,
            weekday: date.weekday(),
            ordinal: date.ordinal(),
            in_last_week: day + 7 > days_in_month(year, month),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The date asked about, and the days before and after it that an
/// observed holiday may come from, each taken apart when first needed.
#[derive(Debug)]
struct Probe {
    at: Parts,
    after: Option<Option<Parts>>,
    before: [Option<Option<Parts>>; 2],
    easter: EasterCache,
}

impl Probe {
    #[inline]
    fn new(date: NaiveDate) -> Probe {
        Probe {
            at: Parts::of(date),
            after: None,
            before: [None, None],
            easter: EasterCache::default(),
        }
    }

    fn after(&mut self) -> Option<Parts> {
        let date = self.at.date;
        *self
            .after
            .get_or_insert_with(|| date.succ_opt().map(Parts::of))
    }

    /// The date `days` (1 or 2) before.
    fn before(&mut self, days: u64) -> Option<Parts> {
        let date = self.at.date;
        let slot = if days == 1 { 0 } else { 1 };
        *self.before[slot]
            .get_or_insert_with(|| date.checked_sub_days(Days::new(days)).map(Parts::of))
    }
}

/// Easter's day of the year for the last year asked.
#[derive(Debug, Default)]
struct EasterCache {
    year: Option<(i32, Option<u32>)>,
}

impl EasterCache {
    fn ordinal(&mut self, year: i32) -> Option<u32> {
        match self.year {
            Some((y, ordinal)) if y == year => ordinal,
            _ => {
                let ordinal = easter(year).map(|e| e.ordinal());
                self.year = Some((year, ordinal));
                ordinal
            }
        }
    }
}

/// Reads the entry without its `observed` words.
fn read_day(words: &[&str]) -> Result<Day, String> {
    match words {
        [one] if one.starts_with("easter") => read_easter(one),
        [one] => read_date(one),
        [first, rest @ ..] if first.starts_with("easter") => {
            read_easter(&format!("{first}{}", rest.concat()))
        }
        [nth, weekday, month] => {
            let nth = read_nth(nth).ok_or_else(|| {
                format!("has {nth:?} where an ordinal belongs (1st, 2nd, 3rd, 4th, 5th or last)")
            })?;
            let weekday = read_weekday(weekday)
                .ok_or_else(|| format!("has {weekday:?} where a weekday belongs (mon .. sun)"))?;
            let month = read_month(month)
                .ok_or_else(|| format!("has {month:?} where a month belongs (jan .. dec)"))?;
            Ok(Day::Nth {
                nth,
                weekday,
                month,
            })
        }
        _ => Err("is not a holiday callqueue reads".to_owned()),
    }
}

/// `YYYY-MM-DD` or `MM-DD`.
fn read_date(word: &str) -> Result<Day, String> {
    let parts: Vec<&str> = word.split('-').collect();
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            let (Some(y), Some(m), Some(d)) = (number(y), number(m), number(d)) else {
                return Err("is not a date".to_owned());
            };
            let year = i32::try_from(y).map_err(|_| "is not a date".to_owned())?;
            NaiveDate::from_ymd_opt(year, m, d)
                .map(Day::Date)
                .ok_or_else(|| "names a day that does not exist".to_owned())
        }
        [m, d] if m.len() == 2 && d.len() == 2 => {
            let (Some(month), Some(day)) = (number(m), number(d)) else {
                return Err("is not a month and day".to_owned());
            };
            if !(1..=12).contains(&month) {
                return Err(format!("has month {month}, not 01 to 12"));
            }
            // A leap year, so that 02-29 is a day (it falls in leap years only).
            if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
                return Err("names a day that does not exist".to_owned());
            }
            Ok(Day::Yearly { month, day })
        }
        _ => Err("is not a date, a yearly date or a rule".to_owned()),
    }
}

/// `easter`, `easter+1`, `easter-47`.
fn read_easter(word: &str) -> Result<Day, String> {
    let rest = word.trim_start_matches("easter");
    if rest.is_empty() {
        return Ok(Day::Easter { offset: 0 });
    }
    let (sign, digits) = if let Some(digits) = rest.strip_prefix('+') {
        (1, digits)
    } else if let Some(digits) = rest.strip_prefix('-') {
        (-1, digits)
    } else {
        return Err("counts from Easter without a + or - (write \"easter-2\")".to_owned());
    };
    let days: i64 = digits
        .parse()
        .ok()
        .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("has {digits:?} where a number of days belongs"))?;
    if days > EASTER_REACH {
        return Err(format!("counts more than {EASTER_REACH} days from Easter"));
    }
    Ok(Day::Easter {
        offset: sign * days,
    })
}

fn read_nth(word: &str) -> Option<Nth> {
    Some(match word {
        "1st" | "first" => Nth::Ordinal(1),
        "2nd" | "second" => Nth::Ordinal(2),
        "3rd" | "third" => Nth::Ordinal(3),
        "4th" | "fourth" => Nth::Ordinal(4),
        "5th" | "fifth" => Nth::Ordinal(5),
        "last" => Nth::Last,
        _ => return None,
    })
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// `mon` .. `sun`, or the full name, in any case.
pub fn read_weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS.into_iter().find(|&d| {
        let name = weekday_name(d);
        name.eq_ignore_ascii_case(word) || name[..3].eq_ignore_ascii_case(word)
    })
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `jan` .. `dec`, or the full name, in any case: the month's number.
fn read_month(word: &str) -> Option<u32> {
    (1..=12u32).find(|&m| {
        let name = month_name(m);
        name.eq_ignore_ascii_case(word) || name[..3].eq_ignore_ascii_case(word)
    })
}

/// `January` for 1.
fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

/// `Monday` for Monday.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn ordinal(n: u32) -> &'static str {
    match n {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        4 => "4th",
        _ => "5th",
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (the anonymous
/// Gregorian algorithm, also called Meeus/Jones/Butcher).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// A list of holidays, asked whether a date is one.
///
/// Single dates (and their observed days) are kept sorted for a binary
/// search. Recurring entries carry the months they may fall in: only those
/// of the date's month are asked, each about the date taken apart once
/// (its month, day and weekday). Nothing is allocated per question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    /// Every entry, in the order given.
    list: Vec<Holiday>,
    /// The dates of single-date entries, with the entry's index in `list`,
    /// sorted by date then index.
    fixed: Vec<(NaiveDate, usize)>,
    /// The recurring entries: the months they (or their observed days) may
    /// fall in, one bit per month, and their index in `list`.
    rules: Vec<(u16, usize)>,
}

impl Holidays {
    pub fn new(list: Vec<Holiday>) -> Holidays {
        let mut holidays = Holidays::default();
        for h in list {
            holidays.push(h);
        }
        holidays
    }

    pub fn push(&mut self, h: Holiday) {
        let index = self.list.len();
        match h.fixed_dates() {
            Some(dates) => {
                for date in dates {
                    let at = self.fixed.partition_point(|&e| e < (date, index));
                    self.fixed.insert(at, (date, index));
                }
            }
            None => self.rules.push((h.months(), index)),
        }
        self.list.push(h);
    }

    /// Adds every entry of `other`, after this list's own.
    pub fn extend(&mut self, other: &Holidays) {
        for h in &other.list {
            self.push(h.clone());
        }
    }

    /// Adds the entries of `other` that put a holiday on days no entry of
    /// this list already does (`Holiday::same_days`): the union of both
    /// lists, each holiday once.
    pub fn union(&mut self, other: &Holidays) {
        for h in &other.list {
            if !self.list.iter().any(|mine| mine.same_days(h)) {
                self.push(h.clone());
            }
        }
    }

    /// The holiday `date` is, if any (the first in the list's order).
    pub fn on(&self, date: NaiveDate) -> Option<&Holiday> {
        let fixed = self
            .fixed
            .get(self.fixed.partition_point(|&(d, _)| d < date))
            .filter(|&&(d, _)| d == date)
            .map(|&(_, i)| i);
        let rule = self
            .rules
            .iter()
            .map(|&(_, i)| i)
            .find(|&i| self.list.get(i).is_some_and(|h| h.falls_on(date)));
        let first = match (fixed, rule) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        self.list.get(first)
    }

    /// Whether `date` is a holiday: a binary search among the dates, then
    /// the recurring entries that may fall in the date's month, each asked
    /// about the date taken apart once (month, day, weekday). No
    /// allocation.
    #[inline]
    pub fn contains(&self, date: NaiveDate) -> bool {
        if self.fixed.binary_search_by(|&(d, _)| d.cmp(&date)).is_ok() {
            return true;
        }
        let month = 1u16 << date.month0();
        let mut probe: Option<Probe> = None;
        for &(months, i) in &self.rules {
            if months & month == 0 {
                continue;
            }
            let probe = probe.get_or_insert_with(|| Probe::new(date));
            if self.list.get(i).is_some_and(|h| h.falls_on_probe(probe)) {
                return true;
            }
        }
        false
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Holiday> {
        self.list.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn h(s: &str) -> Holiday {
        Holiday::parse(s).unwrap()
    }

    /// The dates in `from..=to` the entry falls on.
    fn days(entry: &str, from: &str, to: &str) -> Vec<String> {
        let h = h(entry);
        d(from)
            .iter_days()
            .take_while(|&x| x <= d(to))
            .filter(|&x| h.falls_on(x))
            .map(|x| x.to_string())
            .collect()
    }

    #[test]
    fn thanksgiving_is_the_fourth_thursday_of_november() {
        assert_eq!(
            days("4th thu nov", "2026-11-01", "2026-11-30"),
            ["2026-11-26"]
        );
        assert_eq!(
            days("4th thu nov", "2027-11-01", "2027-11-30"),
            ["2027-11-25"]
        );
        let t = h("4th thu nov");
        assert!(!t.falls_on(d("2026-11-25")) && !t.falls_on(d("2026-11-27")));
        assert!(!t.falls_on(d("2026-11-19")) && !t.falls_on(d("2026-12-03")));
    }

    #[test]
    fn memorial_day_is_the_last_monday_of_may() {
        assert_eq!(
            days("last mon may", "2026-01-01", "2026-12-31"),
            ["2026-05-25"]
        );
        // May 2027 has five Mondays: the last is the 31st, not the 24th.
        assert_eq!(
            days("last mon may", "2027-05-01", "2027-06-30"),
            ["2027-05-31"]
        );
    }

    #[test]
    fn labor_day_is_the_first_monday_of_september() {
        assert_eq!(
            days("1st mon sep", "2026-08-25", "2026-09-30"),
            ["2026-09-07"]
        );
        // September 1 itself can be the first Monday (2025).
        assert_eq!(
            days("1st mon sep", "2025-08-25", "2025-09-30"),
            ["2025-09-01"]
        );
        assert_eq!(
            days("2nd mon oct", "2026-10-01", "2026-10-31"),
            ["2026-10-12"]
        );
        assert_eq!(
            days("3rd mon jan", "2027-01-01", "2027-01-31"),
            ["2027-01-18"]
        );
    }

    #[test]
    fn a_fifth_weekday_falls_only_in_months_that_have_one() {
        // February 2026 has four Fridays (6, 13, 20, 27); October 2026 has five.
        assert!(days("5th fri feb", "2026-02-01", "2026-02-28").is_empty());
        assert_eq!(
            days("5th fri oct", "2026-10-01", "2026-10-31"),
            ["2026-10-30"]
        );
        // February 2036 (a leap year starting on a Friday) has a fifth Friday.
        assert_eq!(
            days("5th fri feb", "2036-02-01", "2036-02-29"),
            ["2036-02-29"]
        );
    }

    #[test]
    fn a_saturday_holiday_is_observed_the_friday_before() {
        // July 4 2026 is a Saturday.
        assert_eq!(
            days("07-04 observed", "2026-07-01", "2026-07-08"),
            ["2026-07-03", "2026-07-04"]
        );
        // Christmas 2027 is a Saturday.
        assert_eq!(
            days("12-25 observed", "2027-12-20", "2027-12-31"),
            ["2027-12-24", "2027-12-25"]
        );
        // Without `observed`, only the day itself.
        assert_eq!(days("07-04", "2026-07-01", "2026-07-08"), ["2026-07-04"]);
    }

    #[test]
    fn new_year_on_a_saturday_is_observed_in_the_year_before() {
        // January 1 2028 is a Saturday: observed Friday December 31 2027.
        assert_eq!(
            days("01-01 observed", "2027-12-29", "2028-01-04"),
            ["2027-12-31", "2028-01-01"]
        );
        assert_eq!(
            days("2028-01-01 observed", "2027-12-29", "2028-01-04"),
            ["2027-12-31", "2028-01-01"]
        );
        let hs = Holidays::new(vec![h("2028-01-01 observed")]);
        assert!(hs.contains(d("2027-12-31")) && hs.contains(d("2028-01-01")));
        assert!(!hs.contains(d("2027-12-30")) && !hs.contains(d("2028-01-03")));
    }

    #[test]
    fn a_sunday_holiday_is_observed_the_monday_after() {
        // July 4 2027 and Christmas 2022 are Sundays.
        assert_eq!(
            days("07-04 observed", "2027-07-01", "2027-07-08"),
            ["2027-07-04", "2027-07-05"]
        );
        assert_eq!(
            days("12-25 observed", "2022-12-22", "2022-12-28"),
            ["2022-12-25", "2022-12-26"]
        );
        // A weekday holiday has no other day.
        assert_eq!(
            days("12-25 observed", "2026-12-20", "2026-12-31"),
            ["2026-12-25"]
        );
    }

    #[test]
    fn observed_monday_moves_either_weekend_day_to_the_monday_after() {
        // July 4 2026 is a Saturday: Monday July 6, not Friday July 3.
        assert_eq!(
            days("07-04 observed monday", "2026-07-01", "2026-07-08"),
            ["2026-07-04", "2026-07-06"]
        );
        assert_eq!(
            days("07-04 observed monday", "2027-07-01", "2027-07-08"),
            ["2027-07-04", "2027-07-05"]
        );
        // December 31 2022 is a Saturday: Monday January 2 2023.
        assert_eq!(
            days("12-31 observed monday", "2022-12-28", "2023-01-04"),
            ["2022-12-31", "2023-01-02"]
        );
    }

    #[test]
    fn easter_rules_count_days_from_easter_sunday() {
        assert_eq!(easter(2026), Some(d("2026-04-05")));
        assert_eq!(easter(2027), Some(d("2027-03-28")));
        assert_eq!(easter(2028), Some(d("2028-04-16")));
        assert_eq!(easter(2038), Some(d("2038-04-25")));
        assert_eq!(easter(2285), Some(d("2285-03-22")));
        assert_eq!(days("easter-2", "2027-01-01", "2027-12-31"), ["2027-03-26"]);
        // Mardi Gras 2028 is February 29, a leap day.
        assert_eq!(
            days("easter - 47", "2028-01-01", "2028-12-31"),
            ["2028-02-29"]
        );
        assert_eq!(days("Easter+1", "2026-01-01", "2026-12-31"), ["2026-04-06"]);
        assert_eq!(days("easter", "2026-01-01", "2026-12-31"), ["2026-04-05"]);
    }

    #[test]
    fn entries_read_in_any_case_with_extra_spaces_and_full_names() {
        for text in ["4th thu nov", " 4TH  Thursday  November ", "fourth thu nov"] {
            assert!(h(text).falls_on(d("2026-11-26")), "{text}");
        }
        assert_eq!(h("  Last Mon May  ").text(), "Last Mon May");
        assert!(h("12-25 OBSERVED").falls_on(d("2027-12-24")));
        assert!(h("2026-12-24").falls_on(d("2026-12-24")));
        assert!(!h("2026-12-24").falls_on(d("2027-12-24")));
        assert!(h("02-29").falls_on(d("2028-02-29")));
    }

    #[test]
    fn bad_entries_say_what_is_wrong_and_show_the_forms() {
        for (text, why) in [
            ("", "empty"),
            ("   ", "empty"),
            ("13-01", "month 13"),
            ("12-32", "does not exist"),
            ("02-30", "does not exist"),
            ("2026-02-30", "does not exist"),
            ("2026-2-3", "is not a"),
            ("5th xyz nov", "\"xyz\" where a weekday belongs"),
            ("6th mon nov", "\"6th\" where an ordinal"),
            ("4th thu novembre", "\"novembre\" where a month"),
            ("thanksgiving", "is not a"),
            ("observed", "empty"),
            ("easter*2", "without a + or -"),
            ("easter-x", "where a number of days"),
            ("easter+100", "more than 80 days"),
            ("4th thu nov observed tuesday", "is not a holiday"),
        ] {
            let e = Holiday::parse(text).unwrap_err();
            assert!(e.contains(why), "{text:?}: {e}");
            assert!(
                e.contains("\"4th thu nov\"") && e.contains("observed"),
                "{text:?}: {e}"
            );
        }
    }

    #[test]
    fn holidays_answer_from_fixed_dates_and_rules() {
        let hs = Holidays::new(vec![
            h("2026-12-24"),
            h("12-25 observed"),
            h("4th thu nov"),
            h("2026-11-26"),
        ]);
        assert_eq!(hs.len(), 4);
        assert!(!hs.is_empty());
        assert!(hs.contains(d("2026-12-24")) && hs.contains(d("2026-12-25")));
        assert!(hs.contains(d("2027-12-24")), "Christmas 2027 observed");
        assert!(!hs.contains(d("2026-12-23")) && !hs.contains(d("2026-12-26")));
        // The first entry in the list's order answers `on`.
        assert_eq!(
            hs.on(d("2026-11-26")).map(Holiday::text),
            Some("4th thu nov")
        );
        assert_eq!(
            hs.on(d("2026-12-24")).map(Holiday::text),
            Some("2026-12-24")
        );
        assert_eq!(
            hs.on(d("2027-12-24")).map(Holiday::text),
            Some("12-25 observed")
        );
        assert_eq!(hs.on(d("2026-12-26")), None);
        let texts: Vec<&str> = hs.iter().map(Holiday::text).collect();
        assert_eq!(
            texts,
            ["2026-12-24", "12-25 observed", "4th thu nov", "2026-11-26"]
        );
    }

    #[test]
    fn extend_keeps_both_lists_in_order() {
        let mut a = Holidays::new(vec![h("2026-11-26")]);
        let b = Holidays::new(vec![h("4th thu nov"), h("2026-12-24")]);
        a.extend(&b);
        assert_eq!(a.len(), 3);
        assert_eq!(a.on(d("2026-11-26")).map(Holiday::text), Some("2026-11-26"));
        assert!(a.contains(d("2026-12-24")) && a.contains(d("2027-11-25")));
        assert!(Holidays::default().is_empty());
        assert!(!Holidays::default().contains(d("2026-12-25")));
    }

    #[test]
    fn union_adds_each_holiday_once_however_it_is_written() {
        let mut a = Holidays::new(vec![h("12-25 observed"), h("4th thu nov")]);
        let b = Holidays::new(vec![
            h("12-25  OBSERVED").named("Christmas Day"),
            h("12-25"),
            h("fourth thursday november"),
            h("last mon may"),
        ]);
        a.union(&b);
        let texts: Vec<&str> = a.iter().map(Holiday::text).collect();
        assert_eq!(
            texts,
            ["12-25 observed", "4th thu nov", "12-25", "last mon may"]
        );
        assert!(h("12-25 observed").same_days(&h("12-25 Observed").named("x")));
        assert!(!h("12-25 observed").same_days(&h("12-25 observed monday")));
    }

    #[test]
    fn contains_agrees_with_asking_each_entry() {
        let entries = [
            "01-01 observed",
            "2026-07-04 observed monday",
            "3rd mon jan",
            "last mon may",
            "easter-2",
            "easter-80 observed",
            "easter+80 observed monday",
            "12-25 observed",
            "02-29",
            "5th sun dec observed",
            "last sat apr observed monday",
            "12-31 observed monday",
            "1st sat jan observed",
            "02-27 observed monday",
            "4th sat feb observed monday",
            "07-31 observed",
        ];
        let days: Vec<NaiveDate> = d("2025-12-01").iter_days().take(365 * 25).collect();
        // Each entry alone: the month filter must never skip its days.
        for entry in entries {
            let one = Holidays::new(vec![h(entry)]);
            for &day in &days {
                assert_eq!(one.contains(day), h(entry).falls_on(day), "{entry} {day}");
            }
        }
        let all = Holidays::new(entries.iter().map(|e| h(e)).collect());
        for &day in &days {
            let slow = entries.iter().any(|e| h(e).falls_on(day));
            assert_eq!(all.contains(day), slow, "{day}");
            assert_eq!(all.on(day).is_some(), slow, "{day}");
        }
    }

    #[test]
    fn words_say_the_day_plainly() {
        assert_eq!(h("last mon may").words(), "last Mon of May");
        assert_eq!(h("fourth thursday november").words(), "4th Thu of Nov");
        assert_eq!(h("12-25 observed").words(), "Dec 25, observed");
        assert_eq!(h("07-04 observed monday").words(), "Jul 4, observed Mon");
        assert_eq!(
            h("easter-2").named(" Good Friday ").words(),
            "Good Friday (2 days before Easter)"
        );
        assert_eq!(h("easter-2").named("").name(), None);
        assert_eq!(h("easter-2").words(), "2 days before Easter");
        assert_eq!(h("easter+1").words(), "the day after Easter");
        assert_eq!(h("2026-12-24").words(), "2026-12-24");
    }
}
