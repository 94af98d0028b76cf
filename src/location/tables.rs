//! Lookups in the location tables that `scripts/location/generate.sh`
//! writes into `generated.rs` from named public sources (docs/data.md).
//! Each lookup is a binary search of a sorted static table or a read of an
//! index, and allocates nothing, so resolving every row of a large
//! territory costs little.

use std::char::ToLowercase;
use std::str::Chars;

use chrono_tz::Tz;

use super::generated::{
    AREA_CODES, AREA_REGIONS, COUNTRIES, FSAS, NO_PARENT, PHONE_KEYS, PHONE_PREFIXES, PLACES,
    POSTAL_LETTERS, SUBDIVISIONS, ZIP_EXISTS, ZIP_RANGES,
};

/// An ISO 3166-2 subdivision code such as "US-FL" or "CA-ON".
pub type Region = &'static str;

/// Where something is: its region, when the data names one, and its time
/// zones, one per distinct clock (zones whose clocks agree from 2020 to
/// 2036 are merged), the clock most of the data names first. `zones` is
/// empty only where the source names no valid zone (one Alaskan ZIP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub region: Option<Region>,
    pub zones: &'static [Tz],
}

/// When the tables were generated from (the newest source date), for
/// `explain`/docs.
pub const DATA_DATE: &str = super::generated::DATA_DATE;

/// ISO 3166-1 alpha-2 code from a two-letter code, a three-letter code or
/// an English name (any case, surrounding spaces ignored; also the names
/// CRMs write such as "United States", "USA", "United States of America",
/// "Canada"), e.g. "us" -> "US"; None when unknown.
///
/// Punctuation is ignored too, so "U.S.A." is "USA".
pub fn country(text: &str) -> Option<&'static str> {
    let found = COUNTRIES
        .binary_search_by(|(key, _)| key.chars().cmp(Folded::new(text)))
        .ok()?;
    Some(COUNTRIES[found].1)
}

/// A state or province of `country` ("US" or "CA") by its postal
/// abbreviation or English name, any case: ("US","fl") and ("US","Florida")
/// -> Place{region: Some("US-FL"), zones: every zone of Florida}. None for
/// other countries or unknown text. DC and the territories (PR, GU, VI, AS,
/// MP) are US subdivisions.
///
/// `country` is read as [`country`] reads it, so "USA" and "Canada" do too;
/// the text may also be the ISO code ("US-FL") or a French name of a
/// province ("Québec"). A state's zones are those of its ZIP codes, a
/// province's those of its FSAs.
pub fn subdivision(country: &str, text: &str) -> Option<Place> {
    let code = self::country(country)?;
    let found = SUBDIVISIONS
        .binary_search_by(|(c, key, _)| {
            c.cmp(&code)
                .then_with(|| key.chars().cmp(Folded::new(text)))
        })
        .ok()?;
    place(SUBDIVISIONS[found].2)
}

/// A US ZIP's state and zones, from its five digits (32501 -> US-FL,
/// [America/Chicago]).
///
/// Military ZIPs (APO/FPO) are no place and give None. The ZIPs of the
/// freely associated states (Micronesia, the Marshall Islands, Palau) have
/// zones but no region: they are countries, not US subdivisions.
pub fn us_zip(zip5: u32) -> Option<Place> {
    let word = ZIP_EXISTS.get(usize::try_from(zip5 / 64).ok()?)?;
    if (word >> (zip5 % 64)) & 1 == 0 {
        return None;
    }
    let after = ZIP_RANGES.partition_point(|&(first, _, _)| first <= zip5);
    let &(_, last, index) = ZIP_RANGES.get(after.checked_sub(1)?)?;
    if zip5 > last {
        return None;
    }
    place(index)
}

/// A Canadian forward sortation area (first three characters of the
/// postal code, upper case, e.g. "K1A").
///
/// Lower case is accepted too. The zones are those at the FSA's points in
/// GeoNames, for most FSAs its centre alone: an FSA that straddles a zone
/// boundary gets the zone of its centre.
pub fn canada_fsa(fsa: &str) -> Option<Place> {
    if fsa.len() != 3 {
        return None;
    }
    let found = FSAS
        .binary_search_by(|(key, _)| key.bytes().cmp(fsa.bytes().map(|b| b.to_ascii_uppercase())))
        .ok()?;
    place(FSAS[found].1)
}

/// The province or territory that the first letter of a Canadian postal
/// code fixes, with all its zones ('K' -> CA-ON): for a postal code whose
/// FSA the tables do not list. None for 'X', which Nunavut and the
/// Northwest Territories share, and for letters no postal code starts with.
pub fn canada_postal_letter(letter: char) -> Option<Place> {
    let letter = letter.to_ascii_uppercase();
    let found = POSTAL_LETTERS
        .binary_search_by_key(&letter, |&(l, _)| l)
        .ok()?;
    place(POSTAL_LETTERS[found].1)
}

