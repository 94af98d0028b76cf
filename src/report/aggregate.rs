//! The report's numbers: counts folded from verdicts and calls, and the
//! days they are counted on. Pure: nothing here reads a file or the clock.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use crate::datetime::Nanos;

/// The weekdays as the heat map's rows show them, Monday first.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Calls and the answered ones among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    pub calls: u64,
    pub answered: u64,
}

impl Rate {
    pub fn add(&mut self, answered: bool) {
        self.calls += 1;
        self.answered += u64::from(answered);
    }

    /// The share of calls answered; `None` without calls.
    pub fn rate(self) -> Option<f64> {
        (self.calls > 0).then(|| self.answered as f64 / self.calls as f64)
    }
}

/// Answer rates by the customer's local weekday (0 = Monday) and hour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeatMap {
    pub cells: [[Rate; 24]; 7],
}

impl HeatMap {
    pub fn add(&mut self, weekday: usize, hour: usize, answered: bool) {
        if let Some(cell) = self.cells.get_mut(weekday).and_then(|d| d.get_mut(hour)) {
            cell.add(answered);
        }
    }

    pub fn total(&self) -> Rate {
        let mut total = Rate::default();
        for cell in self.cells.iter().flatten() {
            total.calls += cell.calls;
            total.answered += cell.answered;
        }
        total
    }

    /// The first and last hour (of any weekday) with a call: the columns
    /// worth drawing. `None` without calls.
    pub fn hours_used(&self) -> Option<(usize, usize)> {
        let used = |h: usize| self.cells.iter().any(|day| day[h].calls > 0);
        let first = (0..24).find(|&h| used(h))?;
        let last = (0..24).rev().find(|&h| used(h))?;
        Some((first, last))
    }
}

/// The weekday (0 = Monday) and hour of the moment `at`, on a clock
/// `offset` seconds ahead of UTC.
pub fn weekday_hour(at: Nanos, offset: i32) -> (usize, usize) {
    let seconds = at.div_euclid(1_000_000_000) + i64::from(offset);
    let days = seconds.div_euclid(86_400);
    // 1970-01-01 was a Thursday (3 days after a Monday).
    let weekday = (days + 3).rem_euclid(7) as usize;
    let hour = (seconds.rem_euclid(86_400) / 3_600) as usize;
    (weekday, hour)
}

/// The days after `after`, up to and including `through`, that are calling
/// days.
pub fn calling_days(
    after: NaiveDate,
    through: NaiveDate,
    is_calling_day: impl Fn(NaiveDate) -> bool,
) -> Vec<NaiveDate> {
    after
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= through)
        .filter(|d| is_calling_day(*d))
        .collect()
}

/// How many excluded accounts become callable on each calling day ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// Each calling day of the horizon and the accounts whose `eligible_on`
    /// it is.
    pub days: Vec<(NaiveDate, u64)>,
    /// Accounts that become callable inside the horizon on a day that is
    /// not one of `days` (a day only their own hours allow).
    pub other_days: u64,
    /// Accounts that become callable after the horizon.
    pub later: u64,
    /// Excluded accounts that never become callable by themselves
    /// (opted out, not existing, no consent, bad data).
    pub never: u64,
}

/// The forecast over `days` (calling days, in order) of excluded accounts
/// with their `eligible_on`: `None` never becomes callable.
pub fn forecast(eligible: impl Iterator<Item = Option<NaiveDate>>, days: &[NaiveDate]) -> Forecast {
    let mut counts = vec![0u64; days.len()];
    let (mut other_days, mut later, mut never) = (0, 0, 0);
    let last = days.last().copied();
    for on in eligible {
        let Some(on) = on else {
            never += 1;
            continue;
        };
        match days.binary_search(&on) {
            Ok(k) => counts[k] += 1,
            Err(_) if last.is_some_and(|last| on <= last) => other_days += 1,
            Err(_) => later += 1,
        }
    }
    Forecast {
        days: days.iter().copied().zip(counts).collect(),
        other_days,
        later,
        never,
    }
}

/// Distinct customers each rep reached on each of some days.
#[derive(Debug, Clone, Default)]
pub struct Reached {
    pub days: Vec<NaiveDate>,
    /// Distinct (rep, day, account) contacts seen.
    seen: HashSet<(u32, u32, u32)>,
    /// By rep number, the count for each of `days`.
    counts: Vec<Vec<u32>>,
}

impl Reached {
    /// Counts over `days` (in order).
    pub fn over(days: Vec<NaiveDate>) -> Reached {
        Reached {
            days,
            ..Reached::default()
        }
    }

    /// A contact by `rep` with `account` on `day` (ignored on other days).
    pub fn add(&mut self, rep: u32, day: NaiveDate, account: u32) {
        let Ok(k) = self.days.binary_search(&day) else {
            return;
        };
        if self.seen.insert((rep, k as u32, account)) {
            let rep = rep as usize;
            if self.counts.len() <= rep {
                self.counts.resize(rep + 1, Vec::new());
            }
            let row = &mut self.counts[rep];
            row.resize(self.days.len(), 0);
            row[k] += 1;
        }
    }

