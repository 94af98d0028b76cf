//! A history in a PostgreSQL table, for a team that outgrew one file: the
//! connection (password from `PGPASSWORD` or `~/.pgpass`, TLS as `sslmode`
//! asks), the table's shape, its rows read as a CSV stream (so that every
//! check of a history file applies unchanged), and rows written in one
//! transaction. Data always travels as bound parameters or COPY data; the
//! only names put into SQL are the table's, checked in the config and
//! quoted here.

pub mod pgpass;
mod tls;
pub mod uri;

use std::io::{Read, Write};
use std::path::PathBuf;

use futures_util::StreamExt;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Result, anyhow};
use postgres::error::SqlState;
use postgres::{Client, NoTls};

use crate::append::{NewAttempt, one_line};
use crate::history::{HEADER, rfc3339};
use uri::SslMode;

/// The history's columns as the table holds them, in the file's order.
const COLUMNS: &str = "account_id, at, outcome, callback_at, rep, note, disposition, phone";

/// How long to wait for a server that does not answer, unless the URI
/// says (`connect_timeout`).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A PostgreSQL history: where it is and which table.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URI as messages show it: no password.
    pub shown: String,
    /// `host:port/database`, for messages.
    pub place: String,
    /// The table as written in the config, for messages.
    pub table_shown: String,
    /// The table's name, quoted, for SQL.
    table: String,
    /// The unique index's name, quoted (in the table's schema).
    index: String,
    user: String,
    config: postgres::Config,
    /// The same settings, for the history's reading (see `Snapshot`).
    async_config: tokio_postgres::Config,
    tls: tls::Connector,
}

