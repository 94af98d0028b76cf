//! Phone numbers in one comparable form, so that a do-not-call list written
//! `+1 (212) 555-0100` catches a territory row written `212.555.0100 x12`.
//!
//! The form is digits only, extensions dropped. With a `default_country`,
//! numbers written without an international prefix are national numbers of
//! that country: the trunk prefix is removed and the calling code added
//! (E.164), using libphonenumber's metadata for the country.

use regex::Regex;

mod regions;

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
        let &(_, calling_code, national_prefix, international_prefix, ..) =
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
        Some(PhonePlan {
            country: Some(CountryPlan {
                plus_code: format!("+{calling_code}"),
                national_prefix: (!national_prefix.is_empty()).then(|| national_prefix.to_owned()),
                international_prefix,
            }),
        })
    }

    /// Normalises a phone cell; `None` when it holds no digits.
    pub fn normalise(&self, cell: &str) -> Option<Phone> {
        let mut out = String::new();
        self.normalise_into(cell, &mut out).then_some(Phone(out))
    }

    /// Appends the normalised form of `cell` to `out`; false (and nothing
    /// appended) when the cell holds no digits. The territory writes every
    /// phone straight into its text arena this way.
    pub fn normalise_into(&self, cell: &str, out: &mut String) -> bool {
        let cell = cell.trim();
        let international = cell
            .trim_start_matches(|c: char| c == '(' || c.is_whitespace())
            .starts_with('+');
        // The digits go straight to `out`, and are rearranged there.
        let start = out.len();
        for c in cell.chars() {
            if c.is_ascii_digit() {
                out.push(c);
            } else if out.len() > start && (c.is_alphabetic() || matches!(c, '#' | ';' | ',')) {
                // "x12", "ext. 12", "#12", ";ext=12": the extension starts here.
                break;
            }
        }
        let n = out.len() - start;
        if n == 0 {
            return false;
        }
        let Some(plan) = &self.country else {
            if international {
                out.insert(start, '+');
            }
            return true;
        };
        if international {
            out.insert(start, '+');
            return true;
        }
        // The prefix dialled before the digits is replaced: `+` for an
        // international prefix, `+` and the calling code for a trunk prefix
        // (or none).
        let international_end = plan
            .international_prefix
            .as_ref()
            .and_then(|prefix| prefix.find(&out[start..]))
            .filter(|&end| end < n);
        let (dialled, replaced_by) = match international_end {
            Some(end) => (end, "+"),
            None => (plan.trunk_prefix(&out[start..]), plan.plus_code.as_str()),
        };
        if dialled > 0 {
            out.drain(start..start + dialled);
        }
        out.insert_str(start, replaced_by);
        true
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

    /// The normaliser read character by character, as plainly as it can be
    /// written: the model the run-at-a-time code is held to.
    fn plain_normalise(plan: &PhonePlan, cell: &str) -> Option<String> {
        let cell = cell.trim();
        let international = cell
            .trim_start_matches(|c: char| c == '(' || c.is_whitespace())
            .starts_with('+');
        let mut digits = String::new();
        for c in cell.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !digits.is_empty() && (c.is_alphabetic() || matches!(c, '#' | ';' | ',')) {
                break;
            }
        }
        if digits.is_empty() {
            return None;
        }
        let Some(country) = &plan.country else {
            return Some(if international {
                format!("+{digits}")
            } else {
                digits
            });
        };
        if international {
            return Some(format!("+{digits}"));
        }
        if let Some(end) = country
            .international_prefix
            .as_ref()
            .and_then(|p| p.find(&digits))
            && end < digits.len()
        {
            return Some(format!("+{}", &digits[end..]));
        }
        let national = match &country.national_prefix {
            Some(prefix) if digits.len() > prefix.len() => {
                digits.strip_prefix(prefix.as_str()).unwrap_or(&digits)
            }
            _ => &digits,
        };
        Some(format!("{}{national}", country.plus_code))
    }

    proptest::proptest! {
        #[test]
        fn normalises_as_read_character_by_character(
            cell in "[ (+)0-9x#;,.\\-é€ДдΩ\u{2003}\u{1F4DE}]{0,40}",
            region in proptest::sample::select(vec!["US", "GB", "IT", "DE", "FR", "JP", "BR", "AU"]),
            prefixed in proptest::bool::ANY,
        ) {
            let plans = [PhonePlan::default(), PhonePlan::for_country(region).unwrap()];
            for plan in &plans {
                // Appended after what `out` already holds, as the territory does.
                let mut out = String::from("kept|");
                let cell = if prefixed { format!("00{cell}") } else { cell.clone() };
                let found = plan.normalise_into(&cell, &mut out);
                let want = plain_normalise(plan, &cell);
                proptest::prop_assert_eq!(found, want.is_some());
                proptest::prop_assert_eq!(out, format!("kept|{}", want.unwrap_or_default()));
            }
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
        assert_eq!(p.normalise(""), None);
        assert_eq!(p.normalise("  "), None);
        assert_eq!(p.normalise("n/a"), None);
        assert_eq!(p.normalise("unknown"), None);
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
    fn very_long_numbers_keep_every_digit() {
        let p = PhonePlan::default();
        let long = "1".repeat(40) + "2";
        assert_eq!(e164(&p, &long), long);
    }

    #[test]
    fn unknown_regions_are_refused() {
        assert!(PhonePlan::for_country("XX").is_none());
        assert!(PhonePlan::for_country("").is_none());
    }
}
