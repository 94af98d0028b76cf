//! `callqueue record`: single attempts, batches, the file's shape, and
//! many writers at once.

use std::collections::BTreeMap;
use std::fs;
use std::thread;

use crate::workdir::{Workdir, audit, column, csv_rows, pairs};

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\nhistory = \"history.csv\"\nterritory = \"territory.csv\"\n\
                      [outcomes]\n\"Left VM\" = \"no-answer\"\n";
const TERRITORY: &str = "account_id,phone,rep\nA1,2125550101,alice\nA2,2125550102,alice\n";
const HEADER: &str = "account_id,at,outcome,callback_at,rep,note,disposition,phone\n";

fn fixture() -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", TERRITORY);
    wd
}

#[test]
fn a_new_history_gets_its_header_and_canonical_rows() {
    let wd = fixture();
    let run = wd
        .run(&[
            "record",
            "A1",
            "No Answer",
            "--at",
            "2026-11-24 10:15",
            "--rep",
            "alice",
            "--note",
            "rang out, twice",
        ])
        .ok();
    assert_eq!(
        run.stderr,
        "callqueue: recorded A1 no-answer at 2026-11-24T10:15:00-05:00 in history.csv (new file)\n"
    );
    assert_eq!(
        wd.read("history.csv"),
        // The number called is the account's, from the territory.
        format!(
            "{HEADER}A1,2026-11-24T10:15:00-05:00,no-answer,,alice,\"rang out, twice\",,+12125550101\n"
        )
    );
}

#[test]
fn aliases_and_config_words_are_written_in_canonical_names() {
    let wd = fixture();
    for (word, at) in [
        ("connected", "2026-11-01"),
        ("left vm", "2026-11-02"),
        ("DNC", "2026-11-03"),
        ("voicemail", "2026-11-04T12:00:00Z"),
    ] {
        wd.run(&["record", "A1", word, "--at", at]).ok();
    }
    assert_eq!(
        column(&wd.read("history.csv"), "outcome"),
        vec!["answered", "no-answer", "opt-out", "no-answer"]
    );
    assert_eq!(
        column(&wd.read("history.csv"), "at"),
        vec![
            "2026-11-01T00:00:00-04:00",
            "2026-11-02T00:00:00-05:00",
            "2026-11-03T00:00:00-05:00",
            "2026-11-04T07:00:00-05:00"
        ]
    );
}

#[test]
fn at_defaults_to_now_in_the_office_zone() {
    let wd = fixture();
    wd.run(&["record", "A1", "answered"]).ok();
    let at = &column(&wd.read("history.csv"), "at")[0];
    let written = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    let age = chrono::Utc::now().signed_duration_since(written);
    assert!(age.num_seconds().abs() < 60, "{at}");
    assert!(at.ends_with("-05:00") || at.ends_with("-04:00"), "{at}");
}

#[test]
fn callbacks_need_a_callback_time_and_only_callbacks_take_one() {
    let wd = fixture();
    let run = wd.run(&["record", "A1", "callback"]).expect(1);
    assert!(
        run.stderr.contains("a callback needs --callback-at"),
        "{}",
        run.stderr
    );
    let run = wd
        .run(&["record", "A1", "answered", "--callback-at", "2026-11-26"])
        .expect(1);
    assert!(
        run.stderr
            .contains("--callback-at goes with the callback outcome"),
        "{}",
        run.stderr
    );
    assert!(!wd.exists("history.csv"));
    wd.run(&[
        "record",
        "A1",
        "callback",
        "--at",
        "2026-11-24 09:00",
        "--callback-at",
        "2026-11-26 10:00",
    ])
    .ok();
    assert_eq!(
        column(&wd.read("history.csv"), "callback_at"),
        vec!["2026-11-26T10:00:00-05:00"]
    );
}

