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

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;
    use crate::domain::Outcome;

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
}
