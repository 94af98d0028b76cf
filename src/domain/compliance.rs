//! Compliance profiles: the telemarketing law of each region (its calling
//! hours per weekday, its days without calls, its rolling attempt limits),
//! each rule with the statute it comes from, read from a TOML document
//! that a compliance person can check line by line against the law.
//!
//! The built-in profiles (`profiles/us.toml`, `profiles/ca.toml`) ship
//! inside the binary; a user's profile is the same format. Reading is
//! strict: an unknown key, a value out of range or a rule without a
//! citation is an error naming the key and its line. No file is read
//! here: the text comes in, typed rules come out.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Deserialize;
use toml::Spanned;

use crate::domain::holiday::{Holiday, Holidays, read_weekday};
use crate::tomltext::{key_at, line_of};

/// What a rolling limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitOf {
    Attempts,
    Contacts,
}

impl LimitOf {
    /// `attempts` or `contacts`, as the profile writes it.
    pub fn name(self) -> &'static str {
        match self {
            LimitOf::Attempts => "attempts",
            LimitOf::Contacts => "contacts",
        }
    }
}

/// At most `count` attempts (or contacts) in any `within_hours` hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub within_hours: u32,
    pub of: LimitOf,
    /// The provision that sets the limit, when it is narrower than the
    /// rule's citation.
    pub citation: Option<String>,
}

/// One weekday's law: no rule, calls only between two local times, or no
/// calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRule {
    Any,
    Between(NaiveTime, NaiveTime),
    Banned,
}

impl DayRule {
    /// Both rules at once: the later start and the earlier end; a day
    /// either bans (or that has no minute left) is banned.
    pub fn and(self, other: DayRule) -> DayRule {
        match (self, other) {
            (DayRule::Banned, _) | (_, DayRule::Banned) => DayRule::Banned,
            (DayRule::Any, rule) | (rule, DayRule::Any) => rule,
            (DayRule::Between(a, b), DayRule::Between(c, d)) => {
                let (start, end) = (a.max(c), b.min(d));
                if start < end {
                    DayRule::Between(start, end)
                } else {
                    DayRule::Banned
                }
            }
        }
    }
}

/// The law of some regions: hours per weekday, holidays, limits.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRule {
    /// ISO 3166-2 codes (`US-FL`) or country codes (`US`, every region of
    /// it), upper case.
    pub regions: Vec<String>,
    /// Monday first.
    pub days: [DayRule; 7],
    /// Days without calls.
    pub holidays: Holidays,
    pub limits: Vec<Limit>,
    /// The statute or regulation.
    pub citation: String,
    pub note: Option<String>,
}

impl RegionRule {
    /// The rule for `date`: banned on a holiday, else its weekday's.
    pub fn on(&self, date: NaiveDate) -> DayRule {
        if self.holidays.contains(date) {
            return DayRule::Banned;
        }
        self.days[date.weekday().num_days_from_monday() as usize]
    }

    /// Whether the rule names `region` itself or its country.
    pub fn applies_to(&self, region: &str) -> bool {
        self.names(&Asked::of(region))
    }

    fn names(&self, asked: &Asked) -> bool {
        self.regions.iter().any(|code| asked.is(code))
    }

    /// One rule as strict as all of `rules` together: per weekday the
    /// latest start and earliest end, every banned day, every holiday (the
    /// same days once), every limit (the same limit once, citing every rule
    /// that sets it). Its regions are theirs, its citation theirs joined by
    /// "; ".
    pub fn all_of<'a>(rules: impl IntoIterator<Item = &'a RegionRule>) -> RegionRule {
        let mut all = RegionRule {
            regions: Vec::new(),
            days: [DayRule::Any; 7],
            holidays: Holidays::default(),
            limits: Vec::new(),
            citation: String::new(),
            note: None,
        };
        let mut citations: Vec<&str> = Vec::new();
        for rule in rules {
            all.regions.extend(rule.regions.iter().cloned());
            for (day, theirs) in all.days.iter_mut().zip(rule.days) {
                *day = day.and(theirs);
            }
            all.holidays.union(&rule.holidays);
            for limit in &rule.limits {
                let cited = limit.citation.as_deref().unwrap_or(&rule.citation);
                add_limit(&mut all.limits, limit, cited);
            }
            if !citations.contains(&rule.citation.as_str()) {
                citations.push(&rule.citation);
            }
        }
        all.regions.sort();
        all.regions.dedup();
        all.citation = citations.join("; ");
        all
    }
}

