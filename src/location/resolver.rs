//! Places for a million rows: the rows of a territory share a few thousand
//! places, so each distinct set of location cells is resolved once, and
//! each distinct place is kept once; an account holds its place's number.

use chrono_tz::Tz;

use super::place::{self, Cells, Issue, Place, Settings};

/// A place's number in `Resolver::places`.
pub type PlaceId = u32;

#[derive(Debug)]
pub struct Resolver {
    settings: Settings,
    office: Tz,
    /// Location cells already seen (as `key` writes them) -> their entry
    /// in `answers`.
    seen: foldhash::HashMap<Vec<u8>, u32>,
    /// Each distinct set of cells' place, and what to tell the user.
    answers: Vec<(PlaceId, Vec<Issue>)>,
    ids: foldhash::HashMap<Place, PlaceId>,
    places: Vec<Place>,
    key: Vec<u8>,
}

impl Resolver {
    pub fn new(settings: Settings, office: Tz) -> Resolver {
        Resolver {
            settings,
            office,
            seen: foldhash::HashMap::default(),
            answers: Vec::new(),
            ids: foldhash::HashMap::default(),
            places: Vec::new(),
            key: Vec::new(),
        }
    }

    /// The place of a row's cells, and what to say about them.
    pub fn resolve(&mut self, cells: &Cells<'_>) -> (PlaceId, &[Issue]) {
        self.write_key(cells);
        let answer = match self.seen.get(&self.key) {
            Some(&answer) => answer,
            None => {
                let (place, issues) = place::resolve(cells, &self.settings, self.office);
                let id = self.intern(place);
                let answer = self.answers.len() as u32;
                self.answers.push((id, issues));
                self.seen.insert(self.key.clone(), answer);
                answer
            }
        };
        let (id, issues) = &self.answers[answer as usize];
        (*id, issues)
    }

    /// The number of `place`, kept once.
    fn intern(&mut self, place: Place) -> PlaceId {
        if let Some(&id) = self.ids.get(&place) {
            return id;
        }
        let id = self.places.len() as PlaceId;
        self.ids.insert(place.clone(), id);
        self.places.push(place);
        id
    }

    /// The cells' key: everything `place::resolve` reads, the phone by
    /// the table entry its number falls in (numbers differ in every row;
    /// their entries are few).
    fn write_key(&mut self, cells: &Cells<'_>) {
        let key = &mut self.key;
        key.clear();
        key.extend_from_slice(cells.timezone.map_or("", |z| z.name()).as_bytes());
        for text in [cells.postal_code, cells.state, cells.country] {
            key.push(0xff);
            key.extend_from_slice(text.as_bytes());
        }
        key.push(0xff);
        key.push(u8::from(cells.phone.starts_with("+1")));
        if let Some(phone) = place::phone_place(cells.phone) {
            key.extend_from_slice(&(phone.zones.as_ptr() as usize).to_le_bytes());
            key.extend_from_slice(&phone.zones.len().to_le_bytes());
            key.extend_from_slice(phone.region.unwrap_or_default().as_bytes());
        }
    }

    /// Every place, by its number.
    pub fn into_places(self) -> Vec<Place> {
        self.places
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::place::UnknownZone;
    use chrono_tz::America;

    fn resolver() -> Resolver {
        let settings = Settings {
            unknown_zone: UnknownZone::Exclude,
            cross_check: true,
            default_country: Some("US".to_owned()),
        };
        Resolver::new(settings, America::New_York)
    }

    #[test]
    fn rows_with_the_same_cells_share_a_place() {
        let mut r = resolver();
        let cells = |zip, phone| Cells {
            postal_code: zip,
            phone,
            ..Cells::default()
        };
        let a = r.resolve(&cells("32501", "+18505550100")).0;
        let b = r.resolve(&cells("32501", "+18505550199")).0;
        let c = r.resolve(&cells("46204", "+18505550100")).0;
        let (d, issues) = r.resolve(&cells("", ""));
        assert_eq!(issues, &[Issue::NoZone]);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(c, d);
        let places = r.into_places();
        assert_eq!(places.len(), 3);
        assert_eq!(places[a as usize].regions, vec!["US-FL"]);
        assert!(places[d as usize].zones.is_empty());
    }

    #[test]
    fn the_same_cells_give_the_same_place_as_resolving_them_alone() {
        let mut r = resolver();
        for (zip, state, phone) in [
            ("79901", "", "+19155550100"),
            ("", "Indiana", "+13175550100"),
            ("", "", "+18085550100"),
            ("99501", "AK", ""),
            ("79901", "", "+19155550100"),
        ] {
            let cells = Cells {
                postal_code: zip,
                state,
                phone,
                ..Cells::default()
            };
            let (id, issues) = r.resolve(&cells);
            let issues = issues.to_vec();
            let alone = place::resolve(&cells, &r.settings, r.office);
            assert_eq!((&r.places[id as usize], &issues), (&alone.0, &alone.1));
        }
    }
}
