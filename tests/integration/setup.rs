//! Getting started and fitting in: init, completions, the man page, help,
//! the dashboard summary, colour and what reaches standard output.

use std::process::Command;

use serde_json::Value;

use crate::workdir::{Workdir, column, csv_rows};

#[test]
fn init_writes_a_config_that_reads_and_an_empty_history() {
    let wd = Workdir::new();
    let run = wd.run(&["init"]).ok();
    assert!(
        run.stderr.contains("wrote ./callqueue.toml, ./history.csv"),
        "{}",
        run.stderr
    );
    let config = wd.read("callqueue.toml");
    assert!(config.contains("max_contacts = 2"), "{config}");
    assert!(config.contains("timezone = \"UTC\""), "{config}");
    assert_eq!(
        wd.read("history.csv"),
        "account_id,at,outcome,callback_at,rep,note,disposition,phone\n"
    );
    // Once the territory is in place, check and build work from it.
    // (This machine's zone is UTC, which check warns of.)
    wd.write("territory.csv", "account_id,phone\nA1,+1 212 555 0100\n");
    let run = wd.run(&["check"]).ok();
    assert!(
        run.stdout.ends_with("0 errors, 1 warning, 3 notes\n"),
        "{}",
        run.stdout
    );
    let run = wd.run(&["build", "--date", "2026-11-24"]).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A1"]);
}

#[test]
fn init_never_overwrites() {
    let wd = Workdir::new();
    wd.write("callqueue.toml", "# mine\n");
    let run = wd.run(&["init"]).expect(1);
    assert!(
        run.stderr
            .contains("callqueue.toml: exists already; init never overwrites"),
        "{}",
        run.stderr
    );
    assert_eq!(wd.read("callqueue.toml"), "# mine\n");
    assert!(!wd.exists("history.csv"));
    // An existing history is kept as it is, and not rewritten.
    let wd = Workdir::new();
    wd.write("history.csv", "account_id,at,outcome\nA,2026-01-01,busy\n");
    wd.run(&["init"]).ok();
    assert_eq!(
        wd.read("history.csv"),
        "account_id,at,outcome\nA,2026-01-01,busy\n"
    );
    // The example files are checked too, before anything is written.
    let wd = Workdir::new();
    wd.write("demo/dnc.csv", "phone\n1\n");
    wd.run(&["init", "demo", "--example"]).expect(1);
    assert!(!wd.exists("demo/callqueue.toml"));
}

#[test]
fn init_example_builds_a_queue_straight_away() {
    let wd = Workdir::new();
    wd.run(&["init", "sales", "--example"]).ok();
    let run = wd
        .command(&["check"])
        .current_dir(wd.path("sales"))
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    let today = chrono::Utc::now().date_naive();
    let monday = today
        + chrono::Duration::days(
            7 - i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()),
        );
    let run = wd
        .command(&[
            "build",
            "--date",
            &monday.to_string(),
            "--excluded",
            "x.csv",
        ])
        .current_dir(wd.path("sales"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let queue = String::from_utf8_lossy(&run.stdout).into_owned();
    let rows = csv_rows(&queue);
    assert_eq!(
        (rows[1][2].as_str(), rows[1][8].as_str()),
        ("A-1", "callback"),
        "{queue}"
    );
    let audit = wd.read("sales/x.csv");
    for line in [
        "A-2,Alice,too-soon,",
        "A-3,Alice,not-existing,,",
        "B-1,Bob,opted-out,,dnc.csv:2: phone +14155550104 is on a do-not-call list",
        "B-2,Bob,opted-out,,",
    ] {
        assert!(audit.contains(line), "{line}\n{audit}");
    }
}

#[test]
fn completions_for_every_shell() {
    let wd = Workdir::new();
    for (shell, marker) in [
        ("bash", "_callqueue()"),
        ("zsh", "#compdef callqueue"),
        ("fish", "complete -c callqueue"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = wd.run(&["completions", shell]).ok();
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..200.min(run.stdout.len())]
        );
        assert!(run.stdout.contains("record"), "{shell}");
    }
    wd.run(&["completions", "tcsh"]).expect(2);
}

