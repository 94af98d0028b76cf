//! Writing queues and audits: CSV, JSON and table, formula-safe cells, safe
//! file names, and atomic replacement of files (never half-written).

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::{Context, Result};
use chrono::{NaiveDate, TimeZone as _};
use chrono_tz::{OffsetName as _, Tz};
use clap::ValueEnum;
use serde_json::{Map, Value};

/// The queue's columns, in order (then any `--keep` columns).
pub const QUEUE_COLUMNS: [&str; 15] = [
    "rep",
    "rank",
    "account_id",
    "name",
    "phone",
    "timezone",
    "call_from",
    "call_until",
    "reason",
    "last_contact",
    "unanswered",
    "callback_at",
    "region",
    "zone_from",
    "best_time",
];

/// The excluded audit's columns, in order.
pub const AUDIT_COLUMNS: [&str; 5] = ["account_id", "rep", "reason", "eligible_on", "detail"];

/// Column index of the phone, which is never formula-escaped (it is the
/// normalised number, and E.164 starts with `+`).
const PHONE: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Table,
}

impl Format {
    /// The file extension for `--out-dir` files.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Table => "txt",
        }
    }
}

/// One line of a queue, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueLine<'a> {
    pub rep: &'a str,
    pub rank: u32,
    pub account_id: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    pub timezone: &'a str,
    pub call_from: Cow<'a, str>,
    pub call_until: &'a str,
    pub reason: &'static str,
    pub last_contact: Option<chrono::NaiveDate>,
    pub unanswered: u32,
    /// The time a callback was asked for, in office time; empty for `due`.
    pub callback_at: String,
    pub region: &'a str,
    pub zone_from: &'a str,
    /// The hour the customer is likeliest to answer, in office time;
    /// empty when the history cannot tell.
    pub best_time: String,
    pub keep: Vec<&'a str>,
}

impl QueueLine<'_> {
    fn cells(&self) -> Vec<Cow<'_, str>> {
        let mut cells: Vec<Cow<'_, str>> = vec![
            Cow::Borrowed(self.rep),
            Cow::Owned(self.rank.to_string()),
            Cow::Borrowed(self.account_id),
            Cow::Borrowed(self.name),
            Cow::Borrowed(self.phone),
            Cow::Borrowed(self.timezone),
            Cow::Borrowed(&self.call_from),
            Cow::Borrowed(self.call_until),
            Cow::Borrowed(self.reason),
            Cow::Owned(self.last_contact.map(|d| d.to_string()).unwrap_or_default()),
            Cow::Owned(self.unanswered.to_string()),
            Cow::Borrowed(&self.callback_at),
            Cow::Borrowed(self.region),
            Cow::Borrowed(self.zone_from),
            Cow::Borrowed(&self.best_time),
        ];
        cells.extend(self.keep.iter().map(|k| Cow::Borrowed(*k)));
        cells
    }
}

/// One line of the excluded audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine<'a> {
    pub account_id: &'a [u8],
    pub rep: &'a str,
    pub reason: &'static str,
    pub eligible_on: Option<chrono::NaiveDate>,
    pub detail: &'a str,
}

/// The CSV settings of every file callqueue writes: `,` and LF.
pub fn csv_writer<W: Write>(sink: W) -> csv::Writer<W> {
    csv_writer_like(sink, b',', false)
}

/// A CSV writer matching an existing file's delimiter and line ends (for
/// appending to a history).
pub fn csv_writer_like<W: Write>(sink: W, delimiter: u8, crlf: bool) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(sink)
}

/// A text cell a spreadsheet would run as a formula gets a leading `'`.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if reads_as_formula(cell.as_bytes()) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Whether a spreadsheet would run a cell starting so as a formula: its
/// first character, once past any invisible ones a spreadsheet skips (a
/// no-break or zero-width space, a byte-order mark), is `=`, `+`, `-`,
/// `@`, a tab or a carriage return. (A plain space before them makes text.)
fn reads_as_formula(cell: &[u8]) -> bool {
    let mut rest = cell;
    loop {
        match rest.first() {
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => return true,
            // Most cells: decided by their first byte.
            None | Some(0..0x80) => return false,
            Some(_) => match invisible_len(rest) {
                Some(n) => rest = &rest[n..],
                None => return false,
            },
        }
    }
}

/// The length in bytes of the invisible character `text` starts with, if
/// it starts with one: U+00A0 (no-break space), U+00AD (soft hyphen),
/// U+180E, U+2000–U+200F (spaces, zero-width marks), U+2028–U+202F, U+205F–U+206F
/// (word joiner, invisible operators, bidi isolates), U+3000 and U+FEFF
/// (byte-order mark), as UTF-8.
fn invisible_len(text: &[u8]) -> Option<usize> {
    match text {
        [0xC2, 0xA0 | 0xAD, ..] => Some(2),
        [0xE1, 0xA0, 0x8E, ..]
        | [0xE2, 0x80, 0x80..=0x8F | 0xA8..=0xAF, ..]
        | [0xE2, 0x81, 0x9F..=0xAF, ..]
        | [0xE3, 0x80, 0x80, ..]
        | [0xEF, 0xBB, 0xBF, ..] => Some(3),
        _ => None,
    }
}

