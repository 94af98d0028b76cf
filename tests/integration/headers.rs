//! Territory headers as CRMs write them: their opt-out spellings are read
//! as opt_out, and a header that looks like an opt-out or consent flag but
//! is not read stops the run until the config says what it is.

use crate::workdir::{Run, Workdir, audit, column};

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\n";

const DATE: &str = "2026-11-24";

/// A workdir with `territory` as t.csv, an empty history and `extra`
/// after the config's settings.
fn workdir(territory: &str, extra: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", format!("{CONFIG}{extra}"))
        .write("t.csv", territory)
        .write("h.csv", "account_id,at,outcome\n");
    wd
}

fn build(wd: &Workdir) -> Run {
    wd.run(&[
        "build",
        "--date",
        DATE,
        "-o",
        "q.csv",
        "--excluded",
        "x.csv",
    ])
}

#[test]
fn a_crm_do_not_call_column_keeps_its_customer_out_of_the_queue() {
    for header in ["Do Not Call", "DoNotCall", "DNC", "Opted Out", "Opt Out"] {
        let wd = workdir(
            &format!("Account ID,Phone,{header}\nA1,2125550101,yes\nA2,2125550102,no\n"),
            "",
        );
        build(&wd).ok();
        assert_eq!(
            column(&wd.read("q.csv"), "account_id"),
            vec!["A2"],
            "{header}"
        );
        assert_eq!(
            audit(&wd, "x.csv"),
            vec![("A1".to_owned(), "opted-out".to_owned())],
            "{header}"
        );
    }
}

#[test]
fn two_crm_opt_out_columns_are_an_error_as_any_two_headers_for_one_column() {
    let wd = workdir("account_id,phone,Opt Out,DNC\nA1,2125550101,no,yes\n", "");
    let run = build(&wd).expect(1);
    assert!(
        run.stderr
            .contains("t.csv:1: headers \"Opt Out\" and \"DNC\" both name the opt_out column"),
        "{}",
        run.stderr
    );
    assert!(!wd.exists("q.csv"));
}

#[test]
fn an_unread_opt_out_header_stops_build_and_explain_and_writes_nothing() {
    let wd = workdir(
        "account_id,phone,SMS Opt Out\nA1,2125550101,yes\nA2,2125550102,\n",
        "",
    );
    let run = build(&wd).expect(1);
    assert_eq!(
        run.stderr,
        "callqueue: t.csv:1: header \"SMS Opt Out\" looks like an opt-out or consent flag but is not read; \
         say what it is in [columns] of callqueue.toml: a column (\"SMS Opt Out\" = \"opt_out\") \
         or ignore (\"SMS Opt Out\" = \"ignore\")\n"
    );
    assert!(!wd.exists("q.csv"));
    assert!(!wd.exists("x.csv"));
    let run = wd.run(&["explain", "--date", DATE, "A1"]).expect(1);
    assert!(
        run.stderr.contains("t.csv:1: header \"SMS Opt Out\""),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn every_unread_opt_out_header_is_named() {
    let wd = workdir(
        "account_id,Unsubscribed,phone,Email Opt Out\nA1,,2125550101,\n",
        "",
    );
    let run = build(&wd).expect(1);
    assert!(
        run.stderr.starts_with(
            "callqueue: t.csv:1: headers \"Unsubscribed\" and \"Email Opt Out\" look like opt-out or consent flags but are not read;"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unread_opt_out_header_mapped_to_ignore_or_to_opt_out_runs() {
    let territory = "account_id,phone,SMS Opt Out\nA1,2125550101,yes\nA2,2125550102,\n";
    let wd = workdir(territory, "[columns]\n\"SMS Opt Out\" = \"ignore\"\n");
    let run = build(&wd).ok();
    assert_eq!(column(&wd.read("q.csv"), "account_id"), vec!["A1", "A2"]);
    assert!(!run.stderr.contains("SMS Opt Out"), "{}", run.stderr);
    let check = wd.run(&["check", "--date", DATE]).ok();
    assert!(!check.stdout.contains("SMS Opt Out"), "{}", check.stdout);

    let wd = workdir(territory, "[columns]\n\"SMS Opt Out\" = \"opt_out\"\n");
    build(&wd).ok();
    assert_eq!(column(&wd.read("q.csv"), "account_id"), vec!["A2"]);
}

#[test]
fn a_header_disguised_with_invisible_or_full_width_characters_stops_build() {
    for header in [
        "opt\u{200b}_out",
        "\u{ff4f}\u{ff50}\u{ff54}\u{ff3f}\u{ff4f}\u{ff55}\u{ff54}",
    ] {
        let wd = workdir(
            &format!("account_id,phone,{header}\nA1,2125550101,yes\n"),
            "",
        );
        let run = build(&wd).expect(1);
        assert!(
            run.stderr.contains("t.csv:1: header") && run.stderr.contains("opt_out"),
            "{header:?}: {}",
            run.stderr
        );
        assert!(!wd.exists("q.csv"));
    }
}

#[test]
fn ordinary_crm_headers_are_not_taken_for_opt_outs() {
    let wd = workdir(
        "Account ID,Phone,Description,Territory,Contact Owner,Region,Account Name\n\
         A1,2125550101,Prefers mornings,East,alice,NE,Acme\n",
        "",
    );
    build(&wd).ok();
    assert_eq!(column(&wd.read("q.csv"), "account_id"), vec!["A1"]);
}

#[test]
fn check_lists_an_unread_opt_out_header_as_an_error_and_goes_on() {
    let wd = workdir(
        "account_id,phone,Do Not Email,priority\nA1,2125550101,yes,lots\n",
        "",
    );
    wd.write("h.csv", "account_id,at,outcome\nA1,2026-11-31,busy\n");
    let run = wd.run(&["check", "--date", DATE]).expect(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    for expected in [
        "t.csv:1: error: header \"Do Not Email\" looks like an opt-out or consent flag but is not read; \
         say what it is in [columns] of callqueue.toml: a column (\"Do Not Email\" = \"opt_out\") \
         or ignore (\"Do Not Email\" = \"ignore\")",
        "t.csv:2: warning: priority \"lots\" is not a number; read as 0",
        "h.csv:2: error: at \"2026-11-31\" names a date or time that does not exist",
    ] {
        assert!(
            lines.contains(&expected),
            "missing: {expected}\n{}",
            run.stdout
        );
    }
}
