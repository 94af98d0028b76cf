//! The policy: who counts as a customer, the caps on calling, and the
//! calling days and hours. Asked per customer (`Policy::hours_for`, with
//! where the customer is): today every customer gets the company's days,
//! in each of their zones; a region's law will change that answer, not the
//! rules that ask it.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use crate::datetime::local_to_utc;
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    /// Indexed by `Weekday::num_days_from_monday`.
    pub days: [bool; 7],
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub holidays: Holidays,
}

impl Default for Hours {
    fn default() -> Hours {
        Hours {
            days: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
            holidays: Holidays::default(),
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
        }
    }
}

/// Why a day is not a calling day.
enum Closed {
    Holiday,
    NotACallingDay(Weekday),
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
        None
    }

    /// The calling window on `date` of a customer who may be in any of
    /// `zones`: from the latest of their local starts to the earliest of
    /// their local ends, in UTC. `None` when they share no minute (or there
    /// is no zone): such a customer cannot be called that day.
    pub fn window(&self, zones: &[Tz], date: NaiveDate) -> Option<Window> {
        let mut window: Option<Window> = None;
        for &zone in zones {
            let from = local_to_utc(zone, date.and_time(self.start));
            let until = local_to_utc(zone, date.and_time(self.end));
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
        for _ in 0..=(7 + 2 * self.holidays.len()) {
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
    /// The calling days and hours that apply to a customer at `place`.
    pub fn hours_for(&self, _place: &Place) -> &Hours {
        &self.hours
    }
}

/// A day's name for people: `Monday`.
pub fn day_name(day: Weekday) -> String {
    let name = full_day(day);
    format!("{}{}", name[..1].to_ascii_uppercase(), &name[1..])
}

pub fn full_day(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}
