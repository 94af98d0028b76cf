//! The eight rules of docs/rules.md, in order: pure functions of what the inputs
//! say about one account, its attempts, the queue date and the policy.
//! Nothing here reads a file or the clock.
//!
//! An account's attempts are folded, in time order, into a small `Tally`;
//! every rule then reads the tally. Folding as the history streams past keeps
//! memory to one tally per account, however long the history.

use std::fmt::Write as _;

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::datetime::{Nanos, Ymd, add_days, days_between};
use crate::domain::{Attempt, Callback, Caps, LastOrder, Outcome, Policy, Status};

/// Why an account is, or is not, in the queue. The order is docs/rules.md's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    NotExisting,
    OptedOut,
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
    pub const ALL: [Reason; 11] = [
        Reason::Callback,
        Reason::Due,
        Reason::NotExisting,
        Reason::OptedOut,
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
    pub const RULES: [Reason; 8] = [
        Reason::NotExisting,
        Reason::OptedOut,
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
    /// Every sign that the customer must not be called.
    pub opted_out: &'a [String],
    /// Every reason the account's data cannot be trusted.
    pub bad: &'a [String],
    /// Why the territory row cannot be trusted (the id is on several rows,
    /// or the row has too many or too few fields): then only rules 2 and 3
    /// apply, as docs/rules.md says for duplicated ids.
    pub untrusted: Option<&'a str>,
    /// The history file's name, for messages that point at its lines.
    pub history_file: &'a str,
    /// The customer's zone, when known: the policy's hours are asked for it.
    pub zone: Option<Tz>,
}

/// What the rules decide on besides the tally: the account's standing,
/// and whether any source says not to call it or not to trust its data
/// (`Facts` has the words for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing<'a> {
    pub status: Status<'a>,
    pub last_order: LastOrder,
    pub opted_out: bool,
    pub bad: bool,
    pub untrusted: bool,
    pub zone: Option<Tz>,
}

impl Facts<'_> {
    pub fn standing(&self) -> Standing<'_> {
        Standing {
            status: self.status,
            last_order: self.last_order,
            opted_out: !self.opted_out.is_empty(),
            bad: !self.bad.is_empty(),
            untrusted: self.untrusted.is_some(),
            zone: self.zone,
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

/// An account's attempts on or before the queue date, folded in time order.
/// Small and fixed in size: there is one per account, however long the
/// history. Laid out in a fixed order (8-byte fields first) in 64 bytes, so
/// that a tally the history scan keeps 64-byte aligned is one cache line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[repr(C)]
pub struct Tally {
    /// The moment of the latest attempt folded (`i64::MIN`: none yet).
    last_at: Nanos,
    /// The pending callback: the latest attempt, when it is a callback.
    pub callback: Option<Callback>,
    /// The most recent contact days, oldest first, at most `max_contacts`.
    recent: Recent,
    /// Rule 5's streak of unanswered attempts.
    pub streak: u32,
    /// Contacts whose day is within `window_days` of the queue date.
    pub contacts_in_window: u32,
    /// When the current pause ends (set once the streak reaches the limit).
    pub pause_end: Option<NaiveDate>,
    /// The day of the latest attempt (which went unanswered exactly when
    /// the streak is running).
    last_attempt_day: Option<NaiveDate>,
    pub last_contact: Option<NaiveDate>,
    /// The history rows read for the account, readable or not, as the
    /// history's scan counts them (folding attempts leaves it be): kept
    /// here, on the tally's cache line, rather than in a table of its own.
    pub rows: u32,
}

impl Tally {
    /// Reads a field from the start and the end of the tally, so that all
    /// its cache lines are loaded; for warming a batch of tallies ahead of
    /// folding into them.
    pub fn touch(&self) -> u32 {
        (self.last_at as u32) ^ self.rows
    }

    /// The day of the latest attempt, and whether it went unanswered: an
    /// unanswered attempt leaves a streak of at least one, a contact none.
    pub fn last_attempt(&self) -> Option<(NaiveDate, bool)> {
        self.last_attempt_day.map(|day| (day, self.streak > 0))
    }
}

/// The last `max_contacts` contact days: inline for the usual small caps
/// (16 bytes either way: the boxed form lies beside the inline days).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Recent {
    Few {
        len: u8,
        days: [NaiveDate; 3],
    },
    // Boxed so that the usual tally stays small (a Vec inline is 24 bytes).
    #[allow(clippy::box_collection)]
    Many(Box<Vec<NaiveDate>>),
}

