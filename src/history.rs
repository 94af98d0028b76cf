//! Reading the call history: outcomes and their aliases, row checks, and the
//! streaming fold of every account's attempts into its tally.
//!
//! The history is read once, row by row, without keeping the rows. When an
//! account's attempts turn out not to be in time order (a merged export),
//! the file is read a second time for those accounts only, and their
//! attempts are sorted and folded again: the answer is the same either way.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};
use chrono::NaiveDate;

use crate::best_time::{LatestCalls, StampClock};
use crate::config::Config;
use crate::datetime::{Nanos, Office, TimeError};
use crate::domain::Caps;
use crate::domain::Outcome;
use crate::domain::{Attempt, Callback};
use crate::engine::bits::Bits;
use crate::engine::idmap::IdMap;
use crate::engine::memo::CellMemo;
use crate::engine::parallel::windows;
use crate::input::{self, Columns, Input, Row, Wanted, header_key, shown};
use crate::problems::{Problems, Severity};
use crate::rules::{FoldDate, Tally, same_call_before};
pub use crate::source::Opener;
use crate::source::Rows;
use crate::territory::Territory;

pub const REQUIRED: &[&str] = &["account_id", "at", "outcome"];
pub const OPTIONAL: &[&str] = &["callback_at", "rep", "note", "disposition", "phone"];
/// The header `record` writes to a new history file.
pub const HEADER: [&str; 8] = [
    "account_id",
    "at",
    "outcome",
    "callback_at",
    "rep",
    "note",
    "disposition",
    "phone",
];

/// `header_key` for a short ASCII cell, without allocating: the key's
/// bytes in `buf`, or `None` when the cell needs the general path.
fn ascii_key<'b>(cell: &[u8], buf: &'b mut [u8; 32]) -> Option<&'b [u8]> {
    let mut n = 0;
    for &b in cell {
        match b {
            b' ' | b'_' | b'-' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => {}
            0x80.. => return None,
            _ => {
                *buf.get_mut(n)? = b.to_ascii_lowercase();
                n += 1;
            }
        }
    }
    Some(&buf[..n])
}

/// Reads outcome cells: built-in words first, then the config's `[outcomes]`.
#[derive(Debug, Clone)]
pub struct OutcomeWords {
    /// Each config word's key (as `header_key` gives it) and outcome, in
    /// the config's order: a handful, so a scan beats hashing.
    custom: Vec<(String, Outcome)>,
    /// The config's words as written, for messages.
    custom_words: Vec<String>,
    /// Which of the config's words have been seen.
    used: Vec<bool>,
    /// Cells as written and what they read as: a history uses a handful
    /// of spellings, row after row.
    memo: CellMemo<Option<Outcome>>,
}

impl OutcomeWords {
    pub fn new(config: &Config) -> OutcomeWords {
        OutcomeWords {
            custom: config
                .outcomes
                .iter()
                .chain(&config.preset_outcomes)
                .map(|(word, outcome)| (header_key(word), *outcome))
                .collect(),
            custom_words: config
                .outcomes
                .iter()
                .map(|(word, _)| word.clone())
                .collect(),
            used: vec![false; config.outcomes.len()],
            memo: CellMemo::new(None),
        }
    }

    pub fn read(&mut self, cell: &[u8]) -> Option<Outcome> {
        if let Some(known) = self.memo.get(cell) {
            return known;
        }
        let outcome = self.read_word(cell);
        self.memo.put(cell, outcome);
        outcome
    }

    fn read_word(&mut self, cell: &[u8]) -> Option<Outcome> {
        let mut buf = [0u8; 32];
        let owned;
        let key: &[u8] = match ascii_key(cell, &mut buf) {
            Some(key) => key,
            None => {
                owned = header_key(std::str::from_utf8(cell).ok()?);
                owned.as_bytes()
            }
        };
        Outcome::from_key(key).or_else(|| {
            let i = self.custom.iter().position(|(k, _)| k.as_bytes() == key)?;
            let outcome = self.custom[i].1;
            // The preset's words, after the config's own, are not tracked.
            if let Some(used) = self.used.get_mut(i) {
                *used = true;
            }
            Some(outcome)
        })
    }

    /// Every word accepted, for the message about an unknown one.
    pub fn accepted(&self) -> String {
        let mut words: Vec<String> = Outcome::ALL.iter().map(|o| o.words()).collect();
        words.extend(self.custom_words.iter().map(|w| format!("{w:?}")));
        words.join(", ")
    }

    /// The config's words that no row has used.
    pub fn unused(&self) -> Vec<String> {
        self.custom_words
            .iter()
            .zip(&self.used)
            .filter(|(_, used)| !**used)
            .map(|(w, _)| w.clone())
            .collect()
    }
}

/// One history row, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'r> {
    pub line: u64,
    /// The trimmed account id (may be empty or not UTF-8).
    pub id: &'r [u8],
    /// The outcome cell reads as an opt-out: it counts whatever else is wrong.
    pub opt_out: bool,
    /// The attempt, or why the row cannot be read.
    pub attempt: Result<Attempt, String>,
    /// A consent or a wrong number: read beside the tally.
    pub mark: Option<Box<Mark>>,
}

/// A row the rules read beside the fold, for the few accounts that have
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// An `opt-in` row: the customer agreed to be called.
    Consent,
    /// A `wrong-number` row, with the number called (normalised digits)
    /// when the row says which.
    WrongNumber { phone: Option<String> },
}

/// A wrong number recorded for an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongNumber {
    pub line: u64,
    pub at: Nanos,
    /// The number called, as digits; `None`: whatever the account's phone
    /// was.
    pub phone: Option<String>,
}

/// Checks history rows against one file's header.
#[derive(Debug)]
pub struct RowReader {
    columns: Columns,
    account_id: usize,
    at: usize,
    outcome: usize,
    callback_at: Option<usize>,
    phone: Option<usize>,
    phones: crate::phone::PhonePlan,
    /// Reads the `at` cells; `callbacks` reads the `callback_at` cells.
    /// Each remembers the last date it read, and the two columns' dates
    /// differ: one reader for both would forget the `at` date at every
    /// callback.
    office: Office,
    callbacks: Office,
    words: OutcomeWords,
}

impl RowReader {
    pub fn new(columns: Columns, config: &Config) -> Option<RowReader> {
        Some(RowReader {
            account_id: columns.get("account_id")?,
            at: columns.get("at")?,
            outcome: columns.get("outcome")?,
            callback_at: columns.get("callback_at"),
            phone: columns.get("phone"),
            phones: config.phones.clone(),
            columns,
            office: Office::with_formats(config.office, &config.at_formats),
            callbacks: Office::with_formats(config.office, &config.at_formats),
            words: OutcomeWords::new(config),
        })
    }

