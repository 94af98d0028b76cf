//! Do-not-call lists: account ids and phone numbers that must never be
//! called, whatever the territory says.

use std::io::Read;
use std::sync::Arc;

use anyhow::{Result, bail};

use crate::config::Config;
use crate::input::{self, Input, Row, Wanted, shown, text};
use crate::phone::NotAPhone;
use crate::problems::Problems;

/// A list's file and a line of it.
type Place<'a> = (&'a Arc<str>, u64);

/// Every list's entries, merged. Values say where each entry came from.
#[derive(Debug, Clone, Default)]
pub struct Suppression {
    /// Account id (its bytes, as the territory keeps them) -> `file:line`.
    pub ids: foldhash::HashMap<Vec<u8>, String>,
    /// Phone digits (no `+`) -> `file:line`.
    pub phones: foldhash::HashMap<String, String>,
    /// Data rows read, by list.
    pub rows: Vec<(Arc<str>, u64)>,
    /// Every list's header row.
    pub headers: Vec<String>,
}

impl Suppression {
    /// Where `id` is listed, if it is.
    pub fn id(&self, id: &[u8]) -> Option<&str> {
        self.ids.get(id).map(String::as_str)
    }

    /// Where a phone (its digits) is listed, if it is.
    pub fn phone(&self, digits: &str) -> Option<&str> {
        self.phones.get(digits).map(String::as_str)
    }

    /// Reads one list and adds it. A list needs a `phone` or an
    /// `account_id` column; a row that names neither is reported.
    pub fn add(
        &mut self,
        input: &Input,
        source: impl Read,
        config: &Config,
        delimiter: u8,
        problems: &mut Problems,
    ) -> Result<()> {
        let file = &input.name;
        let mut reader = input::CsvReader::new(source, delimiter);
        let headers = input::read_headers(file, &mut reader)?;
        let aliases = config.columns_for(crate::input::Kind::Suppress);
        let columns = input::match_columns(
            file,
            &headers,
            Wanted {
                required: &[],
                optional: &["phone", "account_id"],
                keep: &[],
            },
            aliases,
        )?;
        if let Some((header, name)) =
            input::disguised_columns(&headers, aliases, &["phone", "account_id"]).first()
        {
            bail!(
                "{file}:1: header {header:?} reads as {name} only with its invisible or full-width characters taken out, so it is not read and the entries under it would protect no one; rename it {name}, or say what it is in [columns.suppress] of {}",
                config.name()
            );
        }
        self.headers.extend(headers.iter().cloned());
        let (phone_col, id_col) = (columns.get("phone"), columns.get("account_id"));
        if phone_col.is_none() && id_col.is_none() {
            bail!(
                "{file}: a do-not-call list needs a phone or an account_id column (its headers are: {}); rename one, or name it in [columns] of callqueue.toml",
                input::header_list(&headers)
            );
        }
        let mut record = Row::default();
        let mut rows = 0;
        while input::next_row(file, &mut reader, &mut record)? {
            rows += 1;
            let line = record.line;
            if let Some(quote) = record.long_quote {
                // The numbers it swallowed may be on the list: only
                // `check` reads on, to list every problem.
                if !problems.with_notices {
                    return Err(input::long_quote_stops(file, line, quote));
                }
                problems.error(file, line, quote.message());
                continue;
            }
            let place = (file, line);
            let id = id_col.and_then(|i| record.get(i));
            let phone = phone_col.and_then(|i| record.get(i));
            let named_id = id.is_some_and(|cell| self.add_id(cell, place, problems));
            let named_phone =
                phone.is_some_and(|cell| self.add_phone(cell, config, place, problems));
            if !named_id && !named_phone {
                problems.error(
                    file,
                    line,
                    "entry names neither a phone nor an account_id".to_owned(),
                );
            }
        }
        self.rows.push((Arc::clone(file), rows));
        Ok(())
    }

    /// Lists an account id cell of the list's line `place`; whether the
    /// cell names one (an unreadable one is reported, and counts as named).
    fn add_id(&mut self, cell: &[u8], place: Place<'_>, problems: &mut Problems) -> bool {
        let (file, line) = place;
        match text(cell) {
            Some("") => false,
            Some(id) => {
                self.ids
                    .entry(id.as_bytes().to_vec())
                    .or_insert_with(|| format!("{file}:{line}"));
                true
            }
            None => {
                let message = "account_id is not valid UTF-8; entry not read".to_owned();
                problems.error(file, line, message);
                true
            }
        }
    }

