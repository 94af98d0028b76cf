//! Reading the territory (a CRM's export of accounts) into accounts: column
//! matching, phone and zone normalisation, and every row problem reported
//! with its line.
//!
//! A territory may hold a million accounts, so an account is a few numbers
//! and its text (name, normalised phone, status, `--keep` cells) lives in
//! one arena; ids live once, in the index.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::{Config, parse_zone};
use crate::datetime::parse_datetime_bytes;
use crate::domain::{LastOrder, Status};
use crate::engine::bits::Bits;
use crate::engine::idmap::IdMap;
use crate::input::{self, Columns, Input, Row, Wanted, shown, text};
use crate::location::{self, Issue, Place, PlaceId, Resolver};
use crate::phone::{NotAPhone, Phone};
use crate::problems::{Problems, Severity};

/// The territory's columns: each name here is read (with its spellings
/// from `input::COLUMNS`), and `At` holds where the header put it. A new
/// column is one name here plus the function that reads its cell.
macro_rules! territory_columns {
    (required: $($required:ident),+; optional: $($optional:ident),+;) => {
        const REQUIRED: &[&str] = &[$(stringify!($required)),+];
        const OPTIONAL: &[&str] = &[$(stringify!($optional)),+];

        /// The index of each column a territory row is read for.
        #[derive(Debug, Clone, Copy)]
        struct At {
            $($required: Option<usize>,)+
            $($optional: Option<usize>,)+
        }

        impl At {
            fn of(columns: &Columns) -> At {
                At {
                    $($required: columns.get(stringify!($required)),)+
                    $($optional: columns.get(stringify!($optional)),)+
                }
            }
        }
    };
}

territory_columns! {
    required: account_id, phone;
    optional: name, rep, status, opt_out, timezone, priority, last_order,
        country, state, postal_code, last_inquiry, opt_in;
}

/// The owner shown for an account whose `rep` is empty.
pub const UNASSIGNED: &str = "unassigned";

/// One territory account (one id; an id on several rows is one account).
/// Its text is in the territory's arena: see `Territory::name` and friends.
#[derive(Debug, Clone)]
pub struct Account {
    /// Arena offsets: the name, the phone, the status text and the `--keep`
    /// cells follow one another from `text`.
    text: u32,
    name_end: u32,
    phone_end: u32,
    status_end: u32,
    /// The line of its first row (saturated at `u32::MAX`).
    pub line: u32,
    pub rep: RepId,
    pub priority: f64,
    pub last_order: LastOrder,
    /// The last inquiry, read when `inquiry_days` is set.
    pub last_inquiry: Option<NaiveDate>,
    /// Where the customer is: an index into `Territory::places`.
    pub place: PlaceId,
    status: StatusKind,
    pub opt_out: bool,
    /// The `opt_in` cell says the customer agreed to be called.
    pub opt_in: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusKind {
    NoColumn,
    Existing,
    Other,
}

/// Evidence about an account beyond its clean first row.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    /// Reasons the customer must not be called (`file:line: ...`).
    pub opted_out: Vec<String>,
    /// Reasons the data cannot be trusted.
    pub bad: Vec<String>,
    /// The id is on more than one row.
    pub duplicated: bool,
    /// A row of the id has too many or too few fields.
    pub ragged: bool,
    /// Phones of the id's other rows, for do-not-call matching.
    pub other_phones: Vec<Phone>,
}

/// An index into `Reps`.
pub type RepId = u32;

/// Reps, grouped by name ignoring case and surrounding spaces.
#[derive(Debug, Clone, Default)]
pub struct Reps {
    /// The first spelling seen of each rep.
    names: Vec<String>,
    by_key: HashMap<String, RepId>,
    /// Cells exactly as written, for the common case of a cell seen before.
    by_cell: foldhash::HashMap<Vec<u8>, RepId>,
}

impl Reps {
    /// The key reps are grouped by.
    pub fn key(name: &str) -> String {
        let name = name.trim();
        if name.is_empty() {
            UNASSIGNED.to_owned()
        } else {
            name.to_lowercase()
        }
    }

    pub fn intern(&mut self, name: &str) -> RepId {
        let key = Reps::key(name);
        if let Some(&id) = self.by_key.get(&key) {
            return id;
        }
        let id = self.names.len() as RepId;
        let shown = name.trim();
        self.names.push(if shown.is_empty() {
            UNASSIGNED.to_owned()
        } else {
            shown.to_owned()
        });
        self.by_key.insert(key, id);
        id
    }

    /// `intern` for a raw cell, without allocating when the cell was seen.
    fn intern_cell(&mut self, cell: &[u8]) -> RepId {
        if let Some(&id) = self.by_cell.get(cell) {
            return id;
        }
        let id = self.intern(&String::from_utf8_lossy(cell));
        self.by_cell.insert(cell.to_vec(), id);
        id
    }

    pub fn find(&self, name: &str) -> Option<RepId> {
        self.by_key.get(&Reps::key(name)).copied()
    }

    /// The reps `name` may mean: the one it names exactly (any case),
    /// else every rep whose name, or a word in it, starts with it (`priya`
    /// finds "Priya Raman", `raman` too), in the queue's order.
    pub fn matching(&self, name: &str) -> Vec<RepId> {
        if let Some(rep) = self.find(name) {
            return vec![rep];
        }
        let prefix = Reps::key(name);
        if prefix.is_empty() {
            return Vec::new();
        }
        self.ordered()
            .into_iter()
            .filter(|&rep| {
                let key = Reps::key(self.name(rep));
                key.starts_with(&prefix)
                    || key
                        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
                        .any(|word| word.starts_with(&prefix))
            })
            .collect()
    }

    pub fn name(&self, id: RepId) -> &str {
        &self.names[id as usize]
    }

