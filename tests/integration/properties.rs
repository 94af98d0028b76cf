//! Property tests over the whole `build`: random territories, histories and
//! do-not-call lists through the real binary, checked against a plain
//! restatement of the rules of docs/rules.md written here, independently of src/.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use proptest::prelude::*;

use crate::workdir::{Workdir, csv_rows};

const IDS: &[&str] = &["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"];
const REPS: &[&str] = &["alice", "Alice ", "bob", "", "carol"];
const STATUSES: &[&str] = &["active", "Customer", "prospect", ""];
const OPT_OUTS: &[&str] = &["no", "", "N", "0", "yes", "x", "maybe"];
const ZONES: &[&str] = &[
    "",
    "America/Chicago",
    "Europe/London",
    "asia/tokyo",
    "Mars/Base",
];
const PRIORITIES: &[&str] = &["", "1", "2.5", "-1", "high"];
const OUTCOMES: &[&str] = &[
    "answered",
    "Connected",
    "no-answer",
    "busy",
    "voicemail",
    "callback",
    "opt-out",
    "DNC",
    "garbage",
];

#[derive(Debug, Clone, PartialEq)]
struct Account {
    id: &'static str,
    phone: u32,
    rep: &'static str,
    status: &'static str,
    opt_out: &'static str,
    zone: &'static str,
    priority: &'static str,
}

#[derive(Debug, Clone)]
struct Call {
    id: &'static str,
    /// Days from the queue date (negative: before it).
    offset: i64,
    outcome: &'static str,
    /// Days from the call, for callbacks; `None` leaves callback_at empty.
    callback: Option<i64>,
}

#[derive(Debug, Clone)]
struct Case {
    accounts: Vec<Account>,
    calls: Vec<Call>,
    dnc_phones: Vec<u32>,
    dnc_ids: Vec<&'static str>,
    /// Days after 2026-11-23 (a Monday).
    date: i64,
    limit: Option<u32>,
}

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(list)
}

/// Mostly `usual`, sometimes anything in `all`: most rows are clean, so
/// that the later rules get exercised too.
fn mostly(
    usual: &'static str,
    all: &'static [&'static str],
) -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just(usual), 1 => pick(all)]
}

fn account() -> impl Strategy<Value = Account> {
    (
        pick(IDS),
        0u32..12,
        pick(REPS),
        mostly("active", STATUSES),
        mostly("no", OPT_OUTS),
        mostly("", ZONES),
        pick(PRIORITIES),
    )
        .prop_map(
            |(id, phone, rep, status, opt_out, zone, priority)| Account {
                id,
                phone,
                rep,
                status,
                opt_out,
                zone,
                priority,
            },
        )
}

fn call() -> impl Strategy<Value = Call> {
    (
        prop_oneof![10 => pick(IDS), 1 => Just("zz")],
        prop_oneof![3 => -120i64..4, 1 => -420i64..4],
        prop_oneof![
            4 => pick(&["no-answer", "busy", "voicemail"]),
            3 => pick(&["answered", "Connected", "callback"]),
            1 => pick(OUTCOMES),
        ],
        proptest::option::weighted(0.9, -3i64..12),
    )
        .prop_map(|(id, offset, outcome, callback)| Call {
            id,
            offset,
            outcome,
            callback,
        })
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(account(), 1..12),
        proptest::collection::vec(call(), 0..60),
        proptest::collection::vec(0u32..12, 0..2),
        proptest::collection::vec(pick(IDS), 0..2),
        0i64..9,
        proptest::option::of(1u32..4),
    )
        .prop_map(|(accounts, calls, dnc_phones, dnc_ids, date, limit)| Case {
            accounts,
            calls,
            dnc_phones,
            dnc_ids,
            date,
            limit,
        })
}

fn phone(n: u32) -> String {
    format!("(212) 555-01{n:02}")
}

fn queue_date(case: &Case) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() + Duration::days(case.date)
}