impl Server {
    /// The history at `uri`, in `table` (a name the config checked:
    /// `name` or `schema.name`, letters, digits and `_`).
    pub fn new(uri: &str, table: &str) -> Result<Server> {
        let shown = uri::redacted(uri);
        // libpq's places for the root certificates, after the URI's.
        let default_roots = std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".postgresql").join("root.crt"));
        let (plain, settings) =
            uri::split_tls(uri, std::env::var("PGSSLROOTCERT").ok(), default_roots)
                .map_err(|e| anyhow!("{shown}: {e}"))?;
        let mut config: tokio_postgres::Config = plain.parse().map_err(|e| {
            anyhow!(
                "{shown}: is not a PostgreSQL URI ({e}); write it as postgresql://user@host:port/database"
            )
        })?;
        config.ssl_mode(match settings.mode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        });
        let tls = tls::Connector::new(&settings).map_err(|e| anyhow!("{shown}: {e}"))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let user = match config.get_user() {
            Some(user) => user.to_owned(),
            None => {
                let user = std::env::var("PGUSER")
                    .or_else(|_| std::env::var("USER"))
                    .unwrap_or_else(|_| "postgres".to_owned());
                config.user(&user);
                user
            }
        };
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => "localhost".to_owned(),
        };
        if config.get_hosts().is_empty() {
            config.host("localhost");
        }
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let database = config.get_dbname().unwrap_or(&user).to_owned();
        if config.get_password().is_none() {
            let password = std::env::var("PGPASSWORD").ok().or_else(|| {
                // libpq matches a socket connection as `localhost`.
                let host = if host.starts_with('/') {
                    "localhost"
                } else {
                    &host
                };
                let mut warning = None;
                let found = pgpass::lookup(
                    &pgpass::Wanted {
                        host,
                        port: &port.to_string(),
                        database: &database,
                        user: &user,
                    },
                    &mut warning,
                );
                if let Some(warning) = warning {
                    crate::output::say(&format!("warning: {warning}"));
                }
                found
            });
            if let Some(password) = password {
                config.password(password);
            }
        }
        let (schema, name) = match table.split_once('.') {
            Some((schema, name)) => (Some(schema), name),
            None => (None, table),
        };
        let quoted = |s: &str| format!("\"{s}\"");
        Ok(Server {
            shown,
            place: format!("{host}:{port}/{database}"),
            table_shown: table.to_owned(),
            table: match schema {
                Some(schema) => format!("{}.{}", quoted(schema), quoted(name)),
                None => quoted(name),
            },
            index: quoted(&format!("{name}_call")),
            user,
            config: postgres::Config::from(config.clone()),
            async_config: config,
            tls,
        })
    }

    /// A connection, or an error that says what to do.
    pub fn connect(&self) -> Result<Client> {
        let connected = match &self.tls.0 {
            None => self.config.connect(NoTls),
            Some(tls) => self.config.connect(tls.clone()),
        };
        connected.map_err(|e| self.error(&e, Doing::Connecting))
    }

    /// One line for a failure: where, and what to do.
    fn error(&self, e: &postgres::Error, doing: Doing) -> anyhow::Error {
        let (shown, place, user) = (&self.shown, &self.place, &self.user);
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                && db.message().contains("pg_hba.conf")
            {
                let what = if db.message().contains("no encryption") {
                    "it takes TLS connections only: set sslmode=require (or verify-full) in `history`"
                } else {
                    "ask its administrator to let this host, user and database in (pg_hba.conf)"
                };
                return anyhow!(
                    "{shown}: the server at {place} does not let user {user:?} in from here ({}): {what}",
                    db.message()
                );
            }
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                return anyhow!(
                    "{shown}: the server at {place} refused the password of user {user:?} ({}): \
                     set PGPASSWORD or add the host to ~/.pgpass (host:port:database:user:password, chmod 600)",
                    db.message()
                );
            }
            if *code == SqlState::INVALID_CATALOG_NAME {
                return anyhow!(
                    "{shown}: the server at {place} has no such database ({}): create it (createdb) or check the database in `history`",
                    db.message()
                );
            }
            if *code == SqlState::UNDEFINED_TABLE {
                return anyhow!(
                    "{shown}: table {} does not exist at {place}: run `callqueue history init`",
                    self.table_shown
                );
            }
            if *code == SqlState::ADMIN_SHUTDOWN || *code == SqlState::CRASH_SHUTDOWN {
                return anyhow!(
                    "{shown}: the server at {place} closed the connection {} ({}): {}",
                    doing.while_(),
                    db.message(),
                    doing.then()
                );
            }
            return anyhow!(
                "{shown}: the server at {place} says, {}: {}: {}",
                doing.while_(),
                db.message(),
                doing.then()
            );
        }
        let cause = cause_of(e);
        if cause.contains("password missing") {
            return anyhow!(
                "{shown}: the server at {place} asks user {user:?} for a password: \
                 set PGPASSWORD or add the host to ~/.pgpass (host:port:database:user:password, chmod 600)"
            );
        }
        if matches!(doing, Doing::Connecting) && cause.contains("TLS") {
            let what = if cause.contains("UnknownIssuer") {
                "give the certificate of the authority that signed the server's as \
                 sslrootcert=FILE in `history` (or PGSSLROOTCERT)"
            } else if cause.contains("not valid for name") {
                "use a host name the certificate names in `history`, or sslmode=verify-ca \
                 to check its authority only"
            } else {
                "check sslmode in `history` and the server's TLS settings"
            };
            return anyhow!("{shown}: TLS to the server at {place} failed ({cause}): {what}");
        }
        match doing {
            Doing::Connecting => anyhow!(
                "{shown}: cannot reach the PostgreSQL server at {place} ({cause}): \
                 start the server, or check the host and port in `history`"
            ),
            _ => anyhow!(
                "{shown}: the connection to the server at {place} was lost {} ({cause}): {}",
                doing.while_(),
                doing.then()
            ),
        }
    }

    fn sql_error(&self, doing: Doing) -> impl Fn(postgres::Error) -> anyhow::Error + '_ {
        move |e| self.error(&e, doing)
    }

    /// Creates the table and its index where missing; true when the table
    /// was created.
    pub fn init(&self) -> Result<bool> {
        let mut client = self.connect()?;
        let fail = self.sql_error(Doing::Writing);
        let existed: Option<String> = client
            .query_one("SELECT to_regclass($1)::text", &[&self.table])
            .map_err(&fail)?
            .get(0);
        let (table, index) = (&self.table, &self.index);
        // `seq` keeps the order rows arrived in, so that the table reads
        // back in the order a file would hold them; `call_key` is the
        // call (account, instant, outcome): a call recorded twice is
        // there once, whoever wrote it.
        client
            .batch_execute(&format!(
                "CREATE TABLE IF NOT EXISTS {table} (
                    seq bigserial PRIMARY KEY,
                    account_id text NOT NULL,
                    at text NOT NULL,
                    outcome text NOT NULL,
                    callback_at text NOT NULL DEFAULT '',
                    rep text NOT NULL DEFAULT '',
                    note text NOT NULL DEFAULT '',
                    disposition text NOT NULL DEFAULT '',
                    phone text NOT NULL DEFAULT '',
                    call_key text NOT NULL,
                    recorded_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE UNIQUE INDEX IF NOT EXISTS {index} ON {table} (call_key);"
            ))
            .map_err(&fail)?;
        Ok(existed.is_none())
    }

    /// A consistent view of the table for one command: every pass over
    /// the rows sees the same rows, whatever is recorded meanwhile. Two
    /// connections read it, in one snapshot: the server's work for each
    /// row is most of a read's time, and two of them share it over the
    /// server's cores.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let first = self.reading_connection()?;
        let fail = self.sql_error(Doing::Reading);
        let table = &self.table;
        let (exported, seqs) = first.runtime.block_on(async {
            first
                .client
                .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await
                .map_err(&fail)?;
            // A missing table is named now, before any reading starts.
            first
                .client
                .batch_execute(&format!("SELECT 1 FROM {table} LIMIT 0"))
                .await
                .map_err(&fail)?;
            let row = first
                .client
                .query_one(
                    &format!(
                        "SELECT pg_export_snapshot(), (SELECT min(seq) FROM {table}), \
                         (SELECT max(seq) FROM {table})"
                    ),
                    &[],
                )
                .await
                .map_err(&fail)?;
            let exported: String = row.try_get(0).map_err(&fail)?;
            let lowest: Option<i64> = row.try_get(1).map_err(&fail)?;
            let highest: Option<i64> = row.try_get(2).map_err(&fail)?;
            Ok::<_, anyhow::Error>((exported, lowest.zip(highest)))
        })?;
        let mut readings = vec![Arc::new(Mutex::new(first))];
        // The second connection only shares the work: where it cannot be
        // had (no connection to spare, a pooler that cannot share a
        // snapshot), the first reads alone, and reads the same rows.
        if seqs.is_some()
            && let Ok(second) = self.joining(&exported)
        {
            readings.push(Arc::new(Mutex::new(second)));
        }
        Ok(Snapshot {
            server: self.clone(),
            readings,
            slices: slices(seqs),
        })
    }

    /// A connection for reading, on a runtime of its own.
    fn reading_connection(&self) -> Result<Reading> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| anyhow!("{}: cannot be read: {e}", self.shown))?;
        let config = &self.async_config;
        let connecting = |e: postgres::Error| self.error(&e, Doing::Connecting);
        let client = runtime.block_on(async {
            match &self.tls.0 {
                None => connect_async(config, NoTls).await.map_err(connecting),
                Some(tls) => connect_async(config, tls.clone()).await.map_err(connecting),
            }
        })?;
        Ok(Reading { runtime, client })
    }

    /// A second reading connection in the snapshot `exported` names.
    fn joining(&self, exported: &str) -> Result<Reading> {
        // The name comes from the server; it is still checked before it
        // goes into SQL (it holds hex digits and dashes).
        if exported.is_empty() || !exported.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            return Err(anyhow!("unexpected snapshot name"));
        }
        let second = self.reading_connection()?;
        let fail = self.sql_error(Doing::Reading);
        second.runtime.block_on(async {
            second
                .client
                .batch_execute(&format!(
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
                     SET TRANSACTION SNAPSHOT '{exported}'"
                ))
                .await
                .map_err(&fail)
        })?;
        Ok(second)
    }

    /// Adds rows in one transaction: `fill` pushes them; nothing is added
    /// unless every row is. Calls already in the table are skipped.
    pub fn insert(
        &self,
        fill: impl for<'s> FnOnce(&mut RowSink<'s>) -> Result<()>,
    ) -> Result<Inserted> {
        let mut client = self.connect()?;
        let fail = self.sql_error(Doing::Writing);
        // One transaction: a connection lost before COMMIT leaves nothing.
        client
            .batch_execute(
                "BEGIN;
            CREATE TEMP TABLE callqueue_incoming (
                n bigserial, account_id text, at text, outcome text, callback_at text,
                rep text, note text, disposition text, phone text, call_key text
            ) ON COMMIT DROP",
            )
            .map_err(&fail)?;
        let offered = self.copy_rows(&mut client, fill)?;
        let added = client
            .execute(
                &format!(
                    "INSERT INTO {} ({COLUMNS}, call_key)
                     SELECT {COLUMNS}, call_key FROM callqueue_incoming ORDER BY n
                     ON CONFLICT (call_key) DO NOTHING",
                    self.table
                ),
                &[],
            )
            .map_err(&fail)?;
        client.batch_execute("COMMIT").map_err(&fail)?;
        Ok(Inserted { offered, added })
    }

    /// Sends the rows `fill` pushes into the temporary table.
    fn copy_rows(
        &self,
        client: &mut Client,
        fill: impl for<'s> FnOnce(&mut RowSink<'s>) -> Result<()>,
    ) -> Result<u64> {
        let fail = self.sql_error(Doing::Writing);
        let writer = client
            .copy_in(&format!(
                "COPY callqueue_incoming ({COLUMNS}, call_key) FROM STDIN (FORMAT csv)"
            ))
            .map_err(&fail)?;
        let mut sink = RowSink {
            csv: csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(writer),
            rows: 0,
            server: self,
        };
        fill(&mut sink)?;
        let RowSink { csv, rows, .. } = sink;
        let writer = csv.into_inner().map_err(|e| {
            anyhow!(
                "{}: the connection to the server at {} was lost while writing ({}): {}",
                self.shown,
                self.place,
                e.error(),
                Doing::Writing.then()
            )
        })?;
        writer.finish().map_err(&fail)?;
        Ok(rows)
    }

    /// Writes the table as a CSV history (the file's header and columns),
    /// in the order the rows arrived.
    pub fn export(&self, out: &mut dyn Write) -> Result<()> {
        let snapshot = self.snapshot()?;
        std::io::copy(&mut snapshot.reader(), out)
            .map_err(|e| anyhow!("{}: cannot be read: {e}", self.shown))?;
        Ok(())
    }
}

