//! Reading the territory (a CRM's export of accounts) into accounts: column
//! matching, phone and zone normalisation, and every row problem reported
//! with its line.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;

use anyhow::Result;
use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::{Config, parse_zone};
use crate::datetime::parse_datetime_bytes;
use crate::input::{self, Columns, Input, Row, Wanted, shown, text};
use crate::phone::Phone;
use crate::problems::{Problems, Severity};
use crate::rules::{LastOrder, Status};

const REQUIRED: &[&str] = &["account_id", "phone"];
const OPTIONAL: &[&str] = &[
    "name",
    "rep",
    "status",
    "opt_out",
    "timezone",
    "priority",
    "last_order",
];

/// The owner shown for an account whose `rep` is empty.
pub const UNASSIGNED: &str = "unassigned";

/// One territory account (one id; an id on several rows is one account).
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    /// The line of its first row.
    pub line: u64,
    pub name: String,
    pub phone: Option<Phone>,
    pub rep: RepId,
    /// The customer's zone; `None` when the cell names no zone (bad data).
    pub zone: Option<Tz>,
    pub priority: f64,
    pub status: TerritoryStatus,
    pub last_order: LastOrder,
    pub opt_out: bool,
    pub keep: Vec<String>,
    /// Rare facts, kept out of line so that clean accounts stay small.
    pub notes: Option<Box<Notes>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerritoryStatus {
    NoColumn,
    Existing(Box<str>),
    Other(Box<str>),
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

impl Account {
    pub fn notes_mut(&mut self) -> &mut Notes {
        self.notes.get_or_insert_with(Box::default)
    }

    pub fn status(&self) -> Status<'_> {
        match &self.status {
            TerritoryStatus::NoColumn => Status::NoColumn,
            TerritoryStatus::Existing(s) => Status::Existing(s),
            TerritoryStatus::Other(s) => Status::Other(s),
        }
    }

    /// Every phone the account is known by.
    pub fn phones(&self) -> impl Iterator<Item = &Phone> {
        self.phone
            .iter()
            .chain(self.notes.iter().flat_map(|n| n.other_phones.iter()))
    }
}

/// An index into `Reps`.
pub type RepId = u32;

/// Reps, grouped by name ignoring case and surrounding spaces.
#[derive(Debug, Clone, Default)]
pub struct Reps {
    /// The first spelling seen of each rep.
    names: Vec<String>,
    by_key: HashMap<String, RepId>,
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

    pub fn find(&self, name: &str) -> Option<RepId> {
        self.by_key.get(&Reps::key(name)).copied()
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
    pub accounts: Vec<Account>,
    pub index: HashMap<String, u32>,
    pub reps: Reps,
    pub keep_headers: Vec<String>,
    /// Data rows read.
    pub rows: u64,
    /// Rows skipped for want of an account id.
    pub skipped: u64,
    pub has_status: bool,
    pub has_last_order: bool,
    /// The header row, as written.
    pub headers: Vec<String>,
    /// Headers that name nothing callqueue reads.
    pub unused_headers: Vec<String>,
}

impl Territory {
    pub fn get(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }
}

/// Reads a territory. A structural problem (no account_id column, a file
/// that is not CSV) is an error; a row problem is reported and the row kept
/// out of the queue.
pub fn read(
    input: &Input,
    source: impl Read,
    config: &Config,
    keep: &[String],
    delimiter: u8,
    problems: &mut Problems,
) -> Result<Territory> {
    let file = &input.name;
    let mut reader = input::CsvReader::new(source, delimiter);
    let headers = input::read_headers(file, &mut reader)?;
    let columns = input::match_columns(
        file,
        &headers,
        Wanted {
            required: REQUIRED,
            optional: OPTIONAL,
            keep,
        },
        &config.columns,
    )?;
    let mut territory = Territory {
        keep_headers: keep.to_vec(),
        has_status: columns.has("status"),
        has_last_order: columns.has("last_order"),
        unused_headers: columns.unused.clone(),
        headers,
        ..Territory::default()
    };
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
    };
    let mut record = Row::default();
    loop {
        if !input::next_row(file, &mut reader, &mut record)? {
            break;
        }
        territory.rows += 1;
        row.read(&record, &mut territory, problems);
    }
    Ok(territory)
}

struct RowReader<'a> {
    file: &'a Arc<str>,
    config: &'a Config,
    columns: &'a Columns,
}