/// The moment of call `k`: distinct for every row, so that file order
/// never decides between two calls.
fn moment(case: &Case, k: usize, call: &Call) -> (NaiveDate, String) {
    let day = queue_date(case) + Duration::days(call.offset);
    (day, format!("{day} {:02}:{:02}", 8 + k / 60, k % 60))
}

impl Case {
    fn territory(&self) -> String {
        let mut csv = String::from("account_id,phone,rep,status,opt_out,timezone,priority\n");
        for a in &self.accounts {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                a.id,
                phone(a.phone),
                a.rep,
                a.status,
                a.opt_out,
                a.zone,
                a.priority
            ));
        }
        csv
    }

    fn history(&self, reversed: bool) -> String {
        let mut rows: Vec<String> = self
            .calls
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let (day, at) = moment(self, k, c);
                let callback = match c.callback {
                    Some(d) if c.outcome == "callback" => {
                        format!("{} 10:00", day + Duration::days(d))
                    }
                    _ => String::new(),
                };
                format!("{},{at},{},{callback}\n", c.id, c.outcome)
            })
            .collect();
        if reversed {
            rows.reverse();
        }
        format!("account_id,at,outcome,callback_at\n{}", rows.concat())
    }

    fn dnc(&self) -> String {
        let mut csv = String::from("phone,account_id\n");
        for p in &self.dnc_phones {
            csv.push_str(&format!("\"+1 212-555-01{p:02}\",\n"));
        }
        for id in &self.dnc_ids {
            csv.push_str(&format!(",{id}\n"));
        }
        csv
    }
}

struct Output {
    queue: String,
    audit: String,
}

fn run(wd: &Workdir, case: &Case, reversed: bool, limit: Option<u32>) -> Output {
    wd.write(
        "callqueue.toml",
        "timezone = \"UTC\"\ndefault_country = \"US\"\nsuppress = [\"dnc.csv\"]\n",
    )
    .write("t.csv", case.territory())
    .write("h.csv", case.history(reversed))
    .write("dnc.csv", case.dnc());
    let date = queue_date(case).to_string();
    let limit_text = limit.map(|l| l.to_string());
    let mut args = vec![
        "build",
        "--date",
        &date,
        "-t",
        "t.csv",
        "-H",
        "h.csv",
        "--excluded",
        "x.csv",
        "-q",
    ];
    if let Some(l) = &limit_text {
        args.extend(["--limit", l]);
    }
    let run = wd.run(&args).ok();
    Output {
        queue: run.stdout,
        audit: wd.read("x.csv"),
    }
}

fn is_contact(outcome: &str) -> bool {
    matches!(
        outcome,
        "answered" | "Connected" | "callback" | "opt-out" | "DNC"
    )
}

fn is_unanswered(outcome: &str) -> bool {
    matches!(outcome, "no-answer" | "busy" | "voicemail")
}

fn readable(call: &Call) -> bool {
    (is_contact(call.outcome) || is_unanswered(call.outcome))
        && !(call.outcome == "callback" && call.callback.is_none())
}

fn calling_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The rules of docs/rules.md restated plainly: `Ok("callback" | "due")` when `id`
/// must be queued today, `Err(why)` when it must not.
fn expected(case: &Case, id: &str) -> Result<&'static str, String> {
    match forbidden(case, id) {
        Some(why) => Err(why),
        None => Ok(if has_due_callback(case, id) {
            "callback"
        } else {
            "due"
        }),
    }
}

fn past_calls<'a>(case: &'a Case, id: &str) -> Vec<(NaiveDate, usize, &'a Call)> {
    let d = queue_date(case);
    // Calls in time order: the generator makes the time grow with the day
    // and, within a day, with the row number.
    let mut past: Vec<(NaiveDate, usize, &Call)> = case
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.id == id)
        .map(|(k, c)| (moment(case, k, c).0, k, c))
        .filter(|(day, ..)| *day <= d)
        .collect();
    past.sort_by_key(|&(day, k, _)| (day, k));
    past
}

