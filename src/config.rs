//! The TOML policy, read once and checked into typed values (zones, dates,
//! day counts) before any CSV is opened, so that a mistake names its key.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveTime};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::datetime::{AtFormat, parse_date};
use crate::domain::Outcome;
use crate::domain::compliance::{Limit, LimitOf, Profile};
use crate::domain::holiday::{Holiday, read_weekday};
use crate::domain::policy::{Caps, Hours, Policy, day_name};
use crate::domain::preset::Preset;
use crate::input::{IGNORE, Kind, column_name, column_names, header_key};
use crate::location::{self, UnknownZone};
use crate::phone::PhonePlan;

/// The file looked for in the current directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "callqueue.toml";

/// The whole configuration, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any: messages name it.
    pub path: Option<PathBuf>,
    pub office: Tz,
    pub default_country: Option<String>,
    pub phones: PhonePlan,
    pub territory: Option<PathBuf>,
    pub history: Option<PathBuf>,
    /// `[history] at_formats`: the time formats read beside the built-in ones.
    pub at_formats: Vec<AtFormat>,
    /// `[history] table`: the table of a PostgreSQL history, a checked
    /// name (`name` or `schema.name`).
    pub history_table: String,
    pub suppress: Vec<PathBuf>,
    pub policy: Policy,
    pub per_rep: Option<usize>,
    /// `[queue] daily_target`: distinct customers each rep should reach a
    /// calling day (the report compares).
    pub daily_target: Option<u32>,
    /// `[queue] best_time`: work out the queue's `best_time` column from
    /// the history's answer rates (on unless set to false).
    pub best_time: bool,
    /// `[location]`: how a customer's zone is found.
    pub location: location::Settings,
    /// Header key (as `header_key` gives it) -> column name.
    pub columns: HashMap<String, &'static str>,
    /// `[columns]` headers as written, by key, for messages.
    pub column_headers: HashMap<String, String>,
    /// Each kind of input's mappings: `[columns]` with its own
    /// `[columns.<kind>]` over it (in `Kind::ALL`'s order).
    pub input_columns: [HashMap<String, &'static str>; 3],
    /// The `[columns.<kind>]` mappings themselves: kind, header key, header
    /// as written and its column, for `check`.
    pub own_columns: Vec<(Kind, String, String, &'static str)>,
    /// `[outcomes]`: each word as written, and its outcome, in file order.
    pub outcomes: Vec<(String, Outcome)>,
    /// `[outcomes] preset`: the preset's words, less those `outcomes` maps.
    pub preset_outcomes: Vec<(String, Outcome)>,
    /// Things that are allowed but probably not meant: `check` shows them.
    pub warnings: Vec<ConfigWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigWarning {
    pub line: Option<usize>,
    pub message: String,
}

impl Config {
    /// Reads `--config FILE`, else `callqueue.toml` in the current
    /// directory, else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        match explicit {
            Some(path) => Config::from_file(path),
            None => {
                let default = Path::new(DEFAULT_FILE);
                if default.is_file() {
                    Config::from_file(default)
                } else {
                    Config::from_str(None, "")
                }
            }
        }
    }

    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "{}: cannot read the config (check the path given to --config)",
                path.display()
            )
        })?;
        Config::from_str(Some(path), &text)
    }

    /// The mappings for one kind of input: `[columns]`, with
    /// `[columns.<kind>]` over it.
    pub fn columns_for(&self, kind: Kind) -> &HashMap<String, &'static str> {
        match kind {
            Kind::Territory => &self.input_columns[0],
            Kind::History => &self.input_columns[1],
            Kind::Suppress => &self.input_columns[2],
        }
    }

    /// The name messages use for this config.
    pub fn name(&self) -> String {
        config_name(self.path.as_deref())
    }

    /// Checks `text` as a config read from `path` (relative paths in it are
    /// taken from `path`'s folder).
    pub fn from_str(path: Option<&Path>, text: &str) -> Result<Config> {
        let name = config_name(path);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|span| line_of(text, &span));
            let key = e
                .span()
                .and_then(|span| crate::tomltext::key_at(text, span.start));
            let message = friendly_toml_message(e.message());
            match (line, key) {
                (Some(line), Some(key)) => {
                    anyhow::anyhow!("{name}:{line}: {key}: {message}")
                }
                (Some(line), None) => anyhow::anyhow!("{name}:{line}: {message}"),
                _ => anyhow::anyhow!("{name}: {message}"),
            }
        })?;
        let base = path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Checker {
            name,
            text,
            warnings: Vec::new(),
            errors: std::cell::RefCell::default(),
        }
        .check(raw, path, &base)
    }
}

fn config_name(path: Option<&Path>) -> String {
    path.map_or_else(|| DEFAULT_FILE.to_owned(), |p| p.display().to_string())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    timezone: Option<Spanned<String>>,
    default_country: Option<Spanned<String>>,
    territory: Option<PathBuf>,
    history: Option<RawHistoryKey>,
    #[serde(default)]
    suppress: Vec<PathBuf>,
    #[serde(default)]
    eligibility: RawEligibility,
    #[serde(default)]
    caps: RawCaps,
    #[serde(default)]
    hours: RawHours,
    #[serde(default)]
    queue: RawQueue,
    #[serde(default)]
    location: RawLocation,
    #[serde(default)]
    consent: RawConsent,
    #[serde(default)]
    compliance: RawCompliance,
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    outcomes: BTreeMap<Spanned<String>, Spanned<String>>,
}

/// `history = "FILE"`, or `[history]` with its `path` and settings.
#[derive(Debug)]
enum RawHistoryKey {
    Path(PathBuf),
    Table(RawHistory),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    path: Option<PathBuf>,
    table: Option<String>,
    at_formats: Option<Vec<Spanned<String>>>,
}

impl<'de> Deserialize<'de> for RawHistoryKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = RawHistoryKey;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a file name (history = \"history.csv\") or a [history] table")
            }

            fn visit_str<E: serde::de::Error>(
                self,
                path: &str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(RawHistoryKey::Path(PathBuf::from(path)))
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> std::result::Result<Self::Value, M::Error> {
                RawHistory::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawHistoryKey::Table)
            }
        }
        d.deserialize_any(Either)
    }
}

impl RawHistoryKey {
    fn settings(&self) -> Option<&RawHistory> {
        match self {
            RawHistoryKey::Path(_) => None,
            RawHistoryKey::Table(table) => Some(table),
        }
    }
}

