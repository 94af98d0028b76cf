//! Rule 5, paused: after `max_unanswered` unanswered attempts in a row the
//! customer is left alone for `pause_days` (five tries, then two months).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::Tally;
use crate::datetime::Ymd;
use crate::domain::Caps;

/// When rule 5 stops holding the account back, if it has begun to.
pub fn until(tally: &Tally, caps: &Caps) -> Option<NaiveDate> {
    tally.pause_until(caps)
}

/// Whether the rule holds on `date`.
pub fn holds(tally: &Tally, date: NaiveDate, caps: &Caps) -> bool {
    until(tally, caps).is_some_and(|end| date < end)
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(tally: &Tally, date: NaiveDate, caps: &Caps, text: &mut String) -> bool {
    match tally.pause_until(caps) {
        Some(day) if date < day => {
            let last = tally.last_attempt().map(|(day, _)| Ymd(day));
            let _ = write!(
                text,
                "{} unanswered attempts in a row, the last on {}; paused until {} (after {} unanswered, {} days)",
                tally.streak,
                last.map(|d| d.to_string()).unwrap_or_default(),
                Ymd(day),
                caps.max_unanswered,
                caps.pause_days
            );
            true
        }
        Some(day) => {
            let _ = write!(
                text,
                "{} unanswered attempts in a row; that pause ended on {}",
                tally.streak,
                Ymd(day)
            );
            false
        }
        None => {
            let _ = write!(
                text,
                "{} unanswered attempt{} in a row (a pause starts at {})",
                tally.streak,
                if tally.streak == 1 { "" } else { "s" },
                caps.max_unanswered
            );
            false
        }
    }
}