/// The pending callback's day, if the latest call is a callback.
fn pending_callback(case: &Case, id: &str) -> Option<NaiveDate> {
    past_calls(case, id)
        .last()
        .filter(|(_, _, c)| c.outcome == "callback")
        .map(|(day, _, c)| *day + Duration::days(c.callback.unwrap_or(0)))
}

fn has_due_callback(case: &Case, id: &str) -> bool {
    pending_callback(case, id).is_some_and(|day| day <= queue_date(case))
}

fn forbidden(case: &Case, id: &str) -> Option<String> {
    let rows: Vec<&Account> = case.accounts.iter().filter(|a| a.id == id).collect();
    let d = queue_date(case);
    if !calling_day(d) {
        return Some("not a calling day".into());
    }
    // A row repeated in every cell is one account, when the row neither
    // opts out nor names an unknown zone (such a row is kept as a second
    // row: the id is then on two rows).
    let repeated = rows.iter().all(|r| *r == rows[0])
        && matches!(rows[0].opt_out, "no" | "" | "N" | "0")
        && rows[0].zone != "Mars/Base";
    if rows.len() != 1 && !repeated {
        return Some("duplicated id".into());
    }
    let a = rows[0];
    if !matches!(a.status, "active" | "Customer") {
        return Some(format!("status {:?}", a.status));
    }
    if !matches!(a.opt_out, "no" | "" | "N" | "0") {
        return Some(format!("opt_out {:?}", a.opt_out));
    }
    if case.dnc_phones.contains(&a.phone) || case.dnc_ids.contains(&a.id) {
        return Some("on the do-not-call list".into());
    }
    if a.zone == "Mars/Base" {
        return Some("bad zone".into());
    }
    // Every phone is a New York number: with the phone's zone added to a
    // Tokyo cell, 09:00-17:00 in both never overlaps.
    if a.zone == "asia/tokyo" {
        return Some("zones share no hours".into());
    }
    let calls: Vec<&Call> = case.calls.iter().filter(|c| c.id == id).collect();
    if calls.iter().any(|c| matches!(c.outcome, "opt-out" | "DNC")) {
        return Some("opt-out in the history".into());
    }
    if calls.iter().any(|c| !readable(c)) {
        return Some("unreadable history row".into());
    }
    let past = past_calls(case, id);
    match pending_callback(case, id) {
        Some(cb_day) if cb_day > d => return Some("callback scheduled later".into()),
        // The customer asked for this call: rules 5 to 7 do not apply.
        Some(_) => return None,
        None => {}
    }
    // Rule 5, step by step.
    let (mut streak, mut pause_end) = (0u32, None::<NaiveDate>);
    for (day, _, c) in &past {
        if is_contact(c.outcome) {
            streak = 0;
        } else {
            if streak >= 5 && pause_end.is_some_and(|e| e <= *day) {
                streak = 0;
            }
            streak += 1;
            if streak >= 5 {
                pause_end = Some(*day + Duration::days(60));
            }
        }
    }
    if streak >= 5 && pause_end.is_some_and(|e| d < e) {
        return Some("paused".into());
    }
    let contacts: Vec<NaiveDate> = past
        .iter()
        .filter(|(_, _, c)| is_contact(c.outcome))
        .map(|(day, ..)| *day)
        .collect();
    if contacts
        .iter()
        .filter(|c| (d - **c).num_days() < 365)
        .count()
        >= 2
    {
        return Some("capped".into());
    }
    if let Some((day, _, c)) = past.last()
        && is_unanswered(c.outcome)
        && (d - *day).num_days() < 7
    {
        return Some("retry wait".into());
    }
    if let Some(last) = contacts.last()
        && (d - *last).num_days() < 90
    {
        return Some("contact gap".into());
    }
    None
}

