//! The eight rules of docs/rules.md, in order: pure functions of what the inputs
//! say about one account, its attempts, the queue date and the policy.
//! Nothing here reads a file or the clock.
//!
//! Each rule is a module of its own, with its decision (`holds`, or
//! `decides`), when it stops holding (`until`, for `eligible_on`) and its
//! words (`describe`, for `explain` and the audit) side by side. `decide`
//! below tries them in order; a new rule is a module and a line there.
//! An account's attempts are folded, in time order, into a small `Tally`
//! (`tally.rs`) that the rules read.

mod bad_data;
mod callback;
mod capped;
mod consent;
mod due;
mod existing;
pub mod limits;
mod opted_out;
mod paused;
mod tally;
mod too_soon;

pub use tally::{FoldDate, OutOfOrder, Tally, same_call_before};

use chrono::NaiveDate;

use crate::domain::policy::Hours;
use crate::domain::{Caps, LastOrder, Policy, Status};

/// Why an account is, or is not, in the queue. The order is docs/rules.md's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    NotExisting,
    OptedOut,
    NoConsent,
    BadData,
    CallbackScheduled,
    Paused,
    Capped,
    TooSoon,
    NotCallingDay,
    /// Queued by the rules, but past the per-rep limit (`--limit`).
    OverLimit,
    Callback,
    Due,
}

impl Reason {
    pub const ALL: [Reason; 12] = [
        Reason::Callback,
        Reason::Due,
        Reason::NotExisting,
        Reason::OptedOut,
        Reason::NoConsent,
        Reason::BadData,
        Reason::CallbackScheduled,
        Reason::Paused,
        Reason::Capped,
        Reason::TooSoon,
        Reason::NotCallingDay,
        Reason::OverLimit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reason::NotExisting => "not-existing",
            Reason::OptedOut => "opted-out",
            Reason::NoConsent => "no-consent",
            Reason::BadData => "bad-data",
            Reason::CallbackScheduled => "callback-scheduled",
            Reason::Paused => "paused",
            Reason::Capped => "capped",
            Reason::TooSoon => "too-soon",
            Reason::NotCallingDay => "not-calling-day",
            Reason::OverLimit => "over-limit",
            Reason::Callback => "callback",
            Reason::Due => "due",
        }
    }

    /// The eight rules, in the order they are tried (docs/rules.md): each
    /// is named for the reason it gives (`callback` also gives
    /// `callback-scheduled`).
    pub const RULES: [Reason; 9] = [
        Reason::NotExisting,
        Reason::OptedOut,
        Reason::NoConsent,
        Reason::BadData,
        Reason::Callback,
        Reason::Paused,
        Reason::Capped,
        Reason::TooSoon,
        Reason::Due,
    ];

    /// Queued accounts are `callback` and `due`; every other reason excludes.
    pub fn is_queued(self) -> bool {
        matches!(self, Reason::Callback | Reason::Due)
    }
}

/// What the territory, the do-not-call lists and the history's flags say
/// about one account. Evidence strings are ready to show (`file:line: ...`).
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub status: Status<'a>,
    pub last_order: LastOrder,
    pub last_inquiry: Option<NaiveDate>,
    /// What the sources say against calling the account, in words.
    pub evidence: &'a Evidence,
    /// The history file's name, for messages that point at its lines.
    pub history_file: &'a str,
    /// The calling days and hours of where the customer is
    /// (`Policy::hours_for`); `None`: the policy's own.
    pub hours: Option<&'a Hours>,
}

/// What the sources (the territory, the history, the do-not-call lists)
/// say against calling an account, each as `file:line: ...`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Every sign that the customer must not be called.
    pub opted_out: Vec<String>,
    /// Every reason the account's data cannot be trusted.
    pub bad: Vec<String>,
    /// Why the territory row cannot be trusted (the id is on several rows,
    /// or the row has too many or too few fields): then only rules 2 and 3
    /// apply, as docs/rules.md says for duplicated ids.
    pub untrusted: Option<&'static str>,
    /// Every sign that the customer agreed to be called (what opt-in mode
    /// asks for).
    pub consent: Vec<String>,
}

impl Evidence {
    pub const NONE: Evidence = Evidence {
        opted_out: Vec::new(),
        bad: Vec::new(),
        untrusted: None,
        consent: Vec::new(),
    };

