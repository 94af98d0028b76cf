//! `callqueue build`: every flag, the outputs and the exit codes.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::process::Stdio;

use crate::workdir::{Workdir, column, csv_rows};

const CONFIG: &str = r#"
timezone = "America/New_York"
default_country = "US"
territory = "territory.csv"
history = "history.csv"
"#;

const TERRITORY: &str = "\
account_id,name,phone,rep,status,opt_out,timezone,priority
A1,Acme,(212) 555-0101,alice,active,no,America/New_York,1
A2,Birch,(212) 555-0102,Alice,active,no,America/Chicago,5
B1,Cobalt,(212) 555-0103,bob,active,no,,2
B2,Delta,(212) 555-0104,bob,active,yes,,9
B3,Echo,(212) 555-0105,bob,prospect,no,,9
";

const HISTORY: &str = "\
account_id,at,outcome,callback_at,rep,note
A1,2026-11-20 10:00,no-answer,,alice,
";

/// A Tuesday.
const DATE: &str = "2026-11-24";

fn fixture() -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", TERRITORY)
        .write("history.csv", HISTORY);
    wd
}

fn build(wd: &Workdir, extra: &[&str]) -> crate::workdir::Run {
    let mut args = vec!["build", "--date", DATE];
    args.extend_from_slice(extra);
    wd.run(&args)
}

#[test]
fn piped_output_is_csv_with_the_spec_columns() {
    let wd = fixture();
    let run = build(&wd, &[]).ok();
    assert_eq!(
        run.stdout,
        "rep,rank,account_id,name,phone,timezone,call_from,call_until,reason,last_contact,unanswered,callback_at,region,zone_from,best_time\n\
         alice,1,A2,Birch,+12125550102,America/Chicago;America/New_York,10:00,17:00,due,,0,,US-NY,timezone+phone,\n\
         bob,1,B1,Cobalt,+12125550103,America/New_York,09:00,17:00,due,,0,,US-NY,phone,\n"
    );
}

#[test]
fn summary_line_counts_queued_and_excluded_per_reason() {
    let wd = fixture();
    let run = build(&wd, &[]).ok();
    assert_eq!(
        run.stderr,
        "callqueue: 2026-11-24: 2 queued (0 callback, 2 due); 3 excluded (1 not-existing, 1 opted-out, 1 too-soon); no rows ignored\n"
    );
}

#[test]
fn quiet_prints_nothing_on_stderr() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        format!("{TERRITORY},,2125550199,bob,,,,\n"),
    );
    let run = build(&wd, &["--quiet"]).ok();
    assert_eq!(run.stderr, "");
    assert!(run.stdout.contains("A2"));
}

