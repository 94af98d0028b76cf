//! Phone numbers in one comparable form, so that a do-not-call list written
//! `+1 (212) 555-0100` catches a territory row written `212.555.0100 x12`.
//!
//! The form is digits only, extensions dropped. With a `default_country`,
//! numbers written without an international prefix are national numbers of
//! that country: the trunk prefix is removed and the calling code added
//! (E.164), using libphonenumber's metadata for the country.
//!
//! A cell is read as the one number it holds, or refused: a spreadsheet's
//! `2125550101.0` or `2.125550101E9` is that number, but two numbers in a
//! cell, or too few or too many digits for a number of its country, are
//! no one number, and never silently a different one.

use std::fmt;

use regex::Regex;

mod regions;

/// E.164: a number has at most fifteen digits, its calling code included.
const MOST_DIGITS: usize = 15;

/// An extension has at most six digits: more after a number are a second
/// number.
const SECOND_NUMBER_DIGITS: usize = 7;

/// The shortest and longest national number of the regions that share a
/// calling code, by the code; `(0, 0)` for a code no region has.
const LENGTHS_BY_CODE: [(u8, u8); 1000] = lengths_by_code();

/// The shortest national number of any region: the least a number
/// of an unknown country can have.
const SHORTEST_ANYWHERE: usize = shortest_anywhere() as usize;

const fn lengths_by_code() -> [(u8, u8); 1000] {
    let mut table = [(0, 0); 1000];
    let mut i = 0;
    while i < regions::REGIONS.len() {
        let (_, code, _, _, shortest, longest) = regions::REGIONS[i];
        let (known_shortest, known_longest) = table[code as usize];
        table[code as usize] = (
            if known_shortest == 0 || shortest < known_shortest {
                shortest
            } else {
                known_shortest
            },
            if longest > known_longest {
                longest
            } else {
                known_longest
            },
        );
        i += 1;
    }
    table
}

const fn shortest_anywhere() -> u8 {
    let mut shortest = u8::MAX;
    let mut i = 0;
    while i < regions::REGIONS.len() {
        if regions::REGIONS[i].4 < shortest {
            shortest = regions::REGIONS[i].4;
        }
        i += 1;
    }
    shortest
}

/// A normalised phone number: `+` and digits in E.164 when the country is
/// known, otherwise digits only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// The digits, without `+`: what matching compares, so that a number
    /// written with `+` matches one written without.
    pub fn digits(&self) -> &str {
        self.0.strip_prefix('+').unwrap_or(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A phone already in normalised form.
    pub fn from_normalised(text: &str) -> Phone {
        Phone(text.to_owned())
    }
}

/// Why a phone cell holds no one number. Reads as the end of a sentence
/// that starts with the cell: `phone "n/a" has no digits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAPhone {
    /// `n/a`, or nothing at all.
    NoDigits,
    /// `2125550101.5`, `2.1255501015E9`: a number, but not a whole one.
    Fraction,
    /// Fewer digits than any number of its country has.
    TooFew,
    /// More digits than any number of its country has, or than E.164
    /// allows any number (15).
    TooMany,
    /// `212-555-0104 / 212-555-0105`: which one is meant is unknown.
    Several,
}

impl fmt::Display for NotAPhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotAPhone::NoDigits => "has no digits",
            NotAPhone::Fraction => "is a number with a fraction, not a phone number",
            NotAPhone::TooFew => "has too few digits for a phone number",
            NotAPhone::TooMany => "has too many digits for one phone number",
            NotAPhone::Several => "holds more than one number",
        })
    }
}

impl NotAPhone {
    /// Too many digits are two numbers when the cell, split where lists
    /// are split (`/`, `&`, a new line), has two parts long enough to be
    /// numbers.
    fn or_several(self, cell: &str) -> NotAPhone {
        let parts_with_a_number = cell
            .split(|c: char| {
                !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
            })
            .filter(|part| digit_count(part) >= SECOND_NUMBER_DIGITS)
            .count();
        if self == NotAPhone::TooMany && parts_with_a_number >= 2 {
            NotAPhone::Several
        } else {
            self
        }
    }
}