    /// Matches a history header, for this reader.
    pub fn for_header(file: &str, headers: &[String], config: &Config) -> Result<RowReader> {
        let columns = input::match_columns(
            file,
            headers,
            Wanted {
                required: REQUIRED,
                optional: OPTIONAL,
                keep: &[],
            },
            config.columns_for(crate::input::Kind::History),
        )?;
        RowReader::new(columns, config)
            .ok_or_else(|| anyhow::anyhow!("{file}: the history header lacks a required column"))
    }

    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// A column's cell in `record`, or empty when the file has no such column.
    pub fn cell<'r>(&self, record: &'r Row, column: &str) -> &'r [u8] {
        self.columns
            .get(column)
            .and_then(|i| record.get(i))
            .unwrap_or_default()
    }

    pub fn read<'r>(&mut self, record: &'r Row) -> Entry<'r> {
        let line = record.line;
        let cell = |i: usize| record.get(i).unwrap_or_default();
        let id = cell(self.account_id).trim_ascii();
        let outcome_cell = cell(self.outcome);
        let outcome = self.words.read(outcome_cell);
        let opt_out = outcome.is_some_and(Outcome::is_opt_out);
        let attempt = self.attempt(record, line, outcome);
        let mark = match &attempt {
            Ok(a) if a.outcome.meaning().consent => Some(Box::new(Mark::Consent)),
            Ok(a) if a.outcome.meaning().wrong_number => {
                let cell = self.phone.and_then(|i| record.get(i)).unwrap_or_default();
                let phone = input::text(cell)
                    .and_then(|cell| self.phones.normalise(cell).ok())
                    .map(|p| p.digits().to_owned());
                Some(Box::new(Mark::WrongNumber { phone }))
            }
            _ => None,
        };
        Entry {
            line,
            id,
            opt_out,
            attempt,
            mark,
        }
    }

    fn attempt(
        &mut self,
        record: &Row,
        line: u64,
        outcome: Option<Outcome>,
    ) -> Result<Attempt, String> {
        let cell = |i: usize| record.get(i).unwrap_or_default();
        if let Some(quote) = record.long_quote {
            return Err(quote.message());
        }
        if record.len() != self.columns.width {
            return Err(format!(
                "row has {} fields where the header has {}; check the quoting",
                record.len(),
                self.columns.width
            ));
        }
        // Every problem of the row, not the first only.
        let mut wrong: Vec<String> = Vec::new();
        if outcome.is_none() {
            let written = cell(self.outcome);
            wrong.push(if written.trim_ascii().is_empty() {
                "no outcome".to_owned()
            } else {
                format!(
                    "outcome {:?} is not known (use one of: {}; or map it in [outcomes])",
                    shown(written),
                    self.words.accepted()
                )
            });
        }
        let at_cell = cell(self.at);
        let stamp = self
            .office
            .parse_stamp(at_cell)
            .map_err(|e| wrong.push(time_message("at", at_cell, &e)))
            .ok();
        let callback = if outcome.is_some_and(|o| o.meaning().callback) {
            let cb_cell = self.callback_at.map(cell).unwrap_or_default();
            if cb_cell.trim_ascii().is_empty() {
                wrong.push(
                    "callback without callback_at: when did the customer ask to be called?"
                        .to_owned(),
                );
                None
            } else {
                self.callbacks
                    .parse_stamp(cb_cell)
                    .map_err(|e| wrong.push(time_message("callback_at", cb_cell, &e)))
                    .ok()
                    .map(|cb| Callback {
                        at: cb.at,
                        day: cb.day,
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                    })
            }
        } else {
            None
        };
        let (Some(outcome), Some(stamp), true) = (outcome, stamp, wrong.is_empty()) else {
            return Err(wrong.join("; "));
        };
        Ok(Attempt {
            at: stamp.at,
            day: stamp.day,
            outcome,
            callback,
            line,
        })
    }
}

fn time_message(column: &str, cell: &[u8], e: &TimeError) -> String {
    match e {
        TimeError::Empty => format!("no {column}"),
        _ => format!("{column} {:?} {e}", shown(cell)),
    }
}

/// Every account's history, folded for one queue date, matched to the
/// territory.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// One tally per history id (matched or not).
    ids: Vec<IdState>,
    /// Each history id's latest calls, for the best time (empty when
    /// `[queue] best_time` is off).
    latest: Vec<LatestCalls>,
    /// Territory account index -> index into `tallies`, or `NONE`.
    account_tally: Vec<u32>,
    /// Opt-outs recorded, by account index.
    opted_out: foldhash::HashMap<u32, Vec<String>>,
    /// Unreadable rows, by account index.
    bad: foldhash::HashMap<u32, Vec<String>>,
    /// The accounts `opted_out` or `bad` has anything for.
    noted: Bits,
    /// Consents recorded, by account index, as `file:line` texts.
    consents: foldhash::HashMap<u32, Vec<String>>,
    /// Wrong numbers recorded, by account index.
    wrong_numbers: foldhash::HashMap<u32, Vec<WrongNumber>>,
    /// The recent attempts (time, and whether a contact) of the accounts
    /// that have any, in time order: for the rolling limits.
    recent: foldhash::HashMap<u32, Vec<(Nanos, bool)>>,
    pub rows: u64,
    /// Rows for accounts that are not in the territory.
    pub unknown_rows: u64,
    /// Rows without an account id.
    pub no_id_rows: u64,
    /// Rows dated after the queue date (left out of the rules).
    pub later_rows: u64,
    /// Accounts whose attempts were not in time order (folded again).
    pub resorted: usize,
    /// The header row, as written.
    pub headers: Vec<String>,
    /// `[outcomes]` words that no row used.
    pub unused_words: Vec<String>,
    /// Every opt-out row's id as written, and its line: for the loose
    /// match (`loose.rs`).
    pub opt_out_ids: Vec<(Vec<u8>, u64)>,
}

const NONE: u32 = u32::MAX;
static NO_CALLS: Tally = Tally::new();

impl History {
    /// A history holding these tallies for accounts 0, 1, 2 ... (tests).
    #[cfg(test)]
    pub fn from_tallies(tallies: Vec<Tally>) -> History {
        History {
            account_tally: (0..tallies.len() as u32).collect(),
            ids: tallies.into_iter().map(|tally| IdState { tally }).collect(),
            ..History::default()
        }
    }

    /// Loads the tallies of `accounts` into the cache without waiting on
    /// them: a pass over every account warms the next few while it works
    /// on the current ones, as the tallies lie in history order.
    pub fn warm(&self, accounts: impl Iterator<Item = u32>) {
        let mut seen = 0u32;
        for account in accounts {
            seen ^= self.tally(account).touch();
        }
        std::hint::black_box(seen);
    }

    /// The opt-outs recorded for `account`, as `file:line` texts.
    /// An opt-out found for `account` after the join (a loose match).
    pub fn add_opt_out(&mut self, account: u32, note: String) {
        self.noted.insert(account);
        self.opted_out.entry(account).or_default().push(note);
    }

