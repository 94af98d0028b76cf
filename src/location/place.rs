//! Where a customer is: the zones and regions a territory row's cells give,
//! in the order docs/location.md sets out (timezone, postal code, state,
//! phone), with the phone's zones added when they differ. No file, no
//! clock: the cells in, a `Place` and what to tell the user out.

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

use super::tables::{self, Region};

/// What to do with an account that no source places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnknownZone {
    /// Bad data: never called until the territory says where it is.
    #[default]
    Exclude,
    /// Called in the office's hours.
    Office,
}

/// `[location]`, and the country national numbers and addresses are in.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub unknown_zone: UnknownZone,
    /// Also honour the zones and regions of the phone's area code when
    /// they differ from the address's.
    pub cross_check: bool,
    /// `default_country`, upper case.
    pub default_country: Option<String>,
}

/// Where a zone or a region came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Timezone,
    PostalCode,
    State,
    Phone,
    Office,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Timezone,
        Source::PostalCode,
        Source::State,
        Source::Phone,
        Source::Office,
    ];

    /// As the queue's `zone_from` names it.
    pub fn name(self) -> &'static str {
        match self {
            Source::Timezone => "timezone",
            Source::PostalCode => "postal_code",
            Source::State => "state",
            Source::Phone => "phone",
            Source::Office => "office",
        }
    }
}

/// What one source says about the customer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clue {
    pub source: Source,
    pub zones: Vec<Tz>,
    pub region: Option<Region>,
}

/// Where a customer is: every zone they may be in and every region whose
/// law may apply, with the sources of each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Place {
    pub zones: Vec<Tz>,
    pub regions: Vec<Region>,
    /// The sources of `zones`, in the order of `Source`.
    pub zone_from: Vec<Source>,
    /// What every source that said anything said, for `explain`.
    pub clues: Vec<Clue>,
    /// The phone is a North American number (`+1`): with no known
    /// region, a compliance profile holds it to every region's rules.
    pub nanp: bool,
}

impl Place {
    /// No zone, no region: where an account no source places is.
    pub const NOWHERE: Place = Place {
        zones: Vec::new(),
        regions: Vec::new(),
        zone_from: Vec::new(),
        clues: Vec::new(),
        nanp: false,
    };

    /// The office's zone, for settings and tests where every customer is
    /// in it.
    pub fn office(office: Tz) -> Place {
        Place {
            zones: vec![office],
            zone_from: vec![Source::Office],
            ..Place::default()
        }
    }

    /// The queue's `timezone` cell: the zones joined by `;`.
    pub fn zone_names(&self) -> String {
        join(self.zones.iter().map(|z| z.name()), ";")
    }

    /// The queue's `region` cell.
    pub fn region_names(&self) -> String {
        join(self.regions.iter().copied(), ";")
    }

    /// The queue's `zone_from` cell: the sources joined by `+`.
    pub fn zone_from_names(&self) -> String {
        join(self.zone_from.iter().map(|s| s.name()), "+")
    }
}

fn join<'a>(items: impl Iterator<Item = &'a str>, separator: &str) -> String {
    items.collect::<Vec<_>>().join(separator)
}

/// The location cells of one territory row, trimmed. `timezone` is the
/// zone its cell names (`None` when empty or not a zone: the territory
/// reports a bad one itself); `phone` is the normalised number.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cells<'a> {
    pub timezone: Option<Tz>,
    pub postal_code: &'a str,
    pub state: &'a str,
    pub country: &'a str,
    pub phone: &'a str,
}

/// What a row's location cells say that the user should hear about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Issue {
    /// No source gives a zone, and `unknown_zone` excludes: bad data.
    NoZone,
    /// A cell the tables cannot read: not used (a warning).
    Unread(String),
    /// The sources disagree (only `check` shows it).
    Disagree(String),
}