    /// Every rep, in the byte order of their lower-cased names.
    pub fn ordered(&self) -> Vec<RepId> {
        let mut ids: Vec<RepId> = (0..self.names.len() as RepId).collect();
        ids.sort_by(|&a, &b| {
            Reps::key(self.name(a))
                .cmp(&Reps::key(self.name(b)))
                .then(a.cmp(&b))
        });
        ids
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Everything read from the territory file.
#[derive(Debug, Clone, Default)]
pub struct Territory {
    /// One account per distinct id; an account's index is its id's number.
    pub accounts: Vec<Account>,
    ids: IdMap,
    text: String,
    /// End of each `--keep` cell in `text`, `keep_headers.len()` per account.
    keep_ends: Vec<u32>,
    /// Rare facts (opt-out cells, problems, duplicates), by account index.
    notes: foldhash::HashMap<u32, Notes>,
    /// The accounts `notes` has anything for.
    noted: Bits,
    pub reps: Reps,
    pub keep_headers: Vec<String>,
    /// Data rows read.
    pub rows: u64,
    /// Rows skipped for want of an account id.
    pub skipped: u64,
    /// Rows equal in every cell to an earlier row: one account.
    pub repeated_rows: u64,
    pub has_status: bool,
    pub has_last_order: bool,
    /// The header row, as written.
    pub headers: Vec<String>,
    /// Every place a customer is in (`Account::place`).
    pub places: Vec<Place>,
    /// How messages name the territory file.
    pub file: Arc<str>,
}

impl Territory {
    /// Every account, reps in the queue's order (their names' byte order),
    /// then ids in byte order: the audit's order.
    pub fn by_rep_and_id(&self) -> Vec<u32> {
        let mut rep_rank = vec![0u32; self.reps.len()];
        for (k, r) in self.reps.ordered().into_iter().enumerate() {
            rep_rank[r as usize] = k as u32;
        }
        // Grouped by rep (a counting sort), then each rep's accounts sorted
        // on the first 16 bytes of the id held inline: only ids that share
        // those are compared in full. One rep's keys at a time, so that
        // sorting a million accounts takes little memory on the side.
        let mut starts = vec![0usize; rep_rank.len() + 1];
        for account in &self.accounts {
            starts[rep_rank[account.rep as usize] as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut order = vec![0u32; self.accounts.len()];
        let mut next = starts.clone();
        for (i, account) in self.accounts.iter().enumerate() {
            let rank = rep_rank[account.rep as usize] as usize;
            order[next[rank]] = i as u32;
            next[rank] += 1;
        }
        let mut keys: Vec<([u8; 16], u32)> = Vec::new();
        for group in starts.windows(2) {
            let group = &mut order[group[0]..group[1]];
            keys.clear();
            keys.extend(group.iter().map(|&i| (self.id_prefix(i), i)));
            keys.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| self.id_bytes(a.1).cmp(self.id_bytes(b.1)))
            });
            for (to, &(_, i)) in group.iter_mut().zip(&keys) {
                *to = i;
            }
        }
        order
    }

    /// The account with this id. Once reading is done the territory keeps
    /// its ids but not their hash table (the history has its own, which
    /// does the joining): this scans, for the few ids `explain` is asked
    /// about.
    pub fn get(&self, id: &str) -> Option<u32> {
        self.ids.get(id.as_bytes())
    }

    pub fn id(&self, index: u32) -> &str {
        std::str::from_utf8(self.ids.id(index)).unwrap_or_default()
    }

    /// Loads accounts' rows and ids into the cache without waiting on them,
    /// ahead of the work on them (see `parallel::windows`).
    pub fn warm(&self, accounts: impl Iterator<Item = u32>) {
        let mut seen = 0u32;
        for i in accounts {
            let rep = self.accounts.get(i as usize).map_or(0, |a| a.rep);
            seen ^= rep ^ self.ids.touch(i);
        }
        std::hint::black_box(seen);
    }

    /// The id's bytes, for ordering (ids are UTF-8; this skips checking).
    pub fn id_bytes(&self, index: u32) -> &[u8] {
        self.ids.id(index)
    }

    /// A look-up table from id to account (the territory keeps none once
    /// read), over the ids it holds.
    pub fn id_index(&self) -> crate::engine::idmap::IdIndex<'_> {
        self.ids.index()
    }

    /// The id's first 16 bytes, zero-padded: a sort key held inline that
    /// orders ids as their bytes do, but for ids sharing those 16 bytes
    /// (compare `id_bytes` on a tie).
    pub fn id_prefix(&self, index: u32) -> [u8; 16] {
        let id = self.id_bytes(index);
        let mut prefix = [0u8; 16];
        let n = id.len().min(16);
        prefix[..n].copy_from_slice(&id[..n]);
        prefix
    }

    fn slice(&self, from: u32, to: u32) -> &str {
        self.text
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    pub fn name(&self, index: u32) -> &str {
        let a = &self.accounts[index as usize];
        self.slice(a.text, a.name_end)
    }

    /// The account's number, normalised, as lists and the history match
    /// it (without its extension); `None` if the row had none.
    pub fn phone(&self, index: u32) -> Option<&str> {
        self.dial(index)
            .map(|p| p.split_once(";ext=").map_or(p, |(number, _)| number))
    }

    /// The number a rep dials: the normalised number and its extension,
    /// if any, in RFC 3966's form (`+16195550122;ext=4`).
    pub fn dial(&self, index: u32) -> Option<&str> {
        let a = &self.accounts[index as usize];
        Some(self.slice(a.name_end, a.phone_end)).filter(|p| !p.is_empty())
    }

    /// The phone's digits, as do-not-call lists are matched.
    pub fn phone_digits(&self, index: u32) -> Option<&str> {
        self.phone(index).map(|p| p.strip_prefix('+').unwrap_or(p))
    }

    pub fn status(&self, index: u32) -> Status<'_> {
        let a = &self.accounts[index as usize];
        let text = self.slice(a.phone_end, a.status_end);
        match a.status {
            StatusKind::NoColumn => Status::NoColumn,
            StatusKind::Existing => Status::Existing(text),
            StatusKind::Other => Status::Other(text),
        }
    }

    /// The `--keep` cells of an account, in the order asked for.
    pub fn keep(&self, index: u32) -> impl Iterator<Item = &str> {
        let k = self.keep_headers.len();
        let a = &self.accounts[index as usize];
        let ends = &self.keep_ends[index as usize * k..(index as usize + 1) * k];
        ends.iter().scan(a.status_end, move |start, &end| {
            let cell = self.slice(*start, end);
            *start = end;
            Some(cell)
        })
    }

    /// How many accounts got their zones from each combination of sources
    /// (`postal_code`, `postal_code+phone`, ...; `none` for no zone), in
    /// the order of the names.
    pub fn zone_sources(&self) -> std::collections::BTreeMap<String, usize> {
        let mut per_place = vec![0usize; self.places.len()];
        for account in &self.accounts {
            per_place[account.place as usize] += 1;
        }
        let mut counts = std::collections::BTreeMap::new();
        for (place, n) in self.places.iter().zip(per_place) {
            let key = match place.zone_from_names() {
                key if key.is_empty() => "none".to_owned(),
                key => key,
            };
            if n > 0 {
                *counts.entry(key).or_insert(0) += n;
            }
        }
        counts
    }

    /// Where the customer is.
    pub fn place(&self, index: u32) -> &Place {
        &self.places[self.accounts[index as usize].place as usize]
    }

    pub fn notes(&self, index: u32) -> Option<&Notes> {
        if !self.noted.contains(index) {
            return None;
        }
        self.notes.get(&index)
    }
}

