//! Rule 6, capped, for the rolling limits (`[caps] limits`, and the law's:
//! "at most 3 calls in 24 hours"). A limit counts the attempts (or the
//! contacts) within `within_hours` of a call, earlier ones today included.
//! When it is reached at the start of today's window, the customer may be
//! called once enough of them are `within_hours` old: inside the window,
//! the window starts then; after it, the account is `capped` until then.

use std::fmt::Write as _;

use crate::datetime::Nanos;
use crate::domain::compliance::{Limit, LimitOf};

const NANOS_PER_HOUR: i64 = 3_600 * 1_000_000_000;

/// What the limits make of today's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited<'a> {
    /// No limit is reached.
    Free,
    /// A limit is reached until this moment, inside the window: the
    /// window starts then.
    From(Nanos, &'a Limit),
    /// A limit is reached for the whole window; it frees up at this
    /// moment.
    Until(Nanos, &'a Limit),
}

/// Checks `limits` against an account's recent attempts (time, and whether
/// a contact; in time order) for today's window `from..until`: the window
/// starts at the first moment every limit allows a call.
pub fn check<'a>(
    recent: &[(Nanos, bool)],
    from: Nanos,
    until: Nanos,
    limits: &'a [Limit],
) -> Limited<'a> {
    let mut verdict = Limited::Free;
    let mut start = from;
    // Moving the start for one limit may meet another's attempts: go round
    // until no limit moves it (each round moves it later, or ends).
    for _ in 0..=limits.len() {
        let mut moved = false;
        for limit in limits {
            let free = free_from(recent, start, limit);
            if free >= until {
                return Limited::Until(free_from(recent, until, limit), limit);
            }
            if free > start {
                start = free;
                verdict = Limited::From(free, limit);
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    verdict
}

/// The first moment from `start` at which fewer than `limit.count` of the
/// attempts it counts lie within `within_hours` of it: `start` itself, or
/// a moment when one of them grows `within_hours` old. Attempts after the
/// moment count too (a queue built again late in the day): no span of
/// `within_hours` around a call then holds `count` others, whichever way
/// the law counts its span (the reading that calls less).
fn free_from(recent: &[(Nanos, bool)], start: Nanos, limit: &Limit) -> Nanos {
    let within = i64::from(limit.within_hours).saturating_mul(NANOS_PER_HOUR);
    let counted = |&&(_, contact): &&(Nanos, bool)| limit.of == LimitOf::Attempts || contact;
    let count_at = |t: Nanos| {
        recent
            .iter()
            .filter(counted)
            .filter(|&&(at, _)| at.abs_diff(t) < within.unsigned_abs())
            .count()
    };
    let mut moments: Vec<Nanos> = recent
        .iter()
        .filter(counted)
        .map(|&(at, _)| at.saturating_add(within))
        .filter(|&t| t > start)
        .collect();
    moments.sort_unstable();
    std::iter::once(start)
        .chain(moments.iter().copied())
        .find(|&t| count_at(t) < limit.count as usize)
        .unwrap_or(Nanos::MAX)
}

/// A limit in words: `at most 3 attempts in 24 hours (Fla. Stat. ...)`.
pub fn describe_limit(limit: &Limit, text: &mut String) {
    let _ = write!(
        text,
        "at most {} {} in {} hours",
        limit.count,
        limit.of.name(),
        limit.within_hours
    );
    if let Some(citation) = &limit.citation {
        let _ = write!(text, " ({citation})");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Nanos = NANOS_PER_HOUR;
    const MINUTE: Nanos = HOUR / 60;

    fn three_a_day() -> Limit {
        Limit {
            count: 3,
            within_hours: 24,
            of: LimitOf::Attempts,
            citation: Some("Fla. Stat. § 501.616(6)(b)".to_owned()),
        }
    }

    /// Today's window, 09:00 to 17:00, as hours from midnight.
    const FROM: Nanos = 9 * HOUR;
    const UNTIL: Nanos = 17 * HOUR;

    #[test]
    fn two_calls_leave_room_for_a_third() {
        let limits = [three_a_day()];
        let recent = [(-14 * HOUR, false), (-13 * HOUR, false)];
        assert_eq!(check(&recent, FROM, UNTIL, &limits), Limited::Free);
    }

    #[test]
    fn the_fourth_call_waits_until_the_first_is_a_day_old() {
        let limits = [three_a_day()];
        // Yesterday at 10:00, 11:00 and 12:00: today frees at 10:00.
        let recent = [
            (10 * HOUR - 24 * HOUR, false),
            (11 * HOUR - 24 * HOUR, false),
            (12 * HOUR - 24 * HOUR, false),
        ];
        assert_eq!(
            check(&recent, FROM, UNTIL, &limits),
            Limited::From(10 * HOUR, &limits[0])
        );
        // Three today, the first at 09:05: free again tomorrow 09:05.
        let today = [
            (9 * HOUR + 5 * MINUTE, false),
            (10 * HOUR, true),
            (11 * HOUR, false),
        ];
        assert_eq!(
            check(&today, FROM, UNTIL, &limits),
            Limited::Until(33 * HOUR + 5 * MINUTE, &limits[0])
        );
    }

    #[test]
    fn the_minute_before_and_after_the_window_ends() {
        let limits = [three_a_day()];
        // The oldest of three was yesterday at 16:59: at 09:00 there are
        // three in 24 hours; free at 16:59, a minute before the end.
        let at = |h: Nanos| h - 24 * HOUR;
        let recent = [
            (at(17 * HOUR - MINUTE), false),
            (at(18 * HOUR), false),
            (at(19 * HOUR), false),
        ];
        assert_eq!(
            check(&recent, FROM, UNTIL, &limits),
            Limited::From(17 * HOUR - MINUTE, &limits[0])
        );
        // Yesterday at 17:00: free at 17:00, when the window has ended
        // (one aging out leaves two, under the limit of three).
        let recent = [
            (at(17 * HOUR), false),
            (at(18 * HOUR), false),
            (at(19 * HOUR), false),
        ];
        assert_eq!(
            check(&recent, FROM, UNTIL, &limits),
            Limited::Until(17 * HOUR, &limits[0])
        );
    }

    #[test]
    fn a_limit_of_contacts_counts_only_contacts() {
        let limits = [Limit {
            count: 2,
            within_hours: 48,
            of: LimitOf::Contacts,
            citation: None,
        }];
        let recent = [(-20 * HOUR, false), (-10 * HOUR, false), (-5 * HOUR, true)];
        assert_eq!(check(&recent, FROM, UNTIL, &limits), Limited::Free);
        let recent = [(-20 * HOUR, true), (-10 * HOUR, false), (-5 * HOUR, true)];
        assert_eq!(
            check(&recent, FROM, UNTIL, &limits),
            Limited::Until(28 * HOUR, &limits[0])
        );
        let mut text = String::new();
        describe_limit(&limits[0], &mut text);
        assert_eq!(text, "at most 2 contacts in 48 hours");
    }
}
