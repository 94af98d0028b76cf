//! Rule 1, not-existing: only existing customers are called, never leads.
//! A status outside `existing_statuses`, or with `ebr_days` a last order
//! that is missing or too old. It has no `eligible_on`: the relationship
//! comes back only with a new order.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Facts, Standing, push_joined, push_number};
use crate::datetime::{Ymd, add_days, days_between};
use crate::domain::{LastOrder, Policy, Status};

/// Whether rule 1 holds on `date`.
pub fn holds(standing: &Standing<'_>, date: NaiveDate, policy: &Policy) -> bool {
    if matches!(standing.status, Status::Other(_)) {
        return true;
    }
    let lapsed = match (policy.ebr_days, standing.last_order) {
        (None, _) => false,
        (Some(_), LastOrder::Missing | LastOrder::Unreadable) => true,
        (Some(ebr), LastOrder::Date(last)) => days_between(last, date) > i64::from(ebr),
    };
    lapsed && !recent_inquiry(standing.last_inquiry, date, policy)
}

/// Whether an inquiry within `inquiry_days` of `date` makes the
/// relationship (a future-dated one does not).
fn recent_inquiry(last: Option<NaiveDate>, date: NaiveDate, policy: &Policy) -> bool {
    match (policy.inquiry_days, last) {
        (Some(days), Some(last)) => (0..=i64::from(days)).contains(&days_between(last, date)),
        _ => false,
    }
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(facts: &Facts<'_>, date: NaiveDate, policy: &Policy, text: &mut String) -> bool {
    push_words(facts, date, policy, text);
    holds(&facts.standing(), date, policy)
}

fn push_words(facts: &Facts<'_>, date: NaiveDate, policy: &Policy, text: &mut String) {
    let existing = |text: &mut String| {
        text.push_str(" (");
        push_joined(
            text,
            ", ",
            policy.existing_statuses.iter().map(String::as_str),
        );
        text.push(')');
    };
    // Built piece by piece, as `describe_cap` is: the audit writes this for
    // every account rule 1 leaves out, a tenth of a large territory.
    let status = |text: &mut String, s: &str| {
        text.push_str("status ");
        let _ = write!(text, "{s:?}");
    };
    match facts.status {
        Status::NoColumn => text.push_str("the territory has no status column"),
        Status::Existing(s) => {
            status(text, s);
            text.push_str(" is an existing status");
        }
        Status::Other("") => {
            text.push_str("status is empty, which is not an existing status");
            existing(text);
        }
        Status::Other(s) => {
            status(text, s);
            text.push_str(" is not an existing status");
            existing(text);
        }
    }
    if let Some(ebr) = policy.ebr_days {
        match facts.last_order {
            LastOrder::Missing => {
                text.push_str("; no last_order, and ebr_days is ");
                push_number(text, ebr.into());
            }
            LastOrder::Unreadable => {
                text.push_str("; last_order cannot be read, and ebr_days is ");
                push_number(text, ebr.into());
            }
            LastOrder::Date(day) => {
                let age = days_between(day, date);
                text.push_str("; the last order (");
                Ymd(day).push_to(text);
                text.push_str(") is ");
                if age < 0 {
                    text.push('-');
                }
                push_number(text, age.unsigned_abs());
                if age > i64::from(ebr) {
                    text.push_str(" days old, more than ebr_days (");
                    push_number(text, ebr.into());
                    text.push(')');
                } else {
                    text.push_str(" days old, within ebr_days (");
                    push_number(text, ebr.into());
                    text.push_str(") until ");
                    Ymd(add_days(day, ebr)).push_to(text);
                }
            }
        }
    }
    if let (Some(days), Some(last)) = (policy.inquiry_days, facts.last_inquiry) {
        let age = days_between(last, date);
        text.push_str("; the last inquiry (");
        Ymd(last).push_to(text);
        text.push_str(if recent_inquiry(Some(last), date, policy) {
            ") is within inquiry_days ("
        } else {
            ") is not within inquiry_days ("
        });
        push_number(text, days.into());
        text.push_str("): ");
        if age < 0 {
            text.push('-');
        }
        push_number(text, age.unsigned_abs());
        text.push_str(" days old");
    }
    if let Some(why) = facts.evidence.untrusted {
        text.push_str(" (not consulted: ");
        text.push_str(why);
        text.push(')');
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;
    use crate::datetime::add_days;

    #[test]
    fn status_outside_existing_statuses_is_not_existing() {
        let p = policy();
        let facts = Facts {
            status: Status::Other("prospect"),
            ..CLEAN
        };
        let v = evaluate(&facts, &Tally::default(), d("2026-11-23"), &p);
        assert_eq!(v.reason, Reason::NotExisting);
        assert_eq!(v.eligible_on, None);
        let facts = Facts {
            status: Status::Existing("active"),
            ..CLEAN
        };
        assert_eq!(
            evaluate(&facts, &Tally::default(), d("2026-11-23"), &p).reason,
            Reason::Due
        );
    }

    #[test]
    fn a_recent_inquiry_makes_an_existing_relationship_for_inquiry_days() {
        let p = Policy {
            ebr_days: Some(540),
            inquiry_days: Some(90),
            ..policy()
        };
        let date = d("2026-11-24");
        let asked = |days: u32| Facts {
            status: Status::Existing("active"),
            last_inquiry: Some(date - chrono::Duration::days(i64::from(days))),
            ..CLEAN
        };
        let t = Tally::default();
        // No order at all: the inquiry alone, up to 90 days old.
        assert_eq!(evaluate(&asked(90), &t, date, &p).reason, Reason::Due);
        assert_eq!(
            evaluate(&asked(91), &t, date, &p).reason,
            Reason::NotExisting
        );
        // Without inquiry_days it is not read.
        let no_days = Policy {
            inquiry_days: None,
            ..p.clone()
        };
        assert_eq!(
            evaluate(&asked(1), &t, date, &no_days).reason,
            Reason::NotExisting
        );
        // A future-dated inquiry is not one.
        let ahead = Facts {
            last_inquiry: Some(date + chrono::Duration::days(1)),
            ..asked(0)
        };
        assert_eq!(evaluate(&ahead, &t, date, &p).reason, Reason::NotExisting);
        let mut text = String::new();
        super::describe(&asked(91), date, &p, &mut text);
        assert!(
            text.ends_with(
                "; the last inquiry (2026-08-25) is not within inquiry_days (90): 91 days old"
            ),
            "{text}"
        );
    }

    #[test]
    fn ebr_days_lapse_the_day_after_the_limit() {
        let mut p = policy();
        p.ebr_days = Some(540);
        let last = d("2025-06-01");
        let facts = Facts {
            last_order: LastOrder::Date(last),
            ..CLEAN
        };
        let limit = add_days(last, 540); // 2026-11-23, a Monday
        assert_eq!(limit, d("2026-11-23"));
        let t = Tally::default();
        assert_eq!(
            evaluate(&facts, &t, d("2026-11-22"), &p).reason,
            Reason::NotCallingDay
        );
        assert_eq!(
            evaluate(&facts, &t, d("2026-11-23"), &p).reason,
            Reason::Due
        );
        assert_eq!(
            evaluate(&facts, &t, d("2026-11-24"), &p).reason,
            Reason::NotExisting
        );
        for missing in [LastOrder::Missing, LastOrder::Unreadable] {
            let facts = Facts {
                last_order: missing,
                ..CLEAN
            };
            assert_eq!(
                evaluate(&facts, &t, d("2026-11-23"), &p).reason,
                Reason::NotExisting
            );
        }
    }

    #[test]
    fn ebr_days_unset_ignores_last_order() {
        let facts = Facts {
            last_order: LastOrder::Unreadable,
            ..CLEAN
        };
        let v = evaluate(&facts, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::Due);
    }

    #[test]
    fn eligible_on_is_empty_when_the_relationship_lapses_first() {
        let mut p = policy();
        p.ebr_days = Some(30);
        let facts = Facts {
            last_order: LastOrder::Date(d("2026-11-01")),
            ..CLEAN
        };
        let mut attempts = unanswered(&["2026-11-20"]);
        let t = Tally::from_attempts(&mut attempts, d("2026-11-23"), &p.caps);
        // Retry on 2026-11-27; the relationship lasts until 2026-12-01.
        let v = evaluate(&facts, &t, d("2026-11-23"), &p);
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::TooSoon, Some(d("2026-11-27")))
        );
        p.ebr_days = Some(25); // lapses 2026-11-26
        let v = evaluate(&facts, &t, d("2026-11-23"), &p);
        assert_eq!((v.reason, v.eligible_on), (Reason::TooSoon, None));
    }
}
