//! The report's pass over the history: each readable call folded into the
//! heat map, the reps' answer rates and the customers they reached. Rows
//! come through `Rows` (a file, or any other history source), read again
//! from the start, only when a report is asked for.

use std::sync::Arc;

use anyhow::Result;
use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::Config;
use crate::dataset::Dataset;
use crate::datetime::Nanos;
use crate::engine::offsets::ZoneOffsets;
use crate::history::RowReader;
use crate::input::Row;
use crate::source::Opener;
use crate::territory::Reps;

use super::aggregate::{HeatMap, Rate, Reached, weekday_hour};

/// What the history says about calls, for the report.
#[derive(Debug, Clone)]
pub struct Calls {
    /// Calls on territory accounts with a known zone, by the customer's
    /// local weekday and hour.
    pub heat: HeatMap,
    /// Calls on territory accounts with no known zone (not in the heat map).
    pub unplaced: u64,
    /// Calls on accounts that are not in the territory.
    pub outside: u64,
    /// Rows dated after the report's date (left out).
    pub later: u64,
    /// Each rep of the history (and of the territory), in the byte order of
    /// their lower-cased names.
    pub reps: Vec<RepCalls>,
    /// The days `RepCalls::reached` counts.
    pub days: Vec<NaiveDate>,
}

/// One rep's calls: answer rates, and distinct territory customers reached
/// on each of `Calls::days`.
#[derive(Debug, Clone, PartialEq)]
pub struct RepCalls {
    pub name: String,
    /// Every call up to the report's date.
    pub all: Rate,
    /// The calls on `Calls::days`.
    pub recent: Rate,
    pub reached: Vec<u32>,
}

/// The name the report gives calls with no rep.
pub const NO_REP: &str = "(none)";

/// Reads every history row once and folds its calls: on or before `date`,
/// with `recent` (calling days, in order) the days counted per rep.
pub fn gather(
    open: &Opener<'_>,
    file: &Arc<str>,
    config: &Config,
    data: &Dataset,
    date: NaiveDate,
    recent: Vec<NaiveDate>,
) -> Result<Calls> {
    let territory = &data.territory;
    let clocks = Clocks::of(data);
    // The territory's ids, indexed again (each id's number is its
    // account), and the zone of each account's clock beside them.
    let ids = territory.id_index();
    let zones: Vec<u16> = (0..territory.accounts.len() as u32)
        .map(|account| clocks.zone_of(account))
        .collect();
    let mut reps = Reps::default();
    // The territory's reps come first, so that each has a row (empty or
    // not), spelled as the territory spells them.
    for rep in territory.reps.ordered() {
        let name = territory.reps.name(rep);
        if name != crate::territory::UNASSIGNED {
            reps.intern(name);
        }
    }
    let mut rep_cells: foldhash::HashMap<Vec<u8>, u32> = foldhash::HashMap::default();
    let mut rates: Vec<(Rate, Rate)> = Vec::new();
    let mut reached = Reached::over(recent);
    let mut heat = HeatMap::default();
    let (mut unplaced, mut outside, mut later) = (0u64, 0u64, 0u64);
    let offsets = clocks.offsets(date);

    let mut source = open()?;
    let headers = source.headers()?;
    let mut rows = RowReader::for_header(file, &headers, config)?;
    let rep_column = rows.columns().get("rep");
    let mut record = Row::default();
    // Rows are taken a batch at a time, and the id table's lines for the
    // whole batch loaded before any is looked up: a million ids' table
    // is far bigger than the cache, and the loads then overlap.
    let mut batch = Batch::default();
    let mut more = true;
    while more {
        batch.clear();
        while batch.calls.len() < Batch::ROWS {
            if !source.next_row(&mut record)? {
                more = false;
                break;
            }
            let row = rows.read(&record);
            let Ok(attempt) = row.attempt else {
                continue;
            };
            if !attempt.outcome.is_attempt() {
                continue;
            }
            if attempt.day > date {
                later += 1;
                continue;
            }
            let cell = rep_column
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .trim_ascii();
            let rep = match rep_cells.get(cell) {
                Some(&rep) => rep,
                None => {
                    let rep = if cell.is_empty() {
                        reps.intern(NO_REP)
                    } else {
                        reps.intern(&String::from_utf8_lossy(cell))
                    };
                    rep_cells.insert(cell.to_vec(), rep);
                    rep
                }
            };
            let from = batch.ids.len();
            batch.ids.extend_from_slice(row.id);
            batch.calls.push(Call {
                hash: crate::engine::idmap::hash(row.id),
                id: from..batch.ids.len(),
                at: attempt.at,
                day: attempt.day,
                answered: attempt.outcome.is_contact(),
                rep,
                account: None,
            });
        }
        ids.warm(batch.calls.iter().map(|c| c.hash));
        // Each call's account and zone, looked up for the whole batch
        // before any is used: the loads, independent, overlap.
        for call in &mut batch.calls {
            let id = &batch.ids[call.id.clone()];
            call.account = ids
                .get_hashed(call.hash, id)
                .and_then(|account| Some((account, *zones.get(account as usize)?)));
        }
        for call in &batch.calls {
            if rates.len() <= call.rep as usize {
                rates.resize(call.rep as usize + 1, (Rate::default(), Rate::default()));
            }
            let is_recent = reached.days.binary_search(&call.day).is_ok();
            rates[call.rep as usize].0.add(call.answered);
            if is_recent {
                rates[call.rep as usize].1.add(call.answered);
            }
            let Some((account, zone)) = call.account else {
                outside += 1;
                continue;
            };
            if call.answered && is_recent {
                reached.add(call.rep, call.day, account);
            }
            match offsets.get(usize::from(zone)) {
                Some(clock) => {
                    let offset = clock.offset(call.at.div_euclid(1_000_000_000));
                    let (weekday, hour) = weekday_hour(call.at, offset);
                    heat.add(weekday, hour, call.answered);
                }
                None => unplaced += 1,
            }
        }
    }
    let reps = reps
        .ordered()
        .into_iter()
        .map(|rep| {
            let (all, recent) = rates.get(rep as usize).copied().unwrap_or_default();
            RepCalls {
                name: super::shown(reps.name(rep)),
                all,
                recent,
                reached: reached.of(rep),
            }
        })
        .collect();
    Ok(Calls {
        heat,
        unplaced,
        outside,
        later,
        reps,
        days: reached.days,
    })
}