    pub fn is_empty(&self) -> bool {
        self.opted_out.is_empty() && self.bad.is_empty() && self.untrusted.is_none()
    }

    /// Which kinds of evidence there are.
    pub fn signs(&self) -> Signs {
        Signs {
            opted_out: !self.opted_out.is_empty(),
            bad: !self.bad.is_empty(),
            untrusted: self.untrusted.is_some(),
            consent: !self.consent.is_empty(),
        }
    }
}

/// Which kinds of evidence an account has, without their words: all that
/// the rules decide on (`Evidence` has the words).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signs {
    pub opted_out: bool,
    pub bad: bool,
    pub untrusted: bool,
    /// The customer agreed to be called.
    pub consent: bool,
}

impl Signs {
    pub fn any(self) -> bool {
        self.opted_out || self.bad || self.untrusted
    }
}

/// What the rules decide on besides the tally: the account's standing,
/// and which kinds of evidence there are against calling it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing<'a> {
    pub status: Status<'a>,
    pub last_order: LastOrder,
    pub last_inquiry: Option<NaiveDate>,
    pub signs: Signs,
    pub hours: Option<&'a Hours>,
}

impl Facts<'_> {
    pub fn standing(&self) -> Standing<'_> {
        Standing {
            status: self.status,
            last_order: self.last_order,
            last_inquiry: self.last_inquiry,
            signs: self.evidence.signs(),
            hours: self.hours,
        }
    }
}

/// The rules' answer for one account on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub reason: Reason,
    /// For an excluded account: the first calling day after the date on
    /// which it would be queued if nothing more is recorded.
    pub eligible_on: Option<NaiveDate>,
    /// The rule that decided, for the audit's detail.
    pub rule: Reason,
}

/// Applies the rules in order; the first that applies decides.
pub fn evaluate(facts: &Facts<'_>, tally: &Tally, date: NaiveDate, policy: &Policy) -> Verdict {
    decide(&facts.standing(), tally, date, policy)
}

/// `evaluate` on the account's standing alone: the rules need to know
/// whether there is evidence of each kind, not its words.
pub fn decide(standing: &Standing<'_>, tally: &Tally, date: NaiveDate, policy: &Policy) -> Verdict {
    let excluded = |reason, rule| Verdict {
        reason,
        eligible_on: None,
        rule,
    };
    if standing.signs.untrusted {
        // One verdict for an id on several rows; rule 1 is not consulted.
        return if standing.signs.opted_out {
            excluded(Reason::OptedOut, Reason::OptedOut)
        } else {
            excluded(Reason::BadData, Reason::BadData)
        };
    }
    if existing::holds(standing, date, policy) {
        return excluded(Reason::NotExisting, Reason::NotExisting);
    }
    if opted_out::holds(standing) {
        return excluded(Reason::OptedOut, Reason::OptedOut);
    }
    if consent::holds(standing, policy) {
        return excluded(Reason::NoConsent, Reason::NoConsent);
    }
    if bad_data::holds(standing) {
        return excluded(Reason::BadData, Reason::BadData);
    }
    let caps = &policy.caps;
    let (reason, rule) = if let Some(reason) = callback::decides(tally, date) {
        (reason, Reason::Callback)
    } else if paused::holds(tally, date, caps) {
        (Reason::Paused, Reason::Paused)
    } else if capped::holds(tally, date, caps) {
        (Reason::Capped, Reason::Capped)
    } else if too_soon::holds(tally, date, caps) {
        (Reason::TooSoon, Reason::TooSoon)
    } else {
        (Reason::Due, Reason::Due)
    };
    let hours = standing.hours.unwrap_or(&policy.hours);
    let reason = if reason.is_queued() && !hours.is_calling_day(date) {
        Reason::NotCallingDay
    } else {
        reason
    };
    let eligible_on = if reason.is_queued() {
        None
    } else {
        eligible_after(standing, tally, date, policy)
    };
    Verdict {
        reason,
        eligible_on,
        rule,
    }
}