/// Reads a territory. A structural problem (no account_id column, a file
/// that is not CSV) is an error; a row problem is reported and the row kept
/// out of the queue. `expected_rows` (0 if unknown) sizes the tables up
/// front, so that they are not grown and copied as rows come.
///
/// A header that looks like an opt-out or consent flag but is not read
/// (`input::unread_flags`) stops the run here, before any row is read,
/// rather than drop what may be a "stop calling"; `check`'s reading lists
/// it and reads on.
pub fn read(
    input: &Input,
    source: impl Read,
    config: &Config,
    keep: &[String],
    delimiter: u8,
    problems: &mut Problems,
    expected_rows: usize,
) -> Result<Territory> {
    let mut reader = input::CsvReader::new(source, delimiter);
    let (headers, columns) = read_header(input, &mut reader, config, keep)?;
    refuse_unread_flags(&input.name, &headers, config, problems)?;
    let mut territory = read_rows(
        input,
        reader,
        headers,
        columns,
        config,
        problems,
        expected_rows,
    )?;
    territory.keep_headers = keep.to_vec();
    Ok(territory)
}

/// Headers that look like opt-out or consent flags but are not read
/// (`input::unread_flags`): the run stops, naming them, rather than drop
/// what may be a "stop calling"; `check` (which reads on to list every
/// problem) lists each as an error instead.
fn refuse_unread_flags(
    file: &Arc<str>,
    headers: &[String],
    config: &Config,
    problems: &mut Problems,
) -> Result<()> {
    let flags = input::unread_flags(headers, config.columns_for(crate::input::Kind::Territory));
    if flags.is_empty() {
        return Ok(());
    }
    if problems.with_notices {
        for flag in &flags {
            problems.push(Severity::Error, file, Some(1), flag.message(&config.name()));
        }
        return Ok(());
    }
    bail!(
        "{file}:1: {}",
        input::UnreadFlag::message_for_all(&flags, &config.name())
    )
}

/// The header row, and which field holds which column.
fn read_header<R: Read>(
    input: &Input,
    reader: &mut input::CsvReader<R>,
    config: &Config,
    keep: &[String],
) -> Result<(Vec<String>, Columns)> {
    let file = &input.name;
    let headers = input::read_headers(file, reader)?;
    let columns = input::match_columns(
        file,
        &headers,
        Wanted {
            required: REQUIRED,
            optional: OPTIONAL,
            keep,
        },
        config.columns_for(crate::input::Kind::Territory),
    )?;
    Ok((headers, columns))
}

/// The rows after the header.
fn read_rows<R: Read>(
    input: &Input,
    mut reader: input::CsvReader<R>,
    headers: Vec<String>,
    columns: Columns,
    config: &Config,
    problems: &mut Problems,
    expected_rows: usize,
) -> Result<Territory> {
    let file = &input.name;
    let mut territory = Territory {
        has_status: columns.has("status"),
        has_last_order: columns.has("last_order"),
        headers,
        file: Arc::clone(file),
        ids: IdMap::with_capacity(expected_rows),
        ..Territory::default()
    };
    crate::engine::room::make_room(&mut territory.accounts, expected_rows);
    if config.policy.ebr_days.is_some() && !territory.has_last_order {
        problems.push(
            Severity::Warning,
            file,
            None,
            "has no last_order column, but ebr_days is set: every account counts as not-existing"
                .to_owned(),
        );
    }
    let mut row = RowReader {
        file,
        config,
        columns: &columns,
        at: At::of(&columns),
        zones: foldhash::HashMap::default(),
        places: Resolver::new(config.location.clone(), config.office),
        phone: String::new(),
        row_hashes: Vec::new(),
        row_hasher: foldhash::fast::RandomState::default(),
    };
    // Rows are read a few dozen at a time, so that the id table's lines
    // for all of them are loaded together before each row is looked up.
    const AHEAD: usize = crate::engine::parallel::WINDOW;
    let mut records: Vec<Row> = vec![Row::default(); AHEAD];
    loop {
        let mut n = 0;
        while n < AHEAD && input::next_row(file, &mut reader, &mut records[n])? {
            n += 1;
        }
        territory.ids.reserve(n);
        territory.ids.warm(records[..n].iter().map(|record| {
            let id = row.field(record, row.at.account_id).unwrap_or_default();
            crate::engine::idmap::hash(id.trim_ascii())
        }));
        for record in &records[..n] {
            territory.rows += 1;
            let read = row.read(record, &mut territory, problems);
            problems.about(None);
            read?;
        }
        if territory.rows == n as u64 && n > 0 {
            // Room for the text of the rows expected, at the first rows'
            // rate (up to a few hundred bytes a row: a first row with a
            // megabyte-long name says nothing about the rest).
            let per_row = (territory.text.len() / n + 1).min(256);
            let room = crate::engine::room::room_for(expected_rows.saturating_mul(per_row));
            let _ = territory.text.try_reserve(room);
        }
        if n < AHEAD {
            break;
        }
    }
    territory.ids.drop_index();
    territory.places = row.places.into_places();
    Ok(territory)
}

struct RowReader<'a> {
    file: &'a Arc<str>,
    config: &'a Config,
    columns: &'a Columns,
    /// Where each column is, looked up once.
    at: At,
    /// Zone cells seen before (a territory uses a handful of zones).
    zones: foldhash::HashMap<Vec<u8>, Option<Tz>>,
    /// Where customers are, one place per distinct set of cells.
    places: Resolver,
    /// The row's normalised phone.
    phone: String,
    /// Each account's first row, hashed whole: a second row equal to it
    /// in every cell (a joined report's repeat) is the same account.
    row_hashes: Vec<u64>,
    /// The rows' hasher, seeded afresh for each read: a file made to
    /// pass a differing row off as a repeat (and so have an id on two
    /// different rows called) would need the seed.
    row_hasher: foldhash::fast::RandomState,
}