/// What the server was asked to do when it failed: the words of its
/// message.
#[derive(Debug, Clone, Copy)]
enum Doing {
    Connecting,
    Reading,
    Writing,
}

impl Doing {
    fn while_(self) -> &'static str {
        match self {
            Doing::Connecting => "while connecting",
            Doing::Reading => "while reading the history",
            Doing::Writing => "while writing",
        }
    }

    fn then(self) -> &'static str {
        match self {
            Doing::Connecting => {
                "check the server and the URI in `history`, then run the command again"
            }
            Doing::Reading => "check the server, then run the command again (nothing was written)",
            Doing::Writing => "nothing was recorded; check the server, then run the command again",
        }
    }
}

/// A connection on `runtime`'s thread, its messages handled there while
/// the runtime runs.
async fn connect_async<T>(
    config: &tokio_postgres::Config,
    tls: T,
) -> Result<tokio_postgres::Client, postgres::Error>
where
    T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket> + Send + 'static,
    T::Stream: Send + 'static,
{
    let (client, connection) = config.connect(tls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// The error's causes, in one line.
fn cause_of(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = s.source();
    }
    text
}

/// Rows pushed into an insert.
#[allow(missing_debug_implementations)]
pub struct RowSink<'a> {
    csv: csv::Writer<postgres::CopyInWriter<'a>>,
    rows: u64,
    server: &'a Server,
}