/// Says `text` to the person at the terminal, on standard error: each line
/// as `callqueue: LINE`, terminal-safe. Every message goes through here,
/// so that a file name or a cell quoted in one can never act on the
/// screen.
pub fn say(text: &str) {
    let mut err = io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(err, "callqueue: {}", terminal_safe(line));
    }
}

/// Text as a terminal may show it: control characters (C0 with escape,
/// tab, carriage return and line feed; DEL; C1) and bidirectional controls
/// written out as `\u{1b}`, so that data can never move the cursor,
/// recolour or retitle the screen, set the clipboard, make a link or
/// reorder what is shown. Every line written for people goes through here.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(acts_on_terminal) else {
        return Cow::Borrowed(text);
    };
    use std::fmt::Write as _;
    let mut shown = String::with_capacity(text.len() + 16);
    shown.push_str(&text[..first]);
    for c in text[first..].chars() {
        if acts_on_terminal(c) {
            let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// Whether a terminal would act on `c` rather than show it: a control
/// character, or a mark that reorders the text around it.
fn acts_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A `--keep` column's header in the queue: as written, or `keep_` and
/// it when it would read as one of the queue's own columns (`--keep
/// Region` beside the queue's `region`).
pub fn kept_header(header: &str) -> Cow<'_, str> {
    let key = crate::input::header_key(header);
    if QUEUE_COLUMNS
        .iter()
        .any(|c| crate::input::header_key(c) == key)
    {
        Cow::Owned(format!("keep_{header}"))
    } else {
        Cow::Borrowed(header)
    }
}

/// Writes a queue in `format`, with the `--keep` headers after the others.
pub fn write_queue(
    out: &mut dyn Write,
    format: Format,
    lines: &[QueueLine<'_>],
    keep_headers: &[String],
    style: Style,
) -> Result<()> {
    let headers: Vec<Cow<'_, str>> = QUEUE_COLUMNS
        .iter()
        .map(|&h| Cow::Borrowed(h))
        .chain(keep_headers.iter().map(|h| kept_header(h)))
        .collect();
    match format {
        Format::Csv => {
            let mut w = csv_writer(&mut *out);
            w.write_record(headers.iter().map(|h| h.as_bytes()))?;
            for line in lines {
                let cells = line.cells();
                w.write_record(cells.iter().enumerate().map(|(i, c)| {
                    if i == PHONE {
                        Cow::Borrowed(c.as_ref())
                    } else {
                        safe_cell(c)
                    }
                    .into_owned()
                }))?;
            }
            w.flush()?;
        }
        Format::Json => {
            let rows: Vec<Value> = lines
                .iter()
                .map(|line| {
                    let mut obj = Map::new();
                    obj.insert("rep".into(), line.rep.into());
                    obj.insert("rank".into(), line.rank.into());
                    obj.insert("account_id".into(), line.account_id.into());
                    obj.insert("name".into(), line.name.into());
                    obj.insert("phone".into(), line.phone.into());
                    obj.insert("timezone".into(), line.timezone.into());
                    obj.insert("call_from".into(), line.call_from.as_ref().into());
                    obj.insert("call_until".into(), line.call_until.into());
                    obj.insert("reason".into(), line.reason.into());
                    obj.insert(
                        "last_contact".into(),
                        line.last_contact
                            .map_or(Value::Null, |d| d.to_string().into()),
                    );
                    obj.insert("unanswered".into(), line.unanswered.into());
                    obj.insert(
                        "callback_at".into(),
                        match line.callback_at.as_str() {
                            "" => Value::Null,
                            at => at.into(),
                        },
                    );
                    obj.insert("region".into(), line.region.into());
                    obj.insert("zone_from".into(), line.zone_from.into());
                    obj.insert(
                        "best_time".into(),
                        match line.best_time.as_str() {
                            "" => Value::Null,
                            at => at.into(),
                        },
                    );
                    for (h, v) in keep_headers.iter().zip(&line.keep) {
                        obj.insert(kept_header(h).into_owned(), (*v).into());
                    }
                    Value::Object(obj)
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            out.write_all(b"\n")?;
        }
        Format::Table => write_table(out, lines, keep_headers, style)?,
    }
    out.flush()?;
    Ok(())
}

/// How a table is shown: colour and a width to fit, for a terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    /// Shorten the widest text columns to fit this many characters.
    pub width: Option<usize>,
    /// Shown on a terminal, where cells are text to read; elsewhere a
    /// spreadsheet may open the table, and formula-like cells get the
    /// leading `'`.
    pub terminal: bool,
    /// The office's zone on the queue date: the hours header names it.
    pub office: Option<(Tz, NaiveDate)>,
}

impl Style {
    /// The same style, its hours header naming `office`'s zone on `date`.
    pub fn in_office(self, office: Tz, date: NaiveDate) -> Style {
        Style {
            office: Some((office, date)),
            ..self
        }
    }

    /// The style for standard output: colour on a terminal unless
    /// `NO_COLOR` is set (to anything but empty), and the terminal's width.
    pub fn for_stdout() -> Style {
        use std::io::IsTerminal;
        if !io::stdout().is_terminal() {
            return Style::default();
        }
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let columns = || std::env::var("COLUMNS").ok()?.trim().parse::<usize>().ok();
        Style {
            terminal: true,
            office: None,
            color: !no_color,
            width: terminal_size::terminal_size_of(io::stdout())
                .map(|(w, _)| usize::from(w.0))
                .filter(|&w| w > 0)
                .or_else(columns)
                .or(Some(100)),
        }
    }
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

/// `hours (EST)`: the office zone's abbreviation on the queue date (its
/// name when the zone has none), so that a rep knows whose clock it is.
fn hours_header(style: Style) -> String {
    let Some((office, date)) = style.office else {
        return "hours".to_owned();
    };
    let noon = date.and_hms_opt(12, 0, 0).unwrap_or_default();
    let offset = office.offset_from_utc_datetime(&noon);
    match offset.abbreviation() {
        Some(abbreviation) if abbreviation.chars().all(|c| c.is_ascii_alphabetic()) => {
            format!("hours ({abbreviation})")
        }
        _ => format!("hours ({})", office.name()),
    }
}

/// The queue for people: one block per rep, aligned columns, the calling
/// hours as one range, long cells shortened to fit the terminal.
fn write_table(
    out: &mut dyn Write,
    lines: &[QueueLine<'_>],
    keep_headers: &[String],
    style: Style,
) -> Result<()> {
    if lines.is_empty() {
        writeln!(out, "nothing to call")?;
        return Ok(());
    }
    let hours = hours_header(style);
    let mut header: Vec<String> = [
        "#",
        "account",
        "name",
        "phone",
        hours.as_str(),
        "zone",
        "reason",
        "last contact",
        "no answer",
        "best",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    header.extend(keep_headers.iter().map(|h| terminal_safe(h).into_owned()));
    let mut start = 0;
    while start < lines.len() {
        let rep = lines[start].rep;
        let end = lines[start..]
            .iter()
            .position(|l| l.rep != rep)
            .map_or(lines.len(), |n| start + n);
        if start > 0 {
            writeln!(out)?;
        }
        write_rep_table(out, &lines[start..end], &header, style)?;
        start = end;
    }
    Ok(())
}

/// One rep's block of the table: the rep, then the header and a row per
/// account, the columns as wide as their widest cell (narrowed to fit).
fn write_rep_table(
    out: &mut dyn Write,
    lines: &[QueueLine<'_>],
    header: &[String],
    style: Style,
) -> Result<()> {
    let count = lines.len();
    writeln!(
        out,
        "{} {}",
        style.paint(BOLD, &style.cell(lines[0].rep)),
        style.paint(DIM, &format!("({count} to call)"))
    )?;
    let rows: Vec<Vec<String>> = lines.iter().map(|l| table_row(l, style)).collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    // A column no row fills says nothing: hidden (the id, the phone and
    // the hours are always shown).
    let mut shown: Vec<bool> = (0..widths.len())
        .map(|i| matches!(i, 0 | 1 | 3 | 4) || rows.iter().any(|r| !r[i].is_empty()))
        .collect();
    if let Some(limit) = style.width {
        fit(&mut widths, &mut shown, limit);
    }
    writeln!(
        out,
        "  {}",
        style.paint(DIM, &render_row(header, &widths, &shown))
    )?;
    for (row, line) in rows.iter().zip(lines) {
        let text = render_row(row, &widths, &shown);
        if line.reason == "callback" {
            writeln!(out, "  {}", style.paint(YELLOW, &text))?;
        } else {
            writeln!(out, "  {text}")?;
        }
    }
    Ok(())
}

/// One account's cells, as the table shows them.
fn table_row(l: &QueueLine<'_>, style: Style) -> Vec<String> {
    let mut row = vec![
        l.rank.to_string(),
        style.cell(l.account_id),
        style.cell(l.name),
        terminal_safe(l.phone).into_owned(),
        format!("{}-{}", l.call_from, l.call_until),
        terminal_safe(l.timezone).into_owned(),
        l.reason.to_owned(),
        l.last_contact.map(|d| d.to_string()).unwrap_or_default(),
        if l.unanswered == 0 {
            String::new()
        } else {
            l.unanswered.to_string()
        },
        l.best_time.clone(),
    ];
    row.extend(l.keep.iter().map(|k| style.cell(k)));
    row
}

/// A row's cells padded to their columns' widths (the hidden ones left
/// out); numbers line up on the right.
fn render_row(cells: &[String], widths: &[usize], shown: &[bool]) -> String {
    let mut text = String::new();
    for (i, (cell, &w)) in cells.iter().zip(widths).enumerate() {
        if !shown[i] {
            continue;
        }
        if i > 0 {
            text.push_str("  ");
        }
        let cell = shorten(cell, w);
        let pad = w.saturating_sub(cell.chars().count());
        if i == 0 {
            text.extend(std::iter::repeat_n(' ', pad));
            text.push_str(&cell);
        } else {
            text.push_str(&cell);
            if i + 1 < cells.len() {
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
    }
    text.trim_end().to_owned()
}

impl Style {
    /// A cell as the table shows it: made terminal-safe, and on paper (a
    /// table written to a file, which a spreadsheet may open) with the
    /// formula guard too.
    fn cell(self, text: &str) -> String {
        if self.terminal {
            terminal_safe(text).into_owned()
        } else {
            terminal_safe(&safe_cell(text)).into_owned()
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}

/// What gives way, in turn, when a table is wider than the terminal: a rep
/// at 8 am needs the name, the phone and the hours; a long id may end in
/// an ellipsis (in the table only, never in a file), and the zone, the
/// unanswered count and the last contact can go.
#[derive(Debug, Clone, Copy)]
enum GiveWay {
    /// Narrow the column down to this many characters.
    Narrow(usize, usize),
    /// Narrow every kept column (after `BEST`) down to this many.
    NarrowKept(usize),
    Hide(usize),
}

/// The table's `best` column (the queue's `best_time`): the first to go.
const BEST: usize = 9;

const GIVE_WAY: [GiveWay; 11] = [
    GiveWay::Hide(BEST),
    GiveWay::NarrowKept(8),
    GiveWay::Hide(5),
    GiveWay::Narrow(1, 12),
    GiveWay::Hide(8),
    GiveWay::Hide(7),
    GiveWay::Narrow(1, 10),
    GiveWay::Narrow(2, 20),
    GiveWay::Narrow(1, 8),
    GiveWay::Narrow(2, 12),
    GiveWay::Narrow(2, 8),
];

/// Makes the row fit in `limit` characters, giving way in `GIVE_WAY`'s
/// order; the phone and the hours are never cut.
fn fit(widths: &mut [usize], shown: &mut [bool], limit: usize) {
    let total = |w: &[usize], shown: &[bool]| {
        let visible: Vec<usize> = w
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(w, _)| *w)
            .collect();
        2 + visible.iter().sum::<usize>() + 2 * visible.len().saturating_sub(1)
    };
    // Column `i` narrowed by what is still too wide, not below `least`
    // (nor widened, if it is narrower already).
    let narrow = |widths: &mut [usize], shown: &[bool], i: usize, least: usize| {
        let excess = total(widths, shown).saturating_sub(limit);
        widths[i] = widths[i].saturating_sub(excess).max(least).min(widths[i]);
    };
    for step in GIVE_WAY {
        if total(widths, shown) <= limit {
            return;
        }
        match step {
            GiveWay::Hide(i) => shown[i] = false,
            GiveWay::Narrow(i, least) => narrow(widths, shown, i, least),
            GiveWay::NarrowKept(least) => {
                for i in BEST + 1..widths.len() {
                    narrow(widths, shown, i, least);
                }
            }
        }
    }
}

/// `text` cut to `width` characters, with an ellipsis when cut.
fn shorten(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(width.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// The excluded audit's header line.
pub fn audit_header() -> Result<Vec<u8>> {
    let mut w = csv_writer(Vec::new());
    w.write_record(AUDIT_COLUMNS)?;
    w.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))
}

/// One line of the excluded audit as CSV bytes: written byte by byte as
/// the csv crate writes them (a field is quoted when it holds a
/// comma, a quote or a line break), without its per-field machinery, as
/// the audit can run to a million lines.
#[inline]
pub fn audit_line(out: &mut Vec<u8>, line: &AuditLine<'_>) {
    audit_cell(out, line.account_id, true);
    out.push(b',');
    audit_cell(out, line.rep.as_bytes(), true);
    out.push(b',');
    out.extend_from_slice(line.reason.as_bytes());
    out.push(b',');
    if let Some(d) = line.eligible_on {
        match crate::datetime::Ymd(d).bytes() {
            Some(text) => out.extend_from_slice(&text),
            None => audit_cell(out, d.to_string().as_bytes(), false),
        }
    }
    out.push(b',');
    audit_cell(out, line.detail.as_bytes(), true);
    out.push(b'\n');
}

/// One CSV cell, when `safe` made safe for spreadsheets as `safe_cell`
/// makes it (a leading `'` before what would read as a formula), and
/// quoted (quotes doubled) when it must be.
#[inline]
fn audit_cell(out: &mut Vec<u8>, cell: &[u8], safe: bool) {
    let prefix: &[u8] = if safe && reads_as_formula(cell) {
        b"'"
    } else {
        b""
    };
    let plain = if cell.len() < 32 {
        // Too short for memchr's vector search to pay.
        !cell
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    } else {
        memchr::memchr3(b',', b'"', b'\n', cell).is_none() && memchr::memchr(b'\r', cell).is_none()
    };
    if plain {
        out.extend_from_slice(prefix);
        out.extend_from_slice(cell);
        return;
    }
    out.push(b'"');
    out.extend_from_slice(prefix);
    let mut from = 0;
    for quote in memchr::memchr_iter(b'"', cell) {
        out.extend_from_slice(&cell[from..=quote]);
        out.push(b'"');
        from = quote + 1;
    }
    out.extend_from_slice(&cell[from..]);
    out.push(b'"');
}

/// A file being written for `Outputs`: buffered, and able to send what is
/// written so far to disk while the rest is still being made.
#[derive(Debug)]
pub struct AtomicFile<'a> {
    buffered: BufWriter<&'a mut File>,
    /// Written through to a FIFO, a device or a terminal: a stream, with
    /// nothing to sync.
    stream: bool,
}

impl AtomicFile<'_> {
    /// Flushes what is written so far to disk, so that the final flush has
    /// only the rest to wait for: for a large file made piece by piece,
    /// whose pieces are still being made while this waits.
    pub fn sync_so_far(&mut self) -> io::Result<()> {
        self.buffered.flush()?;
        if self.stream {
            return Ok(());
        }
        self.buffered.get_ref().sync_data()
    }
}

impl Write for AtomicFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffered.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buffered.write_all(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.buffered.flush()
    }
}

/// The files of one run, replaced together or not at all. Each is written
/// in full to a temporary file beside the one it replaces and flushed to
/// disk (by whichever thread makes it); `commit` then renames them all
/// into place. Dropped without a commit, it removes the temporary files
/// and every old file is left as it was.
///
/// A path that exists and is not a regular file (a FIFO, `/dev/null`, a
/// terminal, or a link to one) is a stream: it is written through as it
/// is made, never replaced.
#[derive(Debug, Default)]
pub struct Outputs {
    ready: Mutex<Vec<Prepared>>,
}

/// A file written and flushed, waiting for its rename.
#[derive(Debug)]
struct Prepared {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
    dir: PathBuf,
}

impl Outputs {
    pub fn new() -> Outputs {
        Outputs::default()
    }

    /// Makes the file that is to replace `path` (see `Outputs`).
    pub fn write(
        &self,
        path: &Path,
        write: impl FnOnce(&mut AtomicFile) -> Result<()>,
    ) -> Result<()> {
        let shown = path.display();
        if written_through(path) {
            let mut stream = fs::OpenOptions::new()
                .append(true)
                .open(path)
                .with_context(|| format!("{shown}: cannot be opened for writing"))?;
            let mut file = AtomicFile {
                buffered: BufWriter::new(&mut stream),
                stream: true,
            };
            write(&mut file).with_context(|| format!("{shown}: cannot be written"))?;
            file.flush()
                .with_context(|| format!("{shown}: cannot be written"))?;
            return Ok(());
        }
        let dir = folder_of(path);
        let mut temp = tempfile::Builder::new()
            .prefix(".callqueue-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("{shown}: cannot create a file in {} (does the folder exist, and may we write to it?)", dir.display()))?;
        {
            let mut file = AtomicFile {
                buffered: BufWriter::new(temp.as_file_mut()),
                stream: false,
            };
            write(&mut file).with_context(|| format!("{shown}: cannot be written"))?;
            file.flush()
                .with_context(|| format!("{shown}: cannot be written"))?;
        }
        if let Some(permissions) = permissions_for(path) {
            temp.as_file()
                .set_permissions(permissions)
                .with_context(|| format!("{shown}: cannot set permissions"))?;
        }
        temp.as_file()
            .sync_all()
            .with_context(|| format!("{shown}: cannot be flushed to disk"))?;
        self.ready
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Prepared {
                temp,
                path: path.to_owned(),
                dir: dir.to_owned(),
            });
        Ok(())
    }

    /// Puts every file in place, each replacing its old file in one
    /// rename, and makes the renames durable.
    pub fn commit(self) -> Result<()> {
        let ready = self
            .ready
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut dirs: Vec<PathBuf> = Vec::new();
        for file in ready {
            file.temp
                .persist(&file.path)
                .map_err(|e| e.error)
                .with_context(|| format!("{}: cannot be replaced", file.path.display()))?;
            if !dirs.contains(&file.dir) {
                dirs.push(file.dir);
            }
        }
        for dir in dirs {
            sync_folder(&dir);
        }
        Ok(())
    }
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The first two of `outputs` (each a flag and its path) that name the
/// same file: one would overwrite the other. A stream (`/dev/null`, a
/// FIFO) may take several.
pub fn same_file<'a>(outputs: &[(&'a str, &'a Path)]) -> Option<(&'a str, &'a str, &'a Path)> {
    let key = |path: &Path| {
        let dir = fs::canonicalize(folder_of(path)).unwrap_or_else(|_| folder_of(path).to_owned());
        path.file_name().map(|name| dir.join(name))
    };
    let files: Vec<(&str, &Path, Option<PathBuf>)> = outputs
        .iter()
        .filter(|(_, path)| !written_through(path))
        .map(|&(flag, path)| (flag, path, key(path)))
        .collect();
    files.iter().enumerate().find_map(|(i, (flag, path, k))| {
        let other = files[i + 1..].iter().find(|o| k.is_some() && o.2 == *k)?;
        Some((*flag, other.0, *path))
    })
}

/// Makes a file's creation, renaming or removal in `dir` durable.
pub fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `path` atomically: a temporary file in the same folder, flushed
/// to disk, then renamed over the old one. On any failure the old file is
/// untouched and the temporary file removed. (A special file is written
/// through; see `Outputs`.)
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut AtomicFile) -> Result<()>) -> Result<()> {
    let outputs = Outputs::new();
    outputs.write(path, write)?;
    outputs.commit()
}

/// Whether `path` is written through rather than replaced: it exists and
/// is not a regular file once links are followed (renaming over
/// `/dev/null` or a FIFO would leave a plain file in its place), or it
/// lives among the system's devices (`/dev/stdout` and `/dev/fd/1` lead to
/// a regular file when standard output is redirected to one, and are no
/// less a stream).
fn written_through(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return true;
    }
    let dir = folder_of(path);
    fs::canonicalize(dir).is_ok_and(|d| d == Path::new("/dev") || d.starts_with("/proc"))
}

/// The permissions of a file replacing `path`: the old file's read and
/// write bits (never its setuid, setgid, sticky or execute bits: a queue
/// is not a program), else readable by all, like a file the shell would
/// create (temporary files start private).
#[cfg(unix)]
fn permissions_for(path: &Path) -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).map_or(0o644, |meta| meta.permissions().mode() & 0o666);
    Some(fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn permissions_for(path: &Path) -> Option<fs::Permissions> {
    fs::metadata(path).ok().map(|meta| meta.permissions())
}

/// A rep's name as a file name: no path separators, no `..`, no leading dot,
/// nothing a shell or another system would trip on.
pub fn safe_file_name(rep: &str) -> String {
    let mut name: String = rep
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while name.contains("..") {
        name = name.replace("..", "_");
    }
    if name.starts_with('.') {
        name.replace_range(0..1, "_");
    }
    if name.is_empty() {
        name.push('_');
    }
    shortened(name)
}

/// A file name is at most 255 bytes on most file systems: a long name is
/// cut (on a character boundary) and given a hash of the whole, so that
/// two long names that share their start still differ, the same name gives
/// the same file every day, and a `-2` and an extension still fit.
fn shortened(name: String) -> String {
    const KEEP: usize = 100;
    if name.len() <= KEEP + 20 {
        return name;
    }
    // FNV-1a: small, and the same on every machine and in every version.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mut cut = KEEP;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{hash:016x}", &name[..cut])
}

/// True when an error chain ends in a closed pipe (`callqueue build | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<csv::Error>().is_some_and(|e| {
                matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(rep: &'a str, name: &'a str, reason: &'static str) -> QueueLine<'a> {
        QueueLine {
            rep,
            rank: 1,
            account_id: "A-1",
            name,
            phone: "+12125550100",
            timezone: "America/New_York",
            call_from: Cow::Borrowed("09:00"),
            call_until: "17:00",
            reason,
            last_contact: None,
            unanswered: 0,
            callback_at: String::new(),
            region: "US-NY",
            zone_from: "timezone",
            best_time: String::new(),
            keep: Vec::new(),
        }
    }

    fn table(lines: &[QueueLine<'_>], style: Style) -> String {
        let mut out = Vec::new();
        write_queue(&mut out, Format::Table, lines, &[], style).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn at_80_columns_the_name_has_the_room_and_a_long_id_gives_way() {
        let mut first = line("Priya Raman", "'=Harbor Street Bakery", "due");
        first.account_id = "0015g00000XyZabAAB";
        first.phone = "+16195550122;ext=4";
        first.timezone = "America/Los_Angeles";
        first.last_contact = NaiveDate::from_ymd_opt(2026, 11, 2);
        first.unanswered = 2;
        let mut second = line("Priya Raman", "Gulf Coast Marine Supply", "due");
        second.account_id = "0015g00000XyZacAAB";
        second.rank = 2;
        let style = Style {
            width: Some(80),
            terminal: true,
            ..Style::default()
        };
        let text = table(&[first, second], style);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        // The whole name, as written (no spreadsheet guard on a terminal),
        // the whole phone with its extension, the hours.
        assert!(text.contains("'=Harbor Street Bakery "), "{text}");
        assert!(text.contains("+16195550122;ext=4"), "{text}");
        assert!(text.contains("09:00-17:00"), "{text}");
        // The 18-character ids end in an ellipsis; the zone went first.
        assert!(text.contains(" 0015g0000… "), "{text}");
        assert!(!text.contains("America/Los_Angeles"), "{text}");
        // Wide enough, nothing gives way.
        let wide = table(
            &[line("alice", "Birch", "due")],
            Style {
                width: Some(200),
                terminal: true,
                ..Style::default()
            },
        );
        assert!(wide.contains("America/New_York"), "{wide}");
        // No row has a last contact or an unanswered count: not shown.
        assert!(
            !wide.contains("last contact") && !wide.contains("no answer"),
            "{wide}"
        );
        let paper = table(&[line("alice", "=SUM(A1)", "due")], Style::default());
        assert!(paper.contains("'=SUM(A1)"), "{paper}");
    }

    #[test]
    fn audit_rows_are_written_as_the_csv_crate_writes_them() {
        let cells = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rhere",
            "=SUM(A1)",
            "-5",
            "+1 (212) 555-0100",
            "@x",
            "\tlead",
            "caf\u{e9}, \"n\u{e9}\"",
            "a detail well over thirty-two bytes long, with a comma",
            "a detail well over thirty-two bytes long with \"quotes\"",
            "a detail well over thirty-two bytes long\rwith a return",
            "a detail well over thirty-two bytes long and nothing else",
            "=a formula well over thirty-two bytes long; no comma",
        ];
        let days = [
            None,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24),
            chrono::NaiveDate::from_ymd_opt(10000, 1, 1),
        ];
        let mut lines = Vec::new();
        for (k, cell) in cells.iter().enumerate() {
            lines.push(AuditLine {
                account_id: cell.as_bytes(),
                rep: cells[(k + 3) % cells.len()],
                reason: "capped",
                eligible_on: days[k % days.len()],
                detail: cells[(k + 7) % cells.len()],
            });
        }
        let mut want = csv_writer(Vec::new());
        for line in &lines {
            let date = line.eligible_on.map(|d| d.to_string()).unwrap_or_default();
            want.write_record([
                safe_cell(std::str::from_utf8(line.account_id).unwrap()).as_ref(),
                safe_cell(line.rep).as_ref(),
                line.reason,
                &date,
                safe_cell(line.detail).as_ref(),
            ])
            .unwrap();
        }
        let want = want.into_inner().unwrap();
        let mut got = Vec::new();
        for line in &lines {
            audit_line(&mut got, line);
        }
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }

    #[test]
    fn tables_group_by_rep_and_fit_the_width() {
        let long = "A company name far too long for any terminal, shortened";
        let lines = [line("alice", long, "callback"), line("bob", "Birch", "due")];
        let wide = table(&lines, Style::default());
        assert!(wide.contains(long), "{wide}");
        assert!(wide.starts_with("alice (1 to call)\n"), "{wide}");
        assert!(wide.contains("\nbob (1 to call)\n"), "{wide}");
        assert!(wide.contains("09:00-17:00"), "{wide}");
        let narrow = table(
            &lines,
            Style {
                color: false,
                width: Some(80),
                ..Style::default()
            },
        );
        assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
        assert!(narrow.contains('…'), "{narrow}");
        assert!(!narrow.contains('\x1b'));
        let colored = table(
            &lines,
            Style {
                color: true,
                width: None,
                ..Style::default()
            },
        );
        assert!(colored.contains("\x1b[33m"), "{colored}");
    }

    #[test]
    fn the_best_time_shows_when_the_terminal_is_wide_enough_and_goes_first() {
        let width = |w| Style {
            width: Some(w),
            ..Style::default()
        };
        let header = |t: &str| t.lines().nth(1).unwrap_or_default().to_owned();
        let mut lines = [
            line("alice", "Birch", "due"),
            line("alice", "Cobalt", "due"),
        ];
        // No best time anywhere: no column.
        assert!(!header(&table(&lines, Style::default())).contains("best"));
        lines[1].best_time = "15:00".to_owned();
        let wide = table(&lines, width(200));
        assert!(header(&wide).ends_with("best"), "{wide}");
        assert!(wide.contains("15:00"), "{wide}");
        // One character too narrow: the best time is the first to go,
        // before anything is cut; the rest stays whole.
        let full = wide.lines().map(|l| l.chars().count()).max().unwrap();
        let gone = table(&lines, width(full - 1));
        assert!(!header(&gone).contains("best"), "{gone}");
        assert!(!gone.contains("15:00"), "{gone}");
        assert!(header(&gone).contains("zone"), "{gone}");
        assert!(gone.contains("America/New_York"), "{gone}");
        assert!(gone.lines().all(|l| l.chars().count() < full), "{gone}");
    }

    #[test]
    fn terminal_text_shows_controls_and_bidi_marks_escaped() {
        for plain in [
            "Acme",
            "",
            "jos\u{e9}",
            "\u{65e5}\u{672c}",
            "a\\u{1b}b",
            "\u{a0}x",
        ] {
            assert!(
                matches!(terminal_safe(plain), Cow::Borrowed(_)),
                "{plain:?}"
            );
        }
        let cases = [
            ("\x1b[31mred", "\\u{1b}[31mred"),
            ("\x1b]8;;http://x\x07", "\\u{1b}]8;;http://x\\u{7}"),
            ("a\tb\rc\nd", "a\\u{9}b\\u{d}c\\u{a}d"),
            (
                "\0\x7f\u{80}\u{9b}\u{9f}",
                "\\u{0}\\u{7f}\\u{80}\\u{9b}\\u{9f}",
            ),
            (
                "\u{202a}\u{202e}\u{2066}\u{2069}",
                "\\u{202a}\\u{202e}\\u{2066}\\u{2069}",
            ),
            (
                "\u{200e}\u{200f}\u{61c}caf\u{e9}",
                "\\u{200e}\\u{200f}\\u{61c}caf\u{e9}",
            ),
        ];
        for (raw, shown) in cases {
            assert_eq!(terminal_safe(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn tables_guard_formulas_on_paper_but_not_on_a_terminal() {
        let lines = [line("alice", "=HYPERLINK(\"x\")\x1b[2J", "due")];
        let paper = table(&lines, Style::default());
        assert!(paper.contains("'=HYPERLINK(\"x\")\\u{1b}[2J"), "{paper}");
        let screen = table(
            &lines,
            Style {
                terminal: true,
                ..Style::default()
            },
        );
        assert!(screen.contains("  =HYPERLINK(\"x\")\\u{1b}[2J"), "{screen}");
        assert!(!screen.contains('\x1b'), "{screen}");
    }

    #[test]
    fn formula_cells_are_escaped() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(safe_cell(cell), format!("'{cell}"));
        }
        for cell in ["Acme", "", "1", " =x", "'quoted"] {
            assert_eq!(safe_cell(cell), cell);
        }
    }

    #[test]
    fn formulas_behind_invisible_characters_are_escaped() {
        // A spreadsheet skips these before reading the cell, so they hide
        // the formula that follows.
        let hiding = [
            "\u{a0}",
            "\u{feff}",
            "\u{200b}",
            "\u{200c}",
            "\u{200d}",
            "\u{2060}",
            "\u{2000}",
            "\u{2007}",
            "\u{200a}",
            "\u{3000}",
            "\u{202f}",
            "\u{a0}\u{200b}\u{feff}",
        ];
        for lead in hiding {
            for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
                let cell = format!("{lead}{formula}");
                assert_eq!(safe_cell(&cell), format!("'{cell}"), "{cell:?}");
                let mut audit = Vec::new();
                audit_cell(&mut audit, cell.as_bytes(), true);
                assert!(
                    audit.starts_with(b"'") || audit.starts_with(b"\"'"),
                    "{cell:?}"
                );
            }
            // Without a formula after them, the text is left alone.
            for plain in ["Acme", "", "1", " =x"] {
                let cell = format!("{lead}{plain}");
                assert_eq!(safe_cell(&cell), cell, "{cell:?}");
            }
        }
        assert_eq!(safe_cell("\u{a0}Acme Corp"), "\u{a0}Acme Corp");
        assert_eq!(safe_cell("caf\u{e9}=x"), "caf\u{e9}=x");
        // The normalised phone is never escaped, in the queue or the table.
        let mut queue = Vec::new();
        let lines = [line("alice", "\u{a0}=HYPERLINK(\"x\")", "due")];
        write_queue(&mut queue, Format::Csv, &lines, &[], Style::default()).unwrap();
        let queue = String::from_utf8(queue).unwrap();
        assert!(queue.contains(",+12125550100,"), "{queue}");
        assert!(queue.contains(",\"'\u{a0}=HYPERLINK("), "{queue}");
        let paper = table(&lines, Style::default());
        assert!(paper.contains("  +12125550100  "), "{paper}");
    }

    #[test]
    fn rep_names_become_safe_file_names() {
        assert_eq!(safe_file_name("alice"), "alice");
        assert_eq!(safe_file_name("Mary Jo"), "Mary_Jo");
        assert_eq!(safe_file_name("../../etc/passwd"), "____etc_passwd");
        assert_eq!(safe_file_name(".hidden"), "_hidden");
        assert_eq!(safe_file_name("a/b\\c"), "a_b_c");
        assert_eq!(safe_file_name("..."), "_.");
        assert_eq!(safe_file_name(""), "_");
        assert_eq!(safe_file_name("josé"), "josé");
        for hostile in ["..", "../x", "/abs", "a/../b", ".", "~/x", "x\0y"] {
            let name = safe_file_name(hostile);
            assert!(
                !name.contains('/') && !name.contains("..") && !name.starts_with('.'),
                "{hostile:?} -> {name:?}"
            );
        }
    }

    #[test]
    fn long_rep_names_are_shortened_to_fit_and_stay_distinct() {
        let long = "\u{e9}".repeat(200);
        let a = safe_file_name(&format!("{long}a"));
        let b = safe_file_name(&format!("{long}b"));
        assert_ne!(a, b);
        assert!(a.len() <= 120 && b.len() <= 120, "{a} {b}");
        assert!(a.starts_with(&"\u{e9}".repeat(50)), "{a}");
        assert_eq!(a, safe_file_name(&format!("{long}a")));
        // Names that fit are left whole.
        let fits = "x".repeat(120);
        assert_eq!(safe_file_name(&fits), fits);
    }

    #[test]
    fn outputs_are_replaced_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        fs::write(&a, "old a\n").unwrap();
        fs::write(&b, "old b\n").unwrap();
        let write = |text: &'static str| {
            move |out: &mut AtomicFile| -> Result<()> {
                out.write_all(text.as_bytes())?;
                Ok(())
            }
        };
        // Both made, never committed: nothing changes, nothing is left.
        let outputs = Outputs::new();
        outputs.write(&a, write("new a\n")).unwrap();
        outputs.write(&b, write("new b\n")).unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a\n");
        drop(outputs);
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "old b\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
        let outputs = Outputs::new();
        outputs.write(&a, write("new a\n")).unwrap();
        outputs.write(&b, write("new b\n")).unwrap();
        outputs.commit().unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "new a\n");
        assert_eq!(fs::read_to_string(&b).unwrap(), "new b\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_written_through() {
        // Asked only, never written: these are the machine's own.
        for path in ["/dev/null", "/dev/stdout", "/dev/fd/1"] {
            assert!(written_through(Path::new(path)), "{path}");
        }
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("q.csv");
        assert!(!written_through(&plain), "a missing file is created");
        fs::write(&plain, "x").unwrap();
        assert!(!written_through(&plain), "a regular file is replaced");
        assert!(written_through(dir.path()), "a folder is not replaced");
    }

    #[test]
    fn atomic_write_replaces_or_leaves_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.csv");
        fs::write(&path, "old\n").unwrap();
        let failed = write_atomic(&path, |out| {
            out.write_all(b"partial")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file left behind"
        );
        write_atomic(&path, |out| {
            out.write_all(b"new\n")?;
            Ok(())
        })
        .unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
    }
}
