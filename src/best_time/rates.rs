//! A territory's answer rates: every account's latest calls added up by
//! group (its first region, else its first zone) and by the customer's
//! local weekday and hour, on both cores; and each queued customer's best
//! time read from them.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::{HourCalls, LatestCalls, NoBest, Rate, StampClock, WeekHours, ZoneClock, choose};
use crate::datetime::{local_to_utc, office_hhmm};
use crate::domain::policy::Window;
use crate::history::History;
use crate::location::{Place, PlaceId};
use crate::territory::Territory;

/// One hour of a customer's window today: its local hour, and the first
/// moment of it inside the window (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub local_hour: u32,
    pub from: NaiveDateTime,
}

/// What each place's customers are compared with.
#[derive(Debug, Clone, Copy)]
struct PlaceRates {
    group: u32,
    zone: u32,
    /// Index into `AnswerRates::slot_sets`; `None` without a window.
    slots: Option<u32>,
}

/// Calls and answers by group, weekday and hour, for one queue date.
#[derive(Debug)]
pub struct AnswerRates {
    date: NaiveDate,
    /// Each group's name and calls, in the order its first place comes.
    groups: Vec<(String, WeekHours)>,
    everyone: WeekHours,
    zones: Vec<ZoneClock>,
    /// By place number; `None` for a place with no zone.
    places: Vec<Option<PlaceRates>>,
    /// The distinct lists of today's hours.
    slot_sets: Vec<Vec<Slot>>,
}

/// One customer's best time, with the rates behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct BestTime<'a> {
    /// The group it is compared with: a region, else a zone.
    pub group: &'a str,
    pub zone: Tz,
    /// Its local weekday on the date.
    pub weekday: Weekday,
    /// Each hour of today's window, in order, with its calls.
    pub hours: Vec<(Slot, HourCalls)>,
    /// The best hour (an index into `hours`), or why there is none.
    pub choice: Result<usize, NoBest>,
}

impl BestTime<'_> {
    /// The queue's `best_time`: the chosen hour's first moment inside the
    /// window, as the office's `HH:MM`; empty when there is none.
    pub fn cell(&self, office: Tz) -> String {
        match self.choice {
            Ok(k) => office_hhmm(office, self.hours[k].0.from),
            Err(_) => String::new(),
        }
    }
}

impl BestTime<'_> {
    /// The chosen hour or why there is none, in words for `explain`.
    pub fn why(&self, office: Tz) -> String {
        let pct = |rate: f64| format!("{:.0}%", rate * 100.0);
        let local = |k: usize| format!("{:02}:00", self.hours[k].0.local_hour);
        let day = crate::domain::policy::day_name(self.weekday);
        match self.choice {
            Ok(k) => {
                let estimates: Vec<f64> = self
                    .hours
                    .iter()
                    .filter_map(|(_, c)| c.estimate())
                    .collect();
                let best = estimates.get(k).copied().unwrap_or_default();
                let others = (estimates.iter().sum::<f64>() - best)
                    / (estimates.len().saturating_sub(1).max(1)) as f64;
                format!(
                    "{} office time ({} on a {day} in {}): {} likely to answer, against {} on average at the window's other hours",
                    self.cell(office),
                    local(k),
                    self.zone.name(),
                    pct(best),
                    pct(others),
                )
            }
            Err(NoBest::NoHours) => "none: no calling window today".to_owned(),
            Err(NoBest::FewCalls(k)) => format!(
                "none: {} has {} call(s) at {} on {day}s in its own time, fewer than the {} needed",
                self.group,
                self.hours[k].1.group.calls,
                local(k),
                super::MIN_CALLS
            ),
            Err(NoBest::NoDifference {
                best,
                others,
                needed,
            }) => format!(
                "none: the best hour ({}) leads the window's other hours ({}) by less than the {:.1} points chance alone could give",
                pct(best),
                pct(others),
                needed * 100.0
            ),
        }
    }
}

