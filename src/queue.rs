//! Turning verdicts into each rep's queue: the order, ranks, the per-rep
//! limit, and the hours each customer may be called, in office time.

use std::collections::HashMap;

use chrono_tz::Tz;

use crate::datetime::office_hhmm;
use crate::domain::policy::Window;
use crate::history::History;
use crate::location::{Place, PlaceId};
use crate::rules::{Reason, Verdict};
use crate::territory::{RepId, Territory};

/// One rep's queue: account indexes, best first (rank = position + 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepQueue {
    pub rep: RepId,
    pub accounts: Vec<u32>,
}

/// Every rep's queue, reps in the byte order of their lower-cased names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queues {
    pub reps: Vec<RepQueue>,
    /// Accounts the rules queued but the per-rep limit left out, with the
    /// rank each would have had.
    pub over_limit: Vec<(u32, u32)>,
}

/// Orders each rep's queued accounts and applies the limit. `only` keeps
/// one rep; every rep that owns an account gets a queue, empty or not.
/// (One function, longer than most, because its steps share the keys and
/// the placement worked out on both cores, steps that mean nothing apart.)
pub fn build(
    territory: &Territory,
    verdicts: &[Verdict],
    history: &History,
    only: Option<RepId>,
    limit: Option<usize>,
) -> Queues {
    // The queued accounts' sort keys, worked out on both cores in account
    // order, each half counting its accounts by rep (each key reads the
    // account's tally, which lies elsewhere in memory: the next few queued
    // accounts' tallies are loaded while these are keyed).
    let key_half = |range: std::ops::Range<u32>| {
        let mut half = KeyedHalf {
            owned: vec![false; territory.reps.len()],
            queued: vec![0; territory.reps.len()],
            keyed: Vec::new(),
        };
        let queued = |i: u32| verdicts[i as usize].reason.is_queued();
        let at = |k: usize| range.start + k as u32;
        for (ahead, current) in crate::engine::parallel::windows(0..range.len()) {
            history.warm(ahead.map(at).filter(|&i| queued(i)));
            for i in current.map(at) {
                let rep = territory.accounts[i as usize].rep;
                if only.is_some_and(|r| r != rep) {
                    continue;
                }
                half.owned[rep as usize] = true;
                if queued(i) {
                    half.queued[rep as usize] += 1;
                    let key = OrderKey::new(territory, verdicts, history, i);
                    half.keyed.push((key, i, rep));
                }
            }
        }
        half
    };
    let n = territory.accounts.len() as u32;
    let (first, second) =
        crate::engine::parallel::join(|| key_half(0..n / 2), || key_half(n / 2..n));
    // Every rep that owns an account, in the queue's order; each rep's
    // accounts laid out in one list, the first half's before the second's,
    // each half placing its own on its own core.
    let reps: Vec<RepId> = territory
        .reps
        .ordered()
        .into_iter()
        .filter(|&rep| first.owned[rep as usize] || second.owned[rep as usize])
        .collect();
    let total = first.keyed.len() + second.keyed.len();
    let mut all = vec![(OrderKey::default(), 0u32); total];
    {
        // Each half's place for each rep's accounts, by rep.
        let unplaced = || -> Vec<&mut [(OrderKey, u32)]> {
            (0..territory.reps.len())
                .map(|_| Default::default())
                .collect()
        };
        let mut places = [unplaced(), unplaced()];
        let mut rest = &mut all[..];
        for &rep in &reps {
            for (half, place) in [&first, &second].into_iter().zip(&mut places) {
                let (mine, after) = rest.split_at_mut(half.queued[rep as usize] as usize);
                place[rep as usize] = mine;
                rest = after;
            }
        }
        let [mut at_first, mut at_second] = places;
        let place = |half: &KeyedHalf, places: &mut Vec<&mut [(OrderKey, u32)]>| {
            let mut next = vec![0usize; places.len()];
            for &(key, i, rep) in &half.keyed {
                let r = rep as usize;
                places[r][next[r]] = (key, i);
                next[r] += 1;
            }
        };
        crate::engine::parallel::join(
            || place(&first, &mut at_first),
            || place(&second, &mut at_second),
        );
    }
    drop((first.keyed, second.keyed));
    // Each rep's accounts sorted, the reps split between both cores. Keys
    // settle all but ids sharing their first 16 bytes; ids are unique, so
    // the order is total.
    let counts: Vec<usize> = reps
        .iter()
        .map(|&r| (first.queued[r as usize] + second.queued[r as usize]) as usize)
        .collect();
    let mut lists: Vec<&mut [(OrderKey, u32)]> = Vec::with_capacity(reps.len());
    let mut rest = &mut all[..];
    for &count in &counts {
        let (list, after) = rest.split_at_mut(count);
        lists.push(list);
        rest = after;
    }
    let sort = |lists: &mut [&mut [(OrderKey, u32)]]| {
        for keyed in lists {
            keyed.sort_unstable_by(|(ka, a), (kb, b)| {
                ka.cmp(kb)
                    .then_with(|| territory.id_bytes(*a).cmp(territory.id_bytes(*b)))
            });
        }
    };
    let mut middle = 0;
    let mut first_half = 0;
    while middle < lists.len() && first_half < total / 2 {
        first_half += lists[middle].len();
        middle += 1;
    }
    let (first_lists, second_lists) = lists.split_at_mut(middle);
    crate::engine::parallel::join(|| sort(first_lists), || sort(second_lists));
    let mut queues = Vec::new();
    let mut over_limit = Vec::new();
    for (rep, keyed) in reps.into_iter().zip(lists) {
        let kept = limit.map_or(keyed.len(), |limit| limit.min(keyed.len()));
        let accounts: Vec<u32> = keyed[..kept].iter().map(|&(_, i)| i).collect();
        over_limit.extend(
            keyed[kept..]
                .iter()
                .enumerate()
                .map(|(k, &(_, a))| (a, (kept + k + 1) as u32)),
        );
        queues.push(RepQueue { rep, accounts });
    }
    Queues {
        reps: queues,
        over_limit,
    }
}