impl RowSink<'_> {
    /// One row: the history's eight cells in `HEADER`'s order, and the
    /// call it is (`call_key`).
    pub fn push(&mut self, cells: &[&str; 8], key: &str) -> Result<()> {
        self.csv
            .write_record(cells.iter().copied().chain(std::iter::once(key)))
            .map_err(|e| {
                // Where, and what to do, as every other failure of the
                // connection says.
                anyhow!(
                    "{}: the connection to the server at {} was lost while writing ({e}): {}",
                    self.server.shown,
                    self.server.place,
                    Doing::Writing.then()
                )
            })?;
        self.rows += 1;
        Ok(())
    }
}

/// What an insert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    /// Rows pushed.
    pub offered: u64,
    /// Rows added (the rest were calls already there).
    pub added: u64,
}

/// The call a row is, for the table's unique index: the same account, the
/// same instant and the same outcome are the same call (SPEC "Same call
/// twice"). A row the rules cannot read is keyed by all its cells, so that
/// only an identical row counts as already there.
pub fn call_key(id: &str, read: Option<(i64, &str)>, cells: &[&str; 8]) -> String {
    match read {
        Some((at, outcome)) => format!("{id}\u{1f}{at}\u{1f}{outcome}"),
        None => {
            let mut key = String::from("row");
            for cell in cells {
                key.push('\u{1f}');
                key.push_str(cell);
            }
            key
        }
    }
}