impl RowReader<'_> {
    fn field<'r>(&self, record: &'r Row, name: &str) -> Option<&'r [u8]> {
        self.columns.get(name).and_then(|i| record.get(i))
    }

    fn read(&mut self, record: &Row, territory: &mut Territory, problems: &mut Problems) {
        let line = record.line;
        let file = self.file;
        let id = match self.field(record, "account_id").map(text) {
            Some(Some(id)) if !id.is_empty() => id,
            Some(None) => {
                territory.skipped += 1;
                problems.push(
                    Severity::Error,
                    file,
                    Some(line),
                    "account_id is not valid UTF-8; row skipped (fix the export's encoding)"
                        .to_owned(),
                );
                return;
            }
            _ => {
                territory.skipped += 1;
                problems.push(
                    Severity::Error,
                    file,
                    Some(line),
                    "no account_id; row skipped (fill it in, or remove the row)".to_owned(),
                );
                return;
            }
        };
        let mut bad = Vec::new();
        let mut opted_out = Vec::new();
        let ragged = record.len() != self.columns.width;
        if ragged {
            bad.push(problems.error(
                file,
                line,
                format!(
                    "row has {} fields where the header has {}; check the quoting",
                    record.len(),
                    self.columns.width
                ),
            ));
        }
        let phone_cell = self.field(record, "phone").unwrap_or_default();
        let phone = text(phone_cell).and_then(|p| self.config.phones.normalise(p));
        if phone.is_none() {
            let message = if phone_cell.trim_ascii().is_empty() {
                "no phone number".to_owned()
            } else {
                format!("phone {:?} has no digits", shown(phone_cell))
            };
            bad.push(problems.error(file, line, message));
        }
        let opt_out_cell = self.field(record, "opt_out").unwrap_or_default();
        let opt_out = match read_opt_out(opt_out_cell) {
            Some(false) => false,
            Some(true) => {
                opted_out.push(format!(
                    "{file}:{line}: opt_out is {:?}",
                    shown(opt_out_cell)
                ));
                true
            }
            None => {
                opted_out.push(problems.error(
                    file,
                    line,
                    format!(
                        "opt_out {:?} is neither yes nor no; treated as opted out (write yes or no)",
                        shown(opt_out_cell)
                    ),
                ));
                true
            }
        };
        let zone_cell = self.field(record, "timezone").unwrap_or_default();
        let zone = if zone_cell.trim_ascii().is_empty() {
            Some(self.config.office)
        } else {
            let zone = text(zone_cell).and_then(parse_zone);
            if zone.is_none() {
                bad.push(problems.error(
                    file,
                    line,
                    format!(
                        "timezone {:?} is not a known zone (use an IANA name such as America/Chicago)",
                        shown(zone_cell)
                    ),
                ));
            }
            zone
        };
        let priority_cell = self.field(record, "priority").unwrap_or_default();
        let priority = match read_priority(priority_cell) {
            Some(p) => p,
            None => {
                problems.push(
                    Severity::Warning,
                    file,
                    Some(line),
                    format!(
                        "priority {:?} is not a number; read as 0",
                        shown(priority_cell)
                    ),
                );
                0.0
            }
        };
        let status = match self.field(record, "status") {
            None if !self.columns.has("status") => TerritoryStatus::NoColumn,
            cell => {
                let value = String::from_utf8_lossy(cell.unwrap_or_default().trim_ascii());
                let key = value.to_lowercase();
                if self.config.policy.existing_statuses.contains(&key) {
                    TerritoryStatus::Existing(value.into())
                } else {
                    TerritoryStatus::Other(value.into())
                }
            }
        };
        let last_order = if self.config.policy.ebr_days.is_some() {
            let cell = self.field(record, "last_order").unwrap_or_default();
            match read_last_order(cell) {
                Ok(Some(date)) => LastOrder::Date(date),
                Ok(None) => LastOrder::Missing,
                Err(()) => {
                    problems.error(
                        file,
                        line,
                        format!(
                            "last_order {:?} is not a date; the account counts as not-existing (write 2026-11-23)",
                            shown(cell)
                        ),
                    );
                    LastOrder::Unreadable
                }
            }
        } else {
            LastOrder::Missing
        };

        if let Some(&first) = territory.index.get(id) {
            let account = &mut territory.accounts[first as usize];
            let first_line = account.line;
            let notes = account.notes_mut();
            if !notes.duplicated {
                notes.duplicated = true;
                notes.bad.push(problems.error(
                    file,
                    first_line,
                    format!("account_id {id:?} is on more than one row"),
                ));
            }
            notes.bad.push(problems.error(
                file,
                line,
                format!("account_id {id:?} is also on line {first_line}"),
            ));
            notes.bad.extend(bad);
            notes.opted_out.extend(opted_out);
            notes.ragged |= ragged;
            notes.other_phones.extend(phone);
            return;
        }

        let rep_cell = self.field(record, "rep").unwrap_or_default();
        let rep = territory.reps.intern(&String::from_utf8_lossy(rep_cell));
        let name =
            String::from_utf8_lossy(self.field(record, "name").unwrap_or_default().trim_ascii())
                .into_owned();
        let keep = self
            .columns
            .keep
            .iter()
            .map(|&i| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned())
            .collect();
        let notes = if bad.is_empty() && opted_out.is_empty() {
            None
        } else {
            Some(Box::new(Notes {
                opted_out,
                bad,
                ragged,
                ..Notes::default()
            }))
        };
        let index = territory.accounts.len() as u32;
        territory.index.insert(id.to_owned(), index);
        territory.accounts.push(Account {
            id: id.to_owned(),
            line,
            name,
            phone,
            rep,
            zone,
            priority,
            status,
            last_order,
            opt_out,
            keep,
            notes,
        });
    }
}