impl AnswerRates {
    /// Adds up every territory account's latest calls. `windows` are the
    /// calling windows on `date`, by place number.
    pub fn build(
        territory: &Territory,
        history: &History,
        windows: &[Option<Window>],
        date: NaiveDate,
        office: Tz,
    ) -> AnswerRates {
        let clock = StampClock::new(date, office);
        let mut group_of: HashMap<String, u32> = HashMap::new();
        let mut zone_of: HashMap<Tz, u32> = HashMap::new();
        let mut slots_of: HashMap<(Tz, NaiveDateTime, NaiveDateTime), u32> = HashMap::new();
        let mut rates = AnswerRates {
            date,
            groups: Vec::new(),
            everyone: WeekHours::default(),
            zones: Vec::new(),
            places: Vec::with_capacity(territory.places.len()),
            slot_sets: Vec::new(),
        };
        for (id, place) in territory.places.iter().enumerate() {
            let Some(&zone) = place.zones.first() else {
                rates.places.push(None);
                continue;
            };
            let name = group_name(place, zone);
            let group = *group_of.entry(name.clone()).or_insert_with(|| {
                rates.groups.push((name, WeekHours::default()));
                rates.groups.len() as u32 - 1
            });
            let zone_index = *zone_of.entry(zone).or_insert_with(|| {
                rates.zones.push(ZoneClock::new(zone, &clock));
                rates.zones.len() as u32 - 1
            });
            let slots = windows.get(id).copied().flatten().map(|window| {
                *slots_of
                    .entry((zone, window.from, window.until))
                    .or_insert_with(|| {
                        rates.slot_sets.push(slots(zone, date, window));
                        rates.slot_sets.len() as u32 - 1
                    })
            });
            rates.places.push(Some(PlaceRates {
                group,
                zone: zone_index,
                slots,
            }));
        }
        // Each half of the accounts adds up its own tables; the halves'
        // sums are added together (the same sums whatever the split).
        let add_half = |range: std::ops::Range<u32>| {
            let mut groups = vec![WeekHours::default(); rates.groups.len()];
            let mut everyone = WeekHours::default();
            for account in range {
                let calls = history.latest_calls(account);
                if calls == LatestCalls::default() {
                    continue;
                }
                let place = territory.accounts[account as usize].place;
                let Some(Some(at)) = rates.places.get(place as usize) else {
                    continue;
                };
                let zone = &rates.zones[at.zone as usize];
                let group = &mut groups[at.group as usize];
                for call in calls.iter() {
                    let week_hour = zone.week_hour(call);
                    group.add(week_hour, call.answered());
                    everyone.add(week_hour, call.answered());
                }
            }
            (groups, everyone)
        };
        let n = territory.accounts.len() as u32;
        let ((first, mut everyone), (second, other)) =
            crate::engine::parallel::join(|| add_half(0..n / 2), || add_half(n / 2..n));
        everyone.merge(&other);
        for ((_, table), (a, b)) in rates.groups.iter_mut().zip(first.iter().zip(&second)) {
            table.merge(a);
            table.merge(b);
        }
        rates.everyone = everyone;
        rates
    }

    /// Everyone's calls, by local weekday and hour.
    pub fn everyone(&self) -> &WeekHours {
        &self.everyone
    }

    /// Each group's name and calls.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &WeekHours)> {
        self.groups
            .iter()
            .map(|(name, table)| (name.as_str(), table))
    }

    /// The best time of a customer at place `place` whose latest calls
    /// are `calls`; `None` for a place with no zone.
    pub fn best_time(&self, place: PlaceId, calls: LatestCalls) -> Option<BestTime<'_>> {
        let at = (*self.places.get(place as usize)?)?;
        let zone_clock = &self.zones[at.zone as usize];
        let (group_name, group) = &self.groups[at.group as usize];
        let weekday = self.date.weekday();
        let day = weekday.num_days_from_monday() as usize;
        let today: &[Slot] = at
            .slots
            .map_or(&[], |k| self.slot_sets[k as usize].as_slice());
        let mut own = [Rate::default(); 24];
        for call in calls.iter() {
            let week_hour = zone_clock.week_hour(call);
            if week_hour / 24 == day {
                own[week_hour % 24].add(call.answered());
            }
        }
        let hours: Vec<(Slot, HourCalls)> = today
            .iter()
            .map(|&slot| {
                let h = slot.local_hour as usize;
                let calls = HourCalls {
                    own: own[h],
                    group: group.at(day, h),
                    everyone: self.everyone.at(day, h),
                };
                (slot, calls)
            })
            .collect();
        let choice = choose(&hours.iter().map(|(_, c)| *c).collect::<Vec<_>>());
        Some(BestTime {
            group: group_name,
            zone: zone_clock.zone(),
            weekday,
            hours,
            choice,
        })
    }
}