    pub fn opt_outs(&self, account: u32) -> &[String] {
        self.notes(&self.opted_out, account)
    }

    /// The consents recorded for `account` (opt-in rows on or before the
    /// queue date).
    pub fn consents(&self, account: u32) -> &[String] {
        self.consents.get(&account).map_or(&[], Vec::as_slice)
    }

    /// The wrong numbers recorded for `account` on or before the queue
    /// date.
    pub fn wrong_numbers(&self, account: u32) -> &[WrongNumber] {
        self.wrong_numbers.get(&account).map_or(&[], Vec::as_slice)
    }

    /// `account`'s attempts since `ScanOptions::recent_since` (time, and
    /// whether a contact), in time order.
    pub fn recent(&self, account: u32) -> &[(Nanos, bool)] {
        self.recent.get(&account).map_or(&[], Vec::as_slice)
    }

    /// The problems of `account`'s rows that could not be read.
    pub fn bad_rows(&self, account: u32) -> &[String] {
        self.notes(&self.bad, account)
    }

    /// `account`'s entry in `notes`: the table is read only when the bit
    /// set says there is one, as there is for few accounts.
    fn notes<'a>(
        &self,
        notes: &'a foldhash::HashMap<u32, Vec<String>>,
        account: u32,
    ) -> &'a [String] {
        if !self.noted.contains(account) {
            return &[];
        }
        notes.get(&account).map_or(&[], Vec::as_slice)
    }

    /// The latest calls of territory account `account`, for the best
    /// time (none when it is off, or the account was never called).
    pub fn latest_calls(&self, account: u32) -> LatestCalls {
        match self.account_tally.get(account as usize) {
            Some(&t) if t != NONE => self.latest.get(t as usize).copied().unwrap_or_default(),
            _ => LatestCalls::default(),
        }
    }

    /// The tally of territory account `account` (empty if never called).
    pub fn tally(&self, account: u32) -> &Tally {
        match self.account_tally.get(account as usize) {
            Some(&t) if t != NONE => &self.ids[t as usize].tally,
            _ => &NO_CALLS,
        }
    }
}

/// One pass over the history, before it is matched to the territory: it
/// needs no territory, so that both files can be read side by side.
#[derive(Debug, Default)]
pub struct Scan {
    ids: IdMap,
    /// What each id's rows say, by id number (their count too, for ids
    /// not in the territory).
    states: Vec<IdState>,
    /// Stamps calls for the best time; `None` when it is off.
    stamps: Option<StampClock>,
    /// Each id's latest calls, by id number (empty when `stamps` is `None`).
    latest: Vec<LatestCalls>,
    /// Each id's first line, for `check`'s note on ids not in the
    /// territory (empty otherwise: four bytes an id that `build` never
    /// shows).
    first_lines: Vec<u32>,
    /// Whether `first_lines` is kept.
    with_notices: bool,
    /// Ids whose rows were not in time order.
    unsorted: HashSet<u32>,
    /// (id, line) of every opt-out row, in file order.
    opt_outs: Vec<(u32, u64)>,
    /// (id, line, time, mark) of every consent and wrong number on or
    /// before the queue date.
    marks: Vec<(u32, u64, Nanos, Mark)>,
    /// Keep the attempts from this moment on (`recent`).
    recent_since: Option<Nanos>,
    /// (id, time, contact) of every attempt from `recent_since` to the
    /// queue date: what the rolling limits count.
    recent: Vec<(u32, Nanos, bool)>,
    /// Row problems in file order: the id (`NONE` for a row without one),
    /// the line, and what is wrong.
    problems: Vec<(u32, u64, Severity, String)>,
    rows: u64,
    no_id_rows: u64,
    later_rows: u64,
    first_later: Option<u64>,
    headers: Vec<String>,
    unused_words: Vec<String>,
}

/// One history id's tally, alone on its cache line: folding a row into it
/// touches that one line.
#[derive(Debug, Clone, Default)]
#[repr(C, align(64))]
struct IdState {
    tally: Tally,
}

/// How a history is scanned, besides its file and the queue date.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Collect the problems only `check` shows.
    pub with_notices: bool,
    /// About how many ids to expect (the territory's size), so that the
    /// tables are sized once rather than grown and copied; 0 if unknown.
    pub expected_ids: usize,
    /// Keep the times of attempts from this moment on (up to the queue
    /// date), for the rolling limits; `None` when there are none.
    pub recent_since: Option<Nanos>,
}

/// Reads the whole history once, folding each id's attempts as they come.
/// `stop` is checked as it goes: another thread sets it when the run has
/// already failed.
pub fn scan(
    input: &Input,
    mut source: impl Rows,
    config: &Config,
    date: NaiveDate,
    options: ScanOptions,
    stop: &AtomicBool,
) -> Result<Scan> {
    let file = &input.name;
    let with_notices = options.with_notices;
    let headers = source.headers()?;
    let mut rows = RowReader::for_header(file, &headers, config)?;
    let expected = options.expected_ids;
    let mut scan = Scan {
        headers,
        recent_since: options.recent_since,
        with_notices,
        ids: IdMap::with_capacity(expected),
        stamps: config
            .best_time
            .then(|| StampClock::new(date, config.office)),
        ..Scan::default()
    };
    crate::engine::room::make_room(&mut scan.states, expected);
    if scan.stamps.is_some() {
        crate::engine::room::make_room(&mut scan.latest, expected);
    }
    if with_notices {
        crate::engine::room::make_room(&mut scan.first_lines, expected);
    }
    // One thread reads and parses rows into batches while this one folds
    // the previous batch in: reading is CPU work, folding mostly waits on
    // memory, and a few batches in flight keep both busy. (Reading some
    // batches' rows on this thread, to share the reading out, made the
    // whole slower once the fold loaded ids and tallies in one pass: the
    // fold is the busier thread.)
    let fold_date = FoldDate::new(date, &config.policy.caps);
    let (full, filled) = std::sync::mpsc::sync_channel::<Batch>(2);
    let (empty, emptied) = std::sync::mpsc::channel::<Batch>();
    for _ in 0..3 {
        let _ = empty.send(Batch::default());
    }
    let words = std::thread::scope(|s| -> Result<OutcomeWords> {
        let parser = s.spawn(move || -> Result<OutcomeWords> {
            let mut record = Row::default();
            while let Ok(mut batch) = emptied.recv() {
                batch.clear();
                while batch.len() < Batch::ROWS && source.next_row(&mut record)? {
                    if let Some(quote) = record.long_quote
                        && !with_notices
                    {
                        // Only `check` reads on, to list every problem.
                        return Err(input::long_quote_stops(file, record.line, quote));
                    }
                    batch.read(&mut rows, &record, with_notices);
                }
                if stop.load(Ordering::Relaxed) {
                    bail!("{file}: reading stopped");
                }
                let last = batch.len() == 0;
                if full.send(batch).is_err() || last {
                    break;
                }
            }
            Ok(rows.words)
        });
        for mut batch in filled.iter() {
            if batch.len() == 0 {
                break;
            }
            scan.fold(&mut batch, &fold_date, &config.policy.caps)?;
            let _ = empty.send(batch);
        }
        drop(empty);
        parser
            .join()
            .map_err(|_| anyhow::anyhow!("{file}: reading failed"))?
    })?;
    scan.unused_words = words.unused();
    Ok(scan)
}