/// The first calling day after `date` on which the account would be queued
/// with no more attempts recorded; `None` when that day never comes.
fn eligible_after(
    standing: &Standing<'_>,
    tally: &Tally,
    date: NaiveDate,
    policy: &Policy,
) -> Option<NaiveDate> {
    let caps = &policy.caps;
    let tomorrow = date.succ_opt()?;
    let from = match tally.callback {
        Some(cb) => cb.day.max(tomorrow),
        None => [
            paused::until(tally, caps),
            capped::until(tally, caps),
            too_soon::until(tally, caps),
        ]
        .into_iter()
        .flatten()
        .fold(tomorrow, NaiveDate::max),
    };
    let hours = standing.hours.unwrap_or(&policy.hours);
    let day = hours.calling_day_from(from)?;
    // The business relationship may lapse before then (rule 1).
    if existing::holds(standing, day, policy) {
        return None;
    }
    Some(day)
}

/// One rule's finding about one account, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Reason,
    pub applies: bool,
    pub text: String,
}

/// Every rule's finding, in order, for `explain`.
pub fn findings(
    facts: &Facts<'_>,
    tally: &Tally,
    date: NaiveDate,
    policy: &Policy,
) -> Vec<Finding> {
    Reason::RULES
        .iter()
        .map(|&rule| finding(rule, facts, tally, date, policy))
        .collect()
}

/// What one rule finds. `applies` says whether the rule, taken alone, would
/// decide the verdict (for `due`: whether the account is free to call).
pub fn finding(
    rule: Reason,
    facts: &Facts<'_>,
    tally: &Tally,
    date: NaiveDate,
    policy: &Policy,
) -> Finding {
    let mut text = String::new();
    let applies = finding_into(rule, facts, tally, date, policy, &mut text);
    Finding {
        rule,
        applies,
        text,
    }
}

/// `finding`'s words appended to `text` (the audit reuses one string for a
/// million of them); gives whether the rule applies.
pub fn finding_into(
    rule: Reason,
    facts: &Facts<'_>,
    tally: &Tally,
    date: NaiveDate,
    policy: &Policy,
    text: &mut String,
) -> bool {
    if let Some(applies) = tally_finding_into(rule, tally, date, &policy.caps, text) {
        return applies;
    }
    match rule {
        Reason::NotExisting => existing::describe(facts, date, policy, text),
        Reason::OptedOut => opted_out::describe(facts, text),
        Reason::NoConsent => consent::describe(facts, policy, text),
        Reason::BadData => bad_data::describe(facts, text),
        Reason::Callback => callback::describe(facts, tally, date, text),
        Reason::Due => due::describe(facts, tally, date, policy, text),
        // Read from the tally alone, above.
        Reason::Paused | Reason::Capped | Reason::TooSoon => false,
        // Not rules: given by the calling day, the limit, or rule 4.
        Reason::CallbackScheduled | Reason::NotCallingDay | Reason::OverLimit => false,
    }
}

/// `parts` with `between` between them, as `join` writes them.
pub(crate) fn push_joined<'a>(
    text: &mut String,
    between: &str,
    parts: impl Iterator<Item = &'a str>,
) {
    for (k, part) in parts.enumerate() {
        if k > 0 {
            text.push_str(between);
        }
        text.push_str(part);
    }
}

/// What a rule that reads nothing but the tally finds (`paused`, `capped`,
/// `too-soon`), appended to `text`: whether it applies, or `None` for the
/// rules that need the account's other facts (and nothing is written).
/// The audit takes this path for most of its lines, without gathering them.
#[inline]
pub fn tally_finding_into(
    rule: Reason,
    tally: &Tally,
    date: NaiveDate,
    caps: &Caps,
    text: &mut String,
) -> Option<bool> {
    match rule {
        Reason::Paused => Some(paused::describe(tally, date, caps, text)),
        Reason::Capped => Some(capped::describe(tally, date, caps, text)),
        Reason::TooSoon => Some(too_soon::describe(tally, date, caps, text)),
        _ => None,
    }
}

