//! The known hard cases of North American time zones, the lookups' rules,
//! and the invariants the binary searches rely on.

use std::fmt::Write;

use chrono_tz::Tz;

use super::*;

fn zip(zip5: u32) -> (Option<Region>, Vec<Tz>) {
    let place = us_zip(zip5).expect("ZIP in the data");
    (place.region, place.zones.to_vec())
}

fn fsa(code: &str) -> (Option<Region>, Vec<Tz>) {
    let place = canada_fsa(code).expect("FSA in the data");
    (place.region, place.zones.to_vec())
}

fn dial(digits: &str) -> (Option<Region>, Vec<Tz>) {
    let place = phone(digits).expect("a number with zones");
    (place.region, place.zones.to_vec())
}

fn zones_of(country: &str, text: &str) -> Vec<Tz> {
    subdivision(country, text)
        .expect("a known subdivision")
        .zones
        .to_vec()
}

// ---------------------------------------------------------------- ZIPs

#[test]
fn indiana_splits_between_central_gary_and_eastern_indianapolis() {
    assert_eq!(zip(46402), (Some("US-IN"), vec![Tz::America__Chicago]));
    assert_eq!(
        zip(46204),
        (Some("US-IN"), vec![Tz::America__Indiana__Indianapolis])
    );
}

#[test]
fn the_florida_panhandle_is_central() {
    assert_eq!(zip(32501), (Some("US-FL"), vec![Tz::America__Chicago]));
}

#[test]
fn el_paso_is_mountain() {
    assert_eq!(zip(79901), (Some("US-TX"), vec![Tz::America__Denver]));
}

#[test]
fn phoenix_keeps_no_daylight_saving() {
    assert_eq!(zip(85001), (Some("US-AZ"), vec![Tz::America__Phoenix]));
}

#[test]
fn honolulu_and_anchorage_zips() {
    assert_eq!(zip(96813), (Some("US-HI"), vec![Tz::Pacific__Honolulu]));
    assert_eq!(zip(99501), (Some("US-AK"), vec![Tz::America__Anchorage]));
}

#[test]
fn territories_are_us_subdivisions_and_associated_states_are_not() {
    assert_eq!(zip(601), (Some("US-PR"), vec![Tz::America__Puerto_Rico]));
    assert_eq!(zip(96910), (Some("US-GU"), vec![Tz::Pacific__Guam]));
    // Micronesia: a country of its own that the USPS serves.
    assert_eq!(zip(96941), (None, vec![Tz::Pacific__Chuuk]));
}

#[test]
fn a_zip_not_in_the_data_is_none() {
    assert_eq!(us_zip(0), None);
    assert_eq!(us_zip(99999), None);
    // Between two Gary ZIPs of one range: the range alone would answer.
    assert!(us_zip(46411).is_some());
    assert_eq!(us_zip(46412), None);
    // Military post offices are no place.
    assert_eq!(us_zip(9001), None);
    assert_eq!(us_zip(100_000), None);
    assert_eq!(us_zip(u32::MAX), None);
}

// ---------------------------------------------------------------- phones

#[test]
fn area_code_850_is_eastern_but_its_43x_exchanges_are_central() {
    // libphonenumber lists 850 as Eastern with 172 finer prefixes, all
    // Central, 850-43x (Pensacola) among them.
    assert_eq!(
        dial("18505551234"),
        (Some("US-FL"), vec![Tz::America__New_York])
    );
    assert_eq!(
        dial("18504321234"),
        (Some("US-FL"), vec![Tz::America__Chicago])
    );
}

#[test]
fn area_code_812_is_eastern_with_central_exchanges() {
    assert_eq!(
        dial("18125551234"),
        (Some("US-IN"), vec![Tz::America__New_York])
    );
    assert_eq!(
        dial("18123851234"),
        (Some("US-IN"), vec![Tz::America__Chicago])
    );
}

#[test]
fn area_code_270_is_eastern_with_central_exchanges() {
    assert_eq!(
        dial("12705551234"),
        (Some("US-KY"), vec![Tz::America__New_York])
    );
    assert_eq!(
        dial("12702021234"),
        (Some("US-KY"), vec![Tz::America__Chicago])
    );
}