/// Rows read but not yet folded. Ten million rows spread over a million
/// accounts make every row's look-up and tally a cache miss; taken a few
/// thousand at a time, a window's table lines and tallies are loaded ahead
/// of its look-ups and its folding (`Scan::fold`), the misses overlapping,
/// and the rows are looked up and folded from the cache.
#[derive(Debug, Default)]
struct Batch {
    /// Every row's id, one after another.
    ids: Vec<u8>,
    rows: Vec<BatchRow>,
}

#[derive(Debug)]
struct BatchRow {
    id_end: u32,
    hash: u64,
    /// Filled in by the look-up (`NONE` for a row without an id).
    state: u32,
    line: u64,
    opt_out: bool,
    notice: bool,
    attempt: Result<Attempt, String>,
    mark: Option<Box<Mark>>,
}

impl Batch {
    const ROWS: usize = 16384;

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn clear(&mut self) {
        self.ids.clear();
        self.rows.clear();
    }

    /// Reads one record with `rows` and adds it.
    fn read(&mut self, rows: &mut RowReader, record: &Row, with_notices: bool) {
        let row = rows.read(record);
        let notice = with_notices
            && row.attempt.as_ref().is_ok_and(|a| a.callback.is_none())
            && rows
                .callback_at
                .and_then(|i| record.get(i))
                .is_some_and(|cell| !cell.trim_ascii().is_empty());
        self.push(row, notice);
    }

    fn push(&mut self, row: Entry<'_>, notice: bool) {
        self.ids.extend_from_slice(row.id);
        self.rows.push(BatchRow {
            id_end: self.ids.len() as u32,
            hash: crate::engine::idmap::hash(row.id),
            state: if row.id.is_empty() { NONE } else { 0 },
            line: row.line,
            opt_out: row.opt_out,
            notice,
            attempt: row.attempt,
            mark: row.mark,
        });
    }

    fn id(&self, k: usize) -> &[u8] {
        let start = if k == 0 {
            0
        } else {
            self.rows[k - 1].id_end as usize
        };
        &self.ids[start..self.rows[k].id_end as usize]
    }
}

impl Scan {
    /// Folds a batch of rows in. Rows of one id keep their file order.
    ///
    /// A window of rows at a time, in file order, three steps apart: the
    /// next window's table lines are loaded while this window's ids are
    /// looked up (new ids are numbered as met), this window's tallies are
    /// loaded once its ids are known, and the window before is folded into
    /// the tallies loaded a step earlier. None of these loads waits on
    /// another, so a table miss and a tally miss are paid together.
    fn fold(&mut self, batch: &mut Batch, at: &FoldDate, caps: &Caps) -> Result<()> {
        self.rows += batch.len() as u64;
        self.ids.reserve(batch.len());
        let n = batch.rows.len();
        let mut behind = 0..0;
        for (ahead, current) in windows(0..n) {
            self.ids.warm(
                batch.rows[ahead]
                    .iter()
                    .filter(|r| r.state != NONE)
                    .map(|r| r.hash),
            );
            for k in current.clone() {
                if batch.rows[k].state == NONE {
                    continue;
                }
                let (state, new) = self.ids.insert_hashed(batch.rows[k].hash, batch.id(k))?;
                if new {
                    self.states.push(IdState::default());
                    if self.stamps.is_some() {
                        self.latest.push(LatestCalls::default());
                    }
                    if self.with_notices {
                        self.first_lines
                            .push(u32::try_from(batch.rows[k].line).unwrap_or(u32::MAX));
                    }
                }
                batch.rows[k].state = state;
            }
            let mut seen = 0u32;
            for r in batch.rows[current.clone()]
                .iter()
                .filter(|r| r.state != NONE)
            {
                let state = r.state as usize;
                seen ^= self.states[state].tally.touch();
                seen ^= self.latest.get(state).map_or(0, |l| l.touch());
            }
            std::hint::black_box(seen);
            self.fold_rows(&mut batch.rows[behind], at, caps);
            behind = current;
        }
        self.fold_rows(&mut batch.rows[behind], at, caps);
        Ok(())
    }

    /// Folds rows whose ids are looked up: opt-outs and problems, and the
    /// tallies, in file order.
    fn fold_rows(&mut self, rows: &mut [BatchRow], at: &FoldDate, caps: &Caps) {
        for r in rows {
            if r.state == NONE {
                self.no_id_rows += 1;
                self.problems.push((
                    NONE,
                    r.line,
                    Severity::Error,
                    "no account_id; row ignored (fill it in)".to_owned(),
                ));
                continue;
            }
            if r.opt_out {
                self.opt_outs.push((r.state, r.line));
            }
            let tally = &mut self.states[r.state as usize].tally;
            tally.rows = tally.rows.saturating_add(1);
            match &mut r.attempt {
                Err(message) => {
                    self.problems
                        .push((r.state, r.line, Severity::Error, std::mem::take(message)));
                }
                Ok(attempt) => {
                    if r.notice {
                        self.problems.push((
                            r.state,
                            r.line,
                            Severity::Notice,
                            format!(
                                "callback_at is set but the outcome is {}; it is ignored",
                                attempt.outcome.name()
                            ),
                        ));
                    }
                    if attempt.day > at.date {
                        self.later_rows += 1;
                        self.first_later.get_or_insert(r.line);
                    } else {
                        if let Some(mark) = r.mark.take() {
                            self.marks.push((r.state, r.line, attempt.at, *mark));
                        }
                        // Out of time order, the id's latest calls are
                        // found again with its tally (`refold`).
                        if let (Some(stamps), Some(latest)) =
                            (&self.stamps, self.latest.get_mut(r.state as usize))
                        {
                            keep_latest(latest, attempt, stamps);
                        }
                        if self.recent_since.is_some_and(|since| attempt.at >= since) {
                            let contact = attempt.outcome.is_contact();
                            self.recent.push((r.state, attempt.at, contact));
                        }
                    }
                    // A second attempt at the moment of the last one may be
                    // the same call twice: folded again, sorted, once.
                    let again = attempt.outcome.is_attempt() && tally.last_at() == Some(attempt.at);
                    if again || tally.fold(attempt, at, caps).is_err() {
                        self.unsorted.insert(r.state);
                    }
                }
            }
        }
    }
}