/// Appends `n` in decimal, as `{n}` writes it, without the formatter.
#[inline]
pub fn push_number(text: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    text.extend(digits[at..].iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::{Ymd, add_days, days_between, parse_date};
    use crate::domain::{Attempt, Callback, Outcome};

    pub(super) fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    pub(super) fn policy() -> Policy {
        Policy::default()
    }

    pub(super) const CLEAN: Facts<'static> = Facts {
        status: Status::NoColumn,
        last_order: LastOrder::Missing,
        evidence: &Evidence::NONE,
        history_file: "history.csv",
        hours: None,
        last_inquiry: None,
    };

    #[test]
    fn rule_one_words_are_the_formatted_sentence() {
        // The words as `format!` writes them, piece by piece as the audit
        // builds them: every status, every last order (ages past and
        // within the limit, the day of it, a date ahead), with and without
        // ebr_days, trusted or not.
        fn formatted(facts: &Facts<'_>, date: NaiveDate, policy: &Policy) -> String {
            let existing = format!(" ({})", policy.existing_statuses.join(", "));
            let mut text = match facts.status {
                Status::NoColumn => "the territory has no status column".to_owned(),
                Status::Existing(s) => format!("status {s:?} is an existing status"),
                Status::Other("") => {
                    format!("status is empty, which is not an existing status{existing}")
                }
                Status::Other(s) => format!("status {s:?} is not an existing status{existing}"),
            };
            if let Some(ebr) = policy.ebr_days {
                text += &match facts.last_order {
                    LastOrder::Missing => format!("; no last_order, and ebr_days is {ebr}"),
                    LastOrder::Unreadable => {
                        format!("; last_order cannot be read, and ebr_days is {ebr}")
                    }
                    LastOrder::Date(day) => {
                        let age = days_between(day, date);
                        let last = Ymd(day);
                        if age > i64::from(ebr) {
                            format!(
                                "; the last order ({last}) is {age} days old, more than ebr_days ({ebr})"
                            )
                        } else {
                            format!(
                                "; the last order ({last}) is {age} days old, within ebr_days ({ebr}) until {}",
                                Ymd(add_days(day, ebr))
                            )
                        }
                    }
                };
            }
            if let Some(why) = facts.evidence.untrusted {
                text += &format!(" (not consulted: {why})");
            }
            text
        }
        let date = d("2026-11-24");
        let statuses = [
            Status::NoColumn,
            Status::Existing("Active"),
            Status::Other(""),
            Status::Other("Pro\"spect\u{7}"),
        ];
        let orders = [
            LastOrder::Missing,
            LastOrder::Unreadable,
            LastOrder::Date(d("2025-05-29")),
            LastOrder::Date(d("2025-05-30")),
            LastOrder::Date(d("2025-05-31")),
            LastOrder::Date(date),
            LastOrder::Date(d("2027-01-01")),
        ];
        for ebr in [None, Some(0), Some(540)] {
            let policy = Policy {
                ebr_days: ebr,
                ..policy()
            };
            for (status, last_order, untrusted) in statuses
                .iter()
                .flat_map(|&s| orders.iter().map(move |&o| (s, o)))
                .flat_map(|(s, o)| [None, Some("its row is ragged")].map(|u| (s, o, u)))
            {
                let evidence = Evidence {
                    untrusted,
                    ..Evidence::NONE
                };
                let facts = Facts {
                    status,
                    last_order,
                    evidence: &evidence,
                    ..CLEAN
                };
                let mut text = String::new();
                existing::describe(&facts, date, &policy, &mut text);
                assert_eq!(text, formatted(&facts, date, &policy));
            }
        }
    }

    /// An attempt at noon on `day` (moments order by day, then by file order).
    pub(super) fn at(day: &str, outcome: Outcome) -> Attempt {
        let day = d(day);
        Attempt {
            at: i64::from(crate::datetime::day_number(day)) * 86_400_000_000_000
                + 43_200_000_000_000,
            day,
            outcome,
            callback: None,
            line: 0,
        }
    }

    pub(super) fn callback(day: &str, for_day: &str) -> Attempt {
        let mut a = at(day, Outcome::Callback);
        let cb = at(for_day, Outcome::Callback);
        a.callback = Some(Callback {
            at: cb.at,
            day: cb.day,
            line: 7,
        });
        a
    }

    pub(super) fn verdict(attempts: &[Attempt], date: &str) -> Verdict {
        verdict_with(attempts, date, &policy())
    }

    pub(super) fn verdict_with(attempts: &[Attempt], date: &str, policy: &Policy) -> Verdict {
        let mut attempts = attempts.to_vec();
        let tally = Tally::from_attempts(&mut attempts, d(date), &policy.caps);
        evaluate(&CLEAN, &tally, d(date), policy)
    }

    pub(super) fn reason(attempts: &[Attempt], date: &str) -> Reason {
        verdict(attempts, date).reason
    }

    pub(super) fn unanswered(days: &[&str]) -> Vec<Attempt> {
        days.iter().map(|s| at(s, Outcome::NoAnswer)).collect()
    }

    // ----- order and the date -----

    #[test]
    fn attempts_after_the_date_are_left_out() {
        let attempts = [at("2026-11-24", Outcome::Answered)];
        assert_eq!(reason(&attempts, "2026-11-23"), Reason::Due);
        assert_eq!(reason(&attempts, "2026-11-24"), Reason::TooSoon);
    }

    #[test]
    fn fold_refuses_an_earlier_attempt() {
        let caps = policy().caps;
        let mut t = Tally::default();
        let date = FoldDate::new(d("2026-11-23"), &caps);
        assert_eq!(
            t.fold(&at("2026-11-10", Outcome::NoAnswer), &date, &caps),
            Ok(())
        );
        assert_eq!(
            t.fold(&at("2026-11-10", Outcome::Answered), &date, &caps),
            Ok(())
        );
        assert_eq!(
            t.fold(&at("2026-11-09", Outcome::Answered), &date, &caps),
            Err(OutOfOrder)
        );
    }

    #[test]
    fn same_moment_keeps_file_order() {
        // An unanswered row then a callback row at the same moment: the
        // callback is the latest, so it is pending.
        let mut cb = callback("2026-11-20", "2026-11-23");
        let mut na = at("2026-11-20", Outcome::NoAnswer);
        na.at = cb.at;
        assert_eq!(reason(&[na, cb], "2026-11-23"), Reason::Callback);
        cb.at = na.at;
        assert_eq!(reason(&[cb, na], "2026-11-23"), Reason::TooSoon);
    }

    #[test]
    fn too_soon_words_each_wait_the_day_before_the_day_of_and_after() {
        let p = policy();
        let finding_on = |attempts: &[Attempt], date: &str| {
            let mut a = attempts.to_vec();
            let t = Tally::from_attempts(&mut a, d(date), &p.caps);
            finding(Reason::TooSoon, &CLEAN, &t, d(date), &p)
        };
        let attempts = [
            at("2026-09-01", Outcome::Answered),
            at("2026-11-20", Outcome::NoAnswer),
        ];
        let retry = "the last attempt (2026-11-20) went unanswered; the wait after one is 7 days";
        let gap = "the last contact was on 2026-09-01; the gap after one is 90 days";
        let f = finding_on(&attempts, "2026-11-26");
        assert!(f.applies);
        assert_eq!(
            f.text,
            format!("{retry}, until 2026-11-27; {gap}, until 2026-11-30")
        );
        let f = finding_on(&attempts, "2026-11-27");
        assert!(f.applies);
        assert_eq!(
            f.text,
            format!("{retry}, over since 2026-11-27; {gap}, until 2026-11-30")
        );
        let f = finding_on(&attempts, "2026-11-30");
        assert!(!f.applies);
        assert_eq!(
            f.text,
            format!("{retry}, over since 2026-11-27; {gap}, over since 2026-11-30")
        );
        // Only the gap, after an answered call; and nothing at all.
        let f = finding_on(&attempts[..1], "2026-11-29");
        assert!(f.applies);
        assert_eq!(f.text, format!("{gap}, until 2026-11-30"));
        let f = finding_on(&[], "2026-11-29");
        assert!(!f.applies);
        assert_eq!(f.text, "never called");
    }

    #[test]
    fn findings_name_every_rule_and_agree_with_the_verdict() {
        let attempts = [
            at("2026-01-10", Outcome::Answered),
            at("2026-06-01", Outcome::Answered),
        ];
        let p = policy();
        let mut a = attempts.to_vec();
        let t = Tally::from_attempts(&mut a, d("2026-11-23"), &p.caps);
        let f = findings(&CLEAN, &t, d("2026-11-23"), &p);
        assert_eq!(f.len(), 9);
        let capped = &f[6];
        assert_eq!(capped.rule, Reason::Capped);
        assert!(capped.applies);
        assert_eq!(
            capped.text,
            "2 contacts in the last 365 days (2026-01-10, 2026-06-01); the cap is 2; the earliest of those leaves the window on 2027-01-10"
        );
        assert!(!f[8].applies);
        assert_eq!(f[8].text, "held back: capped");
    }
}