#[test]
fn rep_filter_ignores_case_and_spaces() {
    let wd = fixture();
    let run = build(&wd, &["--rep", " ALICE "]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2"]);
    assert!(run.stderr.contains("1 queued"), "{}", run.stderr);
    assert!(
        run.stderr.contains("1 excluded (1 too-soon)"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_rep_is_a_usage_error_listing_the_reps() {
    let wd = fixture();
    let run = build(&wd, &["--rep", "carol"]).expect(2);
    assert!(
        run.stderr
            .contains("no rep named \"carol\" in territory.csv (its reps: alice, bob)"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn limit_keeps_the_first_n_and_audits_the_rest() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep,priority\nx1,2125550101,r,1\nx2,2125550102,r,3\nx3,2125550103,r,2\nx4,2125550104,r,0\n",
    );
    let run = build(&wd, &["--limit", "2", "--excluded", "excluded.csv"]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["x2", "x3"]);
    assert_eq!(column(&run.stdout, "rank"), vec!["1", "2"]);
    let audit = wd.read("excluded.csv");
    assert_eq!(column(&audit, "account_id"), vec!["x1", "x4"]);
    assert_eq!(column(&audit, "reason"), vec!["over-limit", "over-limit"]);
    assert_eq!(
        column(&audit, "eligible_on"),
        vec!["2026-11-25", "2026-11-25"]
    );
    assert_eq!(
        column(&audit, "detail"),
        vec![
            "rank 3 in the rep's queue; the limit is 2",
            "rank 4 in the rep's queue; the limit is 2"
        ]
    );
    assert!(run.stderr.contains("2 over-limit"), "{}", run.stderr);
}

#[test]
fn per_rep_from_the_config_and_limit_overrides_it() {
    let wd = fixture();
    wd.write(
        "callqueue.toml",
        format!("{CONFIG}\n[queue]\nper_rep = 1\n"),
    );
    wd.write(
        "territory.csv",
        "account_id,phone,rep,priority\nx1,2125550101,r,1\nx2,2125550102,r,3\nx3,2125550103,r,2\n",
    );
    let run = build(&wd, &[]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["x2"]);
    let run = build(&wd, &["--limit", "3"]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["x2", "x3", "x1"]);
}

#[test]
fn limit_must_be_positive() {
    let wd = fixture();
    let run = build(&wd, &["--limit", "0"]).expect(2);
    assert!(run.stderr.contains("--limit"), "{}", run.stderr);
    build(&wd, &["--limit", "-3"]).expect(2);
}

#[test]
fn output_file_is_written_and_replaced() {
    let wd = fixture();
    wd.write("queue.csv", "stale\n");
    let run = build(&wd, &["-o", "queue.csv"]).ok();
    assert_eq!(run.stdout, "");
    let queue = wd.read("queue.csv");
    assert_eq!(column(&queue, "account_id"), vec!["A2", "B1"]);
    let leftovers: Vec<_> = fs::read_dir(wd.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_run_leaves_the_old_queue_file_untouched() {
    let wd = fixture();
    wd.write("queue.csv", "yesterday\n");
    wd.write("excluded.csv", "yesterday's audit\n");
    wd.write("history.csv", "account_id,at\nA1,2026-11-20\n");
    let run = build(&wd, &["-o", "queue.csv", "--excluded", "excluded.csv"]).expect(1);
    assert!(
        run.stderr.contains("history.csv: has no outcome column"),
        "{}",
        run.stderr
    );
    assert_eq!(wd.read("queue.csv"), "yesterday\n");
    assert_eq!(wd.read("excluded.csv"), "yesterday's audit\n");
}

#[test]
fn output_into_a_missing_folder_fails_cleanly() {
    let wd = fixture();
    let run = build(&wd, &["-o", "nowhere/queue.csv"]).expect(1);
    assert!(
        run.stderr
            .starts_with("callqueue: nowhere/queue.csv: cannot create a file in nowhere"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_audit_that_cannot_be_written_fails_the_run_but_leaves_the_queue_whole() {
    // The queue and the audit are written side by side: the one that fails
    // is named, neither replaces what was there, and no summary claims
    // success.
    let wd = fixture();
    let run = build(
        &wd,
        &[
            "-o",
            "queue.csv",
            "--excluded",
            "nowhere/excluded.csv",
            "--summary",
            "summary.json",
        ],
    )
    .expect(1);
    assert!(
        run.stderr
            .contains("nowhere/excluded.csv: cannot create a file in nowhere"),
        "{}",
        run.stderr
    );
    // Every output of the run is replaced, or none is.
    assert!(!wd.exists("queue.csv"));
    assert!(!wd.exists("summary.json"));
    // And the other way round: a queue that cannot be written.
    let run = build(
        &wd,
        &["-o", "nowhere/queue.csv", "--excluded", "excluded.csv"],
    )
    .expect(1);
    assert!(
        run.stderr
            .contains("nowhere/queue.csv: cannot create a file in nowhere"),
        "{}",
        run.stderr
    );
    assert!(!wd.exists("excluded.csv"));
}

#[test]
fn out_dir_writes_one_file_per_rep_even_empty_ones() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        format!("{TERRITORY}C1,Foxtrot,(212) 555-0106,Carol,prospect,no,,1\n"),
    );
    build(&wd, &["--out-dir", "queues"]).ok();
    let mut files: Vec<String> = fs::read_dir(wd.path("queues"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, vec!["Carol.csv", "alice.csv", "bob.csv"]);
    assert_eq!(
        column(&wd.read("queues/alice.csv"), "account_id"),
        vec!["A2"]
    );
    assert_eq!(column(&wd.read("queues/bob.csv"), "account_id"), vec!["B1"]);
    // Carol has nothing to call today: her file says so, rather than
    // keeping yesterday's queue.
    assert_eq!(csv_rows(&wd.read("queues/Carol.csv")).len(), 1);
}

#[test]
fn out_dir_file_names_are_safe_and_distinct() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep\n\
         a,2125550101,../../escape\n\
         b,2125550102,.hidden\n\
         c,2125550103,a/b\n\
         d,2125550104,a_b\n\
         e,2125550105,Mary Jo\n",
    );
    build(&wd, &["--out-dir", "q"]).ok();
    let mut files: Vec<String> = fs::read_dir(wd.path("q"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        vec![
            "Mary_Jo.csv",
            "____escape.csv",
            "_hidden.csv",
            "a_b-2.csv",
            "a_b.csv"
        ]
    );
    assert!(!wd.exists("escape.csv") && !wd.path("../escape.csv").exists());
    // Each rep's file holds that rep's account.
    assert_eq!(column(&wd.read("q/a_b.csv"), "account_id"), vec!["c"]);
    assert_eq!(column(&wd.read("q/a_b-2.csv"), "account_id"), vec!["d"]);
}

#[test]
fn out_dir_and_output_file_cannot_be_combined() {
    let wd = fixture();
    build(&wd, &["--out-dir", "q", "-o", "x.csv"]).expect(2);
}

#[test]
fn json_format_gives_typed_objects() {
    let wd = fixture();
    let run = build(&wd, &["--format", "json"]).ok();
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = value.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["account_id"], "A2");
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[0]["unanswered"], 0);
    assert_eq!(rows[0]["last_contact"], serde_json::Value::Null);
    assert_eq!(rows[0]["call_from"], "10:00");
}

#[test]
fn table_format_groups_by_rep() {
    let wd = fixture();
    let run = build(&wd, &["--format", "table"]).ok();
    let alice = run.stdout.find("alice").unwrap();
    let bob = run.stdout.find("bob").unwrap();
    assert!(alice < bob, "{}", run.stdout);
    assert!(run.stdout.contains("Birch"));
    assert!(!run.stdout.contains(','), "{}", run.stdout);
}

#[test]
fn excluded_audit_explains_every_account_left_out() {
    let wd = fixture();
    build(&wd, &["--excluded", "excluded.csv"]).ok();
    let audit = wd.read("excluded.csv");
    assert_eq!(
        csv_rows(&audit),
        vec![
            vec!["account_id", "rep", "reason", "eligible_on", "detail"],
            vec![
                "A1",
                "alice",
                "too-soon",
                "2026-11-27",
                "the last attempt (2026-11-20) went unanswered; the wait after one is 7 days, until 2026-11-27"
            ],
            vec![
                "B2",
                "bob",
                "opted-out",
                "",
                "territory.csv:5: opt_out is \"yes\""
            ],
            vec![
                "B3",
                "bob",
                "not-existing",
                "",
                "status \"prospect\" is not an existing status (active, customer)"
            ],
        ]
    );
}

#[test]
fn not_a_calling_day_gives_an_empty_queue_and_says_why() {
    let wd = fixture();
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-28",
            "--excluded",
            "excluded.csv",
        ])
        .ok();
    assert_eq!(csv_rows(&run.stdout).len(), 1, "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("callqueue: 2026-11-28 is a Saturday, not a calling day: nothing queued;"),
        "{}",
        run.stderr
    );
    let audit = wd.read("excluded.csv");
    let reasons: Vec<(String, String, String)> = csv_rows(&audit)
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[2].clone(), r[3].clone()))
        .collect();
    assert!(reasons.contains(&("A2".into(), "not-calling-day".into(), "2026-11-30".into())));
    assert!(reasons.contains(&("B1".into(), "not-calling-day".into(), "2026-11-30".into())));
}

#[test]
fn holidays_from_the_config_stop_calls() {
    let wd = fixture();
    wd.write(
        "callqueue.toml",
        format!("{CONFIG}\n[hours]\nholidays = [\"2026-11-24\"]\n"),
    );
    let run = build(&wd, &[]).ok();
    assert_eq!(csv_rows(&run.stdout).len(), 1);
    assert!(
        run.stderr.contains("2026-11-24 is a holiday"),
        "{}",
        run.stderr
    );
}

#[test]
fn strict_fails_on_any_row_problem_and_writes_nothing() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        format!("{TERRITORY}C1,Foxtrot,(212) 555-0106,carol,active,no,,lots\n"),
    );
    let run = build(&wd, &["--strict", "-o", "q.csv", "--excluded", "x.csv"]).expect(1);
    assert!(
        run.stderr
            .contains("territory.csv:7: priority \"lots\" is not a number; read as 0"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--strict: 1 problem(s)"),
        "{}",
        run.stderr
    );
    assert!(!wd.exists("q.csv") && !wd.exists("x.csv"));
    // Without --strict the same inputs run, with the problem reported.
    let run = build(&wd, &["-o", "q.csv"]).ok();
    assert!(
        run.stderr
            .contains("callqueue: warning: territory.csv:7: priority"),
        "{}",
        run.stderr
    );
    assert!(wd.exists("q.csv"));
}

#[test]
fn strict_passes_clean_inputs() {
    let wd = fixture();
    build(&wd, &["--strict"]).ok();
}

#[test]
fn keep_copies_territory_columns_into_the_queue() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep,Region,Segment\nA,2125550101,r,East,SMB\n",
    );
    let run = build(&wd, &["--keep", "region,SEGMENT"]).ok();
    let rows = csv_rows(&run.stdout);
    // A kept column named like one of the queue's own gets `keep_`.
    assert_eq!(&rows[0][15..], ["keep_region", "SEGMENT"]);
    assert_eq!(&rows[1][15..], ["East", "SMB"]);
    let run = build(&wd, &["--keep", "colour"]).expect(1);
    assert!(
        run.stderr
            .contains("territory.csv: has no column \"colour\" to --keep"),
        "{}",
        run.stderr
    );
}