#[test]
fn mistakes_are_refused_and_nothing_written() {
    let wd = fixture();
    wd.write(
        "history.csv",
        format!("{HEADER}A1,2026-11-01,answered,,,\n"),
    );
    let before = wd.read("history.csv");
    let run = wd.run(&["record", "A1", "maybe"]).expect(1);
    assert!(
        run.stderr
            .contains("outcome \"maybe\" is not known; use one of: answered, connected"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\"Left VM\""), "{}", run.stderr);
    let run = wd
        .run(&["record", "A1", "busy", "--at", "yesterday"])
        .expect(2);
    assert!(
        run.stderr
            .contains("--at \"yesterday\" is not a time callqueue reads"),
        "{}",
        run.stderr
    );
    let run = wd
        .run(&["record", "A1", "busy", "--at", "2026-02-30"])
        .expect(2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    wd.run(&["record", " ", "busy"]).expect(1);
    assert_eq!(wd.read("history.csv"), before);
}

#[test]
fn a_file_that_is_not_a_history_is_left_alone() {
    let wd = fixture();
    wd.write("history.csv", "name,phone\nAcme,1\n");
    let run = wd.run(&["record", "A1", "busy"]).expect(1);
    assert!(
        run.stderr
            .contains("history.csv: is not a call history; nothing appended: history.csv: has no account_id column"),
        "{}",
        run.stderr
    );
    assert_eq!(wd.read("history.csv"), "name,phone\nAcme,1\n");
}

#[test]
fn a_missing_final_newline_does_not_glue_rows() {
    let wd = fixture();
    wd.write(
        "history.csv",
        "account_id,at,outcome\nA1,2026-11-01,answered",
    );
    wd.run(&["record", "A2", "busy", "--at", "2026-11-02"]).ok();
    assert_eq!(
        wd.read("history.csv"),
        "account_id,at,outcome\nA1,2026-11-01,answered\nA2,2026-11-02T00:00:00-05:00,no-answer\n"
    );
}

#[test]
fn rows_follow_the_files_own_header_line_ends_and_delimiter() {
    let wd = fixture();
    wd.write(
        "history.csv",
        "Note;Outcome;Account ID;At\r\nhello;answered;A1;2026-11-01\r\n",
    );
    wd.run(&[
        "record",
        "A2",
        "busy",
        "--at",
        "2026-11-02",
        "--note",
        "x;y",
        "-d",
        ";",
    ])
    .ok();
    assert_eq!(
        wd.read("history.csv"),
        "Note;Outcome;Account ID;At\r\nhello;answered;A1;2026-11-01\r\n\"x;y\";no-answer;A2;2026-11-02T00:00:00-05:00\r\n"
    );
    let run = wd
        .run(&[
            "record",
            "A2",
            "callback",
            "--callback-at",
            "2026-11-30",
            "-d",
            ";",
        ])
        .expect(1);
    assert!(
        run.stderr.contains("has no callback_at column"),
        "{}",
        run.stderr
    );
}

#[test]
fn earlier_rows_are_never_rewritten() {
    let wd = fixture();
    // Odd but valid earlier rows: local times, aliases, quoting.
    let old = format!(
        "{HEADER}A1,2026-11-01 09:00,Busy,,alice,\"a \"\"quoted\"\" note\"\nA2,2026-11-02,Connected,,,\n"
    );
    wd.write("history.csv", &old);
    wd.run(&["record", "A1", "answered", "--at", "2026-11-24"])
        .ok();
    let now = wd.read("history.csv");
    assert!(now.starts_with(&old));
    assert_eq!(now.lines().count(), 4);
}

#[test]
fn an_unknown_account_is_recorded_with_a_warning() {
    let wd = fixture();
    let run = wd
        .run(&["record", "A-1O1", "opt-out", "--at", "2026-11-24"])
        .ok();
    assert!(
        run.stderr.contains(
            "warning: 1 account(s) not in territory.csv (\"A-1O1\"); recorded anyway, check the id"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(column(&wd.read("history.csv"), "account_id"), vec!["A-1O1"]);
    let run = wd
        .run(&["record", "A1", "answered", "--at", "2026-11-24", "-q"])
        .ok();
    assert_eq!(run.stderr, "");
}

#[test]
fn a_batch_is_appended_whole() {
    let wd = fixture();
    wd.write(
        "dialer.csv",
        "Account ID,At,Outcome,Callback At,Agent\n\
         A1,2026-11-24 09:00,Left VM,,x\n\
         A2,2026-11-24T09:05:00-05:00,callback,2026-11-27 11:00,x\n",
    );
    let run = wd.run(&["record", "--from", "dialer.csv"]).ok();
    assert_eq!(
        run.stderr,
        "callqueue: recorded 2 attempt(s) in history.csv (new file)\n"
    );
    assert_eq!(
        wd.read("history.csv"),
        format!(
            "{HEADER}A1,2026-11-24T09:00:00-05:00,no-answer,,,,Left VM,+12125550101\n\
             A2,2026-11-24T09:05:00-05:00,callback,2026-11-27T11:00:00-05:00,,,,+12125550102\n"
        )
    );
}

#[test]
fn a_batch_with_any_bad_row_appends_nothing_and_lists_every_problem() {
    let wd = fixture();
    wd.write(
        "history.csv",
        format!("{HEADER}A1,2026-11-01,answered,,,\n"),
    );
    let before = fs::read(wd.path("history.csv")).unwrap();
    wd.write(
        "dialer.csv",
        "account_id,at,outcome,callback_at\n\
         A1,2026-11-24 09:00,busy,\n\
         A2,whenever,busy,\n\
         ,2026-11-24,busy,\n\
         A1,2026-11-24,callback,\n\
         A2,2026-11-24,perhaps,\n\
         A2,2026-11-24,busy,,extra\n",
    );
    let run = wd.run(&["record", "--from", "dialer.csv"]).expect(1);
    for line in [
        "callqueue: dialer.csv:3: at \"whenever\" is not a time",
        "callqueue: dialer.csv:4: no account_id",
        "callqueue: dialer.csv:5: callback without callback_at",
        "callqueue: dialer.csv:6: outcome \"perhaps\" is not known",
        "callqueue: dialer.csv:7: row has 5 fields where the header has 4",
        "callqueue: dialer.csv: 5 row(s) cannot be read (listed above); nothing appended",
    ] {
        assert!(run.stderr.contains(line), "{line}\n{}", run.stderr);
    }
    assert_eq!(fs::read(wd.path("history.csv")).unwrap(), before);
}

#[test]
fn a_batch_from_standard_input() {
    let wd = fixture();
    let batch = "account_id,at,outcome\nA1,2026-11-20,answered\nA2,2026-11-21,busy\n";
    wd.run_with_stdin(&["record", "--from", "-"], batch.as_bytes())
        .ok();
    assert_eq!(
        column(&wd.read("history.csv"), "account_id"),
        vec!["A1", "A2"]
    );
    // A header-only batch appends nothing and succeeds.
    wd.run_with_stdin(&["record", "--from", "-"], b"account_id,at,outcome\n")
        .ok();
    assert_eq!(column(&wd.read("history.csv"), "account_id").len(), 2);
}

#[test]
fn history_is_required_and_cannot_be_standard_input() {
    let wd = Workdir::new();
    let run = wd.run(&["record", "A1", "busy"]).expect(2);
    assert!(run.stderr.contains("no history given"), "{}", run.stderr);
    wd.run(&["record", "A1", "busy", "-H", "-"]).expect(2);
    wd.run(&["record", "A1", "busy", "-H", "nowhere/h.csv"])
        .expect(1);
}

#[test]
fn what_record_writes_build_reads() {
    let wd = fixture();
    wd.write(
        "territory.csv",
        "account_id,phone,rep\nA1,2125550101,r\nA2,2125550102,r\nA3,2125550103,r\nA4,2125550104,r\nA5,2125550105,r\n",
    );
    wd.run(&["record", "A1", "busy", "--at", "2026-11-23 16:00"])
        .ok();
    wd.run(&["record", "A2", "opt-out", "--at", "2026-01-05"])
        .ok();
    wd.run(&[
        "record",
        "A3",
        "callback",
        "--at",
        "2026-11-20",
        "--callback-at",
        "2026-11-24 10:00",
    ])
    .ok();
    wd.run(&[
        "record",
        "A4",
        "callback",
        "--at",
        "2026-11-20",
        "--callback-at",
        "2026-11-25 10:00",
    ])
    .ok();
    let run = wd
        .run(&["build", "--date", "2026-11-24", "--excluded", "x.csv"])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A3", "A5"]);
    assert_eq!(column(&run.stdout, "reason"), vec!["callback", "due"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("A1", "too-soon"),
            ("A2", "opted-out"),
            ("A4", "callback-scheduled"),
        ])
    );
    // Calling A3 back, answered, clears the callback.
    wd.run(&["record", "A3", "answered", "--at", "2026-11-24 10:02"])
        .ok();
    let run = wd.run(&["build", "--date", "2026-11-24"]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A5"]);
}

#[test]
fn many_writers_at_once_lose_and_tear_nothing() {
    let wd = fixture();
    const WRITERS: usize = 6;
    const SINGLES: usize = 40;
    const BATCHES: usize = 3;
    const BATCH_ROWS: usize = 40;
    for w in 0..WRITERS {
        for b in 0..BATCHES {
            let mut batch = String::from("account_id,at,outcome,callback_at,rep,note\n");
            for k in 0..BATCH_ROWS {
                batch.push_str(&format!(
                    "w{w}-b{b}-{k},2026-11-24 09:{:02},busy,,w{w},\"batch, {b}\"\n",
                    k % 60
                ));
            }
            wd.write(&format!("batch-{w}-{b}.csv"), batch);
        }
    }
    thread::scope(|s| {
        for w in 0..WRITERS {
            let wd = &wd;
            s.spawn(move || {
                for i in 0..SINGLES {
                    if i % (SINGLES / BATCHES) == 0 && i / (SINGLES / BATCHES) < BATCHES {
                        let b = i / (SINGLES / BATCHES);
                        wd.run(&["record", "-q", "--from", &format!("batch-{w}-{b}.csv")])
                            .ok();
                    }
                    let id = format!("w{w}-s{i}");
                    wd.run(&[
                        "record",
                        "-q",
                        &id,
                        "answered",
                        "--at",
                        "2026-11-24 10:00",
                        "--note",
                        "single\nline two",
                    ])
                    .ok();
                }
            });
        }
    });
    let text = wd.read("history.csv");
    let rows = csv_rows(&text);
    assert_eq!(rows[0], HEADER.trim_end().split(',').collect::<Vec<_>>());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), 8, "torn row {row:?}");
        assert!(
            matches!(row[2].as_str(), "answered" | "no-answer"),
            "{row:?}"
        );
        *seen.entry(row[0].clone()).or_default() += 1;
    }
    assert_eq!(rows.len() - 1, WRITERS * (SINGLES + BATCHES * BATCH_ROWS));
    assert!(seen.values().all(|&n| n == 1), "a row twice");
    for w in 0..WRITERS {
        for i in 0..SINGLES {
            assert!(seen.contains_key(&format!("w{w}-s{i}")));
        }
        for b in 0..BATCHES {
            for k in 0..BATCH_ROWS {
                assert!(seen.contains_key(&format!("w{w}-b{b}-{k}")));
            }
        }
    }
    // A batch's rows stay together, in their order.
    let ids: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let start = ids.iter().position(|id| *id == "w0-b0-0").unwrap();
    for k in 0..BATCH_ROWS {
        assert_eq!(ids[start + k], format!("w0-b0-{k}"));
    }
}

