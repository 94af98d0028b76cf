//! Dates and times as the inputs write them, read in the office's time zone.
//!
//! History rows are the bulk of every run, so `at` is parsed by hand from
//! bytes (no allocation, no format strings) and zone offsets are cached per
//! day: a day without a daylight-saving change has one offset for all of it.

use std::fmt;

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
};
use chrono_tz::Tz;

/// A moment in time: nanoseconds since 1970-01-01T00:00:00Z.
pub type Nanos = i64;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// A time read from a history cell: the moment, and its calendar day in the
/// office's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub at: Nanos,
    pub day: NaiveDate,
}

/// Why a time cell could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// The cell is empty.
    Empty,
    /// The cell is not in a format callqueue reads.
    Format,
    /// The digits are in place but name no real date or time (2026-02-30, 25:00).
    Impossible,
    /// A real time, but too far from today to be a call (outside 1678..2261).
    OutOfRange,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::Empty => "is empty",
            TimeError::Format => {
                "is not a time callqueue reads (write 2026-11-23T09:30:00-05:00, 2026-11-23 09:30 or 2026-11-23)"
            }
            TimeError::Impossible => "names a date or time that does not exist",
            TimeError::OutOfRange => "is outside the years callqueue accepts (1678 to 2261)",
        })
    }
}

/// A date written as `YYYY-MM-DD`, as chrono writes it, without going
/// through chrono's formatter character by character: the audit writes a
/// few million of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ymd(pub NaiveDate);

impl Ymd {
    /// The date's ten bytes, for years 0 to 9999 (others: `None`).
    pub fn bytes(self) -> Option<[u8; 10]> {
        let (year, month, day) = (self.0.year(), self.0.month(), self.0.day());
        let year = u32::try_from(year).ok().filter(|&y| y <= 9999)?;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }

    /// Appends the date to `text`, as `Display` writes it.
    #[inline]
    pub fn push_to(self, text: &mut String) {
        match self.bytes() {
            Some(bytes) => text.extend(bytes.iter().map(|&b| char::from(b))),
            None => {
                use fmt::Write as _;
                let _ = write!(text, "{}", self.0);
            }
        }
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bytes() {
            Some(text) => f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?),
            None => write!(f, "{}", self.0),
        }
    }
}

/// The moments (seconds since 1970) a history time may name: a margin
/// inside i64's range, so that later arithmetic cannot overflow.
const UTC_SECONDS: std::ops::RangeInclusive<i64> = -9_200_000_000..=9_200_000_000;

/// The office's zone, with the per-day offsets already worked out.
#[derive(Debug, Clone)]
pub struct Office {
    tz: Tz,
    /// The offset of each local day, and of each UTC day.
    local_days: DayOffsets,
    utc_days: DayOffsets,
    /// The dates read lately, as written, with their day numbers; and the
    /// day numbers turned into dates lately.
    last_written: DayMemo,
    /// The last `YYYY-MM-DDTHH:MM:SS±HH:MM` read: its date and offset as
    /// written, and the moment of its midnight. A history in time order
    /// writes row after row with the same date and offset, and only the
    /// time of day needs reading.
    last_rfc3339: Option<([u8; 10], [u8; 6], i64)>,
    last_dates: Lately<i64, NaiveDate>,
    /// The last office date found on the same-day path, and the UTC
    /// seconds `lo..hi` over which it is the office's date (within one UTC
    /// day of one offset): the next moment inside needs no look-up.
    last_span: Option<(i64, i64, NaiveDate)>,
    /// `[history] at_formats`: tried in order when the built-in formats
    /// do not read a cell.
    formats: std::sync::Arc<[AtFormat]>,
}

/// Day (days since 1970-01-01) -> offset (seconds east of UTC) when that
/// whole day has one offset; `None` when the offset changes during the
/// day. Worked out once a day, and the days asked about lately answered
/// first: a history in time order asks about the same day row after row,
/// and its callbacks about the days around it, in no order.
#[derive(Debug, Clone)]
struct DayOffsets {
    every: foldhash::HashMap<i64, Option<i32>>,
    lately: Lately<i64, Option<i32>>,
    /// Works a day's offset out (local days or UTC days).
    over_day: fn(Tz, NaiveDate) -> Option<i32>,
}

impl DayOffsets {
    fn new(over_day: fn(Tz, NaiveDate) -> Option<i32>) -> DayOffsets {
        DayOffsets {
            every: foldhash::HashMap::default(),
            lately: Lately::default(),
            over_day,
        }
    }

    fn get(&mut self, tz: Tz, day: i64) -> Option<i32> {
        if let Some(offset) = self.lately.get(day, day as usize) {
            return offset;
        }
        let over_day = self.over_day;
        let offset = *self
            .every
            .entry(day)
            .or_insert_with(|| date_of_day_number(day).and_then(|date| over_day(tz, date)));
        self.lately.put(day, day as usize, offset);
        offset
    }
}

/// A few answers given lately, each kept in the place of 16 its key
/// picks (a newer key takes the place over).
#[derive(Debug, Clone, Copy)]
struct Lately<K, V>([Option<(K, V)>; 16]);

impl<K: Copy + Eq, V: Copy> Default for Lately<K, V> {
    fn default() -> Self {
        Lately([None; 16])
    }
}

impl<K: Copy + Eq, V: Copy> Lately<K, V> {
    fn get(&self, key: K, place: usize) -> Option<V> {
        match self.0[place % 16] {
            Some((k, value)) if k == key => Some(value),
            _ => None,
        }
    }

    fn put(&mut self, key: K, place: usize, value: V) {
        self.0[place % 16] = Some((key, value));
    }
}

/// `YYYY-MM-DD`s read lately, as written, with their day numbers.
#[derive(Debug, Clone, Copy, Default)]
struct DayMemo(Lately<[u8; 10], i64>);

impl DayMemo {
    fn days(&mut self, written: &[u8]) -> Result<i64, TimeError> {
        let Ok(&key) = <&[u8; 10]>::try_from(written) else {
            return parse_ymd_days(written);
        };
        // The day's digits and the month's last, so that the days of a
        // month or two lie in different places.
        let place = usize::from(key[9]) + 10 * usize::from(key[8]) + 3 * usize::from(key[6]);
        if let Some(days) = self.0.get(key, place) {
            return Ok(days);
        }
        let days = parse_ymd_days(written)?;
        self.0.put(key, place, days);
        Ok(days)
    }
}