/// Works out where the customer of `cells` is.
pub fn resolve(cells: &Cells<'_>, settings: &Settings, office: Tz) -> (Place, Vec<Issue>) {
    let mut issues = Vec::new();
    let country = country_of(cells, settings, &mut issues);
    let mut clues: Vec<Clue> = Vec::new();
    if let Some(zone) = cells.timezone {
        clues.push(clue(Source::Timezone, &[zone], None));
    }
    if let Some(place) = postal_place(cells.postal_code, country, &mut issues) {
        clues.push(clue(Source::PostalCode, place.zones, place.region));
    }
    if let Some(place) = state_place(cells.state, country, &mut issues) {
        clues.push(clue(Source::State, place.zones, place.region));
    }
    if let Some(place) = phone_place(cells.phone) {
        clues.push(clue(Source::Phone, place.zones, place.region));
    }
    let mut place = Place {
        zones: Vec::new(),
        regions: Vec::new(),
        zone_from: Vec::new(),
        clues,
        nanp: cells.phone.starts_with("+1"),
    };
    place_zones(&mut place, settings.cross_check, &mut issues);
    place_regions(&mut place, settings.cross_check, &mut issues);
    if place.zones.is_empty() {
        match settings.unknown_zone {
            UnknownZone::Office => {
                place.zones.push(office);
                place.zone_from.push(Source::Office);
            }
            UnknownZone::Exclude => issues.push(Issue::NoZone),
        }
    }
    (place, issues)
}

fn clue(source: Source, zones: &[Tz], region: Option<Region>) -> Clue {
    Clue {
        source,
        zones: zones.to_vec(),
        region,
    }
}

/// The country the address is in: the `country` cell's, else
/// `default_country`. `Err` when the cell names no country the tables
/// know: then the address is not read at all, rather than read as some
/// other country's.
fn country_of<'s>(
    cells: &Cells<'_>,
    settings: &'s Settings,
    issues: &mut Vec<Issue>,
) -> Result<Option<&'s str>, ()> {
    if cells.country.is_empty() {
        return Ok(settings.default_country.as_deref());
    }
    match tables::country(cells.country) {
        Some(code) => Ok(Some(code)),
        None => {
            let has_address = !cells.postal_code.is_empty() || !cells.state.is_empty();
            if has_address {
                issues.push(Issue::Unread(format!(
                    "country {:?} is not a country callqueue knows; the address is not used for the zone (write a two-letter code such as US or CA)",
                    cells.country
                )));
            }
            Err(())
        }
    }
}

/// The shape a postal code is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PostalShape {
    /// A US ZIP's five digits (ZIP+4 written either way).
    Zip(u32),
    /// A Canadian forward sortation area (the first three characters).
    Fsa([u8; 3]),
    Other,
}

fn postal_shape(code: &str) -> PostalShape {
    let b = code.as_bytes();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let five = |s: &[u8]| s.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    match b.len() {
        5 if digits(b) => return PostalShape::Zip(five(b)),
        9 if digits(b) => return PostalShape::Zip(five(&b[..5])),
        10 if digits(&b[..5]) && b[5] == b'-' && digits(&b[6..]) => {
            return PostalShape::Zip(five(&b[..5]));
        }
        _ => {}
    }
    let canadian: Vec<u8> = b
        .iter()
        .filter(|c| !c.is_ascii_whitespace() && **c != b'-')
        .map(u8::to_ascii_uppercase)
        .collect();
    let letter_digit = |s: &[u8]| {
        s.chunks(2)
            .all(|pair| pair[0].is_ascii_uppercase() && pair.get(1).is_none_or(u8::is_ascii_digit))
    };
    if canadian.len() == 6 && letter_digit(&canadian) {
        return PostalShape::Fsa([canadian[0], canadian[1], canadian[2]]);
    }
    PostalShape::Other
}

fn postal_place(
    code: &str,
    country: Result<Option<&str>, ()>,
    issues: &mut Vec<Issue>,
) -> Option<tables::Place> {
    if code.is_empty() {
        return None;
    }
    let country = country.ok()?;
    let shape = postal_shape(code);
    let place = match (country, shape) {
        (Some("US") | None, PostalShape::Zip(zip)) => tables::us_zip(zip),
        (Some("CA") | None, PostalShape::Fsa(fsa)) => {
            // An area the table lacks (a new one) is its province's.
            tables::canada_fsa(std::str::from_utf8(&fsa).unwrap_or_default())
                .or_else(|| tables::canada_postal_letter(char::from(fsa[0])))
        }
        (Some(country @ ("US" | "CA")), _) => {
            let form = if country == "US" {
                "a five-digit ZIP such as 32501"
            } else {
                "a postal code such as K1A 0B1"
            };
            issues.push(Issue::Unread(format!(
                "postal_code {code:?} is not {form} (the country is {country}); not used for the zone"
            )));
            return None;
        }
        (None, PostalShape::Other) => {
            issues.push(Issue::Unread(format!(
                "postal_code {code:?} is neither a US ZIP nor a Canadian postal code; not used for the zone (fill in the country)"
            )));
            return None;
        }
        // Another country's code: callqueue has no postal data for it.
        _ => return None,
    };
    if place.is_none() {
        issues.push(Issue::Unread(format!(
            "postal_code {code:?} is not in callqueue's postal data; not used for the zone"
        )));
    }
    place
}