#[test]
fn the_man_page_covers_every_command_and_the_exit_codes() {
    let wd = Workdir::new();
    let run = wd.run(&["man"]).ok();
    let page = run.stdout;
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..100]
    );
    for section in [
        ".SH NAME",
        ".SH \"CALLQUEUE BUILD\"",
        ".SH \"CALLQUEUE RECORD\"",
        ".SH \"CALLQUEUE EXPLAIN\"",
        ".SH \"CALLQUEUE CHECK\"",
        ".SH \"CALLQUEUE INIT\"",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "{section}");
    }
    assert!(
        page.contains("\\-\\-out\\-dir"),
        "build's options are listed"
    );
    // A manual page that man itself can read, where man is installed.
    if Command::new("man").arg("--version").output().is_ok() {
        wd.write("callqueue.1", &page);
        let shown = Command::new("man")
            .args(["-l", "callqueue.1"])
            .current_dir(wd.root())
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(text.contains("EXIT STATUS"), "{text}");
    }
}

#[test]
fn help_for_every_command_has_examples_and_version_is_shown() {
    let wd = Workdir::new();
    for command in [
        "build",
        "record",
        "explain",
        "check",
        "init",
        "completions",
        "man",
    ] {
        let run = wd.run(&[command, "--help"]).ok();
        assert!(
            run.stdout.contains("Examples:"),
            "{command}: {}",
            run.stdout
        );
        assert!(run.stdout.contains("Usage: callqueue"), "{command}");
    }
    let run = wd.run(&["--version"]).ok();
    assert_eq!(
        run.stdout,
        format!("callqueue {}\n", env!("CARGO_PKG_VERSION"))
    );
    wd.run(&[]).expect(2);
}

fn fixture() -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\nsuppress = [\"dnc.csv\"]\n",
    )
    .write(
        "t.csv",
        "account_id,name,phone,rep,status,priority\n\
         A1,Acme,2125550101,alice,active,1\n\
         A2,Birch,2125550102,alice,prospect,1\n\
         B1,Cobalt,2125550103,bob,active,x\n\
         ,Nobody,2125550104,bob,active,1\n",
    )
    .write("h.csv", "account_id,at,outcome\nB1,2026-11-20,busy\nZ9,2026-11-20,busy\n")
    .write("dnc.csv", "phone\n2125550199\n");
    wd
}

