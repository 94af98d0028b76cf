//! `[outcomes] preset`: the words a dialer or a CRM writes for a call's
//! outcome, mapped onto callqueue's outcomes. Where a word could be read
//! two ways, it is read the way that calls the customer less: someone
//! picked up (even a gatekeeper, even to hang up) is a contact, which waits
//! `contact_gap_days` and counts toward `max_contacts`; a list match is an
//! opt-out.

use super::Outcome;
use Outcome::{Answered, Callback, NoAnswer, OptOut, WrongNumber};

/// A system's words and what each means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    /// Each word as the system writes it, what it means, and the system's
    /// own description of it (for the README's table).
    pub words: &'static [(&'static str, Outcome, &'static str)],
}

/// Every preset, by the name `[outcomes] preset` takes.
pub const PRESETS: [Preset; 2] = [VICIDIAL, HUBSPOT];

/// VICIdial's system and default campaign statuses that record a call's
/// outcome. States that are not an outcome (NEW, QUEUE, INCALL) are left
/// out: a row with one is reported, not guessed.
pub const VICIDIAL: Preset = Preset {
    name: "vicidial",
    words: &[
        ("SALE", Answered, "Sale Made"),
        ("NI", Answered, "Not Interested"),
        ("NP", Answered, "No Pitch No Price"),
        ("DEC", Answered, "Declined Sale"),
        ("XFER", Answered, "Call Transferred"),
        ("PU", Answered, "Call Picked Up"),
        (
            "DROP",
            Answered,
            "Agent Not Available (the customer picked up)",
        ),
        (
            "PDROP",
            Answered,
            "Outbound Pre-Routing Drop (the customer picked up)",
        ),
        ("CALLBK", Callback, "Call Back (needs callback_at)"),
        ("CBHOLD", Callback, "Call Back Hold (needs callback_at)"),
        ("NA", NoAnswer, "No Answer AutoDial"),
        ("N", NoAnswer, "No Answer"),
        ("B", NoAnswer, "Busy"),
        ("AB", NoAnswer, "Busy Auto"),
        ("A", NoAnswer, "Answering Machine"),
        ("AA", NoAnswer, "Answering Machine Auto"),
        ("AM", NoAnswer, "Answering Machine Sent to Mesg"),
        ("AL", NoAnswer, "Answering Machine Msg Played"),
        ("AFAX", NoAnswer, "Fax Machine Auto"),
        ("PM", NoAnswer, "Played Message"),
        ("DC", WrongNumber, "Disconnected Number"),
        ("ADC", WrongNumber, "Disconnected Number Auto"),
        ("DNC", OptOut, "DO NOT CALL"),
        ("DNCL", OptOut, "DO NOT CALL Hopper Match"),
        ("DNCC", OptOut, "DO NOT CALL Campaign Match"),
    ],
};

/// HubSpot's default call outcomes, and the outcomes sales teams most
/// often add to them.
pub const HUBSPOT: Preset = Preset {
    name: "hubspot",
    words: &[
        ("Connected", Answered, "default"),
        (
            "Left live message",
            Answered,
            "default (a person took the message)",
        ),
        ("Left voicemail", NoAnswer, "default"),
        ("No answer", NoAnswer, "default"),
        ("Busy", NoAnswer, "default"),
        ("Wrong number", WrongNumber, "default"),
        ("Not interested", Answered, "common addition"),
        ("Interested", Answered, "common addition"),
        ("Meeting booked", Answered, "common addition"),
        ("Meeting scheduled", Answered, "common addition"),
        (
            "Gatekeeper",
            Answered,
            "common addition (someone at the company picked up)",
        ),
        ("Do not call", OptOut, "common addition"),
    ],
};

impl Preset {
    /// The preset called `name`, in any case.
    pub fn named(name: &str) -> Option<Preset> {
        PRESETS
            .into_iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
    }

    pub fn names() -> String {
        PRESETS.map(|p| format!("{:?}", p.name)).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_preset_word_changes_what_a_built_in_word_means() {
        for preset in PRESETS {
            for (word, outcome, _) in preset.words {
                if let Some(own) = Outcome::from_word(word) {
                    assert_eq!(own, *outcome, "{} {word}", preset.name);
                }
            }
        }
    }

    #[test]
    fn a_preset_lists_each_word_once() {
        for preset in PRESETS {
            let mut keys: Vec<String> = preset
                .words
                .iter()
                .map(|(w, _, _)| crate::domain::word_key(w))
                .collect();
            keys.sort();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "{}", preset.name);
        }
    }

    #[test]
    fn the_words_the_issue_found_unknown_are_known() {
        let hubspot = Preset::named("HubSpot").unwrap();
        let means = |word: &str| {
            hubspot
                .words
                .iter()
                .find(|(w, _, _)| w.eq_ignore_ascii_case(word))
                .map(|(_, o, _)| *o)
                .or_else(|| Outcome::from_word(word))
        };
        assert_eq!(means("Left Voicemail"), Some(NoAnswer));
        assert_eq!(means("Wrong Number"), Some(WrongNumber));
        assert_eq!(means("Not Interested"), Some(Answered));
        assert_eq!(means("Meeting Booked"), Some(Answered));
        assert_eq!(means("Gatekeeper"), Some(Answered));
        assert_eq!(
            Preset::named(" vicidial ").map(|p| p.name),
            Some("vicidial")
        );
        assert_eq!(Preset::named("five9"), None);
    }
}
