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
