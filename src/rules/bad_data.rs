//! Rule 3, bad-data: when the data cannot be trusted, nobody is called,
//! and the words name the file and line to mend. No `eligible_on`.

use super::{Facts, Standing, push_joined};

/// Whether rule 3 holds.
pub fn holds(standing: &Standing<'_>) -> bool {
    standing.signs.bad
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(facts: &Facts<'_>, text: &mut String) -> bool {
    let untrusted = facts
        .evidence
        .untrusted
        .filter(|_| facts.evidence.bad.is_empty());
    if facts.evidence.bad.is_empty() && untrusted.is_none() {
        text.push_str("the account's territory row and history read cleanly");
        return false;
    }
    push_joined(
        text,
        "; ",
        facts
            .evidence
            .bad
            .iter()
            .map(String::as_str)
            .chain(untrusted),
    );
    true
}
