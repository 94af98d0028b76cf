//! Rule 2b, no-consent: with `[consent] mode = "opt-in"`, only a customer
//! who agreed to be called is called: the territory's `opt_in` says yes,
//! or the history holds an `opt-in` row. An opt-out always wins (rule 2
//! comes first). No `eligible_on`: consent comes only from the customer.

use super::{Facts, Standing, push_joined};
use crate::domain::Policy;

/// Whether rule 2b holds.
pub fn holds(standing: &Standing<'_>, policy: &Policy) -> bool {
    policy.opt_in && !standing.signs.consent
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(facts: &Facts<'_>, policy: &Policy, text: &mut String) -> bool {
    let consent = &facts.evidence.consent;
    match (policy.opt_in, consent.is_empty()) {
        (false, _) => text.push_str("consent is not asked for ([consent] mode is opt-out)"),
        (true, true) => text.push_str(
            "no consent recorded: the territory's opt_in does not say yes and the history has no opt-in",
        ),
        (true, false) => {
            text.push_str("agreed to be called: ");
            push_joined(text, "; ", consent.iter().map(String::as_str));
        }
    }
    policy.opt_in && consent.is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;

    fn opt_in() -> Policy {
        Policy {
            opt_in: true,
            ..policy()
        }
    }

    #[test]
    fn opt_in_mode_calls_only_customers_who_agreed() {
        let t = Tally::default();
        let date = d("2026-11-24");
        assert_eq!(
            evaluate(&CLEAN, &t, date, &opt_in()).reason,
            Reason::NoConsent
        );
        assert_eq!(evaluate(&CLEAN, &t, date, &opt_in()).eligible_on, None);
        assert_eq!(evaluate(&CLEAN, &t, date, &policy()).reason, Reason::Due);
        let agreed = Evidence {
            consent: vec!["territory.csv:2: opt_in is \"yes\"".to_owned()],
            ..Evidence::NONE
        };
        let facts = Facts {
            evidence: &agreed,
            ..CLEAN
        };
        assert_eq!(evaluate(&facts, &t, date, &opt_in()).reason, Reason::Due);
        let mut text = String::new();
        assert!(!super::describe(&facts, &opt_in(), &mut text));
        assert_eq!(
            text,
            "agreed to be called: territory.csv:2: opt_in is \"yes\""
        );
    }

    #[test]
    fn an_opt_out_wins_over_a_consent_whenever_each_was_given() {
        let both = Evidence {
            consent: vec!["history.csv:9: opt-in recorded".to_owned()],
            opted_out: vec!["history.csv:4: opt-out recorded".to_owned()],
            ..Evidence::NONE
        };
        let facts = Facts {
            evidence: &both,
            ..CLEAN
        };
        let v = evaluate(&facts, &Tally::default(), d("2026-11-24"), &opt_in());
        assert_eq!(v.reason, Reason::OptedOut);
    }
}
