//! A `record` killed while it appends, and a history locked by a writer
//! that takes its time: no part of a row is ever left behind, and readers
//! wait a bounded time, saying why.

use std::fs;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::workdir::Workdir;

const CONFIG: &str =
    "timezone = \"America/New_York\"\nterritory = \"territory.csv\"\nhistory = \"history.csv\"\n";
const TERRITORY: &str = "account_id,phone,rep\nA1,2125550101,alice\nA2,2125550102,alice\n";
const HISTORY: &str =
    "account_id,at,outcome,callback_at,rep,note\nA1,2026-06-01T10:00:00-04:00,answered,,alice,\n";

fn fixture() -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", TERRITORY)
        .write("history.csv", HISTORY);
    // A dialer's day, large enough that writing it takes a while: every
    // row a call of its own (the same call twice is appended once).
    let mut batch = String::from("account_id,at,outcome,callback_at,rep,note\n");
    for k in 0..100_000 {
        let id = if k % 2 == 0 { "A1" } else { "A2" };
        batch.push_str(&format!(
            "{id},2026-11-{:02} {:02}:{:02}:{:02},no-answer,,alice,\"attempt {k}, a note long enough to make the row a hundred bytes\"\n",
            1 + k % 20,
            8 + (k / 20) % 9,
            (k / 180) % 60,
            (k / 10_800) % 60
        ));
    }
    wd.write("batch.csv", batch);
    wd
}

/// Starts `record --from batch.csv` and kills it (SIGKILL, or SIGTERM when
/// `term`) as soon as the history starts to grow.
fn kill_mid_write(wd: &Workdir, term: bool) {
    let mut child = wd
        .command(&["record", "--from", "batch.csv", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let path = wd.path("history.csv");
    while started.elapsed() < Duration::from_secs(20) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if fs::metadata(&path).map(|m| m.len()).unwrap_or(0) > HISTORY.len() as u64 {
            if term {
                let pid = child.id().to_string();
                let _ = std::process::Command::new("kill")
                    .args(["-TERM", &pid])
                    .status();
            } else {
                let _ = child.kill();
            }
            break;
        }
    }
    let _ = child.wait();
}

#[test]
fn a_killed_batch_leaves_no_part_of_its_rows() {
    // Regression: a batch killed mid-write left half a row, which the next
    // record glued to its own.
    let wd = fixture();
    wd.run(&["record", "--from", "batch.csv", "--quiet"]).ok();
    let whole = wd.read("history.csv");
    assert!(whole.len() > HISTORY.len() + 5_000_000);
    let mut torn = 0;
    for round in 0..12 {
        wd.write("history.csv", HISTORY);
        kill_mid_write(&wd, round % 2 == 1);
        let left = fs::read(wd.path("history.csv")).unwrap();
        if left.len() > HISTORY.len() && left.len() < whole.len() {
            torn += 1;
        }
        // The next command to open the history mends it.
        let mender = ["check", "build", "explain"][round % 3];
        let run = match mender {
            "explain" => wd.run(&["explain", "A1", "--date", "2026-11-24"]),
            other => wd.run(&[other, "--date", "2026-11-24"]),
        };
        let now = wd.read("history.csv");
        assert!(
            now == HISTORY || now == whole,
            "round {round}: {} bytes left after {mender}\n{}",
            now.len(),
            run.stderr
        );
        if left.len() != now.len() {
            let said = format!("{}{}", run.stdout, run.stderr);
            assert!(said.contains("a record was interrupted"), "{said}");
        }
        assert!(!wd.exists("history.csv-journal"), "round {round}");
    }
    assert!(torn >= 3, "only {torn} of 12 kills landed mid-write");
}

#[test]
fn record_mends_a_killed_batch_before_it_appends() {
    let wd = fixture();
    let mut tries = 0;
    loop {
        wd.write("history.csv", HISTORY);
        kill_mid_write(&wd, false);
        if wd.exists("history.csv-journal") {
            break;
        }
        tries += 1;
        assert!(tries < 10, "no kill landed mid-write");
    }
    let run = wd
        .run(&["record", "A2", "opt-out", "--at", "2026-11-20 10:00"])
        .ok();
    assert!(
        run.stderr.contains("a record was interrupted"),
        "{}",
        run.stderr
    );
    assert_eq!(
        wd.read("history.csv"),
        format!("{HISTORY}A2,2026-11-20T10:00:00-05:00,opt-out,,,\n")
    );
}

#[test]
fn build_waits_for_a_locked_history_then_fails() {
    // Regression: build waited forever, silently, behind a stuck writer.
    let wd = fixture();
    let file = fs::File::open(wd.path("history.csv")).unwrap();
    file.lock().unwrap();
    let build = || {
        wd.run(&[
            "build",
            "--date",
            "2026-11-24",
            "--wait",
            "1",
            "-o",
            "queue.csv",
        ])
    };
    let started = Instant::now();
    let run = build().expect(1);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        run.stderr.contains("is locked by another process"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("still locked"), "{}", run.stderr);
    assert!(!wd.exists("queue.csv"));
    let record = wd
        .run(&["record", "A1", "answered", "--wait", "1"])
        .expect(1);
    assert!(record.stderr.contains("still locked"), "{}", record.stderr);
    file.unlock().unwrap();
    build().ok();
}