impl Office {
    pub fn new(tz: Tz) -> Office {
        Office {
            tz,
            local_days: DayOffsets::new(constant_offset_over_local_day),
            utc_days: DayOffsets::new(constant_offset_over_utc_day),
            last_written: DayMemo::default(),
            last_rfc3339: None,
            last_dates: Lately::default(),
            last_span: None,
            formats: std::sync::Arc::from([]),
        }
    }

    /// The office's zone, reading `formats` too (after the built-in ones).
    pub fn with_formats(tz: Tz, formats: &[AtFormat]) -> Office {
        Office {
            formats: std::sync::Arc::from(formats),
            ..Office::new(tz)
        }
    }

    /// Reads a history time: RFC 3339 with an offset, a local
    /// `YYYY-MM-DD[ T]HH:MM[:SS[.fff]]`, or a bare date (local midnight).
    /// A local time the clocks skip (spring forward) is read with the offset
    /// from before the change; one that happens twice (fall back), as the
    /// first.
    pub fn parse_stamp(&mut self, cell: &[u8]) -> Result<Stamp, TimeError> {
        match self.same_day_stamp(cell) {
            Some(stamp) => Ok(stamp),
            None => match self.read_stamp(cell) {
                Err(TimeError::Format) if !self.formats.is_empty() => self.custom_stamp(cell),
                read => read,
            },
        }
    }

    /// A cell in one of the config's own formats, the first that reads it.
    #[inline(never)]
    fn custom_stamp(&mut self, cell: &[u8]) -> Result<Stamp, TimeError> {
        let text = std::str::from_utf8(cell)
            .map_err(|_| TimeError::Format)?
            .trim();
        let moment = self
            .formats
            .iter()
            .find_map(|f| f.read(text))
            .ok_or(TimeError::Format)?;
        let utc = match moment {
            Written::Local(local) => local_to_utc(self.tz, local).and_utc(),
            Written::Utc(utc) => utc,
        };
        if !UTC_SECONDS.contains(&utc.timestamp()) {
            return Err(TimeError::OutOfRange);
        }
        let day = match moment {
            Written::Local(local) => local.date(),
            Written::Utc(utc) => utc.with_timezone(&self.tz).date_naive(),
        };
        Ok(Stamp {
            at: utc.timestamp() * NANOS_PER_SECOND + i64::from(utc.timestamp_subsec_nanos()),
            day,
        })
    }

    /// `parse_stamp` the whole way. Apart, so that the same-date path,
    /// taken by most cells of a history, is a short function of its own.
    #[inline(never)]
    fn read_stamp(&mut self, cell: &[u8]) -> Result<Stamp, TimeError> {
        let f = parse_fields(cell, &mut self.last_written)?;
        if let (Ok(text), Some(offset)) = (<&[u8; 25]>::try_from(cell), f.offset)
            && rfc3339_shape(text)
        {
            let mut date = [0u8; 10];
            let mut zone = [0u8; 6];
            date.copy_from_slice(&text[..10]);
            zone.copy_from_slice(&text[19..]);
            self.last_rfc3339 = Some((date, zone, f.days * 86_400 - i64::from(offset)));
        }
        let (utc, day) = match f.offset {
            None => {
                let local = f.days * 86_400 + f.second;
                let utc = match self.local_offset(f.days) {
                    Some(offset) => local - i64::from(offset),
                    None => local_to_utc(self.tz, f.naive()?).and_utc().timestamp(),
                };
                (utc, f.days)
            }
            Some(offset) => {
                let utc = f.days * 86_400 + f.second - i64::from(offset);
                let office = match self.utc_offset(utc.div_euclid(86_400)) {
                    Some(o) => i64::from(o),
                    None => {
                        let moment =
                            DateTime::from_timestamp(utc, 0).ok_or(TimeError::OutOfRange)?;
                        i64::from(
                            self.tz
                                .offset_from_utc_datetime(&moment.naive_utc())
                                .fix()
                                .local_minus_utc(),
                        )
                    }
                };
                (utc, (utc + office).div_euclid(86_400))
            }
        };
        if !UTC_SECONDS.contains(&utc) {
            return Err(TimeError::OutOfRange);
        }
        let day = self.date_of(day).ok_or(TimeError::OutOfRange)?;
        Ok(Stamp {
            at: utc * NANOS_PER_SECOND + i64::from(f.nanos),
            day,
        })
    }

    /// `parse_stamp` for a cell shaped `YYYY-MM-DDTHH:MM:SS±HH:MM` with the
    /// date and offset of the last such cell: the same answer, reading only
    /// the time of day. `None` sends the cell the whole way (anything else,
    /// and anything this path would have to check further).
    fn same_day_stamp(&mut self, cell: &[u8]) -> Option<Stamp> {
        let (date, zone, midnight) = self.last_rfc3339.as_ref()?;
        let text = <&[u8; 25]>::try_from(cell).ok()?;
        // The remembered date and offset came from a cell of this shape, so
        // matching them checks their separators too.
        if text[..10] != *date
            || text[19..] != *zone
            || text[10] != b'T'
            || text[13] != b':'
            || text[16] != b':'
        {
            return None;
        }
        let utc = midnight + i64::from(time_of_day(text[11..19].try_into().ok()?)?);
        let day = match self.last_span {
            Some((lo, hi, day)) if (lo..hi).contains(&utc) => day,
            _ => self.office_day(utc)?,
        };
        Some(Stamp {
            at: utc * NANOS_PER_SECOND,
            day,
        })
    }