    /// Lists a phone cell's number (or each of its numbers, when it holds
    /// several); whether the cell names any. A cell with no one number is
    /// reported on its line, and every number that can be found in it is
    /// listed all the same: an entry errs toward not calling.
    fn add_phone(
        &mut self,
        cell: &[u8],
        config: &Config,
        place: Place<'_>,
        problems: &mut Problems,
    ) -> bool {
        if cell.trim_ascii().is_empty() {
            return false;
        }
        let (file, line) = place;
        let at = format!("{file}:{line}");
        // Bytes that are not UTF-8 do not hide the digits around them.
        let text = String::from_utf8_lossy(cell);
        let message = match config.phones.normalise(&text) {
            Ok(phone) => {
                self.phones.entry(phone.digits().to_owned()).or_insert(at);
                if matches!(text, std::borrow::Cow::Borrowed(_)) {
                    return true;
                }
                format!(
                    "phone {:?} is not valid UTF-8; the number {} read from it is listed",
                    shown(cell),
                    phone.as_str()
                )
            }
            Err(why) => {
                let listed = self.add_each(&text, config, &at);
                match why {
                    _ if listed == 0 => format!(
                        "phone {:?} {why}; this entry cannot protect anyone (fix it)",
                        shown(cell)
                    ),
                    NotAPhone::Several => format!(
                        "phone {:?} holds more than one number; each of the {listed} numbers read from it is listed (put one number on each row)",
                        shown(cell)
                    ),
                    _ => format!(
                        "phone {:?} {why}; the {listed} number(s) found in it are listed (fix it)",
                        shown(cell)
                    ),
                }
            }
        };
        problems.error(file, line, message);
        true
    }

    /// Lists each number a cell that is no one number may hold: each part
    /// between list separators, the number before what ends it (an
    /// extension too long to be one, a word), and all the cell's digits
    /// together (groups split by commas or stray characters); how many
    /// different numbers were listed.
    fn add_each(&mut self, cell: &str, config: &Config, at: &str) -> usize {
        let pieces = cell
            .split(['/', ';', '&', '|', '\n', '\r'])
            .flat_map(|piece| piece.split(" or "))
            .flat_map(|piece| piece.split(','));
        let mut tries: Vec<String> = Vec::new();
        for piece in pieces {
            tries.push(piece.to_owned());
            tries.push(crate::phone::number_part(piece).to_owned());
        }
        let plus = if cell.trim_start().starts_with('+') {
            "+"
        } else {
            ""
        };
        tries.push(format!(
            "{plus}{}",
            cell.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        ));
        let mut listed = std::collections::BTreeSet::new();
        for attempt in &tries {
            if let Ok(phone) = config.phones.normalise(attempt) {
                let digits = phone.digits().to_owned();
                self.phones
                    .entry(digits.clone())
                    .or_insert_with(|| at.to_owned());
                listed.insert(digits);
            }
        }
        listed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        Config::from_str(None, "timezone = \"UTC\"\ndefault_country = \"US\"\n").unwrap()
    }

    /// A list `dnc.csv` holding `text`, read; with `check`'s problems.
    fn read(text: &str) -> (Suppression, Problems) {
        let mut s = Suppression::default();
        let mut p = Problems::new(true);
        s.add(
            &Input::new(Path::new("dnc.csv")),
            text.as_bytes(),
            &config(),
            b',',
            &mut p,
        )
        .unwrap();
        (s, p)
    }

    #[test]
    fn every_number_of_a_cell_with_several_is_listed() {
        let (s, p) = read(
            "phone\n212-555-0104 / 212-555-0105\n2125550106;2125550107\n\"2125550108 or 2125550109\"\n",
        );
        for n in 4..=9 {
            assert!(s.phone(&format!("121255501{n:02}")).is_some(), "{n}");
        }
        assert_eq!(p.list().len(), 3);
    }

    #[test]
    fn phones_and_ids_are_collected_normalised() {
        let (s, p) = read("Phone,Account ID\n+1 (212) 555-0100,\n,A7\n212.555.0101 x4,B2\n");
        assert!(p.is_empty());
        assert_eq!(
            s.phones.get("12125550100").map(String::as_str),
            Some("dnc.csv:2")
        );
        assert_eq!(
            s.phones.get("12125550101").map(String::as_str),
            Some("dnc.csv:4")
        );
        assert_eq!(s.id(b"A7"), Some("dnc.csv:3"));
        assert_eq!(s.id(b"B2"), Some("dnc.csv:4"));
    }

    #[test]
    fn a_cell_of_several_numbers_none_readable_says_it_protects_no_one() {
        let (s, p) = read("phone\n12345678 / 87654321\n");
        assert!(s.phones.is_empty());
        let messages: Vec<String> = p.list().iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].contains("holds more than one number; this entry cannot protect anyone"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_list_without_either_column_is_an_error() {
        let mut s = Suppression::default();
        let e = s
            .add(
                &Input::new(Path::new("dnc.csv")),
                "number\n123\n".as_bytes(),
                &config(),
                b',',
                &mut Problems::new(true),
            )
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("needs a phone or an account_id column")
        );
    }

    #[test]
    fn unreadable_entries_are_reported() {
        let (_, p) = read("phone\nunknown\n\n\"\"\n");
        let texts: Vec<String> = p.list().iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            vec![
                "dnc.csv:2: phone \"unknown\" has no digits; this entry cannot protect anyone (fix it)",
                "dnc.csv:4: entry names neither a phone nor an account_id",
            ]
        );
    }
}
