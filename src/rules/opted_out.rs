//! Rule 2, opted-out: "stop calling" is forever. An opt-out cell that is
//! not a clear no, an opt-out in the history (however old, even on a row
//! that cannot be read), a listing on a do-not-call list. No `eligible_on`.

use super::{Facts, Standing, push_joined};

/// Whether rule 2 holds.
pub fn holds(standing: &Standing<'_>) -> bool {
    standing.signs.opted_out
}

/// The rule's words, appended to `text`; whether it holds.
pub fn describe(facts: &Facts<'_>, text: &mut String) -> bool {
    if facts.evidence.opted_out.is_empty() {
        text.push_str("no opt-out in the territory, the history or the do-not-call lists");
    } else {
        push_joined(
            text,
            "; ",
            facts.evidence.opted_out.iter().map(String::as_str),
        );
    }
    !facts.evidence.opted_out.is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::super::*;

    #[test]
    fn opt_out_beats_bad_data_and_everything_after() {
        let opt = vec!["territory.csv:3: opt_out is \"yes\"".to_owned()];
        let bad = vec!["territory.csv:3: no phone".to_owned()];
        let both = Evidence {
            opted_out: opt,
            bad: bad.clone(),
            ..Evidence::NONE
        };
        let facts = Facts {
            evidence: &both,
            ..CLEAN
        };
        let mut attempts = vec![callback("2026-11-20", "2026-11-23")];
        let t = Tally::from_attempts(&mut attempts, d("2026-11-23"), &policy().caps);
        let v = evaluate(&facts, &t, d("2026-11-23"), &policy());
        assert_eq!((v.reason, v.eligible_on), (Reason::OptedOut, None));
        let bad_only = Evidence {
            bad,
            ..Evidence::NONE
        };
        let facts = Facts {
            evidence: &bad_only,
            ..CLEAN
        };
        let v = evaluate(&facts, &t, d("2026-11-23"), &policy());
        assert_eq!((v.reason, v.eligible_on), (Reason::BadData, None));
    }

    #[test]
    fn not_existing_comes_before_opted_out() {
        let opt = Evidence {
            opted_out: vec!["x".to_owned()],
            ..Evidence::NONE
        };
        let facts = Facts {
            status: Status::Other("lead"),
            evidence: &opt,
            ..CLEAN
        };
        let v = evaluate(&facts, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::NotExisting);
    }

    #[test]
    fn duplicated_id_skips_rule_one() {
        const DUPLICATED: &str = "the id is on more than one territory row";
        let untrusted = Evidence {
            untrusted: Some(DUPLICATED),
            ..Evidence::NONE
        };
        let dup = Facts {
            status: Status::Other("lead"),
            evidence: &untrusted,
            ..CLEAN
        };
        let v = evaluate(&dup, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::BadData);
        let opted_out_too = Evidence {
            opted_out: vec!["x".to_owned()],
            untrusted: Some(DUPLICATED),
            ..Evidence::NONE
        };
        let dup = Facts {
            evidence: &opted_out_too,
            ..dup
        };
        let v = evaluate(&dup, &Tally::default(), d("2026-11-23"), &policy());
        assert_eq!(v.reason, Reason::OptedOut);
    }
}
