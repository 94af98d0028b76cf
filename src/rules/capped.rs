//! Rule 6, capped: no more than `max_contacts` contacts in any rolling
//! `window_days` (twice a year, by default).

use chrono::NaiveDate;

use super::{Tally, push_number};
use crate::datetime::{Ymd, days_between};
use crate::domain::Caps;

/// When rule 6 stops holding the account back, if it has begun to.
pub fn until(tally: &Tally, caps: &Caps) -> Option<NaiveDate> {
    tally.cap_until(caps)
}

/// Whether the rule holds on `date`.
pub fn holds(tally: &Tally, date: NaiveDate, caps: &Caps) -> bool {
    until(tally, caps).is_some_and(|end| date < end)
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(tally: &Tally, date: NaiveDate, caps: &Caps, text: &mut String) -> bool {
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