fn state_place(
    state: &str,
    country: Result<Option<&str>, ()>,
    issues: &mut Vec<Issue>,
) -> Option<tables::Place> {
    if state.is_empty() {
        return None;
    }
    let country = country.ok()?;
    let place = match country {
        Some(country @ ("US" | "CA")) => tables::subdivision(country, state),
        None => tables::subdivision("US", state).or_else(|| tables::subdivision("CA", state)),
        // Another country's state: callqueue has no data for it.
        Some(_) => return None,
    };
    if place.is_none() {
        let country = country.unwrap_or("US or CA");
        issues.push(Issue::Unread(format!(
            "state {state:?} is not a state or province of {country}; not used for the zone (write its postal abbreviation, such as FL or ON)"
        )));
    }
    place
}

/// The phone's place, for a number in international form only: the
/// digits of a national number without `default_country` do not say
/// which country's plan they follow.
pub fn phone_place(phone: &str) -> Option<tables::Place> {
    let digits = phone.strip_prefix('+')?;
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let digits = &digits[..end];
    // `tables::phone` gives the area code's region with its zones; a
    // number whose prefix has no zone may still have a region.
    tables::phone(digits).or_else(|| {
        tables::area_code_region(digits).map(|region| tables::Place {
            region: Some(region),
            zones: &[],
        })
    })
}

/// The first of timezone, postal code and state that gives zones, else the
/// phone; with `cross_check`, the phone's zones are added when they
/// differ.
fn place_zones(place: &mut Place, cross_check: bool, issues: &mut Vec<Issue>) {
    let with_zones = |c: &&Clue| !c.zones.is_empty();
    let address = place
        .clues
        .iter()
        .filter(|c| c.source != Source::Phone)
        .find(with_zones)
        .cloned();
    let phone = place
        .clues
        .iter()
        .find(|c| c.source == Source::Phone)
        .filter(with_zones)
        .cloned();
    match (address, phone) {
        (Some(address), phone) => {
            place.zones.clone_from(&address.zones);
            place.zone_from.push(address.source);
            // The phone's zones whose clocks the address's lack: a phone
            // in one of the address's zones narrows nothing.
            let elsewhere: Vec<Tz> = phone
                .filter(|_| cross_check)
                .map(|p| p.zones)
                .unwrap_or_default()
                .into_iter()
                .filter(|&z| !address.zones.iter().any(|&a| same_clock(a, z)))
                .collect();
            if !elsewhere.is_empty() {
                issues.push(Issue::Disagree(format!(
                    "{} says {} but the phone's area says {}: called only in hours in both",
                    address.source.name(),
                    zone_list(&address.zones),
                    zone_list(&elsewhere)
                )));
                place.zones.extend(elsewhere);
                place.zone_from.push(Source::Phone);
            }
        }
        (None, Some(phone)) => {
            place.zones = phone.zones;
            place.zone_from.push(Source::Phone);
        }
        (None, None) => {}
    }
}

/// The state's region, else the postal code's, else the phone's; with
/// `cross_check`, the phone's is added when it differs.
fn place_regions(place: &mut Place, cross_check: bool, issues: &mut Vec<Issue>) {
    let of = |source: Source| {
        place
            .clues
            .iter()
            .find(|c| c.source == source)
            .and_then(|c| c.region)
    };
    let (state, postal, phone) = (of(Source::State), of(Source::PostalCode), of(Source::Phone));
    if let (Some(state), Some(postal)) = (state, postal)
        && state != postal
    {
        issues.push(Issue::Disagree(format!(
            "state says {state} but postal_code says {postal}: {state} is used"
        )));
    }
    match state.or(postal) {
        Some(address) => {
            place.regions.push(address);
            if let Some(phone) = phone.filter(|p| cross_check && *p != address) {
                issues.push(Issue::Disagree(format!(
                    "the address is in {address} but the phone's area code is {phone}'s: the laws of both apply"
                )));
                place.regions.push(phone);
            }
        }
        None => place.regions.extend(phone),
    }
}