#[test]
fn a_near_miss_id_gets_the_same_did_you_mean_as_explain() {
    let wd = fixture();
    let run = wd
        .run(&["record", "a 1", "no-answer", "--at", "2026-11-24"])
        .ok();
    assert!(
        run.stderr
            .contains("not in territory.csv (\"a 1\": did you mean A1?); recorded anyway"),
        "{}",
        run.stderr
    );
    let explain = wd.run(&["explain", "a 1", "--date", "2026-11-24"]);
    assert!(
        explain.stdout.contains("did you mean A1?"),
        "{}",
        explain.stdout
    );
}

#[test]
fn a_time_that_cannot_be_read_is_a_usage_mistake() {
    let wd = fixture();
    for args in [
        ["record", "A1", "answered", "--at", "yesterday"],
        ["record", "A1", "callback", "--callback-at", "soon"],
    ] {
        let run = wd.run(&args).expect(2);
        assert!(run.stderr.starts_with("callqueue: --"), "{}", run.stderr);
    }
    assert!(!wd.exists("history.csv"));
}

/// A history whose header is longer than any buffer (a 70,000-character
/// cell, found by fuzzing) is still followed cell for cell: the row was
/// written against the part of the header read, with too few cells, and
/// the history then held an unreadable row.
#[test]
fn a_very_long_header_is_read_whole_before_a_row_is_written() {
    let long = "x".repeat(70_000);
    // CRLF lines, and LF lines with a quoted line break inside a header
    // cell.
    for (cell, end) in [
        (long.clone(), "\r\n"),
        (format!("\"{long}\n{long}\""), "\n"),
    ] {
        let wd = fixture();
        wd.write(
            "history.csv",
            format!(
                "account_id,at,outcome,{cell},note{end}A1,2026-11-20 09:00,no-answer,,first{end}"
            ),
        );
        wd.run(&[
            "record",
            "A2",
            "answered",
            "--at",
            "2026-11-20 10:00",
            "--note",
            "second call",
        ])
        .ok();
        let history = wd.read("history.csv");
        assert!(
            history.ends_with(&format!(
                "{end}A2,2026-11-20T10:00:00-05:00,answered,,second call{end}"
            )),
            "{}",
            &history[history.len() - 120..]
        );
        wd.run(&["check", "--date", "2026-11-24"]).ok();
    }
}