/// A recorded attempt as the table's cells (as `record` writes them to a
/// file: canonical outcome, times in RFC 3339, notes on one line) and its
/// call key.
pub fn attempt_cells(row: &NewAttempt, office: chrono_tz::Tz) -> ([String; 8], String) {
    let cells = [
        row.account_id.clone(),
        rfc3339(row.at, office),
        row.outcome.name().to_owned(),
        row.callback_at
            .map(|at| rfc3339(at, office))
            .unwrap_or_default(),
        one_line(&row.rep),
        one_line(&row.note),
        String::new(),
        one_line(&row.phone),
    ];
    let key = {
        let refs = cells.each_ref().map(String::as_str);
        call_key(&row.account_id, Some((row.at, row.outcome.name())), &refs)
    };
    (cells, key)
}

/// One command's view of the table (repeatable-read transactions sharing
/// one snapshot), read as often as the command needs.
pub struct Snapshot {
    server: Server,
    /// One connection, or two that take the slices in turn.
    readings: Vec<Arc<Mutex<Reading>>>,
    /// The table cut by `seq`, in order.
    slices: Vec<Slice>,
}

/// A connection and the runtime that drives it. A whole COPY runs in one
/// `block_on`: the blocking client enters its runtime once per message,
/// and COPY sends a message per row, which on ten million rows cost more
/// than the server's own work.
struct Reading {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

/// Rows with `seq` from `.0` to `.1`, or (`None`) the whole table.
type Slice = Option<(i64, i64)>;

/// About how many rows a slice holds: a connection reads one slice ahead
/// of the one being read, into memory, so slices are kept small.
const SLICE_ROWS: i64 = 25_000;

/// The table's `seq` range cut into slices, in order: at least eight when
/// the range allows (so that small tables are cut too, and the cutting is
/// always what runs), each about `SLICE_ROWS`.
fn slices(seqs: Option<(i64, i64)>) -> Vec<Slice> {
    let Some((lowest, highest)) = seqs else {
        return vec![None];
    };
    // In i128: the range of two i64s always fits.
    let (lowest, highest) = (i128::from(lowest), i128::from(highest.max(lowest)));
    let span = highest - lowest + 1;
    // However far apart the ends (a sequence set far ahead), a bounded
    // number of slices: a slice with more rows only waits in its queue.
    let count = (span / i128::from(SLICE_ROWS) + 1).clamp(8, 4096).min(span);
    let width = (span - 1) / count + 1;
    let mut slices = Vec::new();
    let mut from = lowest;
    while from <= highest {
        let to = (from + width - 1).min(highest);
        // Both ends lie between two i64s.
        slices.push(Some((from as i64, to as i64)));
        from = to + 1;
    }
    slices
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("server", &self.server)
            .field("connections", &self.readings.len())
            .field("slices", &self.slices.len())
            .finish_non_exhaustive()
    }
}

