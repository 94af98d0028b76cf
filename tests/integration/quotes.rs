//! Quoted fields left open or run across lines in the history, a batch or
//! a do-not-call list: the rows they swallow may hold an opt-out, so no
//! command reads past them as if nothing happened.

use crate::workdir::{Workdir, column};

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"territory.csv\"\nhistory = \"history.csv\"\n";
const TERRITORY: &str =
    "account_id,phone,rep\nA1,2125550101,alice\nA2,2125550102,alice\nA3,2125550103,alice\n";
const HEADER: &str = "account_id,at,outcome,callback_at,rep,note\n";
const DATE: &str = "2026-11-24";

fn fixture(history: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", TERRITORY)
        .write("history.csv", history);
    wd
}

/// A hand edit that left a note's quote open on the last row (line 3).
fn open_at_the_end() -> String {
    format!(
        "{HEADER}A3,2026-06-01,answered,,,fine\nA2,2026-06-02,answered,,,\"said \"\"call later\n"
    )
}

#[test]
fn record_never_appends_to_a_history_that_ends_inside_a_quote() {
    // Regression: the opt-out was appended inside the open note, "recorded",
    // and then never read.
    let wd = fixture(&open_at_the_end());
    let run = wd
        .run(&["record", "A1", "opt-out", "--at", "2026-11-20 10:00"])
        .expect(1);
    assert!(run.stderr.contains("history.csv:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("never closed"), "{}", run.stderr);
    assert_eq!(wd.read("history.csv"), open_at_the_end(), "appended anyway");
}

#[test]
fn check_and_build_name_the_line_where_an_open_quote_starts() {
    let wd = fixture(&format!(
        "{}A1,2026-11-20T10:00:00-05:00,opt-out,,,\n",
        open_at_the_end()
    ));
    let check = wd.run(&["check", "--date", DATE]).expect(1);
    assert!(
        check.stdout.contains(
            "history.csv:3: error: a quoted field opens on this line and is never closed"
        ),
        "{}",
        check.stdout
    );
    let build = wd
        .run(&["build", "--date", DATE, "-o", "queue.csv"])
        .expect(1);
    assert!(build.stderr.contains("history.csv:3:"), "{}", build.stderr);
    assert!(!wd.exists("queue.csv"), "a queue was written");
}

#[test]
fn a_note_run_across_lines_hides_no_opt_out_from_build() {
    // The note closes, but only after swallowing an opt-out row for A1.
    let history = format!(
        "{HEADER}A3,2026-06-01,answered,,,\"a note\nA1,2026-11-20,opt-out,,,\nthat ends here\"\n"
    );
    let wd = fixture(&history);
    let build = wd.run(&["build", "--date", DATE]);
    assert_eq!(build.code, 1, "{}\n{}", build.stdout, build.stderr);
    assert!(
        !column(&build.stdout, "account_id").contains(&"A1".to_owned()) || build.stdout.is_empty()
    );
    assert!(build.stderr.contains("history.csv:2:"), "{}", build.stderr);
    assert!(
        build.stderr.contains("runs across 2 line break(s)"),
        "{}",
        build.stderr
    );
    let explain = wd.run(&["explain", "A1", "--date", DATE]).expect(1);
    assert!(
        explain.stderr.contains("history.csv:2:"),
        "{}",
        explain.stderr
    );
    let check = wd.run(&["check", "--date", DATE]).expect(1);
    assert!(
        check.stdout.contains("history.csv:2: error:"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_batch_with_an_open_quote_appends_nothing() {
    let wd = fixture(HEADER);
    wd.write(
        "dialer.csv",
        format!("{HEADER}A2,2026-11-20 09:00,no-answer,,,\"rang\nA1,2026-11-20 09:05,opt-out,,,\n"),
    );
    let run = wd.run(&["record", "--from", "dialer.csv"]).expect(1);
    assert!(run.stderr.contains("dialer.csv:2:"), "{}", run.stderr);
    assert_eq!(wd.read("history.csv"), HEADER);
}

#[test]
fn a_do_not_call_list_with_an_open_quote_is_not_read_past() {
    // Regression: "(212) 555-0101 merged the next numbers into one junk number.
    let wd = fixture(HEADER);
    wd.write(
        "dnc.csv",
        "phone\n\"(212) 555-0101\n2125550102\n2125550103\n",
    );
    let config = format!("{CONFIG}suppress = [\"dnc.csv\"]\n");
    wd.write("callqueue.toml", config);
    let build = wd.run(&["build", "--date", DATE]);
    assert_eq!(build.code, 1, "{}\n{}", build.stdout, build.stderr);
    assert!(build.stderr.contains("dnc.csv:2:"), "{}", build.stderr);
    let check = wd.run(&["check", "--date", DATE]).expect(1);
    assert!(
        check.stdout.contains("dnc.csv:2: error:"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_note_with_line_breaks_is_recorded_on_one_line() {
    let wd = fixture(HEADER);
    wd.run(&[
        "record",
        "A1",
        "no-answer",
        "--at",
        "2026-11-20 10:00",
        "--note",
        "first line\nsecond line\r\nthird",
        "--rep",
        "al\nice",
    ])
    .ok();
    let text = wd.read("history.csv");
    assert_eq!(text.lines().count(), 2, "{text:?}");
    assert!(text.contains("first line second line third"), "{text:?}");
    wd.run(&["check", "--date", DATE]).ok();
}

#[test]
fn territory_rows_may_still_hold_line_breaks_but_not_an_open_quote() {
    let wd = fixture(HEADER);
    let across = "account_id,phone,rep,name\nA1,2125550101,alice,\"Acme\nHardware\"\nA2,2125550102,alice,Birch\n";
    wd.write("territory.csv", across);
    let build = wd.run(&["build", "--date", DATE]).ok();
    assert_eq!(column(&build.stdout, "account_id"), ["A1", "A2"]);
    // A3's opt-out row is swallowed by A2's open quote.
    wd.write(
        "territory.csv",
        format!("{across}A3,2125550103,alice,\"Cobalt\nA3,2125550103,alice,x,yes\n"),
    );
    let build = wd.run(&["build", "--date", DATE]).expect(1);
    assert!(
        build.stderr.contains("territory.csv:5:"),
        "{}",
        build.stderr
    );
    let check = wd.run(&["check", "--date", DATE]).expect(1);
    assert!(
        check
            .stdout
            .contains("territory.csv:5: error: a quoted field"),
        "{}",
        check.stdout
    );
}

#[test]
fn opt_outs_name_accounts_in_any_case_and_with_invisible_spaces() {
    // Regression: `a1` and `A2` followed by a no-break space dropped the
    // opt-outs they were written for; so did `A6` after a vertical tab (a
    // spreadsheet's line break in a cell), found by fuzzing.
    let wd = fixture(&format!(
        "{HEADER}a1,2026-11-20,opt-out,,,\nA2\u{a0},2026-11-20,opt-out,,,\nb1,2026-11-20,opt-out,,,\na4,2026-11-18,callback,2026-11-24 09:00,,\n\u{b}A6,2026-11-20,opt-out,,,\n"
    ));
    wd.write(
        "territory.csv",
        format!("{TERRITORY}A4,2125550104,alice\nA5,2125550105,alice\nB1,2125550106,bob\nb1,2125550107,bob\nA6,2125550108,bob\nA7,2125550109,bob\n"),
    );
    wd.write("dnc.csv", "account_id\n\u{200b}a5\nA7\u{b}\n");
    wd.write(
        "callqueue.toml",
        format!("{CONFIG}suppress = [\"dnc.csv\"]\n"),
    );
    let build = wd
        .run(&["build", "--date", DATE, "--excluded", "excluded.csv"])
        .ok();
    // A callback keeps its exact id: `a4` is not A4's.
    assert_eq!(column(&build.stdout, "account_id"), ["A3", "A4"]);
    assert_eq!(column(&build.stdout, "reason"), ["due", "due"]);
    let audit = wd.read("excluded.csv");
    for id in ["A1", "A2", "A5", "A6", "A7", "B1", "b1"] {
        assert!(audit.contains(&format!("\n{id},")), "{id}\n{audit}");
    }
    assert_eq!(column(&audit, "reason"), ["opted-out"; 7]);
    assert!(audit.contains("opt-out recorded for \"\"a1\"\""), "{audit}");
    assert!(audit.contains("is on a do-not-call list"), "{audit}");
}

#[test]
fn an_open_quote_on_a_row_without_an_id_still_stops_the_run() {
    // Found by fuzzing: the row was skipped for its missing id before its
    // open quote was seen, and the opt-out row it swallowed was lost.
    let wd = fixture(HEADER);
    wd.write(
        "territory.csv",
        "account_id,phone,rep,opt_out\nA1,2125550101,alice,no\n,2125550102,alice,\"x\nA1,2125550101,alice,yes\n",
    );
    let build = wd.run(&["build", "--date", DATE]).expect(1);
    assert!(
        build.stderr.contains("territory.csv:3: a quoted field"),
        "{}",
        build.stderr
    );
}