/// How to read national numbers: from `default_country`, or not at all.
#[derive(Debug, Clone, Default)]
pub struct PhonePlan {
    country: Option<CountryPlan>,
}

#[derive(Debug, Clone)]
struct CountryPlan {
    /// `+` and the calling code: what a national number starts with.
    plus_code: String,
    national_prefix: Option<String>,
    international_prefix: Option<Prefix>,
    /// The shortest and longest national number of the country (the
    /// longest within E.164's fifteen digits).
    shortest: usize,
    longest: usize,
}

/// How a country's international dialling prefix is written: most are
/// plain digits (`00`, `011`), compared as such; the rest are patterns.
#[derive(Debug, Clone)]
enum Prefix {
    Digits(String),
    Pattern(Regex),
}

impl Prefix {
    /// The length of the prefix `digits` start with, if they do.
    fn find(&self, digits: &str) -> Option<usize> {
        match self {
            Prefix::Digits(prefix) => digits.starts_with(prefix.as_str()).then_some(prefix.len()),
            Prefix::Pattern(re) => re.find(digits).map(|m| m.end()),
        }
    }
}

impl CountryPlan {
    /// The length of the national (trunk) prefix that `digits` start
    /// with, if any; never all of them.
    fn trunk_prefix(&self, digits: &str) -> usize {
        match &self.national_prefix {
            Some(prefix) if digits.len() > prefix.len() && digits.starts_with(prefix.as_str()) => {
                prefix.len()
            }
            _ => 0,
        }
    }
}

impl PhonePlan {
    /// The plan for a two-letter region code (`US`, `gb`), or `None` when
    /// libphonenumber does not know it.
    pub fn for_country(code: &str) -> Option<PhonePlan> {
        let id = code.trim().to_ascii_uppercase();
        let &(_, calling_code, national_prefix, international_prefix, shortest, longest) =
            regions::REGIONS.iter().find(|(region, ..)| *region == id)?;
        let international_prefix = if international_prefix.is_empty() {
            None
        } else if international_prefix.bytes().all(|b| b.is_ascii_digit()) {
            Some(Prefix::Digits(international_prefix.to_owned()))
        } else {
            Regex::new(&format!("^(?:{international_prefix})"))
                .ok()
                .map(Prefix::Pattern)
        };
        let code_digits = calling_code.to_string().len();
        Some(PhonePlan {
            country: Some(CountryPlan {
                plus_code: format!("+{calling_code}"),
                national_prefix: (!national_prefix.is_empty()).then(|| national_prefix.to_owned()),
                international_prefix,
                shortest: usize::from(shortest),
                longest: usize::from(longest).min(MOST_DIGITS - code_digits),
            }),
        })
    }

    /// Normalises a phone cell, or says why it holds no one number.
    pub fn normalise(&self, cell: &str) -> Result<Phone, NotAPhone> {
        let mut out = String::new();
        self.normalise_into(cell, &mut out)?;
        Ok(Phone(out))
    }

    /// Appends the normalised form of `cell` to `out`; an error (and
    /// nothing appended) when the cell holds no one number. The territory
    /// writes every phone straight into its text arena this way.
    pub fn normalise_into(&self, cell: &str, out: &mut String) -> Result<(), NotAPhone> {
        let cell = cell.trim();
        let start = out.len();
        let read = match push_plain_digits(cell, out) {
            Some(international) => self.complete(out, start, international),
            None => {
                out.truncate(start);
                self.read_any(cell, out)
            }
        };
        if read.is_err() {
            out.truncate(start);
        }
        read.map_err(|why| why.or_several(cell))
    }

