//! Opening inputs (a path, or `-` for standard input) and the one place where
//! CSV readers are built and headers matched to the columns callqueue reads.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use wide::u8x16;

/// A column callqueue reads, and the other headers that read as it with no
/// `[columns]` entry: the spellings CRMs write for it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// Matched as headers match (`header_key`), so `Do Not Call` also
    /// stands for `do-not-call` and `DO_NOT_CALL`.
    pub spellings: &'static [&'static str],
}

/// Every column callqueue knows, in any input; `[columns]` maps other
/// headers onto these names. A column's CRM spellings are listed here and
/// nowhere else (the README lists them all). A header that is not a
/// column's exact spelling is not read as that column: a `Region` or
/// `Territory` is a sales region, never a state.
pub const COLUMNS: &[Column] = &[
    column("account_id", &[]),
    column("phone", &[]),
    column("name", &[]),
    column("rep", &[]),
    column("status", &[]),
    // Salesforce's Do Not Call field (its label and its API name), the
    // common abbreviation, and the flag as other CRMs and sheets name it.
    // `Opt Out` is the column's own name as headers match; it is listed
    // so that this list is the whole list.
    column(
        "opt_out",
        &["Do Not Call", "DoNotCall", "DNC", "Opted Out", "Opt Out"],
    ),
    column("timezone", &[]),
    column("priority", &[]),
    column("last_order", &[]),
    column("at", &[]),
    column("outcome", &[]),
    column("callback_at", &[]),
    column("note", &[]),
];

/// What `[columns]` maps a header to so that it is neither read nor
/// reported: a column that looks like an opt-out flag but means something
/// else (an email opt-out, say).
pub const IGNORE: &str = "ignore";

const fn column(name: &'static str, spellings: &'static [&'static str]) -> Column {
    Column { name, spellings }
}

/// The names of `COLUMNS`, in order.
pub fn column_names() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|c| c.name)
}

/// One input file as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// How messages name it: the path as given, or `<stdin>`.
    pub name: Arc<str>,
    path: Option<PathBuf>,
}

impl Input {
    /// `-` means standard input.
    pub fn new(path: &Path) -> Input {
        if path.as_os_str() == "-" {
            Input {
                name: Arc::from("<stdin>"),
                path: None,
            }
        } else {
            Input {
                name: Arc::from(path.display().to_string()),
                path: Some(path.to_path_buf()),
            }
        }
    }

    pub fn is_stdin(&self) -> bool {
        self.path.is_none()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Opens the input for reading. Unbuffered: `CsvReader` reads in large
    /// blocks into its own buffer, and a second buffer would only copy.
    pub fn open(&self) -> Result<Box<dyn Read + Send>> {
        match &self.path {
            None => Ok(Box::new(io::stdin())),
            Some(path) => {
                let file = File::open(path)
                    .with_context(|| format!("{}: cannot open ({})", self.name, open_hint(path)))?;
                Ok(Box::new(file))
            }
        }
    }

    /// About how many rows the input holds, from its size and the rows in
    /// its first 64 KB, at most `MAX_ESTIMATE`; 0 when that cannot be known
    /// (standard input, a file that cannot be read). For sizing tables
    /// before reading.
    pub fn estimate_rows(&self) -> usize {
        const HEAD: usize = 64 * 1024;
        let Some(Ok(mut file)) = self.path.as_ref().map(File::open) else {
            return 0;
        };
        let size = file.metadata().map_or(0, |m| m.len());
        let mut head = vec![0u8; HEAD];
        let mut filled = 0;
        while filled < HEAD {
            match file.read(&mut head[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return 0,
            }
        }
        // The rows whole in the head, and the bytes they take.
        let head = &head[..filled];
        let Some(last) = memchr::memrchr(b'\n', head) else {
            return 0;
        };
        // Blank lines are not rows (and a file padded with them at the
        // start must not look like millions of rows).
        let mut lines = 0u64;
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', head) {
            if !matches!(&head[start..end], b"" | b"\r") {
                lines += 1;
            }
            start = end + 1;
        }
        let taken = last as u64 + 1;
        usize::try_from(size.saturating_mul(lines) / taken).map_or(0, |n| n.min(MAX_ESTIMATE))
    }
}

/// The most rows `Input::estimate_rows` gives. An id table is written
/// whole when made, so an estimate thrown off by an odd start of a file
/// (a run of very short rows) must not cost much; beyond this, tables grow
/// as they are read, as they would with no estimate.
pub const MAX_ESTIMATE: usize = 1 << 22;

/// The room to set aside for `expected` items, the number an estimate
/// gives: a little over, since room never used is never touched (and so
/// takes no memory), while a list that must grow is copied whole.
pub fn room_for(expected: usize) -> usize {
    expected.saturating_add(expected / 8)
}

/// Sets `room_for(expected)` aside in `list`. Where the room cannot be
/// had, the list simply grows as it fills.
pub fn make_room<T>(list: &mut Vec<T>, expected: usize) {
    let _ = list.try_reserve(room_for(expected));
}

fn open_hint(path: &Path) -> &'static str {
    if path.exists() {
        "check its permissions"
    } else {
        "check the path, or the setting in callqueue.toml"
    }
}

/// Reads CSV records with the settings every input shares: a header row,
/// RFC 4180 quoting, rows of any length (a short or long row is reported
/// by the caller, not fatal), a leading byte-order mark skipped, and blank
/// lines skipped.
///
/// Built on `csv_core` rather than `csv::Reader` so that each record's
/// line number is exact (the physical line it starts on, counting quoted
/// newlines and blank lines, with LF or CRLF), and so that a record's
/// bytes are parsed into one reused buffer.
#[derive(Debug)]
pub struct CsvReader<R> {
    source: R,
    core: csv_core::Reader,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// `\n` bytes before `buf[start]`.
    newlines: u64,
    at_file_start: bool,
    delimiter: u8,
    /// Where the delimiters are in `buf[..end]`, from where indexing
    /// began: bit `j` of `delimiters[w]` marks byte `index_from + 64 w + j`;
    /// `others` marks the quotes, line breaks and other control bytes
    /// alike. `indexed` is false once `fill` has moved the bytes.
    delimiters: Vec<u64>,
    others: Vec<u64>,
    indexed: bool,
    /// The part of `buf` the list covers.
    index_from: usize,
    indexed_to: usize,
    /// The plain-line path's quoted fields in the current line: the
    /// field's number and where its text starts and ends in the line.
    quoted: Vec<(usize, usize, usize)>,
}

/// One CSV record: its fields and the line it starts on.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub line: u64,
    /// A quoted field of this record that runs across lines, or that is
    /// never closed: the rows of a history or a do-not-call list it
    /// swallowed may hold an opt-out, so their readers refuse it.
    pub long_quote: Option<LongQuote>,
    /// The record's bytes (a buffer: only the fields' ranges count), one
    /// byte between fields (the delimiter, as a plain line has it).
    data: Vec<u8>,
    /// Where each field ends in `data`; the next starts one byte later.
    ends: Vec<usize>,
    /// csv_core's output while it reads a record: fields back to back,
    /// and their ends.
    core_data: Vec<u8>,
    core_ends: Vec<usize>,
}

/// A quoted field that runs past the end of its line (`Row::long_quote`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongQuote {
    /// Line breaks inside the record's quoted fields.
    pub breaks: u64,
    /// False when the input ended inside the quote.
    pub closed: bool,
}

impl LongQuote {
    /// What is wrong, for a problem on the record's line (where the quote
    /// opened).
    pub fn message(self) -> String {
        if self.closed {
            format!(
                "a quoted field opens on this line and runs across {} line break(s); \
                 the rows it swallowed may hold an opt-out, so they are not read: \
                 close the quote where the field should end, or keep the field on one line",
                self.breaks
            )
        } else {
            "a quoted field opens on this line and is never closed, so every line after \
             it would be read as part of it (one may be an opt-out): close the quote \
             (a quote inside a quoted field is written twice: \"\")"
                .to_owned()
        }
    }
}

