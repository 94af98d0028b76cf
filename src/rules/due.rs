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
        facts.hours.unwrap_or(&policy.hours).closed_because(date),
    ) {
        (Reason::Due | Reason::Callback, _) => text.write_str("free to call today"),
        (Reason::NotCallingDay, Some(why)) => write!(text, "no calls today: {why}"),
        (reason, _) => write!(text, "held back: {}", reason.name()),
    };
    verdict.reason.is_queued()
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;
    use crate::datetime::Ymd;

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
        p.hours
            .holidays
            .push(crate::domain::holiday::Holiday::parse("2026-12-25").unwrap());
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
}
