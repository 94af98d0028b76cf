//! Text that reaches a terminal: cells holding escape sequences, control
//! characters or bidirectional overrides are shown escaped, never sent raw
//! (a customer name must not recolour, retitle or rewrite a rep's screen,
//! put text on the clipboard or turn into a link).

use crate::workdir::{Run, Workdir};

/// What hostile cells hold: a colour, an OSC 8 link, an OSC 52 clipboard
/// write, a carriage return, an 8-bit CSI and a right-to-left override.
const HOSTILE: [&str; 6] = [
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "\x1b]52;c;aGk=\x07",
    "\r",
    "\u{9b}",
    "\u{202e}",
];

/// A character a terminal would act on rather than show.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        )
}

#[track_caller]
fn assert_terminal_safe(what: &str, run: &Run) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let raw: Vec<char> = text.chars().filter(|&c| acts_on_terminal(c)).collect();
        assert!(
            raw.is_empty(),
            "{what}: {stream} carries {raw:?}\n--- {stream}\n{text:?}"
        );
    }
}

/// A CSV cell, quoted (the hostile text holds a carriage return).
fn quoted(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

fn fixture() -> Workdir {
    let wd = Workdir::new();
    let mut territory = String::from("account_id,name,phone,rep,timezone,priority\n");
    for (k, bad) in HOSTILE.iter().enumerate() {
        // Each account is queued, with the hostile text in its name and its
        // rep's name.
        territory.push_str(&format!(
            "Q{k},{},212555010{k},{},America/New_York,1\n",
            quoted(&format!("name{bad}end")),
            quoted(&format!("rep{bad}{k}")),
        ));
    }
    // Problems that quote the cells: a zone and a priority that cannot be
    // read.
    territory.push_str(&format!(
        "BAD,Bad,2125550199,carol,{},{}\n",
        quoted(&format!("Mars/{}", HOSTILE.concat())),
        quoted(&format!("lots{}", HOSTILE.concat())),
    ));
    wd.write(
        "callqueue.toml",
        "timezone = \"America/New_York\"\nterritory = \"territory.csv\"\nhistory = \"history.csv\"\n",
    )
    .write("territory.csv", territory)
    .write("history.csv", "account_id,at,outcome\n");
    wd
}

#[test]
fn explain_shows_hostile_cells_escaped() {
    let wd = fixture();
    let run = wd
        .run(&[
            "explain",
            "Q0",
            "Q1",
            "Q2",
            "Q3",
            "Q4",
            "Q5",
            "BAD",
            "--date",
            "2026-11-24",
        ])
        .ok();
    assert_terminal_safe("explain", &run);
    assert!(run.stdout.contains("name\\u{1b}[31mend"), "{}", run.stdout);
    assert!(run.stdout.contains("rep\\u{202e}5"), "{}", run.stdout);
    // An account id asked about is quoted back when it is not found.
    let run = wd
        .run(&["explain", "\u{202e}Q0\x1b[2J", "--date", "2026-11-24"])
        .expect(1);
    assert_terminal_safe("explain of a missing id", &run);
}

#[test]
fn check_lists_problems_with_hostile_cells_escaped() {
    let wd = fixture();
    let run = wd.run(&["check", "--date", "2026-11-24"]).expect(1);
    assert_terminal_safe("check", &run);
    assert!(run.stdout.contains("\\u{202e}"), "{}", run.stdout);
}

#[test]
fn build_reports_problems_and_tables_with_hostile_cells_escaped() {
    let wd = fixture();
    let run = wd
        .run(&["build", "--date", "2026-11-24", "--format", "table"])
        .ok();
    assert_terminal_safe("build --format table", &run);
    assert!(run.stdout.contains("name\\u{9b}end"), "{}", run.stdout);
    assert!(run.stderr.contains("\\u{202e}"), "{}", run.stderr);
    // A table written to a file is made safe as well.
    wd.run(&[
        "build",
        "--date",
        "2026-11-24",
        "--format",
        "table",
        "-o",
        "queue.txt",
    ])
    .ok();
    let table = wd.read("queue.txt");
    assert!(
        !table.chars().any(acts_on_terminal),
        "queue.txt carries raw controls: {table:?}"
    );
}

#[test]
fn an_unknown_rep_lists_hostile_rep_names_escaped() {
    let wd = fixture();
    let run = wd
        .run(&["build", "--date", "2026-11-24", "--rep", "nobody\u{202e}"])
        .expect(2);
    assert_terminal_safe("build --rep", &run);
    assert!(
        run.stderr.contains("rep\\u{1b}]8;;http://x\\u{7}1"),
        "{}",
        run.stderr
    );
}

#[test]
fn csv_output_keeps_the_data_as_it_is() {
    // CSV is data, not a terminal: the cells are written as they are.
    let wd = fixture();
    let run = wd.run(&["build", "--date", "2026-11-24"]).ok();
    assert!(run.stdout.contains("name\x1b[31mend"), "{:?}", run.stdout);
    assert!(run.stdout.contains("rep\u{202e}5"), "{:?}", run.stdout);
}

#[test]
fn record_says_what_it_recorded_with_hostile_ids_escaped() {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        "timezone = \"America/New_York\"\nhistory = \"history.csv\"\n",
    );
    for bad in HOSTILE {
        wd.write(
            "dialer.csv",
            format!(
                "account_id,at,outcome\n{},2026-11-20 10:00,answered\n",
                quoted(&format!("id{bad}x"))
            ),
        );
        let run = wd.run(&["record", "--from", "dialer.csv"]);
        assert_terminal_safe("record --from", &run);
        if bad.contains(['\r', '\n']) {
            // A quoted field across a line break: the batch is refused.
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(
                run.stderr.contains("dialer.csv:2: a quoted field"),
                "{}",
                run.stderr
            );
        } else {
            assert_eq!(run.code, 0, "{}", run.stderr);
            // Control characters are written as spaces (one line per
            // row), and the message says the id as written; a mark that
            // reorders text is kept, and shown escaped.
            assert!(run.stderr.contains("recorded id"), "{}", run.stderr);
            if bad.contains('\u{202e}') {
                assert!(
                    run.stderr.contains("recorded id\\u{202e}x"),
                    "{}",
                    run.stderr
                );
            }
        }
    }
}