/// Adds `limit`, set by the provision `cited`, to `limits`; or `cited` to
/// the citation of the same limit already there.
fn add_limit(limits: &mut Vec<Limit>, limit: &Limit, cited: &str) {
    let same = limits
        .iter_mut()
        .find(|l| (l.count, l.within_hours, l.of) == (limit.count, limit.within_hours, limit.of));
    match same {
        None => limits.push(Limit {
            citation: Some(cited.to_owned()),
            ..limit.clone()
        }),
        Some(same) => match &mut same.citation {
            Some(ours) if ours.split("; ").any(|c| c == cited) => {}
            Some(ours) => {
                ours.push_str("; ");
                ours.push_str(cited);
            }
            None => same.citation = Some(cited.to_owned()),
        },
    }
}

/// `US` for `US-FL`; a country code is its own country.
fn country_of(region: &str) -> &str {
    region.split('-').next().unwrap_or(region)
}

/// A region as asked about (`us-fl `), upper-cased on the stack with its
/// country, so that asking which rules apply allocates nothing: it is
/// asked for every customer.
#[derive(Debug, Clone, Copy)]
struct Asked {
    /// The code upper-cased; ISO 3166-2 codes are at most 6 bytes (`US-FLA`).
    code: [u8; 6],
    /// The length of the whole code, 0 when it is too long to be one.
    len: usize,
    /// The length of its country part, 0 when that is too long to be one.
    country: usize,
}

impl Asked {
    fn of(region: &str) -> Asked {
        let bytes = region.trim().as_bytes();
        let mut code = [0u8; 6];
        for (to, from) in code.iter_mut().zip(bytes) {
            *to = from.to_ascii_uppercase();
        }
        let country = bytes.iter().position(|&b| b == b'-').unwrap_or(bytes.len());
        Asked {
            code,
            len: if bytes.len() <= code.len() {
                bytes.len()
            } else {
                0
            },
            country: if country <= code.len() { country } else { 0 },
        }
    }

    /// Whether `code` (upper case, as rules keep them) is the region asked
    /// or its country.
    #[inline]
    fn is(&self, code: &str) -> bool {
        let code = code.as_bytes();
        (self.len > 0 && code == &self.code[..self.len])
            || (self.country > 0 && code == &self.code[..self.country])
    }
}

/// A compliance profile: its rules, and when they were last checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    /// The day the rules were last checked against the law.
    pub as_of: NaiveDate,
    /// The file it was read from, for messages.
    pub source: String,
    pub rules: Vec<RegionRule>,
}

const US: &str = include_str!("../../profiles/us.toml");
const CA: &str = include_str!("../../profiles/ca.toml");

impl Profile {
    /// "us" or "ca" (any case): the built-in profiles.
    pub fn builtin(name: &str) -> Option<Profile> {
        let (text, source) = match name.trim().to_ascii_lowercase().as_str() {
            "us" => (US, "profiles/us.toml"),
            "ca" => (CA, "profiles/ca.toml"),
            _ => return None,
        };
        // A unit test parses both; a failure here is a build that skipped it.
        Profile::parse(text, source).ok()
    }

    /// Reads a profile; `source` names the file in messages.
    pub fn parse(text: &str, source: &str) -> Result<Profile, String> {
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|span| span.start).unwrap_or(0);
            let message = e
                .message()
                .trim()
                .replace("expected i64", "expected a whole number")
                .replace("expected a sequence", "expected a list")
                .replace("expected a borrowed string", "expected a string");
            match key_at(text, at) {
                Some(key) => format!("{source}:{}: {key}: {message}", line_of(text, at)),
                None => format!("{source}:{}: {message}", line_of(text, at)),
            }
        })?;
        Reader { text, source }.profile(raw)
    }

    /// The rules that apply in `region` ("US-FL"): those naming it, and
    /// those naming its country ("US"). The code is matched in any case;
    /// nothing is allocated.
    pub fn rules_for<'a>(&'a self, region: &str) -> impl Iterator<Item = &'a RegionRule> + use<'a> {
        let asked = Asked::of(region);
        self.rules.iter().filter(move |r| r.names(&asked))
    }

    /// For a customer of `country` ("US") whose region is unknown: one
    /// rule as strict as every region of that country put together, citing
    /// that it is the strictest of all of them. Its regions are every region
    /// the country's rules name.
    pub fn strictest(&self, country: &str) -> RegionRule {
        let country = country.trim().to_ascii_uppercase();
        let mut rule = RegionRule::all_of(
            self.rules
                .iter()
                .filter(|r| r.regions.iter().any(|code| country_of(code) == country)),
        );
        rule.regions.retain(|code| country_of(code) == country);
        rule.citation = if rule.citation.is_empty() {
            format!("no rule of profile {} names {country}", self.name)
        } else {
            format!(
                "the strictest of every {country} rule of profile {} ({})",
                self.name, rule.citation
            )
        };
        rule.note = Some(format!(
            "the customer's region in {country} is unknown, so every region's rules apply at once"
        ));
        rule
    }

    /// Every region the profile names, sorted.
    pub fn regions(&self) -> Vec<&str> {
        let mut regions: Vec<&str> = self
            .rules
            .iter()
            .flat_map(|r| r.regions.iter().map(String::as_str))
            .collect();
        regions.sort_unstable();
        regions.dedup();
        regions
    }
}