/// Only the account ids of a territory (for checking ids cheaply).
pub fn read_ids(input: &Input, config: &Config, delimiter: u8) -> Result<HashSet<String>> {
    let file = &input.name;
    let mut reader = input::CsvReader::new(input.open()?, delimiter);
    let headers = input::read_headers(file, &mut reader)?;
    let columns = input::match_columns(
        file,
        &headers,
        Wanted {
            required: &["account_id"],
            optional: &[],
            keep: &[],
        },
        &config.columns,
    )?;
    let column = columns.get("account_id").unwrap_or_default();
    let mut ids = HashSet::new();
    let mut record = Row::default();
    while input::next_row(file, &mut reader, &mut record)? {
        if let Some(id) = record.get(column).and_then(text)
            && !id.is_empty()
        {
            ids.insert(id.to_owned());
        }
    }
    Ok(ids)
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
    let value = text(cell)?;
    if value.is_empty() {
        return Some(0.0);
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

/// A date, or a date and time (its date is taken); `Ok(None)` when empty.
fn read_last_order(cell: &[u8]) -> Result<Option<NaiveDate>, ()> {
    if cell.trim_ascii().is_empty() {
        return Ok(None);
    }
    parse_datetime_bytes(cell)
        .map(|t| Some(t.local.date()))
        .map_err(|_| ())
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
        let t = read(&input, csv.as_bytes(), config, &[], b',', &mut problems).unwrap();
        (t, problems)
    }

    #[test]
    fn reads_a_clean_row() {
        let (t, p) = load(
            "Account ID,Phone,Name,Rep,Status,Opt-Out,Timezone,Priority\nA1,(212) 555-0100,Acme,Alice,Active,no,America/Chicago,2.5\n",
            &config(""),
        );
        assert!(p.is_empty(), "{:?}", p.list());
        let a = &t.accounts[0];
        assert_eq!(a.id, "A1");
        assert_eq!(a.phone.as_ref().unwrap().as_str(), "+12125550100");
        assert_eq!(t.reps.name(a.rep), "Alice");
        assert_eq!(a.zone, Some(chrono_tz::America::Chicago));
        assert_eq!(a.priority, 2.5);
        assert_eq!(a.status, TerritoryStatus::Existing("Active".into()));
        assert!(!a.opt_out);
        assert!(a.notes.is_none());
        assert_eq!(a.line, 2);
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
        assert_eq!(t.accounts[0].notes.as_ref().unwrap().opted_out.len(), 1);
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
    }

    #[test]
    fn bad_phone_zone_and_ragged_rows_are_bad_data() {
        let (t, p) = load(
            "account_id,phone,timezone\nA,,\nB,n/a,\nC,2125550100,Mars/Base\nD,2125550100\nE,2125550100,UTC,extra\n",
            &config(""),
        );
        for a in &t.accounts {
            assert_eq!(a.notes.as_ref().map_or(0, |n| n.bad.len()), 1, "{}", a.id);
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
        // A short row has no timezone cell: the office zone applies.
        assert_eq!(t.accounts[3].zone, Some(chrono_tz::America::New_York));
    }

    #[test]
    fn empty_zone_is_the_office_and_aliases_work() {
        let (t, _) = load(
            "account_id,phone,timezone\nA,1,\nB,1,us/eastern\n",
            &config(""),
        );
        assert_eq!(t.accounts[0].zone, Some(chrono_tz::America::New_York));
        assert_eq!(t.accounts[1].zone, Some(chrono_tz::US::Eastern));
    }

    #[test]
    fn duplicate_ids_become_one_account_with_both_rows_named() {
        let (t, p) = load(
            "account_id,phone,opt_out\nA,2125550100,no\nB,2125550102,\nA,2125550101,yes\n",
            &config(""),
        );
        assert_eq!(t.accounts.len(), 2);
        let notes = t.accounts[0].notes.as_ref().unwrap();
        assert!(notes.duplicated);
        assert_eq!(notes.opted_out.len(), 1);
        assert_eq!(t.accounts[0].phones().count(), 2);
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
        assert!(matches!(t.accounts[0].status, TerritoryStatus::Existing(_)));
        assert!(matches!(t.accounts[1].status, TerritoryStatus::Other(_)));
        assert!(matches!(t.accounts[2].status, TerritoryStatus::Other(_)));
        let (t, _) = load("account_id,phone\nA,1\n", &config(""));
        assert_eq!(t.accounts[0].status, TerritoryStatus::NoColumn);
    }

    #[test]
    fn last_order_is_read_only_with_ebr_days() {
        let csv = "account_id,phone,last_order\nA,1,2026-01-02\nB,1,\nC,1,soon\n";
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
        let t = read(&input, &csv[..], &config(""), &[], b',', &mut problems).unwrap();
        assert_eq!(t.accounts[0].name, "Caf\u{FFFD}");
    }
}
