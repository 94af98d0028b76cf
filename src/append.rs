//! Appending to the history (`callqueue record`): whole rows or none, in
//! the file's own columns, never into a quote left open, and never torn by
//! a kill or a power loss (the rollback journal, `journal.rs`).

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::datetime::Nanos;
use crate::domain::Outcome;
use crate::history::{HEADER, OPTIONAL, REQUIRED, RowReader, rfc3339};
use crate::input::{self, Wanted};
use crate::journal::{self, Journal, Recovered};

/// One attempt to append, in the form `record` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttempt {
    pub account_id: String,
    pub at: Nanos,
    pub outcome: Outcome,
    pub callback_at: Option<Nanos>,
    pub rep: String,
    pub note: String,
    /// The number called, normalised; empty when not known.
    pub phone: String,
    /// The outcome word as the dialer or CRM wrote it, when it is not
    /// the outcome's own name; empty otherwise.
    pub disposition: String,
}

/// What an append did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub rows: usize,
    /// Rows left out: the history holds their call already (or the batch
    /// did, a row before).
    pub skipped: usize,
    /// The file was new (or empty) and got a header.
    pub created: bool,
    /// What an earlier, interrupted append had left and was undone first.
    pub recovered: Option<Recovered>,
}

/// Appends `rows` to the history at `path`, creating it with a header if it
/// is missing or empty. The file is locked for the whole append (waiting
/// at most `wait` for another writer); an interrupted earlier append is
/// undone first; a history that ends inside an open quote is refused; the
/// rows are written whole, in the columns of the file's own header, each
/// on one line, and are on disk before this returns. On any failure the
/// file is as it was. With `skip_known`, a row whose call is in the history
/// already (the same account, moment and outcome) is left out.
pub fn append(
    path: &Path,
    rows: &[NewAttempt],
    config: &Config,
    delimiter: u8,
    wait: Duration,
    skip_known: bool,
) -> Result<Appended> {
    let name = path.display().to_string();
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| {
            format!(
                "{name}: cannot open the history for appending (check the path and permissions)"
            )
        })?;
    if !journal::lock(&file, true, wait, &name)? {
        bail!("{name}: cannot lock the history (its file system has no locks); nothing appended");
    }
    let recovered = journal::recover(path, &mut file)?;
    let len = file
        .metadata()
        .with_context(|| format!("{name}: cannot be read"))?
        .len();
    let mut out = Vec::new();
    let (columns, crlf) = if len == 0 {
        (HEADER.iter().map(|h| (*h).to_owned()).collect(), false)
    } else {
        let (headers, crlf) = read_head(&mut file, &name, delimiter)?;
        refuse_open_quote(&mut file, &name, delimiter)?;
        if last_byte(&mut file, &name)? != b'\n' {
            // Edited by hand without a final newline: end that row first.
            out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
        (headers, crlf)
    };
    let given = rows.len();
    let fresh: Vec<NewAttempt>;
    let rows = if skip_known {
        let known = if len == 0 {
            HashSet::new()
        } else {
            calls_in(&mut file, &name, &columns, rows, config, delimiter)?
        };
        let mut seen = HashSet::new();
        fresh = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                !known.contains(i) && seen.insert((r.account_id.as_str(), r.at, r.outcome))
            })
            .map(|(_, r)| r.clone())
            .collect();
        &fresh[..]
    } else {
        rows
    };
    let skipped = given - rows.len();
    if rows.is_empty() {
        return Ok(Appended {
            rows: 0,
            skipped,
            created: false,
            recovered,
        });
    }
    write_rows(
        &mut out,
        &name,
        &columns,
        len == 0,
        crlf,
        rows,
        config,
        delimiter,
    )?;
    let journal = Journal::begin(path, len, &out)?;
    let written = file
        .write_all(&out)
        .and_then(|()| file.sync_data())
        .with_context(|| format!("{name}: cannot be written; nothing appended"));
    if let Err(e) = written {
        // Never leave half a row behind; if even that fails, the journal
        // stays for the next command to finish the job.
        if file.set_len(len).and_then(|()| file.sync_data()).is_ok() {
            let _ = journal.commit();
        }
        return Err(e);
    }
    journal.commit()?;
    Ok(Appended {
        rows: rows.len(),
        skipped,
        created: len == 0,
        recovered,
    })
}

