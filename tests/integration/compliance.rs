//! The law and the customer's word: consent in opt-in mode, wrong numbers,
//! a recent inquiry as an existing relationship, and the compliance
//! profiles.

use crate::workdir::{Run, Workdir, audit, column, new_york as workdir, new_york_config, pairs};

const DATE: &str = "2026-11-24";

fn build(wd: &Workdir, date: &str) -> Run {
    wd.run(&[
        "build",
        "--date",
        date,
        "--excluded",
        "x.csv",
        "--format",
        "csv",
    ])
}

#[test]
fn opt_in_mode_calls_only_customers_who_agreed_and_never_after_an_opt_out() {
    let territory = "account_id,phone,opt_in\n\
                     yes,(212) 555-0101,yes\n\
                     empty,(212) 555-0102,\n\
                     recorded,(212) 555-0103,no\n\
                     undone,(212) 555-0104,yes\n\
                     later,(212) 555-0105,\n";
    let history = "account_id,at,outcome\n\
                   recorded,2026-01-05 10:00,opt-in\n\
                   undone,2026-02-01 10:00,opt-out\n\
                   undone,2026-03-01 10:00,opt-in\n\
                   later,2026-12-01 10:00,opt-in\n";
    let wd = workdir("[consent]\nmode = \"opt-in\"\n", territory, history);
    let run = build(&wd, DATE).ok();
    // (The consent was asked in a conversation: a contact, so it comes last.)
    assert_eq!(column(&run.stdout, "account_id"), vec!["yes", "recorded"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("empty", "no-consent"),
            // A consent dated after the queue date is not one yet.
            ("later", "no-consent"),
            ("undone", "opted-out"),
        ])
    );
    // In the default mode, consent is not asked for.
    wd.write("callqueue.toml", new_york_config(""));
    let run = build(&wd, DATE).ok();
    assert_eq!(
        column(&run.stdout, "account_id"),
        vec!["empty", "later", "yes", "recorded"]
    );
    let explain = wd
        .run(&["explain", "empty", "--date", DATE, "-c", "callqueue.toml"])
        .ok()
        .stdout;
    assert!(
        explain.contains("3. no-consent    -        consent is not asked for"),
        "{explain}"
    );
}

#[test]
fn a_wrong_number_holds_the_account_until_its_phone_changes() {
    let territory = "account_id,phone\n\
                     named,(212) 555-0101\n\
                     unnamed,(212) 555-0102\n\
                     answered-since,(212) 555-0103\n\
                     fixed,(212) 555-0199\n";
    let history = "account_id,at,outcome,phone\n\
                   named,2026-10-01 10:00,Wrong Number,212-555-0101\n\
                   named,2026-10-20 10:00,answered,\n\
                   unnamed,2026-10-01 10:00,wrong-number,\n\
                   answered-since,2026-09-01 10:00,wrong-number,\n\
                   answered-since,2026-09-02 10:00,answered,\n\
                   fixed,2026-10-01 10:00,wrong-number,(212) 555-0104\n";
    let wd = workdir("", territory, history);
    let run = build(&wd, DATE).ok();
    // A named wrong number holds whatever comes after; an unnamed one until
    // another outcome is recorded; a corrected phone is called again.
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("answered-since", "too-soon"),
            ("named", "bad-data"),
            ("unnamed", "bad-data"),
        ])
    );
    assert_eq!(column(&run.stdout, "account_id"), vec!["fixed"]);
    let x = wd.read("x.csv");
    assert!(
        x.contains("h.csv:2: wrong-number recorded for +12125550101, the account's phone; correct the phone in the territory"),
        "{x}"
    );
}

#[test]
fn record_writes_the_number_called() {
    let wd = workdir(
        "",
        "account_id,phone\nA1,(212) 555-0101\n",
        "account_id,at,outcome,callback_at,rep,note,disposition,phone\n",
    );
    wd.run(&["record", "A1", "wrong-number", "--at", "2026-11-20 10:00"])
        .ok();
    wd.run(&[
        "record",
        "A1",
        "no-answer",
        "--at",
        "2026-11-21 10:00",
        "--phone",
        "(212) 555-0199",
    ])
    .ok();
    let text = wd.read("h.csv");
    assert!(text.contains(",wrong-number,,,,,+12125550101\n"), "{text}");
    assert!(text.contains(",no-answer,,,,,+12125550199\n"), "{text}");
    // The account's phone was reported wrong: bad data, whatever came after.
    build(&wd, DATE).ok();
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("A1", "bad-data")]));
}

#[test]
fn a_recent_inquiry_counts_as_an_existing_relationship() {
    let territory = "account_id,phone,last_order,last_inquiry\n\
                     asked,(212) 555-0101,2020-01-01,2026-08-26\n\
                     too-long,(212) 555-0102,2020-01-01,2026-08-25\n\
                     ordered,(212) 555-0103,2026-01-01,\n";
    let wd = workdir(
        "[eligibility]\nebr_days = 540\ninquiry_days = 90\n",
        territory,
        "account_id,at,outcome\n",
    );
    let run = build(&wd, DATE).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["asked", "ordered"]);
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("too-long", "not-existing")]));
}