impl RowReader<'_> {
    fn field<'r>(&self, record: &'r Row, column: Option<usize>) -> Option<&'r [u8]> {
        column.and_then(|i| record.get(i))
    }

    /// Reads one row into `territory`: a new account, or what a second
    /// row for an id says about the first. Each cell is read by its own
    /// function below; what cannot be trusted goes to `bad`, what says
    /// "stop" to `opted_out`, both with their file and line.
    fn read(
        &mut self,
        record: &Row,
        territory: &mut Territory,
        problems: &mut Problems,
    ) -> Result<()> {
        let line = record.line;
        // Before anything else, even a row without an id: the rows after
        // an open quote are lost in it, and one may opt out an account
        // listed earlier.
        let open_quote = self.refuse_open_quote(record, problems)?;
        let cells = Cells {
            record,
            texts: record.texts(),
        };
        let Some(id) = self.account_id(&cells, line, territory, problems) else {
            return Ok(());
        };
        let (index, new) = territory.ids.insert(id.as_bytes())?;
        // What follows is about this account (a `--rep` run shows its
        // rep's problems); the caller ends it after the row.
        problems.about(Some(index));
        let mut bad: Vec<String> = open_quote.into_iter().collect();
        let mut opted_out = Vec::new();
        let ragged = record.len() != self.columns.width;
        if ragged {
            let message = format!(
                "row has {} fields where the header has {}; check the quoting",
                record.len(),
                self.columns.width
            );
            bad.push(problems.error(self.file, line, message));
        }
        let has_phone = self.phone(&cells, line, &mut bad, problems);
        let opt_out = self.opt_out(record, line, &mut opted_out, problems);
        let zone = self.zone(record, line, &mut bad, problems);
        let priority = self.priority(&cells, line, problems);
        let last_order = self.last_order(record, line, problems);
        let last_inquiry = self.last_inquiry(record, line, problems);
        let opt_in = self.opt_in(record, line, problems);
        let row_hash = whole_row_hash(&self.row_hasher, record);
        if new {
            self.row_hashes.push(row_hash);
        } else if bad.is_empty()
            && opted_out.is_empty()
            && self.row_hashes.get(index as usize) == Some(&row_hash)
        {
            // The same row again, saying nothing the first did not (a row
            // that opts out or that cannot be read is kept, below).
            territory.repeated_rows += 1;
            return Ok(());
        }
        if !new {
            let phone = has_phone.then(|| Phone::from_normalised(&self.phone));
            let notes = Notes {
                opted_out,
                bad,
                ragged,
                other_phones: phone.into_iter().collect(),
                ..Notes::default()
            };
            self.also_on(territory, index, id, line, notes, problems);
            return Ok(());
        }
        // Where the customer is: worked out for an id's first row only, as
        // an id on several rows is never called.
        let place = self.place(&cells, zone, line, &mut bad, problems);
        // The arena holds, in order: the name, the phone, the status and
        // the keep cells.
        let start = territory.text.len();
        territory.text.push_str(&cells.lossy(self.at.name));
        let name_end = territory.text.len();
        territory.text.push_str(&self.phone);
        // An extension follows the number in RFC 3966's form (`;ext=4`):
        // dialled from the queue, never matched.
        if let Some(extension) = cells
            .text(self.at.phone)
            .flatten()
            .filter(|_| !self.phone.is_empty())
            .and_then(crate::phone::extension)
        {
            territory.text.push_str(";ext=");
            territory.text.push_str(&extension);
        }
        let phone_end = territory.text.len();
        let status = self.status(&cells, &mut territory.text);
        let status_end = territory.text.len();
        for &i in &self.columns.keep {
            territory
                .text
                .push_str(&String::from_utf8_lossy(record.get(i).unwrap_or_default()));
            territory.keep_ends.push(offset(territory.text.len())?);
        }
        let rep_cell = self.field(record, self.at.rep).unwrap_or_default();
        let rep = territory.reps.intern_cell(rep_cell);
        if !bad.is_empty() || !opted_out.is_empty() {
            territory.noted.insert(index);
            let notes = Notes {
                opted_out,
                bad,
                ragged,
                ..Notes::default()
            };
            territory.notes.insert(index, notes);
        }
        territory.accounts.push(Account {
            text: offset(start)?,
            name_end: offset(name_end)?,
            phone_end: offset(phone_end)?,
            status_end: offset(status_end)?,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            rep,
            priority,
            last_order,
            last_inquiry,
            place,
            status,
            opt_out,
            opt_in,
        });
        Ok(())
    }

    /// A quote the file never closes: the rows after it are lost in the
    /// open field, and one may opt out an account listed earlier, so only
    /// `check` reads on. (A closed quote across lines is an address or a
    /// note, and fine here.)
    fn refuse_open_quote(&self, record: &Row, problems: &mut Problems) -> Result<Option<String>> {
        let Some(quote) = record.long_quote.filter(|q| !q.closed) else {
            return Ok(None);
        };
        let (file, line) = (self.file, record.line);
        if !problems.with_notices {
            return Err(input::long_quote_stops(file, line, quote));
        }
        Ok(Some(problems.error(file, line, quote.message())))
    }

    /// The row's account id, or `None` (reported, and the row skipped).
    fn account_id<'r>(
        &self,
        cells: &Cells<'r>,
        line: u64,
        territory: &mut Territory,
        problems: &mut Problems,
    ) -> Option<&'r str> {
        let message = match cells.text(self.at.account_id) {
            Some(Some(id)) if !id.is_empty() => return Some(id),
            Some(None) => "account_id is not valid UTF-8; row skipped (fix the export's encoding)",
            _ => "no account_id; row skipped (fill it in, or remove the row)",
        };
        territory.skipped += 1;
        problems.push(Severity::Error, self.file, Some(line), message.to_owned());
        None
    }

    /// Reads the phone into `self.phone`; whether there is one number to
    /// dial.
    fn phone(
        &mut self,
        cells: &Cells<'_>,
        line: u64,
        bad: &mut Vec<String>,
        problems: &mut Problems,
    ) -> bool {
        self.phone.clear();
        let read = cells
            .text(self.at.phone)
            .flatten()
            .map_or(Err(NotAPhone::NoDigits), |p| {
                self.config.phones.normalise_into(p, &mut self.phone)
            });
        if let Err(why) = read {
            let cell = self.field(cells.record, self.at.phone).unwrap_or_default();
            bad.push(problems.error(self.file, line, phone_problem(cell, why)));
        }
        read.is_ok()
    }

    /// Whether the row opts out: anything but a clear no does.
    fn opt_out(
        &self,
        record: &Row,
        line: u64,
        opted_out: &mut Vec<String>,
        problems: &mut Problems,
    ) -> bool {
        let cell = self.field(record, self.at.opt_out).unwrap_or_default();
        match read_opt_out(cell) {
            Some(false) => false,
            Some(true) => {
                let file = self.file;
                opted_out.push(format!("{file}:{line}: opt_out is {:?}", shown(cell)));
                true
            }
            None => {
                let message = format!(
                    "opt_out {:?} is neither yes nor no; treated as opted out (write yes or no)",
                    shown(cell)
                );
                opted_out.push(problems.error(self.file, line, message));
                true
            }
        }
    }

    /// Where the customer is, from the timezone cell's zone (`None` when
    /// empty or bad), the address and the phone; an account no source
    /// places is bad data (unless `unknown_zone` says the office).
    fn place(
        &mut self,
        cells: &Cells<'_>,
        zone: Option<Tz>,
        line: u64,
        bad: &mut Vec<String>,
        problems: &mut Problems,
    ) -> PlaceId {
        let (postal_code, state, country) = (
            cells.lossy(self.at.postal_code),
            cells.lossy(self.at.state),
            cells.lossy(self.at.country),
        );
        let location = location::Cells {
            timezone: zone,
            postal_code: &postal_code,
            state: &state,
            country: &country,
            phone: &self.phone,
        };
        let (place, issues) = self.places.resolve(&location);
        // A row already bad data is not called whatever its zone: it says
        // so once.
        if !bad.is_empty() {
            return place;
        }
        for issue in issues {
            match issue {
                Issue::NoZone => bad.push(problems.error(
                    self.file,
                    line,
                    "no zone: neither a timezone nor the postal code, state or phone says where the customer is (fill in one, or set [location] unknown_zone = \"office\")".to_owned(),
                )),
                Issue::Unread(message) => {
                    problems.push(Severity::Warning, self.file, Some(line), message.clone());
                }
                Issue::Disagree(message) => {
                    problems.push(Severity::Notice, self.file, Some(line), message.clone());
                }
            }
        }
        place
    }

    /// The customer's zone from the timezone cell: `None` when it is empty,
    /// and `None` (and bad data) when it names no zone.
    fn zone(
        &mut self,
        record: &Row,
        line: u64,
        bad: &mut Vec<String>,
        problems: &mut Problems,
    ) -> Option<Tz> {
        let cell = self
            .field(record, self.at.timezone)
            .unwrap_or_default()
            .trim_ascii();
        if cell.is_empty() {
            return None;
        }
        let zone = match self.zones.get(cell) {
            Some(&zone) => zone,
            None => {
                let zone = text(cell).and_then(parse_zone);
                self.zones.insert(cell.to_vec(), zone);
                zone
            }
        };
        if zone.is_none() {
            let message = format!(
                "timezone {:?} is not a known zone (use an IANA name such as America/Chicago)",
                shown(cell)
            );
            bad.push(problems.error(self.file, line, message));
        }
        zone
    }

    /// The priority: 0 when empty, and 0 with a warning when unreadable.
    fn priority(&self, cells: &Cells<'_>, line: u64, problems: &mut Problems) -> f64 {
        let read = cells
            .text(self.at.priority)
            .unwrap_or(Some(""))
            .and_then(read_priority_text);
        read.unwrap_or_else(|| {
            let cell = self
                .field(cells.record, self.at.priority)
                .unwrap_or_default();
            let message = format!("priority {:?} is not a number; read as 0", shown(cell));
            problems.push(Severity::Warning, self.file, Some(line), message);
            0.0
        })
    }

    /// The last order, read only when `ebr_days` is set.
    fn last_order(&self, record: &Row, line: u64, problems: &mut Problems) -> LastOrder {
        if self.config.policy.ebr_days.is_none() {
            return LastOrder::Missing;
        }
        let cell = self.field(record, self.at.last_order).unwrap_or_default();
        match read_last_order(cell) {
            Ok(Some(date)) => LastOrder::Date(date),
            Ok(None) => LastOrder::Missing,
            Err(()) => {
                let message = format!(
                    "last_order {:?} is not a date; the account counts as not-existing (write 2026-11-23)",
                    shown(cell)
                );
                problems.error(self.file, line, message);
                LastOrder::Unreadable
            }
        }
    }

    /// The last inquiry: read only when `inquiry_days` is set; an
    /// unreadable one is no inquiry, and reported.
    fn last_inquiry(&self, record: &Row, line: u64, problems: &mut Problems) -> Option<NaiveDate> {
        self.config.policy.inquiry_days?;
        let cell = self.field(record, self.at.last_inquiry).unwrap_or_default();
        match read_last_order(cell) {
            Ok(date) => date,
            Err(()) => {
                let message = format!(
                    "last_inquiry {:?} is not a date; read as no inquiry (write 2026-11-23)",
                    shown(cell)
                );
                problems.error(self.file, line, message);
                None
            }
        }
    }

    /// Whether the `opt_in` cell says yes. Anything but a clear yes is no
    /// consent (and reported when it is neither yes nor no).
    fn opt_in(&self, record: &Row, line: u64, problems: &mut Problems) -> bool {
        let cell = self.field(record, self.at.opt_in).unwrap_or_default();
        match read_opt_out(cell) {
            Some(yes) => yes,
            None => {
                let message = format!(
                    "opt_in {:?} is neither yes nor no; read as no consent (write yes or no)",
                    shown(cell)
                );
                problems.push(Severity::Warning, self.file, Some(line), message);
                false
            }
        }
    }

    /// The status, written to the arena when the column exists.
    fn status(&self, cells: &Cells<'_>, text: &mut String) -> StatusKind {
        if self.at.status.is_none() {
            return StatusKind::NoColumn;
        }
        let value = cells.lossy(self.at.status);
        text.push_str(&value);
        if is_existing(&value, &self.config.policy.existing_statuses) {
            StatusKind::Existing
        } else {
            StatusKind::Other
        }
    }

    /// A second row for an id: the account cannot be trusted, and what
    /// this row says (its opt-out, its problems, its phone) is kept beside
    /// the first.
    fn also_on(
        &self,
        territory: &mut Territory,
        index: u32,
        id: &str,
        line: u64,
        row: Notes,
        problems: &mut Problems,
    ) {
        let file = self.file;
        let first_line = u64::from(territory.accounts[index as usize].line);
        territory.noted.insert(index);
        let notes = territory.notes.entry(index).or_default();
        if !notes.duplicated {
            notes.duplicated = true;
            let message = format!("account_id {id:?} is on more than one row");
            notes.bad.push(problems.error(file, first_line, message));
        }
        let message = format!("account_id {id:?} is also on line {first_line}");
        notes.bad.push(problems.error(file, line, message));
        notes.bad.extend(row.bad);
        notes.opted_out.extend(row.opted_out);
        notes.ragged |= row.ragged;
        notes.other_phones.extend(row.other_phones);
    }
}

