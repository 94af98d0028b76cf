//! Rule 2, opted-out: "stop calling" is forever. An opt-out cell that is
//! not a clear no, an opt-out in the history (however old, even on a row
//! that cannot be read), a listing on a do-not-call list. No `eligible_on`.

use super::{Facts, Standing, push_joined};

/// Whether rule 2 holds.
pub fn holds(standing: &Standing<'_>) -> bool {
    standing.signs.opted_out
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(facts: &Facts<'_>, text: &mut String) -> bool {
    if facts.evidence.opted_out.is_empty() {
        text.push_str("no opt-out in the territory, the history or the do-not-call lists");
    } else {
        push_joined(
            text,
            "; ",
            facts.evidence.opted_out.iter().map(String::as_str),
        );
    }
    !facts.evidence.opted_out.is_empty()
}