/// What a reading thread passes on: a chunk of CSV, or the end of a slice.
enum Piece {
    Bytes(Vec<u8>),
    End,
}

/// Why a reading thread stops before its slices are read.
enum Stop {
    /// The read failed: the message goes to the reader.
    Failed(String),
    /// The reader stopped early: nothing more is wanted.
    ReaderGone,
}

impl Snapshot {
    /// The rows as a CSV history (header first), in `seq` order, streamed:
    /// each connection's thread reads its slices in turn and passes them
    /// through a short queue, and the reader takes the slices in order,
    /// so memory stays small whatever the table's size.
    pub fn reader(&self) -> Box<dyn Read + Send> {
        let connections = self.readings.len();
        let mut queues = Vec::with_capacity(connections);
        for (c, reading) in self.readings.iter().enumerate() {
            let (send, receive) = sync_channel(QUEUED);
            queues.push(receive);
            let reading = Arc::clone(reading);
            let server = self.server.clone();
            let mine: Vec<(usize, Slice)> = self
                .slices
                .iter()
                .copied()
                .enumerate()
                .filter(|(k, _)| k % connections == c)
                .collect();
            std::thread::spawn(move || {
                for (k, slice) in mine {
                    let sent = stream(&server, &reading, k == 0, slice, &send)
                        .and_then(|()| send.send(Ok(Piece::End)).map_err(|_| Stop::ReaderGone));
                    match sent {
                        Ok(()) => {}
                        Err(Stop::Failed(message)) => {
                            let _ = send.send(Err(message));
                            return;
                        }
                        Err(Stop::ReaderGone) => return,
                    }
                }
            });
        }
        Box::new(ChunkReader {
            queues,
            slice: 0,
            slices: self.slices.len(),
            chunk: Vec::new(),
            at: 0,
        })
    }
}

/// The size of the chunks passed from a reading thread, and how many may
/// wait in its queue (a slice's worth, about 1.5 MB).
const CHUNK: usize = 256 * 1024;
const QUEUED: usize = 8;

/// Streams one slice's `COPY` into `send` (with the header for the first).
fn stream(
    server: &Server,
    reading: &Mutex<Reading>,
    header: bool,
    slice: Slice,
    send: &SyncSender<Result<Piece, String>>,
) -> Result<(), Stop> {
    let reading = reading
        .lock()
        .map_err(|_| Stop::Failed(format!("{}: an earlier reading failed", server.shown)))?;
    // Empty cells go out as NULLs: unquoted, as a file holds them.
    let range = match slice {
        Some((from, to)) => format!("WHERE seq BETWEEN {from} AND {to} "),
        None => String::new(),
    };
    let query = format!(
        "COPY (SELECT account_id, at, outcome, NULLIF(callback_at, '') AS callback_at, \
         NULLIF(rep, '') AS rep, NULLIF(note, '') AS note, \
         NULLIF(disposition, '') AS disposition, NULLIF(phone, '') AS phone \
         FROM {} {range}ORDER BY seq) TO STDOUT (FORMAT csv{})",
        server.table,
        if header { ", HEADER" } else { "" }
    );
    // The reader's error is wrapped in "<history>: cannot be read: ",
    // so the history is named once.
    let describe = |e: &postgres::Error| {
        let message = format!("{:#}", server.error(e, Doing::Reading));
        Stop::Failed(match message.strip_prefix(&format!("{}: ", server.shown)) {
            Some(rest) => rest.to_owned(),
            None => message,
        })
    };
    let client = &reading.client;
    reading.runtime.block_on(async {
        let copy = client.copy_out(&query).await.map_err(|e| describe(&e))?;
        let mut copy = std::pin::pin!(copy);
        let mut chunk = Vec::with_capacity(CHUNK + 4096);
        loop {
            let got = copy.next().await;
            let end = match got {
                Some(Ok(bytes)) => {
                    chunk.extend_from_slice(&bytes);
                    false
                }
                Some(Err(e)) => return Err(describe(&e)),
                None => true,
            };
            if chunk.len() >= CHUNK || (end && !chunk.is_empty()) {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK + 4096));
                // Blocking here holds the connection too: the server
                // waits while the queue is full.
                if send.send(Ok(Piece::Bytes(full))).is_err() {
                    return Err(Stop::ReaderGone);
                }
            }
            if end {
                return Ok(());
            }
        }
    })
}