/// A row's every cell (and their number), hashed: equal rows hash equal.
fn whole_row_hash(hasher: &impl std::hash::BuildHasher, record: &Row) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = hasher.build_hasher();
    record.len().hash(&mut h);
    for i in 0..record.len() {
        record.get(i).unwrap_or_default().hash(&mut h);
    }
    h.finish()
}

/// Why a phone cell gives the account no number to dial. A cell that
/// holds no one number is not called: which number is meant is unknown.
fn phone_problem(cell: &[u8], why: NotAPhone) -> String {
    match why {
        _ if cell.trim_ascii().is_empty() => "no phone number".to_owned(),
        NotAPhone::NoDigits => format!("phone {:?} {why}", shown(cell)),
        _ => format!(
            "phone {:?} {why}; the account is not called until it holds one number",
            shown(cell)
        ),
    }
}

fn offset(at: usize) -> Result<u32> {
    match u32::try_from(at) {
        Ok(at) => Ok(at),
        Err(_) => bail!("the territory holds more text than callqueue can (over 4 GB)"),
    }
}

/// One row's fields, as bytes and, when the whole row is valid UTF-8
/// (`Row::texts`, checked once), as text.
struct Cells<'r> {
    record: &'r Row,
    texts: Option<input::Texts<'r>>,
}