/// An id made only of control characters is no id: the history would
/// hold a row with a blank id. Found by fuzzing.
#[test]
fn an_id_of_control_characters_only_is_refused() {
    let wd = fixture();
    wd.write("history.csv", HEADER);
    for id in ["\u{7f}", "\u{1c}", " \u{b} "] {
        let run = wd.run(&["record", id, "opt-out"]).expect(1);
        assert!(
            run.stderr.contains("the account id is empty"),
            "{}",
            run.stderr
        );
    }
    wd.write(
        "batch.csv",
        "account_id,at,outcome\n\u{1b},2026-11-20 10:00,answered\nA1,2026-11-20 11:00,answered\n",
    );
    let batch = wd.run(&["record", "--from", "batch.csv"]).expect(1);
    assert!(
        batch.stderr.contains("batch.csv:2: no account_id"),
        "{}",
        batch.stderr
    );
    assert_eq!(wd.read("history.csv"), HEADER);
}

/// A batch whose ids carry control characters, loaded again, adds
/// nothing: its calls are known by the ids the history holds. Found by
/// fuzzing: each rerun appended those rows again.
#[test]
fn a_batch_with_control_characters_in_its_ids_loads_once() {
    let wd = fixture();
    wd.write(
        "batch.csv",
        "account_id,at,outcome\nA1,2026-11-20 10:00,answered\nA2\u{b},2026-11-20 11:00,no-answer\nA2\u{85},2026-11-21 11:00,no-answer\n",
    );
    let first = wd.run(&["record", "--from", "batch.csv"]).ok();
    assert!(first.stderr.contains("recorded 3 "), "{}", first.stderr);
    let once = wd.read("history.csv");
    for _ in 0..2 {
        let again = wd.run(&["record", "--from", "batch.csv"]).ok();
        assert!(again.stderr.contains("skipped 3"), "{}", again.stderr);
        assert_eq!(wd.read("history.csv"), once);
    }
    // The ids are written as the territory's, and read back as them.
    assert!(
        once.contains("\nA2,2026-11-20T11:00:00-05:00,no-answer"),
        "{once}"
    );
    wd.run(&["check", "--date", "2026-11-24"]).ok();
}