    /// Reads a cell of any form, plain or not: a spreadsheet's number,
    /// digits grouped by thousands separators, or digits up to an
    /// extension. The fast path of `normalise_into` agrees with it.
    fn read_any(&self, cell: &str, out: &mut String) -> Result<(), NotAPhone> {
        let start = out.len();
        let joined = without_thousands_separators(cell);
        let cell = joined.as_deref().unwrap_or(cell);
        if let Some(whole) = spreadsheet_number(cell) {
            out.push_str(&whole?);
            return self.complete(out, start, false);
        }
        let (number, extension) = split_extension(cell);
        if digit_count(extension) >= SECOND_NUMBER_DIGITS {
            return Err(NotAPhone::Several);
        }
        out.extend(number.chars().filter(char::is_ascii_digit));
        self.complete(out, start, starts_international(number))
    }

    /// Turns the digits at `out[start..]` into the normalised number, and
    /// checks that a number of its country can be that long. The prefix
    /// dialled before the digits is replaced: `+` for an international
    /// prefix, `+` and the calling code for a trunk prefix (or none).
    fn complete(
        &self,
        out: &mut String,
        start: usize,
        international: bool,
    ) -> Result<(), NotAPhone> {
        let n = out.len() - start;
        if n == 0 {
            return Err(NotAPhone::NoDigits);
        }
        let abroad = if international {
            Some(0)
        } else {
            self.international_prefix(&out[start..])
        };
        if let Some(end) = abroad {
            out.replace_range(start..start + end, "+");
            return check_international(&out[start + 1..]);
        }
        let Some(plan) = &self.country else {
            return check_length(n, SHORTEST_ANYWHERE, MOST_DIGITS);
        };
        let trunk = plan.trunk_prefix(&out[start..]);
        if trunk == 0 {
            // Most numbers: no trunk prefix to take out (and an insert is
            // far cheaper than a splice).
            out.insert_str(start, &plan.plus_code);
        } else {
            out.replace_range(start..start + trunk, &plan.plus_code);
        }
        check_length(n - trunk, plan.shortest, plan.longest)
    }

    /// The length of the international prefix `digits` start with: the
    /// country's own (`011`), else the `00` most of the world dials;
    /// never all of the digits.
    fn international_prefix(&self, digits: &str) -> Option<usize> {
        self.country
            .as_ref()
            .and_then(|plan| plan.international_prefix.as_ref())
            .and_then(|prefix| prefix.find(digits))
            .or_else(|| digits.starts_with("00").then_some(2))
            .filter(|&end| end < digits.len())
    }
}

/// The fast path, for the plain cells that make nearly all of a territory
/// (`(212) 555-0100`, `+44 20 7946 0958`): appends the cell's digits and
/// says whether it is written with `+`. `None`, with digits perhaps
/// appended, when the cell is not plain: something after the number (an
/// extension, a second number) or a spreadsheet's decimal.
fn push_plain_digits(cell: &str, out: &mut String) -> Option<bool> {
    let start = out.len();
    let mut points = 0;
    let mut others = false;
    for (i, c) in cell.char_indices() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if out.len() > start && ends_number(c) {
            // An extension (`x53`, `#12`, `;ext=4`) ends the number here,
            // as on the general path; anything that may be more (a second
            // number, a thousands separator, an exponent) is that path's.
            let short = digit_count(&cell[i..]) < SECOND_NUMBER_DIGITS;
            let exponent = matches!(c, 'e' | 'E')
                && cell[i + 1..].starts_with(|n: char| n.is_ascii_digit() || n == '+' || n == '-');
            let extension = (c.is_alphabetic() && !exponent) || c == '#' || c == ';';
            if short && extension {
                break;
            }
            return None;
        } else if c == '.' {
            points += 1;
        } else {
            others = true;
        }
    }
    if points == 1 && !others {
        return None;
    }
    Some(starts_international(cell))
}

/// True for a character that ends the number written before it: what
/// starts an extension (`x12`, `ext. 12`, `#12`, `;ext=12`, a dialler's
/// pause `,`), or a second number (`or`, `;`).
fn ends_number(c: char) -> bool {
    c.is_alphabetic() || matches!(c, '#' | ';' | ',')
}