/// Every day a calling day, 08:00 to 21:00: the law, not the company,
/// narrows the hours in these tests.
const WIDE: &str = "[hours]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nstart = \"08:00\"\nend = \"21:00\"\n";

fn profile(name: &str) -> String {
    format!("{WIDE}[compliance]\nprofile = \"{name}\"\n")
}

/// The queue's (call_from, call_until) of `id`, or its audit reason.
fn hours_of(wd: &Workdir, date: &str, id: &str) -> Result<(String, String), String> {
    let run = build(wd, date).ok();
    let ids = column(&run.stdout, "account_id");
    match ids.iter().position(|i| i == id) {
        Some(k) => Ok((
            column(&run.stdout, "call_from")[k].clone(),
            column(&run.stdout, "call_until")[k].clone(),
        )),
        None => Err(audit(wd, "x.csv")
            .into_iter()
            .find(|(a, _)| a == id)
            .map(|(_, reason)| reason)
            .unwrap_or_default()),
    }
}

fn hours(from: &str, until: &str) -> Result<(String, String), String> {
    Ok((from.to_owned(), until.to_owned()))
}

#[test]
fn florida_calls_end_at_eight_in_the_evening_local() {
    // (A Miami ZIP: the state alone would add Central time, for the
    // panhandle.)
    let wd = workdir(
        &profile("us"),
        "account_id,phone,postal_code\nFL,(305) 555-0101,33101\nNY,(212) 555-0102,10001\n",
        "account_id,at,outcome\n",
    );
    // Miami keeps New York's clock: the last minute is 19:59, 20:00 is out.
    assert_eq!(hours_of(&wd, DATE, "FL"), hours("08:00", "20:00"));
    assert_eq!(hours_of(&wd, DATE, "NY"), hours("08:00", "21:00"));
    let x = wd.run(&["explain", "FL", "--date", DATE]).ok().stdout;
    assert!(x.contains("08:00-20:00"), "{x}");
}

#[test]
fn a_georgia_address_with_a_florida_number_keeps_floridas_rules() {
    let wd = workdir(
        &profile("us"),
        "account_id,phone,state\nGA,(305) 555-0101,GA\n",
        "account_id,at,outcome\n",
    );
    assert_eq!(hours_of(&wd, DATE, "GA"), hours("08:00", "20:00"));
}

#[test]
fn alabama_keeps_sundays_and_observed_holidays_free_of_calls() {
    let wd = workdir(
        &profile("us"),
        "account_id,phone,state\nAL,(205) 555-0101,AL\n",
        "account_id,at,outcome\n",
    );
    // Sunday 2026-11-29: not a calling day there, called on Monday.
    assert_eq!(
        hours_of(&wd, "2026-11-29", "AL"),
        Err("not-calling-day".to_owned())
    );
    let x = wd.read("x.csv");
    assert!(
        x.contains("AL,unassigned,not-calling-day,2026-11-30,"),
        "{x}"
    );
    assert!(x.contains("no calls in US-AL on Sundays (Ala."), "{x}");
    // Independence Day 2026 is a Saturday, observed on Friday the 3rd.
    assert_eq!(
        hours_of(&wd, "2026-07-03", "AL"),
        Err("not-calling-day".to_owned())
    );
    assert_eq!(hours_of(&wd, "2026-07-02", "AL"), hours("09:00", "21:00"));
    assert_eq!(
        hours_of(&wd, "2026-07-04", "AL"),
        Err("not-calling-day".to_owned())
    );
}

#[test]
fn texas_calls_on_sunday_only_from_noon() {
    let wd = workdir(
        &profile("us"),
        "account_id,phone,postal_code\nTX,(214) 555-0101,75201\n",
        "account_id,at,outcome\n",
    );
    // Dallas is an hour behind the office: 12:00 local is 13:00 here, and
    // 21:00 local (the law's and the company's end) is 22:00.
    assert_eq!(hours_of(&wd, "2026-11-29", "TX"), hours("13:00", "22:00"));
    assert_eq!(hours_of(&wd, "2026-11-28", "TX"), hours("10:00", "22:00"));
}

#[test]
fn canada_calls_on_weekends_from_ten_to_six() {
    let wd = workdir(
        &profile("ca"),
        "account_id,phone,postal_code,country\nON,(416) 555-0101,M5H 2N2,CA\n",
        "account_id,at,outcome\n",
    );
    assert_eq!(hours_of(&wd, "2026-11-28", "ON"), hours("10:00", "18:00"));
    assert_eq!(hours_of(&wd, "2026-11-27", "ON"), hours("09:00", "21:00"));
}