    /// The office's date at `utc` (seconds), and the span of moments that
    /// share it remembered. Apart from `same_day_stamp`, which needs it
    /// once a day or so.
    #[inline(never)]
    fn office_day(&mut self, utc: i64) -> Option<NaiveDate> {
        if !UTC_SECONDS.contains(&utc) {
            return None;
        }
        let utc_day = utc.div_euclid(86_400);
        let office = i64::from(self.utc_offset(utc_day)?);
        let local_day = (utc + office).div_euclid(86_400);
        let day = self.date_of(local_day)?;
        // Where the office's date stays `day`: the local day's seconds, as
        // UTC, within the UTC day whose offset is `office` throughout.
        // (Never past the range a moment may take.)
        let lo = (local_day * 86_400 - office)
            .max(utc_day * 86_400)
            .max(*UTC_SECONDS.start());
        let hi = ((local_day + 1) * 86_400 - office)
            .min((utc_day + 1) * 86_400)
            .min(UTC_SECONDS.end() + 1);
        self.last_span = Some((lo, hi, day));
        Some(day)
    }

    /// The date of a day number (those of lately remembered).
    fn date_of(&mut self, day: i64) -> Option<NaiveDate> {
        if let Some(date) = self.last_dates.get(day, day as usize) {
            return Some(date);
        }
        let date = date_of_day_number(day)?;
        self.last_dates.put(day, day as usize, date);
        Some(date)
    }

    fn local_offset(&mut self, day: i64) -> Option<i32> {
        self.local_days.get(self.tz, day)
    }

    fn utc_offset(&mut self, day: i64) -> Option<i32> {
        self.utc_days.get(self.tz, day)
    }
}

/// The date `days` after 1970-01-01.
pub fn date_of_day_number(days: i64) -> Option<NaiveDate> {
    i32::try_from(days + 719_163)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// A local time in zone `tz` on `date`, as the office's `HH:MM`: how
/// `call_from` and `call_until` are written.
pub fn office_clock(customer: Tz, date: NaiveDate, time: NaiveTime, office: Tz) -> String {
    office_hhmm(office, local_to_utc(customer, date.and_time(time)))
}

/// A UTC time as the office's `HH:MM`.
pub fn office_hhmm(office: Tz, utc: NaiveDateTime) -> String {
    let local = office.from_utc_datetime(&utc);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// Days since 1970-01-01, for cache keys and compact storage.
pub fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - 719_163
}

/// Adds whole days, saturating at the last representable date.
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Calendar days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    i64::from(day_number(b)) - i64::from(day_number(a))
}

/// Reads a strict `YYYY-MM-DD` (surrounding spaces allowed).
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    parse_date_bytes(cell.trim().as_bytes())
}

/// Reads exactly `YYYY-MM-DD`, as bytes (no spaces around).
pub fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    parse_ymd(b).ok()
}

/// What a time cell says before any zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTime {
    pub local: NaiveDateTime,
    /// Seconds east of UTC, when the cell carries an offset.
    pub offset_seconds: Option<i32>,
}

/// A time cell's parts, checked, as plain numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fields {
    /// The written date, as days since 1970-01-01.
    days: i64,
    /// The second of that day (0 to 86399).
    second: i64,
    nanos: u32,
    offset: Option<i32>,
}

impl Fields {
    fn naive(&self) -> Result<NaiveDateTime, TimeError> {
        let date = date_of_day_number(self.days).ok_or(TimeError::OutOfRange)?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(self.second as u32, self.nanos)
            .ok_or(TimeError::Impossible)?;
        Ok(date.and_time(time))
    }
}

/// Parses the formats of the history's `at` column (docs/inputs.md) without touching a zone.
pub fn parse_datetime_bytes(cell: &[u8]) -> Result<ParsedTime, TimeError> {
    let f = parse_fields(cell, &mut DayMemo::default())?;
    Ok(ParsedTime {
        local: f.naive()?,
        offset_seconds: f.offset,
    })
}

/// Whether a 25-byte cell has the separators of `YYYY-MM-DDTHH:MM:SS±HH:MM`.
fn rfc3339_shape(text: &[u8; 25]) -> bool {
    text[4] == b'-'
        && text[7] == b'-'
        && text[10] == b'T'
        && text[13] == b':'
        && text[16] == b':'
        && matches!(text[19], b'+' | b'-')
        && text[22] == b':'
}

/// Reads a time cell by hand from bytes: history rows are the bulk of a
/// run, so no allocation, no format strings and no calendar library here.
fn parse_fields(cell: &[u8], memo: &mut DayMemo) -> Result<Fields, TimeError> {
    let b = cell.trim_ascii();
    if b.is_empty() {
        return Err(TimeError::Empty);
    }
    if b.len() < 10 {
        return Err(TimeError::Format);
    }
    let days = memo.days(&b[..10])?;
    if b.len() == 10 {
        return Ok(Fields {
            days,
            second: 0,
            nanos: 0,
            offset: None,
        });
    }
    if !matches!(b[10], b' ' | b'T' | b't') {
        return Err(TimeError::Format);
    }
    let rest = &b[11..];
    let (hour, minute, rest) = match rest {
        [h1, h2, b':', m1, m2, rest @ ..] => (two_digits(*h1, *h2)?, two_digits(*m1, *m2)?, rest),
        _ => return Err(TimeError::Format),
    };
    let (second, rest) = match rest {
        [b':', s1, s2, rest @ ..] => (two_digits(*s1, *s2)?, rest),
        _ => (0, rest),
    };
    let (nanos, rest) = match rest {
        [b'.', rest @ ..] => {
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return Err(TimeError::Format);
            }
            let mut value: u32 = 0;
            for &c in &rest[..digits] {
                value = value * 10 + u32::from(c - b'0');
            }
            (value * 10u32.pow(9 - digits as u32), &rest[digits..])
        }
        _ => (0, rest),
    };
    let offset = parse_offset(rest)?;
    if hour > 23 || minute > 59 || second > 60 {
        return Err(TimeError::Impossible);
    }
    // A leap second (:60) is read as the last instant of its minute.
    let (second, nanos) = if second == 60 {
        (59, 999_999_999)
    } else {
        (second, nanos)
    };
    Ok(Fields {
        days,
        second: i64::from(hour * 3600 + minute * 60 + second),
        nanos,
        offset,
    })
}

/// `YYYY-MM-DD` as days since 1970-01-01, checking that the date exists.
fn parse_ymd_days(b: &[u8]) -> Result<i64, TimeError> {
    let (year, month, day) = parse_ymd_fields(b)?;
    Ok(days_from_civil(i64::from(year), month, day))
}