impl Scan {
    /// Matches the scan to the territory: tallies, evidence and problems for
    /// its accounts; the rest counted as rows for unknown accounts. Accounts
    /// whose rows were out of time order are read again, sorted and folded.
    pub fn join(
        mut self,
        input: &Input,
        open: &Opener<'_>,
        territory: &Territory,
        config: &Config,
        date: NaiveDate,
        problems: &mut Problems,
    ) -> Result<History> {
        let file = &input.name;
        let (account_tally, account_of) = self.match_ids(territory);
        let mut history = History {
            rows: self.rows,
            no_id_rows: self.no_id_rows,
            later_rows: self.later_rows,
            ..History::default()
        };
        self.report_rows(file, &account_of, &mut history, problems);
        self.keep_opt_outs(file, &account_of, &mut history);
        self.keep_marks(file, &account_of, &mut history);
        for &(id, at, contact) in &self.recent {
            let account = account_of[id as usize];
            if account != NONE {
                history
                    .recent
                    .entry(account)
                    .or_default()
                    .push((at, contact));
            }
        }
        for list in history.recent.values_mut() {
            list.sort_unstable();
            // The same call twice counts once toward a limit too.
            list.dedup();
        }
        self.count_unknown(file, &account_of, &mut history, problems);
        if let Some(line) = self.first_later {
            problems.push(
                Severity::Notice,
                file,
                None,
                format!(
                    "{} row(s) are dated after {date} (the first: line {line}); they are left out of the rules, but opt-outs among them count",
                    self.later_rows
                ),
            );
        }
        self.unsorted.retain(|&id| account_of[id as usize] != NONE);
        if !self.unsorted.is_empty() {
            let again = refold(open, file, config, date, &mut self)?;
            history.resorted = again.out_of_order;
            if again.out_of_order > 0 {
                problems.push(
                    Severity::Notice,
                    file,
                    None,
                    format!(
                        "the rows of {} account(s) are not in time order; they were read twice to sort them (a history kept in time order reads faster)",
                        again.out_of_order
                    ),
                );
            }
            for (line, first) in again.repeated {
                problems.push(
                    Severity::Notice,
                    file,
                    Some(line),
                    format!(
                        "the same call as line {first} (the same account, time and outcome): counted once"
                    ),
                );
            }
        }
        history.ids = self.states;
        history.latest = self.latest;
        history.account_tally = account_tally;
        history.headers = self.headers;
        history.unused_words = self.unused_words;
        Ok(history)
    }

    /// Each territory account's history id, and each history id's account
    /// (`NONE` where there is none): looked up on both cores, a window at
    /// a time, the table's lines warmed while the window before is looked
    /// up.
    fn match_ids(&self, territory: &Territory) -> (Vec<u32>, Vec<u32>) {
        let mut account_tally = vec![NONE; territory.accounts.len()];
        let mut account_of = vec![NONE; self.states.len()];
        let ids = &self.ids;
        let found =
            crate::engine::parallel::halves(territory.accounts.len() as u32, |range, found| {
                let hashes: Vec<u64> = range
                    .clone()
                    .map(|a| crate::engine::idmap::hash(territory.id_bytes(a)))
                    .collect();
                for (ahead, current) in windows(0..hashes.len()) {
                    ids.warm(hashes[ahead].iter().copied());
                    found.extend(current.map(|k| {
                        let account = range.start + k as u32;
                        ids.get_hashed(hashes[k], territory.id_bytes(account))
                            .unwrap_or(NONE)
                    }));
                }
            });
        for (account, id) in found.into_iter().enumerate() {
            if id != NONE {
                account_tally[account] = id;
                account_of[id as usize] = account as u32;
            }
        }
        (account_tally, account_of)
    }

    /// The rows' problems, in file order: an error on a territory
    /// account's row is also evidence against it; rows of accounts not in
    /// the territory are counted, not listed.
    fn report_rows(
        &mut self,
        file: &Arc<str>,
        account_of: &[u32],
        history: &mut History,
        problems: &mut Problems,
    ) {
        for (id, line, severity, message) in std::mem::take(&mut self.problems) {
            if id == NONE {
                problems.push(severity, file, Some(line), message);
                continue;
            }
            let account = account_of[id as usize];
            if account == NONE {
                continue;
            }
            problems.about(Some(account));
            if severity == Severity::Error {
                let text = problems.error(file, line, message);
                history.noted.insert(account);
                history.bad.entry(account).or_default().push(text);
            } else {
                problems.push(severity, file, Some(line), message);
            }
        }
        problems.about(None);
    }

    /// Every opt-out row: evidence against its account, and kept with its
    /// id as written for the loose match (`loose.rs`).
    fn keep_opt_outs(&self, file: &Arc<str>, account_of: &[u32], history: &mut History) {
        for &(id, line) in &self.opt_outs {
            history.opt_out_ids.push((self.ids.id(id).to_vec(), line));
            let account = account_of[id as usize];
            if account != NONE {
                history.noted.insert(account);
                history
                    .opted_out
                    .entry(account)
                    .or_default()
                    .push(format!("{file}:{line}: opt-out recorded"));
            }
        }
    }

    /// Every consent and wrong number of a territory account, kept beside
    /// its tally.
    fn keep_marks(&self, file: &Arc<str>, account_of: &[u32], history: &mut History) {
        for (id, line, at, mark) in &self.marks {
            let account = account_of[*id as usize];
            if account == NONE {
                continue;
            }
            match mark {
                Mark::Consent => history
                    .consents
                    .entry(account)
                    .or_default()
                    .push(format!("{file}:{line}: opt-in recorded")),
                Mark::WrongNumber { phone } => {
                    history
                        .wrong_numbers
                        .entry(account)
                        .or_default()
                        .push(WrongNumber {
                            line: *line,
                            at: *at,
                            phone: phone.clone(),
                        });
                }
            }
        }
    }

    /// Counts the rows of ids not in the territory, and names the first.
    fn count_unknown(
        &self,
        file: &Arc<str>,
        account_of: &[u32],
        history: &mut History,
        problems: &mut Problems,
    ) {
        let mut first_unknown: Option<u32> = None;
        for (id, &account) in account_of.iter().enumerate() {
            if account == NONE {
                history.unknown_rows += u64::from(self.states[id].tally.rows);
                let Some(&line) = self.first_lines.get(id) else {
                    continue;
                };
                if first_unknown.is_none_or(|f| line < self.first_lines[f as usize]) {
                    first_unknown = Some(id as u32);
                }
            }
        }
        if let Some(id) = first_unknown {
            problems.push(
                Severity::Notice,
                file,
                None,
                format!(
                    "{} row(s) name accounts that are not in the territory (the first: line {}, {:?}); they are ignored",
                    history.unknown_rows,
                    self.first_lines[id as usize],
                    shown(self.ids.id(id))
                ),
            );
        }
    }
}