fn zone_list(zones: &[Tz]) -> String {
    join(zones.iter().map(|z| z.name()), ", ")
}

/// Whether two lists of zones keep the same clocks: each zone of one has a
/// zone of the other with the same UTC offset on the first and fifteenth
/// of every month from 2024 to 2030 (`US/Eastern` and `America/New_York`
/// are one place to call).
#[cfg(test)]
fn same_clocks(a: &[Tz], b: &[Tz]) -> bool {
    let covers = |x: &[Tz], y: &[Tz]| x.iter().all(|&p| y.iter().any(|&q| same_clock(p, q)));
    covers(a, b) && covers(b, a)
}

fn same_clock(a: Tz, b: Tz) -> bool {
    if a == b {
        return true;
    }
    let offset = |zone: Tz, date: NaiveDate| {
        let noon = date.and_hms_opt(12, 0, 0).unwrap_or_default();
        zone.offset_from_utc_datetime(&noon).fix().local_minus_utc()
    };
    (2024..=2030).all(|year| {
        (1..=12).all(|month| {
            [1, 15].iter().all(|&day| {
                NaiveDate::from_ymd_opt(year, month, day)
                    .is_none_or(|date| offset(a, date) == offset(b, date))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America;

    fn settings() -> Settings {
        Settings {
            unknown_zone: UnknownZone::Exclude,
            cross_check: true,
            default_country: Some("US".to_owned()),
        }
    }

    fn place(cells: Cells<'_>) -> (Place, Vec<Issue>) {
        resolve(&cells, &settings(), America::New_York)
    }

    #[test]
    fn the_timezone_cell_comes_first() {
        let (p, issues) = place(Cells {
            timezone: Some(America::Chicago),
            postal_code: "46204",
            phone: "+13125550100",
            ..Cells::default()
        });
        assert_eq!(p.zones, vec![America::Chicago]);
        assert_eq!(p.zone_from, vec![Source::Timezone]);
        assert_eq!(p.regions, vec!["US-IN", "US-IL"]);
        assert!(issues.iter().any(|i| matches!(i, Issue::Disagree(_))));
    }

    #[test]
    fn a_zip_places_indiana_by_its_county() {
        let gary = place(Cells {
            postal_code: "46402",
            ..Cells::default()
        })
        .0;
        assert_eq!(gary.zones, vec![America::Chicago]);
        assert_eq!(gary.zone_from, vec![Source::PostalCode]);
        assert_eq!(gary.regions, vec!["US-IN"]);
        let indianapolis = place(Cells {
            postal_code: "46204-1234",
            ..Cells::default()
        })
        .0;
        assert_eq!(indianapolis.zones, vec![America::Indiana::Indianapolis]);
    }

    #[test]
    fn the_phone_is_added_when_it_rings_elsewhere() {
        // Dallas's ZIP and a Manhattan number: both zones, both regions.
        let (p, issues) = place(Cells {
            postal_code: "75201",
            state: "TX",
            phone: "+12125550100",
            ..Cells::default()
        });
        assert_eq!(p.zones, vec![America::Chicago, America::New_York]);
        assert_eq!(p.zone_from, vec![Source::PostalCode, Source::Phone]);
        assert_eq!(p.regions, vec!["US-TX", "US-NY"]);
        assert_eq!(
            issues
                .iter()
                .filter(|i| matches!(i, Issue::Disagree(_)))
                .count(),
            2
        );
        let mut off = settings();
        off.cross_check = false;
        let p = resolve(
            &Cells {
                postal_code: "75201",
                phone: "+12125550100",
                ..Cells::default()
            },
            &off,
            America::New_York,
        )
        .0;
        assert_eq!(p.zones, vec![America::Chicago]);
        assert_eq!(p.regions, vec!["US-TX"]);
    }

    #[test]
    fn a_phone_in_one_of_the_states_zones_narrows_nothing() {
        let (p, issues) = place(Cells {
            state: "TX",
            phone: "+12145550100",
            ..Cells::default()
        });
        assert_eq!(p.zone_from, vec![Source::State]);
        assert!(p.zones.contains(&America::Denver), "{:?}", p.zones);
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn a_zone_with_the_same_clock_is_not_a_disagreement() {
        let (p, issues) = place(Cells {
            timezone: Some(chrono_tz::US::Eastern),
            phone: "+12125550100",
            ..Cells::default()
        });
        assert_eq!(p.zones, vec![chrono_tz::US::Eastern]);
        assert!(issues.is_empty(), "{issues:?}");
        assert!(!same_clocks(&[America::Phoenix], &[America::Denver]));
        assert!(same_clocks(&[America::Phoenix], &[chrono_tz::US::Arizona]));
    }

    #[test]
    fn the_state_places_when_nothing_finer_does() {
        let p = place(Cells {
            state: "Florida",
            ..Cells::default()
        })
        .0;
        assert!(p.zones.contains(&America::New_York));
        assert!(p.zones.contains(&America::Chicago));
        assert_eq!(p.zone_from, vec![Source::State]);
        assert_eq!(p.regions, vec!["US-FL"]);
        let on = resolve(
            &Cells {
                state: "on",
                country: "Canada",
                ..Cells::default()
            },
            &settings(),
            America::New_York,
        )
        .0;
        assert_eq!(on.regions, vec!["CA-ON"]);
    }

    #[test]
    fn an_address_of_another_country_is_not_read_as_this_ones() {
        let (p, issues) = place(Cells {
            postal_code: "K1A 0B1",
            ..Cells::default()
        });
        // default_country is US: a Canadian code is not a ZIP.
        assert!(p.zones.is_empty());
        assert!(issues.contains(&Issue::NoZone));
        assert!(
            issues
                .iter()
                .any(|i| matches!(i, Issue::Unread(m) if m.contains("K1A 0B1")))
        );
        let no_default = Settings {
            default_country: None,
            ..settings()
        };
        let p = resolve(
            &Cells {
                postal_code: "k1a0b1",
                ..Cells::default()
            },
            &no_default,
            America::New_York,
        )
        .0;
        assert_eq!(p.regions, vec!["CA-ON"]);
        let (p, issues) = place(Cells {
            postal_code: "32501",
            country: "Atlantis",
            ..Cells::default()
        });
        assert!(p.zones.is_empty());
        assert!(
            issues
                .iter()
                .any(|i| matches!(i, Issue::Unread(m) if m.contains("Atlantis")))
        );
    }

    #[test]
    fn no_source_is_bad_data_unless_the_office_is_asked_for() {
        let (p, issues) = place(Cells::default());
        assert!(p.zones.is_empty());
        assert_eq!(issues, vec![Issue::NoZone]);
        let office = Settings {
            unknown_zone: UnknownZone::Office,
            ..settings()
        };
        let (p, issues) = resolve(&Cells::default(), &office, America::New_York);
        assert_eq!(p.zones, vec![America::New_York]);
        assert_eq!(p.zone_from_names(), "office");
        assert!(issues.is_empty());
    }

    #[test]
    fn a_national_number_without_a_country_places_nothing() {
        assert_eq!(phone_place("2125550100"), None);
        assert!(phone_place("+12125550100").is_some());
        assert!(phone_place("+12125550100;ext=4").is_some());
    }

    #[test]
    fn postal_shapes() {
        assert_eq!(postal_shape("32501"), PostalShape::Zip(32501));
        assert_eq!(postal_shape("02134"), PostalShape::Zip(2134));
        assert_eq!(postal_shape("32501-1234"), PostalShape::Zip(32501));
        assert_eq!(postal_shape("325011234"), PostalShape::Zip(32501));
        assert_eq!(postal_shape("K1A 0B1"), PostalShape::Fsa(*b"K1A"));
        assert_eq!(postal_shape("k1a-0b1"), PostalShape::Fsa(*b"K1A"));
        for other in [
            "2134", "3250", "325012", "K1A", "KKA 0B1", "SW1A 1AA", "32501-12",
        ] {
            assert_eq!(postal_shape(other), PostalShape::Other, "{other}");
        }
    }
}