#[test]
fn formula_like_cells_are_escaped_but_not_the_phone() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,name,phone,rep\n=HYPERLINK(\"x\"),@SUM(A1),+1 212 555 0100,-rep\n",
    );
    let run = build(&wd, &[]).ok();
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows[1][0], "'-rep");
    assert_eq!(rows[1][2], "'=HYPERLINK(\"x\")");
    assert_eq!(rows[1][3], "'@SUM(A1)");
    assert_eq!(rows[1][4], "+12125550100");
}

#[test]
fn suppress_flag_adds_to_the_configs_lists() {
    let wd = fixture();
    wd.write(
        "callqueue.toml",
        format!("{CONFIG}suppress = [\"lists/dnc.csv\"]\n"),
    );
    wd.write("lists/dnc.csv", "phone\n212-555-0102\n");
    wd.write("extra.csv", "Account ID\nB1\n");
    let run = build(&wd, &["--suppress", "extra.csv", "--excluded", "x.csv"]).ok();
    assert_eq!(csv_rows(&run.stdout).len(), 1, "{}", run.stdout);
    let audit = wd.read("x.csv");
    let details = column(&audit, "detail");
    assert!(
        details
            .contains(&"lists/dnc.csv:2: phone +12125550102 is on a do-not-call list".to_owned()),
        "{details:?}"
    );
    assert!(
        details.contains(&"extra.csv:2: account_id is on a do-not-call list".to_owned()),
        "{details:?}"
    );
}