/// Where the csv_core path is in a record's quoting: fed the bytes csv_core
/// consumed, it sees what csv_core does not tell, a quote left open at the
/// end of the input and line breaks inside quotes. It follows csv_core's
/// RFC 4180 reading: a quote opens a quoted field only at the field's
/// start, `""` inside one is a quote, and a quote elsewhere is text.
#[derive(Debug, Clone, Copy, Default)]
struct QuoteTrack {
    state: QuoteState,
    /// Line breaks inside quotes: a line feed, or a carriage return on its
    /// own (a row's end to csv_core outside quotes, so it can hide rows as
    /// well as a line feed can).
    breaks: u64,
    carriage_return: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum QuoteState {
    #[default]
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: its end, or the first of `""`.
    QuoteInQuoted,
}

impl QuoteTrack {
    fn feed(&mut self, bytes: &[u8], delimiter: u8) {
        use QuoteState::*;
        for &b in bytes {
            if self.carriage_return && b != b'\n' {
                self.breaks += 1;
            }
            self.carriage_return = false;
            let ends_field = b == delimiter || b == b'\n' || b == b'\r';
            self.state = match (self.state, b) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, b'\n') => {
                    self.breaks += 1;
                    Quoted
                }
                (Quoted, b'\r') => {
                    self.carriage_return = true;
                    Quoted
                }
                (Quoted, _) | (QuoteInQuoted, b'"') => Quoted,
                (FieldStart, b'"') => Quoted,
                _ if ends_field => FieldStart,
                _ => Unquoted,
            };
        }
    }

    /// The record's long quote, once csv_core has read it whole.
    fn finish(self) -> Option<LongQuote> {
        let breaks = self.breaks + u64::from(self.carriage_return);
        let closed = self.state != QuoteState::Quoted;
        (breaks > 0 || !closed).then_some(LongQuote { breaks, closed })
    }
}

/// Where field `i` lies, given where each field ends: the first starts at
/// 0, and each next one byte after the end before it.
fn field_range(ends: &[usize], i: usize) -> Option<Range<usize>> {
    let end = *ends.get(i)?;
    let start = match i {
        0 => 0,
        _ => ends[i - 1] + 1,
    };
    Some(start..end)
}

impl Row {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.data.get(field_range(&self.ends, i)?)
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The fields as text, when the whole row is valid UTF-8: checked once
    /// for the row rather than field by field. `None` otherwise (or when a
    /// byte between fields is not ASCII, so that a field's edge could fall
    /// inside a character): read such a row's fields one by one.
    pub fn texts(&self) -> Option<Texts<'_>> {
        let used = self.ends.last().copied().unwrap_or(0);
        let (_, between) = self.ends.split_last()?;
        if !between
            .iter()
            .all(|&at| self.data.get(at).is_some_and(u8::is_ascii))
        {
            return None;
        }
        let text = std::str::from_utf8(self.data.get(..used)?).ok()?;
        Some(Texts {
            text,
            ends: &self.ends,
        })
    }
}

/// A valid UTF-8 row's fields as text (`Row::texts`).
#[derive(Debug, Clone, Copy)]
pub struct Texts<'r> {
    text: &'r str,
    ends: &'r [usize],
}

impl<'r> Texts<'r> {
    /// Field `i`, as `Row::get` gives its bytes.
    pub fn get(&self, i: usize) -> Option<&'r str> {
        self.text.get(field_range(self.ends, i)?)
    }
}

/// Where a walk over a buffer's special bytes (`OTHERS`: only those other
/// than delimiters) is: the word of marks, and the marks in it not yet
/// walked past.
#[derive(Debug)]
struct Walk<const OTHERS: bool> {
    word: usize,
    marks: u64,
}

/// What the plain-line path found at the reader's position.
#[derive(Debug, PartialEq, Eq)]
enum Plain {
    /// A plain line, its fields' ends in the row: its length with the
    /// line break.
    Line(usize),
    /// A quote or a lone carriage return: csv_core's to read.
    Other,
    /// No line break yet: more input is needed.
    More,
    /// The list of special bytes must be made again from here.
    Again,
}

/// Marks the special bytes of `buf[from..]`, a bit per byte and 64 bytes
/// to a word, sixteen bytes at a time (SIMD, through the `wide` crate's
/// safe vectors): each delimiter in `delimiters`, and each quote, carriage
/// return, line break or other byte below 0x0e (that is not the delimiter)
/// in `others`. The plain-line path then finds a line's end and its
/// fields' ends without looking at every byte.
fn index_specials(
    buf: &[u8],
    from: usize,
    delimiter: u8,
    delimiters: &mut Vec<u64>,
    others: &mut Vec<u64>,
) {
    let (d, q, below) = (
        u8x16::splat(delimiter),
        u8x16::splat(b'"'),
        u8x16::splat(0x0e),
    );
    let other = |b: u8| b != delimiter && (b == b'"' || b < 0x0e);
    let bytes = buf.get(from..).unwrap_or_default();
    delimiters.reserve(bytes.len().div_ceil(64));
    others.reserve(bytes.len().div_ceil(64));
    let mut blocks = bytes.chunks_exact(64);
    for block in &mut blocks {
        let (mut delims, mut rest) = (0u64, 0u64);
        for (k, part) in block.chunks_exact(16).enumerate() {
            let v = u8x16::new(part.try_into().unwrap_or_default());
            let is_delim = u64::from(v.simd_eq(d).to_bitmask() & 0xffff);
            let is_other = u64::from((v.simd_eq(q) | v.simd_lt(below)).to_bitmask() & 0xffff);
            delims |= is_delim << (16 * k);
            rest |= (is_other & !is_delim) << (16 * k);
        }
        delimiters.push(delims);
        others.push(rest);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let marks = |special: &dyn Fn(u8) -> bool| {
            tail.iter()
                .enumerate()
                .fold(0u64, |marks, (j, &b)| marks | (u64::from(special(b)) << j))
        };
        delimiters.push(marks(&|b| b == delimiter));
        others.push(marks(&other));
    }
}

const READ_CHUNK: usize = 256 * 1024;

/// How far ahead of a row the special bytes are listed at most: a record
/// longer than this (a huge quoted field, say) is csv_core's to read, so
/// that the list stays small whatever the input.
const INDEX_SPAN: usize = 1024 * 1024;

impl<R: Read> CsvReader<R> {
    pub fn new(source: R, delimiter: u8) -> CsvReader<R> {
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // csv_core drops a byte-order mark at the start of whatever it
        // reads first, which here may be a row in the middle of the file
        // (the plain path reads the rows before it): a blank line read
        // first takes that turn. The file's own mark is skipped by `read`.
        let _ = core.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        CsvReader {
            source,
            core,
            buf: vec![0; READ_CHUNK],
            start: 0,
            end: 0,
            eof: false,
            newlines: 0,
            at_file_start: true,
            delimiter,
            delimiters: Vec::new(),
            others: Vec::new(),
            indexed: false,
            index_from: 0,
            indexed_to: 0,
            quoted: Vec::new(),
        }
    }

    /// Moves unread bytes to the front and reads more. False at the end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        self.indexed = false;
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads the next record into `row`; false at the end of the input.
    pub fn read(&mut self, row: &mut Row) -> io::Result<bool> {
        if self.at_file_start {
            while self.end - self.start < 3 && self.fill()? {}
            if self.buf[self.start..self.end].starts_with(b"\xef\xbb\xbf") {
                self.start += 3;
            }
            self.at_file_start = false;
        }
        // Skip blank lines ourselves, so that the record's line is known.
        let blank = |b: &u8| *b == b'\n' || *b == b'\r';
        while self.buf[self.start..self.end].first().is_none_or(blank) {
            match self.buf[self.start..self.end]
                .iter()
                .position(|b| !blank(b))
            {
                Some(k) => {
                    self.count_newlines(self.start + k);
                    break;
                }
                None => {
                    self.count_newlines(self.end);
                    if !self.fill()? {
                        break;
                    }
                }
            }
        }
        row.line = self.newlines + 1;
        row.long_quote = None;
        if self.read_plain(row)? {
            return Ok(true);
        }
        if row.core_data.is_empty() {
            row.core_data.resize(1024, 0);
        }
        if row.core_ends.is_empty() {
            row.core_ends.resize(64, 0);
        }
        let (mut nout, mut nend) = (0, 0);
        let mut quotes = QuoteTrack::default();
        loop {
            let (result, nin, out, ends) = self.core.read_record(
                &self.buf[self.start..self.end],
                &mut row.core_data[nout..],
                &mut row.core_ends[nend..],
            );
            // csv_core keeps field ends relative to the record's start,
            // across calls.
            let consumed_to = self.start + nin;
            quotes.feed(&self.buf[self.start..consumed_to], self.delimiter);
            self.count_newlines(consumed_to);
            nout += out;
            nend += ends;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {
                    // At the end, the next call's empty input tells
                    // csv_core that the data has ended.
                    self.fill()?;
                }
                csv_core::ReadRecordResult::OutputFull => {
                    let len = row.core_data.len();
                    row.core_data.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = row.core_ends.len();
                    row.core_ends.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::Record => {
                    // Laid out as a plain line is: a byte between fields.
                    row.data.clear();
                    row.ends.clear();
                    let mut from = 0;
                    for &end in &row.core_ends[..nend] {
                        if !row.ends.is_empty() {
                            row.data.push(self.delimiter);
                        }
                        row.data.extend_from_slice(&row.core_data[from..end]);
                        row.ends.push(row.data.len());
                        from = end;
                    }
                    row.long_quote = quotes.finish();
                    return Ok(true);
                }
                csv_core::ReadRecordResult::End => {
                    row.ends.clear();
                    return Ok(false);
                }
            }
        }
    }