// The document as written. `Option`s and spans everywhere, so that every
// missing or wrong value is reported with its key and line by `Reader`.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Option<Spanned<String>>,
    as_of: Option<Spanned<toml::Value>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    regions: Option<Spanned<Vec<Spanned<String>>>>,
    citation: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
    hours: Option<Spanned<String>>,
    days: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    holidays: Option<Vec<Spanned<toml::Value>>>,
    limits: Option<Vec<Spanned<RawLimit>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimit {
    count: Spanned<i64>,
    within_hours: Spanned<i64>,
    of: Spanned<String>,
    citation: Option<String>,
}

/// Checks the raw document into a `Profile`, naming the line of each mistake.
struct Reader<'a> {
    text: &'a str,
    source: &'a str,
}

impl Reader<'_> {
    fn fail<T>(&self, span: &Range<usize>, message: String) -> Result<T, String> {
        Err(format!(
            "{}:{}: {message}",
            self.source,
            line_of(self.text, span.start)
        ))
    }

    fn profile(&self, raw: RawProfile) -> Result<Profile, String> {
        let name = match &raw.name {
            Some(name) if !name.get_ref().trim().is_empty() => name.get_ref().trim().to_owned(),
            Some(name) => return self.fail(&name.span(), "name is empty".to_owned()),
            None => return self.fail(&(0..0), "name is missing (write name = \"...\")".to_owned()),
        };
        let Some(as_of) = &raw.as_of else {
            return self.fail(
                &(0..0),
                "as_of is missing: the date the rules were last checked against the law (write as_of = 2026-12-05)".to_owned(),
            );
        };
        let as_of = self.date(as_of)?;
        if raw.rule.is_empty() {
            return self.fail(&(0..0), "the profile has no [[rule]]".to_owned());
        }
        let rules = raw
            .rule
            .iter()
            .map(|r| self.rule(r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Profile {
            name,
            as_of,
            source: self.source.to_owned(),
            rules,
        })
    }

    fn date(&self, value: &Spanned<toml::Value>) -> Result<NaiveDate, String> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.trim().to_owned(),
            toml::Value::Datetime(dt) => dt.to_string(),
            other => other.to_string(),
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").or_else(|_| {
            self.fail(
                &value.span(),
                format!("as_of {text} is not a date (write as_of = 2026-12-05)"),
            )
        })
    }

    fn rule(&self, raw: &Spanned<RawRule>) -> Result<RegionRule, String> {
        let span = raw.span();
        let raw = raw.get_ref();
        let regions = self.regions(raw.regions.as_ref(), &span)?;
        let citation = match &raw.citation {
            Some(c) if !c.get_ref().trim().is_empty() => c.get_ref().trim().to_owned(),
            Some(c) => return self.fail(&c.span(), "[[rule]] citation is empty".to_owned()),
            None => {
                return self.fail(
                    &span,
                    format!(
                        "[[rule]] for {} has no citation: every rule names the statute or regulation it comes from",
                        regions.join(", ")
                    ),
                );
            }
        };
        let mut days = [DayRule::Any; 7];
        if let Some(hours) = &raw.hours {
            days = [self.window(hours, "[[rule]] hours")?; 7];
        }
        for (day, value) in raw.days.iter().flatten() {
            let Some(weekday) = read_weekday(&day.get_ref().trim().to_ascii_lowercase()) else {
                return self.fail(
                    &day.span(),
                    format!(
                        "[rule.days] {:?} is not a weekday (use mon, tue, wed, thu, fri, sat, sun)",
                        day.get_ref()
                    ),
                );
            };
            let key = format!("[rule.days] {}", day.get_ref().trim());
            days[weekday.num_days_from_monday() as usize] = self.window(value, &key)?;
        }
        let holidays = self.holidays(raw.holidays.iter().flatten())?;
        let limits = raw
            .limits
            .iter()
            .flatten()
            .map(|l| self.limit(l))
            .collect::<Result<Vec<_>, _>>()?;
        if days == [DayRule::Any; 7] && holidays.is_empty() && limits.is_empty() {
            return self.fail(
                &span,
                format!(
                    "[[rule]] for {} sets no hours, days, holidays or limits",
                    regions.join(", ")
                ),
            );
        }
        Ok(RegionRule {
            regions,
            days,
            holidays,
            limits,
            citation,
            note: raw.note.as_ref().map(|n| n.get_ref().trim().to_owned()),
        })
    }

    fn regions(
        &self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        rule: &Range<usize>,
    ) -> Result<Vec<String>, String> {
        let Some(raw) = raw else {
            return self.fail(
                rule,
                "[[rule]] has no regions (write regions = [\"US-FL\"], or [\"US\"] for every region of a country)".to_owned(),
            );
        };
        if raw.get_ref().is_empty() {
            return self.fail(&raw.span(), "[[rule]] regions is empty".to_owned());
        }
        let mut regions: Vec<String> = Vec::new();
        for code in raw.get_ref() {
            let upper = code.get_ref().trim().to_ascii_uppercase();
            if !is_region_code(&upper) {
                return self.fail(
                    &code.span(),
                    format!(
                        "[[rule]] regions: {:?} is not an ISO 3166-2 code such as \"US-FL\" or \"CA-ON\", nor a country code such as \"US\"",
                        code.get_ref()
                    ),
                );
            }
            if regions.contains(&upper) {
                return self.fail(
                    &code.span(),
                    format!("[[rule]] regions: {upper} is listed twice"),
                );
            }
            regions.push(upper);
        }
        Ok(regions)
    }

    /// `"08:00-21:00"` (an en dash and spaces are fine too), or `"none"`.
    fn window(&self, value: &Spanned<String>, key: &str) -> Result<DayRule, String> {
        let text = value.get_ref().trim();
        if text.eq_ignore_ascii_case("none") {
            return Ok(DayRule::Banned);
        }
        let wrong = |why: &str| {
            self.fail(
                &value.span(),
                format!("{key} {text:?} {why} (write \"08:00-21:00\", or \"none\" for no calls)"),
            )
        };
        let Some((start, end)) = text.split_once(['-', '–']) else {
            return wrong("is not a window of two times");
        };
        let clock = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
        let (Some(start), Some(end)) = (clock(start), clock(end)) else {
            return wrong("is not a window of two times");
        };
        if end <= start {
            return wrong("ends before it starts");
        }
        Ok(DayRule::Between(start, end))
    }

    fn holidays<'h>(
        &self,
        raw: impl Iterator<Item = &'h Spanned<toml::Value>>,
    ) -> Result<Holidays, String> {
        let mut holidays = Holidays::default();
        for value in raw {
            let fail = |why: String| self.fail(&value.span(), format!("[[rule]] holidays: {why}"));
            let (on, name) = match value.get_ref() {
                toml::Value::Table(table) => {
                    if let Some(key) = table.keys().find(|k| !matches!(k.as_str(), "on" | "name")) {
                        return fail(format!(
                            "unknown key `{key}` (a holiday is a string, or {{ on = \"last mon may\", name = \"Memorial Day\" }})"
                        ));
                    }
                    let name = match table.get("name") {
                        None => None,
                        Some(toml::Value::String(name)) => Some(name.as_str()),
                        Some(other) => return fail(format!("name {other} is not a string")),
                    };
                    match table.get("on") {
                        Some(on) => (on, name),
                        None => return fail("a holiday table has no `on`".to_owned()),
                    }
                }
                other => (other, None),
            };
            let text = match on {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(dt) => dt.to_string(),
                other => other.to_string(),
            };
            match Holiday::parse(&text) {
                Ok(h) => holidays.push(match name {
                    Some(name) => h.named(name),
                    None => h,
                }),
                Err(why) => return fail(why),
            }
        }
        Ok(holidays)
    }

    fn limit(&self, raw: &Spanned<RawLimit>) -> Result<Limit, String> {
        let raw = raw.get_ref();
        let number = |v: &Spanned<i64>, key: &str, most: i64| -> Result<u32, String> {
            match u32::try_from(*v.get_ref()) {
                Ok(n) if n >= 1 && i64::from(n) <= most => Ok(n),
                _ => self.fail(
                    &v.span(),
                    format!(
                        "[[rule]] limits {key} must be a whole number from 1 to {most}, not {}",
                        v.get_ref()
                    ),
                ),
            }
        };
        let of = match raw.of.get_ref().trim().to_ascii_lowercase().as_str() {
            "attempts" => LimitOf::Attempts,
            "contacts" => LimitOf::Contacts,
            _ => {
                return self.fail(
                    &raw.of.span(),
                    format!(
                        "[[rule]] limits of {:?} is neither \"attempts\" nor \"contacts\"",
                        raw.of.get_ref()
                    ),
                );
            }
        };
        Ok(Limit {
            count: number(&raw.count, "count", 1000)?,
            // A year of hours: a longer window is the caps' business.
            within_hours: number(&raw.within_hours, "within_hours", 8784)?,
            of,
            citation: raw
                .citation
                .as_ref()
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty()),
        })
    }
}