/// One half of the territory, keyed: which reps own an account there, how
/// many of each rep's are queued, and the queued accounts with their keys
/// and reps, in account order.
struct KeyedHalf {
    owned: Vec<bool>,
    queued: Vec<u32>,
    keyed: Vec<(OrderKey, u32, RepId)>,
}

/// The queue's order (docs/rules.md) as one comparable value: callbacks first (earliest
/// asked-for time first), then priority (highest first), then the latest
/// contact (oldest first, never contacted before all), then the account
/// id's bytes (the first 16 here; the rest compared only on a tie).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct OrderKey {
    due: bool,
    callback_at: i64,
    /// Priority, made to sort highest first.
    priority: u64,
    /// Never contacted sorts before every date.
    last_contact: Option<chrono::NaiveDate>,
    id: [u8; 16],
}

impl OrderKey {
    fn new(territory: &Territory, verdicts: &[Verdict], history: &History, i: u32) -> OrderKey {
        let tally = history.tally(i);
        let due = verdicts[i as usize].reason != Reason::Callback;
        let callback_at = match (due, tally.callback) {
            (false, Some(cb)) => cb.at,
            _ => 0,
        };
        let id = territory.id_prefix(i);
        OrderKey {
            due,
            callback_at,
            priority: !ascending_key(territory.accounts[i as usize].priority),
            last_contact: tally.last_contact,
            id,
        }
    }
}

/// An f64 as a u64 that sorts the same way (`total_cmp`'s order).
fn ascending_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The queue's cells that depend on where a customer is (`call_from`,
/// `call_until`, `timezone`, `region`, `zone_from`), written once for each
/// place a queued customer is in.
#[derive(Debug)]
pub struct CallingHours {
    office: Tz,
    cache: HashMap<PlaceId, PlaceCells>,
}

