//! `callqueue record`: appends what happened on a call (or a dialer's whole
//! export) to the history, so that tomorrow's queue honours it.

use std::collections::HashMap;
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
use crate::output::say;
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
    let mut rows = match &args.from {
        Some(from) => read_batch(&Input::new(from), &config, args.delimiter)?,
        None => vec![single(args, &config)?],
    };
    if let Some((territory, phones)) = territory_phones(args, &config) {
        if !args.quiet {
            warn_unknown_accounts(&rows, &phones, &territory);
        }
        // The number called, where the row does not say: the account's.
        for row in rows.iter_mut().filter(|r| r.phone.is_empty()) {
            row.phone = phones.get(&row.account_id).cloned().unwrap_or_default();
        }
    }
    if let Some(uri) = path.to_str().filter(|p| crate::pg::uri::is_uri(p)) {
        return record_in_table(uri, &rows, &config, args.quiet);
    }
    let wait = args.wait.map_or(DEFAULT_WAIT, Duration::from_secs);
    let appended = append::append(
        &path,
        &rows,
        &config,
        args.delimiter,
        wait,
        args.from.is_some(),
    )?;
    if !args.quiet {
        if let Some(recovered) = &appended.recovered {
            say(&format!(
                "warning: {}: {}",
                path.display(),
                recovered.describe()
            ));
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
        let skipped = match appended.skipped {
            0 => String::new(),
            n => format!(
                "; skipped {n} row(s) whose call is there already (the same account, time and outcome)"
            ),
        };
        // The line quotes an account id from the data.
        say(&format!(
            "{what} in {}{}{skipped}",
            path.display(),
            if appended.created { " (new file)" } else { "" }
        ));
    }
    Ok(())
}

/// The one attempt described by the arguments.
fn single(args: &RecordArgs, config: &Config) -> Result<NewAttempt> {
    let id = crate::append::written_id(args.account_id.as_deref().unwrap_or_default());
    if id.is_empty() {
        bail!("the account id is empty (or only spaces and control characters)");
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
    let mut office = Office::with_formats(config.office, &config.at_formats);
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
        account_id: id,
        at,
        outcome,
        callback_at,
        rep: args.rep.clone().unwrap_or_default(),
        note: args.note.clone().unwrap_or_default(),
        phone: match &args.phone {
            Some(cell) => config
                .phones
                .normalise(cell)
                .map_err(|why| anyhow::anyhow!("--phone {cell:?} {why}"))?
                .as_str()
                .to_owned(),
            None => String::new(),
        },
        disposition: disposition(word, outcome),
    })
}

/// The word as written, when it is not the outcome's own name in some
/// spelling (`No Answer`) but a word mapped onto it (`Left VM`, `busy`):
/// kept in the history beside the outcome it was read as.
fn disposition(word: &str, outcome: Outcome) -> String {
    let word = word.trim();
    if crate::domain::word_key(word) == crate::domain::word_key(outcome.name()) {
        String::new()
    } else {
        word.to_owned()
    }
}

/// A time given on the command line; one that cannot be read is a usage
/// mistake (exit 2), as a bad `--date` is.
fn moment(office: &mut Office, flag: &str, text: &str) -> Result<Nanos> {
    office
        .parse_stamp(text.as_bytes())
        .map(|s| s.at)
        .map_err(|e| UsageError(format!("{flag} {text:?} {e}")).into())
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
        let id = match text(entry.id).map(crate::append::written_id) {
            Some(id) if !id.is_empty() => id,
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
                phone: text(rows.cell(&record, "phone"))
                    .and_then(|cell| config.phones.normalise(cell).ok())
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default(),
                disposition: match text(rows.cell(&record, "disposition")).map(str::trim) {
                    Some(own) if !own.is_empty() => own.to_owned(),
                    _ => disposition(
                        &String::from_utf8_lossy(rows.cell(&record, "outcome")),
                        attempt.outcome,
                    ),
                },
            }),
            Err(message) => problems.push(format!("{file}:{}: {message}", entry.line)),
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            say(p);
        }
        bail!(
            "{file}: {} row(s) cannot be read (listed above); nothing appended",
            problems.len()
        );
    }
    Ok(batch)
}

/// The territory's ids and phones, when there is a territory to read;
/// a warning (and `None`) when it cannot be read.
fn territory_phones(
    args: &RecordArgs,
    config: &Config,
) -> Option<(String, HashMap<String, String>)> {
    let path = args
        .territory
        .clone()
        .or_else(|| config.territory.clone())?;
    let input = Input::new(&path);
    if input.is_stdin() {
        return None;
    }
    match territory::read_phones(&input, config, args.delimiter) {
        Ok(phones) => Some((input.name.to_string(), phones)),
        Err(e) => {
            if !args.quiet {
                say(&format!(
                    "warning: cannot check the account id against the territory: {e:#}"
                ));
            }
            None
        }
    }
}

/// Says so when an account is not in the territory (a mistyped id would
/// otherwise record an opt-out against nobody). The rows are appended
/// all the same: nothing a customer asked for is dropped.
fn warn_unknown_accounts(rows: &[NewAttempt], ids: &HashMap<String, String>, territory: &str) {
    let mut unknown: Vec<&str> = rows
        .iter()
        .map(|r| r.account_id.as_str())
        .filter(|id| !ids.contains_key(*id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    if unknown.is_empty() {
        return;
    }
    let shown: Vec<String> = unknown
        .iter()
        .take(5)
        .map(
            |id| match crate::loose::near_misses(id, ids.keys().map(String::as_str)).as_slice() {
                [] => format!("{id:?}"),
                near => format!("{id:?}: did you mean {}?", near.join(" or ")),
            },
        )
        .collect();
    // The near misses are the territory's ids, as the data spells them.
    say(&format!(
        "warning: {} account(s) not in {territory} ({}{}); recorded anyway, check the id",
        unknown.len(),
        shown.join(", "),
        if unknown.len() > 5 { ", ..." } else { "" }
    ));
}

/// Records the rows in a PostgreSQL history, in one transaction; calls
/// already there are skipped, and said so.
fn record_in_table(uri: &str, rows: &[NewAttempt], config: &Config, quiet: bool) -> Result<()> {
    let server = crate::pg::Server::new(uri, &config.history_table)?;
    let inserted = server.insert(|sink| {
        for row in rows {
            let (cells, key) = crate::pg::attempt_cells(row, config.office);
            sink.push(&cells.each_ref().map(String::as_str), &key)?;
        }
        Ok(())
    })?;
    if !quiet {
        let skipped = inserted.offered - inserted.added;
        let what = match (rows, inserted.added) {
            ([row], 1) => format!(
                "recorded {} {} at {}",
                row.account_id,
                row.outcome.name(),
                history::rfc3339(row.at, config.office)
            ),
            ([row], _) => format!(
                "{} {} at {} is already recorded; nothing added",
                row.account_id,
                row.outcome.name(),
                history::rfc3339(row.at, config.office)
            ),
            (_, n) => format!("recorded {n} attempt(s); {skipped} already there (skipped)"),
        };
        say(&format!(
            "{what} in {} ({})",
            server.shown, server.table_shown
        ));
    }
    Ok(())
}