    /// Reads the next record if it is one plain line (no quote, no carriage
    /// return but a final one): most rows of most exports. Such a line
    /// splits at each delimiter exactly as csv_core would split it; any
    /// other record is left for csv_core. False when nothing was read.
    fn read_plain(&mut self, row: &mut Row) -> io::Result<bool> {
        loop {
            if !self.indexed {
                self.delimiters.clear();
                self.others.clear();
                self.index_from = self.start;
                self.indexed_to = self.end.min(self.start + INDEX_SPAN);
                let buf = &self.buf[..self.indexed_to];
                index_specials(
                    buf,
                    self.start,
                    self.delimiter,
                    &mut self.delimiters,
                    &mut self.others,
                );
                self.indexed = true;
            }
            row.ends.clear();
            self.quoted.clear();
            // Most lines: nothing special but delimiters before the line
            // break. Their fields end at the delimiters marked in between.
            if let Some(at) = self.first_other(self.start)
                && self.buf[at] == b'\n'
            {
                self.delimiters_before(at, &mut row.ends);
                row.ends.push(at - self.start);
                self.take_line(row, at + 1 - self.start);
                return Ok(true);
            }
            let mut walk = self.walk_from::<false>(self.start);
            let found = loop {
                let Some(at) = self.next_special(&mut walk) else {
                    break self.list_end();
                };
                match self.buf[at] {
                    b if b == self.delimiter => row.ends.push(at - self.start),
                    b'\n' => {
                        row.ends.push(at - self.start);
                        break Plain::Line(at + 1 - self.start);
                    }
                    b'\r' => match self.buf[..self.end].get(at + 1) {
                        Some(b'\n') => {
                            row.ends.push(at - self.start);
                            break Plain::Line(at + 2 - self.start);
                        }
                        Some(_) => break Plain::Other,
                        None => break Plain::More,
                    },
                    b'"' => {
                        let field = row.ends.len();
                        let from = row.ends.last().map_or(0, |&end| end + 1);
                        match self.quoted_field(at, from, &mut walk) {
                            Ok(text) => self.quoted.push((field, text.start, text.end)),
                            Err(other) => break other,
                        }
                    }
                    // Another control byte: part of a field.
                    _ => {}
                }
            };
            match found {
                Plain::Line(next) => {
                    if self.quoted.is_empty() {
                        self.take_line(row, next);
                        return Ok(true);
                    }
                    // Laid out without the quotes: each field's text, one
                    // byte between fields.
                    let line = &self.buf[self.start..self.start + next];
                    row.data.clear();
                    let mut quoted = self.quoted.iter().peekable();
                    let mut from = 0;
                    for (i, end) in row.ends.iter_mut().enumerate() {
                        let text = match quoted.next_if(|q| q.0 == i) {
                            Some(&(_, start, stop)) => &line[start..stop],
                            None => &line[from..*end],
                        };
                        from = *end + 1;
                        if i > 0 {
                            row.data.push(self.delimiter);
                        }
                        row.data.extend_from_slice(text);
                        *end = row.data.len();
                    }
                    self.start += next;
                    self.newlines += 1;
                    return Ok(true);
                }
                Plain::Other => return Ok(false),
                Plain::Again => self.indexed = false,
                // The last line, without a line break: csv_core's to read.
                Plain::More if self.eof => return Ok(false),
                Plain::More => {
                    if !self.fill()? {
                        return Ok(false);
                    }
                }
            }
        }
    }

    /// A field that is quoted whole, with no quote or line break inside,
    /// reads as its inside; anything else with a quote is csv_core's. For a
    /// quote at `at` in the buffer, in the field starting at `from` in the
    /// row: walks past the closing quote and gives the field's text in
    /// the row. The delimiter or line break after it is the next one
    /// listed, and ends the field as usual.
    fn quoted_field(
        &self,
        at: usize,
        from: usize,
        walk: &mut Walk<false>,
    ) -> Result<Range<usize>, Plain> {
        if at - self.start != from {
            return Err(Plain::Other);
        }
        let close = loop {
            let Some(q) = self.next_special(walk) else {
                return Err(self.list_end());
            };
            match self.buf[q] {
                b'"' => break q,
                b'\n' | b'\r' => return Err(Plain::Other),
                _ => {}
            }
        };
        match self.buf[..self.end].get(close + 1) {
            Some(&b) if b == self.delimiter || b == b'\n' || b == b'\r' => {
                Ok(from + 1..close - self.start)
            }
            Some(_) => Err(Plain::Other),
            None => Err(Plain::More),
        }
    }

    /// Word `w` of the marks a walk follows: every special byte, or
    /// (`OTHERS`) those other than delimiters.
    fn marks<const OTHERS: bool>(&self, w: usize) -> Option<u64> {
        let others = *self.others.get(w)?;
        match OTHERS {
            true => Some(others),
            false => Some(self.delimiters.get(w)? | others),
        }
    }

    /// A walk over the special bytes listed (`OTHERS`: only those other
    /// than delimiters), from byte `from` of `buf`.
    fn walk_from<const OTHERS: bool>(&self, from: usize) -> Walk<OTHERS> {
        let offset = from.saturating_sub(self.index_from);
        let word = offset / 64;
        let marks = self.marks::<OTHERS>(word).unwrap_or(0);
        Walk {
            word,
            marks: marks & (u64::MAX << (offset % 64)),
        }
    }

    /// The walk's next special byte, if any is listed.
    fn next_special<const OTHERS: bool>(&self, walk: &mut Walk<OTHERS>) -> Option<usize> {
        while walk.marks == 0 {
            walk.word += 1;
            walk.marks = self.marks::<OTHERS>(walk.word)?;
        }
        let at = self.index_from + walk.word * 64 + walk.marks.trailing_zeros() as usize;
        walk.marks &= walk.marks - 1;
        (at < self.indexed_to).then_some(at)
    }

    /// The first special byte other than a delimiter at or after byte
    /// `from` of `buf`, if one is listed.
    fn first_other(&self, from: usize) -> Option<usize> {
        self.next_special(&mut self.walk_from::<true>(from))
    }

    /// Adds the delimiters from the reader's position up to byte `to` of
    /// `buf` (all listed) to `ends`, as offsets from the position.
    fn delimiters_before(&self, to: usize, ends: &mut Vec<usize>) {
        let (from, to) = (self.start - self.index_from, to - self.index_from);
        for word in from / 64..=to / 64 {
            let mut marks = self.delimiters.get(word).copied().unwrap_or(0);
            if word == from / 64 {
                marks &= u64::MAX << (from % 64);
            }
            if word == to / 64 {
                marks &= (1u64 << (to % 64)) - 1;
            }
            while marks != 0 {
                ends.push(word * 64 + marks.trailing_zeros() as usize - from);
                marks &= marks - 1;
            }
        }
    }

    /// Copies the plain line of `len` bytes at the reader's position (its
    /// field ends already in `row`) into `row`, and moves past it.
    fn take_line(&mut self, row: &mut Row, len: usize) {
        if row.data.len() < len {
            row.data.resize(len.max(1024), 0);
        }
        row.data[..len].copy_from_slice(&self.buf[self.start..self.start + len]);
        self.start += len;
        self.newlines += 1;
    }

    /// What running out of listed special bytes means for a row: more
    /// input is needed, or the row is longer than the list may run
    /// (csv_core's), or the list must be made again from this row.
    fn list_end(&self) -> Plain {
        if self.indexed_to == self.end {
            Plain::More
        } else if self.index_from == self.start {
            Plain::Other
        } else {
            Plain::Again
        }
    }

    /// Advances `start` to `to`, counting the line breaks passed.
    fn count_newlines(&mut self, to: usize) {
        self.newlines += memchr::memchr_iter(b'\n', &self.buf[self.start..to]).count() as u64;
        self.start = to;
    }
}

/// The line on which a quoted field opens that the input never closes, if
/// it ends inside one: what `record` looks for before appending, since rows
/// appended there would be read as part of the open field. Reads the whole
/// input once but looks at its quotes only, following `CsvReader`'s
/// reading (a quote opens a field only at the field's start).
pub fn open_quote_at_end(source: impl Read, delimiter: u8) -> io::Result<Option<u64>> {
    open_quote_in_chunks(source, delimiter, READ_CHUNK)
}