/// Reads and folds the history for queue date `date`, against a territory
/// already read.
pub fn read(
    input: &Input,
    open: &Opener<'_>,
    territory: &Territory,
    config: &Config,
    date: NaiveDate,
    problems: &mut Problems,
) -> Result<History> {
    let stop = AtomicBool::new(false);
    let options = ScanOptions {
        with_notices: problems.with_notices,
        expected_ids: territory.accounts.len(),
        recent_since: config.policy.recent_since(date, config.office),
    };
    let scanned = scan(input, open()?, config, date, options, &stop)?;
    scanned.join(input, open, territory, config, date, problems)
}

/// What the second pass found.
struct Refolded {
    /// Accounts whose rows were out of time order (not only repeated).
    out_of_order: usize,
    /// Each row that repeats an earlier one (the same call twice), and the
    /// earlier row's line.
    repeated: Vec<(u64, u64)>,
}

/// The second pass: collects the attempts of the ids whose rows were out of
/// time order or repeated a moment, sorts them and folds them again.
fn refold(
    open: &Opener<'_>,
    file: &Arc<str>,
    config: &Config,
    date: NaiveDate,
    scan: &mut Scan,
) -> Result<Refolded> {
    let attempts = collect_attempts(open, file, config, |id| {
        scan.ids.get(id).filter(|i| scan.unsorted.contains(i))
    })?;
    let mut again = Refolded {
        out_of_order: 0,
        repeated: Vec::new(),
    };
    for (id, mut list) in attempts {
        if out_of_order(&list) {
            again.out_of_order += 1;
        }
        let tally = &mut scan.states[id as usize].tally;
        let rows = tally.rows;
        *tally = Tally::from_attempts(&mut list, date, &config.policy.caps);
        tally.rows = rows;
        again
            .repeated
            .extend((0..list.len()).filter_map(|i| {
                same_call_before(&list, i).map(|first| (list[i].line, first.line))
            }));
        if let (Some(stamps), Some(latest)) = (&scan.stamps, scan.latest.get_mut(id as usize)) {
            // `from_attempts` sorted the list by time; the same call twice
            // is one call here too.
            *latest = LatestCalls::default();
            for (i, attempt) in list.iter().enumerate() {
                if attempt.day <= date && same_call_before(&list, i).is_none() {
                    keep_latest(latest, attempt, stamps);
                }
            }
        }
    }
    again.repeated.sort_unstable();
    Ok(again)
}

/// Whether attempts in file order go back in time, repeated calls aside
/// (an export loaded twice is not a history out of order).
fn out_of_order(attempts: &[Attempt]) -> bool {
    let mut seen = HashSet::new();
    let mut last = i64::MIN;
    for a in attempts {
        if !seen.insert((a.at, a.outcome)) {
            continue;
        }
        if a.at < last {
            return true;
        }
        last = a.at;
    }
    false
}

/// Adds a row on or before the queue date, when it is an attempt, to an
/// id's latest calls (rows come in time order).
#[inline]
fn keep_latest(latest: &mut LatestCalls, attempt: &Attempt, stamps: &StampClock) {
    if !attempt.outcome.is_attempt() {
        return;
    }
    if let Some(stamp) = stamps.stamp(attempt.at, attempt.outcome.is_contact()) {
        latest.push(stamp);
    }
}

/// Every readable attempt of the given accounts, in file order: for `explain`.
pub fn attempts_of(
    open: &Opener<'_>,
    file: &Arc<str>,
    config: &Config,
    wanted: &HashSet<&str>,
) -> Result<HashMap<String, Vec<Attempt>>> {
    collect_attempts(open, file, config, |id| {
        std::str::from_utf8(id)
            .ok()
            .filter(|id| wanted.contains(id))
            .map(str::to_owned)
    })
}

/// Reads the history again and keeps the readable attempts of the rows
/// `pick` names a key for, in file order.
fn collect_attempts<K: std::hash::Hash + Eq>(
    open: &Opener<'_>,
    file: &Arc<str>,
    config: &Config,
    pick: impl Fn(&[u8]) -> Option<K>,
) -> Result<HashMap<K, Vec<Attempt>>> {
    let mut source = open()?;
    let headers = source.headers()?;
    let mut rows = RowReader::for_header(file, &headers, config)?;
    let mut found: HashMap<K, Vec<Attempt>> = HashMap::new();
    let mut record = Row::default();
    while source.next_row(&mut record)? {
        let row = rows.read(&record);
        if let Ok(attempt) = row.attempt
            && let Some(key) = pick(row.id)
        {
            found.entry(key).or_default().push(attempt);
        }
    }
    Ok(found)
}

