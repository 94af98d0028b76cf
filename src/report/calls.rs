//! The report's pass over the history: each readable call folded into the
//! heat map, the reps' answer rates and the customers they reached. Rows
//! come through `Rows` (a file, or any other history source), read again
//! from the start, only when a report is asked for.

use std::sync::Arc;

use anyhow::Result;
use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

use crate::config::Config;
use crate::dataset::Dataset;
use crate::datetime::Nanos;
use crate::engine::idmap::IdMap;
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
    // The territory keeps no id index once read: one of its own, here.
    let mut ids = IdMap::with_capacity(territory.accounts.len());
    let mut account_of = Vec::with_capacity(territory.accounts.len());
    for i in 0..territory.accounts.len() as u32 {
        let (k, new) = ids.insert(territory.id_bytes(i))?;
        if new {
            debug_assert_eq!(k as usize, account_of.len());
            account_of.push(i);
        }
    }
    let clocks = Clocks::of(data);
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
    let (first_recent, last_recent) = (reached.days.first().copied(), reached.days.last().copied());
    let mut heat = HeatMap::default();
    let (mut unplaced, mut outside, mut later) = (0u64, 0u64, 0u64);
    let mut zone_clocks = clocks.cache();

    let mut source = open()?;
    let headers = source.headers()?;
    let mut rows = RowReader::for_header(file, &headers, config)?;
    let rep_column = rows.columns().get("rep");
    let mut record = Row::default();
    while source.next_row(&mut record)? {
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
        let answered = attempt.outcome.is_contact();
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
        if rates.len() <= rep as usize {
            rates.resize(rep as usize + 1, (Rate::default(), Rate::default()));
        }
        let is_recent = first_recent.is_some_and(|d| attempt.day >= d)
            && last_recent.is_some_and(|d| attempt.day <= d)
            && reached.days.binary_search(&attempt.day).is_ok();
        rates[rep as usize].0.add(answered);
        if is_recent {
            rates[rep as usize].1.add(answered);
        }
        let Some(account) = ids.get(row.id).map(|k| account_of[k as usize]) else {
            outside += 1;
            continue;
        };
        if answered && is_recent {
            reached.add(rep, attempt.day, account);
        }
        match zone_clocks.offset(account, attempt.at) {
            Some(offset) => {
                let (weekday, hour) = weekday_hour(attempt.at, offset);
                heat.add(weekday, hour, answered);
            }
            None => unplaced += 1,
        }
    }
    let reps = reps
        .ordered()
        .into_iter()
        .map(|rep| {
            let (all, recent) = rates.get(rep as usize).copied().unwrap_or_default();
            RepCalls {
                name: reps.name(rep).to_owned(),
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

    fn cache(&self) -> ClockCache<'_> {
        ClockCache {
            clocks: self,
            last: vec![(i64::MIN, 0); self.zones.len()],
        }
    }
}

/// Offsets from UTC, remembered per zone for the quarter hour last asked
/// about: a history in time order asks about the same quarter hour row
/// after row, and the zone database's search is the pass's dearest step.
#[derive(Debug)]
struct ClockCache<'a> {
    clocks: &'a Clocks<'a>,
    /// Per zone: the quarter hour (seconds / 900) and its offset, when the
    /// offset holds for the whole quarter hour.
    last: Vec<(i64, i32)>,
}

impl ClockCache<'_> {
    /// The offset of the account's clock from UTC at `at`, in seconds;
    /// `None` when its zone is not known.
    fn offset(&mut self, account: u32, at: Nanos) -> Option<i32> {
        let place = self.clocks.data.territory.accounts[account as usize].place;
        let zone = *self.clocks.place_zone.get(place as usize)?;
        if zone == NO_ZONE {
            return None;
        }
        let tz = self.clocks.zones[usize::from(zone)];
        let seconds = at.div_euclid(1_000_000_000);
        let quarter = seconds.div_euclid(900);
        let (cached, offset) = self.last[usize::from(zone)];
        if cached == quarter {
            return Some(offset);
        }
        let offset_at = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0).map(|t| {
                tz.offset_from_utc_datetime(&t.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
        };
        let offset = offset_at(seconds)?;
        // Kept only when the whole quarter hour has one offset (a change
        // of clocks falls inside it otherwise).
        if offset_at(quarter * 900) == Some(offset)
            && offset_at(quarter * 900 + 899) == Some(offset)
        {
            self.last[usize::from(zone)] = (quarter, offset);
        }
        Some(offset)
    }
}