fn open_quote_in_chunks(
    mut source: impl Read,
    delimiter: u8,
    chunk: usize,
) -> io::Result<Option<u64>> {
    let mut buf = vec![0u8; chunk];
    let mut line = 1u64;
    // Inside a quoted field opened on this line.
    let mut quoted: Option<u64> = None;
    // Inside one, the chunk ended on a quote: `""` or the field's end.
    let mut quote_last = false;
    // The byte before the chunk, as far as a quote's opening goes.
    let mut before = b'\n';
    let mut at_start = true;
    loop {
        let n = read_some(&mut source, &mut buf)?;
        if n == 0 {
            break;
        }
        let mut bytes = &buf[..n];
        if at_start {
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            at_start = false;
        }
        let mut i = 0;
        if quote_last {
            quote_last = false;
            if bytes.first() == Some(&b'"') {
                i = 1;
            } else {
                quoted = None;
                before = b'"';
            }
        }
        let lines = |from: usize, to: usize| memchr::memchr_iter(b'\n', &bytes[from..to]).count();
        while i < bytes.len() {
            let Some(q) = memchr::memchr(b'"', &bytes[i..]).map(|k| i + k) else {
                line += lines(i, bytes.len()) as u64;
                if quoted.is_none() {
                    before = bytes[bytes.len() - 1];
                }
                break;
            };
            line += lines(i, q) as u64;
            if quoted.is_some() {
                i = match bytes.get(q + 1) {
                    None => {
                        quote_last = true;
                        q + 1
                    }
                    Some(b'"') => q + 2,
                    Some(_) => {
                        quoted = None;
                        before = b'"';
                        q + 1
                    }
                };
            } else {
                let prev = if q > 0 { bytes[q - 1] } else { before };
                if prev == delimiter || prev == b'\n' || prev == b'\r' {
                    quoted = Some(line);
                }
                before = b'"';
                i = q + 1;
            }
        }
    }
    Ok(quoted.filter(|_| !quote_last))
}

/// Reads what is there, up to a buffer's worth: 0 at the end.
fn read_some(source: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match source.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// A header (or outcome word) in the form used for matching: trimmed,
/// lower-case, and without spaces, `_` and `-`. docs/inputs.md treats runs of
/// those alike (`Account ID` = `account_id`); dropping them also matches
/// `OptOut` and `Time Zone`, so that a CRM's spelling of the opt-out column
/// is never silently ignored.
pub fn header_key(text: &str) -> String {
    crate::domain::word_key(text)
}

/// The column (from `COLUMNS`) that `text` names, by the column's own name
/// or one of its CRM spellings, if any.
pub fn column_name(text: &str) -> Option<&'static str> {
    let key = header_key(text);
    COLUMNS
        .iter()
        .find(|c| header_key(c.name) == key || c.spellings.iter().any(|s| header_key(s) == key))
        .map(|c| c.name)
}

/// Words that make a header look like an opt-out or consent flag, tested
/// against the header as `flag_key` folds it (letters and digits only, lower
/// case). A territory header holding one is read (as opt_out), mapped in
/// `[columns]` (to a column, or to ignore), or it stops the run: a flag that
/// may mean "stop calling" is never silently dropped. Each word is long or
/// odd enough not to turn up inside an ordinary header (`Description`,
/// `Contact Owner`, `Territory`, `Adoption Date` are not flags). Each says
/// which kind of flag it marks.
pub const FLAG_WORDS: &[(&str, Flag)] = &[
    // Opt Out, Opt-Out Flag, OptOut?, SMS Opt Out, Email Opt Out.
    ("optout", Flag::StopCalling),
    // Opted Out, HasOptedOutOfEmail (HubSpot, Salesforce).
    ("optedout", Flag::StopCalling),
    // Opt In, SMS Opt-In: a consent, which may be missing or withdrawn.
    ("optin", Flag::Consent),
    // Opted In.
    ("optedin", Flag::Consent),
    // Consent, Call Consent, TCPA Consent.
    ("consent", Flag::Consent),
    // Unsubscribed, Unsubscribe Date.
    ("unsubscri", Flag::StopCalling),
    // Suppressed, Suppression: a marketing tool's "never contact".
    ("suppress", Flag::StopCalling),
    // DNC, DNC Flag, Internal DNC: the do-not-call abbreviation.
    ("dnc", Flag::StopCalling),
    // Do Not Call, DoNotCall__c (a custom field's API name), Do Not Contact,
    // Do Not Email, Do Not Mail, Do Not Text, Do Not Solicit; not the bare
    // "donot", which "Condo Notes" holds.
    ("donotcall", Flag::StopCalling),
    ("donotcontact", Flag::StopCalling),
    ("donotemail", Flag::StopCalling),
    ("donotmail", Flag::StopCalling),
    ("donottext", Flag::StopCalling),
    ("donotsolicit", Flag::StopCalling),
    // Don't Call, No Call: the same flag in plainer words.
    ("dontcall", Flag::StopCalling),
    ("nocall", Flag::StopCalling),
];

/// What a flag header may say about calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Stop (an opt-out, a do-not-call): read it as opt_out or set it aside.
    StopCalling,
    /// The customer agreed (an opt-in, a consent). callqueue reads no
    /// consent column yet, and read as opt_out its "yes" would mean stop:
    /// only ignore is offered.
    Consent,
}

/// A header as the opt-out test reads it: full-width forms (U+FF01 to
/// U+FF5E) as the ASCII characters they copy, invisible characters (zero-width
/// spaces and joiners, the word joiner, a byte-order mark, a soft hyphen)
/// left out, then letters and digits only, lower case. So `Opt-Out?`,
/// `ｏｐｔ＿ｏｕｔ` and `opt<U+200B>out` all read `optout`.
fn flag_key(text: &str) -> String {
    fold(text)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `text` with full-width ASCII forms made ASCII and invisible characters
/// left out: what a header looks like on screen.
fn fold(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
            )
        })
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            _ => c,
        })
}

/// A header that looks like an opt-out or consent flag but is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadFlag {
    pub header: String,
    /// `Consent` when the header holds only consent words.
    pub flag: Flag,
    /// The header reads as opt_out once full-width and invisible characters
    /// are taken out (`ｏｐｔ＿ｏｕｔ`): a look-alike, perhaps made to slip
    /// past, and so never read as the opt-out column.
    pub disguised: bool,
}

impl UnreadFlag {
    /// What is wrong and what to do, after `FILE:1: `; `config` names the
    /// config file.
    pub fn message(&self, config: &str) -> String {
        let h = &self.header;
        let what = match (self.disguised, self.flag) {
            (true, _) => format!(
                "header {h:?} reads as opt_out only with its invisible or full-width characters taken out, so it is not read; rename it opt_out, or"
            ),
            (false, Flag::StopCalling) => {
                format!("header {h:?} looks like an opt-out or consent flag but is not read;")
            }
            (false, Flag::Consent) => {
                format!("header {h:?} looks like a consent flag, which callqueue does not read;")
            }
        };
        format!(
            "{what} say what it is in [columns] of {config}: {}",
            self.fix()
        )
    }

    /// The mappings that would settle it, as examples.
    fn fix(&self) -> String {
        let h = &self.header;
        match self.flag {
            Flag::StopCalling => {
                format!("a column ({h:?} = \"opt_out\") or ignore ({h:?} = \"ignore\")")
            }
            Flag::Consent => format!("ignore ({h:?} = \"ignore\"), or the column it holds"),
        }
    }

    /// One message for all the flags of a file: each header named, and
    /// what to do (shown for the first that may say stop, else the first).
    pub fn message_for_all(flags: &[UnreadFlag], config: &str) -> String {
        let [first, rest @ ..] = flags else {
            return String::new();
        };
        let Some((last, between)) = rest.split_last() else {
            return first.message(config);
        };
        let mut names = format!("{:?}", first.header);
        for flag in between {
            names.push_str(&format!(", {:?}", flag.header));
        }
        let example = flags
            .iter()
            .find(|f| f.flag == Flag::StopCalling)
            .unwrap_or(first);
        format!(
            "headers {names} and {:?} look like opt-out or consent flags but are not read; say what each is in [columns] of {config}: {}",
            last.header,
            example.fix()
        )
    }
}

/// The headers of a territory that look like opt-out or consent flags
/// (hold one of `FLAG_WORDS` once folded by `flag_key`) but are neither a
/// column's spelling nor mapped in `[columns]`, in file order. Header work,
/// done once a file.
pub fn unread_flags(
    headers: &[String],
    aliases: &HashMap<String, &'static str>,
) -> Vec<UnreadFlag> {
    headers
        .iter()
        .filter(|h| column_name(h).is_none() && !aliases.contains_key(&header_key(h)))
        .filter_map(|h| {
            let key = flag_key(h);
            let mut flags = FLAG_WORDS
                .iter()
                .filter(|(word, _)| key.contains(word))
                .map(|&(_, flag)| flag);
            let first = flags.next()?;
            // A header that may say stop is a stop flag, whatever else it says.
            let flag = if first == Flag::StopCalling || flags.any(|f| f == Flag::StopCalling) {
                Flag::StopCalling
            } else {
                Flag::Consent
            };
            Some(UnreadFlag {
                header: h.clone(),
                flag,
                disguised: column_name(&fold(h).collect::<String>()) == Some("opt_out"),
            })
        })
        .collect()
}

/// Which field holds which column, for one file.
#[derive(Debug, Clone)]
pub struct Columns {
    found: HashMap<&'static str, usize>,
    /// The `--keep` columns, in the order asked for.
    pub keep: Vec<usize>,
    /// How many fields the header row has.
    pub width: usize,
    /// Headers that name nothing callqueue reads (and are not mapped to
    /// ignore).
    pub unused: Vec<String>,
}