fn starts_international(cell: &str) -> bool {
    cell.trim_start_matches(|c: char| c == '(' || c.is_whitespace())
        .starts_with('+')
}

/// The extension written after a number (`ext. 4`, `x12`, `#12`,
/// `;ext=12`): its digits, when what follows the number is one extension
/// and not a second number. A dialler's pause (`,`) is no extension.
pub fn extension(cell: &str) -> Option<String> {
    let (_, rest) = split_extension(cell.trim());
    let words: String = rest
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    // `x`, `ext`, `extension` or `#` name an extension; `;` alone, `,`
    // (a pause) or another word (`or`) do not.
    let named = match words.as_str() {
        "x" | "ext" | "extension" => true,
        "" => rest.trim_start().starts_with('#'),
        _ => false,
    };
    (named && !digits.is_empty() && digits.len() < SECOND_NUMBER_DIGITS).then_some(digits)
}

#[cfg(test)]
mod extension_tests {
    use super::extension;

    #[test]
    fn an_extension_is_kept_and_anything_else_is_not_one() {
        for (cell, want) in [
            ("(619) 555-0122 ext. 4", Some("4")),
            ("(619) 555-0122 x53", Some("53")),
            ("(619) 555-0122 Extension 123456", Some("123456")),
            ("+1 619 555 0122;ext=4", Some("4")),
            ("619-555-0122 #12", Some("12")),
            ("(619) 555-0122", None),
            ("(619) 555-0122 ext.", None),
            ("(619) 555-0122, 4", None),
            ("(619) 555-0122; 4", None),
            ("(619) 555-0122 or 555-0199", None),
            ("(619) 555-0122 x 1234567", None),
        ] {
            assert_eq!(extension(cell).as_deref(), want, "{cell}");
        }
    }
}

/// The number a cell starts with, without what ends it (an extension,
/// a word, perhaps a second number).
pub fn number_part(cell: &str) -> &str {
    split_extension(cell).0
}

/// The number and what follows it (an extension, perhaps a second number).
fn split_extension(cell: &str) -> (&str, &str) {
    let mut digits = false;
    for (i, c) in cell.char_indices() {
        if c.is_ascii_digit() {
            digits = true;
        } else if digits && ends_number(c) {
            return cell.split_at(i);
        }
    }
    (cell, "")
}

fn digit_count(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_digit).count()
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `212,555,0111` or `2,125,550,111.00` without its commas: a cell of
/// digits grouped by commas, the first group short (one number's groups,
/// not a whole number and then another).
fn without_thousands_separators(cell: &str) -> Option<String> {
    let (grouped, decimals) = match cell.split_once('.') {
        Some((grouped, decimals)) => (grouped, Some(decimals)),
        None => (cell, None),
    };
    let first = grouped.split(',').next()?;
    let groups_digits = grouped.split(',').all(is_digits);
    if !grouped.contains(',') || first.len() > 3 || !groups_digits {
        return None;
    }
    let mut joined: String = grouped.split(',').collect();
    if let Some(decimals) = decimals {
        joined.push('.');
        joined.push_str(decimals);
    }
    Some(joined)
}

/// The digits of the whole number a spreadsheet wrote as a decimal
/// (`2125550101.0`) or in scientific notation (`2.125550101E9`,
/// `2,125550101E+09`): exactly those it denotes, never rounded. `None`
/// when the cell is not written so; an error when the number is not whole,
/// or longer than any phone number.
fn spreadsheet_number(cell: &str) -> Option<Result<String, NotAPhone>> {
    let (mantissa, exponent) = match cell.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(read_exponent(exponent)?)),
        None => (cell, None),
    };
    let points: &[char] = if exponent.is_some() {
        &['.', ',']
    } else {
        &['.']
    };
    let (whole, fraction) = match mantissa.split_once(points) {
        Some(parts) => parts,
        None if exponent.is_some() => (mantissa, ""),
        None => return None,
    };
    if !is_digits(whole) || !(fraction.is_empty() || is_digits(fraction)) {
        return None;
    }
    Some(whole_digits(whole, fraction, exponent.unwrap_or(0)))
}