impl<'r> Cells<'r> {
    /// The field trimmed, as text: `None` when the row has no such field,
    /// `Some(None)` when it is not valid UTF-8 (as `input::text` reads it).
    fn text(&self, column: Option<usize>) -> Option<Option<&'r str>> {
        let i = column?;
        match &self.texts {
            Some(texts) => texts.get(i).map(|t| Some(t.trim_ascii())),
            None => self.record.get(i).map(text),
        }
    }

    /// The field trimmed, invalid UTF-8 replaced; empty when absent.
    fn lossy(&self, column: Option<usize>) -> std::borrow::Cow<'r, str> {
        match self.text(column) {
            Some(Some(t)) => std::borrow::Cow::Borrowed(t),
            _ => lossy_trimmed(column.and_then(|i| self.record.get(i)).unwrap_or_default()),
        }
    }
}

fn lossy_trimmed(cell: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(cell.trim_ascii())
}

/// A status matches an existing status trimmed and in any case.
fn is_existing(value: &str, existing: &[String]) -> bool {
    if value.is_ascii() {
        existing.iter().any(|s| s.eq_ignore_ascii_case(value))
    } else {
        let lower = value.to_lowercase();
        existing.contains(&lower)
    }
}

/// `Some(true)` for a clear yes, `Some(false)` for a clear no (or empty),
/// `None` for anything else.
pub fn read_opt_out(cell: &[u8]) -> Option<bool> {
    let value = cell.trim_ascii();
    const YES: [&[u8]; 5] = [b"true", b"yes", b"y", b"1", b"x"];
    const NO: [&[u8]; 5] = [b"false", b"no", b"n", b"0", b""];
    if YES.iter().any(|y| value.eq_ignore_ascii_case(y)) {
        Some(true)
    } else if NO.iter().any(|n| value.eq_ignore_ascii_case(n)) {
        Some(false)
    } else {
        None
    }
}

/// A finite decimal number; empty is 0.
pub fn read_priority(cell: &[u8]) -> Option<f64> {
    read_priority_text(text(cell)?)
}

/// `read_priority` of a cell already read as trimmed text.
fn read_priority_text(value: &str) -> Option<f64> {
    if value.is_empty() {
        return Some(0.0);
    }
    if let Some(p) = plain_decimal(value.as_bytes()) {
        return Some(p);
    }
    // Rust also reads "inf" and "NaN"; only digits, a sign, a point and an
    // exponent are a number here.
    if !value
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    let p: f64 = value.parse().ok()?;
    // -0 sorts with 0.
    p.is_finite().then_some(if p == 0.0 { 0.0 } else { p })
}

/// A priority written as digits with at most one point and fifteen digits
/// in all ("7", "9.5"), as `str::parse` reads it, without its general
/// machinery: the digits make a whole number below 2^53 and the point a
/// power of ten up to 10^15, both exact as `f64`, and one division of
/// exact values is rounded as the parse rounds. `None` for anything else.
fn plain_decimal(text: &[u8]) -> Option<f64> {
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    let mut whole: u64 = 0;
    let mut digits = 0;
    let mut point = None;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                whole = whole * 10 + u64::from(b - b'0');
                digits += 1;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    let decimals = point.map_or(0, |at| text.len() - at - 1);
    // Exact: `whole` is below 10^15, and -0 cannot arise.
    Some(whole as f64 / POWERS[decimals])
}

/// A date, or a date and time (its date is taken); `Ok(None)` when empty.
fn read_last_order(cell: &[u8]) -> Result<Option<NaiveDate>, ()> {
    let written = cell.trim_ascii();
    if written.is_empty() {
        return Ok(None);
    }
    // Most are a bare date: read as such, without the time machinery.
    if let Some(date) = crate::datetime::parse_date_bytes(written) {
        return Ok(Some(date));
    }
    parse_datetime_bytes(cell)
        .map(|t| Some(t.local.date()))
        .map_err(|_| ())
}

