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
    match (policy.ebr_days, standing.last_order) {
        (None, _) => false,
        (Some(_), LastOrder::Missing | LastOrder::Unreadable) => true,
        (Some(ebr), LastOrder::Date(last)) => days_between(last, date) > i64::from(ebr),
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
    if let Some(why) = facts.evidence.untrusted {
        text.push_str(" (not consulted: ");
        text.push_str(why);
        text.push(')');
    }
}
