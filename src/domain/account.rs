//! What the rules know of an account and of a call: the territory's
//! status and last order as rule 1 reads them, and one call attempt.

use chrono::NaiveDate;

use crate::datetime::Nanos;
use crate::domain::Outcome;

/// The territory's `status`, as rule 1 reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    /// The territory has no status column.
    NoColumn,
    /// One of `existing_statuses`.
    Existing(&'a str),
    /// Anything else, empty included.
    Other(&'a str),
}

/// The territory's `last_order`, as rule 1 reads it when `ebr_days` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastOrder {
    Date(NaiveDate),
    Missing,
    Unreadable,
}

/// One call attempt, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub at: Nanos,
    /// The date of `at` in the office's zone.
    pub day: NaiveDate,
    pub outcome: Outcome,
    /// For `callback`: when the customer asked to be called.
    pub callback: Option<Callback>,
    /// The history line, for messages.
    pub line: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Callback {
    pub at: Nanos,
    /// The date of the callback time in the office's zone.
    pub day: NaiveDate,
    /// The history line that asked for it (saturated at `u32::MAX`: one of
    /// these is kept per account).
    pub line: u32,
}