impl Recent {
    fn as_slice(&self) -> &[NaiveDate] {
        match self {
            Recent::Few { len, days } => &days[..*len as usize],
            Recent::Many(days) => days,
        }
    }

    /// Adds the newest day, keeping at most `keep`.
    fn push(&mut self, day: NaiveDate, keep: usize) {
        match self {
            Recent::Few { len, days } if keep <= days.len() => {
                let n = *len as usize;
                if n == keep {
                    days.copy_within(1..n, 0);
                    days[n - 1] = day;
                } else {
                    days[n] = day;
                    *len += 1;
                }
            }
            Recent::Few { .. } => {
                let mut many = self.as_slice().to_vec();
                many.push(day);
                *self = Recent::Many(Box::new(many));
            }
            Recent::Many(days) => {
                if days.len() == keep {
                    days.remove(0);
                }
                days.push(day);
            }
        }
    }
}

impl Default for Tally {
    fn default() -> Tally {
        Tally::new()
    }
}

/// An attempt came earlier than one already folded: the account's attempts
/// must be sorted and folded again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfOrder;

/// The queue date as folding needs it, with the days whose contacts count
/// in the window worked out once rather than for every attempt.
#[derive(Debug, Clone, Copy)]
pub struct FoldDate {
    pub date: NaiveDate,
    window: Window,
}

/// Which days up to the queue date are within `window_days` of it.
#[derive(Debug, Clone, Copy)]
enum Window {
    /// Every day (the window reaches past the first date there is).
    Every,
    /// This day and after.
    From(NaiveDate),
    /// None (a window of no days).
    Empty,
}

impl FoldDate {
    pub fn new(date: NaiveDate, caps: &Caps) -> FoldDate {
        // days_between(day, date) < window_days, for a day not after the
        // date: the day is at most window_days - 1 before it.
        let window = match caps.window_days.checked_sub(1) {
            None => Window::Empty,
            Some(back) => date
                .checked_sub_days(chrono::Days::new(back.into()))
                .map_or(Window::Every, Window::From),
        };
        FoldDate { date, window }
    }

    /// Whether a contact on `day` (not after the date) counts in the window.
    fn in_window(&self, day: NaiveDate) -> bool {
        match self.window {
            Window::Every => true,
            Window::From(first) => day >= first,
            Window::Empty => false,
        }
    }
}

impl Tally {
    /// An account never called.
    pub const fn new() -> Tally {
        Tally {
            last_at: i64::MIN,
            streak: 0,
            contacts_in_window: 0,
            pause_end: None,
            last_attempt_day: None,
            last_contact: None,
            rows: 0,
            recent: Recent::Few {
                len: 0,
                days: [NaiveDate::MIN; 3],
            },
            callback: None,
        }
    }

    /// Folds in one attempt, which must not be earlier than any folded so
    /// far. Attempts after the queue date are left out (replaying a past
    /// date). The date is prepared once for many attempts (`FoldDate`).
    pub fn fold(&mut self, a: &Attempt, at: &FoldDate, caps: &Caps) -> Result<(), OutOfOrder> {
        let date = at.date;
        if a.day > date {
            return Ok(());
        }
        if a.at < self.last_at {
            return Err(OutOfOrder);
        }
        if !a.outcome.is_attempt() {
            return Ok(());
        }
        self.last_at = a.at;
        if a.outcome.is_contact() {
            self.streak = 0;
            self.last_contact = Some(a.day);
            self.recent.push(a.day, caps.max_contacts as usize);
            if at.in_window(a.day) {
                self.contacts_in_window += 1;
            }
        } else {
            // After a pause has ended, the count starts again.
            if self.streak >= caps.max_unanswered && self.pause_end.is_some_and(|end| end <= a.day)
            {
                self.streak = 0;
            }
            self.streak = self.streak.saturating_add(1);
            if self.streak >= caps.max_unanswered {
                self.pause_end = Some(add_days(a.day, caps.pause_days));
            }
        }
        self.last_attempt_day = Some(a.day);
        self.callback = match (a.outcome, a.callback) {
            (Outcome::Callback, Some(cb)) => Some(cb),
            _ => None,
        };
        Ok(())
    }