#[test]
fn area_code_541_is_pacific_but_ontario_oregon_is_mountain() {
    assert_eq!(
        dial("15415551234"),
        (Some("US-OR"), vec![Tz::America__Los_Angeles])
    );
    assert_eq!(
        dial("15418811234"),
        (Some("US-OR"), vec![Tz::America__Denver])
    );
}

#[test]
fn area_code_915_el_paso_is_mountain() {
    assert_eq!(
        dial("19155551234"),
        (Some("US-TX"), vec![Tz::America__Denver])
    );
}

#[test]
fn hawaii_808() {
    assert_eq!(
        dial("18085551234"),
        (Some("US-HI"), vec![Tz::Pacific__Honolulu])
    );
}

#[test]
fn alaska_907_spans_two_clocks() {
    assert_eq!(
        dial("19075551234"),
        (
            Some("US-AK"),
            vec![Tz::America__Anchorage, Tz::America__Adak]
        )
    );
}

#[test]
fn newfoundland_709_and_a1a() {
    // libphonenumber gives 709 both of Newfoundland and Labrador's clocks.
    let (region, zones) = dial("17095551234");
    assert_eq!(region, Some("CA-NL"));
    assert_eq!(zones.len(), 2, "{zones:?}");
    assert!(zones.contains(&Tz::America__St_Johns), "{zones:?}");
    assert!(zones.contains(&Tz::America__Halifax), "{zones:?}");
    assert_eq!(fsa("A1A"), (Some("CA-NL"), vec![Tz::America__St_Johns]));
}

#[test]
fn saskatchewan_306_and_s4p_keep_regina_time() {
    assert_eq!(
        dial("13065551234"),
        (Some("CA-SK"), vec![Tz::America__Regina])
    );
    assert_eq!(fsa("S4P"), (Some("CA-SK"), vec![Tz::America__Regina]));
}

#[test]
fn a_uk_number_is_london() {
    assert_eq!(dial("442079460000"), (None, vec![Tz::Europe__London]));
    // "44" alone lists London and its links (Guernsey, Jersey, Isle of
    // Man); one clock, so one zone.
    assert_eq!(dial("44"), (None, vec![Tz::Europe__London]));
}

#[test]
fn a_japanese_number_is_tokyo() {
    assert_eq!(dial("81312345678"), (None, vec![Tz::Asia__Tokyo]));
}

#[test]
fn a_country_code_of_several_clocks_alone_is_no_answer() {
    assert_eq!(phone("1"), None);
    assert_eq!(phone("7"), None);
    // A number under "1" whose area code is no known prefix: still none.
    assert_eq!(phone("1999"), None);
}

#[test]
fn phone_refuses_anything_but_digits() {
    assert_eq!(phone(""), None);
    assert_eq!(phone("+18505551234"), None);
    assert_eq!(phone("1850 555 1234"), None);
}

#[test]
fn area_code_regions() {
    assert_eq!(area_code_region("18505551234"), Some("US-FL"));
    assert_eq!(area_code_region("12015551234"), Some("US-NJ"));
    assert_eq!(area_code_region("14165551234"), Some("CA-ON"));
    // "Washington D.C." and "British Colombia", as libphonenumber writes them.
    assert_eq!(area_code_region("12025551234"), Some("US-DC"));
    assert_eq!(area_code_region("12575551234"), Some("CA-BC"));
    // Puerto Rico is a region of its own in libphonenumber.
    assert_eq!(area_code_region("17875551234"), Some("US-PR"));
    // Jamaica is a country, 902 is two provinces, 800 is no place.
    assert_eq!(area_code_region("18765551234"), None);
    assert_eq!(area_code_region("19025551234"), None);
    assert_eq!(area_code_region("18005551234"), None);
    assert_eq!(area_code_region("4420"), None);
    assert_eq!(area_code_region("185"), None);
}

// ---------------------------------------------------------------- Canada

