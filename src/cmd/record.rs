//! `callqueue record`: appends what happened on a call (or a dialer's whole
//! export) to the history, so that tomorrow's queue honours it.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::UsageError;
use crate::append::{self, NewAttempt};
use crate::cli::RecordArgs;
use crate::config::Config;
use crate::dataset::DEFAULT_WAIT;
use crate::datetime::{Nanos, Office};
use crate::domain::Outcome;
use crate::history::{self, OutcomeWords, RowReader};
use crate::input::{self, Input, Row, shown, text};
use crate::territory;

pub fn run(args: &RecordArgs) -> Result<()> {
    let config = Config::load(args.config.as_deref())?;
    let path: PathBuf = args
        .history
        .clone()
        .or_else(|| config.history.clone())
        .ok_or_else(|| {
            UsageError(format!(
                "no history given: pass --history FILE, or set history = \"FILE\" in {}",
                config.name()
            ))
        })?;
    if path.as_os_str() == "-" {
        return Err(
            UsageError("record appends to a file; --history cannot be -".to_owned()).into(),
        );
    }
    let rows = match &args.from {
        Some(from) => read_batch(&Input::new(from), &config, args.delimiter)?,
        None => vec![single(args, &config)?],
    };
    if !args.quiet {
        warn_unknown_accounts(&rows, args, &config);
    }
    let wait = args.wait.map_or(DEFAULT_WAIT, Duration::from_secs);
    let appended = append::append(&path, &rows, &config, args.delimiter, wait)?;
    if !args.quiet {
        let mut err = std::io::stderr().lock();
        if let Some(recovered) = &appended.recovered {
            let _ = writeln!(
                err,
                "callqueue: warning: {}: {}",
                path.display(),
                recovered.describe()
            );
        }
        let what = match (rows.as_slice(), appended.rows) {
            ([row], 1) => format!(
                "recorded {} {} at {}",
                row.account_id,
                row.outcome.name(),
                history::rfc3339(row.at, config.office)
            ),
            (_, n) => format!("recorded {n} attempt(s)"),
        };
        let line = format!(
            "{what} in {}{}",
            path.display(),
            if appended.created { " (new file)" } else { "" }
        );
        // The line quotes an account id from the data.
        let _ = writeln!(err, "callqueue: {}", crate::output::terminal_safe(&line));
    }
    Ok(())
}

/// The one attempt described by the arguments.
fn single(args: &RecordArgs, config: &Config) -> Result<NewAttempt> {
    let id = args.account_id.as_deref().unwrap_or_default().trim();
    if id.is_empty() {
        bail!("the account id is empty");
    }
    let word = args.outcome.as_deref().unwrap_or_default();
    let mut words = OutcomeWords::new(config);
    let Some(outcome) = words.read(word.as_bytes()) else {
        bail!(
            "outcome {word:?} is not known; use one of: {} (or map it in [outcomes] of {})",
            words.accepted(),
            config.name()
        );
    };
    let mut office = Office::new(config.office);
    let at = match &args.at {
        Some(at) => moment(&mut office, "--at", at)?,
        // Now, to the second: a log needs no more.
        None => chrono::Utc::now().timestamp() * 1_000_000_000,
    };
    let callback_at = match (outcome, &args.callback_at) {
        (Outcome::Callback, Some(t)) => Some(moment(&mut office, "--callback-at", t)?),
        (Outcome::Callback, None) => {
            bail!(
                "a callback needs --callback-at: when did the customer ask to be called? (e.g. --callback-at \"2026-11-26 10:00\")"
            )
        }
        (_, Some(_)) => bail!(
            "--callback-at goes with the callback outcome, not {}",
            outcome.name()
        ),
        (_, None) => None,
    };
    Ok(NewAttempt {
        account_id: id.to_owned(),
        at,
        outcome,
        callback_at,
        rep: args.rep.clone().unwrap_or_default(),
        note: args.note.clone().unwrap_or_default(),
    })
}

fn moment(office: &mut Office, flag: &str, text: &str) -> Result<Nanos> {
    office
        .parse_stamp(text.as_bytes())
        .map(|s| s.at)
        .map_err(|e| anyhow::anyhow!("{flag} {text:?} {e}"))
}

/// Every row of a history-format file, checked: any bad row fails the whole
/// batch, with each problem listed.
fn read_batch(input: &Input, config: &Config, delimiter: u8) -> Result<Vec<NewAttempt>> {
    let file = &input.name;
    let mut reader = input::CsvReader::new(input.open()?, delimiter);
    let headers = input::read_headers(file, &mut reader)?;
    let mut rows = RowReader::for_header(file, &headers, config)?;
    let mut record = Row::default();
    let mut batch = Vec::new();
    let mut problems = Vec::new();
    while input::next_row(file, &mut reader, &mut record)? {
        let entry = rows.read(&record);
        let id = match text(entry.id) {
            Some(id) if !id.is_empty() => id.to_owned(),
            Some(_) => {
                problems.push(format!("{file}:{}: no account_id", entry.line));
                continue;
            }
            None => {
                problems.push(format!(
                    "{file}:{}: account_id {:?} is not valid UTF-8",
                    entry.line,
                    shown(entry.id)
                ));
                continue;
            }
        };
        match entry.attempt {
            Ok(attempt) => batch.push(NewAttempt {
                account_id: id,
                at: attempt.at,
                outcome: attempt.outcome,
                callback_at: attempt.callback.map(|c| c.at),
                rep: String::from_utf8_lossy(rows.cell(&record, "rep")).into_owned(),
                note: String::from_utf8_lossy(rows.cell(&record, "note")).into_owned(),
            }),
            Err(message) => problems.push(format!("{file}:{}: {message}", entry.line)),
        }
    }
    if !problems.is_empty() {
        let mut err = std::io::stderr().lock();
        for p in &problems {
            let _ = writeln!(err, "callqueue: {p}");
        }
        bail!(
            "{file}: {} row(s) cannot be read (listed above); nothing appended",
            problems.len()
        );
    }
    Ok(batch)
}

/// Says so when an account is not in the territory (a mistyped id would
/// otherwise record an opt-out against nobody). The rows are appended
/// all the same: nothing a customer asked for is dropped.
fn warn_unknown_accounts(rows: &[NewAttempt], args: &RecordArgs, config: &Config) {
    let Some(path) = args.territory.clone().or_else(|| config.territory.clone()) else {
        return;
    };
    let input = Input::new(&path);
    if input.is_stdin() {
        return;
    }
    let mut err = std::io::stderr().lock();
    match territory::read_ids(&input, config, args.delimiter) {
        Ok(ids) => {
            let mut unknown: Vec<&str> = rows
                .iter()
                .map(|r| r.account_id.as_str())
                .filter(|id| !ids.contains(*id))
                .collect();
            unknown.sort_unstable();
            unknown.dedup();
            if !unknown.is_empty() {
                let shown: Vec<String> =
                    unknown.iter().take(5).map(|id| format!("{id:?}")).collect();
                let _ = writeln!(
                    err,
                    "callqueue: warning: {} account(s) not in {} ({}{}); recorded anyway, check the id",
                    unknown.len(),
                    input.name,
                    shown.join(", "),
                    if unknown.len() > 5 { ", ..." } else { "" }
                );
            }
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "callqueue: warning: cannot check the account id against the territory: {e:#}"
            );
        }
    }
}
