//! The best time to call: on a generated history whose answer rates are
//! planted by the customer's local weekday and hour, the answer rates and
//! the queue's best times recover the pattern; the column is off when the
//! config says so.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use serde_json::Value;

use crate::workdir::{Workdir, csv_rows};

/// Caps that let every account be called every day, so that all of them
/// are queued and show a best time.
const CONFIG: &str = "timezone = \"America/New_York\"\n\
[caps]\nmax_contacts = 100000\nwindow_days = 1\nmax_unanswered = 100000\nretry_days = 0\ncontact_gap_days = 0\n\
[hours]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nstart = \"09:00\"\nend = \"17:00\"\n\
[location]\ncross_check = false\n";

/// The planted chance of an answer at a local weekday and hour.
fn planted(weekday: Weekday, hour: u32) -> f64 {
    match (weekday, hour) {
        (Weekday::Mon, 9) => 0.10,
        (Weekday::Fri, 15) => 0.40,
        _ => 0.25,
    }
}

/// A small deterministic generator (the test needs no crate for it).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() as f64) < p * (1u64 << 31) as f64
    }
}

/// Groups of accounts: (state, zone, accounts). Each account has four calls
/// (only the latest four count) on Mondays and Fridays of the year
/// before 2026-11-20, at a local hour from 09 to 16, answered with the
/// planted chance; the weeks run over both summer-time changes.
fn history(groups: &[(&str, Tz, usize)]) -> (String, String) {
    let mut territory = String::from("account_id,phone,rep,state,timezone\n");
    let mut history = String::from("account_id,at,outcome\n");
    let mut rng = Lcg(19);
    let first = NaiveDate::from_ymd_opt(2025, 11, 17).unwrap(); // a Monday
    let mut n = 0;
    for &(state, zone, accounts) in groups {
        for _ in 0..accounts {
            n += 1;
            let id = format!("A{n:05}");
            territory.push_str(&format!("{id},212555{n:04},r,{state},{}\n", zone.name()));
            let mut calls: Vec<(i64, String)> = (0..4)
                .map(|_| {
                    let week = rng.below(51) as i64;
                    let day =
                        first + Duration::weeks(week) + Duration::days(4 * rng.below(2) as i64);
                    let hour = 9 + rng.below(8) as u32;
                    let local = day.and_hms_opt(hour, rng.below(60) as u32, 0).unwrap();
                    let at = zone.from_local_datetime(&local).earliest().unwrap();
                    let answered = rng.chance(planted(day.weekday(), hour));
                    let outcome = if answered { "answered" } else { "no-answer" };
                    (
                        at.timestamp(),
                        format!("{id},{},{outcome}\n", at.to_rfc3339()),
                    )
                })
                .collect();
            calls.sort();
            for (_, row) in calls {
                history.push_str(&row);
            }
        }
    }
    (territory, history)
}

fn workdir(groups: &[(&str, Tz, usize)]) -> Workdir {
    let (territory, history) = history(groups);
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("t.csv", territory)
        .write("h.csv", history);
    wd
}

/// The group's answered/calls at each local hour of the account's window
/// on `date`, as explain's JSON gives them.
fn group_rates(wd: &Workdir, date: &str, account: &str) -> Vec<(String, f64, u64)> {
    let run = wd
        .run(&[
            "explain", "--date", date, "-t", "t.csv", "-H", "h.csv", "--format", "json", account,
        ])
        .ok();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    json[0]["best_time"]["hours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let calls = h["group"]["calls"].as_u64().unwrap();
            let answered = h["group"]["answered"].as_u64().unwrap();
            (
                h["local"].as_str().unwrap().to_owned(),
                answered as f64 / calls as f64,
                calls,
            )
        })
        .collect()
}