/// The group a place's customers are compared with: its first region,
/// else its first zone.
fn group_name(place: &Place, zone: Tz) -> String {
    match place.regions.first() {
        Some(region) => (*region).to_owned(),
        None => zone.name().to_owned(),
    }
}

/// The local hours of `date` in `zone` that overlap `window`, each with
/// its first moment inside the window: an hour the window starts or ends
/// in counts, and its time is the window's start when that is later.
pub fn slots(zone: Tz, date: NaiveDate, window: Window) -> Vec<Slot> {
    let start_of = |hour: u32| match hour {
        24 => date
            .succ_opt()
            .map(|next| local_to_utc(zone, next.and_time(NaiveTime::MIN))),
        _ => NaiveTime::from_hms_opt(hour, 0, 0).map(|t| local_to_utc(zone, date.and_time(t))),
    };
    let bounds: Vec<Option<NaiveDateTime>> = (0..=24).map(start_of).collect();
    (0..24u32)
        .filter_map(|hour| {
            let start = bounds[hour as usize]?;
            let end = bounds[hour as usize + 1]?;
            let from = start.max(window.from);
            (from < end.min(window.until)).then_some(Slot {
                local_hour: hour,
                from,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::{Los_Angeles, New_York};
    use chrono_tz::Europe::London;

    fn d(text: &str) -> NaiveDate {
        crate::datetime::parse_date(text).unwrap()
    }

    fn window(zone: Tz, date: &str, from: (u32, u32), until: (u32, u32)) -> Window {
        let at = |(h, m)| local_to_utc(zone, d(date).and_hms_opt(h, m, 0).unwrap());
        Window {
            from: at(from),
            until: at(until),
        }
    }

    fn shown(slots: &[Slot], office: Tz) -> Vec<(u32, String)> {
        slots
            .iter()
            .map(|s| (s.local_hour, office_hhmm(office, s.from)))
            .collect()
    }

    #[test]
    fn an_hour_the_window_starts_or_ends_in_counts_from_inside_the_window() {
        // 09:30 to 12:15: the hours 09, 10, 11 and 12; 09's time is 09:30,
        // so that a best time never lies outside [call_from, call_until).
        let w = window(New_York, "2026-11-20", (9, 30), (12, 15));
        let got = shown(&slots(New_York, d("2026-11-20"), w), New_York);
        let want = [(9, "09:30"), (10, "10:00"), (11, "11:00"), (12, "12:00")];
        assert_eq!(got, want.map(|(h, t)| (h, t.to_owned())));
        // A window ending on the hour leaves that hour out.
        let w = window(New_York, "2026-11-20", (9, 0), (12, 0));
        let got = shown(&slots(New_York, d("2026-11-20"), w), New_York);
        assert_eq!(got.iter().map(|s| s.0).collect::<Vec<_>>(), [9, 10, 11]);
    }

    #[test]
    fn hours_are_the_customers_and_times_the_offices() {
        // A Los Angeles customer of a New York office: local 09:00 is
        // 12:00 in the office.
        let w = window(Los_Angeles, "2026-11-20", (9, 0), (11, 0));
        let got = shown(&slots(Los_Angeles, d("2026-11-20"), w), New_York);
        assert_eq!(got, [(9, "12:00".to_owned()), (10, "13:00".to_owned())]);
    }

    #[test]
    fn a_summer_time_change_day_keeps_the_local_hours() {
        // 2026-03-08: New York skips 02:00-03:00; London has not changed
        // yet, so the office is four hours ahead that day, not five.
        let date = "2026-03-08";
        let w = window(New_York, date, (0, 0), (5, 0));
        let got = shown(&slots(New_York, d(date), w), London);
        let want = [(0, "05:00"), (1, "06:00"), (3, "07:00"), (4, "08:00")];
        assert_eq!(got, want.map(|(h, t)| (h, t.to_owned())));
        let w = window(New_York, date, (9, 0), (10, 0));
        assert_eq!(
            shown(&slots(New_York, d(date), w), London),
            [(9, "13:00".to_owned())]
        );
        // 2026-11-01: New York's 01:00 comes twice; the hour counts once,
        // from its first start.
        let date = "2026-11-01";
        let w = window(New_York, date, (0, 0), (3, 0));
        let got: Vec<u32> = slots(New_York, d(date), w)
            .iter()
            .map(|s| s.local_hour)
            .collect();
        assert_eq!(got, [0, 1, 2]);
    }
}