#[test]
fn a_us_number_with_no_known_region_gets_every_states_strictest_rule() {
    let wd = workdir(
        &profile("us"),
        "account_id,phone,timezone\nTF,+1 800 555 0100,America/New_York\n",
        "account_id,at,outcome\n",
    );
    // The strictest: 09:00 (Rhode Island) to 18:00, no Sundays, ...
    assert_eq!(hours_of(&wd, DATE, "TF"), hours("09:00", "18:00"));
    assert_eq!(
        hours_of(&wd, "2026-11-29", "TF"),
        Err("not-calling-day".to_owned())
    );
    let x = wd.run(&["explain", "TF", "--date", DATE]).ok().stdout;
    assert!(x.contains("the strictest of every US rule"), "{x}");
}

#[test]
fn the_fourth_call_in_24_hours_waits_for_the_first_to_age() {
    let config = "[caps]\nlimits = [{ count = 3, within_hours = 24, of = \"attempts\" }]\nretry_days = 0\ncontact_gap_days = 0\nmax_contacts = 5\n";
    let territory = "account_id,phone\nA,(212) 555-0101\n";
    let history = "account_id,at,outcome\nA,2026-11-23 10:00,no-answer\nA,2026-11-23 11:00,answered\nA,2026-11-23 12:00,no-answer\n";
    let wd = workdir(config, territory, history);
    // The day after: three calls in the 24 hours before 10:00; the first
    // ages at 10:00, so the window starts then.
    assert_eq!(hours_of(&wd, DATE, "A"), hours("10:00", "17:00"));
    // Two calls only: the window starts at 09:00.
    wd.write(
        "h.csv",
        "account_id,at,outcome\nA,2026-11-23 10:00,no-answer\nA,2026-11-23 11:00,answered\n",
    );
    assert_eq!(hours_of(&wd, DATE, "A"), hours("09:00", "17:00"));
    // Three calls on the day itself: capped until the first is a day old.
    wd.write("h.csv", "account_id,at,outcome\nA,2026-11-24 09:05,no-answer\nA,2026-11-24 10:00,no-answer\nA,2026-11-24 11:00,no-answer\n");
    assert_eq!(hours_of(&wd, DATE, "A"), Err("capped".to_owned()));
    let x = wd.read("x.csv");
    assert!(x.contains("A,unassigned,capped,2026-11-25,at most 3 attempts in 24 hours: reached for the whole of today's window; free again at 2026-11-25T09:05:00-05:00"), "{x}");
}

#[test]
fn the_compliance_command_shows_each_regions_law_with_its_citation() {
    let wd = workdir(
        &profile("us"),
        "account_id,phone\n",
        "account_id,at,outcome\n",
    );
    let out = wd.run(&["compliance", "US-FL", "US-TX"]).ok().stdout;
    assert!(out.contains("Compliance profile us"), "{out}");
    assert!(out.contains("Fla. Stat. § 501.616(6)"), "{out}");
    assert!(out.contains("Tex. Bus. & Com. Code § 301.051"), "{out}");
    assert!(out.contains("47 CFR § 64.1200(c)(1)"), "{out}");
    let ca = wd.run(&["compliance", "--profile", "ca"]).ok().stdout;
    assert!(ca.contains("CRTC") && ca.contains("21:30"), "{ca}");
    // Without a profile anywhere, a usage error that says what to pass.
    let bare = Workdir::new();
    let run = bare.run(&["compliance"]).expect(2);
    assert!(run.stderr.contains("--profile us"), "{}", run.stderr);
}

#[test]
fn the_summary_counts_what_each_law_excluded_or_narrowed() {
    let wd = workdir(
        &profile("us"),
        "account_id,phone,postal_code\nFL,(305) 555-0101,33101\nAL,(205) 555-0102,35203\nNY,(212) 555-0103,10001\n",
        "account_id,at,outcome\n",
    );
    // A Sunday: Alabama closes it; Florida narrows the hours to 20:00.
    wd.run(&["build", "--date", "2026-11-29", "--summary", "s.json", "-q"])
        .ok();
    let summary: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    let law = &summary["compliance"];
    assert_eq!(law["Fla. Stat. § 501.616(6)"]["narrowed"], 1, "{law}");
    let alabama = law
        .as_object()
        .unwrap()
        .iter()
        .find(|(citation, _)| citation.starts_with("Ala."))
        .map(|(_, counts)| counts.clone())
        .unwrap();
    assert_eq!(alabama["not_calling_day"], 1, "{law}");
}

#[test]
fn an_account_the_contact_cap_holds_is_worded_as_such_though_a_limit_is_reached_too() {
    let config = "[caps]\nlimits = [{ count = 3, within_hours = 24 }]\n";
    let history = "account_id,at,outcome\nA,2026-11-24 09:05,answered\nA,2026-11-24 10:00,answered\nA,2026-11-24 11:00,no-answer\n";
    let wd = workdir(config, "account_id,phone\nA,(212) 555-0101\n", history);
    build(&wd, DATE).ok();
    let x = wd.read("x.csv");
    assert!(x.contains("A,unassigned,capped,"), "{x}");
    assert!(x.contains("2 contacts in the last 365 days"), "{x}");
    assert!(!x.contains("at most 3 attempts"), "{x}");
}
