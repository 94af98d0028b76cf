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

/// An ASCII id trimmed of the ASCII characters `is_space` removes: the
/// standard library's ASCII trim keeps the vertical tab, which some
/// spreadsheets write for a line break inside a cell.
fn trim_ascii_spaces(id: &[u8]) -> &[u8] {
    let space = |b: &u8| b.is_ascii_whitespace() || *b == 0x0B;
    let start = id.iter().position(|b| !space(b)).unwrap_or(id.len());
    let end = id.iter().rposition(|b| !space(b)).map_or(start, |i| i + 1);
    &id[start..end]
}

/// An id as loose matching compares it: trimmed of every kind of space,
/// in lower case. `None` for an id that is not UTF-8 or is only spaces.
pub fn key(id: &[u8]) -> Option<Cow<'_, str>> {
    if id.is_ascii() {
        let trimmed = trim_ascii_spaces(id);
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

/// An id's loose key, hashed: for ASCII ids of up to 64 bytes worked out
/// on the stack, so that a million territory ids are keyed without an
/// allocation each; any other id through `key`.
fn fingerprint(id: &[u8]) -> Option<u64> {
    let trimmed = trim_ascii_spaces(id);
    if trimmed.is_ascii() && trimmed.len() <= 64 {
        if trimmed.is_empty() {
            return None;
        }
        let mut lower = [0u8; 64];
        let lower = &mut lower[..trimmed.len()];
        lower.copy_from_slice(trimmed);
        lower.make_ascii_lowercase();
        return Some(crate::engine::idmap::hash(lower));
    }
    key(id).map(|k| crate::engine::idmap::hash(k.as_bytes()))
}

/// Opt-outs, each with the exact id it was written with and what the
/// caller needs to word it (`T`: a history line, a list's place), found by
/// their keys' fingerprints: no allocation per opt-out, and most territory
/// ids ruled out by one look in a small table.
#[derive(Debug)]
pub struct LooseOptOuts<'a, T> {
    said: Vec<(&'a [u8], T)>,
    /// Each opt-out's fingerprint and its place in `said`, sorted.
    prints: Vec<(u64, u32)>,
    known: foldhash::HashSet<u64>,
}

impl<T> Default for LooseOptOuts<'_, T> {
    fn default() -> Self {
        LooseOptOuts {
            said: Vec::new(),
            prints: Vec::new(),
            known: foldhash::HashSet::default(),
        }
    }
}

impl<'a, T: Sync> LooseOptOuts<'a, T> {
    /// An opt-out written for `id`, with what words it (`note`).
    pub fn add(&mut self, id: &'a [u8], note: T) {
        if let Some(print) = fingerprint(id) {
            self.prints.push((print, self.said.len() as u32));
            self.known.insert(print);
            self.said.push((id, note));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.said.is_empty()
    }

    /// Every territory account an opt-out names loosely but not exactly,
    /// with the opt-out's note, in account order: each account's id is
    /// keyed on both cores.
    pub fn matches(&mut self, territory: &Territory) -> Vec<(u32, &T)> {
        if self.is_empty() {
            return Vec::new();
        }
        self.prints.sort_unstable();
        let this = &*self;
        let found =
            crate::engine::parallel::halves(territory.accounts.len() as u32, |range, found| {
                for account in range {
                    let id = territory.id_bytes(account);
                    let Some(print) = fingerprint(id).filter(|p| this.known.contains(p)) else {
                        continue;
                    };
                    let first = this.prints.partition_point(|&(p, _)| p < print);
                    for &(_, k) in this.prints[first..]
                        .iter()
                        .take_while(|&&(p, _)| p == print)
                    {
                        let written = this.said[k as usize].0;
                        if written != id && key(written) == key(id) {
                            found.push((account, k));
                        }
                    }
                }
            });
        found
            .into_iter()
            .map(|(account, k)| (account, &self.said[k as usize].1))
            .collect()
    }
}

/// The ids a mistyped one most likely meant: equal once case, spaces and
/// punctuation are set aside (`a 1001` for `A-1001`), at most three, in
/// order. For messages only: nothing is matched this way.
pub fn near_misses<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let key = squash(id);
    let mut near: Vec<&str> = ids.filter(|a| squash(a) == key).take(3).collect();
    near.sort_unstable();
    near
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
            // A vertical tab (a spreadsheet's line break in a cell), a form
            // feed and a next-line, at either end.
            "\u{000B}A-1001",
            "A-1001\u{000B}\u{000C}\r\n",
            "\u{0085}A-1001",
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

    #[test]
    fn fingerprints_agree_with_keys() {
        for (a, b) in [
            ("A-1001", "a-1001"),
            (" A-1001\t", "a-1001"),
            ("\u{000B}A-1001\u{000B}", "a-1001"),
            ("A-1001\u{00A0}", "a-1001"),
            ("\u{200B}a-1001", "A-1001"),
            ("\u{00C9}TOILE", "\u{00E9}toile"),
        ] {
            assert_eq!(
                fingerprint(a.as_bytes()),
                fingerprint(b.as_bytes()),
                "{a:?}"
            );
        }
        let long = "X".repeat(100);
        assert_eq!(
            fingerprint(long.as_bytes()),
            fingerprint(long.to_lowercase().as_bytes())
        );
        assert_ne!(fingerprint(b"A-1001"), fingerprint(b"A-1002"));
        assert_eq!(fingerprint(b" "), None);
    }
}