/// Every account id of a territory, with the normalised phone of its first
/// row (empty when it has none): what `record` checks ids against and
/// fills the history's phone from.
pub fn read_phones(
    input: &Input,
    config: &Config,
    delimiter: u8,
) -> Result<HashMap<String, String>> {
    let file = &input.name;
    let mut reader = input::CsvReader::new(input.open()?, delimiter);
    let headers = input::read_headers(file, &mut reader)?;
    let columns = input::match_columns(
        file,
        &headers,
        Wanted {
            required: &["account_id"],
            optional: &["phone"],
            keep: &[],
        },
        config.columns_for(crate::input::Kind::Territory),
    )?;
    refuse_unread_flags(file, &headers, config, &mut Problems::new(false))?;
    let column = columns.get("account_id").unwrap_or_default();
    let phone_column = columns.get("phone");
    let mut ids = HashMap::new();
    let mut record = Row::default();
    while input::next_row(file, &mut reader, &mut record)? {
        if let Some(id) = record.get(column).and_then(text)
            && !id.is_empty()
            && !ids.contains_key(id)
        {
            let phone = phone_column
                .and_then(|i| record.get(i))
                .and_then(text)
                .and_then(|cell| config.phones.normalise(cell).ok())
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default();
            ids.insert(id.to_owned(), phone);
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(text: &str) -> Config {
        Config::from_str(
            None,
            &format!("timezone = \"America/New_York\"\ndefault_country = \"US\"\n{text}"),
        )
        .unwrap()
    }

    fn load(csv: &str, config: &Config) -> (Territory, Problems) {
        let mut problems = Problems::new(true);
        let input = Input::new(Path::new("t.csv"));
        let t = read(&input, csv.as_bytes(), config, &[], b',', &mut problems, 0).unwrap();
        (t, problems)
    }

    #[test]
    fn reads_a_clean_row() {
        let (t, p) = load(
            "Account ID,Phone,Name,Rep,Status,Opt-Out,Timezone,Priority\nA1,(312) 555-0100,Acme,Alice,Active,no,America/Chicago,2.5\n",
            &config(""),
        );
        assert!(p.is_empty(), "{:?}", p.list());
        let a = &t.accounts[0];
        assert_eq!(t.id(0), "A1");
        assert_eq!(t.name(0), "Acme");
        assert_eq!(t.phone(0), Some("+13125550100"));
        assert_eq!(t.phone_digits(0), Some("13125550100"));
        assert_eq!(t.reps.name(a.rep), "Alice");
        assert_eq!(t.place(0).zones, vec![chrono_tz::America::Chicago]);
        assert_eq!(a.priority, 2.5);
        assert_eq!(t.status(0), Status::Existing("Active"));
        assert!(!a.opt_out);
        assert!(t.notes(0).is_none());
        assert_eq!(a.line, 2);
    }

    #[test]
    fn audit_order_is_reps_then_ids_in_byte_order() {
        // Ids that share their first 16 bytes are told apart in full; reps
        // sort by lower-cased name, whatever the row order.
        let (t, _) = load(
            "account_id,phone,rep\n\
             ACCOUNT-0000000000-B,2125550100,bob\n\
             b,2125550101,Alice\n\
             ACCOUNT-0000000000-A,2125550102,bob\n\
             a,2125550103,Alice\n\
             Z,2125550104,bob\n\
             ACCOUNT-0000000000,2125550105,bob\n",
            &config(""),
        );
        let ids: Vec<&str> = t.by_rep_and_id().into_iter().map(|i| t.id(i)).collect();
        assert_eq!(
            ids,
            [
                "a",
                "b",
                "ACCOUNT-0000000000",
                "ACCOUNT-0000000000-A",
                "ACCOUNT-0000000000-B",
                "Z"
            ]
        );
    }

    #[test]
    fn row_without_id_is_skipped_and_reported() {
        let (t, p) = load(
            "account_id,phone\n  ,2125550100\nB,2125550101\n",
            &config(""),
        );
        assert_eq!(t.accounts.len(), 1);
        assert_eq!(t.skipped, 1);
        assert_eq!(
            p.list()[0].to_string(),
            "t.csv:2: no account_id; row skipped (fill it in, or remove the row)"
        );
    }

    #[test]
    fn ids_are_trimmed_and_case_sensitive() {
        let (t, _) = load(
            "account_id,phone\n a1 ,2125550100\nA1,2125550101\n",
            &config(""),
        );
        assert_eq!(t.accounts.len(), 2);
        assert!(t.get("a1").is_some() && t.get("A1").is_some());
    }

    #[test]
    fn opt_out_values() {
        for (cell, out) in [
            ("true", Some(true)),
            ("YES", Some(true)),
            ("y", Some(true)),
            ("1", Some(true)),
            ("X", Some(true)),
            ("false", Some(false)),
            (" No ", Some(false)),
            ("n", Some(false)),
            ("0", Some(false)),
            ("", Some(false)),
            ("maybe", None),
            ("2", None),
            ("yes please", None),
        ] {
            assert_eq!(read_opt_out(cell.as_bytes()), out, "{cell:?}");
        }
    }

    #[test]
    fn unreadable_opt_out_is_opted_out_and_reported() {
        let (t, p) = load(
            "account_id,phone,opt_out\nA,2125550100,maybe\n",
            &config(""),
        );
        assert!(t.accounts[0].opt_out);
        assert_eq!(t.notes(0).unwrap().opted_out.len(), 1);
        assert!(p.list()[0].message.contains("neither yes nor no"));
    }

    #[test]
    fn priorities() {
        assert_eq!(read_priority(b""), Some(0.0));
        assert_eq!(read_priority(b" 3 "), Some(3.0));
        assert_eq!(read_priority(b"-1.5"), Some(-1.5));
        assert_eq!(read_priority(b"-0"), Some(0.0));
        assert_eq!(read_priority(b"1e2"), Some(100.0));
        assert_eq!(read_priority(b"inf"), None);
        assert_eq!(read_priority(b"NaN"), None);
        assert_eq!(read_priority(b"1e999"), None);
        assert_eq!(read_priority(b"1,000"), None);
        assert_eq!(read_priority(b"high"), None);
        assert_eq!(read_priority(b"."), None);
        assert_eq!(read_priority(b"1.2.3"), None);
        assert_eq!(read_priority(b"0.0"), Some(0.0));
        assert_eq!(read_priority(b"5."), Some(5.0));
        assert_eq!(read_priority(b".5"), Some(0.5));
    }

    #[test]
    fn bad_phone_zone_and_ragged_rows_are_bad_data() {
        let (t, p) = load(
            "account_id,phone,timezone\nA,,\nB,n/a,\nC,2125550100,Mars/Base\nD,2125550100\nE,2125550100,UTC,extra\n",
            &config(""),
        );
        for i in 0..t.accounts.len() as u32 {
            assert_eq!(t.notes(i).map_or(0, |n| n.bad.len()), 1, "{}", t.id(i));
        }
        let messages: Vec<String> = p.list().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "t.csv:2: no phone number",
                "t.csv:3: phone \"n/a\" has no digits",
                "t.csv:4: timezone \"Mars/Base\" is not a known zone (use an IANA name such as America/Chicago)",
                "t.csv:5: row has 2 fields where the header has 3; check the quoting",
                "t.csv:6: row has 4 fields where the header has 3; check the quoting",
            ]
        );
        // A short row has no timezone cell: the phone's area places it.
        assert_eq!(t.place(3).zones, vec![chrono_tz::America::New_York]);
        assert_eq!(t.place(3).zone_from, vec![location::Source::Phone]);
    }

    #[test]
    fn an_empty_zone_is_no_source_and_aliases_work() {
        let csv = "account_id,phone,timezone\nA,+44 20 7946 0000,\nB,+1 800 555 0100,us/eastern\nC,+1 800 555 0100,\n";
        let (t, p) = load(csv, &config(""));
        assert_eq!(t.place(0).zones, vec![chrono_tz::Europe::London]);
        assert_eq!(t.place(1).zones, vec![chrono_tz::US::Eastern]);
        // Nothing says where C is: bad data, saying what to do.
        assert!(t.place(2).zones.is_empty());
        let bad = &t.notes(2).unwrap().bad;
        assert_eq!(bad.len(), 1);
        assert!(bad[0].starts_with("t.csv:4: no zone:"), "{bad:?}");
        assert!(bad[0].contains("unknown_zone"), "{bad:?}");
        assert_eq!(p.count(Severity::Error), 1);
        // Unless the office is asked for.
        let (t, p) = load(csv, &config("[location]\nunknown_zone = \"office\"\n"));
        assert_eq!(t.place(2).zones, vec![chrono_tz::America::New_York]);
        assert_eq!(t.place(2).zone_from, vec![location::Source::Office]);
        assert!(t.notes(2).is_none());
        assert!(p.is_empty());
    }

    #[test]
    fn a_row_repeated_in_every_cell_is_one_account() {
        let (t, p) = load(
            "account_id,phone,name\nA,2125550100,Acme\nB,2125550102,Bolt\nA,2125550100,Acme\n",
            &config(""),
        );
        assert_eq!(t.accounts.len(), 2);
        assert!(t.notes(0).is_none(), "no problem: the same row twice");
        assert_eq!(t.repeated_rows, 1);
        assert!(p.list().is_empty());
        // One cell apart (a space, a case) is another row: bad data.
        for other in [
            "A,2125550100,ACME",
            "A,2125550100,Acme ",
            "A,2125550100,Acme,",
        ] {
            let (t, _) = load(
                &format!("account_id,phone,name\nA,2125550100,Acme\n{other}\n"),
                &config(""),
            );
            assert!(t.notes(0).is_some_and(|n| n.duplicated), "{other}");
            assert_eq!(t.repeated_rows, 0);
        }
        // An opt-out said twice is still an opt-out, and kept as a row.
        let (t, _) = load(
            "account_id,phone,opt_out\nA,2125550100,yes\nA,2125550100,yes\n",
            &config(""),
        );
        assert!(t.notes(0).is_some_and(|n| !n.opted_out.is_empty()));
    }

    #[test]
    fn rows_are_hashed_with_a_seed_of_each_read() {
        // The same row hashes alike within a read and differently across
        // reads: which rows would collide cannot be worked out ahead.
        let mut reader = input::CsvReader::new(&b"A,2125550100\n"[..], b',');
        let mut row = Row::default();
        assert!(input::next_row("t.csv", &mut reader, &mut row).unwrap());
        let (one, two) = (
            foldhash::fast::RandomState::default(),
            foldhash::fast::RandomState::default(),
        );
        assert_eq!(whole_row_hash(&one, &row), whole_row_hash(&one, &row));
        assert_ne!(whole_row_hash(&one, &row), whole_row_hash(&two, &row));
    }

    #[test]
    fn duplicate_ids_become_one_account_with_both_rows_named() {
        let (t, p) = load(
            "account_id,phone,opt_out\nA,2125550100,no\nB,2125550102,\nA,2125550101,yes\n",
            &config(""),
        );
        assert_eq!(t.accounts.len(), 2);
        let notes = t.notes(0).unwrap();
        assert!(notes.duplicated);
        assert_eq!(notes.opted_out.len(), 1);
        assert_eq!(t.phone(0), Some("+12125550100"));
        assert_eq!(
            notes.other_phones,
            vec![Phone::from_normalised("+12125550101")]
        );
        let messages: Vec<String> = p.list().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "t.csv:2: account_id \"A\" is on more than one row",
                "t.csv:4: account_id \"A\" is also on line 2",
            ]
        );
    }

    #[test]
    fn keep_cells_come_back_in_the_order_asked() {
        let mut problems = Problems::new(true);
        let keep = vec!["Segment".to_owned(), "region".to_owned()];
        let t = read(
            &Input::new(Path::new("t.csv")),
            "account_id,phone,region,segment,name\nA,1,East,SMB,Acme\nB,2,,Ent,\n".as_bytes(),
            &config(""),
            &keep,
            b',',
            &mut problems,
            0,
        )
        .unwrap();
        assert_eq!(t.keep(0).collect::<Vec<_>>(), vec!["SMB", "East"]);
        assert_eq!(t.keep(1).collect::<Vec<_>>(), vec!["Ent", ""]);
        assert_eq!((t.name(0), t.name(1)), ("Acme", ""));
        assert_eq!(t.get("B"), Some(1));
    }

    #[test]
    fn reps_group_by_case_and_spaces_and_empty_is_unassigned() {
        let (t, _) = load(
            "account_id,phone,rep\nA,1,Bob\nB,1, bob \nC,1,\nD,1,alice\n",
            &config(""),
        );
        assert_eq!(t.accounts[0].rep, t.accounts[1].rep);
        assert_eq!(t.reps.name(t.accounts[0].rep), "Bob");
        assert_eq!(t.reps.name(t.accounts[2].rep), "unassigned");
        let order: Vec<&str> = t
            .reps
            .ordered()
            .into_iter()
            .map(|r| t.reps.name(r))
            .collect();
        assert_eq!(order, vec!["alice", "Bob", "unassigned"]);
    }

    #[test]
    fn status_column_decides_existing() {
        let (t, _) = load(
            "account_id,phone,status\nA,1,Customer\nB,1,prospect\nC,1,\n",
            &config(""),
        );
        assert_eq!(t.status(0), Status::Existing("Customer"));
        assert_eq!(t.status(1), Status::Other("prospect"));
        assert_eq!(t.status(2), Status::Other(""));
        let (t, _) = load("account_id,phone\nA,1\n", &config(""));
        assert_eq!(t.status(0), Status::NoColumn);
    }

    #[test]
    fn last_order_is_read_only_with_ebr_days() {
        let csv = "account_id,phone,last_order\nA,2125550100,2026-01-02\nB,2125550101,\nC,2125550102,soon\n";
        let (t, p) = load(csv, &config(""));
        assert!(p.is_empty());
        assert_eq!(t.accounts[0].last_order, LastOrder::Missing);
        let (t, p) = load(csv, &config("[eligibility]\nebr_days = 30\n"));
        assert_eq!(
            t.accounts[0].last_order,
            LastOrder::Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())
        );
        assert_eq!(t.accounts[1].last_order, LastOrder::Missing);
        assert_eq!(t.accounts[2].last_order, LastOrder::Unreadable);
        assert_eq!(p.list().len(), 1);
    }

    #[test]
    fn invalid_utf8_in_a_name_is_kept_lossily() {
        let mut csv = b"account_id,phone,name\nA,1,Caf".to_vec();
        csv.extend([0xE9, b'\n']);
        let mut problems = Problems::new(true);
        let input = Input::new(Path::new("t.csv"));
        let t = read(&input, &csv[..], &config(""), &[], b',', &mut problems, 0).unwrap();
        assert_eq!(t.name(0), "Caf\u{FFFD}");
    }

    proptest::proptest! {
        #[test]
        fn plain_decimals_read_as_the_parser_reads_them(
            text in "[0-9]{0,17}(\\.[0-9]{0,17})?",
        ) {
            let fast = plain_decimal(text.as_bytes());
            if let Some(p) = fast {
                let parsed: f64 = text.parse().unwrap();
                proptest::prop_assert_eq!(p.to_bits(), parsed.to_bits(), "{}", text);
            }
            // The whole read, empty cells (0) apart, is the parser's.
            if !text.is_empty() {
                let parsed: Option<f64> = text.parse().ok();
                proptest::prop_assert_eq!(
                    read_priority(text.as_bytes()),
                    parsed.filter(|p| p.is_finite()).map(|p| if p == 0.0 { 0.0 } else { p })
                );
            }
        }
    }
}