#[test]
fn labrador_keeps_atlantic_time() {
    assert_eq!(fsa("A2V"), (Some("CA-NL"), vec![Tz::America__Goose_Bay]));
    assert_eq!(fsa("A0P"), (Some("CA-NL"), vec![Tz::America__Goose_Bay]));
}

#[test]
fn lloydminster_keeps_alberta_time_on_both_sides() {
    assert_eq!(fsa("S9V"), (Some("CA-SK"), vec![Tz::America__Edmonton]));
    assert_eq!(fsa("T9V"), (Some("CA-AB"), vec![Tz::America__Edmonton]));
}

#[test]
fn northwestern_ontario_is_central() {
    assert_eq!(fsa("P8N"), (Some("CA-ON"), vec![Tz::America__Winnipeg]));
    assert_eq!(fsa("P0V"), (Some("CA-ON"), vec![Tz::America__Winnipeg]));
    assert_eq!(fsa("K1A"), (Some("CA-ON"), vec![Tz::America__Toronto]));
}

#[test]
fn the_magdalen_islands_are_atlantic() {
    assert_eq!(fsa("G4T"), (Some("CA-QC"), vec![Tz::America__Halifax]));
}

#[test]
fn east_kootenay_is_mountain() {
    assert_eq!(fsa("V1C"), (Some("CA-BC"), vec![Tz::America__Edmonton]));
    assert_eq!(fsa("V0B"), (Some("CA-BC"), vec![Tz::America__Edmonton]));
}

#[test]
fn fsa_lookup_takes_any_case_and_only_three_characters() {
    assert_eq!(canada_fsa("s4p"), canada_fsa("S4P"));
    assert_eq!(canada_fsa("S4P 3Y2"), None);
    assert_eq!(canada_fsa("S4"), None);
    assert_eq!(canada_fsa("Z9Z"), None);
}

#[test]
fn a_postal_codes_first_letter_fixes_the_province_except_x() {
    let ontario = canada_postal_letter('k').expect("K is Ontario");
    assert_eq!(ontario.region, Some("CA-ON"));
    assert_eq!(Some(ontario), subdivision("CA", "ON"));
    assert_eq!(
        canada_postal_letter('H').and_then(|p| p.region),
        Some("CA-QC")
    );
    assert_eq!(canada_postal_letter('X'), None);
    assert_eq!(canada_postal_letter('D'), None);
}

// ---------------------------------------------------------------- names

#[test]
fn countries_by_code_and_by_the_names_crms_write() {
    assert_eq!(country("United States"), Some("US"));
    assert_eq!(country("usa"), Some("US"));
    assert_eq!(country(" United States of America "), Some("US"));
    assert_eq!(country("U.S.A."), Some("US"));
    assert_eq!(country("us"), Some("US"));
    assert_eq!(country("ca"), Some("CA"));
    assert_eq!(country("Canada"), Some("CA"));
    assert_eq!(country("CAN"), Some("CA"));
    assert_eq!(country("Germany"), Some("DE"));
    assert_eq!(country("deu"), Some("DE"));
    assert_eq!(country("Atlantis"), None);
    assert_eq!(country(""), None);
    assert_eq!(country("  "), None);
}

#[test]
fn us_states_by_name_and_abbreviation() {
    let florida = subdivision("US", "fl").expect("Florida");
    assert_eq!(florida.region, Some("US-FL"));
    assert_eq!(subdivision("US", "Florida"), Some(florida));
    assert_eq!(subdivision("us", " FLORIDA "), Some(florida));
    assert_eq!(subdivision("USA", "US-FL"), Some(florida));
    assert_eq!(
        florida.zones,
        &[Tz::America__New_York, Tz::America__Chicago]
    );
    assert_eq!(
        subdivision("US", "Washington, D.C.").and_then(|p| p.region),
        Some("US-DC")
    );
    assert_eq!(
        subdivision("US", "Puerto Rico").and_then(|p| p.region),
        Some("US-PR")
    );
}