fn rows_by_rep(queue: &str) -> BTreeMap<String, Vec<String>> {
    let mut by_rep: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in csv_rows(queue).into_iter().skip(1) {
        by_rep
            .entry(row[0].clone())
            .or_default()
            .push(row[2].clone());
    }
    by_rep
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn build_honours_every_rule_and_is_deterministic(case in case()) {
        let wd = Workdir::new();
        let first = run(&wd, &case, false, case.limit);
        let queue = csv_rows(&first.queue);
        let audit = csv_rows(&first.audit);

        // Every territory account is in exactly one of the queue and the audit.
        let queued: Vec<String> = queue.iter().skip(1).map(|r| r[2].clone()).collect();
        let audited: Vec<String> = audit.iter().skip(1).map(|r| r[0].clone()).collect();
        let all: BTreeSet<&String> = queued.iter().chain(&audited).collect();
        prop_assert_eq!(all.len(), queued.len() + audited.len());
        let ids: BTreeSet<String> = case.accounts.iter().map(|a| a.id.to_owned()).collect();
        prop_assert_eq!(all.into_iter().cloned().collect::<BTreeSet<String>>(), ids);

        // Nothing the rules forbid is queued, and each with its reason.
        for row in queue.iter().skip(1) {
            let want = expected(&case, &row[2]);
            prop_assert_eq!(want.as_deref(), Ok(row[8].as_str()), "{} queued as {}", &row[2], &row[8]);
        }
        // Every account the rules allow is queued (or over the limit).
        for row in audit.iter().skip(1) {
            if row[2] != "over-limit" {
                let want = expected(&case, &row[0]);
                prop_assert!(want.is_err(), "{} left out as {} but the rules queue it", row[0], row[2]);
            }
        }

        // Same inputs, same bytes; and a history in reverse time order
        // gives the same answer.
        let again = run(&wd, &case, false, case.limit);
        prop_assert_eq!(&again.queue, &first.queue);
        prop_assert_eq!(&again.audit, &first.audit);
        // (The audit's details name history lines, which reversing moves.)
        let reversed = run(&wd, &case, true, case.limit);
        prop_assert_eq!(&reversed.queue, &first.queue);
        let verdicts = |audit: &str| -> Vec<Vec<String>> {
            csv_rows(audit).into_iter().map(|r| r[..4].to_vec()).collect()
        };
        prop_assert_eq!(verdicts(&reversed.audit), verdicts(&first.audit));
    }

    #[test]
    fn limit_keeps_each_reps_best_accounts(case in case(), limit in 1u32..4) {
        let wd = Workdir::new();
        let unlimited = rows_by_rep(&run(&wd, &case, false, None).queue);
        let limited = rows_by_rep(&run(&wd, &case, false, Some(limit)).queue);
        for (rep, ids) in &unlimited {
            let kept = limited.get(rep).cloned().unwrap_or_default();
            let want: Vec<String> = ids.iter().take(limit as usize).cloned().collect();
            prop_assert_eq!(kept, want, "rep {}", rep);
        }
    }
}

/// A cell of a hostile export: sensible values, CSV metacharacters, stray
/// unicode and control characters, unquoted.
fn raw_cell(sensible: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(sensible).prop_map(str::to_owned),
        1 => "[ -~]{0,12}",
        1 => "\\PC{0,6}",
        1 => pick(&["\"", "\"\"", ",", "\n", "\r\n", "\"a,b\"", "\"x\ny\"", " ", "\u{feff}", "\t"]).prop_map(str::to_owned),
    ]
}

fn raw_rows(columns: [&'static [&'static str]; 3]) -> impl Strategy<Value = Vec<Vec<String>>> {
    proptest::collection::vec(
        (
            raw_cell(columns[0]),
            raw_cell(columns[1]),
            raw_cell(columns[2]),
        )
            .prop_map(|(a, b, c)| vec![a, b, c]),
        0..25,
    )
}