/// The year, month and day of a strict `YYYY-MM-DD`, checked to name a
/// day that exists.
fn parse_ymd_fields(b: &[u8]) -> Result<(u32, u32, u32), TimeError> {
    match b {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
            let year = two_digits(*y1, *y2)? * 100 + two_digits(*y3, *y4)?;
            let month = two_digits(*m1, *m2)?;
            let day = two_digits(*d1, *d2)?;
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let month_days = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return Err(TimeError::Impossible),
            };
            if day == 0 || day > month_days {
                return Err(TimeError::Impossible);
            }
            Ok((year, month, day))
        }
        _ => Err(TimeError::Format),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// days_from_civil).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parse_ymd(b: &[u8]) -> Result<NaiveDate, TimeError> {
    let (year, month, day) = parse_ymd_fields(b)?;
    i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or(TimeError::OutOfRange)
}

fn parse_offset(rest: &[u8]) -> Result<Option<i32>, TimeError> {
    let (sign, digits) = match rest {
        [] => return Ok(None),
        [b'Z' | b'z'] => return Ok(Some(0)),
        [b'+', digits @ ..] => (1, digits),
        [b'-', digits @ ..] => (-1, digits),
        _ => return Err(TimeError::Format),
    };
    let (hours, minutes) = match digits {
        [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (two_digits(*h1, *h2)?, two_digits(*m1, *m2)?),
        _ => return Err(TimeError::Format),
    };
    if hours > 23 || minutes > 59 {
        return Err(TimeError::Impossible);
    }
    Ok(Some(sign * (hours as i32 * 3600 + minutes as i32 * 60)))
}

/// The seconds since midnight of `HH:MM:SS` (the separators already
/// checked), or `None` unless each of the six is a digit and the time is
/// within a day. The eight bytes are read as one word, a byte to a lane:
/// less `'0'` in each lane, a digit is 0 to 9. A lane below `'0'` borrows
/// from the one above it, but the lowest such lane is then above 9 itself.
fn time_of_day(hms: &[u8; 8]) -> Option<u32> {
    const DIGITS: u64 = 0xffff_00ff_ff00_ffff;
    let lanes = u64::from_le_bytes(*hms).wrapping_sub(0x3030_3030_3030_3030);
    // Lanes above 9 have their top bit set, or gain it when 0x76 is added.
    if (lanes | lanes.wrapping_add(0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 & DIGITS != 0 {
        return None;
    }
    let lane = |i: u32| (lanes >> (8 * i)) as u32 & 0xff;
    let (hour, minute, second) = (
        lane(0) * 10 + lane(1),
        lane(3) * 10 + lane(4),
        lane(6) * 10 + lane(7),
    );
    (hour <= 23 && minute <= 59 && second <= 59).then_some(hour * 3600 + minute * 60 + second)
}

fn two_digits(a: u8, b: u8) -> Result<u32, TimeError> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Ok(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    } else {
        Err(TimeError::Format)
    }
}

/// A time format of the config's own (`[history] at_formats`): a chrono
/// `strftime` pattern, such as a dialer's `%m/%d/%Y %I:%M %p`. Without an
/// offset in the pattern the time is office time; without a time of day,
/// the day's midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtFormat {
    pattern: String,
    offset: bool,
    time: bool,
}

/// What a format read: a moment, or a local time for the office's zone.
#[derive(Debug, Clone, Copy)]
enum Written {
    Local(NaiveDateTime),
    Utc(DateTime<chrono::Utc>),
}

impl AtFormat {
    /// Checks a pattern: every specifier known, a full date in it, and
    /// what it writes readable back.
    pub fn new(pattern: &str) -> Result<AtFormat, String> {
        use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
        let mut offset = false;
        let mut time = false;
        let (mut year, mut month, mut day) = (false, false, false);
        for item in StrftimeItems::new(pattern) {
            match item {
                Item::Error => {
                    return Err(format!(
                        "{pattern:?} is not a chrono strftime pattern (see the %-specifiers in the README)"
                    ));
                }
                Item::Fixed(
                    Fixed::TimezoneOffset
                    | Fixed::TimezoneOffsetColon
                    | Fixed::TimezoneOffsetColonZ
                    | Fixed::TimezoneOffsetZ
                    | Fixed::TimezoneOffsetDoubleColon
                    | Fixed::TimezoneOffsetTripleColon
                    | Fixed::RFC3339,
                ) => {
                    offset = true;
                    time = true;
                    (year, month, day) = (true, true, true);
                }
                Item::Fixed(Fixed::RFC2822) => {
                    (offset, time, year, month, day) = (true, true, true, true, true);
                }
                Item::Numeric(Numeric::Hour | Numeric::Hour12, _) => time = true,
                Item::Numeric(Numeric::Year | Numeric::YearMod100, _) => year = true,
                Item::Numeric(Numeric::Month, _)
                | Item::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName) => {
                    month = true;
                }
                Item::Numeric(Numeric::Day, _) => day = true,
                Item::Numeric(Numeric::Ordinal, _) => (month, day) = (true, true),
                Item::Numeric(Numeric::Timestamp, _) => {
                    (offset, time, year, month, day) = (true, true, true, true, true);
                }
                _ => {}
            }
        }
        if !(year && month && day) {
            return Err(format!(
                "{pattern:?} lacks a full date (it needs a year, a month and a day, such as %m/%d/%Y)"
            ));
        }
        let format = AtFormat {
            pattern: pattern.to_owned(),
            offset,
            time,
        };
        // What the pattern writes must read back as the same moment.
        let sample = DateTime::from_timestamp(1_795_000_000, 0)
            .zip(chrono::FixedOffset::west_opt(5 * 3600))
            .map(|(moment, zone)| moment.with_timezone(&zone).format(pattern).to_string());
        if let Some(written) = sample
            && format.read(&written).is_none()
        {
            return Err(format!(
                "{pattern:?} cannot read back what it writes ({written:?}); add the missing fields"
            ));
        }
        Ok(format)
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    fn read(&self, text: &str) -> Option<Written> {
        if self.offset {
            DateTime::parse_from_str(text, &self.pattern)
                .ok()
                .map(|t| Written::Utc(t.to_utc()))
        } else if self.time {
            NaiveDateTime::parse_from_str(text, &self.pattern)
                .ok()
                .map(Written::Local)
        } else {
            NaiveDate::parse_from_str(text, &self.pattern)
                .ok()
                .map(|d| Written::Local(d.and_time(NaiveTime::MIN)))
        }
    }
}

/// The UTC time of a local time in `tz`, resolving skipped and repeated
/// times as `Office::parse_stamp` documents: the earlier of a repeated
/// time, and a skipped one read with the offset before the gap.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> NaiveDateTime {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.naive_utc(),
        chrono::LocalResult::Ambiguous(first, _) => first.naive_utc(),
        chrono::LocalResult::None => {
            // In a gap: use the offset in force a few hours before it.
            let before = local - chrono::Duration::hours(6);
            let offset = match tz.from_local_datetime(&before) {
                chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                    t.offset().fix().local_minus_utc()
                }
                chrono::LocalResult::None => 0,
            };
            local - chrono::Duration::seconds(i64::from(offset))
        }
    }
}