#[test]
fn canadian_provinces_by_name_and_abbreviation() {
    let quebec = subdivision("CA", "qc").expect("Quebec");
    assert_eq!(quebec.region, Some("CA-QC"));
    assert_eq!(subdivision("CA", "Quebec"), Some(quebec));
    assert_eq!(subdivision("Canada", "Québec"), Some(quebec));
    assert_eq!(
        subdivision("CA", "Newfoundland and Labrador").and_then(|p| p.region),
        Some("CA-NL")
    );
    assert_eq!(
        subdivision("CA", "Northwest Territories").and_then(|p| p.region),
        Some("CA-NT")
    );
}

#[test]
fn subdivisions_belong_to_their_country() {
    assert_eq!(subdivision("CA", "FL"), None);
    assert_eq!(subdivision("US", "ON"), None);
    assert_eq!(subdivision("DE", "BY"), None);
    assert_eq!(subdivision("Atlantis", "FL"), None);
    assert_eq!(subdivision("US", "Narnia"), None);
}

#[test]
fn indianas_zones_are_central_and_eastern() {
    let zones = zones_of("US", "Indiana");
    assert!(zones.contains(&Tz::America__Chicago), "{zones:?}");
    assert!(
        zones.contains(&Tz::America__Indiana__Indianapolis),
        "{zones:?}"
    );
    // New York's clock is Indianapolis's since 2006: merged, not listed.
    assert!(!zones.contains(&Tz::America__New_York), "{zones:?}");
}

#[test]
fn province_zones_cover_their_hard_cases() {
    let saskatchewan = zones_of("CA", "SK");
    assert_eq!(saskatchewan.first(), Some(&Tz::America__Regina));
    assert!(saskatchewan.contains(&Tz::America__Edmonton)); // Lloydminster
    let newfoundland = zones_of("CA", "NL");
    assert_eq!(
        newfoundland,
        vec![Tz::America__St_Johns, Tz::America__Goose_Bay]
    );
    let nunavut = zones_of("CA", "Nunavut");
    assert_eq!(nunavut.len(), 3, "{nunavut:?}");
}

#[test]
fn folding_ignores_case_punctuation_and_spacing() {
    let fold = |text: &str| Folded::new(text).collect::<String>();
    assert_eq!(fold("  Washington, D.C. "), "washington dc");
    assert_eq!(fold("Terre-Neuve-et-Labrador"), "terre neuve et labrador");
    assert_eq!(fold("CÔTE D’IVOIRE"), "côte divoire");
    assert_eq!(fold(" - "), "");
}

#[test]
fn data_date_is_a_date() {
    let bytes = DATA_DATE.as_bytes();
    assert_eq!(bytes.len(), 10, "{DATA_DATE}");
    assert!(
        bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 {
            *b == b'-'
        } else {
            b.is_ascii_digit()
        }),
        "{DATA_DATE}"
    );
}

// ---------------------------------------------------------------- tables

