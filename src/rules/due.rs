//! Rule 8, due: none of the rules before it holds, and the account is
//! queued (on a calling day; on another it is `not-calling-day`).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Facts, Reason, Tally, evaluate};
use crate::domain::Policy;

/// The rule's words, appended to `text`; whether the account is free to
/// call today.
pub fn describe(
    facts: &Facts<'_>,
    tally: &Tally,
    date: NaiveDate,
    policy: &Policy,
    text: &mut String,
) -> bool {
    let verdict = evaluate(facts, tally, date, policy);
    let _ = match (
        verdict.reason,
        policy.hours_for(facts.zone).closed_because(date),
    ) {
        (Reason::Due | Reason::Callback, _) => text.write_str("free to call today"),
        (Reason::NotCallingDay, Some(why)) => write!(text, "no calls today: {why}"),
        (reason, _) => write!(text, "held back: {}", reason.name()),
    };
    verdict.reason.is_queued()
}