/// The exponent of scientific notation (`9`, `+09`, `-3`); one too large
/// to read is read as huge, so that its number is too long for a phone.
fn read_exponent(text: &str) -> Option<i64> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(digits) => (-1, digits),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    if !is_digits(digits) {
        return None;
    }
    Some(sign * digits.parse::<i64>().unwrap_or(i64::from(u32::MAX)))
}

/// The digits of `whole.fraction` times ten to the `exponent`, which must
/// be a whole number of at most fifteen digits.
fn whole_digits(whole: &str, fraction: &str, exponent: i64) -> Result<String, NotAPhone> {
    let written = [whole, fraction].concat();
    let significant = written.trim_start_matches('0');
    if significant.is_empty() {
        return Ok("0".to_owned());
    }
    let leading_zeros = written.len() - significant.len();
    // Where the decimal point falls among the significant digits.
    let point = whole.len() as i64 - leading_zeros as i64 + exponent;
    let Ok(point) = usize::try_from(point) else {
        return Err(NotAPhone::Fraction);
    };
    if point == 0 {
        return Err(NotAPhone::Fraction);
    }
    if point > MOST_DIGITS {
        return Err(NotAPhone::TooMany);
    }
    match significant.split_at_checked(point) {
        Some((digits, after)) if after.bytes().all(|b| b == b'0') => Ok(digits.to_owned()),
        Some(_) => Err(NotAPhone::Fraction),
        None => Ok(format!("{significant:0<point$}")),
    }
}

/// Checks a number dialled abroad (its digits after `+`) against the
/// lengths of its calling code's numbers, when a region has the code.
fn check_international(digits: &str) -> Result<(), NotAPhone> {
    match calling_code(digits) {
        Some((code, shortest, longest)) => check_length(
            digits.len() - code,
            shortest,
            longest.min(MOST_DIGITS - code),
        ),
        None => check_length(digits.len(), SHORTEST_ANYWHERE + 1, MOST_DIGITS),
    }
}

/// The calling code `digits` start with (calling codes are prefix-free):
/// its length, and the shortest and longest national number of its
/// regions.
fn calling_code(digits: &str) -> Option<(usize, usize, usize)> {
    if digits.starts_with('0') {
        return None;
    }
    let mut code = 0;
    for (len, b) in digits.bytes().take(3).enumerate() {
        code = code * 10 + usize::from(b.wrapping_sub(b'0'));
        match LENGTHS_BY_CODE.get(code) {
            Some(&(shortest, longest)) if longest > 0 => {
                return Some((len + 1, usize::from(shortest), usize::from(longest)));
            }
            _ => {}
        }
    }
    None
}

