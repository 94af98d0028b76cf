//! The policy: who counts as a customer, the caps on calling, and the
//! calling days and hours. Asked per customer (`Policy::hours_for`, with
//! where the customer is): today every customer gets the company's days,
//! in each of their zones; a region's law will change that answer, not the
//! rules that ask it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::datetime::{Nanos, local_to_utc};
use crate::domain::compliance::{DayRule, Limit, Profile, RegionRule};
use crate::domain::holiday::Holidays;
use crate::location::Place;

/// What the rules need to know: who is a customer, the caps, the hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Lower-cased, trimmed.
    pub existing_statuses: Vec<String>,
    /// `existing_statuses` was set to something other than the default.
    pub statuses_configured: bool,
    pub ebr_days: Option<u32>,
    /// A last inquiry this recent also makes an existing relationship.
    pub inquiry_days: Option<u32>,
    /// `[consent] mode = "opt-in"`: only customers who agreed are called.
    pub opt_in: bool,
    pub caps: Caps,
    pub hours: Hours,
    /// `[compliance] profile`: the law of each customer's regions.
    pub profile: Option<Profile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub max_contacts: u32,
    pub window_days: u32,
    pub max_unanswered: u32,
    pub pause_days: u32,
    pub retry_days: u32,
    pub contact_gap_days: u32,
}

