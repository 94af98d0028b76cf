//! A manager's first morning: a CRM's export and a dialer's call log, as
//! the systems write them (`tests/fixtures/`), read with only the config
//! lines the README's "Getting started" shows.
//!
//! - `salesforce-vicidial/`: a Salesforce accounts report (its header
//!   names, a BOM, CRLF line ends, a row repeated by a joined report, an
//!   extension) and a VICIdial call log with its status codes.
//! - `hubspot/`: a HubSpot companies export and a HubSpot calls export
//!   with its call outcomes and US-style times.

use std::path::Path;

use crate::workdir::Workdir;

/// The fixture folder copied into a fresh working directory.
fn system(name: &str) -> Workdir {
    let wd = Workdir::new();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        wd.write(&file, std::fs::read(&path).unwrap());
    }
    wd
}

#[test]
fn a_salesforce_report_and_a_vicidial_log_need_no_script() {
    let wd = system("salesforce-vicidial");
    let first = wd.run(&["record", "--from", "vicidial-log.csv"]).ok();
    assert_eq!(
        first.stderr,
        "callqueue: recorded 7 attempt(s) in history.csv (new file)\n"
    );
    // The same log again: every row is a call the history holds.
    let before = wd.read("history.csv");
    let second = wd.run(&["record", "--from", "vicidial-log.csv"]).ok();
    assert!(
        second.stderr.contains("recorded 0 attempt(s)")
            && second
                .stderr
                .contains("skipped 7 row(s) whose call is there already"),
        "{}",
        second.stderr
    );
    assert_eq!(wd.read("history.csv"), before);
    // VICIdial's codes are read, kept beside the outcome they mean, and
    // the number called comes from the territory.
    let history = wd.read("history.csv");
    for row in [
        "0015g00000XyZabAAB,2026-11-02T09:14:05-05:00,no-answer,,priya,,NA,+16195550122",
        "0015g00000XyZacAAB,2026-11-02T09:31:40-05:00,answered,,priya,,SALE,+18505550147",
        "0015g00000XyZahAAB,2026-11-17T09:40:00-05:00,wrong-number,,priya,,DC,+14165550163",
    ] {
        assert!(history.contains(row), "{row}\n{history}");
    }
    let check = wd.run(&["check", "--date", "2026-12-01"]).ok();
    assert!(
        check.stdout.ends_with("0 errors, 0 warnings, 3 notes\n"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("1 row(s) repeat an earlier row in every cell")
    );
    let build = wd
        .run(&[
            "build",
            "--date",
            "2026-12-01",
            "--format",
            "csv",
            "--excluded",
            "excluded.csv",
        ])
        .ok();
    assert_eq!(
        build.stdout,
        "rep,rank,account_id,name,phone,timezone,call_from,call_until,reason,last_contact,unanswered,callback_at,region,zone_from,best_time\n\
         Marcus Bell,1,0015g00000XyZadAAB,Lone Star Dental Group,+12145550190,America/Chicago,10:00,18:00,due,,2,,US-TX,postal_code,\n\
         Priya Raman,1,0015g00000XyZabAAB,Harbor Street Bakery,+16195550122;ext=4,America/Los_Angeles,12:00,20:00,due,,2,,US-CA,postal_code,\n"
    );
    let excluded = wd.read("excluded.csv");
    for line in [
        "0015g00000XyZaeAAB,Marcus Bell,opted-out,",
        "0015g00000XyZafAAB,Priya Raman,not-existing,",
        // The repeated row is one account; the dialer's DC holds it.
        "0015g00000XyZahAAB,Priya Raman,bad-data,,\"history.csv:8: wrong-number recorded",
    ] {
        assert!(excluded.contains(line), "{line}\n{excluded}");
    }
}

#[test]
fn a_hubspot_export_and_its_calls_with_us_times() {
    let wd = system("hubspot");
    wd.run(&["record", "--from", "calls.csv"]).ok();
    let second = wd.run(&["record", "--from", "calls.csv"]).ok();
    assert!(
        second.stderr.contains("skipped 7 row(s)"),
        "{}",
        second.stderr
    );
    let history = wd.read("history.csv");
    for row in [
        // 11/02/2026 9:14 AM, office time (Chicago).
        "9001234501,2026-11-02T09:14:00-06:00,answered,,Dana Whitfield,Reordered beans,Connected,+12065550138",
        "9001234502,2026-11-10T10:05:00-06:00,answered,,Dana Whitfield,Office manager says try next week,Gatekeeper,+13145550184",
        "9001234503,2026-11-12T11:45:00-06:00,answered,,Luis Ortega,Menu tasting on the 20th,Meeting booked,+15045550129",
        // A word that is the outcome in another spelling is no disposition.
        "9001234507,2026-11-20T15:15:00-06:00,no-answer,,Luis Ortega,,,+17025550116",
    ] {
        assert!(history.contains(row), "{row}\n{history}");
    }
    let check = wd.run(&["check", "--date", "2026-12-01"]).ok();
    assert!(
        check.stdout.ends_with("0 errors, 0 warnings, 2 notes\n"),
        "{}",
        check.stdout
    );
    let build = wd
        .run(&["build", "--date", "2026-12-01", "--format", "csv"])
        .ok();
    assert_eq!(
        build.stdout,
        "rep,rank,account_id,name,phone,timezone,call_from,call_until,reason,last_contact,unanswered,callback_at,region,zone_from,best_time\n\
         Dana Whitfield,1,9001234506,Prairie Seed & Feed,+19135550155,America/Chicago,09:00,17:00,due,,0,,US-KS,postal_code,\n\
         Luis Ortega,1,9001234507,Desert Bloom Florist,+17025550116;ext=21,America/Los_Angeles,11:00,19:00,due,,1,,US-NV,postal_code,\n"
    );
    // Without the at_formats line, the same times are refused, each named.
    let config = wd
        .read("callqueue.toml")
        .replace("at_formats", "# at_formats");
    wd.write("callqueue.toml", config);
    std::fs::remove_file(wd.path("history.csv")).unwrap();
    let refused = wd.run(&["record", "--from", "calls.csv"]).expect(1);
    assert!(
        refused
            .stderr
            .contains("calls.csv:2: at \"11/02/2026 9:14 AM\""),
        "{}",
        refused.stderr
    );
}