/// Calls read and waiting for their ids to be looked up.
#[derive(Debug, Default)]
struct Batch {
    calls: Vec<Call>,
    /// The calls' ids, one after another.
    ids: Vec<u8>,
}

impl Batch {
    const ROWS: usize = 512;

    fn clear(&mut self) {
        self.calls.clear();
        self.ids.clear();
    }
}

/// One readable call, as the report counts it.
#[derive(Debug)]
struct Call {
    hash: u64,
    id: std::ops::Range<usize>,
    at: Nanos,
    day: NaiveDate,
    answered: bool,
    rep: u32,
    /// The territory account, and its clock's zone (looked up).
    account: Option<(u32, u16)>,
}

/// The customer's clock for each account: its first zone (the most
/// specific source's), by place.
#[derive(Debug)]
struct Clocks<'a> {
    data: &'a Dataset,
    zones: Vec<Tz>,
    /// Place number -> index into `zones`, or `NO_ZONE`.
    place_zone: Vec<u16>,
}

const NO_ZONE: u16 = u16::MAX;

impl<'a> Clocks<'a> {
    fn of(data: &'a Dataset) -> Clocks<'a> {
        let mut zones: Vec<Tz> = Vec::new();
        let place_zone = data
            .territory
            .places
            .iter()
            .map(|place| match place.zones.first() {
                Some(&zone) => match zones.iter().position(|&z| z == zone) {
                    Some(k) => k as u16,
                    None if zones.len() < usize::from(NO_ZONE) => {
                        zones.push(zone);
                        (zones.len() - 1) as u16
                    }
                    None => NO_ZONE,
                },
                None => NO_ZONE,
            })
            .collect();
        Clocks {
            data,
            zones,
            place_zone,
        }
    }

    /// The zone (an index into `zones`) of account `index`'s clock, or
    /// `NO_ZONE`.
    fn zone_of(&self, index: u32) -> u16 {
        let place = self.data.territory.accounts[index as usize].place;
        self.place_zone
            .get(place as usize)
            .copied()
            .unwrap_or(NO_ZONE)
    }

    /// Each zone's offsets over the ten years up to `date` (earlier calls
    /// ask the zone database).
    fn offsets(&self, date: NaiveDate) -> Vec<ZoneOffsets> {
        let to = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() + 2 * 86_400;
        let from = to - 10 * 366 * 86_400;
        self.zones
            .iter()
            .map(|&zone| ZoneOffsets::new(zone, from, to))
            .collect()
    }
}
