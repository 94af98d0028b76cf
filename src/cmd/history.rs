//! `callqueue history`: the PostgreSQL history's set-up (`init`), loading
//! a CSV history into it (`import`) and writing it back out (`export`).

use std::io::Write;

use anyhow::{Result, bail};

use crate::UsageError;
use crate::cli::{DatabaseArgs, ExportArgs, HistoryCommand, ImportArgs};
use crate::config::Config;
use crate::history::{HEADER, RowReader};
use crate::input::{self, Input, Row, shown, text};
use crate::output::say;
use crate::pg::{self, Server};

pub fn run(command: &HistoryCommand) -> Result<()> {
    match command {
        HistoryCommand::Init(args) => init(args),
        HistoryCommand::Import(args) => import(args),
        HistoryCommand::Export(args) => export(args),
    }
}

/// The config, and the database history it (or `--history`) names.
fn server(args: &DatabaseArgs) -> Result<(Config, Server)> {
    let config = Config::load(args.config.as_deref())?;
    let history = args.history.clone().or_else(|| config.history.clone());
    match history.as_ref().and_then(|p| p.to_str()) {
        Some(uri) if pg::uri::is_uri(uri) => {
            let server = Server::new(uri, &config.history_table)?;
            Ok((config, server))
        }
        Some(_) => Err(UsageError(format!(
            "the history is a file; `callqueue history` works on a PostgreSQL history: pass --history postgresql://user@host/database, or set history to one in {}",
            config.name()
        ))
        .into()),
        None => Err(UsageError(format!(
            "no history given: pass --history postgresql://user@host/database, or set history in {}",
            config.name()
        ))
        .into()),
    }
}

fn init(args: &DatabaseArgs) -> Result<()> {
    let (_, server) = server(args)?;
    let created = server.init()?;
    let what = if created {
        "created"
    } else {
        "is already there (nothing changed)"
    };
    say(&format!(
        "table {} {what} at {}",
        server.table_shown, server.place
    ));
    Ok(())
}

/// Loads every row of a CSV history as the file holds it, so that the
/// table reads as the file read (a row the rules cannot read keeps its
/// account out of the queue there too). All or nothing.
fn import(args: &ImportArgs) -> Result<()> {
    let (config, server) = server(&args.database)?;
    let input = Input::new(&args.file);
    let file = &input.name;
    let mut reader = input::CsvReader::new(input.open()?, args.delimiter);
    let headers = input::read_headers(file, &mut reader)?;
    let mut rows = RowReader::for_header(file, &headers, &config)?;
    let inserted = server.insert(|sink| {
        let mut record = Row::default();
        while input::next_row(file, &mut reader, &mut record)? {
            let mut cells = [""; 8];
            for (cell, column) in cells.iter_mut().zip(HEADER) {
                let raw = rows.cell(&record, column);
                let Ok(value) = std::str::from_utf8(raw) else {
                    bail!(
                        "{file}:{}: {column} {:?} is not valid UTF-8; nothing imported: save the file as UTF-8, then import again",
                        record.line,
                        shown(raw)
                    );
                };
                *cell = value;
            }
            let entry = rows.read(&record);
            let id = text(entry.id).unwrap_or_default();
            let read = entry
                .attempt
                .as_ref()
                .ok()
                .map(|a| (a.at, a.outcome.name()));
            sink.push(&cells, &pg::call_key(id, read, &cells))?;
        }
        Ok(())
    })?;
    say(&format!(
        "imported {} call(s) from {file} into {} at {}; {} already there (skipped)",
        inserted.added,
        server.table_shown,
        server.place,
        inserted.offered - inserted.added
    ));
    Ok(())
}

fn export(args: &ExportArgs) -> Result<()> {
    let (_, server) = server(&args.database)?;
    match &args.output {
        Some(path) => crate::output::write_atomic(path, |out| server.export(out)),
        None => {
            let mut out = std::io::stdout().lock();
            server.export(&mut out)?;
            out.flush()?;
            Ok(())
        }
    }
}