/// The table of a PostgreSQL history when `[history] table` is not set.
pub const DEFAULT_HISTORY_TABLE: &str = "callqueue_history";

/// Whether `name` may name the history's table: `name` or `schema.name`,
/// each a letter or `_` then letters, digits and `_`, short enough that
/// the table's index name (`<name>_call`) fits PostgreSQL's 63 bytes.
/// Only such names are ever put into SQL (quoted).
pub fn table_name_ok(name: &str) -> bool {
    let part = |p: &str, most: usize| {
        let mut bytes = p.bytes();
        bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && p.len() <= most
    };
    match name.split_once('.') {
        Some((schema, table)) => part(schema, 63) && part(table, 58),
        None => part(name, 58),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEligibility {
    existing_statuses: Option<Vec<String>>,
    ebr_days: Option<Spanned<i64>>,
    inquiry_days: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCaps {
    max_contacts: Option<Spanned<i64>>,
    window_days: Option<Spanned<i64>>,
    max_unanswered: Option<Spanned<i64>>,
    pause_days: Option<Spanned<i64>>,
    retry_days: Option<Spanned<i64>>,
    contact_gap_days: Option<Spanned<i64>>,
    limits: Option<Vec<Spanned<RawLimit>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimit {
    count: i64,
    within_hours: i64,
    of: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompliance {
    profile: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHours {
    days: Option<Spanned<Vec<String>>>,
    start: Option<Spanned<toml::Value>>,
    end: Option<Spanned<toml::Value>>,
    holidays: Option<Vec<Spanned<toml::Value>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsent {
    mode: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocation {
    unknown_zone: Option<Spanned<String>>,
    cross_check: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQueue {
    per_rep: Option<Spanned<i64>>,
    daily_target: Option<Spanned<i64>>,
    best_time: Option<bool>,
}

struct Checker<'a> {
    name: String,
    text: &'a str,
    warnings: Vec<ConfigWarning>,
    /// Every problem found so far: the config is checked whole, and all
    /// of them are reported together.
    errors: std::cell::RefCell<Vec<String>>,
}

impl Checker<'_> {
    fn fail<T>(&self, span: &Range<usize>, message: String) -> Result<T> {
        bail!("{}:{}: {message}", self.name, line_of(self.text, span))
    }

    /// A section's value, or, when it has a problem, the problem kept for
    /// the report and `fallback` in its place so that checking goes on.
    fn soft<T>(&self, checked: Result<T>, fallback: T) -> T {
        checked.unwrap_or_else(|e| {
            self.errors.borrow_mut().push(format!("{e:#}"));
            fallback
        })
    }

    /// A problem at `span`, kept for the report; checking goes on.
    fn problem(&self, span: &Range<usize>, message: String) {
        let line = line_of(self.text, span);
        self.errors
            .borrow_mut()
            .push(format!("{}:{line}: {message}", self.name));
    }

    fn warn(&mut self, span: &Range<usize>, message: String) {
        let line = Some(line_of(self.text, span));
        self.warnings.push(ConfigWarning { line, message });
    }

    fn check(mut self, raw: RawConfig, path: Option<&Path>, base: &Path) -> Result<Config> {
        let office = match &raw.timezone {
            Some(tz) => match parse_zone(tz.get_ref()) {
                Some(zone) => zone,
                None => {
                    self.problem(
                        &tz.span(),
                        format!(
                            "timezone {:?} is not a known zone (use an IANA name such as \"America/New_York\")",
                            tz.get_ref()
                        ),
                    );
                    system_zone()
                }
            },
            None => system_zone(),
        };
        let (default_country, phones) = match &raw.default_country {
            Some(code) => match PhonePlan::for_country(code.get_ref()) {
                Some(plan) => (Some(code.get_ref().trim().to_ascii_uppercase()), plan),
                None => {
                    self.problem(
                        &code.span(),
                        format!(
                            "default_country {:?} is not a known region (use a two-letter code such as \"US\" or \"GB\")",
                            code.get_ref()
                        ),
                    );
                    (None, PhonePlan::default())
                }
            },
            None => (None, PhonePlan::default()),
        };
        let policy = self.policy(&raw, base)?;
        let per_rep = match &raw.queue.per_rep {
            Some(v) => self.soft(
                self.count(v, "[queue] per_rep", 1)
                    .map(|n| Some(n as usize)),
                None,
            ),
            None => None,
        };
        let daily_target = match &raw.queue.daily_target {
            Some(v) => self.soft(self.count(v, "[queue] daily_target", 1).map(Some), None),
            None => None,
        };
        let location = location::Settings {
            unknown_zone: self.soft(
                self.unknown_zone(raw.location.unknown_zone.as_ref()),
                UnknownZone::Exclude,
            ),
            cross_check: raw.location.cross_check.unwrap_or(true),
            default_country: default_country.clone(),
        };
        let mut flat = BTreeMap::new();
        let mut own_tables = Vec::new();
        for (key, value) in &raw.columns {
            match value.get_ref() {
                toml::Value::String(column) => {
                    flat.insert(key.clone(), Spanned::new(value.span(), column.clone()));
                }
                toml::Value::Table(table) => match Kind::ALL
                    .into_iter()
                    .find(|k| k.name() == key.get_ref().trim().to_ascii_lowercase())
                {
                    Some(kind) => own_tables.push((kind, value.span(), table)),
                    None => {
                        self.problem(
                            &key.span(),
                            format!(
                                "[columns.{}] is not an input (use [columns.territory], [columns.history] or [columns.suppress])",
                                key.get_ref()
                            ),
                        );
                    }
                },
                _ => {
                    self.problem(
                        &value.span(),
                        format!(
                            "[columns] {:?} must map to a column name in quotes",
                            key.get_ref()
                        ),
                    );
                }
            }
        }
        let columns = self.soft(self.columns(&flat, None), HashMap::new());
        let column_headers: HashMap<String, String> = flat
            .keys()
            .map(|h| (header_key(h.get_ref()), h.get_ref().clone()))
            .collect();
        let mut input_columns = [columns.clone(), columns.clone(), columns.clone()];
        let mut own_columns = Vec::new();
        for (kind, span, table) in own_tables {
            let mut entries = BTreeMap::new();
            for (header, column) in table {
                let Some(column) = column.as_str() else {
                    self.problem(
                        &span,
                        format!(
                            "[columns.{}] {header:?} must map to a column name in quotes",
                            kind.name()
                        ),
                    );
                    continue;
                };
                // The entry's own line, for messages: where its header is
                // written after the table's start.
                let at = self.text[span.start..]
                    .find(header.as_str())
                    .map_or(span.clone(), |i| span.start + i..span.start + i + 1);
                entries.insert(
                    Spanned::new(at.clone(), header.clone()),
                    Spanned::new(at, column.to_owned()),
                );
            }
            let own = self.soft(self.columns(&entries, Some(kind)), HashMap::new());
            for header in entries.keys() {
                let key = header_key(header.get_ref());
                if let Some(column) = own.get(&key) {
                    own_columns.push((kind, key, header.get_ref().clone(), *column));
                }
            }
            let i = Kind::ALL
                .iter()
                .position(|k| *k == kind)
                .unwrap_or_default();
            input_columns[i].extend(own);
        }
        let (outcomes, preset_outcomes) =
            self.soft(self.outcomes(&raw.outcomes), (Vec::new(), Vec::new()));
        let at_formats = self.soft(
            self.at_formats(raw.history.as_ref().and_then(RawHistoryKey::settings)),
            Vec::new(),
        );
        let resolve = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        let (history, history_table) = match raw.history {
            None => (None, None),
            Some(RawHistoryKey::Path(path)) => (Some(path), None),
            Some(RawHistoryKey::Table(t)) => (t.path, t.table),
        };
        let history_table = match history_table {
            Some(table) if table_name_ok(&table) => table,
            Some(table) => {
                self.errors.borrow_mut().push(format!(
                    "{}: [history] table {table:?} is not a table name: use letters, digits and _ (not first), optionally schema.table",
                    self.name
                ));
                DEFAULT_HISTORY_TABLE.to_owned()
            }
            None => DEFAULT_HISTORY_TABLE.to_owned(),
        };
        // A database URI is not a path to take from the config's folder.
        let history = history.map(|p| match p.to_str() {
            Some(uri) if crate::pg::uri::is_uri(uri) => p,
            _ => resolve(p),
        });
        let errors = self.errors.take();
        if !errors.is_empty() {
            bail!("{}", errors.join("\n"));
        }
        Ok(Config {
            path: path.map(Path::to_path_buf),
            office,
            default_country,
            phones,
            territory: raw.territory.map(resolve),
            history,
            history_table,
            at_formats,
            suppress: raw.suppress.into_iter().map(resolve).collect(),
            policy,
            per_rep,
            daily_target,
            best_time: raw.queue.best_time.unwrap_or(true),
            location,
            columns,
            column_headers,
            input_columns,
            own_columns,
            outcomes,
            preset_outcomes,
            warnings: self.warnings,
        })
    }

    /// `[caps] limits`: rolling limits over attempts or contacts.
    fn limits(&self, raw: &[Spanned<RawLimit>]) -> Result<Vec<Limit>> {
        let mut limits = Vec::new();
        for limit in raw {
            let span = limit.span();
            let RawLimit {
                count,
                within_hours,
                of,
            } = limit.get_ref();
            if !(1..=1000).contains(count) || !(1..=100_000).contains(within_hours) {
                return self.fail(
                    &span,
                    format!(
                        "[caps] limits: count must be 1 to 1000 and within_hours 1 to 100000, not {count} and {within_hours}"
                    ),
                );
            }
            let of = match of.as_deref().map(str::trim) {
                None | Some("attempts") => LimitOf::Attempts,
                Some("contacts") => LimitOf::Contacts,
                Some(other) => {
                    return self.fail(
                        &span,
                        format!(
                            "[caps] limits: of = {other:?} is neither \"attempts\" nor \"contacts\""
                        ),
                    );
                }
            };
            limits.push(Limit {
                count: *count as u32,
                within_hours: *within_hours as u32,
                of,
                citation: None,
            });
        }
        Ok(limits)
    }

    /// `[compliance] profile`: none, a built-in one (`us`, `ca`), or a
    /// profile file (relative to the config's folder).
    fn profile(&self, value: Option<&Spanned<String>>, base: &Path) -> Result<Option<Profile>> {
        let Some(value) = value else {
            return Ok(None);
        };
        let name = value.get_ref().trim();
        if name.is_empty() {
            // Left empty, the law may have been meant: said, not guessed.
            return self.fail(
                &value.span(),
                "[compliance] profile is empty; write \"us\", \"ca\", a profile file, or \"none\" for no telemarketing law".to_owned(),
            );
        }
        if name.eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        if let Some(profile) = Profile::builtin(name) {
            return Ok(Some(profile));
        }
        let path = base.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                return self.fail(
                    &value.span(),
                    format!(
                        "[compliance] profile {name:?} is neither \"none\", \"us\", \"ca\" nor a readable file ({}: {e})",
                        path.display()
                    ),
                );
            }
        };
        Profile::parse(&text, &path.display().to_string())
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Whether `[consent] mode` asks for a recorded consent.
    fn consent_mode(&self, value: Option<&Spanned<String>>) -> Result<bool> {
        let Some(value) = value else {
            return Ok(false);
        };
        match value.get_ref().trim().to_ascii_lowercase().as_str() {
            "opt-out" => Ok(false),
            "opt-in" => Ok(true),
            _ => self.fail(
                &value.span(),
                format!(
                    "[consent] mode {:?} is neither \"opt-out\" nor \"opt-in\"",
                    value.get_ref()
                ),
            ),
        }
    }

    fn unknown_zone(&self, value: Option<&Spanned<String>>) -> Result<UnknownZone> {
        let Some(value) = value else {
            return Ok(UnknownZone::Exclude);
        };
        match value.get_ref().trim().to_ascii_lowercase().as_str() {
            "exclude" => Ok(UnknownZone::Exclude),
            "office" => Ok(UnknownZone::Office),
            _ => self.fail(
                &value.span(),
                format!(
                    "[location] unknown_zone {:?} is neither \"exclude\" nor \"office\"",
                    value.get_ref()
                ),
            ),
        }
    }

    /// Who is called and when: the eligibility, the caps, the hours and
    /// limits, consent and the compliance profile.
    fn policy(&mut self, raw: &RawConfig, base: &Path) -> Result<Policy> {
        let hours = self.hours(&raw.hours);
        let hours = self.soft(hours, Hours::default());
        Ok(Policy {
            // Written out at its default (as `init` does) is not a choice.
            statuses_configured: raw
                .eligibility
                .existing_statuses
                .as_ref()
                .is_some_and(|list| {
                    list.iter()
                        .map(|s| s.trim().to_lowercase())
                        .collect::<Vec<_>>()
                        != Policy::default().existing_statuses
                }),
            existing_statuses: raw
                .eligibility
                .existing_statuses
                .as_ref()
                .map(|list| list.iter().map(|s| s.trim().to_lowercase()).collect())
                .unwrap_or_else(|| Policy::default().existing_statuses),
            ebr_days: raw.eligibility.ebr_days.as_ref().and_then(|v| {
                self.soft(self.count(v, "[eligibility] ebr_days", 0).map(Some), None)
            }),
            inquiry_days: raw.eligibility.inquiry_days.as_ref().and_then(|v| {
                self.soft(
                    self.count(v, "[eligibility] inquiry_days", 0).map(Some),
                    None,
                )
            }),
            opt_in: self.soft(self.consent_mode(raw.consent.mode.as_ref()), false),
            caps: self.soft(self.caps(&raw.caps), Caps::default()),
            hours: Hours {
                limits: self.soft(
                    self.limits(raw.caps.limits.as_deref().unwrap_or_default()),
                    Vec::new(),
                ),
                ..hours
            },
            profile: self.soft(self.profile(raw.compliance.profile.as_ref(), base), None),
        })
    }

    /// A whole number of at least `min`, that fits the day arithmetic.
    fn count(&self, value: &Spanned<i64>, key: &str, min: i64) -> Result<u32> {
        let n = *value.get_ref();
        if n < min || n > 100_000 {
            return self.fail(
                &value.span(),
                format!("{key} must be a whole number from {min} to 100000, not {n}"),
            );
        }
        Ok(n as u32)
    }

    fn caps(&self, raw: &RawCaps) -> Result<Caps> {
        let d = Caps::default();
        // Each key on its own: every one out of range is reported.
        let pick = |v: &Option<Spanned<i64>>, key: &str, min: i64, default: u32| match v {
            Some(v) => Ok(self.soft(self.count(v, &format!("[caps] {key}"), min), default)),
            None => Ok::<u32, anyhow::Error>(default),
        };
        Ok(Caps {
            max_contacts: pick(&raw.max_contacts, "max_contacts", 1, d.max_contacts)?,
            window_days: pick(&raw.window_days, "window_days", 1, d.window_days)?,
            max_unanswered: pick(&raw.max_unanswered, "max_unanswered", 1, d.max_unanswered)?,
            pause_days: pick(&raw.pause_days, "pause_days", 0, d.pause_days)?,
            retry_days: pick(&raw.retry_days, "retry_days", 0, d.retry_days)?,
            contact_gap_days: pick(
                &raw.contact_gap_days,
                "contact_gap_days",
                0,
                d.contact_gap_days,
            )?,
        })
    }

    fn hours(&mut self, raw: &RawHours) -> Result<Hours> {
        let mut hours = Hours::default();
        if let Some(days) = &raw.days {
            hours.days = [false; 7];
            for name in days.get_ref() {
                match read_weekday(name.trim()) {
                    Some(day) => hours.days[day.num_days_from_monday() as usize] = true,
                    None => self.fail(
                        &days.span(),
                        format!(
                            "[hours] days: {name:?} is not a day (use mon, tue, wed, thu, fri, sat, sun)"
                        ),
                    )?,
                }
            }
            if !hours.days.contains(&true) {
                self.fail(
                    &days.span(),
                    "[hours] days names no day: list at least one calling day".to_owned(),
                )?;
            }
        }
        if let Some(start) = &raw.start {
            hours.start = self.clock(start, "[hours] start")?;
        }
        if let Some(end) = &raw.end {
            hours.end = self.clock(end, "[hours] end")?;
        }
        if hours.end <= hours.start {
            let span = raw
                .end
                .as_ref()
                .or(raw.start.as_ref())
                .map(Spanned::span)
                .unwrap_or_default();
            self.fail(
                &span,
                format!(
                    "[hours] end ({}) must be later than start ({})",
                    hours.end.format("%H:%M"),
                    hours.start.format("%H:%M")
                ),
            )?;
        }
        for holiday in raw.holidays.iter().flatten() {
            let text = match holiday.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(dt) => dt.to_string(),
                other => other.to_string(),
            };
            match Holiday::parse(&text) {
                Ok(parsed) => {
                    // A fixed date on a day that is not a calling day
                    // anyway is probably a slip.
                    if let Some(date) = parse_date(&text)
                        && !hours.days[date.weekday().num_days_from_monday() as usize]
                    {
                        self.warn(
                            &holiday.span(),
                            format!(
                                "[hours] holidays: {date} is a {}, not a calling day anyway",
                                day_name(date.weekday())
                            ),
                        );
                    }
                    hours.holidays.push(parsed);
                }
                Err(why) => self.fail(&holiday.span(), format!("[hours] holidays: {why}"))?,
            }
        }
        Ok(hours)
    }

    fn clock(&self, value: &Spanned<toml::Value>, key: &str) -> Result<NaiveTime> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.trim().to_owned(),
            toml::Value::Datetime(dt) => dt.to_string(),
            other => other.to_string(),
        };
        NaiveTime::parse_from_str(&text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S"))
            .or_else(|_| {
                self.fail(
                    &value.span(),
                    format!("{key} {text:?} is not a time (write \"09:00\")"),
                )
            })
    }

    fn at_formats(&self, raw: Option<&RawHistory>) -> Result<Vec<AtFormat>> {
        let mut formats = Vec::new();
        for pattern in raw
            .and_then(|h| h.at_formats.as_deref())
            .unwrap_or_default()
        {
            match AtFormat::new(pattern.get_ref()) {
                Ok(format) => formats.push(format),
                Err(why) => self.fail(&pattern.span(), format!("[history] at_formats: {why}"))?,
            }
        }
        Ok(formats)
    }

    /// `[columns]` (`kind` None) or `[columns.<kind>]`: header -> column.
    fn columns(
        &self,
        raw: &BTreeMap<Spanned<String>, Spanned<String>>,
        kind: Option<Kind>,
    ) -> Result<HashMap<String, &'static str>> {
        let mut map = HashMap::new();
        let section = kind.map_or_else(
            || "[columns]".to_owned(),
            |k| format!("[columns.{}]", k.name()),
        );
        let readable: Vec<&str> = match kind {
            Some(kind) => kind.columns().to_vec(),
            None => column_names().collect(),
        };
        for (header, column) in raw {
            let key = header_key(header.get_ref());
            let name = if header_key(column.get_ref()) == IGNORE {
                IGNORE
            } else if let Some(name) =
                column_name(column.get_ref()).filter(|name| readable.contains(name))
            {
                name
            } else {
                return self.fail(
                    &column.span(),
                    format!(
                        "{section} {:?} maps to {:?}, which is not a column callqueue reads{} (one of: {}; or ignore)",
                        header.get_ref(),
                        column.get_ref(),
                        kind.map_or_else(String::new, |k| format!(" in the {}", k.name())),
                        readable.join(", ")
                    ),
                );
            };
            if key.is_empty() {
                return self.fail(
                    &header.span(),
                    format!("{section} has an empty header name"),
                );
            }
            // Renaming a header that is itself a column name would hide that
            // column (an opt-out column read as a note, say): refuse it. In
            // one input's own table, only that input's columns count, and a
            // dialer's Disposition (a column only people read) may be its
            // outcome.
            if let Some(own) = column_name(header.get_ref())
                && own != name
                && kind.is_none_or(|k| {
                    k.columns().contains(&own) && !matches!(own, "disposition" | "note")
                })
            {
                return self.fail(
                    &header.span(),
                    format!(
                        "{section} {:?} is the {own} column's own name and cannot be mapped to {name}",
                        header.get_ref()
                    ),
                );
            }
            if map.insert(key, name).is_some() {
                return self.fail(
                    &header.span(),
                    format!(
                        "{section} {:?} is listed twice (header names match ignoring case, spaces, '_' and '-')",
                        header.get_ref()
                    ),
                );
            }
        }
        Ok(map)
    }

    /// `[outcomes]`: a preset's words (`preset = "vicidial"`), then the
    /// config's own, which add to the preset and win over it.
    fn outcomes(&self, raw: &BTreeMap<Spanned<String>, Spanned<String>>) -> Result<(Words, Words)> {
        let mut list: Vec<(String, Outcome)> = Vec::new();
        let mut preset_words: Vec<(String, Outcome)> = Vec::new();
        let own_words: HashSet<String> = raw
            .keys()
            .filter(|w| !is_preset_key(w.get_ref()))
            .map(|w| header_key(w.get_ref()))
            .collect();
        let mut seen = HashSet::new();
        for (word, target) in raw {
            if is_preset_key(word.get_ref()) {
                let Some(preset) = Preset::named(target.get_ref()) else {
                    self.problem(
                        &target.span(),
                        format!(
                            "[outcomes] preset {:?} is not known (one of: {})",
                            target.get_ref(),
                            Preset::names()
                        ),
                    );
                    continue;
                };
                preset_words.extend(
                    preset
                        .words
                        .iter()
                        // A built-in word means what it means already.
                        .filter(|(w, _, _)| Outcome::from_word(w).is_none())
                        .filter(|(w, _, _)| !own_words.contains(&header_key(w)))
                        .map(|(w, outcome, _)| ((*w).to_owned(), *outcome)),
                );
                continue;
            }
            let Some(outcome) = Outcome::from_word(target.get_ref()) else {
                self.problem(
                    &target.span(),
                    format!(
                        "[outcomes] {:?} maps to {:?}, which is not an outcome (one of: {})",
                        word.get_ref(),
                        target.get_ref(),
                        Outcome::ALL.map(Outcome::name).join(", ")
                    ),
                );
                continue;
            };
            let key = header_key(word.get_ref());
            if key.is_empty() {
                self.problem(&word.span(), "[outcomes] has an empty word".to_owned());
                continue;
            }
            // A built-in word keeps its meaning: mapping "dnc" to "answered"
            // would silently drop opt-outs.
            if let Some(own) = Outcome::from_word(word.get_ref())
                && own != outcome
            {
                self.problem(
                    &word.span(),
                    format!(
                        "[outcomes] {:?} already means {} and cannot be mapped to {}",
                        word.get_ref(),
                        own.name(),
                        outcome.name()
                    ),
                );
                continue;
            }
            if !seen.insert(key) {
                self.problem(
                    &word.span(),
                    format!(
                        "[outcomes] {:?} is listed twice (words match ignoring case, spaces, '_' and '-')",
                        word.get_ref()
                    ),
                );
                continue;
            }
            list.push((word.get_ref().trim().to_owned(), outcome));
        }
        Ok((list, preset_words))
    }
}

/// Words and the outcomes they mean, in order.
type Words = Vec<(String, Outcome)>;

/// `preset` in `[outcomes]` names a preset rather than a word.
fn is_preset_key(word: &str) -> bool {
    word.trim().eq_ignore_ascii_case("preset")
}

/// An IANA zone name (or alias such as `US/Eastern`), in any case.
pub fn parse_zone(name: &str) -> Option<Tz> {
    let name = name.trim();
    name.parse::<Tz>()
        .ok()
        .or_else(|| Tz::from_str_insensitive(name).ok())
}

/// Whether a zone's name is UTC's under one of its names (`UTC`,
/// `Etc/UTC`, `Zulu`, ...): a machine's setting, rarely an office's.
pub fn is_utc_name(name: &str) -> bool {
    let name = name.strip_prefix("Etc/").unwrap_or(name);
    [
        "UTC",
        "UCT",
        "Universal",
        "Zulu",
        "GMT",
        "GMT0",
        "GMT+0",
        "GMT-0",
        "Greenwich",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(name))
}

/// The machine's zone: `TZ` when it names a zone, else the system setting,
/// else UTC.
fn system_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| parse_zone(tz.trim_start_matches(':')))
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|tz| parse_zone(&tz))
        })
        .unwrap_or(Tz::UTC)
}