/// The rows as the history's own header lays them out (with the header
/// itself for a new file), each cell on one line.
#[allow(clippy::too_many_arguments)]
fn write_rows(
    out: &mut Vec<u8>,
    name: &str,
    columns: &[String],
    with_header: bool,
    crlf: bool,
    rows: &[NewAttempt],
    config: &Config,
    delimiter: u8,
) -> Result<()> {
    let matched = input::match_columns(
        name,
        columns,
        Wanted {
            required: REQUIRED,
            optional: OPTIONAL,
            keep: &[],
        },
        config.columns_for(crate::input::Kind::History),
    )
    .map_err(|e| {
        anyhow::anyhow!("{e:#}").context(format!("{name}: is not a call history; nothing appended"))
    })?;
    if rows.iter().any(|r| r.callback_at.is_some()) && !matched.has("callback_at") {
        bail!(
            "{name}: has no callback_at column, so a callback cannot be recorded; add the column to its header"
        );
    }
    let office = config.office;
    let mut w = crate::output::csv_writer_like(out, delimiter, crlf);
    if with_header {
        w.write_record(columns)?;
    }
    let at = |n: Nanos| rfc3339(n, office);
    for row in rows {
        let mut cells = vec![String::new(); columns.len()];
        let mut put = |column: &str, value: &str| {
            if let Some(i) = matched.get(column) {
                cells[i] = one_line(value);
            }
        };
        put("account_id", &row.account_id);
        put("at", &at(row.at));
        put("outcome", row.outcome.name());
        put("callback_at", &row.callback_at.map(at).unwrap_or_default());
        put("rep", &row.rep);
        put("note", &row.note);
        put("phone", &row.phone);
        put("disposition", &row.disposition);
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

/// An account id as the history holds it and reads it back: on one line
/// (`one_line`), trimmed. What `record` checks, compares and writes, so
/// that an id made only of control characters is no id, and a call
/// recorded again is known whatever control characters its id carried.
pub fn written_id(id: &str) -> String {
    one_line(id).trim_ascii().to_owned()
}

/// A cell on one line: each run of line breaks (and other control
/// characters) becomes one space, so that every row of the history is one
/// line and no quoted field runs across lines.
pub fn one_line(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut in_break = false;
    for c in cell.chars() {
        let breaks = c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
        if breaks {
            if !in_break {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        in_break = breaks;
    }
    out
}

/// Fails when the history ends inside a quoted field: rows appended there
/// would be read as part of it.
fn refuse_open_quote(file: &mut File, name: &str, delimiter: u8) -> Result<()> {
    file.seek(SeekFrom::Start(0))
        .with_context(|| format!("{name}: cannot be read"))?;
    let open = input::open_quote_at_end(&mut *file, delimiter)
        .with_context(|| format!("{name}: cannot be read"))?;
    if let Some(line) = open {
        bail!(
            "{name}:{line}: a quoted field opens on this line and is never closed, so rows appended \
             after it would be read as part of it; nothing appended: close the quote (a quote inside \
             a quoted field is written twice: \"\"), then record again"
        );
    }
    Ok(())
}

/// Which of `rows` (by index) the history at `file` holds already: each
/// history row read as `build` reads it, and matched when its account,
/// moment and outcome are a row's.
fn calls_in(
    file: &mut File,
    name: &str,
    columns: &[String],
    rows: &[NewAttempt],
    config: &Config,
    delimiter: u8,
) -> Result<HashSet<usize>> {
    let mut wanted: HashMap<(Nanos, Outcome), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        wanted.entry((r.at, r.outcome)).or_default().push(i);
    }
    file.seek(SeekFrom::Start(0))
        .with_context(|| format!("{name}: cannot be read"))?;
    let mut reader = input::CsvReader::new(std::io::BufReader::new(&mut *file), delimiter);
    input::read_headers(name, &mut reader)?;
    let mut read = RowReader::for_header(name, columns, config)?;
    let mut record = input::Row::default();
    let mut known = HashSet::new();
    while input::next_row(name, &mut reader, &mut record)? {
        let entry = read.read(&record);
        if let Ok(attempt) = &entry.attempt
            && let Some(same) = wanted.get(&(attempt.at, attempt.outcome))
        {
            known.extend(
                same.iter()
                    .filter(|&&i| rows[i].account_id.as_bytes() == entry.id),
            );
        }
    }
    Ok(known)
}

/// The header of an existing history, and whether its lines end in CRLF.
/// The header is read whole, however long: a row written after a header
/// read in part would have too few cells for it.
fn read_head(file: &mut File, name: &str, delimiter: u8) -> Result<(Vec<String>, bool)> {
    /// A header longer than this is no history's.
    const LONGEST: usize = 16 * 1024 * 1024;
    file.seek(SeekFrom::Start(0))
        .with_context(|| format!("{name}: cannot be read"))?;
    let mut lines = std::io::BufReader::new(&mut *file);
    let mut head = Vec::new();
    let mut quotes = 0usize;
    // Line after line until no quote is left open (a header cell may hold
    // a quoted line break).
    loop {
        let from = head.len();
        let read = lines
            .read_until(b'\n', &mut head)
            .with_context(|| format!("{name}: cannot be read"))?;
        quotes += head[from..].iter().filter(|&&b| b == b'"').count();
        if read == 0 || quotes.is_multiple_of(2) {
            break;
        }
        if head.len() > LONGEST {
            bail!(
                "{name}:1: the header runs on for more than 16 MiB with a quote left open; close the quote in the header"
            );
        }
    }
    let crlf = head.ends_with(b"\r\n");
    let mut reader = input::CsvReader::new(&head[..], delimiter);
    let headers = input::read_headers(name, &mut reader)?;
    Ok((headers, crlf))
}

fn last_byte(file: &mut File, name: &str) -> Result<u8> {
    let mut byte = [0u8; 1];
    file.seek(SeekFrom::End(-1))
        .and_then(|_| file.read_exact(&mut byte))
        .with_context(|| format!("{name}: cannot be read"))?;
    Ok(byte[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_written_on_one_line() {
        assert_eq!(one_line("rang out, twice"), "rang out, twice");
        assert_eq!(one_line("first\nsecond\r\nthird"), "first second third");
        assert_eq!(one_line("a\u{2028}b\u{0085}c\td"), "a b c d");
        assert_eq!(one_line("\n"), " ");
        assert_eq!(one_line(""), "");
    }
}