#[test]
fn config_paths_are_relative_to_the_config_file() {
    let wd = Workdir::new();
    wd.write("etc/cq.toml", CONFIG)
        .write("etc/territory.csv", TERRITORY)
        .write("etc/history.csv", HISTORY);
    let run = wd
        .run(&["build", "--config", "etc/cq.toml", "--date", DATE])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2", "B1"]);
}

#[test]
fn flags_override_config_paths() {
    let wd = fixture();
    wd.write("other.csv", "account_id,phone,rep\nZ9,2125550101,zed\n");
    let run = build(&wd, &["--territory", "other.csv"]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["Z9"]);
}

#[test]
fn without_config_the_flags_are_enough() {
    let wd = Workdir::new();
    wd.write("t.csv", "account_id,phone\nA,+1 212 555 0101\n")
        .write("h.csv", "account_id,at,outcome\n");
    let run = wd
        .run(&["build", "--date", DATE, "-t", "t.csv", "-H", "h.csv"])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A"]);
    // The customer's zone is the phone's; the office zone is the system's
    // (TZ=UTC here), in which the hours are written.
    assert_eq!(column(&run.stdout, "timezone"), vec!["America/New_York"]);
    assert_eq!(column(&run.stdout, "call_from"), vec!["14:00"]);
}