impl Default for Caps {
    fn default() -> Caps {
        Caps {
            max_contacts: 2,
            window_days: 365,
            max_unanswered: 5,
            pause_days: 60,
            retry_days: 7,
            contact_gap_days: 90,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hours {
    /// Indexed by `Weekday::num_days_from_monday`.
    pub days: [bool; 7],
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub holidays: Holidays,
    /// Rolling limits: `[caps] limits`, and the law's where one applies.
    pub limits: Vec<Limit>,
    /// The law of the customer's regions, all of it at once: set in the
    /// hours `Policy::hours_for` gives a customer under a profile.
    pub law: Option<Box<RegionRule>>,
    /// The rules behind `law`, one by one, for their words and citations.
    pub law_rules: Vec<RegionRule>,
}

impl Default for Hours {
    fn default() -> Hours {
        Hours {
            days: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
            holidays: Holidays::default(),
            limits: Vec::new(),
            law: None,
            law_rules: Vec::new(),
        }
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            existing_statuses: vec!["active".into(), "customer".into()],
            statuses_configured: false,
            ebr_days: None,
            inquiry_days: None,
            opt_in: false,
            caps: Caps::default(),
            hours: Hours::default(),
            profile: None,
        }
    }
}

/// Why a day is not a calling day.
enum Closed {
    Holiday,
    NotACallingDay(Weekday),
    /// The law of the customer's regions allows no calls that day.
    Law,
}

impl Hours {
    /// Why `date` is not a calling day, or `None` when it is one.
    pub fn closed_because(&self, date: NaiveDate) -> Option<String> {
        match self.closed(date)? {
            Closed::Holiday => Some(format!("{date} is a holiday")),
            Closed::NotACallingDay(weekday) => Some(format!(
                "{date} is a {}, not a calling day",
                day_name(weekday)
            )),
            Closed::Law => {
                // The rules that close the day, each with its citation.
                let closing: Vec<String> = self
                    .law_rules
                    .iter()
                    .filter(|rule| {
                        DayRule::Between(self.start, self.end).and(rule.on(date)) == DayRule::Banned
                    })
                    .map(|rule| {
                        let why = match rule.holidays.on(date) {
                            Some(holiday) => format!("the holiday {}", holiday.text()),
                            None => format!("{}s", day_name(date.weekday())),
                        };
                        format!(
                            "no calls in {} on {why} ({})",
                            rule.regions.join(", "),
                            rule.citation
                        )
                    })
                    .collect();
                Some(format!(
                    "{date} is a {}: {}",
                    day_name(date.weekday()),
                    closing.join("; ")
                ))
            }
        }
    }

    /// Asked for every account left out (when may it be called?), so
    /// answered without putting the reason into words.
    pub fn is_calling_day(&self, date: NaiveDate) -> bool {
        self.closed(date).is_none()
    }

    fn closed(&self, date: NaiveDate) -> Option<Closed> {
        if self.holidays.contains(date) {
            return Some(Closed::Holiday);
        }
        let weekday = date.weekday();
        if !self.days[weekday.num_days_from_monday() as usize] {
            return Some(Closed::NotACallingDay(weekday));
        }
        if self.local_hours(date).is_none() {
            return Some(Closed::Law);
        }
        None
    }

    /// The customer's local calling hours on `date`: the company's, within
    /// the law's for that day; `None` when the law allows no minute.
    pub fn local_hours(&self, date: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        let company = DayRule::Between(self.start, self.end);
        let rule = match &self.law {
            Some(law) => company.and(law.on(date)),
            None => company,
        };
        match rule {
            DayRule::Between(start, end) => Some((start, end)),
            DayRule::Any => Some((self.start, self.end)),
            DayRule::Banned => None,
        }
    }

    /// The calling window on `date` of a customer who may be in any of
    /// `zones`: from the latest of their local starts to the earliest of
    /// their local ends, in UTC. `None` when they share no minute (or there
    /// is no zone): such a customer cannot be called that day.
    pub fn window(&self, zones: &[Tz], date: NaiveDate) -> Option<Window> {
        let (start, end) = self.local_hours(date)?;
        let mut window: Option<Window> = None;
        for &zone in zones {
            let from = local_to_utc(zone, date.and_time(start));
            let until = local_to_utc(zone, date.and_time(end));
            window = Some(match window {
                None => Window { from, until },
                Some(w) => Window {
                    from: w.from.max(from),
                    until: w.until.min(until),
                },
            });
        }
        window.filter(|w| w.from < w.until)
    }

    /// The first calling day on or after `date`.
    pub fn calling_day_from(&self, date: NaiveDate) -> Option<NaiveDate> {
        // Every week has a calling day (validation insists on one), so
        // only holidays can push it further than seven days.
        let mut day = date;
        let law_holidays = self.law.as_ref().map_or(0, |law| law.holidays.len());
        for _ in 0..=(7 + 2 * (self.holidays.len() + law_holidays)) {
            if self.is_calling_day(day) {
                return Some(day);
            }
            day = day.succ_opt()?;
        }
        None
    }
}

/// When a customer may be called on a day, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
}

impl Policy {
    /// The calling days, hours and limits that apply to a customer at
    /// `place`: the company's, and with a profile the law of every one of
    /// its regions at once. A North American number with no known region
    /// is held to the strictest rule of every region of each country the
    /// profile covers (fail-safe).
    pub fn hours_for(&self, place: &Place) -> Hours {
        let mut hours = self.hours.clone();
        let Some(profile) = &self.profile else {
            return hours;
        };
        let mut rules: Vec<RegionRule> = Vec::new();
        for region in &place.regions {
            for rule in profile.rules_for(region) {
                if !rules.contains(rule) {
                    rules.push(rule.clone());
                }
            }
        }
        if place.regions.is_empty() && place.nanp {
            for country in profile_countries(profile) {
                rules.push(profile.strictest(&country));
            }
        }
        // A limit without a citation of its own is its rule's.
        for rule in &mut rules {
            for limit in &mut rule.limits {
                if limit.citation.is_none() {
                    limit.citation = Some(rule.citation.clone());
                }
            }
        }
        if rules.is_empty() {
            return hours;
        }
        let mut law = RegionRule::all_of(rules.iter());
        if place.regions.is_empty() {
            law.note = rules.iter().find_map(|r| r.note.clone());
        }
        for limit in &law.limits {
            if !hours.limits.contains(limit) {
                hours.limits.push(limit.clone());
            }
        }
        hours.law = Some(Box::new(law));
        hours.law_rules = rules;
        hours
    }

    /// From when the history's attempts are kept for the rolling limits
    /// of a run on `date`: the longest limit's hours before the end of the
    /// day, and a day more for customers whose day ends after the office's;
    /// `None` when no limit is set anywhere.
    pub fn recent_since(&self, date: NaiveDate, office: Tz) -> Option<Nanos> {
        let profile_limits = self
            .profile
            .iter()
            .flat_map(|p| p.rules.iter().flat_map(|r| r.limits.iter()));
        let longest = self
            .hours
            .limits
            .iter()
            .chain(profile_limits)
            .map(|l| i64::from(l.within_hours))
            .max()?;
        let end = local_to_utc(office, date.succ_opt()?.and_time(NaiveTime::MIN));
        let since = end - chrono::Duration::hours(longest + 24);
        since.and_utc().timestamp_nanos_opt()
    }
}

/// The countries a profile's rules name (`US` of `US-FL`).
fn profile_countries(profile: &Profile) -> Vec<String> {
    let mut countries: Vec<String> = profile
        .regions()
        .iter()
        .map(|r| r.split('-').next().unwrap_or(r).to_owned())
        .collect();
    countries.sort();
    countries.dedup();
    countries
}

/// A day's name for people: `Monday`.
pub use crate::domain::holiday::weekday_name as day_name;