/// A moment as RFC 3339 in the office's zone, with fractions only when
/// there are any.
pub fn rfc3339(at: Nanos, office: chrono_tz::Tz) -> String {
    use chrono::Offset;
    let utc = chrono::DateTime::from_timestamp_nanos(at);
    let local = utc.with_timezone(&office);
    // RFC 3339 writes an offset in whole minutes: an offset with seconds
    // (a zone's local mean time, before standard time) is written as UTC,
    // so that the row reads back as the same instant.
    if local.offset().fix().local_minus_utc() % 60 != 0 {
        return utc.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    }
    local.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn times_are_written_as_the_instant_they_are() {
        let at = |text: &str| {
            chrono::DateTime::parse_from_rfc3339(text)
                .unwrap()
                .timestamp_nanos_opt()
                .unwrap()
        };
        let ny = chrono_tz::America::New_York;
        assert_eq!(
            rfc3339(at("2026-11-24T15:15:00Z"), ny),
            "2026-11-24T10:15:00-05:00"
        );
        // Monrovia kept -00:44:30 until 1972, New York -04:56:02 until
        // 1883: written in UTC, they read back as the same instant.
        for (text, zone) in [
            ("1971-06-01T10:44:30Z", chrono_tz::Africa::Monrovia),
            ("1883-01-01T14:56:02Z", ny),
        ] {
            let written = rfc3339(at(text), zone);
            assert_eq!(at(&written), at(text), "{written}");
        }
    }

    #[test]
    fn remembered_cells_read_as_fresh_ones() {
        // More spellings than the memo has places, so that they take each
        // other's places, in a changing order: each reads as it does alone.
        let mut spellings: Vec<String> = Vec::new();
        for word in [
            "answered",
            "No Answer",
            "busy",
            "callback",
            "DNC",
            "voicemail",
            "nope",
        ] {
            spellings.push(word.to_owned());
            spellings.push(word.to_uppercase());
            spellings.push(format!(" {word}"));
            spellings.push(format!("{word}-"));
            spellings.push(format!("{word}{word}"));
            spellings.push(format!("x{word}"));
            spellings.extend((0..40).map(|k| format!("{word}{k}")));
        }
        assert!(spellings.len() > crate::engine::memo::PLACES);
        let mut words = OutcomeWords::new(&config());
        for round in 0..5 {
            for k in 0..spellings.len() {
                let cell = spellings[(k * (2 * round + 1)) % spellings.len()].as_bytes();
                assert_eq!(
                    words.read(cell),
                    OutcomeWords::new(&config()).read(cell),
                    "{:?}",
                    String::from_utf8_lossy(cell)
                );
            }
        }
    }

    fn config() -> Config {
        Config::from_str(
            None,
            "timezone = \"America/New_York\"\n[outcomes]\n\"Left VM\" = \"no-answer\"\n",
        )
        .unwrap()
    }

    fn rows(csv: &str) -> Vec<(String, bool, Result<Attempt, String>)> {
        let config = config();
        let mut reader = input::CsvReader::new(csv.as_bytes(), b',');
        let headers = input::read_headers("h.csv", &mut reader).unwrap();
        let mut rr = RowReader::for_header("h.csv", &headers, &config).unwrap();
        let mut out = Vec::new();
        let mut record = Row::default();
        while reader.read(&mut record).unwrap() {
            let row = rr.read(&record);
            out.push((
                String::from_utf8_lossy(row.id).into_owned(),
                row.opt_out,
                row.attempt.clone(),
            ));
        }
        out
    }

    #[test]
    fn every_problem_of_a_row_is_listed() {
        let got = rows(
            "account_id,at,outcome,callback_at\n\
             A,someday,maybe,\n\
             B,2026-02-30,callback,\n\
             C,2026-11-02,callback,later\n\
             D,2026-11-02,answered,\n",
        );
        let errors: Vec<String> = got
            .iter()
            .map(|(_, _, a)| a.as_ref().err().cloned().unwrap_or_default())
            .collect();
        assert!(
            errors[0].starts_with("outcome \"maybe\" is not known")
                && errors[0].contains("; at \"someday\" is not a time"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("at \"2026-02-30\" names a date or time that does not exist")
                && errors[1].ends_with(
                    "; callback without callback_at: when did the customer ask to be called?"
                ),
            "{}",
            errors[1]
        );
        assert!(
            errors[2].starts_with("callback_at \"later\""),
            "{}",
            errors[2]
        );
        assert_eq!(errors[3], "");
    }

    #[test]
    fn outcome_words_and_aliases() {
        for (word, outcome) in [
            ("answered", Outcome::Answered),
            ("Connected", Outcome::Answered),
            ("REACHED", Outcome::Answered),
            ("contacted", Outcome::Answered),
            ("No Answer", Outcome::NoAnswer),
            ("no_answer", Outcome::NoAnswer),
            ("no-answer", Outcome::NoAnswer),
            ("busy", Outcome::NoAnswer),
            ("Voicemail", Outcome::NoAnswer),
            ("left message", Outcome::NoAnswer),
            ("callback", Outcome::Callback),
            ("opt-out", Outcome::OptOut),
            ("Opt Out", Outcome::OptOut),
            ("DNC", Outcome::OptOut),
            ("do not call", Outcome::OptOut),
        ] {
            assert_eq!(Outcome::from_word(word), Some(outcome), "{word}");
        }
        assert_eq!(Outcome::from_word("maybe"), None);
        assert_eq!(Outcome::from_word("Call Back"), Some(Outcome::Callback));
        assert_eq!(Outcome::from_word("NoAnswer"), Some(Outcome::NoAnswer));
        let mut words = OutcomeWords::new(&config());
        assert_eq!(words.read(b"left vm"), Some(Outcome::NoAnswer));
        assert_eq!(words.read(b" LEFT-VM "), Some(Outcome::NoAnswer));
        // Long and non-ASCII cells take the general path, with the same result.
        assert_eq!(words.read("L\u{e9}ft VM".as_bytes()), None);
        assert_eq!(
            words.read(b"no  -  -  -  -  -  -  -  -  -  -  -  -  answer"),
            Some(Outcome::NoAnswer)
        );
        assert_eq!(words.read("\u{a0}busy".as_bytes()), Some(Outcome::NoAnswer));
        assert_eq!(words.read(b"do not call \xff"), None);
    }

    #[test]
    fn reads_good_rows() {
        let r = rows(
            "account_id,at,outcome,callback_at\nA,2026-11-20 10:00,answered,\nB,2026-11-20T10:00:00-05:00,callback,2026-11-26 09:00\n",
        );
        let a = r[0].2.as_ref().unwrap();
        assert_eq!(a.outcome, Outcome::Answered);
        assert_eq!(a.line, 2);
        let b = r[1].2.as_ref().unwrap();
        assert_eq!(
            b.callback.unwrap().day,
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
        assert_eq!(a.at, b.at);
    }

    #[test]
    fn row_errors_say_what_is_wrong() {
        let r = rows(
            "account_id,at,outcome,callback_at\n\
             A,2026-11-20,maybe,\n\
             A,yesterday,answered,\n\
             A,2026-11-20,callback,\n\
             A,2026-11-20,callback,soon\n\
             A,,answered,\n\
             A,2026-11-20,,\n\
             A,2026-11-20,answered\n",
        );
        let errors: Vec<String> = r.into_iter().map(|(_, _, a)| a.unwrap_err()).collect();
        assert!(
            errors[0].starts_with("outcome \"maybe\" is not known (use one of: answered"),
            "{}",
            errors[0]
        );
        assert!(errors[0].contains("\"Left VM\""), "{}", errors[0]);
        assert!(
            errors[1].starts_with("at \"yesterday\" is not a time"),
            "{}",
            errors[1]
        );
        assert_eq!(
            errors[2],
            "callback without callback_at: when did the customer ask to be called?"
        );
        assert!(
            errors[3].starts_with("callback_at \"soon\" is not a time"),
            "{}",
            errors[3]
        );
        assert_eq!(errors[4], "no at");
        assert_eq!(errors[5], "no outcome");
        assert_eq!(
            errors[6],
            "row has 3 fields where the header has 4; check the quoting"
        );
    }

    #[test]
    fn opt_out_counts_even_when_the_row_is_unreadable() {
        let r = rows("account_id,at,outcome\nA,garbage,DNC\nB,2026-01-01,opt-out,extra\n");
        assert!(r[0].1 && r[0].2.is_err());
        assert!(r[1].1 && r[1].2.is_err());
    }

    fn territory(ids: &[&str]) -> Territory {
        let mut csv = String::from("account_id,phone\n");
        for id in ids {
            csv.push_str(&format!("{id},2125550100\n"));
        }
        let mut problems = Problems::new(true);
        crate::territory::read(
            &Input::new(Path::new("t.csv")),
            csv.as_bytes(),
            &config(),
            &[],
            b',',
            &mut problems,
            0,
        )
        .unwrap()
    }

    fn fold(csv: &'static str, date: &str) -> (History, Problems) {
        let t = territory(&["A", "B"]);
        let mut problems = Problems::new(true);
        let file: Arc<str> = Arc::from("h.csv");
        let open = || -> Result<Box<dyn Rows>> {
            Ok(Box::new(crate::source::CsvRows::new(
                &file,
                csv.as_bytes(),
                b',',
            )))
        };
        let h = read(
            &Input::new(Path::new("h.csv")),
            &open,
            &t,
            &config(),
            crate::datetime::parse_date(date).unwrap(),
            &mut problems,
        )
        .unwrap();
        (h, problems)
    }

    #[test]
    fn an_export_loaded_twice_folds_as_once() {
        let once = "account_id,at,outcome\nA,2026-01-05 09:00,answered\nA,2026-01-06 09:00,busy\nB,2026-01-05 10:00,busy\n";
        let twice = "account_id,at,outcome\nA,2026-01-05 09:00,answered\nA,2026-01-06 09:00,busy\nB,2026-01-05 10:00,busy\n\
                     A,2026-01-05 09:00,Connected\nA,2026-01-06 09:00,busy\nB,2026-01-05T10:00:00-05:00,busy\n";
        let (a, _) = fold(once, "2026-06-01");
        let (b, problems) = fold(twice, "2026-06-01");
        assert_eq!(b.tally(0).contacts_in_window, 1);
        assert_eq!(b.tally(0).streak, 1);
        assert_eq!(b.tally(1).streak, 1);
        let calls = |h: &History, i: u32| {
            let mut tally = h.tally(i).clone();
            tally.rows = 0;
            tally
        };
        assert_eq!(
            (calls(&a, 0), calls(&a, 1)),
            (calls(&b, 0), calls(&b, 1)),
            "the same calls, counted once"
        );
        assert_eq!((b.tally(0).rows, b.tally(1).rows), (4, 2), "every row read");
        // Repeated, not out of order: no word of sorting.
        assert_eq!(b.resorted, 0);
        let notes: Vec<String> = problems
            .list()
            .iter()
            .filter(|p| p.message.contains("same call"))
            .map(|p| format!("{}: {}", p.line.unwrap_or_default(), p.message))
            .collect();
        assert_eq!(
            notes,
            [
                "5: the same call as line 2 (the same account, time and outcome): counted once",
                "6: the same call as line 3 (the same account, time and outcome): counted once",
                "7: the same call as line 4 (the same account, time and outcome): counted once",
            ]
        );
    }

    #[test]
    fn two_outcomes_at_one_moment_are_two_calls() {
        let csv = "account_id,at,outcome\nA,2026-01-05 09:00,busy\nA,2026-01-05 09:00,answered\n";
        let (h, problems) = fold(csv, "2026-06-01");
        assert_eq!(h.tally(0).contacts_in_window, 1);
        assert_eq!(
            h.tally(0).streak,
            0,
            "the answer came after the busy signal"
        );
        assert!(
            !problems
                .list()
                .iter()
                .any(|p| p.message.contains("same call"))
        );
        let (h, _) = fold(
            "account_id,at,outcome\nA,2026-01-05 09:00,busy\nA,2026-01-05 09:00,busy\nA,2026-01-05 09:01,busy\n",
            "2026-06-01",
        );
        assert_eq!(h.tally(0).streak, 2);
    }

    #[test]
    fn out_of_order_history_folds_the_same_as_sorted() {
        let sorted = "account_id,at,outcome\nA,2026-01-05,busy\nB,2026-01-05,busy\nA,2026-02-01,answered\nA,2026-03-01,busy\n";
        let shuffled = "account_id,at,outcome\nA,2026-03-01,busy\nB,2026-01-05,busy\nA,2026-01-05,busy\nA,2026-02-01,answered\n";
        let (a, _) = fold(sorted, "2026-06-01");
        let (b, _) = fold(shuffled, "2026-06-01");
        assert_eq!((a.tally(0), a.tally(1)), (b.tally(0), b.tally(1)));
        assert_eq!((a.resorted, b.resorted), (0, 1));
        assert_eq!(b.tally(0).streak, 1);
        assert_eq!(
            b.tally(0).last_contact,
            crate::datetime::parse_date("2026-02-01")
        );
    }

    #[test]
    fn days_are_calendar_days_across_a_daylight_saving_change() {
        // New York springs forward on 2026-03-08. An unanswered call late on
        // the 7th is 7 calendar days before the 14th, though less than 7 x 24
        // hours: the retry wait is over on the 14th, not before.
        let csv = "account_id,at,outcome\nA,2026-03-07 23:30,busy\nB,2026-03-08T02:30:00,busy\n";
        let (h, _) = fold(csv, "2026-03-14");
        let caps = config().policy.caps;
        let d = |s| crate::datetime::parse_date(s).unwrap();
        assert_eq!(h.tally(0).retry_until(&caps), Some(d("2026-03-14")));
        // A time the clocks skip still belongs to its written day.
        assert_eq!(h.tally(1).retry_until(&caps), Some(d("2026-03-15")));
    }

    #[test]
    fn unknown_and_idless_rows_are_counted() {
        let (h, p) = fold(
            "account_id,at,outcome\nZ,2026-01-05,busy\n,2026-01-05,busy\nA,2026-01-05,busy\nZ,2026-01-06,busy\n",
            "2026-06-01",
        );
        assert_eq!((h.rows, h.unknown_rows, h.no_id_rows), (4, 2, 1));
        let texts: Vec<String> = p.list().iter().map(ToString::to_string).collect();
        assert_eq!(texts[0], "h.csv:3: no account_id; row ignored (fill it in)");
        assert!(texts[1].contains(
            "2 row(s) name accounts that are not in the territory (the first: line 2, \"Z\")"
        ));
    }

    #[test]
    fn bad_rows_and_opt_outs_are_kept_as_evidence() {
        let (h, _) = fold(
            "account_id,at,outcome\nA,2026-01-05,maybe\nB,2030-01-01,dnc\n",
            "2026-06-01",
        );
        assert_eq!(h.bad[&0], vec!["h.csv:2: outcome \"maybe\" is not known (use one of: answered, connected, contacted, reached, no-answer, busy, voicemail, left-message, callback, opt-out, dnc, do-not-call, wrong-number, wrong-no, bad-number, invalid-number, not-in-service, disconnected, opt-in, consent, opted-in, \"Left VM\"; or map it in [outcomes])".to_owned()]);
        // An opt-out dated after the queue date still counts.
        assert_eq!(
            h.opted_out[&1],
            vec!["h.csv:3: opt-out recorded".to_owned()]
        );
        assert_eq!(h.later_rows, 1);
        // ... but the rules see no attempt: the tally holds only its row.
        let mut tally = h.tally(1).clone();
        assert_eq!(tally.rows, 1);
        tally.rows = 0;
        assert_eq!(tally, Tally::new());
    }

    #[test]
    fn a_tally_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<IdState>(), 64);
        assert_eq!(std::mem::align_of::<IdState>(), 64);
    }
}