/// The 1-based line of a byte span in `text`.
fn line_of(text: &str, span: &Range<usize>) -> usize {
    crate::tomltext::line_of(text, span.start)
}

fn friendly_toml_message(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected a sequence", "expected a list")
        .replace("expected a borrowed string", "expected a string")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::from_str(Some(Path::new("/etc/cq/callqueue.toml")), text)
    }

    fn error(text: &str) -> String {
        format!("{:#}", parse(text).unwrap_err())
    }

    #[test]
    fn an_empty_compliance_profile_is_an_error_not_none() {
        // Found by fuzzing: "" and "  " were taken as "none", and the
        // law's hours and days were off without a word.
        for empty in ["\"\"", "\"  \""] {
            let e = error(&format!(
                "timezone = \"UTC\"\n[compliance]\nprofile = {empty}\n"
            ));
            assert!(
                e.contains("callqueue.toml:3: [compliance] profile is empty"),
                "{e}"
            );
        }
        assert!(parse("timezone = \"UTC\"\n[compliance]\nprofile = \"none\"\n").is_ok());
    }

    #[test]
    fn empty_config_gives_the_documented_defaults() {
        let c = parse("timezone = \"UTC\"").unwrap();
        assert_eq!(c.policy, Policy::default());
        assert_eq!(c.policy.caps.max_contacts, 2);
        assert_eq!(c.policy.caps.window_days, 365);
        assert_eq!(c.policy.caps.max_unanswered, 5);
        assert_eq!(c.policy.caps.pause_days, 60);
        assert_eq!(c.policy.caps.retry_days, 7);
        assert_eq!(c.policy.caps.contact_gap_days, 90);
        assert_eq!(c.per_rep, None);
        assert!(c.policy.hours.holidays.is_empty());
    }

    #[test]
    fn the_spec_example_reads() {
        let c = parse(
            r#"
timezone = "America/New_York"
default_country = "US"
territory = "territory.csv"
history = "/var/cq/history.csv"
suppress = ["dnc.csv"]

[eligibility]
existing_statuses = ["Active", "customer"]
ebr_days = 540

[caps]
max_contacts = 3
window_days = 365
max_unanswered = 5
pause_days = 60
retry_days = 7
contact_gap_days = 90

[hours]
days = ["mon", "TUE", "wednesday", "thu", "fri"]
start = "08:30"
end = "17:00"
holidays = ["2026-12-25", 2027-01-01]

[queue]
per_rep = 40

[columns]
"Account Number" = "account_id"

[outcomes]
"Left VM" = "no-answer"
"#,
        )
        .unwrap();
        assert_eq!(c.office, chrono_tz::America::New_York);
        assert_eq!(c.territory, Some(PathBuf::from("/etc/cq/territory.csv")));
        assert_eq!(c.history, Some(PathBuf::from("/var/cq/history.csv")));
        assert_eq!(c.suppress, vec![PathBuf::from("/etc/cq/dnc.csv")]);
        assert_eq!(c.policy.existing_statuses, vec!["active", "customer"]);
        assert_eq!(c.policy.ebr_days, Some(540));
        assert_eq!(c.policy.caps.max_contacts, 3);
        assert_eq!(
            c.policy.hours.start,
            NaiveTime::from_hms_opt(8, 30, 0).unwrap()
        );
        assert_eq!(c.policy.hours.holidays.len(), 2);
        assert_eq!(c.per_rep, Some(40));
        assert_eq!(
            c.columns.get(&header_key("Account Number")),
            Some(&"account_id")
        );
        assert_eq!(c.outcomes, vec![("Left VM".to_owned(), Outcome::NoAnswer)]);
        assert_eq!(c.default_country.as_deref(), Some("US"));
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let e = error("timezone = \"UTC\"\n[caps]\nmax_contact = 2\n");
        assert!(e.contains("callqueue.toml:3"), "{e}");
        assert!(e.contains("max_contact"), "{e}");
        let e = error("timzone = \"UTC\"\n");
        assert!(e.contains("timzone"), "{e}");
    }

    #[test]
    fn wrong_types_name_the_key() {
        let e = error("[caps]\nmax_contacts = \"two\"\n");
        assert!(e.contains(":2: [caps] max_contacts"), "{e}");
        assert!(e.contains("whole number"), "{e}");
        let e = error("suppress = \"dnc.csv\"\n");
        assert!(e.contains(":1: suppress"), "{e}");
    }

    #[test]
    fn negative_and_zero_caps_are_refused() {
        let e = error("[caps]\nmax_contacts = -2\n");
        assert!(
            e.contains(":2: [caps] max_contacts must be a whole number from 1"),
            "{e}"
        );
        let e = error("[caps]\nmax_contacts = 0\n");
        assert!(e.contains("max_contacts"), "{e}");
        let e = error("[caps]\nretry_days = -1\n");
        assert!(e.contains("retry_days"), "{e}");
        assert!(parse("[caps]\nretry_days = 0\n").is_ok());
        let e = error("[queue]\nper_rep = 0\n");
        assert!(e.contains("per_rep"), "{e}");
    }

    #[test]
    fn daily_target_is_a_positive_whole_number_or_absent() {
        assert_eq!(parse("timezone = \"UTC\"").unwrap().daily_target, None);
        let target = |text: &str| parse(&format!("[queue]\ndaily_target = {text}\n"));
        assert_eq!(target("1").unwrap().daily_target, Some(1));
        assert_eq!(target("25").unwrap().daily_target, Some(25));
        assert_eq!(target("100000").unwrap().daily_target, Some(100_000));
        for wrong in ["0", "-3", "100001"] {
            let e = format!("{:#}", target(wrong).unwrap_err());
            assert!(
                e.contains("callqueue.toml:2: [queue] daily_target must be a whole number from 1"),
                "{wrong}: {e}"
            );
        }
        for wrong in ["\"25\"", "2.5", "true"] {
            let e = format!("{:#}", target(wrong).unwrap_err());
            assert!(e.contains(":2: [queue] daily_target"), "{wrong}: {e}");
        }
        // Beside per_rep, and with it unchanged.
        let c = parse("[queue]\nper_rep = 40\ndaily_target = 25\n").unwrap();
        assert_eq!((c.per_rep, c.daily_target), (Some(40), Some(25)));
        let e = error("[queue]\ndaily_targets = 25\n");
        assert!(e.contains(":2:") && e.contains("daily_targets"), "{e}");
    }

    #[test]
    fn invalid_zone_is_named() {
        let e = error("timezone = \"Mars/Base\"\n");
        assert!(
            e.contains(":1: timezone \"Mars/Base\" is not a known zone"),
            "{e}"
        );
    }

    #[test]
    fn zone_aliases_and_case_are_accepted() {
        assert_eq!(
            parse("timezone = \"US/Eastern\"").unwrap().office,
            chrono_tz::US::Eastern
        );
        assert_eq!(
            parse("timezone = \"america/chicago\"").unwrap().office,
            chrono_tz::America::Chicago
        );
    }

    #[test]
    fn hours_are_checked() {
        assert!(error("[hours]\nstart = \"9am\"\n").contains("[hours] start"));
        assert!(error("[hours]\nstart = \"18:00\"\n").contains("later than start"));
        assert!(error("[hours]\ndays = [\"mon\", \"funday\"]\n").contains("funday"));
        assert!(error("[hours]\ndays = []\n").contains("at least one"));
        assert!(error("[hours]\nholidays = [\"2026-02-30\"]\n").contains("[hours] holidays"));
        let c = parse("[hours]\nstart = 08:00:00\nend = \"12:30\"\n").unwrap();
        assert_eq!(
            c.policy.hours.end,
            NaiveTime::from_hms_opt(12, 30, 0).unwrap()
        );
    }

    #[test]
    fn weekend_holiday_is_a_warning() {
        let c = parse("[hours]\nholidays = [\"2026-12-26\"]\n").unwrap();
        assert_eq!(c.warnings.len(), 1);
        assert!(
            c.warnings[0].message.contains("is a Saturday"),
            "{:?}",
            c.warnings
        );
    }

    #[test]
    fn a_header_can_be_mapped_to_ignore() {
        let c = parse("[columns]\n\"Email Opt Out\" = \"ignore\"\n\"SMS Opt Out\" = \"Ignore\"\n")
            .unwrap();
        assert_eq!(c.columns.get(&header_key("email opt out")), Some(&IGNORE));
        assert_eq!(c.columns.get(&header_key("SMS Opt Out")), Some(&IGNORE));
        let e = error("[columns]\n\"Email Opt Out\" = \"ignored\"\n");
        assert!(e.contains("not a column") && e.contains("or ignore"), "{e}");
    }

    #[test]
    fn column_mappings_are_checked() {
        assert!(error("[columns]\n\"Acct\" = \"acount_id\"\n").contains("not a column"));
        assert!(error("[columns]\n\"Opt Out\" = \"name\"\n").contains("own name"));
        // An opt-out column, in any of its spellings, cannot be ignored.
        for header in ["Opt Out", "DNC", "Do Not Call"] {
            let e = error(&format!("[columns]\n{header:?} = \"ignore\"\n"));
            assert!(e.contains("own name"), "{e}");
        }
        assert!(
            error("[columns]\n\"Acct No\" = \"account_id\"\n\"acct-no\" = \"account_id\"\n")
                .contains("twice")
        );
    }

    #[test]
    fn outcome_mappings_cannot_rewrite_opt_outs() {
        let e = error("[outcomes]\n\"DNC\" = \"answered\"\n");
        assert!(e.contains("already means opt-out"), "{e}");
        assert!(error("[outcomes]\n\"Left VM\" = \"maybe\"\n").contains("not an outcome"));
        assert!(parse("[outcomes]\n\"Busy\" = \"no-answer\"\n").is_ok());
    }

    #[test]
    fn unknown_country_is_refused() {
        assert!(error("default_country = \"ZZ\"\n").contains("default_country"));
    }

    #[test]
    fn compliance_consent_and_limits_are_checked() {
        let c = parse("[compliance]\nprofile = \"US\"\n[consent]\nmode = \"opt-in\"\n[caps]\nlimits = [{ count = 3, within_hours = 24 }]\n").unwrap();
        assert_eq!(c.policy.profile.map(|p| p.name), Some("us".to_owned()));
        assert!(c.policy.opt_in);
        assert_eq!(c.policy.hours.limits.len(), 1);
        assert!(
            parse("[compliance]\nprofile = \"none\"\n")
                .unwrap()
                .policy
                .profile
                .is_none()
        );
        let e = error("[compliance]\nprofile = \"mars\"\n");
        assert!(
            e.contains("callqueue.toml:2") && e.contains("[compliance] profile \"mars\""),
            "{e}"
        );
        assert!(
            error("[consent]\nmode = \"maybe\"\n").contains("neither \"opt-out\" nor \"opt-in\"")
        );
        assert!(
            error("[caps]\nlimits = [{ count = 0, within_hours = 24 }]\n")
                .contains("count must be 1 to 1000")
        );
        assert!(
            error("[caps]\nlimits = [{ count = 3, within_hours = 24, of = \"calls\" }]\n")
                .contains("of = \"calls\"")
        );
        assert!(
            error("[location]\nunknown_zone = \"guess\"\n").contains("[location] unknown_zone")
        );
    }

    #[test]
    fn holidays_may_recur_and_be_observed() {
        let c =
            parse("[hours]\nholidays = [\"4th thu nov\", \"07-04 observed\", \"last mon may\"]\n")
                .unwrap();
        let h = &c.policy.hours;
        let d = |s| parse_date(s).unwrap();
        for closed in ["2026-11-26", "2027-11-25", "2026-07-03", "2026-05-25"] {
            assert!(!h.is_calling_day(d(closed)), "{closed}");
        }
        for open in [
            "2026-11-25",
            "2026-11-27",
            "2026-07-02",
            "2026-05-26",
            "2026-05-18",
        ] {
            assert!(h.is_calling_day(d(open)), "{open}");
        }
        assert!(error("[hours]\nholidays = [\"5th xyz nov\"]\n").contains("[hours] holidays"));
    }

    #[test]
    fn calling_days_skip_weekends_and_holidays() {
        let c = parse("[hours]\nholidays = [\"2026-12-25\"]\n").unwrap();
        let h = &c.policy.hours;
        let d = |s| parse_date(s).unwrap();
        assert!(h.is_calling_day(d("2026-12-24")));
        assert!(!h.is_calling_day(d("2026-12-25")));
        assert!(!h.is_calling_day(d("2026-12-26")));
        assert_eq!(h.calling_day_from(d("2026-12-25")), Some(d("2026-12-28")));
        assert_eq!(h.calling_day_from(d("2026-12-24")), Some(d("2026-12-24")));
        assert!(
            h.closed_because(d("2026-12-25"))
                .unwrap()
                .contains("holiday")
        );
        assert!(
            h.closed_because(d("2026-12-26"))
                .unwrap()
                .contains("Saturday")
        );
    }

    #[test]
    fn a_preset_adds_its_words_and_the_configs_own_win() {
        let c = parse("[outcomes]\npreset = \"VICIdial\"\n\"NI\" = \"no-answer\"\n").unwrap();
        let preset = |word: &str| {
            c.preset_outcomes
                .iter()
                .find(|(w, _)| w == word)
                .map(|(_, o)| *o)
        };
        assert_eq!(preset("NA"), Some(Outcome::NoAnswer));
        assert_eq!(preset("DC"), Some(Outcome::WrongNumber));
        assert_eq!(preset("CALLBK"), Some(Outcome::Callback));
        // The config's own word, not the preset's.
        assert_eq!(preset("NI"), None);
        assert_eq!(c.outcomes, vec![("NI".to_owned(), Outcome::NoAnswer)]);
        // A built-in word is the built-in's.
        assert_eq!(preset("DNC"), None);
        let e = error("[outcomes]\npreset = \"five9\"\n");
        assert!(
            e.contains(
                ":2: [outcomes] preset \"five9\" is not known (one of: \"vicidial\", \"hubspot\")"
            ),
            "{e}"
        );
        assert!(parse("[outcomes]\npreset = \"hubspot\"\n").is_ok());
    }

    #[test]
    fn history_is_a_path_or_a_table_with_its_formats() {
        let c = parse("history = \"h.csv\"\n").unwrap();
        assert_eq!(c.history, Some(PathBuf::from("/etc/cq/h.csv")));
        assert!(c.at_formats.is_empty());
        let c = parse(
            "[history]\npath = \"h.csv\"\nat_formats = [\"%m/%d/%Y %I:%M %p\", \"%m/%d/%Y\"]\n",
        )
        .unwrap();
        assert_eq!(c.history, Some(PathBuf::from("/etc/cq/h.csv")));
        assert_eq!(c.at_formats.len(), 2);
        let e = error("[history]\npath = \"h.csv\"\nat_formats = [\"%m/%d %H:%M\"]\n");
        assert!(
            e.contains(":3: [history] at_formats: \"%m/%d %H:%M\" lacks a full date"),
            "{e}"
        );
        let e = error("[history]\nat_format = []\n");
        assert!(e.contains("unknown field `at_format`"), "{e}");
        let e = error("history = 3\n");
        assert!(e.contains("a file name"), "{e}");
    }

    #[test]
    fn each_input_has_its_own_columns_over_the_flat_table() {
        let c = parse(
            "[columns]\n\"Acct\" = \"account_id\"\n\
             [columns.history]\n\"Disposition\" = \"outcome\"\n\"Agent\" = \"rep\"\n\
             [columns.suppress]\n\"Number\" = \"phone\"\n",
        )
        .unwrap();
        let history = c.columns_for(Kind::History);
        assert_eq!(history.get(&header_key("Disposition")), Some(&"outcome"));
        assert_eq!(history.get(&header_key("Acct")), Some(&"account_id"));
        let territory = c.columns_for(Kind::Territory);
        assert_eq!(territory.get(&header_key("Disposition")), None);
        assert_eq!(territory.get(&header_key("Acct")), Some(&"account_id"));
        assert_eq!(
            c.columns_for(Kind::Suppress).get(&header_key("Number")),
            Some(&"phone")
        );
        assert_eq!(c.own_columns.len(), 3);
        // Each table maps to its own input's columns only.
        let e = error("[columns.suppress]\n\"When\" = \"at\"\n");
        assert!(e.contains(":2: [columns.suppress] \"When\" maps to \"at\", which is not a column callqueue reads in the suppress"), "{e}");
        let e = error("[columns.dialer]\n\"When\" = \"at\"\n");
        assert!(e.contains("[columns.dialer] is not an input"), "{e}");
        // Hiding an opt-out column is refused in every table.
        let e = error("[columns.territory]\n\"Opt Out\" = \"name\"\n");
        assert!(e.contains("own name"), "{e}");
        let e = error("[columns]\n\"Disposition\" = \"outcome\"\n");
        assert!(e.contains("own name"), "{e}");
        let e = error("[columns.history]\n\"Agent\" = 3\n");
        assert!(
            e.contains("[columns.history] \"Agent\" must map to a column name"),
            "{e}"
        );
    }

    #[test]
    fn a_database_history_is_not_taken_from_the_config_folder() {
        let c = parse("history = \"postgresql://sales@db.example/crm\"").unwrap();
        assert_eq!(
            c.history,
            Some(PathBuf::from("postgresql://sales@db.example/crm"))
        );
        assert_eq!(c.history_table, DEFAULT_HISTORY_TABLE);
        let c = parse("[history]\npath = \"postgres://db/crm\"\ntable = \"sales.calls\"").unwrap();
        assert_eq!(c.history, Some(PathBuf::from("postgres://db/crm")));
        assert_eq!(c.history_table, "sales.calls");
        let c = parse("[history]\npath = \"h.csv\"").unwrap();
        assert_eq!(c.history, Some(PathBuf::from("/etc/cq/h.csv")));
    }

    #[test]
    fn the_history_table_must_be_a_plain_name() {
        for good in ["callqueue_history", "_t1", "sales.calls", "T"] {
            assert!(table_name_ok(good), "{good}");
        }
        for bad in [
            "",
            "1calls",
            "calls; DROP TABLE x",
            "\"calls\"",
            "a.b.c",
            ".calls",
            "calls.",
            "caf\u{e9}",
            &"x".repeat(59),
        ] {
            assert!(!table_name_ok(bad), "{bad}");
        }
        let message = error("[history]\npath = \"postgres://db/crm\"\ntable = \"a-b\"");
        assert!(
            message.contains("[history] table \"a-b\" is not a table name"),
            "{message}"
        );
    }

    #[test]
    fn best_time_is_on_unless_the_queue_turns_it_off() {
        assert!(parse("timezone = \"UTC\"").unwrap().best_time);
        let on = parse("timezone = \"UTC\"\n[queue]\nbest_time = true\n").unwrap();
        assert!(on.best_time);
        let off = parse("timezone = \"UTC\"\n[queue]\nbest_time = false\n").unwrap();
        assert!(!off.best_time);
        let e = error("[queue]\nbest_time = \"no\"\n");
        assert!(e.contains("best_time"), "{e}");
    }

    #[test]
    fn every_problem_of_the_config_is_listed_in_one_run() {
        let e = error(
            "timezone = \"Mars/Base\"\n[caps]\nmax_contacts = 0\npause_days = -1\n\
             [queue]\nper_rep = 0\n[columns]\n\"Acct\" = \"acount\"\n\
             [outcomes]\n\"Left VM\" = \"maybe\"\npreset = \"five9\"\n",
        );
        let lines: Vec<&str> = e.lines().collect();
        let at: Vec<&str> = lines
            .iter()
            .map(|l| l.split(": ").next().unwrap_or_default())
            .collect();
        assert_eq!(
            at,
            [
                "/etc/cq/callqueue.toml:1",
                "/etc/cq/callqueue.toml:3",
                "/etc/cq/callqueue.toml:4",
                "/etc/cq/callqueue.toml:6",
                "/etc/cq/callqueue.toml:8",
                "/etc/cq/callqueue.toml:10",
                "/etc/cq/callqueue.toml:11",
            ],
            "{e}"
        );
        // One problem is one line, as before.
        assert_eq!(error("[queue]\nper_rep = 0\n").lines().count(), 1);
    }
}
