//! `callqueue check`: reads the config and every input, lists every problem
//! as `FILE:LINE: severity: message`, then a count. Meant for the evening
//! before the 6 a.m. cron run.

use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::Arc;

use anyhow::{Result, bail};

use crate::cli::CheckArgs;
use crate::config::Config;
use crate::dataset::{HistoryInput, Sources};
use crate::exit_code;
use crate::history;
use crate::input::{Input, Kind, header_key};
use crate::problems::{Problem, Problems, Severity};
use crate::suppress::Suppression;
use crate::territory::{self, Territory};

pub fn run(args: &CheckArgs) -> Result<()> {
    let mut found = Problems::new(true);
    let flags = args.inputs.path_flags();
    match Sources::resolve(&flags) {
        Ok(sources) => check(&sources, args, &mut found),
        // A usage mistake is not a finding.
        Err(e) if exit_code(&e) == 2 => return Err(e),
        Err(e) => structural(&mut found, &format!("{e:#}")),
    }
    let mut out = io::stdout().lock();
    for p in found.list() {
        // Problems quote the cells they are about.
        writeln!(out, "{}", crate::output::terminal_safe(&line(p)))?;
    }
    let (errors, warnings, notes) = (
        found.count(Severity::Error),
        found.count(Severity::Warning),
        found.count(Severity::Notice),
    );
    writeln!(
        out,
        "{}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(notes, "note")
    )?;
    out.flush()?;
    if errors > 0 {
        bail!("check found {}", plural(errors, "error"));
    }
    Ok(())
}

fn check(sources: &Sources, args: &CheckArgs, found: &mut Problems) {
    let config = &sources.config;
    let config_name: Arc<str> = Arc::from(config.name());
    for w in &config.warnings {
        found.push(
            Severity::Warning,
            &config_name,
            w.line.map(|l| l as u64),
            w.message.clone(),
        );
    }
    let date = sources.date(args.inputs.date);
    let read = sources.territory.open().and_then(|source| {
        territory::read(
            &sources.territory,
            source,
            config,
            &[],
            sources.delimiter,
            found,
            sources.territory.estimate_rows(),
        )
    });
    let territory = match read {
        Ok(t) => Some(t),
        Err(e) => {
            structural(found, &format!("{e:#}"));
            None
        }
    };
    let mut lists = Suppression::default();
    for list in &sources.suppress {
        if let Err(e) = list
            .open()
            .and_then(|source| lists.add(list, source, config, sources.delimiter, found))
        {
            structural(found, &format!("{e:#}"));
        }
    }
    // Each kind of input's headers, in `Kind::ALL`'s order.
    let mut headers: [Vec<String>; 3] = [Vec::new(), Vec::new(), lists.headers.clone()];
    if let Some(t) = &territory {
        headers[0].extend(t.headers.iter().cloned());
        territory_notes(t, &sources.territory, config, found);
    }
    match &territory {
        Some(t) if !sources.history.is_stdin() => {
            check_history(sources, t, date, &config_name, &mut headers[1], found);
        }
        Some(_) => found.push(
            Severity::Notice,
            &sources.history.name,
            None,
            "standard input is not checked by check; give the history as a file".to_owned(),
        ),
        None => found.push(
            Severity::Notice,
            &sources.history.name,
            None,
            "not checked: the territory could not be read".to_owned(),
        ),
    }
    config_notes(
        config,
        &config_name,
        &headers,
        &lists,
        territory.as_ref(),
        found,
    );
}

/// Reads the history as `build` would (an interrupted record mended
/// first), listing every problem; its headers join `headers`.
fn check_history(
    sources: &Sources,
    territory: &Territory,
    date: chrono::NaiveDate,
    config_name: &Arc<str>,
    headers: &mut Vec<String>,
    found: &mut Problems,
) {
    let prepared = HistoryInput::prepare(
        &sources.history,
        &sources.config.history_table,
        sources.wait,
        found,
    );
    let open = || match &prepared {
        Ok(history) => history.rows(&sources.history.name, sources.delimiter),
        Err(e) => Err(anyhow::anyhow!("{e:#}")),
    };
    match history::read(
        &sources.history,
        &open,
        territory,
        &sources.config,
        date,
        found,
    ) {
        Ok(h) => {
            headers.extend(h.headers.iter().cloned());
            let file = Arc::clone(&sources.history.name);
            for word in &h.unused_words {
                found.push(
                    Severity::Notice,
                    config_name,
                    None,
                    format!("[outcomes] {word:?} is not used in {file}"),
                );
            }
        }
        Err(e) => structural(found, &format!("{e:#}")),
    }
}