/// Every name key is in the form `Folded` gives, or a lookup could never
/// reach it; and the tables are sorted as the binary searches compare.
#[test]
fn name_tables_are_folded_and_sorted() {
    for (key, _) in COUNTRIES {
        assert!(Folded::new(key).eq(key.chars()), "{key:?}");
    }
    for (_, key, _) in SUBDIVISIONS {
        assert!(Folded::new(key).eq(key.chars()), "{key:?}");
    }
    assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(
        SUBDIVISIONS
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1))
    );
    assert!(FSAS.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(POSTAL_LETTERS.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(AREA_REGIONS.windows(2).all(|w| w[0] < w[1]));
    assert!(
        AREA_CODES
            .iter()
            .all(|&r| usize::from(r) <= AREA_REGIONS.len())
    );
    assert!(ZIP_RANGES.windows(2).all(|w| w[0].1 < w[1].0));
    assert!(ZIP_RANGES.iter().all(|r| r.0 <= r.1));
}

#[test]
fn every_table_points_at_a_place() {
    let places = PLACES.len();
    assert!(ZIP_RANGES.iter().all(|r| usize::from(r.2) < places));
    assert!(FSAS.iter().all(|r| usize::from(r.1) < places));
    assert!(SUBDIVISIONS.iter().all(|r| usize::from(r.2) < places));
    assert!(POSTAL_LETTERS.iter().all(|r| usize::from(r.1) < places));
}

/// The parent of each phone prefix is its longest proper prefix in the
/// table, which the lookup's walk up the chain relies on; and the keys it
/// searches are those of the prefixes.
#[test]
fn phone_prefix_parents_are_the_longest_proper_prefixes() {
    assert!(PHONE_PREFIXES.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(PHONE_KEYS.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(PHONE_KEYS.len(), PHONE_PREFIXES.len());
    for (&key, &(prefix, _, _)) in PHONE_KEYS.iter().zip(&PHONE_PREFIXES) {
        assert!(prefix.len() <= PHONE_KEY_DIGITS, "{prefix}");
        assert_eq!(key, prefix_key(prefix), "{prefix}");
    }
    for (index, &(prefix, parent, _)) in PHONE_PREFIXES.iter().enumerate() {
        let expected = (1..prefix.len())
            .rev()
            .find_map(|n| PHONE_PREFIXES.iter().position(|e| e.0 == &prefix[..n]));
        match expected {
            Some(p) => {
                assert_eq!(usize::from(parent), p, "{prefix}");
                assert!(p < index);
            }
            None => assert_eq!(parent, NO_PARENT, "{prefix}"),
        }
    }
}

/// The answer a plain scan of the whole table gives.
fn longest_prefix_by_scan(digits: &str) -> Option<&'static [Tz]> {
    PHONE_PREFIXES
        .iter()
        .filter(|e| digits.starts_with(e.0))
        .max_by_key(|e| e.0.len())
        .map(|e| e.2)
}

/// Lookups on many inputs agree with plain scans; with timings printed
/// (run with --nocapture), though nothing asserts on them.
#[test]
fn many_lookups_agree_with_plain_scans() {
    let start = std::time::Instant::now();
    let mut found = 0usize;
    for zip5 in 0..100_000u32 {
        let exists = (ZIP_EXISTS[(zip5 / 64) as usize] >> (zip5 % 64)) & 1 == 1;
        let by_scan = ZIP_RANGES
            .iter()
            .find(|r| r.0 <= zip5 && zip5 <= r.1)
            .filter(|_| exists)
            .map(|r| PLACES[usize::from(r.2)]);
        let place = us_zip(zip5);
        assert_eq!(place, by_scan, "{zip5}");
        found += usize::from(place.is_some());
    }
    assert!(found > 40_000, "{found}");
    let zips = start.elapsed();

    // Numbers from every prefix, and from every prefix with digits after.
    let start = std::time::Instant::now();
    let mut number = String::new();
    for &(prefix, _, _) in &PHONE_PREFIXES {
        for tail in ["", "0", "5551234", "999999999"] {
            number.clear();
            number.push_str(prefix);
            number.push_str(tail);
            for cut in [number.len(), number.len().saturating_sub(1)] {
                let digits = &number[..cut];
                assert_eq!(
                    longest_prefix_zones(digits),
                    longest_prefix_by_scan(digits),
                    "{digits}"
                );
            }
        }
    }
    let checked = start.elapsed();

    // A million North American numbers, made first, then looked up and
    // timed: nearly all answer.
    let areas: Vec<usize> = (0..AREA_CODES.len())
        .filter(|&c| AREA_CODES[c] != 0)
        .collect();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let numbers: Vec<String> = (0..1_000_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let area = areas[(seed % areas.len() as u64) as usize];
            let mut number = String::with_capacity(11);
            write!(number, "1{area}{:07}", (seed >> 20) % 10_000_000).unwrap();
            number
        })
        .collect();
    let start = std::time::Instant::now();
    let answered = numbers.iter().filter(|n| phone(n).is_some()).count();
    let phones = start.elapsed();
    assert!(answered > 900_000, "{answered}");
    println!("all ZIPs {zips:?}, prefix checks {checked:?}, a million phone lookups {phones:?}");
}