const RAW_IDS: &[&str] = &["a0", "a1", "a2", "a3", " a1 ", "a4"];
const RAW_PHONES: &[&str] = &["2125550100", "(212) 555-0101", "+1 212 555 0102", "n/a", ""];
const RAW_OPT_OUTS: &[&str] = &["no", "", "yes", "maybe", "0", "Y"];
const RAW_TIMES: &[&str] = &[
    "2026-11-01",
    "2026-11-23 10:00",
    "2026-02-30",
    "soon",
    "2026-11-20T10:00:00Z",
];
const RAW_OUTCOMES: &[&str] = &["answered", "busy", "dnc", "opt-out", "callback", "??"];

fn csv_text(header: &str, rows: &[Vec<String>]) -> String {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Broken exports never make build panic, and never queue a customer
    /// whose rows say stop anywhere (read here with the csv crate, as a
    /// second opinion on every record).
    #[test]
    fn hostile_rows_never_panic_or_queue_an_opt_out(
        territory in raw_rows([RAW_IDS, RAW_PHONES, RAW_OPT_OUTS]),
        history in raw_rows([RAW_IDS, RAW_TIMES, RAW_OUTCOMES]),
    ) {
        let wd = Workdir::new();
        let territory = csv_text("account_id,phone,opt_out", &territory);
        let history = csv_text("account_id,at,outcome", &history);
        wd.write("callqueue.toml", "timezone = \"UTC\"\ndefault_country = \"US\"\n")
            .write("t.csv", &territory)
            .write("h.csv", &history);
        let run = wd.run(&["build", "--date", "2026-11-24", "-t", "t.csv", "-H", "h.csv", "--excluded", "x.csv"]);
        prop_assert!(matches!(run.code, 0 | 1), "exit {}: {}", run.code, run.stderr);
        prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        if run.code != 0 {
            return Ok(());
        }
        let mut stop: BTreeSet<String> = BTreeSet::new();
        let records = |text: &str| -> Vec<csv::StringRecord> {
            csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes())
                .into_records()
                .filter_map(Result::ok)
                .collect()
        };
        for r in records(&territory) {
            let opt = r.get(2).map(str::trim).unwrap_or("");
            if r.len() != 3 || !matches!(opt.to_ascii_lowercase().as_str(), "no" | "" | "0" | "n" | "false") {
                stop.insert(r.get(0).unwrap_or("").trim().to_owned());
            }
        }
        for r in records(&history) {
            let outcome = r.get(2).map(str::trim).unwrap_or("").to_ascii_lowercase();
            if matches!(outcome.as_str(), "dnc" | "opt-out") {
                stop.insert(r.get(0).unwrap_or("").trim().to_owned());
            }
        }
        // Undo the formula escaping of the output to compare ids.
        // A formula may hide behind invisible characters a spreadsheet
        // skips (a byte-order mark, a no-break space).
        let formula = |cell: &str| -> bool {
            cell.trim_start_matches(['\u{feff}', '\u{a0}', '\u{200b}'])
                .starts_with(['=', '+', '-', '@', '\t', '\r'])
        };
        let unescape = |cell: &str| -> String {
            match cell.strip_prefix('\'') {
                Some(rest) if formula(rest) => rest.to_owned(),
                _ => cell.to_owned(),
            }
        };
        let queued: Vec<String> = csv_rows(&run.stdout).into_iter().skip(1).map(|r| unescape(&r[2])).collect();
        for id in &queued {
            prop_assert!(!stop.contains(id), "{} was queued\nterritory:\n{}\nhistory:\n{}", id, territory, history);
        }
        // Every account once, queued or audited. Ids a spreadsheet would
        // run as a formula are written with a leading `'` (docs/rules.md), so two
        // ids can be written alike ("=" and "'="): each id as written shows
        // no more often than the territory has ids written so.
        let written = |id: &str| -> String {
            match formula(id) {
                true => format!("'{id}"),
                false => id.to_owned(),
            }
        };
        let mut ids_written: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for r in records(&territory) {
            let id = r.get(0).unwrap_or("").trim();
            ids_written.entry(written(id)).or_default().insert(id.to_owned());
        }
        let mut shown: BTreeMap<String, usize> = BTreeMap::new();
        let queue_rows = csv_rows(&run.stdout).into_iter().skip(1).map(|r| r[2].clone());
        let audit_rows = csv_rows(&wd.read("x.csv")).into_iter().skip(1).map(|r| r[0].clone());
        for id in queue_rows.chain(audit_rows) {
            *shown.entry(id).or_default() += 1;
        }
        for (id, times) in &shown {
            let accounts = ids_written.get(id).map_or(1, BTreeSet::len);
            prop_assert!(*times <= accounts, "{} written {} times for {} account(s)", id, times, accounts);
        }
    }
}