/// What the territory's columns say about the policy.
fn territory_notes(t: &Territory, input: &Input, config: &Config, found: &mut Problems) {
    let file = &input.name;
    if !t
        .headers
        .iter()
        .any(|h| crate::input::column_name(h) == Some("opt_out"))
        && !config
            .columns_for(Kind::Territory)
            .values()
            .any(|c| *c == "opt_out")
    {
        found.push(
            Severity::Notice,
            file,
            None,
            "has no opt_out column: only the history and the do-not-call lists can opt customers out".to_owned(),
        );
    }
    if !t.has_status {
        let message = if config.policy.statuses_configured {
            "has no status column, so existing_statuses does nothing: every account counts as an existing customer"
        } else {
            "has no status column: every account counts as an existing customer"
        };
        let severity = if config.policy.statuses_configured {
            Severity::Warning
        } else {
            Severity::Notice
        };
        found.push(severity, file, None, message.to_owned());
    }
    if t.repeated_rows > 0 {
        found.push(
            Severity::Notice,
            file,
            None,
            format!(
                "{} row(s) repeat an earlier row in every cell; each account is read once",
                t.repeated_rows
            ),
        );
    }
    let sources: Vec<String> = t
        .zone_sources()
        .into_iter()
        .map(|(from, n)| format!("{from} {n}"))
        .collect();
    if !sources.is_empty() {
        found.push(
            Severity::Notice,
            file,
            None,
            format!(
                "accounts by where their zones came from: {}",
                sources.join(", ")
            ),
        );
    }
}

/// Settings that match nothing in the inputs.
fn config_notes(
    config: &Config,
    config_name: &Arc<str>,
    headers: &[Vec<String>; 3],
    lists: &Suppression,
    territory: Option<&Territory>,
    found: &mut Problems,
) {
    // Only when every file was read can a mapping be said to match nothing.
    if territory.is_some() {
        let keys_of =
            |list: &[String]| -> HashSet<String> { list.iter().map(|h| header_key(h)).collect() };
        let every: HashSet<String> = headers.iter().flat_map(|h| keys_of(h)).collect();
        let mut unused: Vec<(&String, &&str)> = config
            .columns
            .iter()
            .filter(|(k, _)| !every.contains(*k))
            .collect();
        unused.sort();
        for (key, column) in unused {
            let written = config.column_headers.get(key).unwrap_or(key);
            found.push(
                Severity::Warning,
                config_name,
                None,
                format!(
                    "[columns] {written:?} = {column:?} does nothing: no input has that header"
                ),
            );
        }
        // A table of one kind of input speaks of that input's headers only.
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            let keys = keys_of(&headers[i]);
            let read = match kind {
                Kind::Territory => true,
                Kind::History => !headers[1].is_empty(),
                Kind::Suppress => !headers[2].is_empty(),
            };
            for (_, key, written, column) in config.own_columns.iter().filter(|c| c.0 == kind) {
                // A history mapping whose column the history has under its
                // own name is for the batches `record --from` reads.
                let for_batches = kind == Kind::History && keys.contains(&header_key(column));
                if read && !keys.contains(key) && !for_batches {
                    found.push(
                        Severity::Warning,
                        config_name,
                        None,
                        format!(
                            "[columns.{}] {written:?} = {column:?} does nothing: the {} has no such header",
                            kind.name(),
                            kind.name()
                        ),
                    );
                }
            }
        }
    }
    if config.default_country.is_none() && !lists.phones.is_empty() {
        found.push(
            Severity::Warning,
            config_name,
            None,
            "default_country is not set: a do-not-call number written with a country code will not match the same number written without one; set default_country".to_owned(),
        );
    }
    if crate::config::is_utc_name(config.office.name()) {
        found.push(
            Severity::Warning,
            config_name,
            None,
            format!(
                "the office zone is {}: calling hours are written in UTC (set timezone to the office's zone, such as \"America/New_York\")",
                config.office.name()
            ),
        );
    }
    if config.policy.ebr_days.is_some() && territory.is_some_and(|t| !t.has_last_order) {
        found.push(
            Severity::Warning,
            config_name,
            None,
            "[eligibility] ebr_days is set but the territory has no last_order column".to_owned(),
        );
    }
}

/// A problem that stopped a file from being read at all; a message of
/// several lines (every problem of the config) is one error per line.
fn structural(found: &mut Problems, message: &str) {
    for line in message.lines() {
        found.push(Severity::Error, &Arc::from(""), None, line.to_owned());
    }
}

/// `FILE:LINE: severity: message`.
fn line(p: &Problem) -> String {
    let severity = p.severity.name();
    if p.file.is_empty() {
        // A whole-file error: its message begins with `FILE:` or `FILE:LINE:`.
        return match split_location(&p.message) {
            Some((location, rest)) => format!("{location}: {severity}: {rest}"),
            None => format!("{severity}: {}", p.message),
        };
    }
    match p.line {
        Some(n) => format!("{}:{n}: {severity}: {}", p.file, p.message),
        None => format!("{}: {severity}: {}", p.file, p.message),
    }
}

/// Splits `a.csv:12: text` or `a.csv: text` into location and text.
fn split_location(message: &str) -> Option<(&str, &str)> {
    let (location, rest) = message.split_once(": ")?;
    (!location.contains(' ') && !location.is_empty()).then_some((location, rest))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