impl Columns {
    pub fn get(&self, name: &str) -> Option<usize> {
        self.found.get(name).copied()
    }

    pub fn has(&self, name: &str) -> bool {
        self.found.contains_key(name)
    }
}

/// What a file's header must and may hold.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    pub required: &'a [&'static str],
    pub optional: &'a [&'static str],
    /// `--keep` names (territory only).
    pub keep: &'a [String],
}

/// Matches `headers` to column names. Two headers for one column, and a
/// missing required column, are errors that name the file.
pub fn match_columns(
    file: &str,
    headers: &[String],
    wanted: Wanted<'_>,
    aliases: &HashMap<String, &'static str>,
) -> Result<Columns> {
    let mut found: HashMap<&'static str, usize> = HashMap::new();
    let mut keep_found: Vec<Option<usize>> = vec![None; wanted.keep.len()];
    let mut unused = Vec::new();
    let text = |i: usize| headers[i].clone();
    for i in 0..headers.len() {
        let raw = text(i);
        let key = header_key(&raw);
        let name = aliases.get(&key).copied().or_else(|| column_name(&raw));
        let mut used = false;
        for (k, keep) in wanted.keep.iter().enumerate() {
            if header_key(keep) == key {
                if let Some(j) = keep_found[k] {
                    bail!(
                        "{file}:1: headers {:?} and {raw:?} both match --keep {keep:?}; rename one",
                        text(j)
                    );
                }
                keep_found[k] = Some(i);
                used = true;
            }
        }
        match name {
            Some(IGNORE) => {}
            Some(name) if wanted.required.contains(&name) || wanted.optional.contains(&name) => {
                if let Some(&j) = found.get(name) {
                    bail!(
                        "{file}:1: headers {:?} and {raw:?} both name the {name} column; rename or remove one",
                        text(j)
                    );
                }
                found.insert(name, i);
            }
            _ if !used => unused.push(raw),
            _ => {}
        }
    }
    for &name in wanted.required {
        if !found.contains_key(name) {
            bail!(
                "{file}: has no {name} column (its headers are: {}); {}",
                header_list(headers),
                missing_column_hint(headers)
            );
        }
    }
    let mut keep = Vec::with_capacity(wanted.keep.len());
    for (k, idx) in keep_found.into_iter().enumerate() {
        match idx {
            Some(i) => keep.push(i),
            None => bail!(
                "{file}: has no column {:?} to --keep (check the spelling)",
                wanted.keep[k]
            ),
        }
    }
    Ok(Columns {
        found,
        keep,
        width: headers.len(),
        unused,
    })
}

/// The headers, for a message: escaped, and at most twenty of them.
pub fn header_list(headers: &[String]) -> String {
    if headers.is_empty() {
        return "none".to_owned();
    }
    let mut shown: Vec<String> = headers
        .iter()
        .take(20)
        .map(|h| {
            let short: String = h.chars().take(40).collect();
            if short.chars().all(|c| !c.is_control()) && short == *h {
                short
            } else {
                format!("{short:?}")
            }
        })
        .collect();
    if headers.len() > 20 {
        shown.push(format!("and {} more", headers.len() - 20));
    }
    shown.join(", ")
}

/// What to do about a missing column: most often, another delimiter.
fn missing_column_hint(headers: &[String]) -> String {
    if let [only] = headers
        && only.chars().all(|c| !c.is_control() || c == '\t')
    {
        for (c, name) in [(';', ";"), ('\t', "tab"), ('|', "|")] {
            if only.contains(c) {
                return format!("the file looks {name}-separated: pass --delimiter '{name}'");
            }
        }
    }
    "add it, or name the header in [columns] of callqueue.toml".to_owned()
}

/// Reads the header row, with the file named in any error.
pub fn read_headers<R: Read>(file: &str, reader: &mut CsvReader<R>) -> Result<Vec<String>> {
    let mut row = Row::default();
    if !reader.read(&mut row).map_err(|e| read_error(file, &e))? {
        bail!("{file}: is empty; it needs a header row");
    }
    let headers: Vec<String> = row
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        bail!("{file}:{}: the header row is blank", row.line);
    }
    Ok(headers)
}

/// The next record, with the file named in any error.
pub fn next_row<R: Read>(file: &str, reader: &mut CsvReader<R>, row: &mut Row) -> Result<bool> {
    reader.read(row).map_err(|e| read_error(file, &e))
}

fn read_error(file: &str, err: &io::Error) -> anyhow::Error {
    anyhow::Error::new(io::Error::new(err.kind(), err.to_string()))
        .context(format!("{file}: cannot be read"))
}

/// A field as trimmed UTF-8 text, or `None` when it is not valid UTF-8.
pub fn text(field: &[u8]) -> Option<&str> {
    std::str::from_utf8(field.trim_ascii()).ok()
}