#[test]
fn a_planted_pattern_is_recovered_by_the_rates_and_the_best_times() {
    // Two groups, one three hours behind the office. 3,000 accounts each:
    // 12,000 calls a group over 16 weekday-hours, about 750 a cell, so a
    // cell's rate is within 1.6 points of its planted chance two times
    // in three; the test allows 5 points (three standard errors).
    let wd = workdir(&[
        ("NY", chrono_tz::America::New_York, 3000),
        ("CA", chrono_tz::America::Los_Angeles, 3000),
    ]);
    for (date, account) in [
        ("2026-11-20", "A00001"),
        ("2026-11-23", "A00001"),
        ("2026-11-20", "A03001"),
    ] {
        let weekday = NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .weekday();
        let rates = group_rates(&wd, date, account);
        assert_eq!(rates.len(), 8, "{date}: {rates:?}");
        for (local, rate, calls) in &rates {
            let hour: u32 = local[..2].parse().unwrap();
            let want = planted(weekday, hour);
            assert!(calls > &500, "{date} {local}: {calls} calls");
            eprintln!("{date} {account} {local}: {rate:.3} on {calls} calls, planted {want}");
            assert!(
                (rate - want).abs() < 0.05,
                "{date} {account} {local}: {rate:.3}, planted {want}"
            );
        }
    }

    // On the Friday, the best time is 15:00 local: 15:00 in the office
    // for New York, 18:00 for Los Angeles. An account's own latest calls
    // may pull it elsewhere or leave it empty (two unanswered calls at
    // 15:00 leave 15:00's lead within chance): at least 95% of each group
    // must show the planted hour, and at most 2% none. (This history
    // gives 2,953 and 2,986 of 3,000 at the planted hour, 5 and 1 empty.)
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-20",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "-q",
            "--format",
            "csv",
        ])
        .ok();
    let rows = csv_rows(&run.stdout);
    let best = rows[0].iter().position(|h| h == "best_time").unwrap();
    let region = rows[0].iter().position(|h| h == "region").unwrap();
    assert_eq!(rows.len(), 6001);
    for (state, want) in [("US-NY", "15:00"), ("US-CA", "18:00")] {
        let group: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r[region] == state).collect();
        let planted = group.iter().filter(|r| r[best] == want).count();
        let empty = group.iter().filter(|r| r[best].is_empty()).count();
        assert_eq!(group.len(), 3000);
        eprintln!(
            "{state}: {planted} at {want}, {empty} empty, of {}",
            group.len()
        );
        assert!(empty * 50 <= group.len(), "{state}: {empty} empty");
        assert!(
            planted * 20 >= group.len() * 19,
            "{state}: {planted} of {} at {want}",
            group.len()
        );
    }

    // On the Monday the planted hour is the worst one, and the rest are
    // alike: no hour leads by more than chance, for most accounts.
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-23",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "-q",
            "--format",
            "csv",
        ])
        .ok();
    let rows = csv_rows(&run.stdout);
    assert!(rows.iter().skip(1).all(|r| r[best] != "09:00"));
}

#[test]
fn a_thin_history_leaves_best_time_empty_and_the_config_can_turn_it_off() {
    let wd = workdir(&[("NY", chrono_tz::America::New_York, 20)]);
    let args = [
        "build",
        "--date",
        "2026-11-20",
        "-t",
        "t.csv",
        "-H",
        "h.csv",
        "-q",
        "--format",
        "json",
    ];
    let run = wd.run(&args).ok();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|r| r["best_time"].is_null())
    );
    let run = wd
        .run(&[
            "explain",
            "--date",
            "2026-11-20",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "A00001",
        ])
        .ok();
    assert!(
        run.stdout.contains("best time: none: US-NY has ")
            && run.stdout.contains("fewer than the 20 needed"),
        "{}",
        run.stdout
    );

    wd.write(
        "callqueue.toml",
        format!("{CONFIG}[queue]\nbest_time = false\n"),
    );
    let run = wd.run(&args).ok();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|r| r["best_time"].is_null())
    );
    let run = wd
        .run(&[
            "explain",
            "--date",
            "2026-11-20",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "--format",
            "json",
            "A00001",
        ])
        .ok();
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(json[0]["best_time"].is_null());
}