fn check_length(digits: usize, shortest: usize, longest: usize) -> Result<(), NotAPhone> {
    if digits < shortest {
        Err(NotAPhone::TooFew)
    } else if digits > longest {
        Err(NotAPhone::TooMany)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> PhonePlan {
        PhonePlan::for_country("US").unwrap()
    }

    fn e164(plan: &PhonePlan, s: &str) -> String {
        plan.normalise(s).unwrap().as_str().to_owned()
    }

    /// True when the cell is read as no one number.
    fn refused(plan: &PhonePlan, s: &str) -> bool {
        plan.normalise(s).is_err()
    }

    #[test]
    fn a_spreadsheet_decimal_is_the_whole_number_it_holds() {
        let p = us();
        assert_eq!(e164(&p, "2125550101.0"), "+12125550101");
        assert_eq!(e164(&p, "12125550102.00"), "+12125550102");
        assert_eq!(e164(&PhonePlan::default(), "2125550101.0"), "2125550101");
        assert!(refused(&p, "2125550101.5"));
        assert!(refused(&p, "2125550101.05"));
    }

    #[test]
    fn scientific_notation_is_the_digits_it_denotes() {
        let p = us();
        assert_eq!(e164(&p, "2.125550101E9"), "+12125550101");
        assert_eq!(e164(&p, "2.125550101e+09"), "+12125550101");
        assert_eq!(e164(&p, "1.2125550102E10"), "+12125550102");
        assert_eq!(e164(&p, "2.1255501010E9"), "+12125550101");
        // Exactly the digits written, never rounded: the zeros are the
        // exponent's.
        assert_eq!(e164(&p, "2.12555E+09"), "+12125550000");
    }

    #[test]
    fn scientific_notation_that_is_not_whole_is_no_phone() {
        let p = us();
        assert!(refused(&p, "2.1255501015E9"));
        assert!(refused(&p, "2.125550101E-3"));
        assert!(refused(&p, "2.125550101E99"));
        assert!(refused(&p, "2.125550101E9999999999"));
    }

    #[test]
    fn a_00_prefix_dials_abroad_as_plus_does() {
        let p = us();
        assert_eq!(e164(&p, "00 1 212 555 0103"), "+12125550103");
        assert_eq!(e164(&p, "0044 20 7946 0958"), "+442079460958");
        let none = PhonePlan::default();
        assert_eq!(e164(&none, "00 1 212 555 0103"), "+12125550103");
        assert_eq!(
            none.normalise("00 1 212 555 0103").unwrap().digits(),
            "12125550103"
        );
        // A country's own prefix comes first: Australia's is 0011.
        let au = PhonePlan::for_country("AU").unwrap();
        assert_eq!(e164(&au, "0011 44 20 7946 0958"), "+442079460958");
    }

    #[test]
    fn thousands_separators_join_one_number() {
        let p = us();
        assert_eq!(e164(&p, "212,555,0111"), "+12125550111");
        assert_eq!(e164(&p, "2,125,550,111"), "+12125550111");
        assert_eq!(e164(&p, "2,125,550,111.00"), "+12125550111");
    }

    #[test]
    fn two_numbers_in_one_cell_are_no_one_number() {
        for plan in [us(), PhonePlan::default()] {
            for s in [
                "212-555-0104 / 212-555-0105",
                "2125550106;2125550107",
                "2125550106; 2125550107",
                "2125550101 or 2125550102",
                "2125550101, 2125550102",
                "2125550101,2125550102",
                "2125550101\n2125550102",
                "(212) 555-0101 & (212) 555-0102",
                "212-555-0100 x12 / 212-555-0101",
                "+1 212 555 0100, +44 20 7946 0958",
            ] {
                assert!(refused(&plan, s), "{s}");
            }
        }
    }

    #[test]
    fn an_extension_leaves_one_number() {
        let p = us();
        for s in [
            "212-555-0100 x12",
            "212-555-0100 x123456",
            "212 555 0100 ext. 99",
            "212 555 0100;ext=4",
            "212 555 0100 # 4",
            "2125550100,,4",
            "2125550100 extension 4411",
        ] {
            assert_eq!(e164(&p, s), "+12125550100", "{s}");
        }
    }

    #[test]
    fn too_few_digits_for_the_country_are_no_phone() {
        let p = us();
        assert!(refused(&p, "555-0100"));
        assert!(refused(&p, "1 555 0100"));
        assert!(refused(&p, "+44 20 79"));
        assert!(refused(&p, "+1"));
        let gb = PhonePlan::for_country("GB").unwrap();
        assert!(refused(&gb, "020 794"));
        assert_eq!(e164(&gb, "020 7946 0958"), "+442079460958");
    }

    #[test]
    fn more_than_fifteen_digits_are_no_one_number() {
        let none = PhonePlan::default();
        assert_eq!(e164(&none, "123456789012345"), "123456789012345");
        assert!(refused(&none, "1234567890123456"));
        assert!(refused(&none, "+1234567890123456"));
        assert!(refused(&none, &("1".repeat(40) + "2")));
        // Too many for a number of the country, too.
        assert!(refused(&us(), "212 555 0100 1"));
    }

    #[test]
    fn digit_prefixes_read_as_their_patterns_would() {
        for &(region, _, _, prefix, ..) in regions::REGIONS {
            if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let plan = PhonePlan::for_country(region).unwrap();
            let mut as_pattern = plan.clone();
            if let Some(country) = &mut as_pattern.country {
                country.international_prefix = Some(Prefix::Pattern(
                    Regex::new(&format!("^(?:{prefix})")).unwrap(),
                ));
            }
            for cell in [
                format!("{prefix} 44 20 7946 0000"),
                prefix.to_owned(),
                format!("{prefix}1"),
                "0 20 7946 0000".to_owned(),
                "212-555-0100".to_owned(),
                "+1 212 555 0100".to_owned(),
            ] {
                assert_eq!(
                    plan.normalise(&cell),
                    as_pattern.normalise(&cell),
                    "{region} {cell}"
                );
            }
        }
    }

    /// The general reading, for every cell: the model the fast path of
    /// `normalise_into` is held to.
    fn read_slowly(plan: &PhonePlan, cell: &str) -> Result<String, NotAPhone> {
        let cell = cell.trim();
        let mut out = String::new();
        plan.read_any(cell, &mut out)
            .map(|()| out)
            .map_err(|why| why.or_several(cell))
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_reads_as_the_general_reading(
            cell in "[ (+)0-9x#;,.\\-/&\neEé€ДдΩ\u{2003}\u{1F4DE}]{0,40}",
            region in proptest::sample::select(vec!["US", "GB", "IT", "DE", "FR", "JP", "BR", "AU"]),
            prefixed in proptest::bool::ANY,
        ) {
            let plans = [PhonePlan::default(), PhonePlan::for_country(region).unwrap()];
            for plan in &plans {
                // Appended after what `out` already holds, as the territory does.
                let mut out = String::from("kept|");
                let cell = if prefixed { format!("00{cell}") } else { cell.clone() };
                let found = plan.normalise_into(&cell, &mut out);
                let want = read_slowly(plan, &cell);
                proptest::prop_assert_eq!(found, want.as_ref().map(|_| ()).map_err(|&why| why));
                proptest::prop_assert_eq!(out, format!("kept|{}", want.unwrap_or_default()));
            }
        }

        #[test]
        fn a_number_written_by_a_spreadsheet_reads_as_written_plainly(
            number in 1_000_000_u64..1_000_000_000_000_000,
        ) {
            let plan = PhonePlan::default();
            let plain = plan.normalise(&number.to_string());
            proptest::prop_assert_eq!(&plan.normalise(&format!("{number}.0")), &plain);
            proptest::prop_assert_eq!(&plan.normalise(&format!("{:E}", number as f64)), &plain);
        }
    }

    #[test]
    fn us_national_forms_agree() {
        let p = us();
        for s in [
            "(212) 555-0100",
            "212.555.0100",
            "212-555-0100 x12",
            "212 555 0100 ext. 99",
            "1-212-555-0100",
            "+1 212 555 0100",
            "011 1 212 555 0100",
            "Tel: 212 555 0100",
            "212 555 0100;ext=4",
            "212 555 0100 # 4",
        ] {
            assert_eq!(e164(&p, s), "+12125550100", "{s}");
        }
    }

    #[test]
    fn international_numbers_keep_their_own_code() {
        let p = us();
        assert_eq!(e164(&p, "+44 20 7946 0958"), "+442079460958");
        assert_eq!(e164(&p, "011 44 20 7946 0958"), "+442079460958");
        let gb = PhonePlan::for_country("gb").unwrap();
        assert_eq!(e164(&gb, "020 7946 0958"), "+442079460958");
        assert_eq!(e164(&gb, "0044 20 7946 0958"), "+442079460958");
    }

    #[test]
    fn italy_keeps_its_leading_zero() {
        let it = PhonePlan::for_country("IT").unwrap();
        assert_eq!(e164(&it, "06 1234 5678"), "+390612345678");
    }

    #[test]
    fn agrees_with_libphonenumber_on_common_national_numbers() {
        for (region, id, numbers) in [
            (
                "US",
                phonenumber::country::Id::US,
                &["(212) 555-0100", "1 (415) 555-2671", "+1 617 555 0199"][..],
            ),
            (
                "GB",
                phonenumber::country::Id::GB,
                &["020 7946 0958", "07700 900123", "+44 161 496 0000"][..],
            ),
            (
                "DE",
                phonenumber::country::Id::DE,
                &["030 1234567", "089 12345678", "+49 40 1234567"][..],
            ),
            (
                "FR",
                phonenumber::country::Id::FR,
                &["01 23 45 67 89", "06 12 34 56 78"][..],
            ),
            (
                "AU",
                phonenumber::country::Id::AU,
                &["(02) 9876 5432", "0412 345 678"][..],
            ),
        ] {
            let plan = PhonePlan::for_country(region).unwrap();
            for n in numbers {
                let theirs = phonenumber::parse(Some(id), n)
                    .unwrap()
                    .format()
                    .mode(phonenumber::Mode::E164)
                    .to_string();
                assert_eq!(e164(&plan, n), theirs, "{region} {n}");
            }
        }
    }

    #[test]
    fn without_a_country_only_digits_are_kept() {
        let p = PhonePlan::default();
        assert_eq!(e164(&p, "(212) 555-0100"), "2125550100");
        assert_eq!(e164(&p, "+1 212 555 0100"), "+12125550100");
        assert_eq!(
            p.normalise("+1 212 555 0100").unwrap().digits(),
            "12125550100"
        );
    }

    #[test]
    fn a_cell_without_digits_is_no_phone() {
        let p = us();
        for s in ["", "  ", "n/a", "unknown"] {
            assert_eq!(p.normalise(s), Err(NotAPhone::NoDigits), "{s}");
        }
    }

    /// The shortest and longest national number a person can dial in a
    /// region: its number types' lengths, short codes and emergency
    /// numbers aside.
    fn national_lengths(m: &phonenumber::Metadata) -> (u8, u8) {
        let d = m.descriptors();
        let lengths: Vec<u16> = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|t| t.possible_length().iter().copied())
        .collect();
        let length = |l: Option<&u16>| l.and_then(|&l| u8::try_from(l).ok()).unwrap_or(0);
        (length(lengths.iter().min()), length(lengths.iter().max()))
    }

    #[test]
    fn region_table_matches_libphonenumber() {
        let mut known = 0;
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = format!("{}{}", a as char, b as char);
                let theirs = phonenumber::metadata::DATABASE
                    .by_id(code.as_str())
                    .map(|m| {
                        (
                            m.country_code(),
                            m.national_prefix().unwrap_or("").to_owned(),
                            m.international_prefix()
                                .map(|r| r.as_str().to_owned())
                                .unwrap_or_default(),
                            national_lengths(m),
                        )
                    });
                let ours = regions::REGIONS.iter().find(|(r, ..)| *r == code).map(
                    |&(_, c, n, i, shortest, longest)| {
                        (c, n.to_owned(), i.to_owned(), (shortest, longest))
                    },
                );
                assert_eq!(ours, theirs, "region {code}");
                known += usize::from(ours.is_some());
            }
        }
        assert_eq!(known, regions::REGIONS.len());
    }

    #[test]
    fn every_international_prefix_pattern_compiles() {
        for (region, _, _, pattern, ..) in regions::REGIONS {
            assert!(Regex::new(pattern).is_ok(), "{region}: {pattern}");
        }
    }

    #[test]
    fn unknown_regions_are_refused() {
        assert!(PhonePlan::for_country("XX").is_none());
        assert!(PhonePlan::for_country("").is_none());
    }
}
