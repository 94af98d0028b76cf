//! The fold: an account's attempts, in time order, kept as a small
//! fixed-size `Tally` that every rule reads. Folding as the history streams
//! past keeps memory to one tally per account, however long the history.

use chrono::NaiveDate;

use crate::datetime::{Nanos, add_days};
use crate::domain::{Attempt, Callback, Caps, Outcome};

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

    /// The moment of the latest attempt folded.
    pub fn last_at(&self) -> Option<Nanos> {
        (self.last_at != i64::MIN).then_some(self.last_at)
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

/// The earlier row of the same call as `attempts[i]`, in attempts sorted by
/// time: the same moment and the same outcome (a dialer's export loaded
/// twice). Such rows are one call, folded once.
pub fn same_call_before(attempts: &[Attempt], i: usize) -> Option<&Attempt> {
    let a = &attempts[i];
    attempts[..i]
        .iter()
        .rev()
        .take_while(|b| b.at == a.at)
        .find(|b| b.outcome == a.outcome)
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
    pub(super) fn in_window(&self, day: NaiveDate) -> bool {
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
    #[inline]
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
        for (i, a) in attempts.iter().enumerate() {
            if same_call_before(attempts, i).is_some() {
                continue;
            }
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

#[cfg(test)]
mod tests {
    use super::super::tests::d;
    use super::*;
    use crate::datetime::days_between;

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
}
