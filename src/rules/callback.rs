//! Rule 4, callback: the customer who said "call me next Thursday" is
//! called next Thursday, first, whatever rules 5 to 7 say. Before its day
//! the account is `callback-scheduled`, eligible on that day.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Facts, Reason, Tally};
use crate::datetime::Ymd;

/// What rule 4 decides on `date`: `callback` when a pending callback's day
/// has come, `callback-scheduled` before it, nothing without one.
pub fn decides(tally: &Tally, date: NaiveDate) -> Option<Reason> {
    let cb = tally.callback?;
    Some(if cb.day > date {
        Reason::CallbackScheduled
    } else {
        Reason::Callback
    })
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(facts: &Facts<'_>, tally: &Tally, date: NaiveDate, text: &mut String) -> bool {
    match tally.callback {
        Some(cb) => {
            let _ = write!(
                text,
                "the customer asked to be called on {} ({}:{}){}",
                Ymd(cb.day),
                facts.history_file,
                cb.line,
                if cb.day > date {
                    "; not before"
                } else {
                    ": call first"
                }
            );
            true
        }
        None => {
            text.push_str("no callback is pending");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;
    use crate::domain::Outcome;

    #[test]
    fn callback_is_scheduled_before_its_day_and_queued_on_and_after_it() {
        let attempts = [callback("2026-11-20", "2026-11-26")];
        let v = verdict(&attempts, "2026-11-25");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::CallbackScheduled, Some(d("2026-11-26")))
        );
        assert_eq!(reason(&attempts, "2026-11-26"), Reason::Callback);
        assert_eq!(reason(&attempts, "2026-11-27"), Reason::Callback);
        // It stays pending, however old.
        assert_eq!(reason(&attempts, "2027-06-01"), Reason::Callback);
    }

    #[test]
    fn callback_overrides_pause_cap_and_wait() {
        let mut attempts = unanswered(&[
            "2026-10-01",
            "2026-10-02",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
        ]);
        attempts.push(at("2026-11-02", Outcome::Answered));
        attempts.push(callback("2026-11-20", "2026-11-23"));
        assert_eq!(reason(&attempts, "2026-11-23"), Reason::Callback);
    }

    #[test]
    fn a_later_attempt_clears_the_callback() {
        let attempts = [
            callback("2026-11-20", "2026-11-23"),
            at("2026-11-23", Outcome::NoAnswer),
        ];
        // Called on the day (unanswered): too soon now, the callback is spent.
        assert_eq!(reason(&attempts, "2026-11-23"), Reason::TooSoon);
        assert_eq!(reason(&attempts, "2026-11-22"), Reason::CallbackScheduled);
    }

    #[test]
    fn scheduled_callback_on_a_weekend_is_eligible_the_next_calling_day() {
        let attempts = [callback("2026-11-20", "2026-11-28")]; // a Saturday
        let v = verdict(&attempts, "2026-11-23");
        assert_eq!(v.eligible_on, Some(d("2026-11-30")));
        assert_eq!(reason(&attempts, "2026-11-28"), Reason::NotCallingDay);
    }
}