/// A field for a message: lossy, shortened to a readable length.
pub fn shown(field: &[u8]) -> String {
    let text = String::from_utf8_lossy(field.trim_ascii());
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| (*f).to_owned()).collect()
    }

    fn rows(data: &[u8]) -> Vec<(u64, Vec<String>)> {
        let mut reader = CsvReader::new(data, b',');
        let mut row = Row::default();
        let mut out = Vec::new();
        while reader.read(&mut row).unwrap() {
            out.push((
                row.line,
                row.iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect(),
            ));
        }
        out
    }

    fn r(line: u64, fields: &[&str]) -> (u64, Vec<String>) {
        (line, record(fields))
    }

    #[test]
    fn rows_are_estimated_from_the_size_and_the_first_rows() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, rows: usize| {
            let path = dir.path().join(name);
            let line = "AC00000001,Kestrel Salon,(320) 200-0001,Bob\n";
            std::fs::write(&path, line.repeat(rows)).unwrap();
            Input::new(&path)
        };
        // Read whole: exact.
        assert_eq!(write("small.csv", 10).estimate_rows(), 10);
        assert_eq!(write("empty.csv", 0).estimate_rows(), 0);
        // Larger than the 64 KB looked at: scaled, here exactly (even rows).
        assert_eq!(write("large.csv", 100_000).estimate_rows(), 100_000);
        // Blank lines are not counted, however many: one row in the first
        // 64 KB, scaled to the file's 8 MB.
        let blank = dir.path().join("blank.csv");
        std::fs::write(&blank, format!("a,b\n{}", "\r\n".repeat(4_000_000))).unwrap();
        assert_eq!(Input::new(&blank).estimate_rows(), 122);
        // A file whose start is all short rows is capped.
        let short = dir.path().join("short.csv");
        std::fs::write(&short, "a\n".repeat(MAX_ESTIMATE + 1000)).unwrap();
        assert_eq!(Input::new(&short).estimate_rows(), MAX_ESTIMATE);
        // Nothing to go on.
        assert_eq!(Input::new(Path::new("-")).estimate_rows(), 0);
        assert_eq!(
            Input::new(&dir.path().join("missing.csv")).estimate_rows(),
            0
        );
    }

    #[test]
    fn a_valid_row_reads_as_text_once_an_invalid_one_field_by_field() {
        let csv: &[u8] = b"a,\"b, c\",d\xc3\xa9\n\"x\"\"y\",,\n\xff,ok\n";
        let mut reader = CsvReader::new(csv, b',');
        let mut row = Row::default();
        let mut read = Vec::new();
        while reader.read(&mut row).unwrap() {
            let texts = row.texts();
            let owned = |f: Option<&str>| f.map(str::to_owned);
            let by_field: Vec<Option<String>> = row
                .iter()
                .map(|f| owned(std::str::from_utf8(f).ok()))
                .collect();
            let from_texts: Option<Vec<Option<String>>> =
                texts.map(|t| (0..row.len()).map(|i| owned(t.get(i))).collect());
            read.push((by_field, from_texts));
        }
        assert_eq!(read.len(), 3);
        // Valid rows (plain, quoted, with quotes inside): the same fields.
        for (by_field, from_texts) in &read[..2] {
            assert_eq!(from_texts.as_ref(), Some(by_field));
        }
        let text = |fields: &[&str]| -> Vec<Option<String>> {
            fields.iter().map(|f| Some((*f).to_owned())).collect()
        };
        assert_eq!(read[0].0, text(&["a", "b, c", "d\u{e9}"]));
        assert_eq!(read[1].0, text(&["x\"y", "", ""]));
        // A row with invalid UTF-8 is not text as a whole.
        assert_eq!(read[2].1, None);
        assert_eq!(read[2].0, [None, Some("ok".to_owned())]);
        // Nor is one whose delimiter is not ASCII: here the row's bytes
        // spell "éx", but the first field ends inside the "é".
        let mut reader = CsvReader::new(&b"\xc3\xa9x\n"[..], 0xa9);
        assert!(reader.read(&mut row).unwrap());
        assert_eq!(row.len(), 2);
        assert!(row.texts().is_none());
    }

    #[test]
    fn a_rows_fields_are_got_one_by_one_as_they_are_listed() {
        let data = "a,b,c\n\"x,y\",,z\n\n1,2\n,\n";
        let mut reader = CsvReader::new(data.as_bytes(), b',');
        let mut row = Row::default();
        let mut lines = Vec::new();
        while reader.read(&mut row).unwrap() {
            let fields: Vec<&[u8]> = row.iter().collect();
            assert_eq!(row.len(), fields.len());
            assert!((0..row.len()).all(|i| row.get(i) == Some(fields[i])));
            assert_eq!(row.get(fields.len()), None);
            lines.push((row.line, fields.len()));
        }
        assert_eq!(lines, [(1, 3), (2, 3), (4, 2), (5, 2)]);
    }

    #[test]
    fn line_numbers_count_blank_lines_crlf_and_quoted_newlines() {
        assert_eq!(
            rows(b"h\na\n\nb\n"),
            vec![r(1, &["h"]), r(2, &["a"]), r(4, &["b"])]
        );
        assert_eq!(
            rows(b"h\r\na\r\n\r\nb\r\n"),
            vec![r(1, &["h"]), r(2, &["a"]), r(4, &["b"])]
        );
        assert_eq!(
            rows(b"h,i\n\"a\nx\",1\nb,2"),
            vec![r(1, &["h", "i"]), r(2, &["a\nx", "1"]), r(4, &["b", "2"])]
        );
        assert_eq!(rows(b"\n\nh\n\n\n"), vec![r(3, &["h"])]);
    }

    #[test]
    fn bom_quotes_and_ragged_rows() {
        assert_eq!(
            rows(b"\xef\xbb\xbfid,name\n1,\"Smith, J\"\"r\"\n2\n3,a,b\n"),
            vec![
                r(1, &["id", "name"]),
                r(2, &["1", "Smith, J\"r"]),
                r(3, &["2"]),
                r(4, &["3", "a", "b"]),
            ]
        );
        assert_eq!(rows(b""), vec![]);
        assert_eq!(rows(b"\xef\xbb\xbf"), vec![]);
    }

    #[test]
    fn lines_stay_exact_across_buffer_refills() {
        let mut data = String::from("id,note\n");
        for i in 0..20_000 {
            if i % 7 == 0 {
                data.push_str("\r\n");
            }
            data.push_str(&format!("{i},\"multi\nline {}\"\r\n", "x".repeat(i % 50)));
        }
        let mut line = 2;
        for (k, (got, fields)) in rows(data.as_bytes()).into_iter().skip(1).enumerate() {
            if k % 7 == 0 {
                line += 1;
            }
            assert_eq!((got, fields[0].as_str()), (line, k.to_string().as_str()));
            line += 2;
        }
    }

    #[test]
    fn plain_lines_read_as_csv_core_reads_them() {
        // Each input is read twice: as is, and with a quoted field added
        // that forces csv_core, which must split the other rows the same.
        for data in [
            "a,b,c\n1,2,3\n",
            "a,b\r\n1,2\r\n,\r\n",
            "a;b\n1;2\n",
            "a,b\n1,\n,2\n,,\n",
            "a,b\n1,2",
            "a,b\n1\r2,3\n4,5\n",
            "a,b\n\"x\",y\nz,\"w\"\n",
            "h\nx y,  z  ,\t\n",
            "account_id,at,outcome\nAC00000001,2026-01-01T09:00:00-05:00,no-answer\n",
            "a\n,,,,,,,,,,,,,,,,,\nabcdefghijklmnop,qrstuvwxyz\r\n",
            "a\nabcdefghij,klm\"no\"pq\nabcdefghijklm\rnop,q\n",
            "a\nabcdefgh\r\nijklmnop\r",
            "a,b\n\"x,y\",z\n\"\",\"\"\n",
            "a,b\n\"q\"\"q\",1\n\"x\"y,1\n",
            "a,b\n1,\"x\"\r\n\"x\r\n",
            "a,b\n\"open,1\n2,3\",4\n5,\"six\"",
            "a,b\n \"x\",1\n\"x\" ,1\n",
        ] {
            let delimiter = if data.contains(';') { b';' } else { b',' };
            let ours = {
                let mut reader = CsvReader::new(data.as_bytes(), delimiter);
                let mut row = Row::default();
                let mut out = Vec::new();
                while reader.read(&mut row).unwrap() {
                    out.push((row.line, row.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
                }
                out
            };
            let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
            let mut theirs: Vec<Vec<Vec<u8>>> = Vec::new();
            let (mut input, mut fields, mut field) = (data.as_bytes(), Vec::new(), Vec::new());
            loop {
                let mut out = [0u8; 256];
                let (res, nin, nout) = core.read_field(input, &mut out);
                input = &input[nin..];
                field.extend_from_slice(&out[..nout]);
                match res {
                    csv_core::ReadFieldResult::Field { record_end } => {
                        fields.push(std::mem::take(&mut field));
                        if record_end {
                            theirs.push(std::mem::take(&mut fields));
                        }
                    }
                    csv_core::ReadFieldResult::End => break,
                    _ => {}
                }
            }
            let ours_fields: Vec<Vec<Vec<u8>>> = ours.into_iter().map(|(_, f)| f).collect();
            assert_eq!(ours_fields, theirs, "{data:?}");
        }
    }

    /// A source that hands out at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn special_bytes_are_marked_exactly() {
        // Every byte value, at every offset into a block, against the
        // plain reading of which bytes are special.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..300 {
            let len = round % 200;
            let buf: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed >> 24) as u8
                })
                .collect();
            let delimiter = [b',', b';', b'\t', b'|', 0xa7][round % 5];
            let from = round % 70;
            let (mut delimiters, mut others) = (Vec::new(), Vec::new());
            index_specials(&buf, from, delimiter, &mut delimiters, &mut others);
            let bytes = buf.get(from..).unwrap_or_default();
            for marks in [&delimiters, &others] {
                assert_eq!(marks.len(), bytes.len().div_ceil(64));
                // Nothing past the end is marked.
                if let Some(&last) = marks.last() {
                    let used = bytes.len() - (marks.len() - 1) * 64;
                    assert_eq!(last.checked_shr(used as u32).unwrap_or(0), 0);
                }
            }
            for (i, &b) in bytes.iter().enumerate() {
                let marked = |marks: &[u64]| marks[i / 64] >> (i % 64) & 1 == 1;
                let other = b != delimiter && (b == b'"' || b < 0x0e);
                assert_eq!(
                    marked(&delimiters),
                    b == delimiter,
                    "byte {b:#x} at {i}, round {round}"
                );
                assert_eq!(marked(&others), other, "byte {b:#x} at {i}, round {round}");
            }
        }
    }

    #[test]
    fn random_lines_split_as_csv_core_splits_them() {
        // Every split the word-at-a-time scan makes, against csv_core's.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"ab,,\"\"\r\n\n;x";
        for _ in 0..20_000 {
            let data = random_bytes(&mut seed, alphabet, 60);
            let ours = {
                let mut reader = CsvReader::new(data.as_slice(), b',');
                let mut row = Row::default();
                let mut out = Vec::new();
                while reader.read(&mut row).unwrap() {
                    out.push(row.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
                }
                out
            };
            // The same bytes arriving a few at a time, so that lines break
            // across refills of the buffer.
            let trickled = {
                let source = Trickle {
                    data: &data,
                    step: 1 + (seed % 5) as usize,
                };
                let mut reader = CsvReader::new(source, b',');
                let mut row = Row::default();
                let mut out = Vec::new();
                while reader.read(&mut row).unwrap() {
                    out.push(row.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
                }
                out
            };
            assert_eq!(ours, trickled, "{:?}", String::from_utf8_lossy(&data));
            let mut theirs = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(data.as_slice());
            let theirs: Vec<Vec<Vec<u8>>> = theirs
                .byte_records()
                .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
                .collect();
            assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(&data));
        }
    }

    /// Up to `most` bytes from `alphabet`, by a xorshift from `seed`.
    fn random_bytes(seed: &mut u64, alphabet: &[u8], most: u64) -> Vec<u8> {
        let mut data = Vec::new();
        for _ in 0..(*seed % most) {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            data.push(alphabet[(*seed % alphabet.len() as u64) as usize]);
        }
        data
    }

    fn long_quotes(data: &[u8]) -> Vec<(u64, Option<LongQuote>)> {
        long_quotes_of(data)
    }

    /// Each record's line and long quote.
    fn long_quotes_of(source: impl Read) -> Vec<(u64, Option<LongQuote>)> {
        let mut reader = CsvReader::new(source, b',');
        let mut row = Row::default();
        let mut out = Vec::new();
        while reader.read(&mut row).unwrap() {
            out.push((row.line, row.long_quote));
        }
        out
    }

    #[test]
    fn a_quote_left_open_at_the_end_is_found_on_the_line_it_opened() {
        let closed = |breaks| {
            Some(LongQuote {
                breaks,
                closed: true,
            })
        };
        let open = |breaks| {
            Some(LongQuote {
                breaks,
                closed: false,
            })
        };
        let data = b"h1,h2\nA1,\"said \"\"call later\nA2,opt-out\nA3,x\n";
        assert_eq!(long_quotes(data), vec![(1, None), (2, open(3))]);
        // Open with nothing after it, and open after an escaped quote.
        assert_eq!(long_quotes(b"A1,\"said"), vec![(1, open(0))]);
        assert_eq!(long_quotes(b"A1,\"a\"\"\n"), vec![(1, open(1))]);
        // Across lines but closed; across a lone carriage return.
        assert_eq!(
            long_quotes(b"A1,\"two\nlines\"\nA2,x\n"),
            vec![(1, closed(1)), (3, None)]
        );
        assert_eq!(long_quotes(b"A1,\"a\rb\"\n"), vec![(1, closed(1))]);
        assert_eq!(long_quotes(b"A1,\"a\r\"\n"), vec![(1, closed(1))]);
        assert_eq!(long_quotes(b"A1,\"a\r"), vec![(1, open(1))]);
        assert_eq!(long_quotes(b"A1,\"a\r\nb\"\r\n"), vec![(1, closed(1))]);
    }

    #[test]
    fn a_byte_order_mark_inside_the_file_is_text() {
        // Found by fuzzing: the mark before a row's quote was dropped as if
        // it began the file, and the quote opened a field that swallowed
        // the rows after it.
        let data = b"phone\n\xef\xbb\xbf\"-\r21-\r2\n2125550100\n";
        let read = rows(data);
        assert_eq!(read.last(), Some(&r(3, &["2125550100"])));
        assert!(long_quotes(data).iter().all(|(_, q)| q.is_none()));
        assert_eq!(rows(b"\xef\xbb\xbfa,b\n"), vec![r(1, &["a", "b"])]);
    }

    #[test]
    fn quotes_on_one_line_or_inside_text_are_not_long() {
        for data in [
            &b"A1,\"one line, quoted\"\nA2,x\n"[..],
            b"A1,he said \"hi\nA2,x\n",
            b"A1,\"a\"b\nA2,x\n",
            b"A1,\"a\"\"b\"\r\nA2,\"\"\r\n",
            b"A1, \"spaced\nA2,x\n",
        ] {
            assert!(
                long_quotes(data).iter().all(|(_, q)| q.is_none()),
                "{:?}",
                String::from_utf8_lossy(data)
            );
        }
    }

    #[test]
    fn random_records_are_long_exactly_when_their_quotes_cross_a_line() {
        // Against csv's own reading: a record (other than the last) is
        // long when its raw bytes, line breaks around it aside, hold a line
        // break.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet = b"ab,\"\"\r\n\nx";
        for _ in 0..20_000 {
            let data = random_bytes(&mut seed, alphabet, 50);
            let ours = long_quotes(&data);
            let trickled = long_quotes_of(Trickle {
                data: &data,
                step: 1 + (seed % 5) as usize,
            });
            assert_eq!(ours, trickled, "{:?}", String::from_utf8_lossy(&data));
            let mut theirs = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(data.as_slice());
            let starts: Vec<usize> = theirs
                .byte_records()
                .map(|r| r.unwrap().position().unwrap().byte() as usize)
                .collect();
            assert_eq!(starts.len(), ours.len());
            for (k, pair) in starts.windows(2).enumerate() {
                let raw = &data[pair[0]..pair[1]];
                let body = raw.trim_ascii();
                let crosses = body.iter().any(|&b| b == b'\n' || b == b'\r');
                assert_eq!(
                    ours[k].1.is_some(),
                    crosses,
                    "record {k} of {:?}",
                    String::from_utf8_lossy(&data)
                );
                assert!(ours[k].1.is_none_or(|q| q.closed));
            }
        }
    }

    #[test]
    fn an_open_quote_at_the_end_is_found_as_the_reader_finds_it() {
        // Against the reader: its last record is an unclosed quote exactly
        // when the scan says the input ends inside one, on that line, with
        // the bytes arriving in chunks of every small size.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"ab,\"\"\"\r\n\nx";
        for _ in 0..20_000 {
            let data = random_bytes(&mut seed, alphabet, 40);
            let expected = long_quotes(&data)
                .last()
                .and_then(|&(line, q)| q.filter(|q| !q.closed).map(|_| line));
            for chunk in [1, 2, 3, 7, 64] {
                let found = open_quote_in_chunks(data.as_slice(), b',', chunk).unwrap();
                if expected.is_some() {
                    // The scan names the line the quote opened on; the
                    // reader, the record's first line: the same unless an
                    // earlier field of the record ran across lines.
                    assert!(found.is_some(), "{:?}", String::from_utf8_lossy(&data));
                    assert!(found >= expected, "{:?}", String::from_utf8_lossy(&data));
                } else {
                    assert_eq!(found, None, "{:?}", String::from_utf8_lossy(&data));
                }
            }
        }
        let history = b"\xef\xbb\xbfh\nA1,ok\nA2,\"said \"\"call later\nA3,x\n";
        assert_eq!(open_quote_at_end(&history[..], b',').unwrap(), Some(3));
        assert_eq!(
            open_quote_at_end(&b"\"h\"\nA1,\"a\nb\"\n"[..], b',').unwrap(),
            None
        );
        assert_eq!(
            open_quote_at_end(&b"h;x\nA1;\"a\n"[..], b';').unwrap(),
            Some(2)
        );
        assert_eq!(
            open_quote_at_end(&b"h,x\nA1;\"a\n"[..], b',').unwrap(),
            None
        );
    }

    #[test]
    fn a_huge_field_is_read_whole() {
        let big = "y".repeat(3 * 1024 * 1024);
        let data = format!("a,b\n1,{big}\n2,z\n");
        let got = rows(data.as_bytes());
        assert_eq!(got[1].1[1].len(), big.len());
        assert_eq!(got[2], r(3, &["2", "z"]));
    }

    #[test]
    fn rows_after_a_huge_one_read_right_in_a_grown_buffer() {
        // The buffer grows for a line longer than the special bytes are
        // listed ahead (csv_core reads that one), then holds megabytes of
        // short rows: their special bytes are listed again from them.
        let long = "y".repeat(INDEX_SPAN + INDEX_SPAN / 4);
        let mut data = format!("a,b\n1,{long}\n");
        for k in 0..400_000 {
            data.push_str(&format!("{k},r{k}\n"));
        }
        let got = rows(data.as_bytes());
        assert_eq!(got.len(), 2 + 400_000);
        assert_eq!(got[1].1[1].len(), long.len());
        for (k, (line, fields)) in got[2..].iter().enumerate() {
            assert_eq!(*line, 3 + k as u64);
            assert_eq!(fields, &[k.to_string(), format!("r{k}")]);
        }
    }

    const WANT: Wanted<'static> = Wanted {
        required: &["account_id", "phone"],
        optional: &["name", "opt_out"],
        keep: &[],
    };

    #[test]
    fn header_keys_ignore_case_spaces_underscores_and_dashes() {
        for h in [
            "Account ID",
            "account_id",
            "account-id",
            " ACCOUNT  ID ",
            "account _-id",
            "AccountId",
        ] {
            assert_eq!(column_name(h), Some("account_id"), "{h:?}");
        }
        assert_eq!(column_name("Opt-Out"), Some("opt_out"));
        assert_eq!(column_name("OptOut"), Some("opt_out"));
        assert_eq!(column_name("Time Zone"), Some("timezone"));
        assert_eq!(column_name("Callback At"), Some("callback_at"));
        assert_eq!(column_name("account"), None);
        assert_eq!(header_key("No Answer"), header_key("no-answer"));
    }

    #[test]
    fn crm_opt_out_spellings_read_as_opt_out() {
        for h in [
            "Do Not Call",
            "DoNotCall",
            "DNC",
            "Opted Out",
            "Opt Out",
            "do_not_call",
            " dnc ",
            "OPTED-OUT",
        ] {
            assert_eq!(column_name(h), Some("opt_out"), "{h:?}");
        }
        let h = record(&["Account ID", "Phone", "Do Not Call"]);
        let c = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap();
        assert_eq!(c.get("opt_out"), Some(2));
        // A sales region is not a state, nor anything else read.
        for h in ["Region", "Territory", "Do Not Call Reason", "DNC Flag"] {
            assert_eq!(column_name(h), None, "{h:?}");
        }
    }

    #[test]
    fn no_spelling_names_two_columns() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in COLUMNS {
            for spelling in std::iter::once(&c.name).chain(c.spellings) {
                if let Some(other) = seen.insert(header_key(spelling), c.name) {
                    assert_eq!(other, c.name, "{spelling:?} names {other} and {}", c.name);
                }
            }
        }
    }

    #[test]
    fn two_crm_opt_out_headers_are_an_error() {
        let h = record(&["account_id", "phone", "Opt Out", "DNC"]);
        let e = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap_err();
        assert!(
            e.to_string()
                .contains("headers \"Opt Out\" and \"DNC\" both name the opt_out column"),
            "{e}"
        );
    }

    fn flagged(headers: &[&str]) -> Vec<UnreadFlag> {
        unread_flags(&record(headers), &HashMap::new())
    }

    #[test]
    fn headers_that_look_like_opt_out_or_consent_flags_are_flagged() {
        for h in [
            "Unsubscribed",
            "Opt-Out Flag",
            "OptOut?",
            "Opt.Out",
            "SMS Opt Out",
            "Email Opt Out",
            "EmailOptOut",
            "Do Not Email",
            "HasOptedOutOfEmail",
            "DoNotCall__c",
            "Do Not Call Reason",
            "DNC Flag",
            "Opt In",
            "SMS Opt-In",
            "Opted In",
            "Consent",
            "TCPA Consent",
            "Do Not Contact",
            "Do Not Mail",
            "Do Not Text",
            "Don't Call",
            "No Call",
            "Suppressed",
        ] {
            let consent = [
                "Opt In",
                "SMS Opt-In",
                "Opted In",
                "Consent",
                "TCPA Consent",
            ];
            let flag = if consent.contains(&h) {
                Flag::Consent
            } else {
                Flag::StopCalling
            };
            assert_eq!(
                flagged(&[h]),
                [UnreadFlag {
                    header: h.to_owned(),
                    flag,
                    disguised: false
                }],
                "{h:?}"
            );
        }
    }

    #[test]
    fn opt_out_written_with_invisible_or_full_width_characters_is_flagged_not_read() {
        let mut disguised: Vec<String> = [
            "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{ad}",
        ]
        .iter()
        .map(|c| format!("opt{c}_out"))
        .collect();
        disguised.extend(
            [
                "\u{ff4f}\u{ff50}\u{ff54}\u{ff3f}\u{ff4f}\u{ff55}\u{ff54}",
                "\u{ff24}\u{ff2e}\u{ff23}",
                "Do\u{200b}Not\u{200b}Call",
                "\u{ff24}o Not Call",
                "D\u{feff}NC",
                "Opted\u{00ad}Out",
            ]
            .map(str::to_owned),
        );
        for h in &disguised {
            assert_eq!(column_name(h), None, "{h:?} is read");
            assert_eq!(
                unread_flags(std::slice::from_ref(h), &HashMap::new()),
                [UnreadFlag {
                    header: h.clone(),
                    flag: Flag::StopCalling,
                    disguised: true
                }],
                "{h:?}"
            );
        }
        // An invisible character inside another word is still a flag word.
        assert_eq!(flagged(&["SMS Opt\u{200b}Out"]).len(), 1);
        assert!(!flagged(&["SMS Opt\u{200b}Out"])[0].disguised);
    }

    #[test]
    fn ordinary_headers_are_not_flagged() {
        let ordinary = [
            "Account ID",
            "Phone",
            "Description",
            "Territory",
            "Contact Owner",
            "Region",
            "Account Name",
            "Billing State/Province",
            "Adoption Date",
            "Options",
            "Condo Notes",
            "Abandon Time",
            "Second Contact",
            "Brand Name",
            "Desktop Inventory",
            "Script Info",
            "Last Contacted",
            "Subscription Tier",
            "Notes",
            "",
        ];
        assert_eq!(flagged(&ordinary), []);
    }

    #[test]
    fn columns_read_or_mapped_are_not_flagged() {
        // Read as opt_out: the column's spellings.
        assert_eq!(
            flagged(&[
                "Do Not Call",
                "DoNotCall",
                "DNC",
                "Opted Out",
                "Opt Out",
                "opt_out"
            ]),
            []
        );
        let aliases = HashMap::from([
            (header_key("Email Opt Out"), IGNORE),
            (header_key("SMS Opt Out"), "opt_out"),
        ]);
        let h = record(&["email-opt-out", "SMS OPT OUT", "Unsubscribed"]);
        assert_eq!(
            unread_flags(&h, &aliases),
            [UnreadFlag {
                header: "Unsubscribed".to_owned(),
                flag: Flag::StopCalling,
                disguised: false
            }]
        );
    }

    #[test]
    fn an_unread_flag_says_what_to_do() {
        let flags = flagged(&["SMS Opt Out", "Consent", "Phone", "opt\u{200b}out"]);
        assert_eq!(
            flags[0].message("cq.toml"),
            "header \"SMS Opt Out\" looks like an opt-out or consent flag but is not read; \
             say what it is in [columns] of cq.toml: a column (\"SMS Opt Out\" = \"opt_out\") \
             or ignore (\"SMS Opt Out\" = \"ignore\")"
        );
        assert_eq!(
            flags[2].message("cq.toml"),
            "header \"opt\\u{200b}out\" reads as opt_out only with its invisible or full-width \
             characters taken out, so it is not read; rename it opt_out, or say what it is in \
             [columns] of cq.toml: a column (\"opt\\u{200b}out\" = \"opt_out\") or ignore \
             (\"opt\\u{200b}out\" = \"ignore\")"
        );
        // A consent is not offered as opt_out: its "yes" would read as stop.
        assert_eq!(
            flags[1].message("cq.toml"),
            "header \"Consent\" looks like a consent flag, which callqueue does not read; \
             say what it is in [columns] of cq.toml: ignore (\"Consent\" = \"ignore\"), or the \
             column it holds"
        );
        assert!(
            UnreadFlag::message_for_all(&flags[1..], "c")
                .ends_with("a column (\"opt\\u{200b}out\" = \"opt_out\") or ignore (\"opt\\u{200b}out\" = \"ignore\")")
        );
        // Words of both kinds: it may say stop.
        assert_eq!(flagged(&["Opt In/Opt Out"])[0].flag, Flag::StopCalling);
        assert_eq!(
            UnreadFlag::message_for_all(&flags[..1], "c"),
            flags[0].message("c")
        );
        assert!(
            UnreadFlag::message_for_all(&flags, "c").starts_with(
                "headers \"SMS Opt Out\", \"Consent\" and \"opt\\u{200b}out\" look like opt-out or consent flags but are not read; say what each is"
            ),
            "{}",
            UnreadFlag::message_for_all(&flags, "c")
        );
    }

    #[test]
    fn columns_match_forgivingly() {
        let h = record(&["Account ID", "Phone", "Full Name", "opt-out"]);
        let c = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap();
        assert_eq!(c.get("account_id"), Some(0));
        assert_eq!(c.get("phone"), Some(1));
        assert_eq!(c.get("opt_out"), Some(3));
        assert_eq!(c.get("name"), None);
        assert_eq!(c.unused, vec!["Full Name".to_owned()]);
    }

    #[test]
    fn aliases_map_other_headers() {
        let h = record(&["Account Number", "Phone"]);
        let aliases = HashMap::from([(header_key("account number"), "account_id")]);
        let c = match_columns("t.csv", &h, WANT, &aliases).unwrap();
        assert_eq!(c.get("account_id"), Some(0));
    }

    #[test]
    fn a_header_mapped_to_ignore_is_neither_read_nor_unused() {
        let h = record(&["account_id", "phone", "Email Opt Out", "Notes"]);
        let aliases = HashMap::from([(header_key("email opt-out"), IGNORE)]);
        let c = match_columns("t.csv", &h, WANT, &aliases).unwrap();
        assert_eq!(c.get("opt_out"), None);
        assert_eq!(c.unused, vec!["Notes".to_owned()]);
    }

    #[test]
    fn two_headers_for_one_column_are_an_error() {
        let h = record(&["account_id", "Account ID", "phone"]);
        let e = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap_err();
        assert!(
            e.to_string().contains("both name the account_id column"),
            "{e}"
        );
    }

    #[test]
    fn missing_required_column_names_the_file() {
        let h = record(&["id", "phone"]);
        let e = match_columns("t.csv", &h, WANT, &HashMap::new()).unwrap_err();
        let e = e.to_string();
        assert!(e.starts_with("t.csv: has no account_id column"), "{e}");
        assert!(e.contains("id, phone"), "{e}");
    }

    #[test]
    fn keep_columns_are_found_or_refused() {
        let keep = vec!["Region".to_owned()];
        let want = Wanted {
            keep: &keep,
            ..WANT
        };
        let h = record(&["account_id", "phone", "region"]);
        let c = match_columns("t.csv", &h, want, &HashMap::new()).unwrap();
        assert_eq!(c.keep, vec![2]);
        let h = record(&["account_id", "phone"]);
        assert!(match_columns("t.csv", &h, want, &HashMap::new()).is_err());
    }
}
