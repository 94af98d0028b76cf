//! `callqueue check`: every problem, with its file, line and severity.

use std::collections::BTreeSet;

use crate::workdir::Workdir;

#[test]
fn clean_inputs_pass() {
    let wd = Workdir::new();
    wd.write("callqueue.toml", "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\n")
        .write("t.csv", "account_id,phone,status,opt_out\nA,2125550100,active,no\n")
        .write("h.csv", "account_id,at,outcome\nA,2026-11-20,answered\n");
    let run = wd.run(&["check", "--date", "2026-11-24"]).ok();
    assert_eq!(
        run.stdout,
        "t.csv: note: accounts by where their zones came from: phone 1\n0 errors, 0 warnings, 1 note\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn every_problem_is_listed_with_file_line_and_severity() {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        "timezone = \"UTC\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\nsuppress = [\"dnc.csv\"]\n\
         [columns]\n\"Acct No\" = \"account_id\"\n[outcomes]\n\"LVM\" = \"no-answer\"\n[hours]\nholidays = [\"2026-11-29\"]\n",
    )
    .write(
        "t.csv",
        "account_id,phone,opt_out,timezone,priority,DNC Flag\n\
         A,2125550101,no,America/Chicago,1,\n\
         A,2125550102,no,,,\n\
         B,2125550103,perhaps,,,\n\
         C,2125550104,no,Mars/Base,,\n\
         D,,no,,lots,\n\
         ,2125550105,no,,,\n",
    )
    .write(
        "h.csv",
        "account_id,at,outcome,callback_at\n\
         B,2026-11-20,callback,\n\
         C,2026-11-31,busy,\n\
         Z,2026-11-20,busy,\n\
         D,2027-03-01,busy,\n\
         D,2026-11-01,busy,2026-11-02\n\
         D,2026-10-01,busy,\n",
    )
    .write("dnc.csv", "phone\n+1 212 555 0100\nnope\n");
    let run = wd.run(&["check", "--date", "2026-11-24"]).expect(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    for expected in [
        "callqueue.toml:10: warning: [hours] holidays: 2026-11-29 is a Sunday, not a calling day anyway",
        "t.csv:3: error: account_id \"A\" is also on line 2",
        "t.csv:2: error: account_id \"A\" is on more than one row",
        "t.csv:4: error: opt_out \"perhaps\" is neither yes nor no; treated as opted out (write yes or no)",
        "t.csv:5: error: timezone \"Mars/Base\" is not a known zone (use an IANA name such as America/Chicago)",
        "t.csv:6: error: no phone number",
        "t.csv:4: error: no zone: neither a timezone nor the postal code, state or phone says where the customer is (fill in one, or set [location] unknown_zone = \"office\")",
        "t.csv: note: accounts by where their zones came from: none 3, timezone 1",
        "callqueue.toml: warning: the office zone is UTC: calling hours are written in UTC (set timezone to the office's zone, such as \"America/New_York\")",
        "t.csv:6: warning: priority \"lots\" is not a number; read as 0",
        "t.csv:7: error: no account_id; row skipped (fill it in, or remove the row)",
        "t.csv:1: error: header \"DNC Flag\" looks like an opt-out or consent flag but is not read; say what it is in [columns] of callqueue.toml: a column (\"DNC Flag\" = \"opt_out\") or ignore (\"DNC Flag\" = \"ignore\")",
        "t.csv: note: has no status column: every account counts as an existing customer",
        "dnc.csv:3: error: phone \"nope\" has no digits; this entry cannot protect anyone (fix it)",
        "h.csv:2: error: callback without callback_at: when did the customer ask to be called?",
        "h.csv:3: error: at \"2026-11-31\" names a date or time that does not exist",
        "h.csv:6: note: callback_at is set but the outcome is no-answer; it is ignored",
        "h.csv: note: 1 row(s) name accounts that are not in the territory (the first: line 4, \"Z\"); they are ignored",
        "h.csv: note: 1 row(s) are dated after 2026-11-24 (the first: line 5); they are left out of the rules, but opt-outs among them count",
        "h.csv: note: the rows of 1 account(s) are not in time order; they were read twice to sort them (a history kept in time order reads faster)",
        "callqueue.toml: note: [outcomes] \"LVM\" is not used in h.csv",
        "callqueue.toml: warning: [columns] \"Acct No\" = \"account_id\" does nothing: no input has that header",
        "callqueue.toml: warning: default_country is not set: a do-not-call number written with a country code will not match the same number written without one; set default_country",
    ] {
        assert!(
            lines.contains(&expected),
            "missing: {expected}\n{}",
            run.stdout
        );
    }
    assert_eq!(
        lines.last(),
        Some(&"11 errors, 5 warnings, 7 notes"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 24, "{}", run.stdout);
    assert_eq!(run.stderr, "callqueue: check found 11 errors\n");
}

#[test]
fn check_finds_everything_build_reports() {
    let wd = Workdir::new();
    let config = format!("{}/examples/callqueue.toml", env!("CARGO_MANIFEST_DIR"));
    let build = wd
        .run(&["build", "-c", &config, "--date", "2026-11-24"])
        .ok();
    let check = wd
        .run(&["check", "-c", &config, "--date", "2026-11-24"])
        .expect(1);
    let reported: BTreeSet<String> = build
        .stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("callqueue: ")?;
            let (severity, problem) = rest.split_once(": ")?;
            let (location, message) = problem.split_once(": ")?;
            matches!(severity, "error" | "warning")
                .then(|| format!("{location}: {severity}: {message}"))
        })
        .collect();
    assert!(reported.len() >= 5, "{}", build.stderr);
    let listed: BTreeSet<String> = check.stdout.lines().map(str::to_owned).collect();
    for line in &reported {
        assert!(listed.contains(line), "{line}\n{}", check.stdout);
    }
}

#[test]
fn whole_file_problems_are_errors_too() {
    let wd = Workdir::new();
    wd.write("t.csv", "id,phone\nA,1\n")
        .write("h.csv", "account_id,at,outcome\n");
    let run = wd.run(&["check", "-t", "t.csv", "-H", "h.csv"]).expect(1);
    assert!(
        run.stdout
            .starts_with("t.csv: error: has no account_id column (its headers are: id, phone)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("h.csv: note: not checked: the territory could not be read"),
        "{}",
        run.stdout
    );
    wd.write("bad.toml", "[caps]\nmax_contacts = \"two\"\n");
    let run = wd
        .run(&["check", "-c", "bad.toml", "-t", "t.csv", "-H", "h.csv"])
        .expect(1);
    assert_eq!(
        run.stdout,
        "bad.toml:2: error: [caps] max_contacts: invalid type: string \"two\", expected a whole number\n1 error, 0 warnings, 0 notes\n"
    );
    let run = wd
        .run(&["check", "-t", "missing.csv", "-H", "h.csv"])
        .expect(1);
    assert!(
        run.stdout.starts_with("missing.csv: error: cannot open"),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_mistakes_are_exit_2() {
    let wd = Workdir::new();
    wd.run(&["check"]).expect(2);
    wd.run(&["check", "-t", "-", "-H", "-"]).expect(2);
}