    /// Folds a whole list of attempts: sorted by time first (a stable sort,
    /// so equal times keep their file order).
    pub fn from_attempts(attempts: &mut [Attempt], date: NaiveDate, caps: &Caps) -> Tally {
        attempts.sort_by_key(|a| a.at);
        let mut tally = Tally::new();
        let at = FoldDate::new(date, caps);
        for a in attempts.iter() {
            // Sorted, so never out of order.
            let _ = tally.fold(a, &at, caps);
        }
        tally
    }

    /// The day the current pause ends, if the streak has reached the limit.
    pub fn pause_until(&self, caps: &Caps) -> Option<NaiveDate> {
        if self.streak >= caps.max_unanswered {
            self.pause_end
        } else {
            None
        }
    }

    /// The day the contact cap lifts: when the `max_contacts`-th most recent
    /// contact leaves the window.
    pub fn cap_until(&self, caps: &Caps) -> Option<NaiveDate> {
        let m = caps.max_contacts as usize;
        let recent = self.recent.as_slice();
        if recent.len() < m {
            return None;
        }
        let oldest = recent[recent.len() - m];
        Some(add_days(oldest, caps.window_days))
    }

    /// The end of the wait after an unanswered latest attempt.
    pub fn retry_until(&self, caps: &Caps) -> Option<NaiveDate> {
        match self.last_attempt() {
            Some((day, true)) => Some(add_days(day, caps.retry_days)),
            _ => None,
        }
    }

    /// The end of the wait after the latest contact.
    pub fn gap_until(&self, caps: &Caps) -> Option<NaiveDate> {
        self.last_contact
            .map(|day| add_days(day, caps.contact_gap_days))
    }

    /// Rule 5's streak as the queue shows it: 0 once its pause has ended.
    pub fn unanswered_on(&self, date: NaiveDate, caps: &Caps) -> u32 {
        match self.pause_until(caps) {
            Some(end) if end <= date => 0,
            _ => self.streak,
        }
    }