/// The reading end of the queues: the slices in order, each from the
/// queue of the connection that reads it.
struct ChunkReader {
    queues: Vec<Receiver<Result<Piece, String>>>,
    /// The slice being read, and how many there are.
    slice: usize,
    slices: usize,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.chunk.len() {
            if self.slice == self.slices {
                return Ok(0);
            }
            let queue = &self.queues[self.slice % self.queues.len()];
            match queue.recv() {
                Ok(Ok(Piece::Bytes(chunk))) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Ok(Piece::End)) => self.slice += 1,
                Ok(Err(message)) => return Err(std::io::Error::other(message)),
                // A thread that ends before its slices do: never taken
                // for the end of the rows.
                Err(_) => return Err(std::io::Error::other("the reading stopped")),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The history's header as the table's rows are read back.
pub fn header() -> String {
    HEADER.join(",")
}

#[cfg(test)]
mod tests {
    use super::{SLICE_ROWS, slices};

    /// The slices cover every `seq` once, in order, without gaps.
    fn check_cover(lowest: i64, highest: i64) -> usize {
        let cut = slices(Some((lowest, highest)));
        let mut next = lowest;
        for slice in &cut {
            let (from, to) = slice.expect("a range");
            assert_eq!(from, next, "{lowest}..={highest}: {cut:?}");
            assert!(to >= from);
            next = to.wrapping_add(1);
        }
        assert_eq!(cut.last().unwrap().unwrap().1, highest);
        cut.len()
    }

    #[test]
    fn the_table_is_cut_into_slices_that_cover_every_seq_once() {
        // An empty table: one read of the whole (its header alone).
        assert_eq!(slices(None), vec![None]);
        assert_eq!(check_cover(1, 1), 1);
        assert_eq!(check_cover(5, 7), 3);
        assert_eq!(check_cover(1, 8), 8);
        assert_eq!(check_cover(1, 9), 5);
        assert_eq!(check_cover(1, 1_500), 8);
        // Ten million rows: slices of about SLICE_ROWS.
        let n = check_cover(1, 10_000_000);
        assert_eq!(n, (10_000_000 / SLICE_ROWS + 1) as usize);
        // Gaps left by calls skipped as already there do not matter, nor
        // do the ends of the range.
        assert_eq!(check_cover(1_000, 9_999_999_999), 4096);
        check_cover(i64::MAX - 20, i64::MAX);
        assert_eq!(check_cover(0, i64::MAX), 4096);
        assert_eq!(check_cover(i64::MIN, i64::MAX), 4096);
    }

    use super::*;

    #[test]
    fn a_call_is_its_account_instant_and_outcome() {
        let cells = ["A-1", "2026-11-24 10:00", "No Answer", "", "", "", "", ""];
        assert_eq!(
            call_key("A-1", Some((5, "no-answer")), &cells),
            "A-1\u{1f}5\u{1f}no-answer"
        );
        // Unreadable: only the same cells are the same row.
        let other = ["A-1", "yesterday", "No Answer", "", "", "", "", ""];
        assert_ne!(call_key("A-1", None, &cells), call_key("A-1", None, &other));
        assert_eq!(call_key("A-1", None, &cells), call_key("A-1", None, &cells));
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        let server = Server::new("postgresql://sales:hunter2@db.example:6543/crm", "t").unwrap();
        assert_eq!(server.shown, "postgresql://sales@db.example:6543/crm");
        assert_eq!(server.place, "db.example:6543/crm");
        assert!(!format!("{server:?}").contains("hunter2"));
    }

    #[test]
    fn schema_and_table_are_quoted() {
        let server = Server::new("postgres://db/crm", "sales.calls").unwrap();
        assert_eq!(server.table, "\"sales\".\"calls\"");
        assert_eq!(server.index, "\"calls_call\"");
    }
}