/// Location cells, sensible and not: the hard places, junk, another
/// country's code, and phones of one zone, of two, and of none.
const POSTAL: &[&str] = &[
    "", "46402", "46204", "32501", "79901", "85001", "96813", "99501", "75201", "A1C 5M2",
    "S4P 3Y2", "K1A 0B1", "2134", "ZZZ", "00000",
];
const STATES: &[&str] = &[
    "", "TX", "Indiana", "FL", "ON", "nl", "Atlantis", "AZ", "HI",
];
const COUNTRIES: &[&str] = &["", "US", "Canada", "GB", "Atlantis"];
const PHONES: &[&str] = &[
    "(212) 555-0100",
    "(415) 555-0100",
    "(850) 432-0100",
    "(850) 555-0100",
    "(808) 555-0100",
    "(907) 555-0100",
    "(709) 555-0100",
    "(306) 555-0100",
    "+1 800 555 0100",
    "+44 20 7946 0000",
    "+81 3 5555 0303",
    "+7 495 555 0100",
];
const CELL_ZONES: &[&str] = &["", "", "", "America/Chicago", "Asia/Tokyo", "US/Eastern"];

/// The instants an office `HH:MM` may stand for around the queue date.
fn office_instants(
    office: chrono_tz::Tz,
    date: NaiveDate,
    hhmm: &str,
) -> Vec<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let Ok(time) = chrono::NaiveTime::parse_from_str(hhmm, "%H:%M") else {
        return Vec::new();
    };
    [-1i64, 0, 1]
        .iter()
        .filter_map(|&k| {
            office
                .from_local_datetime(&(date + Duration::days(k)).and_time(time))
                .earliest()
        })
        .map(|t| t.with_timezone(&chrono::Utc))
        .collect()
}

/// A zone's `start`..`end` (hours, fractions allowed) on `date`, in UTC.
fn local_span(
    zone: chrono_tz::Tz,
    date: NaiveDate,
    start: f64,
    end: f64,
) -> Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    use chrono::TimeZone;
    let at = |h: f64| {
        let minutes = (h * 60.0).round() as u32;
        let time = chrono::NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)?;
        zone.from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    Some((at(start)?, at(end)?))
}

