//! A zone's offsets from UTC over a span of time, kept as the offsets'
//! changes (a few a year), so that a moment's local time costs a short
//! scan of a list instead of a zone-database search: the report's heat
//! map and the best time ask it for every call.

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;

/// One zone's offsets from `from` to `to` (seconds since 1970, UTC);
/// outside that span it asks the zone database, with the same answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneOffsets {
    zone: Tz,
    from: i64,
    to: i64,
    /// Each stretch of one offset, latest first: its first second, and
    /// the offset in seconds.
    changes: Vec<(i64, i32)>,
}

/// Offsets are looked at a week apart, then hour by hour in a week whose
/// ends differ, then to the second in an hour whose ends differ: two
/// changes within one week that undo each other would be missed (no zone
/// has had such a week), and no zone has changed twice in an hour.
const WEEK: i64 = 7 * 24 * 3600;
const HOUR: i64 = 3600;

impl ZoneOffsets {
    pub fn new(zone: Tz, from: i64, to: i64) -> ZoneOffsets {
        let to = to.max(from);
        let offset = |second: i64| offset_plain(zone, second);
        let mut changes = vec![(from, offset(from))];
        find_changes(&offset, from, to, &[WEEK, HOUR], &mut changes);
        changes.reverse();
        ZoneOffsets {
            zone,
            from,
            to,
            changes,
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The offset from UTC, in seconds, at `second` (since 1970, UTC).
    #[inline]
    pub fn offset(&self, second: i64) -> i32 {
        if second < self.from || second > self.to {
            return offset_plain(self.zone, second);
        }
        // Most calls are recent: the latest stretch first.
        self.changes
            .iter()
            .find(|c| c.0 <= second)
            .map_or_else(|| offset_plain(self.zone, second), |c| c.1)
    }
}

/// Adds to `changes` (in time order, the offset at `from` last) each
/// change of offset in `(from, to]`: looked at `steps[0]` apart, then at
/// the next step inside a stretch whose ends differ, and to the second, by
/// halves, inside the finest.
fn find_changes(
    offset: &impl Fn(i64) -> i32,
    from: i64,
    to: i64,
    steps: &[i64],
    changes: &mut Vec<(i64, i32)>,
) {
    let current = |changes: &Vec<(i64, i32)>| changes.last().map_or(0, |c| c.1);
    let Some((&step, finer)) = steps.split_first() else {
        let was = current(changes);
        let (mut old, mut new) = (from, to);
        while new - old > 1 {
            let middle = old + (new - old) / 2;
            if offset(middle) == was {
                old = middle;
            } else {
                new = middle;
            }
        }
        changes.push((new, offset(new)));
        return;
    };
    let mut at = from;
    while at < to {
        let end = (at + step).min(to);
        if offset(end) != current(changes) {
            find_changes(offset, at, end, finer, changes);
        }
        at = end;
    }
}

/// The offset the zone database gives (0 for a second chrono cannot
/// hold, far outside any history).
fn offset_plain(zone: Tz, second: i64) -> i32 {
    chrono::DateTime::from_timestamp(second, 0).map_or(0, |t| {
        zone.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
    })
}

/// Zones whose clocks are hard to follow, for tests: summer time both
/// sides of the equator, half- and quarter-hour zones, Lord Howe's
/// half-hour summer time, a zone that skipped a day (Apia, 2011) and UTC.
#[cfg(test)]
pub const ZONES_TO_TEST: [Tz; 10] = [
    chrono_tz::America::New_York,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Europe::London,
    chrono_tz::Australia::Sydney,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::America::St_Johns,
    chrono_tz::Pacific::Apia,
    chrono_tz::UTC,
];

#[cfg(test)]
mod tests {
    use super::*;

    use super::ZONES_TO_TEST as ZONES;

    fn second(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn every_quarter_hour_agrees_with_the_zone_database() {
        let (from, to) = (
            second("2010-01-01T00:00:00Z"),
            second("2013-01-01T00:00:00Z"),
        );
        for zone in ZONES {
            let fast = ZoneOffsets::new(zone, from, to);
            for s in (from - 2 * WEEK..to + 2 * WEEK).step_by(900) {
                assert_eq!(fast.offset(s), offset_plain(zone, s), "{zone} at {s}");
            }
        }
    }

    #[test]
    fn each_change_is_found_to_the_second() {
        let (from, to) = (
            second("2023-03-01T00:00:00Z"),
            second("2026-12-01T00:00:00Z"),
        );
        for zone in ZONES {
            let fast = ZoneOffsets::new(zone, from, to);
            for &(at, _) in &fast.changes {
                for s in [at - 1, at, at + 1] {
                    assert_eq!(fast.offset(s), offset_plain(zone, s), "{zone} at {s}");
                }
            }
        }
        // New York's clocks went forward at 07:00 UTC on 2026-03-08: the
        // second before is on -5, the second itself on -4.
        let ny = ZoneOffsets::new(chrono_tz::America::New_York, from, to);
        let change = second("2026-03-08T07:00:00Z");
        assert_eq!(ny.offset(change - 1), -5 * 3600);
        assert_eq!(ny.offset(change), -4 * 3600);
        // Lord Howe's summer time is half an hour, and ends at 15:00 UTC
        // on 2026-04-04 (02:00 local summer time).
        let lh = ZoneOffsets::new(chrono_tz::Australia::Lord_Howe, from, to);
        let change = second("2026-04-04T15:00:00Z");
        assert_eq!(lh.offset(change - 1), 11 * 3600);
        assert_eq!(lh.offset(change), 10 * 3600 + 1800);
    }

    #[test]
    fn outside_its_span_it_asks_the_zone_database() {
        let (from, to) = (
            second("2026-01-01T00:00:00Z"),
            second("2026-02-01T00:00:00Z"),
        );
        let ny = ZoneOffsets::new(chrono_tz::America::New_York, from, to);
        assert_eq!(ny.changes.len(), 1);
        // July, after the span: summer time, which the span never held.
        assert_eq!(ny.offset(second("2026-07-01T12:00:00Z")), -4 * 3600);
        assert_eq!(ny.offset(second("1999-07-01T12:00:00Z")), -4 * 3600);
        // The far ends of time do not fail.
        assert_eq!(ny.offset(i64::MAX), 0);
        assert_eq!(ny.offset(i64::MIN), 0);
    }
}
