//! Opt-outs that name an account loosely. A customer's "stop calling"
//! typed into a dialer as `a-1001`, or pasted from a spreadsheet with a
//! no-break or zero-width space after it, still names account `A-1001`:
//! an opt-out (a history `opt-out` row, or a do-not-call list's
//! `account_id`) applies to every territory account whose id equals its
//! own once both are trimmed of every kind of space and compared without
//! case. Other rows keep exact ids: a callback or an answered call is
//! never moved to another account.

use std::borrow::Cow;

use crate::territory::Territory;

/// Spaces that a trim removes besides Unicode's white space: zero-width
/// ones and the byte-order mark, invisible in every editor.
fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// An id as loose matching compares it: trimmed of every kind of space,
/// in lower case. `None` for an id that is not UTF-8 or is only spaces.
pub fn key(id: &[u8]) -> Option<Cow<'_, str>> {
    if id.is_ascii() {
        let trimmed = id.trim_ascii();
        if trimmed.is_empty() {
            return None;
        }
        let text = std::str::from_utf8(trimmed).ok()?;
        return Some(if trimmed.iter().any(u8::is_ascii_uppercase) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        });
    }
    let trimmed = std::str::from_utf8(id).ok()?.trim_matches(is_space);
    (!trimmed.is_empty()).then(|| Cow::Owned(trimmed.to_lowercase()))
}

/// Opt-outs by loose key, each with the exact id it was written with and
/// the words for the audit.
#[derive(Debug, Default)]
pub struct LooseOptOuts {
    by_key: foldhash::HashMap<String, Vec<(Vec<u8>, String)>>,
}

impl LooseOptOuts {
    /// An opt-out written for `id`, described by `note` (`file:line: ...`).
    pub fn add(&mut self, id: &[u8], note: String) {
        if let Some(key) = key(id) {
            self.by_key
                .entry(key.into_owned())
                .or_default()
                .push((id.to_vec(), note));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Every territory account an opt-out names loosely but not exactly,
    /// with the opt-out's words: each account's id is keyed on both cores.
    pub fn matches(&self, territory: &Territory) -> Vec<(u32, String)> {
        if self.is_empty() {
            return Vec::new();
        }
        crate::engine::parallel::halves(territory.accounts.len() as u32, |range, found| {
            for account in range {
                let id = territory.id_bytes(account);
                let Some(entries) = key(id).and_then(|k| self.by_key.get(k.as_ref())) else {
                    continue;
                };
                for (written, note) in entries {
                    if written.as_slice() != id {
                        found.push((account, note.clone()));
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_every_kind_of_space_at_the_ends() {
        let same = [
            "A-1001",
            "a-1001",
            " A-1001 ",
            "A-1001\u{00A0}",
            "\u{200B}a-1001",
            "\u{FEFF}A-1001\u{3000}",
            "A-1001\t",
        ];
        for id in same {
            assert_eq!(key(id.as_bytes()).as_deref(), Some("a-1001"), "{id:?}");
        }
        // Spaces inside an id, and other characters, still count.
        assert_eq!(key(b"A 1001").as_deref(), Some("a 1001"));
        assert_ne!(key(b"A-1001"), key(b"A-10010"));
        assert_eq!(
            key("\u{00C9}TOILE".as_bytes()).as_deref(),
            Some("\u{00E9}toile")
        );
        assert_eq!(key(b"  "), None);
        assert_eq!(key("\u{00A0}".as_bytes()), None);
        assert_eq!(key(b"\xff"), None);
    }
}
