//! What the best time keeps of the history, small enough for a million
//! accounts: each account's latest four calls in eight bytes, each call
//! as its hour and whether someone answered; and each zone's clock over
//! those hours, so that a call's local hour costs no zone look-up.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;

use crate::datetime::{Nanos, local_to_utc};
use crate::engine::offsets::ZoneOffsets;

const NANOS_PER_HOUR: i64 = 3_600_000_000_000;
/// The most hours back a stamp reaches (15 bits: about 3.7 years).
const SPAN: i64 = 0x7fff;
const ANSWERED: u16 = 0x8000;

/// One call: the UTC hour it was made in, counted by its `StampClock`
/// (never 0), and whether someone answered (the top bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(u16);

impl Stamp {
    pub fn answered(self) -> bool {
        self.0 & ANSWERED != 0
    }

    fn hour(self) -> i64 {
        i64::from(self.0 & !ANSWERED)
    }
}

/// An account's latest calls, newest in the low bits: at most
/// `LatestCalls::KEPT`, in one word (0 for no call).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LatestCalls(u64);

impl LatestCalls {
    pub const KEPT: usize = 4;

    /// Adds a call later than (or as late as) every call kept; the oldest
    /// of four is let go.
    #[inline]
    pub fn push(&mut self, call: Stamp) {
        self.0 = (self.0 << 16) | u64::from(call.0);
    }

    /// The calls kept, newest first.
    pub fn iter(self) -> impl Iterator<Item = Stamp> {
        (0..Self::KEPT)
            .map(move |k| (self.0 >> (16 * k)) as u16)
            .filter(|&s| s != 0)
            .map(Stamp)
    }

    /// For warming a batch's entries ahead of folding into them.
    pub fn touch(self) -> u32 {
        self.0 as u32
    }
}

/// Stamps calls for one queue date: hours counted from `SPAN` hours
/// before the end of that date in the office, so that every call up to
/// the date fits in 15 bits; older calls get no stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampClock {
    /// The UTC hour (since 1970) that stamp hour 0 is.
    base: i64,
}

impl StampClock {
    pub fn new(date: NaiveDate, office: Tz) -> StampClock {
        let next = date.succ_opt().unwrap_or(date);
        let end = local_to_utc(office, next.and_time(NaiveTime::MIN));
        let end_hour = end.and_utc().timestamp().div_euclid(3600) + 1;
        StampClock {
            base: end_hour - SPAN,
        }
    }

    /// The stamp of a call at `at`; `None` when it is too old to stamp
    /// (or after the date's end, which the fold never passes).
    #[inline]
    pub fn stamp(&self, at: Nanos, answered: bool) -> Option<Stamp> {
        let hour = at.div_euclid(NANOS_PER_HOUR) - self.base;
        if !(1..=SPAN).contains(&hour) {
            return None;
        }
        Some(Stamp(hour as u16 | if answered { ANSWERED } else { 0 }))
    }

    /// The stamp of UTC hour `hour` (since 1970), when in range.
    pub fn stamp_of_hour(&self, hour: i64, answered: bool) -> Option<Stamp> {
        self.stamp(hour * NANOS_PER_HOUR, answered)
    }

    /// The UTC hour (since 1970) a stamp stands for.
    pub fn utc_hour(&self, stamp: Stamp) -> i64 {
        self.base + stamp.hour()
    }

    /// The first and last UTC hours a stamp can stand for.
    fn hours(&self) -> (i64, i64) {
        (self.base + 1, self.base + SPAN)
    }
}

/// A zone's clock over the hours a `StampClock` stamps: a call's local
/// weekday and hour from its stamp, with no zone look-up. A half-hour
/// zone's hour is the local hour the call's UTC hour starts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneClock {
    offsets: ZoneOffsets,
    /// The `StampClock`'s hour 0, as a UTC hour since 1970.
    base: i64,
}

/// A local Monday 00:00, as hours since 1970-01-01 00:00 (a Thursday).
const MONDAY: i64 = 4 * 24;
const WEEK_HOURS: i64 = 7 * 24;

impl ZoneClock {
    pub fn new(zone: Tz, clock: &StampClock) -> ZoneClock {
        let (first, last) = clock.hours();
        ZoneClock {
            offsets: ZoneOffsets::new(zone, first * 3600, last * 3600),
            base: clock.base,
        }
    }

    pub fn zone(&self) -> Tz {
        self.offsets.zone()
    }

    /// The hour of the local week (0 for Monday 00:00) of a call.
    #[inline]
    pub fn week_hour(&self, call: Stamp) -> usize {
        let second = (self.base + call.hour()) * 3600;
        let local_hour = (second + i64::from(self.offsets.offset(second))).div_euclid(3600);
        (local_hour - MONDAY).rem_euclid(WEEK_HOURS) as usize
    }
}

/// The local weekday (0 for Monday) and hour of a UTC time in `zone`,
/// the plain way: what `ZoneClock` must agree with.
pub fn local_plain(zone: Tz, utc: NaiveDateTime) -> (usize, usize) {
    let local = zone.from_utc_datetime(&utc);
    (
        local.weekday().num_days_from_monday() as usize,
        local.hour() as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::datetime::parse_date(text).unwrap()
    }

    #[test]
    fn four_latest_calls_are_kept_newest_first() {
        let clock = StampClock::new(d("2026-11-24"), chrono_tz::America::New_York);
        let at = |hours_ago: i64| (clock.base + SPAN - hours_ago) * NANOS_PER_HOUR;
        let mut calls = LatestCalls::default();
        assert_eq!(calls.iter().count(), 0);
        for k in (0..6).rev() {
            calls.push(clock.stamp(at(k * 10), k % 2 == 0).unwrap());
        }
        let kept: Vec<(i64, bool)> = calls
            .iter()
            .map(|s| (clock.base + SPAN - clock.utc_hour(s), s.answered()))
            .collect();
        assert_eq!(kept, vec![(0, true), (10, false), (20, true), (30, false)]);
    }

    #[test]
    fn stamps_reach_back_about_three_years_and_no_further() {
        let clock = StampClock::new(d("2026-11-24"), chrono_tz::UTC);
        let end =
            crate::datetime::local_to_utc(chrono_tz::UTC, d("2026-11-25").and_time(NaiveTime::MIN));
        let end = end.and_utc().timestamp_nanos_opt().unwrap();
        // The last moment of the date, and the first hour stamped.
        let last = clock.stamp(end - 1, false).unwrap();
        assert_eq!(clock.utc_hour(last) * NANOS_PER_HOUR, end - NANOS_PER_HOUR);
        let three_years = 3 * 365 * 24 * NANOS_PER_HOUR;
        assert!(clock.stamp(end - three_years, true).is_some());
        assert!(
            clock
                .stamp(end - 4 * 365 * 24 * NANOS_PER_HOUR, true)
                .is_none()
        );
    }

    #[test]
    fn the_zone_clock_agrees_with_the_zone_database_at_every_hour() {
        let clock = StampClock::new(d("2026-11-24"), chrono_tz::America::New_York);
        for zone in crate::engine::offsets::ZONES_TO_TEST {
            let fast = ZoneClock::new(zone, &clock);
            let (first, last) = clock.hours();
            for hour in first..=last {
                let utc = chrono::DateTime::from_timestamp(hour * 3600, 0)
                    .unwrap()
                    .naive_utc();
                let (weekday, local) = local_plain(zone, utc);
                let stamp = clock.stamp_of_hour(hour, false).unwrap();
                assert_eq!(
                    fast.week_hour(stamp),
                    weekday * 24 + local,
                    "{zone} at {utc}"
                );
            }
        }
    }
}
