//! The CSV splitter every input is read through: RFC 4180 records with
//! exact line numbers, a plain-line fast path marked sixteen bytes at a
//! time, csv_core for the rest, and what csv_core does not tell (a quoted
//! field across lines, a quote never closed).

use std::io::{self, Read};
use std::ops::Range;

use wide::u8x16;

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
    ///
    /// Longer than most functions here on purpose: it is called for every
    /// row of every input, and keeps the csv_core loop's state (the output
    /// positions, the quote tracker) in locals across refills of the
    /// buffer; split up, that state would travel through every call.
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
    ///
    /// Long on purpose, as `read` is: the walk over the marked bytes, its
    /// word of marks and the field ends found so far stay in registers for
    /// the whole line, ten million times a run.
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
}
