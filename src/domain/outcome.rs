//! The outcome vocabulary: what each outcome of a call means to the rules,
//! as one table. A new outcome is a row here (and its tests); an alias is
//! a word in its row. Nothing elsewhere decides what counts as a contact.

/// What happened on a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Answered,
    NoAnswer,
    Callback,
    OptOut,
    WrongNumber,
    OptIn,
}

/// One outcome's properties and words.
#[derive(Debug)]
pub struct Meaning {
    pub outcome: Outcome,
    /// The canonical name, as `record` writes it.
    pub name: &'static str,
    /// Other words for it, matched like headers (any case; space, `_` and
    /// `-` alike, so `No Answer` = `no-answer`).
    pub aliases: &'static [&'static str],
    /// A call was made: the attempt counts for the retry wait and the
    /// unanswered streak.
    pub attempt: bool,
    /// The customer was reached: it counts for the caps and the gap after
    /// a contact.
    pub contact: bool,
    /// The customer asked never to be called again.
    pub opt_out: bool,
    /// The customer asked to be called at `callback_at`.
    pub callback: bool,
    /// The customer agreed to be called (what `[consent] mode = "opt-in"`
    /// asks for).
    pub consent: bool,
    /// The number called is not the customer's.
    pub wrong_number: bool,
}

/// Every outcome, in the order of `Outcome`'s variants.
pub const MEANINGS: [Meaning; 6] = [
    Meaning {
        outcome: Outcome::Answered,
        name: "answered",
        aliases: &["connected", "contacted", "reached"],
        attempt: true,
        contact: true,
        opt_out: false,
        callback: false,
        consent: false,
        wrong_number: false,
    },
    Meaning {
        outcome: Outcome::NoAnswer,
        name: "no-answer",
        aliases: &["busy", "voicemail", "left-message"],
        attempt: true,
        contact: false,
        opt_out: false,
        callback: false,
        consent: false,
        wrong_number: false,
    },
    Meaning {
        outcome: Outcome::Callback,
        name: "callback",
        aliases: &[],
        attempt: true,
        contact: true,
        opt_out: false,
        callback: true,
        consent: false,
        wrong_number: false,
    },
    Meaning {
        outcome: Outcome::OptOut,
        name: "opt-out",
        aliases: &["dnc", "do-not-call"],
        attempt: true,
        contact: true,
        opt_out: true,
        callback: false,
        consent: false,
        wrong_number: false,
    },
    // A call to someone else: not the customer reached, so it counts as
    // unanswered, and the account is bad data while its phone is this one.
    Meaning {
        outcome: Outcome::WrongNumber,
        name: "wrong-number",
        aliases: &[
            "wrong-no",
            "bad-number",
            "invalid-number",
            "not-in-service",
            "disconnected",
        ],
        attempt: true,
        contact: false,
        opt_out: false,
        callback: false,
        consent: false,
        wrong_number: true,
    },
    // Consent is asked for in a conversation: a contact, for the caps and
    // the gap after one (the reading that calls fewer people).
    Meaning {
        outcome: Outcome::OptIn,
        name: "opt-in",
        aliases: &["consent", "opted-in"],
        attempt: true,
        contact: true,
        opt_out: false,
        callback: false,
        consent: true,
        wrong_number: false,
    },
];

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Answered,
        Outcome::NoAnswer,
        Outcome::Callback,
        Outcome::OptOut,
        Outcome::WrongNumber,
        Outcome::OptIn,
    ];

    #[inline]
    pub fn meaning(self) -> &'static Meaning {
        &MEANINGS[self as usize]
    }

    /// The canonical name, as `record` writes it.
    pub fn name(self) -> &'static str {
        self.meaning().name
    }

    /// A call was made.
    #[inline]
    pub fn is_attempt(self) -> bool {
        self.meaning().attempt
    }

    /// The customer was reached.
    #[inline]
    pub fn is_contact(self) -> bool {
        self.meaning().contact
    }

    /// The customer asked never to be called again.
    #[inline]
    pub fn is_opt_out(self) -> bool {
        self.meaning().opt_out
    }

    /// The built-in outcome a word names (a canonical name or an alias,
    /// in any case, with space, `_` and `-` alike).
    pub fn from_word(word: &str) -> Option<Outcome> {
        Outcome::from_key(word_key(word).as_bytes())
    }

    /// The built-in outcome of a word already in its matching form
    /// (`word_key`).
    pub fn from_key(key: &[u8]) -> Option<Outcome> {
        MEANINGS
            .iter()
            .find(|m| {
                std::iter::once(m.name)
                    .chain(m.aliases.iter().copied())
                    .any(|word| key_equals(word, key))
            })
            .map(|m| m.outcome)
    }

    /// The words accepted for this outcome, for messages.
    pub fn words(self) -> String {
        let m = self.meaning();
        std::iter::once(m.name)
            .chain(m.aliases.iter().copied())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A word in its matching form: trimmed, lower-case, and without spaces,
/// `_` and `-` (the same form headers are matched in).
pub fn word_key(word: &str) -> String {
    word.trim()
        .chars()
        .filter(|&c| !(c == '_' || c == '-' || c.is_whitespace()))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a built-in word (ASCII, lower-case) has this matching form.
fn key_equals(word: &str, key: &[u8]) -> bool {
    let mut letters = word
        .bytes()
        .filter(|&b| b != b'-' && b != b'_' && b != b' ');
    key.iter().all(|&b| letters.next() == Some(b)) && letters.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_the_variants() {
        for (k, m) in MEANINGS.iter().enumerate() {
            assert_eq!(m.outcome as usize, k);
            assert_eq!(Outcome::ALL[k], m.outcome);
        }
    }

    #[test]
    fn every_word_names_its_outcome_in_any_spelling() {
        for m in &MEANINGS {
            for word in std::iter::once(m.name).chain(m.aliases.iter().copied()) {
                for spelled in [
                    word.to_owned(),
                    word.to_uppercase(),
                    word.replace('-', " "),
                    format!(" {}_ ", word.replace('-', "_")),
                ] {
                    assert_eq!(Outcome::from_word(&spelled), Some(m.outcome), "{spelled:?}");
                }
            }
        }
        assert_eq!(Outcome::from_word("No Answer"), Some(Outcome::NoAnswer));
        assert_eq!(Outcome::from_word("DoNotCall"), Some(Outcome::OptOut));
        assert_eq!(Outcome::from_word("maybe"), None);
        assert_eq!(Outcome::from_word(""), None);
        assert_eq!(Outcome::from_key(b"callbac"), None);
        assert_eq!(Outcome::from_key(b"callbacks"), None);
    }

    #[test]
    fn only_a_reached_customer_is_a_contact() {
        let contacts: Vec<&str> = MEANINGS
            .iter()
            .filter(|m| m.contact)
            .map(|m| m.name)
            .collect();
        assert_eq!(contacts, ["answered", "callback", "opt-out", "opt-in"]);
        assert!(Outcome::WrongNumber.meaning().wrong_number);
        assert!(!Outcome::WrongNumber.is_contact());
        assert!(Outcome::OptIn.meaning().consent);
        assert_eq!(
            Outcome::from_word("Wrong Number"),
            Some(Outcome::WrongNumber)
        );
        assert!(Outcome::OptOut.is_opt_out());
        assert!(!Outcome::Callback.is_opt_out());
        assert_eq!(
            Outcome::NoAnswer.words(),
            "no-answer, busy, voicemail, left-message"
        );
    }
}