    /// Rep `rep`'s count for each day.
    pub fn of(&self, rep: u32) -> Vec<u32> {
        match self.counts.get(rep as usize) {
            Some(row) if !row.is_empty() => row.clone(),
            _ => vec![0; self.days.len()],
        }
    }
}

/// A rep's reached counts summed up against a daily target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Against {
    /// The mean per calling day.
    pub mean: f64,
    /// Days at or above the target (`None` without a target).
    pub days_met: Option<usize>,
}

pub fn against(per_day: &[u32], target: Option<u32>) -> Against {
    let sum: u64 = per_day.iter().map(|&n| u64::from(n)).sum();
    let mean = if per_day.is_empty() {
        0.0
    } else {
        sum as f64 / per_day.len() as f64
    };
    Against {
        mean,
        days_met: target.map(|t| per_day.iter().filter(|&&n| n >= t).count()),
    }
}

/// The date's weekday, as the heat map numbers it (0 = Monday).
pub fn weekday_index(date: NaiveDate) -> usize {
    date.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        crate::datetime::parse_date(text).unwrap()
    }

    fn nanos(rfc3339: &str) -> Nanos {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap()
    }

    #[test]
    fn weekday_and_hour_are_read_on_the_customers_clock() {
        // Monday 2026-11-23 14:30 UTC is 09:30 in New York (UTC-5).
        let at = nanos("2026-11-23T14:30:00Z");
        assert_eq!(weekday_hour(at, 0), (0, 14));
        assert_eq!(weekday_hour(at, -5 * 3600), (0, 9));
        // 03:00 UTC on Monday is still Sunday 22:00 in New York.
        assert_eq!(
            weekday_hour(nanos("2026-11-23T03:00:00Z"), -5 * 3600),
            (6, 22)
        );
        // And before 1970 too.
        assert_eq!(weekday_hour(nanos("1969-12-29T00:00:00Z"), 0), (0, 0));
        assert_eq!(weekday_hour(nanos("1969-12-28T23:59:59Z"), 0), (6, 23));
        assert_eq!(weekday_index(date("2026-11-23")), 0);
    }

    #[test]
    fn heat_map_counts_calls_and_answers_per_cell() {
        let mut heat = HeatMap::default();
        for k in 0..10 {
            heat.add(0, 9, k == 0);
            heat.add(4, 15, k < 4);
        }
        heat.add(7, 0, true); // no such weekday: ignored
        assert_eq!(
            heat.cells[0][9],
            Rate {
                calls: 10,
                answered: 1
            }
        );
        assert_eq!(heat.cells[0][9].rate(), Some(0.1));
        assert_eq!(heat.cells[4][15].rate(), Some(0.4));
        assert_eq!(heat.cells[1][9].rate(), None);
        assert_eq!(
            heat.total(),
            Rate {
                calls: 20,
                answered: 5
            }
        );
        assert_eq!(heat.hours_used(), Some((9, 15)));
        assert_eq!(HeatMap::default().hours_used(), None);
    }

    #[test]
    fn calling_days_skip_weekends_and_holidays() {
        let holiday = date("2026-11-26");
        let days = calling_days(date("2026-11-24"), date("2026-12-01"), |d| {
            weekday_index(d) < 5 && d != holiday
        });
        let want: Vec<NaiveDate> = ["2026-11-25", "2026-11-27", "2026-11-30", "2026-12-01"]
            .into_iter()
            .map(date)
            .collect();
        assert_eq!(days, want);
    }

    #[test]
    fn forecast_counts_each_day_and_what_falls_outside() {
        let days: Vec<NaiveDate> = ["2026-11-25", "2026-11-27", "2026-11-30"]
            .into_iter()
            .map(date)
            .collect();
        let eligible = [
            Some("2026-11-25"),
            Some("2026-11-25"),
            Some("2026-11-30"),
            Some("2026-11-28"), // a Saturday only the account's own hours allow
            Some("2026-12-01"),
            None,
        ];
        let f = forecast(eligible.iter().map(|e| e.map(date)), &days);
        assert_eq!(f.days, vec![(days[0], 2), (days[1], 0), (days[2], 1)]);
        assert_eq!((f.other_days, f.later, f.never), (1, 1, 1));
    }

    #[test]
    fn reached_counts_distinct_customers_per_rep_and_day() {
        let days = vec![date("2026-11-23"), date("2026-11-24")];
        let mut reached = Reached::over(days);
        reached.add(0, date("2026-11-23"), 7);
        reached.add(0, date("2026-11-23"), 7); // the same customer twice
        reached.add(0, date("2026-11-23"), 8);
        reached.add(0, date("2026-11-24"), 7);
        reached.add(2, date("2026-11-24"), 7);
        reached.add(0, date("2026-11-22"), 9); // outside the days
        assert_eq!(reached.of(0), vec![2, 1]);
        assert_eq!(reached.of(1), vec![0, 0]);
        assert_eq!(reached.of(2), vec![0, 1]);
        assert_eq!(reached.of(9), vec![0, 0]);
        let a = against(&reached.of(0), Some(2));
        assert_eq!(a.mean, 1.5);
        assert_eq!(a.days_met, Some(1));
        assert_eq!(against(&[], None).days_met, None);
    }
}