/// `record`'s "did you mean" quotes the territory's ids, and messages
/// about the history's file quote its name: both shown escaped (found by
/// fuzzing).
#[test]
fn record_warnings_and_history_messages_are_escaped() {
    let wd = Workdir::new();
    let name = "h\u{1b}[31m\u{202e}.csv";
    wd.write(
        "callqueue.toml",
        "timezone = \"America/New_York\"\nterritory = \"t.csv\"\nhistory = \"h\\u001B[31m\\u202E.csv\"\n",
    )
    .write("t.csv", "account_id,phone\nA\u{1b}[31m1,2125550101\n")
    .write(name, "account_id,at,outcome\n");
    let near = wd
        .run(&["record", "a31m1", "answered", "--at", "2026-11-20 10:00"])
        .ok();
    assert!(near.stderr.contains("did you mean"), "{}", near.stderr);
    assert_terminal_safe("record's near misses", &near);

    // A journal left by an interrupted record: the next command says so.
    for command in [
        &["check", "--date", "2026-11-24"][..],
        &["record", "A1", "answered"],
    ] {
        wd.write(&format!("{name}-journal"), "cut off\n");
        let run = wd.run(command);
        assert!(
            run.stderr.contains("a record was interrupted"),
            "{command:?}: {}",
            run.stderr
        );
        assert_terminal_safe("the interrupted record's warning", &run);
    }

    // Another process holds the history's lock.
    let mut holder = std::process::Command::new("flock")
        .arg(wd.path(name))
        .args(["sleep", "3"])
        .spawn()
        .expect("flock (util-linux)");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let locked = wd.run(&["record", "A1", "answered", "--wait", "1"]);
    let _ = holder.wait();
    assert!(
        locked.stderr.contains("is locked by another process"),
        "{}",
        locked.stderr
    );
    assert_terminal_safe("the lock's message", &locked);
}

/// clap's own mistakes quote the argument as typed: shown escaped too.
#[test]
fn usage_mistakes_quote_the_argument_escaped() {
    let wd = Workdir::new();
    for bad in [
        "-\u{c}",
        "x\u{9b}2J",
        "--note\u{202e}txt",
        "\u{1b}]0;title\u{7}",
    ] {
        let run = wd.run(&["build", bad]);
        assert_eq!(run.code, 2, "{bad:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("callqueue: "), "{}", run.stderr);
        assert_terminal_safe(&format!("usage {bad:?}"), &run);
    }
}

/// `init DIR` names the files it wrote: a folder's name with an escape
/// sequence in it is shown escaped (found by fuzzing).
#[test]
fn init_names_its_folder_escaped() {
    let wd = Workdir::new();
    let run = wd.run(&["init", "new\u{1b}]0;title\u{7}dir"]).ok();
    assert!(run.stderr.contains("callqueue: wrote "), "{}", run.stderr);
    assert_terminal_safe("init's files", &run);
}

/// A batch's problems name its file: a name with an escape sequence is
/// shown escaped, as in every other message (all go through one place).
#[test]
fn a_batch_named_with_an_escape_is_named_escaped_in_its_problems() {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        "timezone = \"America/New_York\"\nhistory = \"history.csv\"\n",
    );
    let name = "calls\u{1b}[2J.csv";
    wd.write(name, "account_id,at,outcome\nA1,whenever,answered\n");
    let run = wd.run(&["record", "--from", name]).expect(1);
    assert!(run.stderr.contains(":2: "), "{}", run.stderr);
    assert_terminal_safe("a batch's problems", &run);
}