/// `US`, or `US-FL` (a country's two letters, a dash, one to three letters
/// or digits), upper case.
fn is_region_code(code: &str) -> bool {
    let (country, sub) = match code.split_once('-') {
        Some((country, sub)) => (country, Some(sub)),
        None => (code, None),
    };
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && sub.is_none_or(|s| {
            (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn us() -> Profile {
        Profile::parse(US, "profiles/us.toml").unwrap()
    }

    fn ca() -> Profile {
        Profile::parse(CA, "profiles/ca.toml").unwrap()
    }

    fn error(text: &str) -> String {
        Profile::parse(text, "mine.toml").unwrap_err()
    }

    /// A day's rule as the tables below write it.
    fn cell(rule: DayRule) -> String {
        match rule {
            DayRule::Any => "-".to_owned(),
            DayRule::Banned => "none".to_owned(),
            DayRule::Between(a, b) => format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")),
        }
    }

    /// Each region's own rule, one row per region, as `table` lays it out.
    fn hours_table(profile: &Profile) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = profile
            .rules
            .iter()
            .flat_map(|rule| {
                rule.regions.iter().map(|region| {
                    let mut row = vec![region.clone()];
                    row.extend(rule.days.iter().map(|&day| cell(day)));
                    row
                })
            })
            .collect();
        rows.sort();
        rows
    }

    fn table(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(str::split_whitespace)
            .map(|cells| cells.map(str::to_owned).collect::<Vec<_>>())
            .filter(|row| !row.is_empty() && row[0] != "region")
            .collect()
    }

    // The law's hours per weekday, region by region, to compare with the
    // statutes in one read ("-": the rule sets no hours that day, "none":
    // no calls that day). Holidays and limits are checked below.
    const US_HOURS: &str = "
        region  mon          tue          wed          thu          fri          sat          sun
        US      08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00
        US-AL   08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  none
        US-FL   08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00
        US-LA   08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  none
        US-MD   08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00
        US-MS   09:00-20:00  09:00-20:00  09:00-20:00  09:00-20:00  09:00-20:00  09:00-20:00  none
        US-OK   08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00
        US-RI   09:00-18:00  09:00-18:00  09:00-18:00  09:00-18:00  09:00-18:00  10:00-17:00  none
        US-TX   09:00-21:00  09:00-21:00  09:00-21:00  09:00-21:00  09:00-21:00  09:00-21:00  12:00-21:00
        US-UT   08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00  08:00-21:00  none
        US-WA   08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00  08:00-20:00
    ";

    const CA_HOURS: &str = "
        region  mon          tue          wed          thu          fri          sat          sun
        CA      09:00-21:30  09:00-21:30  09:00-21:30  09:00-21:30  09:00-21:30  10:00-18:00  10:00-18:00
    ";

    #[test]
    fn built_in_hours_are_the_laws_hours() {
        assert_eq!(hours_table(&us()), table(US_HOURS));
        assert_eq!(hours_table(&ca()), table(CA_HOURS));
    }

    #[test]
    fn built_in_limits_are_florida_oklahoma_and_maryland_three_in_a_day() {
        let us = us();
        let limited: Vec<(&str, u32, u32, LimitOf)> = us
            .rules
            .iter()
            .flat_map(|r| {
                r.limits
                    .iter()
                    .map(move |l| (r.regions[0].as_str(), l.count, l.within_hours, l.of))
            })
            .collect();
        assert_eq!(
            limited,
            [
                ("US-FL", 3, 24, LimitOf::Attempts),
                ("US-OK", 3, 24, LimitOf::Attempts),
                ("US-MD", 3, 24, LimitOf::Attempts),
            ]
        );
        assert!(ca().rules.iter().all(|r| r.limits.is_empty()));
    }

    #[test]
    fn built_in_profiles_parse_with_their_date_and_source() {
        for name in ["us", "US", " ca "] {
            let p = Profile::builtin(name).unwrap();
            assert_eq!(p.as_of, d("2026-12-05"));
            assert_eq!(p.name, name.trim().to_lowercase());
            assert_eq!(p.source, format!("profiles/{}.toml", p.name));
            assert!(p.rules.iter().all(|r| !r.citation.is_empty()));
        }
        assert_eq!(Profile::builtin("us"), Some(us()));
        assert_eq!(Profile::builtin("mx"), None);
        assert_eq!(Profile::builtin("none"), None);
    }

    /// The rule of `region` alone in the built-in US profile.
    fn state(region: &str) -> RegionRule {
        us().rules
            .into_iter()
            .find(|r| r.regions == [region])
            .unwrap()
    }

    #[test]
    fn built_in_holidays_fall_where_the_states_law_puts_them() {
        let banned = |region: &str, date: &str| state(region).on(d(date)) == DayRule::Banned;
        // Alabama: Thanksgiving, Confederate Memorial Day (the fourth Monday of
        // April), Jefferson Davis' birthday, Christmas 2027 observed on Friday.
        for date in ["2026-11-26", "2027-04-26", "2027-06-07", "2027-12-24"] {
            assert!(banned("US-AL", date), "US-AL {date}");
        }
        assert!(!banned("US-AL", "2026-11-27"));
        // Louisiana: Mardi Gras and Good Friday 2027, All Saints' Day, Huey P. Long Day.
        for date in ["2027-02-09", "2027-03-26", "2027-11-01", "2027-08-30"] {
            assert!(banned("US-LA", date), "US-LA {date}");
        }
        assert!(!banned("US-LA", "2027-02-10"));
        // Rhode Island: July 4 2026 is a Saturday, kept on Friday and Monday
        // too; Victory Day; Election Day 2028.
        for date in [
            "2026-07-03",
            "2026-07-04",
            "2026-07-06",
            "2027-08-09",
            "2028-11-07",
        ] {
            assert!(banned("US-RI", date), "US-RI {date}");
        }
        assert!(!banned("US-RI", "2026-07-07"));
        // Utah: Pioneer Day 2027 (a Saturday) observed on Friday July 23;
        // Juneteenth 2027 (a Saturday) on Monday June 21.
        for date in ["2027-07-23", "2027-07-24", "2027-06-21", "2027-03-26"] {
            assert!(banned("US-UT", date), "US-UT {date}");
        }
        assert!(!banned("US-UT", "2027-07-26"));
        // Mississippi keeps no holiday: Christmas 2026 is a Friday.
        assert_eq!(
            state("US-MS").on(d("2026-12-25")),
            DayRule::Between(t("09:00"), t("20:00"))
        );
        // Every Sunday is banned where the law says so, holiday or not.
        assert!(banned("US-MS", "2026-12-06"));
        assert_eq!(
            state("US-TX").on(d("2026-12-06")),
            DayRule::Between(t("12:00"), t("21:00"))
        );
    }

    #[test]
    fn built_in_holidays_all_have_names() {
        for rule in us().rules {
            for h in rule.holidays.iter() {
                assert!(h.name().is_some(), "{} {}", rule.regions[0], h.text());
            }
        }
    }

    #[test]
    fn rules_for_a_region_are_its_own_and_its_countrys() {
        let p = us();
        let cites = |region: &str| -> Vec<String> {
            p.rules_for(region).map(|r| r.citation.clone()).collect()
        };
        assert_eq!(
            cites("US-FL"),
            [
                "47 CFR § 64.1200(c)(1); 16 CFR § 310.4(c)",
                "Fla. Stat. § 501.616(6)"
            ]
        );
        assert_eq!(cites(" us-fl "), cites("US-FL"));
        assert_eq!(
            cites("US-NY"),
            ["47 CFR § 64.1200(c)(1); 16 CFR § 310.4(c)"]
        );
        assert_eq!(cites("US"), cites("US-NY"));
        assert!(cites("CA-ON").is_empty());
        // Not a code, but its country's rules still apply.
        assert_eq!(cites("us-florida"), cites("US-NY"));
        assert!(cites("").is_empty() && cites("-").is_empty() && cites("UNITEDSTATES").is_empty());
        assert!(p.rules[1].applies_to(" us-FL") && !p.rules[1].applies_to("US-F"));
        assert_eq!(ca().rules_for("CA-QC").count(), 1);
        // The iterator does not borrow the region it was asked for.
        let rules = p.rules_for(&String::from("US-TX"));
        assert_eq!(rules.count(), 2);
    }

    #[test]
    fn strictest_us_rule_holds_every_state_at_once() {
        let p = us();
        let all = p.strictest("us");
        let weekday = DayRule::Between(t("09:00"), t("18:00"));
        let saturday = DayRule::Between(t("10:00"), t("17:00"));
        assert_eq!(
            all.days,
            [
                weekday,
                weekday,
                weekday,
                weekday,
                weekday,
                saturday,
                DayRule::Banned
            ]
        );
        assert_eq!(all.regions, p.regions());
        assert!(all.regions.contains(&"US".to_owned()));
        assert_eq!(all.limits.len(), 1, "{:?}", all.limits);
        let limit = &all.limits[0];
        assert_eq!(
            (limit.count, limit.within_hours, limit.of),
            (3, 24, LimitOf::Attempts)
        );
        assert_eq!(
            limit.citation.as_deref(),
            Some(
                "Fla. Stat. § 501.616(6)(b); Okla. Stat. tit. 15, § 775C.4; Md. Code Ann., Com. Law § 14-4502"
            )
        );
        // Mardi Gras (Louisiana), Victory Day (Rhode Island), Pioneer Day (Utah).
        for date in ["2027-02-09", "2027-08-09", "2027-07-23"] {
            assert_eq!(all.on(d(date)), DayRule::Banned, "{date}");
        }
        assert!(
            all.citation
                .starts_with("the strictest of every US rule of profile us (")
        );
        for rule in &p.rules {
            assert!(all.citation.contains(&rule.citation), "{}", rule.citation);
        }
        assert!(all.note.unwrap().contains("unknown"));
    }

    #[test]
    fn strictest_of_a_country_with_one_rule_is_that_rule() {
        let all = ca().strictest("CA");
        assert_eq!(all.days, ca().rules[0].days);
        assert_eq!(all.regions, ["CA"]);
        let none = us().strictest("GB");
        assert_eq!(none.days, [DayRule::Any; 7]);
        assert!(none.regions.is_empty() && none.holidays.is_empty());
        assert!(none.citation.contains("no rule"), "{}", none.citation);
    }

    #[test]
    fn regions_are_every_code_named_sorted() {
        assert_eq!(
            us().regions(),
            [
                "US", "US-AL", "US-FL", "US-LA", "US-MD", "US-MS", "US-OK", "US-RI", "US-TX",
                "US-UT", "US-WA"
            ]
        );
        assert_eq!(ca().regions(), ["CA"]);
    }

    #[test]
    fn day_rules_combine_to_the_stricter() {
        let w = |a: &str, b: &str| DayRule::Between(t(a), t(b));
        assert_eq!(
            w("08:00", "21:00").and(w("09:00", "20:00")),
            w("09:00", "20:00")
        );
        assert_eq!(
            w("08:00", "12:00").and(w("11:00", "20:00")),
            w("11:00", "12:00")
        );
        assert_eq!(
            w("08:00", "12:00").and(w("12:00", "20:00")),
            DayRule::Banned
        );
        assert_eq!(DayRule::Any.and(w("08:00", "20:00")), w("08:00", "20:00"));
        assert_eq!(w("08:00", "20:00").and(DayRule::Banned), DayRule::Banned);
        assert_eq!(DayRule::Any.and(DayRule::Any), DayRule::Any);
    }

    const MINE: &str = r#"
name = "acme"
as_of = "2027-01-04"

[[rule]]
regions = ["us-ny", "US-NJ"]
citation = "Company policy, after counsel's letter of 2026-11-30"
hours = "09:00 – 19:00"
holidays = ["12-24", 2027-11-26, { on = "Easter + 1", name = "Easter Monday" }]
limits = [{ count = 2, within_hours = 48, of = "Contacts" }]
[rule.days]
Saturday = "10:00-14:00"
sun = "NONE"
"#;

    #[test]
    fn a_users_profile_reads_in_any_case_with_dates_and_dashes() {
        let p = Profile::parse(MINE, "mine.toml").unwrap();
        assert_eq!((p.name.as_str(), p.as_of), ("acme", d("2027-01-04")));
        let rule = &p.rules[0];
        assert_eq!(rule.regions, ["US-NY", "US-NJ"]);
        assert_eq!(rule.days[0], DayRule::Between(t("09:00"), t("19:00")));
        assert_eq!(rule.days[5], DayRule::Between(t("10:00"), t("14:00")));
        assert_eq!(rule.days[6], DayRule::Banned);
        assert_eq!(rule.holidays.len(), 3);
        assert_eq!(rule.on(d("2027-11-26")), DayRule::Banned);
        assert_eq!(rule.on(d("2027-03-29")), DayRule::Banned, "Easter Monday");
        let names: Vec<Option<&str>> = rule.holidays.iter().map(Holiday::name).collect();
        assert_eq!(names, [None, None, Some("Easter Monday")]);
        assert_eq!(
            rule.limits,
            [Limit {
                count: 2,
                within_hours: 48,
                of: LimitOf::Contacts,
                citation: None
            }]
        );
        assert_eq!(p.rules_for("US-NJ").count(), 1);
        assert_eq!(rule.note, None);
    }

    #[test]
    fn mistakes_name_the_key_and_the_line() {
        let base =
            "name = \"x\"\nas_of = 2026-12-05\n[[rule]]\nregions = [\"US-FL\"]\ncitation = \"c\"\n";
        for (extra, line, words) in [
            (
                "hourz = \"08:00-20:00\"\n",
                6,
                "[[rule]] hourz: unknown field `hourz`",
            ),
            (
                "hours = \"8am-8pm\"\n",
                6,
                "[[rule]] hours \"8am-8pm\" is not a window",
            ),
            ("hours = \"20:00-08:00\"\n", 6, "ends before it starts"),
            ("hours = 8\n", 6, "[[rule]] hours: invalid type"),
            (
                "holidays = [\"12-25\", \"13-01\"]\n",
                6,
                "[[rule]] holidays: holiday \"13-01\" has month 13",
            ),
            (
                "limits = [{ count = 0, within_hours = 24, of = \"attempts\" }]\n",
                6,
                "limits count must be a whole number from 1",
            ),
            (
                "limits = [{ count = 3, within_hours = 24, of = \"calls\" }]\n",
                6,
                "limits of \"calls\" is neither",
            ),
            (
                "limits = [{ count = 3, of = \"attempts\" }]\n",
                6,
                "within_hours",
            ),
            (
                "holidays = [{ on = \"12-25\", nmae = \"Christmas\" }]\n",
                6,
                "[[rule]] holidays: unknown key `nmae`",
            ),
            (
                "holidays = [\n  { name = \"Christmas\" },\n]\n",
                7,
                "[[rule]] holidays: a holiday table has no `on`",
            ),
            (
                "[rule.days]\nfunday = \"none\"\n",
                7,
                "[rule.days] \"funday\" is not a weekday",
            ),
            (
                "[rule.days]\nsun = \"noon-9\"\n",
                7,
                "[rule.days] sun \"noon-9\" is not a window",
            ),
        ] {
            let e = error(&format!("{base}{extra}"));
            assert!(
                e.starts_with(&format!("mine.toml:{line}: ")),
                "{extra}: {e}"
            );
            assert!(e.contains(words), "{extra}: {e}");
        }
    }

    #[test]
    fn a_profile_needs_its_name_date_regions_and_citations() {
        let rule = "[[rule]]\nregions = [\"US-FL\"]\nhours = \"08:00-20:00\"\ncitation = \"c\"\n";
        let e = error(&format!("as_of = 2026-12-05\n{rule}"));
        assert!(e.contains("mine.toml:1: name is missing"), "{e}");
        let e = error(&format!("name = \"x\"\n{rule}"));
        assert!(e.contains("as_of is missing"), "{e}");
        let e = error("name = \"x\"\nas_of = \"soon\"\n");
        assert!(e.contains("mine.toml:2: as_of soon is not a date"), "{e}");
        let e = error("name = \"x\"\nas_of = 2026-12-05\n");
        assert!(e.contains("no [[rule]]"), "{e}");
        let e = error("name = \"x\"\nas_of = 2026-12-05\ncolour = \"red\"\n");
        assert!(
            e.contains("mine.toml:3: colour: unknown field `colour`"),
            "{e}"
        );
        let head = "name = \"x\"\nas_of = 2026-12-05\n[[rule]]\n";
        let e = error(&format!(
            "{head}regions = [\"US-FL\"]\nhours = \"08:00-20:00\"\n"
        ));
        assert!(
            e.contains("mine.toml:3:") && e.contains("has no citation"),
            "{e}"
        );
        let e = error(&format!(
            "{head}hours = \"08:00-20:00\"\ncitation = \"c\"\n"
        ));
        assert!(
            e.contains("mine.toml:3:") && e.contains("has no regions"),
            "{e}"
        );
        let e = error(&format!(
            "{head}regions = [\"Florida\"]\nhours = \"08:00-20:00\"\ncitation = \"c\"\n"
        ));
        assert!(
            e.contains("mine.toml:4: [[rule]] regions: \"Florida\" is not an ISO 3166-2 code"),
            "{e}"
        );
        let e = error(&format!(
            "{head}regions = [\"US-FL\", \"us-fl\"]\ncitation = \"c\"\nhours = \"08:00-20:00\"\n"
        ));
        assert!(e.contains("US-FL is listed twice"), "{e}");
        let e = error(&format!("{head}regions = [\"US-FL\"]\ncitation = \"c\"\n"));
        assert!(
            e.contains("mine.toml:3:") && e.contains("sets no hours"),
            "{e}"
        );
        let e = error(&format!(
            "{head}regions = [\"US-FL\"]\ncitation = \" \"\nhours = \"08:00-20:00\"\n"
        ));
        assert!(e.contains("mine.toml:5: [[rule]] citation is empty"), "{e}");
    }
}