/// The zones of a phone number in E.164 digits without '+' (e.g.
/// "18504321234") from its longest known prefix, with the region of its
/// North American area code (None elsewhere). Returns None when the longest
/// matching prefix maps to no zone, or when it is a country-wide entry
/// ("1", "7", ...) that lists several zones (with different clocks); a
/// country with one zone ("44", "81") IS an answer.
pub fn phone(e164_digits: &str) -> Option<Place> {
    if !e164_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let zones = longest_prefix_zones(e164_digits)?;
    if zones.is_empty() {
        return None;
    }
    Some(Place {
        region: area_code_region(e164_digits),
        zones,
    })
}

/// The region of a North American number's area code, "18505551234" ->
/// Some("US-FL").
///
/// None for the area codes of other North American countries (Jamaica's
/// 876), non-geographic ones (800) and those libphonenumber describes as
/// several regions (902, Nova Scotia and Prince Edward Island; 867, the
/// three territories).
pub fn area_code_region(e164_digits: &str) -> Option<Region> {
    let &[b'1', a, b, c, ..] = e164_digits.as_bytes() else {
        return None;
    };
    if !(a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit()) {
        return None;
    }
    let code = usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0');
    let region = AREA_CODES.get(code)?.checked_sub(1)?;
    AREA_REGIONS.get(usize::from(region)).copied()
}

fn place(index: u16) -> Option<Place> {
    PLACES.get(usize::from(index)).copied()
}

/// The zones of the longest entry of PHONE_PREFIXES that `digits` (ASCII
/// digits) starts with. The table is sorted, so every entry that is a
/// prefix of `digits` lies between it and the last entry not after
/// `digits`, and is a prefix of that entry too: the answer is that entry or
/// one of its chain of parents, the first of them that `digits` starts
/// with. The search runs over PHONE_KEYS, which sort as the prefixes do.
fn longest_prefix_zones(digits: &str) -> Option<&'static [Tz]> {
    let key = prefix_key(digits);
    let after = PHONE_KEYS.partition_point(|&k| k <= key);
    let mut index = after.checked_sub(1)?;
    loop {
        let &(prefix, parent, zones) = PHONE_PREFIXES.get(index)?;
        if digits.starts_with(prefix) {
            return Some(zones);
        }
        if parent == NO_PARENT {
            return None;
        }
        index = usize::from(parent);
    }
}

/// The most digits of any phone prefix in the tables.
const PHONE_KEY_DIGITS: usize = 9;

/// The first PHONE_KEY_DIGITS digits of `digits` (ASCII digits) as a number
/// that sorts as they do among digit strings: each digit d as d + 1 in base
/// 11, a missing digit as 0. A prefix of at most that many digits sorts
/// before a number exactly when it sorts before these first digits, so
/// comparing keys compares the prefix with the whole number. Must match
/// `phone_key` in scripts/location/generate.py.
fn prefix_key(digits: &str) -> u32 {
    let digits = digits.as_bytes();
    (0..PHONE_KEY_DIGITS).fold(0, |key, i| {
        key * 11
            + digits
                .get(i)
                .map_or(0, |d| u32::from(d.wrapping_sub(b'0')) + 1)
    })
}

/// A name as the tables hold it, so that a lookup need not allocate: lower
/// case, '.' and apostrophes dropped, every other run of characters that
/// are not letters or digits one space, none at either end. "Washington,
/// D.C." and " washington dc" fold alike. Must match `fold` in
/// scripts/location/generate.py.
#[derive(Debug, Clone)]
struct Folded<'a> {
    chars: Chars<'a>,
    /// The rest of the current letter's lower case (some have two chars).
    lower: Option<ToLowercase>,
    /// A space is owed before the next letter or digit.
    space: bool,
    /// Something was yielded: spaces go only between words.
    started: bool,
}

impl<'a> Folded<'a> {
    fn new(text: &'a str) -> Self {
        Folded {
            chars: text.chars(),
            lower: None,
            space: false,
            started: false,
        }
    }
}

impl Iterator for Folded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.lower.as_mut().and_then(Iterator::next) {
            return Some(c);
        }
        loop {
            let c = self.chars.next()?;
            if matches!(c, '.' | '\'' | '\u{2019}') {
                continue;
            }
            if !c.is_alphanumeric() {
                self.space = self.started;
                continue;
            }
            self.lower = Some(c.to_lowercase());
            if self.space {
                self.space = false;
                return Some(' ');
            }
            self.started = true;
            return self.lower.as_mut().and_then(Iterator::next);
        }
    }
}

#[cfg(test)]
mod tests;