/// The law's hours on `date` for a region, restated here from the
/// statutes the profiles cite (for the regions the generated rows can
/// reach): `None` when the law allows no call that day.
fn law_hours(profile: &str, region: &str, date: NaiveDate) -> Option<(f64, f64)> {
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    match (profile, region.split('-').next().unwrap_or("")) {
        ("us", "US") => Some(match region {
            // Fla. Stat. 501.616(6)
            "US-FL" => (8.0, 20.0),
            // Tex. Bus. & Com. Code 301.051
            "US-TX" if date.weekday() == Weekday::Sun => (12.0, 21.0),
            "US-TX" => (9.0, 21.0),
            // 47 CFR 64.1200(c)(1)
            _ => (8.0, 21.0),
        }),
        // CRTC Unsolicited Telecommunications Rules
        ("ca", "CA") if weekend => Some((10.0, 18.0)),
        ("ca", "CA") => Some((9.0, 21.5)),
        _ => Some((0.0, 24.0)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the address and the phone say, and whatever the profile,
    /// a queued customer's window lies inside the company's hours and the
    /// law of each of their regions, in every zone the queue lists for
    /// them (a profile never widens the company's hours), and the run
    /// gives the same bytes twice.
    #[test]
    fn nobody_is_queued_outside_the_hours_of_any_of_their_zones_or_regions(
        rows in proptest::collection::vec((pick(CELL_ZONES), pick(POSTAL), pick(STATES), pick(COUNTRIES), pick(PHONES)), 1..12),
        day in 0i64..365,
        office in pick(&["America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Kolkata"]),
        unknown_office in any::<bool>(),
        profile in pick(&["none", "us", "ca"]),
        start in 6u32..11,
        end in 15u32..23,
    ) {
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(day);
        let mut territory = String::from("account_id,phone,timezone,postal_code,state,country\n");
        for (k, (zone, postal, state, country, phone)) in rows.iter().enumerate() {
            territory.push_str(&format!("a{k},\"{phone}\",{zone},{postal},{state},{country}\n"));
        }
        let wd = Workdir::new();
        let unknown = if unknown_office { "office" } else { "exclude" };
        wd.write(
            "callqueue.toml",
            format!("timezone = \"{office}\"\ndefault_country = \"US\"\n[hours]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nstart = \"{start:02}:00\"\nend = \"{end:02}:00\"\n[location]\nunknown_zone = \"{unknown}\"\n[compliance]\nprofile = \"{profile}\"\n"),
        )
        .write("t.csv", &territory)
        .write("h.csv", "account_id,at,outcome\n");
        let args = ["build", "--date", &date.to_string(), "-t", "t.csv", "-H", "h.csv", "--excluded", "x.csv", "-q", "--format", "csv"];
        let run = wd.run(&args).ok();
        let again = wd.run(&args).ok();
        prop_assert_eq!(&run.stdout, &again.stdout);
        let office: chrono_tz::Tz = office.parse().unwrap();
        let queue = csv_rows(&run.stdout);
        let header = &queue[0];
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for row in queue.iter().skip(1) {
            let zones: Vec<chrono_tz::Tz> = row[col("timezone")].split(';').map(|z| z.parse().unwrap()).collect();
            prop_assert!(!zones.is_empty());
            let regions: Vec<&str> = row[col("region")].split(';').filter(|r| !r.is_empty()).collect();
            // Every span the call must lie in: the company's hours and each
            // region's law, in each zone.
            let mut spans = Vec::new();
            for &zone in &zones {
                spans.push(local_span(zone, date, f64::from(start), f64::from(end)).unwrap());
                for region in &regions {
                    let law = law_hours(profile, region, date);
                    prop_assert!(law.is_some(), "{} queued on a day {} bans", &row[2], region);
                    let (from, until) = law.unwrap();
                    spans.push(local_span(zone, date, from, until.min(23.99)).unwrap());
                }
            }
            let inside = |t: &chrono::DateTime<chrono::Utc>, end: bool| {
                spans.iter().all(|(s, e)| if end { s < t && t <= e } else { s <= t && t < e })
            };
            let froms = office_instants(office, date, &row[col("call_from")]);
            let untils = office_instants(office, date, &row[col("call_until")]);
            let fits = froms.iter().any(|f| inside(f, false) && untils.iter().any(|u| u > f && inside(u, true)));
            prop_assert!(fits, "{} queued {}-{} in {:?} {:?} on {} under {}\n{}", &row[2], &row[col("call_from")], &row[col("call_until")], zones, regions, date, profile, territory);
            prop_assert!(!row[col("zone_from")].is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// On a history dense enough for best times, each queued customer's
    /// best_time is empty or a time inside its window (from call_from, up
    /// to call_until), whatever the office's zone, the customer's zone and
    /// the window's minutes; the same inputs give the same bytes, and a
    /// history out of time order gives the same best times.
    #[test]
    fn best_time_is_inside_the_window_or_empty_and_deterministic(
        zone in pick(&["America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney"]),
        office in pick(&["America/New_York", "Europe/London", "Asia/Kolkata"]),
        day in 0i64..365,
        start in 7u32..11,
        start_half in any::<bool>(),
        length in 2u32..6,
        hot in 0u32..8,
        calls in proptest::collection::vec((0u32..150, 0i64..30, 0u32..8, 0u32..60, 0u32..4), 900..1200),
    ) {
        use chrono::TimeZone;
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(day);
        let tz: chrono_tz::Tz = zone.parse().unwrap();
        let start_text = format!("{start:02}:{}", if start_half { "30" } else { "00" });
        let wd = Workdir::new();
        wd.write(
            "callqueue.toml",
            format!("timezone = \"{office}\"\n[caps]\nmax_contacts = 100000\nwindow_days = 1\nmax_unanswered = 100000\nretry_days = 0\ncontact_gap_days = 0\n[hours]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nstart = \"{start_text}\"\nend = \"{:02}:00\"\n[location]\ncross_check = false\n", start + length),
        );
        let mut territory = String::from("account_id,phone,timezone\n");
        for k in 0..150 {
            territory.push_str(&format!("a{k},212555{k:04},{zone}\n"));
        }
        // Calls on the queue date's weekday in past weeks, at local hours
        // from an hour before the window to an hour after it; answered when the draw is 0 (one in four),
        // or always at one hour (which may be the window's first, partly
        // outside it), so that most days have a best time.
        let mut rows: Vec<(i64, String)> = Vec::new();
        for &(account, week, hour, minute, draw) in &calls {
            let hour = start - 1 + hour % (length + 2);
            let day = date - Duration::weeks(week + 1);
            let local = day.and_hms_opt(hour, minute, 0).unwrap();
            let Some(at) = tz.from_local_datetime(&local).earliest() else { continue };
            let answered = draw == 0 || hour == start - 1 + hot % (length + 2);
            let outcome = if answered { "answered" } else { "no-answer" };
            rows.push((at.timestamp(), format!("a{account},{},{outcome}\n", at.to_rfc3339())));
        }
        rows.sort();
        // One call per account and moment: calls at the same moment keep
        // their file order, which reversing the file would change.
        rows.dedup_by(|a, b| a.0 == b.0 && a.1.split(',').next() == b.1.split(',').next());
        let history = |rows: &mut dyn Iterator<Item = &(i64, String)>| {
            let mut text = String::from("account_id,at,outcome\n");
            for (_, row) in rows {
                text.push_str(row);
            }
            text
        };
        wd.write("t.csv", &territory).write("h.csv", history(&mut rows.iter()));
        let args = ["build", "--date", &date.to_string(), "-t", "t.csv", "-H", "h.csv", "-q", "--format", "csv"];
        let first = wd.run(&args).ok();
        let again = wd.run(&args).ok();
        prop_assert_eq!(&first.stdout, &again.stdout);
        wd.write("h.csv", history(&mut rows.iter().rev()));
        let reversed = wd.run(&args).ok();
        prop_assert_eq!(&reversed.stdout, &first.stdout);

        let office: chrono_tz::Tz = office.parse().unwrap();
        let queue = csv_rows(&first.stdout);
        let col = |name: &str| queue[0].iter().position(|h| h == name).unwrap();
        for row in queue.iter().skip(1) {
            let best = &row[col("best_time")];
            if best.is_empty() {
                continue;
            }
            let froms = office_instants(office, date, &row[col("call_from")]);
            let untils = office_instants(office, date, &row[col("call_until")]);
            let bests = office_instants(office, date, best);
            let inside = froms.iter().any(|f| {
                untils.iter().any(|u| u > f && bests.iter().any(|b| f <= b && b < u))
            });
            prop_assert!(inside, "{} best_time {} outside {}-{}", &row[2], best, &row[col("call_from")], &row[col("call_until")]);
        }
    }
}