/// A place's cells in the queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceCells {
    pub call_from: String,
    pub call_until: String,
    pub timezone: String,
    pub region: String,
    pub zone_from: String,
}

impl CallingHours {
    pub fn new(office: Tz) -> CallingHours {
        CallingHours {
            office,
            cache: HashMap::new(),
        }
    }

    /// Writes the cells of place number `id`, whose window on the queue
    /// date is `window`, once.
    pub fn prepare(&mut self, id: PlaceId, place: &Place, window: Window) {
        let office = self.office;
        self.cache.entry(id).or_insert_with(|| PlaceCells {
            call_from: office_hhmm(office, window.from),
            call_until: office_hhmm(office, window.until),
            timezone: place.zone_names(),
            region: place.region_names(),
            zone_from: place.zone_from_names(),
        });
    }

    /// The cells of place `id` (empty if `prepare` was not called for it).
    pub fn get(&self, id: PlaceId) -> &PlaceCells {
        static NONE: PlaceCells = PlaceCells {
            call_from: String::new(),
            call_until: String::new(),
            timezone: String::new(),
            region: String::new(),
            zone_from: String::new(),
        };
        self.cache.get(&id).unwrap_or(&NONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::Callback;
    use crate::input::Input;
    use crate::problems::Problems;
    use crate::rules::{Reason, Tally};
    use std::path::Path;

    fn territory(csv: &str) -> Territory {
        let config = Config::from_str(None, "timezone = \"UTC\"").unwrap();
        crate::territory::read(
            &Input::new(Path::new("t.csv")),
            csv.as_bytes(),
            &config,
            &[],
            b',',
            &mut Problems::new(false),
            0,
        )
        .unwrap()
    }

    fn verdict(reason: Reason) -> Verdict {
        Verdict {
            reason,
            eligible_on: None,
            rule: Reason::Due,
        }
    }

    fn tally_contacted(day: Option<&str>) -> Tally {
        let mut t = Tally::default();
        t.last_contact = day.map(|d| crate::datetime::parse_date(d).unwrap());
        t
    }

    fn tally_callback(at: i64) -> Tally {
        let mut t = Tally::default();
        t.callback = Some(Callback {
            at,
            day: crate::datetime::parse_date("2026-11-23").unwrap(),
            line: 1,
        });
        t
    }

    fn ids(t: &Territory, q: &RepQueue) -> Vec<String> {
        q.accounts.iter().map(|&i| t.id(i).to_owned()).collect()
    }

    #[test]
    fn callbacks_first_then_priority_then_oldest_contact_then_id() {
        let t = territory(
            "account_id,phone,rep,priority\n\
             d2,1,a,1\n\
             d1,1,a,1\n\
             never,1,a,1\n\
             old,1,a,1\n\
             high,1,a,5\n\
             cb-late,1,a,0\n\
             cb-early,1,a,0\n\
             excluded,1,a,9\n",
        );
        let verdicts = [
            verdict(Reason::Due),
            verdict(Reason::Due),
            verdict(Reason::Due),
            verdict(Reason::Due),
            verdict(Reason::Due),
            verdict(Reason::Callback),
            verdict(Reason::Callback),
            verdict(Reason::Capped),
        ];
        let tallies = [
            tally_contacted(Some("2026-05-01")),
            tally_contacted(Some("2026-05-01")),
            tally_contacted(None),
            tally_contacted(Some("2025-01-01")),
            tally_contacted(Some("2026-08-01")),
            tally_callback(200),
            tally_callback(100),
            tally_contacted(None),
        ];
        let q = build(
            &t,
            &verdicts,
            &History::from_tallies(tallies.to_vec()),
            None,
            None,
        );
        assert_eq!(q.reps.len(), 1);
        assert_eq!(
            ids(&t, &q.reps[0]),
            vec!["cb-early", "cb-late", "high", "never", "old", "d1", "d2"]
        );
    }

    #[test]
    fn priority_keys_sort_as_numbers() {
        let values = [-1e300, -2.5, -0.0, 0.0, 1e-9, 3.0, 1e300];
        for w in values.windows(2) {
            assert!(ascending_key(w[0]) <= ascending_key(w[1]), "{w:?}");
        }
    }

    #[test]
    fn ids_longer_than_the_key_still_order_by_bytes() {
        let t = territory(
            "account_id,phone,rep\nsame-prefix-0123456789-b,1,x\nsame-prefix-0123456789-a,1,x\nsame-prefix-0123456789,1,x\n",
        );
        let verdicts = [verdict(Reason::Due); 3];
        let q = build(
            &t,
            &verdicts,
            &History::from_tallies(vec![Tally::default(); 3]),
            None,
            None,
        );
        assert_eq!(
            ids(&t, &q.reps[0]),
            vec![
                "same-prefix-0123456789",
                "same-prefix-0123456789-a",
                "same-prefix-0123456789-b"
            ]
        );
    }

    #[test]
    fn limit_keeps_the_best_and_reports_the_rest() {
        let t = territory("account_id,phone,rep,priority\na,1,x,1\nb,1,x,3\nc,1,x,2\nd,1,y,0\n");
        let verdicts = [verdict(Reason::Due); 4];
        let tallies = vec![Tally::default(); 4];
        let q = build(
            &t,
            &verdicts,
            &History::from_tallies(tallies.to_vec()),
            None,
            Some(2),
        );
        assert_eq!(ids(&t, &q.reps[0]), vec!["b", "c"]);
        assert_eq!(ids(&t, &q.reps[1]), vec!["d"]);
        assert_eq!(q.over_limit, vec![(0, 3)]);
    }

    #[test]
    fn every_rep_gets_a_queue_and_one_rep_can_be_picked() {
        let t = territory("account_id,phone,rep\na,1,Zed\nb,1,amy\nc,1,\n");
        let verdicts = [
            verdict(Reason::Capped),
            verdict(Reason::Due),
            verdict(Reason::Due),
        ];
        let tallies = vec![Tally::default(); 3];
        let q = build(
            &t,
            &verdicts,
            &History::from_tallies(tallies.to_vec()),
            None,
            None,
        );
        let names: Vec<&str> = q.reps.iter().map(|r| t.reps.name(r.rep)).collect();
        assert_eq!(names, vec!["amy", "unassigned", "Zed"]);
        assert!(q.reps[2].accounts.is_empty());
        let zed = t.reps.find("ZED ").unwrap();
        let q = build(
            &t,
            &verdicts,
            &History::from_tallies(tallies.to_vec()),
            Some(zed),
            None,
        );
        assert_eq!(q.reps.len(), 1);
        assert_eq!(q.reps[0].rep, zed);
    }

    /// The queues as one thread would make them: each rep's queued
    /// accounts gathered in account order, sorted, cut at the limit.
    fn plain_build(
        t: &Territory,
        verdicts: &[Verdict],
        history: &History,
        only: Option<RepId>,
        limit: Option<usize>,
    ) -> Queues {
        let mut reps = Vec::new();
        let mut over_limit = Vec::new();
        for rep in t.reps.ordered() {
            let owns = |i: &u32| t.accounts[*i as usize].rep == rep;
            let all: Vec<u32> = (0..t.accounts.len() as u32).filter(owns).collect();
            if all.is_empty() || only.is_some_and(|r| r != rep) {
                continue;
            }
            let mut keyed: Vec<(OrderKey, u32)> = all
                .into_iter()
                .filter(|&i| verdicts[i as usize].reason.is_queued())
                .map(|i| (OrderKey::new(t, verdicts, history, i), i))
                .collect();
            keyed.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then(t.id(*a).cmp(t.id(*b))));
            let mut accounts: Vec<u32> = keyed.iter().map(|&(_, i)| i).collect();
            if let Some(limit) = limit.filter(|&l| accounts.len() > l) {
                for (k, &a) in accounts[limit..].iter().enumerate() {
                    over_limit.push((a, (limit + k + 1) as u32));
                }
                accounts.truncate(limit);
            }
            reps.push(RepQueue { rep, accounts });
        }
        Queues { reps, over_limit }
    }

    proptest::proptest! {
        /// The queues laid out on two cores (each half of the territory
        /// keyed and placed on its own) are the queues one thread makes:
        /// reps' accounts in both halves, reps in one half only, a rep
        /// picked, limits.
        #[test]
        fn queues_made_on_both_cores_are_made_as_one_thread_makes_them(
            accounts in proptest::collection::vec(
                (0u8..5, 0u8..4, 0u8..3, proptest::option::of(0u16..400), 0u8..3),
                0..60,
            ),
            only in proptest::option::of(0u8..5),
            limit in proptest::option::of(0usize..6),
        ) {
            let mut csv = String::from("account_id,phone,rep,priority\n");
            for (k, (rep, priority, ..)) in accounts.iter().enumerate() {
                // Ids share long prefixes, so that some ties go past the key.
                csv.push_str(&format!("acct-with-a-long-prefix-{:02},1,rep{rep},{priority}\n", 59 - k));
            }
            let t = territory(&csv);
            let verdicts: Vec<Verdict> = accounts
                .iter()
                .map(|&(_, _, reason, ..)| verdict([Reason::Due, Reason::Callback, Reason::Capped][reason as usize]))
                .collect();
            let tallies: Vec<Tally> = accounts
                .iter()
                .map(|&(_, _, _, contact, callback)| {
                    let mut tally = match contact {
                        Some(days) => tally_contacted(Some(&crate::datetime::Ymd(
                            crate::datetime::parse_date("2025-06-01").unwrap() + chrono::Days::new(days.into()),
                        ).to_string())),
                        None => tally_contacted(None),
                    };
                    if callback > 0 {
                        tally.callback = tally_callback(i64::from(callback) * 100).callback;
                    }
                    tally
                })
                .collect();
            let history = History::from_tallies(tallies);
            let only = only.and_then(|r| t.reps.find(&format!("rep{r}")));
            proptest::prop_assert_eq!(
                build(&t, &verdicts, &history, only, limit),
                plain_build(&t, &verdicts, &history, only, limit)
            );
        }
    }

    #[test]
    fn calling_hours_are_written_in_office_time_per_place() {
        use chrono_tz::{America, Asia};
        let hours = crate::domain::Policy::default().hours;
        let date = crate::datetime::parse_date("2026-07-01").unwrap();
        let mut ch = CallingHours::new(America::New_York);
        let mut prepare = |id, zones: &[Tz]| {
            let place = Place {
                zones: zones.to_vec(),
                ..Place::default()
            };
            ch.prepare(id, &place, hours.window(zones, date).unwrap());
        };
        prepare(0, &[America::Los_Angeles]);
        prepare(1, &[Asia::Kolkata]);
        // Texas and a Manhattan number: the hours both allow.
        prepare(2, &[America::Chicago, America::New_York]);
        // Already prepared: kept.
        prepare(0, &[America::New_York]);
        let hours = |id| {
            let cells = ch.get(id);
            (cells.call_from.as_str(), cells.call_until.as_str())
        };
        assert_eq!(hours(0), ("12:00", "20:00"));
        assert_eq!(hours(1), ("23:30", "07:30"));
        assert_eq!(hours(2), ("10:00", "17:00"));
        assert_eq!(ch.get(2).timezone, "America/Chicago;America/New_York");
        assert_eq!(hours(3), ("", ""));
    }
}