fn constant_offset_over_local_day(tz: Tz, date: NaiveDate) -> Option<i32> {
    let start = date.and_time(NaiveTime::MIN);
    let end = start + chrono::Duration::seconds(86_399);
    let single = |t: NaiveDateTime| match tz.from_local_datetime(&t) {
        chrono::LocalResult::Single(x) => Some(x.offset().fix().local_minus_utc()),
        _ => None,
    };
    let a = single(start)?;
    let b = single(end)?;
    // Equal offsets at both ends of a local day mean no change within it:
    // zones never change and change back within 24 hours.
    (a == b).then_some(a)
}

fn constant_offset_over_utc_day(tz: Tz, date: NaiveDate) -> Option<i32> {
    let start = date.and_time(NaiveTime::MIN);
    let end = start + chrono::Duration::seconds(86_399);
    let a = tz.offset_from_utc_datetime(&start).fix().local_minus_utc();
    let b = tz.offset_from_utc_datetime(&end).fix().local_minus_utc();
    (a == b).then_some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office(name: &str) -> Office {
        Office::new(name.parse().unwrap())
    }

    fn date(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn remembered_dates_and_offsets_read_as_fresh_ones() {
        // Cells in the order a history writes them, read by one office (which
        // remembers the last date and offset) and each by a new one.
        let mut cells = Vec::new();
        for day in [
            "2026-03-07",
            "2026-03-08",
            "2026-03-09",
            "2026-11-01",
            "2026-12-31",
        ] {
            for offset in ["-05:00", "-04:00", "+00:00", "+05:30", "-23:59"] {
                for time in [
                    "00:00:00", "03:59:59", "19:00:00", "23:59:59", "24:00:00", "12:60:00",
                    "1a:00:00", "23:59:60",
                ] {
                    cells.push(format!("{day}T{time}{offset}"));
                }
            }
        }
        cells.push("2026-03-08 02:30:00-05:00".to_owned());
        cells.push("9999-12-31T23:59:59+00:00".to_owned());
        cells.push("9999-12-31T23:59:58+00:00".to_owned());
        cells.push("1600-01-01T00:00:00+00:00".to_owned());
        cells.push("1600-01-01T00:00:01+00:00".to_owned());
        for zone in [
            "America/New_York",
            "Europe/London",
            "Asia/Kolkata",
            "Pacific/Chatham",
        ] {
            reads_as_fresh(zone, cells.iter().cloned());
        }
    }

    /// Reads `cells` in order with one office, which remembers what it
    /// read, and each with a new one: they must agree.
    fn reads_as_fresh(zone: &str, cells: impl IntoIterator<Item = String>) {
        let mut remembering = office(zone);
        for cell in cells {
            assert_eq!(
                remembering.parse_stamp(cell.as_bytes()),
                office(zone).parse_stamp(cell.as_bytes()),
                "{cell} in {zone}"
            );
        }
    }

    #[test]
    fn local_times_on_days_in_no_order_read_as_fresh_ones() {
        // Callbacks name days around their row's, in no order: the days
        // remembered lately (16 places, shared by more days than that)
        // must answer as a fresh office does, on changeover days too, for
        // local times, bare dates and times with offsets.
        let mut cells = Vec::new();
        let mut k: u64 = 7;
        for _ in 0..3000 {
            k = k
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let day = crate::datetime::parse_date("2026-02-20").unwrap()
                + chrono::Days::new((k >> 33) % 300);
            let minute = (k >> 13) % (24 * 60);
            let time = format!("{:02}:{:02}", minute / 60, minute % 60);
            cells.push(match (k >> 7) % 4 {
                0 => format!("{day}"),
                1 => format!("{day}T{time}:30-05:00"),
                _ => format!("{day} {time}"),
            });
        }
        for zone in ["America/New_York", "Europe/London", "Australia/Lord_Howe"] {
            reads_as_fresh(zone, cells.iter().cloned());
        }
    }

    #[test]
    fn moments_in_time_order_take_the_office_day_as_fresh_ones() {
        // A history in time order: the written date and offset stay, the
        // time of day climbs past the office's midnight (and, on changeover
        // days, past a change of its offset). The office remembers the span
        // of moments that share its last date: the minute before a span
        // ends, the minute it ends and the minute after must each read as
        // a fresh office reads them.
        let days = ["2026-03-07", "2026-03-08", "2026-11-01", "2026-12-31"];
        let cells = days.into_iter().flat_map(|day| {
            ["-05:00", "+00:00", "+13:45"]
                .into_iter()
                .flat_map(move |offset| {
                    (0..24 * 60).map(move |minute| {
                        format!("{day}T{:02}:{:02}:00{offset}", minute / 60, minute % 60)
                    })
                })
        });
        for zone in ["America/New_York", "Asia/Kolkata", "Pacific/Chatham"] {
            reads_as_fresh(zone, cells.clone());
        }
    }

    #[test]
    fn time_of_day_reads_as_digit_by_digit() {
        let plain = |hms: &[u8; 8]| -> Option<u32> {
            let hour = two_digits(hms[0], hms[1]).ok()?;
            let minute = two_digits(hms[3], hms[4]).ok()?;
            let second = two_digits(hms[6], hms[7]).ok()?;
            (hour <= 23 && minute <= 59 && second <= 59)
                .then_some(hour * 3600 + minute * 60 + second)
        };
        // Every time of a day, and each of its bytes set to every value
        // (the separators are checked before, so they stay).
        for t in (0..100 * 3600).step_by(7).chain([86_399, 86_400, 359_999]) {
            let base = format!("{:02}:{:02}:{:02}", t / 3600 % 100, t / 60 % 60, t % 60);
            let base: [u8; 8] = base.as_bytes().try_into().unwrap();
            assert_eq!(time_of_day(&base), plain(&base), "{base:?}");
            if t % 997 != 0 {
                continue;
            }
            for at in [0, 1, 3, 4, 6, 7] {
                for b in 0..=255u8 {
                    let mut hms = base;
                    hms[at] = b;
                    assert_eq!(time_of_day(&hms), plain(&hms), "{hms:?}");
                }
            }
        }
    }

    #[test]
    fn a_remembered_span_stops_where_moments_stop() {
        // The last second a moment may take, then one past it: the second
        // is out of range however the first was read.
        let mut o = office("UTC");
        let last = DateTime::from_timestamp(*UTC_SECONDS.end(), 0).unwrap();
        let cell = |t: DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
        let earlier = cell(last - chrono::Duration::seconds(1));
        assert!(o.parse_stamp(earlier.as_bytes()).is_ok(), "{earlier}");
        assert!(o.parse_stamp(cell(last).as_bytes()).is_ok());
        let past = cell(last + chrono::Duration::seconds(1));
        assert_eq!(
            o.parse_stamp(past.as_bytes()),
            Err(TimeError::OutOfRange),
            "{past}"
        );
    }

    #[test]
    fn dates_read_as_chrono_reads_them() {
        // Every day of four centuries, through leap years and the years
        // that are not, reads back as itself, and as a day number too.
        let mut day = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap();
        while day.year() < 2200 {
            let text = day.format("%Y-%m-%d").to_string();
            assert_eq!(parse_date(&text), Some(day), "{text}");
            assert_eq!(
                parse_ymd_days(text.as_bytes()),
                Ok(i64::from(day_number(day))),
                "{text}"
            );
            day = day + Days::new(1);
        }
        for bad in [
            "2026-02-29",
            "2100-02-29",
            "2024-02-30",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-1-01",
            "20260101",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
            assert_eq!(
                NaiveDate::parse_from_str(bad, "%Y-%m-%d")
                    .ok()
                    .filter(|_| bad.len() == 10),
                None,
                "{bad}"
            );
        }
        assert_eq!(
            parse_date("2000-02-29"),
            NaiveDate::from_ymd_opt(2000, 2, 29)
        );
        assert_eq!(parse_date(" 0000-01-01 "), NaiveDate::from_ymd_opt(0, 1, 1));
    }

    #[test]
    fn ymd_writes_dates_as_chrono_does() {
        let mut day = NaiveDate::from_ymd_opt(1600, 1, 1).unwrap();
        while day.year() < 2500 {
            assert_eq!(Ymd(day).to_string(), day.to_string());
            day = day + Days::new(13);
        }
        for (y, m, d) in [
            (0, 1, 1),
            (-1, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-10000, 3, 4),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Ymd(day).to_string(), day.to_string());
        }
    }

    #[test]
    fn bare_date_is_local_midnight() {
        let mut o = office("America/New_York");
        let s = o.parse_stamp(b"2026-11-23").unwrap();
        assert_eq!(s.day, date("2026-11-23"));
        let rfc = o.parse_stamp(b"2026-11-23T00:00:00-05:00").unwrap();
        assert_eq!(s.at, rfc.at);
    }

    #[test]
    fn local_formats_agree() {
        let mut o = office("Europe/London");
        let a = o.parse_stamp(b"2026-07-01 09:30").unwrap();
        let b = o.parse_stamp(b"2026-07-01T09:30:00").unwrap();
        let c = o.parse_stamp(b" 2026-07-01t09:30:00.000 ").unwrap();
        let d = o.parse_stamp(b"2026-07-01T08:30:00Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(c, d);
    }

    #[test]
    fn fractions_order_within_a_second() {
        let mut o = office("UTC");
        let a = o.parse_stamp(b"2026-07-01 09:30:00.1").unwrap();
        let b = o.parse_stamp(b"2026-07-01 09:30:00.100000001").unwrap();
        assert!(a.at < b.at);
    }

    #[test]
    fn offset_time_takes_the_office_day() {
        // 03:00 UTC on the 24th is still the 23rd in New York.
        let mut o = office("America/New_York");
        let s = o.parse_stamp(b"2026-11-24T03:00:00Z").unwrap();
        assert_eq!(s.day, date("2026-11-23"));
        let s = o.parse_stamp(b"2026-11-24T05:00:00+00:00").unwrap();
        assert_eq!(s.day, date("2026-11-24"));
    }

    #[test]
    fn offsets_with_and_without_colon() {
        let mut o = office("UTC");
        let a = o.parse_stamp(b"2026-03-01T10:00:00+0530").unwrap();
        let b = o.parse_stamp(b"2026-03-01T10:00:00+05:30").unwrap();
        assert_eq!(a, b);
        let z = o.parse_stamp(b"2026-03-01T04:30:00z").unwrap();
        assert_eq!(a.at, z.at);
    }

    #[test]
    fn impossible_dates_and_times_are_refused() {
        let mut o = office("UTC");
        assert_eq!(o.parse_stamp(b"2026-02-30"), Err(TimeError::Impossible));
        assert_eq!(
            o.parse_stamp(b"2026-02-28 24:00"),
            Err(TimeError::Impossible)
        );
        assert_eq!(
            o.parse_stamp(b"2026-02-28 23:60"),
            Err(TimeError::Impossible)
        );
        assert_eq!(
            o.parse_stamp(b"2026-02-28T10:00:00+24:00"),
            Err(TimeError::Impossible)
        );
    }

    #[test]
    fn malformed_times_are_refused() {
        let mut o = office("UTC");
        for cell in [
            "",
            "   ",
            "yesterday",
            "2026-2-3",
            "23/11/2026",
            "2026-11-23 9:30",
            "2026-11-23T09",
            "2026-11-23T09:30:00.",
            "2026-11-23T09:30:00.1234567890",
            "2026-11-23T09:30:00+5",
            "2026-11-23T09:30:00 +05:00",
            "2026-11-23X09:30",
            "２０２６-11-23",
        ] {
            assert!(o.parse_stamp(cell.as_bytes()).is_err(), "{cell:?} was read");
        }
    }

    #[test]
    fn leap_second_is_read_as_end_of_minute() {
        let mut o = office("UTC");
        let leap = o.parse_stamp(b"2016-12-31T23:59:60Z").unwrap();
        let before = o.parse_stamp(b"2016-12-31T23:59:59Z").unwrap();
        assert!(leap.at > before.at);
        assert_eq!(leap.day, date("2016-12-31"));
    }

    #[test]
    fn far_years_are_out_of_range() {
        let mut o = office("UTC");
        assert_eq!(o.parse_stamp(b"9999-01-01"), Err(TimeError::OutOfRange));
        assert_eq!(o.parse_stamp(b"0001-01-01"), Err(TimeError::OutOfRange));
    }

    #[test]
    fn spring_forward_gap_and_fall_back_repeat_resolve() {
        let mut o = office("America/New_York");
        // 2026-03-08 02:30 does not exist in New York; read with EST (-05:00).
        let gap = o.parse_stamp(b"2026-03-08 02:30").unwrap();
        let est = o.parse_stamp(b"2026-03-08T02:30:00-05:00").unwrap();
        assert_eq!(gap.at, est.at);
        assert_eq!(gap.day, date("2026-03-08"));
        // 2026-11-01 01:30 happens twice; the first (EDT, -04:00) is taken.
        let twice = o.parse_stamp(b"2026-11-01 01:30").unwrap();
        let edt = o.parse_stamp(b"2026-11-01T01:30:00-04:00").unwrap();
        assert_eq!(twice.at, edt.at);
        // A skipped time still comes after the times before the change.
        let before = o.parse_stamp(b"2026-03-08 01:59").unwrap();
        assert!(before.at < gap.at);
    }

    #[test]
    fn cached_offsets_match_the_zone_database_around_a_change() {
        let mut o = office("Europe/Berlin");
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        for cell in [
            "2026-03-28 12:00",
            "2026-03-29 01:00",
            "2026-03-29 04:00",
            "2026-03-30 12:00",
            "2026-10-24 12:00",
            "2026-10-25 04:00",
        ] {
            let got = o.parse_stamp(cell.as_bytes()).unwrap();
            let local = parse_datetime_bytes(cell.as_bytes()).unwrap().local;
            let want = tz.from_local_datetime(&local).earliest().unwrap();
            assert_eq!(got.at, want.timestamp_nanos_opt().unwrap(), "{cell}");
        }
    }

    #[test]
    fn office_clock_crosses_midnight_for_far_customers() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let d = date("2026-11-23");
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let five = NaiveTime::from_hms_opt(17, 0, 0).unwrap();
        assert_eq!(office_clock(tokyo, d, nine, ny), "19:00");
        assert_eq!(office_clock(tokyo, d, five, ny), "03:00");
        assert_eq!(office_clock(ny, d, nine, ny), "09:00");
    }

    #[test]
    fn office_clock_follows_daylight_saving() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let london: Tz = "Europe/London".parse().unwrap();
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        // London moves on 2026-03-29, New York on 2026-03-08: the gap is 4
        // hours between those dates and 5 otherwise.
        assert_eq!(office_clock(london, date("2026-03-02"), nine, ny), "04:00");
        assert_eq!(office_clock(london, date("2026-03-09"), nine, ny), "05:00");
        assert_eq!(office_clock(london, date("2026-03-30"), nine, ny), "04:00");
    }

    #[test]
    fn strict_dates() {
        assert_eq!(parse_date(" 2026-11-23 "), Some(date("2026-11-23")));
        assert_eq!(parse_date("2026-11-23T00:00"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn hand_counted_days_agree_with_chrono() {
        for (y, m, d) in [
            (1970, 1, 1),
            (1969, 12, 31),
            (2000, 2, 29),
            (2026, 11, 23),
            (1678, 1, 1),
            (2261, 12, 31),
            (1900, 3, 1),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                days_from_civil(i64::from(y), m, d),
                i64::from(day_number(date)),
                "{date}"
            );
            assert_eq!(date_of_day_number(i64::from(day_number(date))), Some(date));
        }
        for cell in [
            "1900-02-29",
            "2100-02-29",
            "2026-04-31",
            "2026-00-10",
            "2026-01-00",
        ] {
            assert_eq!(
                parse_ymd(cell.as_bytes()),
                Err(TimeError::Impossible),
                "{cell}"
            );
        }
        assert!(parse_ymd(b"2000-02-29").is_ok());
    }

    #[test]
    fn every_second_of_a_changeover_day_matches_the_zone_database() {
        // Both directions of daylight saving, read as local times and as UTC:
        // in New York the clocks change on the same date in UTC; in Sydney
        // and on the Chatham Islands, on the UTC date before the local one,
        // so that a UTC day and a local day of one date differ in whether
        // they hold the change; in Havana and Santiago, at local midnight,
        // so that the office's date at a moment turns on the change. The
        // day before each change, its day and the day after.
        let ny = ("America/New_York", vec![date("2026-07-04")]);
        let zones = [
            ny,
            ("Australia/Sydney", vec![]),
            ("Pacific/Chatham", vec![]),
            ("America/Havana", vec![]),
            ("America/Santiago", vec![]),
        ];
        for (zone, mut days) in zones {
            let tz: Tz = zone.parse().unwrap();
            let offset_at = |day: NaiveDate| {
                tz.offset_from_utc_datetime(&day.and_time(NaiveTime::MIN))
                    .fix()
                    .local_minus_utc()
            };
            let mut day = date("2026-01-01");
            while day < date("2027-01-01") {
                let next = day.succ_opt().unwrap();
                if offset_at(day) != offset_at(next) {
                    days.extend([day.pred_opt().unwrap(), day, next, next.succ_opt().unwrap()]);
                }
                day = next;
            }
            assert!(days.len() >= 8, "{zone}");
            every_minute_matches(tz, &days);
        }
    }

    /// Every seventh minute of `days`, read by one office as local times
    /// and as UTC, as the zone database reads them.
    fn every_minute_matches(tz: Tz, days: &[NaiveDate]) {
        let mut o = Office::new(tz);
        for day in days {
            for minute in (0..24 * 60).step_by(7) {
                let cell = format!("{day} {:02}:{:02}:30", minute / 60, minute % 60);
                let got = o.parse_stamp(cell.as_bytes()).unwrap();
                let local = parse_datetime_bytes(cell.as_bytes()).unwrap().local;
                let want = local_to_utc(tz, local)
                    .and_utc()
                    .timestamp_nanos_opt()
                    .unwrap();
                assert_eq!(got.at, want, "{cell}");
                let utc_cell = format!("{day}T{:02}:{:02}:30Z", minute / 60, minute % 60);
                let got = o.parse_stamp(utc_cell.as_bytes()).unwrap();
                let utc = parse_datetime_bytes(utc_cell.as_bytes()).unwrap().local;
                let want_day = tz.from_utc_datetime(&utc).date_naive();
                assert_eq!(got.day, want_day, "{utc_cell}");
            }
        }
    }

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(date("2026-11-20"), date("2026-11-23")), 3);
        assert_eq!(days_between(date("2026-11-23"), date("2026-11-20")), -3);
        assert_eq!(add_days(date("2026-12-31"), 1), date("2027-01-01"));
    }

    fn dialer(patterns: &[&str]) -> Office {
        let formats: Vec<AtFormat> = patterns.iter().map(|p| AtFormat::new(p).unwrap()).collect();
        Office::with_formats(chrono_tz::America::New_York, &formats)
    }

    fn read_as(o: &mut Office, cell: &str) -> (String, NaiveDate) {
        let stamp = o.parse_stamp(cell.as_bytes()).unwrap();
        let utc = DateTime::from_timestamp_nanos(stamp.at);
        (utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(), stamp.day)
    }

    #[test]
    fn a_dialers_us_times_are_read_as_office_time() {
        let mut o = dialer(&["%m/%d/%Y %I:%M %p"]);
        assert_eq!(
            read_as(&mut o, "11/23/2026 9:14 AM"),
            ("2026-11-23T14:14:00Z".to_owned(), date("2026-11-23"))
        );
        // 12 AM is midnight, the first minute of its day; 11:59 PM its last.
        assert_eq!(
            read_as(&mut o, "11/23/2026 12:00 AM"),
            ("2026-11-23T05:00:00Z".to_owned(), date("2026-11-23"))
        );
        assert_eq!(
            read_as(&mut o, "11/23/2026 11:59 PM"),
            ("2026-11-24T04:59:00Z".to_owned(), date("2026-11-23"))
        );
        assert_eq!(
            read_as(&mut o, " 11/23/2026 12:30 pm ").0,
            "2026-11-23T17:30:00Z"
        );
        // The built-in formats still come first.
        assert_eq!(
            read_as(&mut o, "2026-11-23 09:14").0,
            "2026-11-23T14:14:00Z"
        );
        assert_eq!(
            o.parse_stamp(b"11/31/2026 9:14 AM"),
            Err(TimeError::Format),
            "no 31 November"
        );
        assert_eq!(o.parse_stamp(b"23/11/2026 9:14 AM"), Err(TimeError::Format));
        // A local time the clocks skip reads with the offset before the gap.
        assert_eq!(
            read_as(&mut o, "03/08/2026 2:30 AM").0,
            "2026-03-08T07:30:00Z"
        );
    }

    #[test]
    fn formats_are_tried_in_order_and_an_offset_in_the_pattern_wins() {
        let mut o = dialer(&["%d.%m.%Y %H:%M %z", "%d.%m.%Y %H:%M", "%d.%m.%Y"]);
        // 23:30 in UTC+1 on the 23rd is the 23rd in New York too.
        assert_eq!(
            read_as(&mut o, "23.11.2026 23:30 +0100"),
            ("2026-11-23T22:30:00Z".to_owned(), date("2026-11-23"))
        );
        // 01:30 in UTC+1 on the 24th is still the 23rd in New York.
        assert_eq!(
            read_as(&mut o, "24.11.2026 01:30 +0100").1,
            date("2026-11-23")
        );
        assert_eq!(
            read_as(&mut o, "23.11.2026 08:00").0,
            "2026-11-23T13:00:00Z"
        );
        // A bare date is the office's midnight.
        assert_eq!(
            read_as(&mut o, "23.11.2026"),
            ("2026-11-23T05:00:00Z".to_owned(), date("2026-11-23"))
        );
        // Without the setting, none of these is read.
        let mut plain = Office::new(chrono_tz::America::New_York);
        assert_eq!(plain.parse_stamp(b"23.11.2026"), Err(TimeError::Format));
    }

    #[test]
    fn a_pattern_must_be_known_whole_and_read_back() {
        assert!(AtFormat::new("%m/%d/%Y %I:%M %p").is_ok());
        assert!(AtFormat::new("%Y%m%d%H%M%S").is_ok());
        assert!(AtFormat::new("%b %e %Y %H:%M").is_ok());
        assert!(
            AtFormat::new("%Q")
                .unwrap_err()
                .contains("not a chrono strftime")
        );
        assert!(
            AtFormat::new("%m/%d %H:%M")
                .unwrap_err()
                .contains("full date")
        );
        assert!(AtFormat::new("%H:%M").unwrap_err().contains("full date"));
        // %I without %p cannot tell 9 AM from 9 PM.
        assert!(
            AtFormat::new("%m/%d/%Y %I:%M")
                .unwrap_err()
                .contains("read back")
        );
    }
}
