//! Rule 7, too-soon: `retry_days` after an unanswered attempt, and
//! `contact_gap_days` after a contact (a week, and three months).

use chrono::NaiveDate;

use super::{Tally, push_number};
use crate::datetime::Ymd;
use crate::domain::Caps;

/// When rule 7 stops holding the account back, if it has begun to.
pub fn until(tally: &Tally, caps: &Caps) -> Option<NaiveDate> {
    tally.retry_until(caps).max(tally.gap_until(caps))
}

/// Whether the rule holds on `date`.
pub fn holds(tally: &Tally, date: NaiveDate, caps: &Caps) -> bool {
    until(tally, caps).is_some_and(|end| date < end)
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(tally: &Tally, date: NaiveDate, caps: &Caps, text: &mut String) -> bool {
    // One clause per wait that has begun: "<what happened> <day>; the <wait>
    // after one is N days, until (or over since) <day>".
    let mut applies = false;
    let mut clauses = 0;
    let mut clause = |lead: &str, day: NaiveDate, wait: &str, days: u32, until: NaiveDate| {
        let held = date < until;
        applies |= held;
        if clauses > 0 {
            text.push_str("; ");
        }
        clauses += 1;
        text.push_str(lead);
        Ymd(day).push_to(text);
        text.push_str(wait);
        push_number(text, days.into());
        text.push_str(if held {
            " days, until "
        } else {
            " days, over since "
        });
        Ymd(until).push_to(text);
    };
    if let (Some((day, true)), Some(until)) = (tally.last_attempt(), tally.retry_until(caps)) {
        clause(
            "the last attempt (",
            day,
            ") went unanswered; the wait after one is ",
            caps.retry_days,
            until,
        );
    }
    if let (Some(day), Some(until)) = (tally.last_contact, tally.gap_until(caps)) {
        clause(
            "the last contact was on ",
            day,
            "; the gap after one is ",
            caps.contact_gap_days,
            until,
        );
    }
    if clauses == 0 {
        text.push_str("never called");
    }
    applies
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;
    use crate::domain::Outcome;

    #[test]
    fn retry_wait_after_an_unanswered_attempt() {
        let attempts = unanswered(&["2026-11-16"]); // a Monday
        assert_eq!(reason(&attempts, "2026-11-16"), Reason::TooSoon);
        let v = verdict(&attempts, "2026-11-20");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::TooSoon, Some(d("2026-11-23")))
        );
        assert_eq!(reason(&attempts, "2026-11-22"), Reason::TooSoon);
        let mut p = policy();
        p.hours.days = [true; 7];
        assert_eq!(
            verdict_with(&attempts, "2026-11-22", &p).reason,
            Reason::TooSoon
        );
        assert_eq!(
            verdict_with(&attempts, "2026-11-23", &p).reason,
            Reason::Due
        );
        assert_eq!(
            verdict_with(&attempts, "2026-11-24", &p).reason,
            Reason::Due
        );
    }

    #[test]
    fn contact_gap_after_a_contact() {
        let attempts = [at("2026-08-25", Outcome::Answered)];
        // 2026-08-25 + 90 = 2026-11-23.
        let v = verdict(&attempts, "2026-11-20");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::TooSoon, Some(d("2026-11-23")))
        );
        assert_eq!(reason(&attempts, "2026-11-23"), Reason::Due);
        assert_eq!(reason(&attempts, "2026-11-24"), Reason::Due);
        let mut p = policy();
        p.hours.days = [true; 7];
        let v = verdict_with(&attempts, "2026-11-22", &p);
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::TooSoon, Some(d("2026-11-23")))
        );
    }

    #[test]
    fn the_contact_gap_holds_even_after_a_later_unanswered_attempt() {
        let mut p = policy();
        p.caps.retry_days = 1;
        let attempts = [
            at("2026-11-02", Outcome::Answered),
            at("2026-11-10", Outcome::NoAnswer),
        ];
        let v = verdict_with(&attempts, "2026-11-23", &p);
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::TooSoon, Some(d("2027-02-01")))
        );
    }
}