    /// The most recent contact days, oldest first (at most `max_contacts`).
    pub fn recent_contacts(&self) -> &[NaiveDate] {
        self.recent.as_slice()
    }
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
    if standing.untrusted {
        // One verdict for an id on several rows; rule 1 is not consulted.
        return if standing.opted_out {
            excluded(Reason::OptedOut, Reason::OptedOut)
        } else {
            excluded(Reason::BadData, Reason::BadData)
        };
    }
    if not_existing_on(standing, date, policy) {
        return excluded(Reason::NotExisting, Reason::NotExisting);
    }
    if standing.opted_out {
        return excluded(Reason::OptedOut, Reason::OptedOut);
    }
    if standing.bad {
        return excluded(Reason::BadData, Reason::BadData);
    }
    let caps = &policy.caps;
    let (reason, rule) = match tally.callback {
        Some(cb) if cb.day > date => (Reason::CallbackScheduled, Reason::Callback),
        Some(_) => (Reason::Callback, Reason::Callback),
        None if tally.pause_until(caps).is_some_and(|end| date < end) => {
            (Reason::Paused, Reason::Paused)
        }
        None if tally.cap_until(caps).is_some_and(|end| date < end) => {
            (Reason::Capped, Reason::Capped)
        }
        None if too_soon_until(tally, caps).is_some_and(|end| date < end) => {
            (Reason::TooSoon, Reason::TooSoon)
        }
        None => (Reason::Due, Reason::Due),
    };
    let reason = if reason.is_queued() && !policy.hours_for(standing.zone).is_calling_day(date) {
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

fn not_existing_on(standing: &Standing<'_>, date: NaiveDate, policy: &Policy) -> bool {
    if matches!(standing.status, Status::Other(_)) {
        return true;
    }
    match (policy.ebr_days, standing.last_order) {
        (None, _) => false,
        (Some(_), LastOrder::Missing | LastOrder::Unreadable) => true,
        (Some(ebr), LastOrder::Date(last)) => days_between(last, date) > i64::from(ebr),
    }
}

/// When rule 7 stops holding the account back.
fn too_soon_until(tally: &Tally, caps: &Caps) -> Option<NaiveDate> {
    tally.retry_until(caps).max(tally.gap_until(caps))
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
            tally.pause_until(caps),
            tally.cap_until(caps),
            too_soon_until(tally, caps),
        ]
        .into_iter()
        .flatten()
        .fold(tomorrow, NaiveDate::max),
    };
    let day = policy.hours_for(standing.zone).calling_day_from(from)?;
    // The business relationship may lapse before then (rule 1).
    if not_existing_on(standing, day, policy) {
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
        Reason::NotExisting => {
            describe_existing(facts, date, policy, text);
            not_existing_on(&facts.standing(), date, policy)
        }
        Reason::OptedOut => {
            if facts.opted_out.is_empty() {
                text.push_str("no opt-out in the territory, the history or the do-not-call lists");
            } else {
                push_joined(text, "; ", facts.opted_out.iter().map(String::as_str));
            }
            !facts.opted_out.is_empty()
        }
        Reason::BadData => {
            let untrusted = facts.untrusted.filter(|_| facts.bad.is_empty());
            if facts.bad.is_empty() && untrusted.is_none() {
                text.push_str("the account's territory row and history read cleanly");
                return false;
            }
            push_joined(
                text,
                "; ",
                facts.bad.iter().map(String::as_str).chain(untrusted),
            );
            true
        }
        Reason::Callback => match tally.callback {
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
        },
        Reason::Due => {
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
        // Read from the tally alone, above.
        Reason::Paused | Reason::Capped | Reason::TooSoon => false,
        // Not rules: given by the calling day, the limit, or rule 4.
        Reason::CallbackScheduled | Reason::NotCallingDay | Reason::OverLimit => false,
    }
}

/// `parts` with `between` between them, as `join` writes them.
fn push_joined<'a>(text: &mut String, between: &str, parts: impl Iterator<Item = &'a str>) {
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
pub fn tally_finding_into(
    rule: Reason,
    tally: &Tally,
    date: NaiveDate,
    caps: &Caps,
    text: &mut String,
) -> Option<bool> {
    match rule {
        Reason::Paused => Some(describe_pause(tally, date, caps, text)),
        Reason::Capped => Some(describe_cap(tally, date, caps, text)),
        Reason::TooSoon => Some(describe_too_soon(tally, date, caps, text)),
        _ => None,
    }
}

fn describe_existing(facts: &Facts<'_>, date: NaiveDate, policy: &Policy, text: &mut String) {
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
    if let Some(why) = facts.untrusted {
        text.push_str(" (not consulted: ");
        text.push_str(why);
        text.push(')');
    }
}

fn describe_pause(tally: &Tally, date: NaiveDate, caps: &Caps, text: &mut String) -> bool {
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

fn describe_cap(tally: &Tally, date: NaiveDate, caps: &Caps, text: &mut String) -> bool {
    // Built piece by piece: the audit writes this for a third of a large
    // territory, and `format!` costs several times as much.
    let n = tally.contacts_in_window;
    push_number(text, n.into());
    text.push_str(if n == 1 {
        " contact in the last "
    } else {
        " contacts in the last "
    });
    push_number(text, caps.window_days.into());
    text.push_str(" days");
    let listed = tally
        .recent_contacts()
        .iter()
        .filter(|&&c| days_between(c, date) < i64::from(caps.window_days));
    let count = listed.clone().count();
    if count > 0 {
        text.push_str(if (n as usize) > count {
            " (the latest: "
        } else {
            " ("
        });
        for (k, &day) in listed.enumerate() {
            if k > 0 {
                text.push_str(", ");
            }
            Ymd(day).push_to(text);
        }
        text.push(')');
    }
    text.push_str("; the cap is ");
    push_number(text, caps.max_contacts.into());
    match tally.cap_until(caps) {
        Some(end) if date < end => {
            text.push_str("; the earliest of those leaves the window on ");
            Ymd(end).push_to(text);
            true
        }
        _ => false,
    }
}

/// Appends `n` in decimal, as `{n}` writes it, without the formatter.
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

fn describe_too_soon(tally: &Tally, date: NaiveDate, caps: &Caps, text: &mut String) -> bool {
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
    use super::*;
    use crate::datetime::parse_date;

    #[test]
    fn the_fold_dates_window_holds_the_days_within_window_days() {
        // The day before the window, its first day and the day after, for
        // windows of no days, one, two and a year, and near the first date.
        let dates = [
            d("2026-11-24"),
            d("2024-03-01"),
            NaiveDate::MIN,
            add_days(NaiveDate::MIN, 3),
        ];
        for window_days in [0, 1, 2, 3, 365, u32::MAX] {
            let caps = Caps {
                window_days,
                ..Caps::default()
            };
            for &date in &dates {
                let at = FoldDate::new(date, &caps);
                for back in 0..=400 {
                    let Some(day) = date.checked_sub_days(chrono::Days::new(back)) else {
                        break;
                    };
                    assert_eq!(
                        at.in_window(day),
                        days_between(day, date) < i64::from(window_days),
                        "{day} before {date}, window {window_days}"
                    );
                }
            }
        }
    }

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn policy() -> Policy {
        Policy::default()
    }

    const CLEAN: Facts<'static> = Facts {
        status: Status::NoColumn,
        last_order: LastOrder::Missing,
        opted_out: &[],
        bad: &[],
        untrusted: None,
        history_file: "history.csv",
        zone: None,
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
            if let Some(why) = facts.untrusted {
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
                let facts = Facts {
                    status,
                    last_order,
                    untrusted,
                    ..CLEAN
                };
                let mut text = String::new();
                describe_existing(&facts, date, &policy, &mut text);
                assert_eq!(text, formatted(&facts, date, &policy));
            }
        }
    }

    /// An attempt at noon on `day` (moments order by day, then by file order).
    fn at(day: &str, outcome: Outcome) -> Attempt {
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

    fn callback(day: &str, for_day: &str) -> Attempt {
        let mut a = at(day, Outcome::Callback);
        let cb = at(for_day, Outcome::Callback);
        a.callback = Some(Callback {
            at: cb.at,
            day: cb.day,
            line: 7,
        });
        a
    }

    fn verdict(attempts: &[Attempt], date: &str) -> Verdict {
        verdict_with(attempts, date, &policy())
    }

    fn verdict_with(attempts: &[Attempt], date: &str, policy: &Policy) -> Verdict {
        let mut attempts = attempts.to_vec();
        let tally = Tally::from_attempts(&mut attempts, d(date), &policy.caps);
        evaluate(&CLEAN, &tally, d(date), policy)
    }

    fn reason(attempts: &[Attempt], date: &str) -> Reason {
        verdict(attempts, date).reason
    }

    fn unanswered(days: &[&str]) -> Vec<Attempt> {
        days.iter().map(|s| at(s, Outcome::NoAnswer)).collect()
    }

    // ----- rule 8 and calling days -----

    #[test]
    fn numbers_and_days_are_pushed_as_formatted() {
        for n in [0u64, 7, 10, 99, 100, 65_535, u64::from(u32::MAX), u64::MAX] {
            let mut text = String::from("x");
            push_number(&mut text, n);
            assert_eq!(text, format!("x{n}"));
        }
        for day in ["2026-11-24", "0001-01-01", "9999-12-31"] {
            let mut text = String::new();
            Ymd(d(day)).push_to(&mut text);
            assert_eq!(text, day);
        }
    }

    #[test]
    fn never_called_account_is_due() {
        let v = verdict(&[], "2026-11-23");
        assert_eq!(v.reason, Reason::Due);
        assert_eq!(v.eligible_on, None);
    }

    #[test]
    fn weekend_and_holiday_give_not_calling_day_with_next_calling_day() {
        let mut p = policy();
        p.hours.holidays.insert(d("2026-12-25"));
        let v = verdict_with(&[], "2026-11-28", &p); // a Saturday
        assert_eq!(v.reason, Reason::NotCallingDay);
        assert_eq!(v.eligible_on, Some(d("2026-11-30")));
        let v = verdict_with(&[], "2026-12-24", &p); // Thursday before the holiday
        assert_eq!(v.reason, Reason::Due);
        let v = verdict_with(&[], "2026-12-25", &p);
        assert_eq!(v.reason, Reason::NotCallingDay);
        assert_eq!(v.eligible_on, Some(d("2026-12-28")));
        let v = verdict_with(&[], "2026-12-28", &p);
        assert_eq!(v.reason, Reason::Due);
    }

    #[test]
    fn not_calling_day_only_replaces_queued_verdicts() {
        let v = verdict(&unanswered(&["2026-11-27"]), "2026-11-28");
        assert_eq!(v.reason, Reason::TooSoon);
    }

    // ----- rule 1 -----

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

    // ----- rules 2 and 3 -----

    #[test]
    fn opt_out_beats_bad_data_and_everything_after() {
        let opt = ["territory.csv:3: opt_out is \"yes\"".to_owned()];
        let bad = ["territory.csv:3: no phone".to_owned()];
        let facts = Facts {
            opted_out: &opt,
            bad: &bad,
            ..CLEAN
        };
        let mut attempts = vec![callback("2026-11-20", "2026-11-23")];
        let t = Tally::from_attempts(&mut attempts, d("2026-11-23"), &policy().caps);
        let v = evaluate(&facts, &t, d("2026-11-23"), &policy());
        assert_eq!((v.reason, v.eligible_on), (Reason::OptedOut, None));
        let facts = Facts { bad: &bad, ..CLEAN };
        let v = evaluate(&facts, &t, d("2026-11-23"), &policy());
        assert_eq!((v.reason, v.eligible_on), (Reason::BadData, None));
    }

    #[test]
    fn not_existing_comes_before_opted_out() {
        let opt = ["x".to_owned()];
        let facts = Facts {
            status: Status::Other("lead"),
            opted_out: &opt,
            ..CLEAN
        };
        let v = evaluate(&facts, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::NotExisting);
    }

    #[test]
    fn duplicated_id_skips_rule_one() {
        let opt = ["x".to_owned()];
        let dup = Facts {
            status: Status::Other("lead"),
            untrusted: Some("the id is on more than one territory row"),
            ..CLEAN
        };
        let v = evaluate(&dup, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::BadData);
        let dup = Facts {
            opted_out: &opt,
            ..dup
        };
        let v = evaluate(&dup, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::OptedOut);
    }

    // ----- rule 4 -----

    #[test]
    fn callback_is_scheduled_before_its_day_and_queued_on_and_after_it() {
        let attempts = [callback("2026-11-20", "2026-11-26")];
        let v = verdict(&attempts, "2026-11-25");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::CallbackScheduled, Some(d("2026-11-26")))
        );
        assert_eq!(reason(&attempts, "2026-11-26"), Reason::Callback);
        assert_eq!(reason(&attempts, "2026-11-27"), Reason::Callback);
        // It stays pending, however old.
        assert_eq!(reason(&attempts, "2027-06-01"), Reason::Callback);
    }

    #[test]
    fn callback_overrides_pause_cap_and_wait() {
        let mut attempts = unanswered(&[
            "2026-10-01",
            "2026-10-02",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
        ]);
        attempts.push(at("2026-11-02", Outcome::Answered));
        attempts.push(callback("2026-11-20", "2026-11-23"));
        assert_eq!(reason(&attempts, "2026-11-23"), Reason::Callback);
    }

    #[test]
    fn a_later_attempt_clears_the_callback() {
        let attempts = [
            callback("2026-11-20", "2026-11-23"),
            at("2026-11-23", Outcome::NoAnswer),
        ];
        // Called on the day (unanswered): too soon now, the callback is spent.
        assert_eq!(reason(&attempts, "2026-11-23"), Reason::TooSoon);
        assert_eq!(reason(&attempts, "2026-11-22"), Reason::CallbackScheduled);
    }

    #[test]
    fn scheduled_callback_on_a_weekend_is_eligible_the_next_calling_day() {
        let attempts = [callback("2026-11-20", "2026-11-28")]; // a Saturday
        let v = verdict(&attempts, "2026-11-23");
        assert_eq!(v.eligible_on, Some(d("2026-11-30")));
        assert_eq!(reason(&attempts, "2026-11-28"), Reason::NotCallingDay);
    }

    // ----- rule 5 -----

    #[test]
    fn paused_after_five_unanswered_until_pause_ends() {
        let attempts = unanswered(&[
            "2026-09-01",
            "2026-09-08",
            "2026-09-15",
            "2026-09-22",
            "2026-09-29",
        ]);
        // Pause ends 2026-09-29 + 60 = 2026-11-28 (a Saturday).
        let v = verdict(&attempts, "2026-11-27");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::Paused, Some(d("2026-11-30")))
        );
        assert_eq!(reason(&attempts, "2026-11-28"), Reason::NotCallingDay);
        assert_eq!(reason(&attempts, "2026-11-30"), Reason::Due);
        assert_eq!(reason(&attempts, "2026-09-30"), Reason::Paused);
        // Every day a calling day: the day before, of and after the end.
        let mut p = policy();
        p.hours.days = [true; 7];
        assert_eq!(
            verdict_with(&attempts, "2026-11-27", &p).reason,
            Reason::Paused
        );
        assert_eq!(
            verdict_with(&attempts, "2026-11-28", &p).reason,
            Reason::Due
        );
        assert_eq!(
            verdict_with(&attempts, "2026-11-29", &p).reason,
            Reason::Due
        );
    }

    #[test]
    fn four_unanswered_is_not_a_pause() {
        let attempts = unanswered(&["2026-09-01", "2026-09-08", "2026-09-15", "2026-09-22"]);
        assert_eq!(reason(&attempts, "2026-10-01"), Reason::Due);
    }

    #[test]
    fn a_contact_resets_the_streak() {
        let mut attempts = unanswered(&["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22"]);
        attempts.push(at("2026-06-23", Outcome::Answered));
        attempts.extend(unanswered(&["2026-09-21"]));
        let mut a = attempts.clone();
        let t = Tally::from_attempts(&mut a, d("2026-10-01"), &policy().caps);
        assert_eq!(t.streak, 1);
        assert_eq!(reason(&attempts, "2026-10-01"), Reason::Due);
    }

    #[test]
    fn after_a_pause_the_count_starts_again() {
        let mut days = vec![
            "2026-01-05",
            "2026-01-06",
            "2026-01-07",
            "2026-01-08",
            "2026-01-09",
        ];
        // Pause ends 2026-03-10; one more unanswered after it starts a new count.
        days.push("2026-03-10");
        let attempts = unanswered(&days);
        let mut a = attempts.clone();
        let t = Tally::from_attempts(&mut a, d("2026-03-20"), &policy().caps);
        assert_eq!(t.streak, 1);
        assert_eq!(reason(&attempts, "2026-03-20"), Reason::Due);
    }

    #[test]
    fn an_attempt_during_a_pause_extends_it() {
        let days = [
            "2026-01-05",
            "2026-01-06",
            "2026-01-07",
            "2026-01-08",
            "2026-01-09",
            "2026-03-09",
        ];
        // 2026-03-09 is before the pause's end (2026-03-10): the streak is 6
        // and the pause now ends 2026-05-08.
        let attempts = unanswered(&days);
        let v = verdict(&attempts, "2026-05-07");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::Paused, Some(d("2026-05-08")))
        );
        assert_eq!(reason(&attempts, "2026-05-08"), Reason::Due);
    }

    #[test]
    fn unanswered_column_reads_zero_once_the_pause_has_ended() {
        let mut attempts = unanswered(&[
            "2026-01-05",
            "2026-01-06",
            "2026-01-07",
            "2026-01-08",
            "2026-01-09",
        ]);
        let caps = policy().caps;
        let t = Tally::from_attempts(&mut attempts, d("2026-06-01"), &caps);
        assert_eq!(t.unanswered_on(d("2026-03-09"), &caps), 5);
        assert_eq!(t.unanswered_on(d("2026-03-10"), &caps), 0);
    }

    // ----- rule 6 -----

    #[test]
    fn capped_at_two_contacts_in_a_rolling_year() {
        let attempts = [
            at("2026-01-10", Outcome::Answered),
            at("2026-06-01", Outcome::Answered),
        ];
        // The earlier contact leaves the 365-day window on 2027-01-10 (a Sunday).
        let v = verdict(&attempts, "2026-11-23");
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::Capped, Some(d("2027-01-11")))
        );
        assert_eq!(reason(&attempts, "2027-01-08"), Reason::Capped); // Friday
        assert_eq!(reason(&attempts, "2027-01-09"), Reason::Capped); // days = 364
        assert_eq!(reason(&attempts, "2027-01-11"), Reason::Due);
        let mut p = policy();
        p.hours.days = [true; 7];
        assert_eq!(
            verdict_with(&attempts, "2027-01-09", &p).reason,
            Reason::Capped
        );
        assert_eq!(
            verdict_with(&attempts, "2027-01-10", &p).reason,
            Reason::Due
        );
    }

    #[test]
    fn recent_contacts_are_kept_inline_and_beyond() {
        // Three days fit inline; a cap of four or more keeps them boxed.
        // Either way the tally holds the last `cap` contact days.
        let days = [
            "2026-01-05",
            "2026-02-02",
            "2026-03-02",
            "2026-04-06",
            "2026-05-04",
        ];
        for cap in 1..=6u32 {
            let mut p = policy();
            p.caps.max_contacts = cap;
            for n in 0..=days.len() {
                let mut attempts: Vec<Attempt> =
                    days[..n].iter().map(|d| at(d, Outcome::Answered)).collect();
                let tally = Tally::from_attempts(&mut attempts, d("2026-11-24"), &p.caps);
                let want: Vec<NaiveDate> = days[n.saturating_sub(cap as usize)..n]
                    .iter()
                    .map(|x| d(x))
                    .collect();
                assert_eq!(tally.recent_contacts(), want, "cap {cap}, {n} contacts");
            }
        }
    }

    #[test]
    fn a_cap_above_four_contacts_counts_them_all() {
        let mut p = policy();
        p.caps.max_contacts = 6;
        p.caps.contact_gap_days = 0;
        let days = [
            "2026-01-05",
            "2026-02-02",
            "2026-03-02",
            "2026-04-06",
            "2026-05-04",
            "2026-06-01",
            "2026-07-06",
        ];
        let attempts: Vec<Attempt> = days.iter().map(|d| at(d, Outcome::Answered)).collect();
        // Seven contacts; the sixth most recent (2026-02-02) leaves the
        // window on 2027-02-02 (a Tuesday).
        let v = verdict_with(&attempts, "2026-11-24", &p);
        assert_eq!(
            (v.reason, v.eligible_on),
            (Reason::Capped, Some(d("2027-02-02")))
        );
        assert_eq!(
            verdict_with(&attempts, "2027-02-01", &p).reason,
            Reason::Capped
        );
        assert_eq!(
            verdict_with(&attempts, "2027-02-02", &p).reason,
            Reason::Due
        );
        assert_eq!(
            verdict_with(&attempts[..5], "2026-11-24", &p).reason,
            Reason::Due
        );
    }

    #[test]
    fn tally_stays_small() {
        assert!(
            std::mem::size_of::<Tally>() <= 64,
            "{}",
            std::mem::size_of::<Tally>()
        );
    }

    #[test]
    fn callbacks_and_opt_outs_count_as_contacts() {
        let mut p = policy();
        p.caps.contact_gap_days = 0;
        let attempts = [
            callback("2026-03-02", "2026-03-02"),
            at("2026-03-02", Outcome::Answered),
        ];
        assert_eq!(
            verdict_with(&attempts, "2026-03-03", &p).reason,
            Reason::Capped
        );
        let attempts = [at("2026-03-02", Outcome::Answered)];
        assert_eq!(
            verdict_with(&attempts, "2026-03-03", &p).reason,
            Reason::Due
        );
    }

    #[test]
    fn unanswered_attempts_do_not_count_toward_the_cap() {
        let mut p = policy();
        p.caps.retry_days = 0;
        let mut attempts = vec![at("2026-01-10", Outcome::Answered)];
        attempts.extend(unanswered(&["2026-06-01", "2026-06-02", "2026-06-03"]));
        assert_eq!(
            verdict_with(&attempts, "2026-11-23", &p).reason,
            Reason::Due
        );
    }

    // ----- rule 7 -----

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
        assert_eq!(f.len(), 8);
        let capped = &f[5];
        assert_eq!(capped.rule, Reason::Capped);
        assert!(capped.applies);
        assert_eq!(
            capped.text,
            "2 contacts in the last 365 days (2026-01-10, 2026-06-01); the cap is 2; the earliest of those leaves the window on 2027-01-10"
        );
        assert!(!f[7].applies);
        assert_eq!(f[7].text, "held back: capped");
    }
}