#[test]
fn missing_inputs_are_usage_errors_that_say_what_to_pass() {
    let wd = Workdir::new();
    wd.write("t.csv", "account_id,phone\nA,2125550101\n");
    let run = wd.run(&["build", "-t", "t.csv"]).expect(2);
    assert!(
        run.stderr.contains(
            "no history given: pass --history FILE, or set history = \"FILE\" in callqueue.toml"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let wd = fixture();
    let run = build(&wd, &["--history", "nope.csv"]).expect(1);
    assert!(
        run.stderr.starts_with("callqueue: nope.csv: cannot open"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_invalid_config_names_the_key_and_line() {
    let wd = fixture();
    wd.write(
        "callqueue.toml",
        format!("{CONFIG}[caps]\nmax_contacts = -1\n"),
    );
    let run = build(&wd, &[]).expect(1);
    assert!(
        run.stderr
            .contains("callqueue.toml:7: [caps] max_contacts must be a whole number from 1"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_dates_and_formats_are_usage_errors() {
    let wd = fixture();
    wd.run(&["build", "--date", "2026-02-30"]).expect(2);
    wd.run(&["build", "--date", "tomorrow"]).expect(2);
    build(&wd, &["--format", "xml"]).expect(2);
    wd.run(&["build", "--nonsense"]).expect(2);
}

#[test]
fn standard_input_feeds_one_input() {
    let wd = fixture();
    let run = wd
        .run_with_stdin(
            &["build", "--date", DATE, "--territory", "-"],
            TERRITORY.as_bytes(),
        )
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2", "B1"]);
    let run = wd
        .run_with_stdin(
            &["build", "--date", DATE, "--history", "-"],
            HISTORY.as_bytes(),
        )
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2", "B1"]);
    let run = build(&wd, &["--territory", "-", "--history", "-"]).expect(2);
    assert!(
        run.stderr
            .contains("standard input (-) can feed only one input"),
        "{}",
        run.stderr
    );
}

#[test]
fn out_of_order_history_from_stdin_gives_the_sorted_answer() {
    let wd = fixture();
    // Five unanswered attempts, then a contact, written newest first: the
    // contact resets the streak, so the account is not paused.
    let rows = "account_id,at,outcome\n\
                B1,2026-08-01,answered\n\
                B1,2026-07-05,busy\nB1,2026-07-04,busy\nB1,2026-07-03,busy\nB1,2026-07-02,busy\nB1,2026-07-01,busy\n";
    let run = wd
        .run_with_stdin(
            &[
                "build",
                "--date",
                DATE,
                "--history",
                "-",
                "--excluded",
                "x.csv",
            ],
            rows.as_bytes(),
        )
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2", "A1", "B1"]);
    let sorted = "account_id,at,outcome\n\
                  B1,2026-07-01,busy\nB1,2026-07-02,busy\nB1,2026-07-03,busy\nB1,2026-07-04,busy\nB1,2026-07-05,busy\n\
                  B1,2026-08-01,answered\n";
    wd.write("sorted.csv", sorted);
    let again = build(&wd, &["--history", "sorted.csv"]).ok();
    assert_eq!(run.stdout, again.stdout);
}

#[test]
fn closed_pipe_is_success() {
    let wd = fixture();
    let mut big = String::from("account_id,phone,rep\n");
    for i in 0..50_000 {
        big.push_str(&format!("acct{i},{},r\n", 2_125_550_000u64 + i));
    }
    wd.write("territory.csv", big);
    let mut child = wd
        .command(&["build", "--date", DATE, "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn calling_hours_follow_daylight_saving_in_both_zones() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep,timezone\nL,8005550101,r,Europe/London\nT,8005550102,r,Asia/Tokyo\nN,8005550103,r,America/New_York\n",
    );
    let hours = |date: &str| -> Vec<(String, String)> {
        let run = wd.run(&["build", "--date", date, "-H", "history.csv"]).ok();
        column(&run.stdout, "call_from")
            .into_iter()
            .zip(column(&run.stdout, "call_until"))
            .collect()
    };
    // Ordered by id: L, N, T.
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    // Before New York springs forward (2026-03-08): London is 5 hours ahead.
    assert_eq!(
        hours("2026-03-06"),
        vec![
            pair("04:00", "12:00"),
            pair("09:00", "17:00"),
            pair("19:00", "03:00")
        ]
    );
    // Between the two changes: 4 hours.
    assert_eq!(
        hours("2026-03-09"),
        vec![
            pair("05:00", "13:00"),
            pair("09:00", "17:00"),
            pair("20:00", "04:00")
        ]
    );
    // After London's change (2026-03-29): 5 hours again.
    assert_eq!(
        hours("2026-03-30"),
        vec![
            pair("04:00", "12:00"),
            pair("09:00", "17:00"),
            pair("20:00", "04:00")
        ]
    );
}

#[test]
fn every_account_is_in_exactly_one_of_queue_and_audit() {
    let wd = Workdir::new();
    let examples = format!("{}/examples", env!("CARGO_MANIFEST_DIR"));
    let ex = |f: &str| fs::read_to_string(format!("{examples}/{f}")).unwrap();
    let config = format!("{examples}/callqueue.toml");
    let run = build(&wd, &["--config", &config, "--excluded", "x.csv"]).ok();
    let queued: Vec<String> = column(&run.stdout, "account_id");
    let audited: Vec<String> = column(&wd.read("x.csv"), "account_id");
    let all: BTreeSet<String> = queued.iter().chain(&audited).cloned().collect();
    assert_eq!(
        all.len(),
        queued.len() + audited.len(),
        "an account is in both"
    );
    let territory_ids: BTreeSet<String> = column(&ex("territory.csv"), "Account Number")
        .into_iter()
        .filter(|id| !id.is_empty())
        .collect();
    assert_eq!(all, territory_ids);
}

#[test]
fn rep_finds_a_rep_by_the_start_of_a_name_or_of_a_word_in_it() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep\nP1,2125550101,Priya Raman\nP2,2125550102,Pat Lee\nD1,2125550103,Dana Whitfield\n",
    );
    let queued = |rep: &str| column(&build(&wd, &["--rep", rep]).ok().stdout, "account_id");
    assert_eq!(queued("priya"), vec!["P1"]);
    assert_eq!(queued("RAMAN"), vec!["P1"]);
    assert_eq!(queued("whit"), vec!["D1"]);
    assert_eq!(queued("pat lee"), vec!["P2"]);
    // Ambiguous: both P names; a usage error listing them.
    let run = build(&wd, &["--rep", "p"]).expect(2);
    assert!(
        run.stderr
            .contains("--rep \"p\" could be any of Pat Lee, Priya Raman"),
        "{}",
        run.stderr
    );
    build(&wd, &["--rep", "zed"]).expect(2);
}

#[test]
fn a_rep_run_lists_that_reps_problems_and_counts_the_others() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep,priority\n\
         P1,2125550101,Priya Raman,high\n\
         P2,12,Priya Raman,1\n\
         D1,2125550103,Dana Whitfield,soon\n\
         D2,34,Dana Whitfield,1\n\
         ,2125550105,Dana Whitfield,1\n",
    )
    .write(
        "history.csv",
        "account_id,at,outcome,callback_at,rep,note\n\
         P1,2026-11-20 10:00,shouted,,priya,\n\
         D1,2026-11-20 10:00,mumbled,,dana,\n",
    );
    // Every problem, without --rep: two per rep, and the row without an id.
    let all = build(&wd, &[]).ok();
    for line in [2, 3, 4, 5, 6] {
        assert!(
            all.stderr.contains(&format!("territory.csv:{line}:")),
            "{}",
            all.stderr
        );
    }
    assert!(all.stderr.contains("history.csv:2:"), "{}", all.stderr);
    assert!(all.stderr.contains("history.csv:3:"), "{}", all.stderr);
    assert!(!all.stderr.contains("not shown"), "{}", all.stderr);

    let priya = build(&wd, &["--rep", "priya"]).ok();
    let err = &priya.stderr;
    // Priya's rows (a priority, a phone, an outcome) and the row that
    // belongs to no account, which may be anyone's.
    for shown in [
        "territory.csv:2:",
        "territory.csv:3:",
        "territory.csv:6:",
        "history.csv:2:",
    ] {
        assert!(err.contains(shown), "{shown} missing:\n{err}");
    }
    for hidden in ["territory.csv:4:", "territory.csv:5:", "history.csv:3:"] {
        assert!(!err.contains(hidden), "{hidden} shown:\n{err}");
    }
    assert!(
        err.contains(
            "3 problem(s) in other reps' accounts not shown; `callqueue check` lists them all"
        ),
        "{err}"
    );
}
