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

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;
    use crate::domain::{Attempt, Outcome};

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
}