#[test]
fn summary_file_counts_reasons_reps_and_inputs() {
    let wd = fixture();
    wd.run(&[
        "build",
        "--date",
        "2026-11-24",
        "--summary",
        "summary.json",
        "-q",
    ])
    .ok();
    let s: Value = serde_json::from_str(&wd.read("summary.json")).unwrap();
    assert_eq!(s["date"], "2026-11-24");
    assert_eq!(s["calling_day"], true);
    assert_eq!(s["queued"], 1);
    assert_eq!(s["excluded"], 2);
    assert_eq!(s["reasons"]["due"], 1);
    assert_eq!(s["reasons"]["not-existing"], 1);
    assert_eq!(s["reasons"]["too-soon"], 1);
    assert_eq!(s["reasons"]["capped"], 0);
    assert_eq!(s["reps"][0]["rep"], "alice");
    assert_eq!(s["reps"][0]["queued"], 1);
    assert_eq!(s["reps"][1]["rep"], "bob");
    assert_eq!(s["reps"][1]["reasons"]["too-soon"], 1);
    assert_eq!(s["ignored"]["territory_rows_without_account_id"], 1);
    assert_eq!(s["ignored"]["history_rows_for_unknown_accounts"], 1);
    assert_eq!(s["problems"]["errors"], 1);
    assert_eq!(s["problems"]["warnings"], 1);
    let inputs = s["inputs"].as_array().unwrap();
    let kinds: Vec<(&str, &str, u64)> = inputs
        .iter()
        .skip(1)
        .map(|i| {
            (
                i["kind"].as_str().unwrap(),
                i["file"].as_str().unwrap(),
                i["rows"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("territory", "t.csv", 4),
            ("history", "h.csv", 2),
            ("suppress", "dnc.csv", 1)
        ]
    );
    // On a day without calls, it says why.
    wd.run(&[
        "build",
        "--date",
        "2026-11-28",
        "--summary",
        "summary.json",
        "-q",
    ])
    .ok();
    let s: Value = serde_json::from_str(&wd.read("summary.json")).unwrap();
    assert_eq!(s["calling_day"], false);
    assert_eq!(
        s["closed_because"],
        "2026-11-28 is a Saturday, not a calling day"
    );
    // A1 is due, and B1's wait is over by then.
    assert_eq!(s["reasons"]["not-calling-day"], 2);
}

#[test]
fn piped_output_is_only_the_queue() {
    let wd = fixture();
    let run = wd.run(&["build", "--date", "2026-11-24"]).ok();
    // Problems and the summary go to standard error; standard output holds
    // the CSV queue and nothing else.
    let rows = csv_rows(&run.stdout);
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    assert_eq!(rows[0][0], "rep");
    assert!(!run.stdout.contains("callqueue:"));
    assert!(!run.stdout.contains('\x1b'));
    assert!(
        run.stderr
            .contains("callqueue: error: t.csv:5: no account_id"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("reading inputs"),
        "no progress line off a terminal"
    );
}

/// Runs `callqueue` under a pseudo-terminal (util-linux `script`), as a rep
/// at a terminal would; `None` where `script` is not installed.
fn on_a_terminal(wd: &Workdir, args: &str, no_color: Option<&str>) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        return None;
    }
    let exe = env!("CARGO_BIN_EXE_callqueue");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &format!("{exe} {args}"), "/dev/null"])
        .current_dir(wd.root())
        .env("TERM", "xterm")
        .env("COLUMNS", "120")
        .env_remove("NO_COLOR");
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    let out = cmd.output().expect("script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_a_coloured_table_unless_no_color() {
    let wd = fixture();
    let Some(shown) = on_a_terminal(&wd, "build --date 2026-11-24 -q", None) else {
        return;
    };
    assert!(shown.contains("alice"), "{shown}");
    assert!(shown.contains("09:00-17:00"), "{shown}");
    assert!(shown.contains('\x1b'), "colour on a terminal: {shown}");
    let plain = on_a_terminal(&wd, "build --date 2026-11-24 -q", Some("1")).unwrap();
    assert!(plain.contains("09:00-17:00"), "{plain}");
    assert!(!plain.contains('\x1b'), "NO_COLOR: {plain}");
    // An empty NO_COLOR does not count.
    let empty = on_a_terminal(&wd, "build --date 2026-11-24 -q", Some("")).unwrap();
    assert!(empty.contains('\x1b'), "{empty}");
    // A file is never coloured, even from a terminal.
    on_a_terminal(
        &wd,
        "build --date 2026-11-24 -q --format table -o q.txt",
        None,
    )
    .unwrap();
    assert!(!wd.read("q.txt").contains('\x1b'));
}

#[test]
fn command_line_mistakes_speak_as_every_other_message() {
    let wd = Workdir::new();
    for args in [
        &["build", "--bogus"][..],
        &["build", "--date", "2026-13-01"],
        &["frobnicate"],
    ] {
        let run = wd.run(args).expect(2);
        assert!(
            run.stderr.starts_with("callqueue: "),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("error: "), "{}", run.stderr);
    }
    let help = wd.run(&["--help"]).ok();
    assert!(help.stdout.contains("Usage: callqueue <COMMAND>"));
}

#[test]
fn a_first_run_in_an_empty_folder_points_at_init() {
    let wd = Workdir::new();
    let run = wd.run(&["build"]).expect(2);
    assert!(
        run.stderr
            .contains("`callqueue init` writes one to fill in"),
        "{}",
        run.stderr
    );
}
