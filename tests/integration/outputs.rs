//! The files `build` writes: all of a run's outputs replaced together or
//! not at all, special files written through rather than replaced, safe
//! permissions, and `--out-dir` names that fit and never collide.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use crate::workdir::{Workdir, column, csv_rows};

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"territory.csv\"\nhistory = \"history.csv\"\n";

/// A Tuesday.
const DATE: &str = "2026-11-24";

fn fixture(territory: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", territory)
        .write("history.csv", "account_id,at,outcome\n");
    wd
}

fn build(wd: &Workdir, extra: &[&str]) -> crate::workdir::Run {
    let mut args = vec!["build", "--date", DATE];
    args.extend_from_slice(extra);
    wd.run(&args)
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A FIFO at `path`, and a thread reading it to the end. The FIFO keeps a
/// second name, so that a reader left waiting (because the FIFO's first
/// name was replaced) can be let go.
struct Fifo {
    spare: PathBuf,
    read: mpsc::Receiver<String>,
}

impl Fifo {
    fn new(path: &Path) -> Fifo {
        let made = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(made.success(), "mkfifo {}", path.display());
        let spare = path.with_extension("spare");
        fs::hard_link(path, &spare).unwrap();
        let (done, read) = mpsc::channel();
        let path = path.to_owned();
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = fs::File::open(&path).and_then(|mut f| f.read_to_string(&mut text));
            let _ = done.send(text);
        });
        Fifo { spare, read }
    }

    /// What the reader read; empty when nothing ever wrote to the FIFO.
    fn text(self) -> String {
        if let Ok(text) = self.read.recv_timeout(Duration::from_secs(10)) {
            return text;
        }
        // Nobody opened the FIFO for writing: do so, so that the reader
        // sees its end.
        drop(fs::OpenOptions::new().write(true).open(&self.spare));
        self.read.recv().unwrap_or_default()
    }
}

const TWO_REPS: &str =
    "account_id,name,phone,rep\nA1,Acme,2125550101,alice\nB1,Birch,2125550102,bob\n";

#[test]
fn a_fifo_and_a_link_to_one_are_written_through_not_replaced() {
    let wd = fixture(TWO_REPS);
    let queue = Fifo::new(&wd.path("queue.fifo"));
    let audit = Fifo::new(&wd.path("audit.fifo"));
    std::os::unix::fs::symlink(wd.path("audit.fifo"), wd.path("audit-link")).unwrap();
    let run = build(&wd, &["-o", "queue.fifo", "--excluded", "audit-link"]);
    let (queue, audit) = (queue.text(), audit.text());
    run.ok();
    assert_eq!(column(&queue, "account_id"), vec!["A1", "B1"], "{queue}");
    assert!(
        audit.starts_with("account_id,rep,reason,eligible_on,detail\n"),
        "{audit:?}"
    );
    assert!(
        fs::symlink_metadata(wd.path("queue.fifo"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        fs::symlink_metadata(wd.path("audit-link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(wd.path("audit.fifo"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_new_file_never_takes_setuid_or_execute_bits() {
    let wd = fixture(TWO_REPS);
    // A queue path that is a link to a setuid program: the link is
    // replaced by a plain queue file, readable and writable as the
    // program was, and nothing more.
    wd.write("program", "#!/bin/sh\n");
    fs::set_permissions(wd.path("program"), fs::Permissions::from_mode(0o4755)).unwrap();
    std::os::unix::fs::symlink(wd.path("program"), wd.path("queue.csv")).unwrap();
    wd.write("old-audit.csv", "old\n");
    fs::set_permissions(wd.path("old-audit.csv"), fs::Permissions::from_mode(0o6770)).unwrap();
    build(
        &wd,
        &[
            "-o",
            "queue.csv",
            "--excluded",
            "old-audit.csv",
            "--summary",
            "s.json",
        ],
    )
    .ok();
    let mode = |name: &str| fs::metadata(wd.path(name)).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode("queue.csv"), 0o644);
    assert_eq!(mode("old-audit.csv"), 0o660);
    assert_eq!(mode("s.json"), 0o644);
    // The program itself is left alone.
    assert_eq!(mode("program"), 0o4755);
    assert_eq!(wd.read("program"), "#!/bin/sh\n");
}

#[test]
fn a_long_rep_name_gets_a_short_distinct_file_name() {
    let long = "x".repeat(300);
    let longer = format!("{long}y");
    let wd = fixture(&format!(
        "account_id,name,phone,rep\nA1,Acme,2125550101,alice\nL1,Long,2125550102,{long}\nL2,Longer,2125550103,{longer}\nZ1,Zed,2125550104,zoe\n"
    ));
    build(&wd, &["--out-dir", "q"]).ok();
    let files = names(&wd.path("q"));
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().all(|f| f.len() < 255), "{files:?}");
    let mut ids = Vec::new();
    for file in &files {
        ids.extend(column(&wd.read(&format!("q/{file}")), "account_id"));
    }
    ids.sort();
    assert_eq!(ids, vec!["A1", "L1", "L2", "Z1"]);
    // The same names give the same files, run after run.
    build(&wd, &["--out-dir", "q"]).ok();
    assert_eq!(names(&wd.path("q")), files);
}

#[test]
fn a_failed_run_leaves_every_rep_file_untouched() {
    let wd = fixture(TWO_REPS);
    wd.write("q/alice.csv", "yesterday's alice\n")
        .write("q/bob.csv", "yesterday's bob\n")
        .write("blocker", "a file where a folder should be\n");
    let run = build(
        &wd,
        &[
            "--out-dir",
            "q",
            "--excluded",
            "blocker/excluded.csv",
            "--summary",
            "q/summary.json",
        ],
    )
    .expect(1);
    assert!(
        run.stderr.contains("blocker/excluded.csv"),
        "{}",
        run.stderr
    );
    assert_eq!(wd.read("q/alice.csv"), "yesterday's alice\n");
    assert_eq!(wd.read("q/bob.csv"), "yesterday's bob\n");
    assert_eq!(names(&wd.path("q")), vec!["alice.csv", "bob.csv"]);
    // A queue that cannot be written leaves the audit as it was too.
    wd.write("excluded.csv", "yesterday's audit\n");
    fs::remove_file(wd.path("q/bob.csv")).unwrap();
    fs::create_dir(wd.path("q/bob.csv")).unwrap();
    build(&wd, &["--out-dir", "q", "--excluded", "excluded.csv"]).expect(1);
    assert_eq!(wd.read("excluded.csv"), "yesterday's audit\n");
    assert_eq!(wd.read("q/alice.csv"), "yesterday's alice\n");
}

#[test]
fn the_cron_line_works_on_its_first_run() {
    let wd = fixture(TWO_REPS);
    build(
        &wd,
        &[
            "--out-dir",
            "srv/queues",
            "--excluded",
            "srv/queues/excluded.csv",
            "--summary",
            "srv/queues/summary.json",
            "--quiet",
        ],
    )
    .ok();
    assert_eq!(
        names(&wd.path("srv/queues")),
        vec!["alice.csv", "bob.csv", "excluded.csv", "summary.json"]
    );
}

#[test]
fn rep_files_never_collide_with_the_audit_or_the_summary() {
    let territory = "account_id,name,phone,rep,status\n\
                     E1,Echo,2125550101,Excluded,active\n\
                     S1,Sierra,2125550102,summary,active\n\
                     X1,Xray,2125550103,zed,closed\n";
    for (format, files) in [
        (
            "csv",
            vec![
                "Excluded-2.csv",
                "excluded.csv",
                "summary.csv",
                "summary.json",
                "zed.csv",
            ],
        ),
        (
            "json",
            vec![
                "Excluded.json",
                "excluded.csv",
                "summary-2.json",
                "summary.json",
                "zed.json",
            ],
        ),
    ] {
        let wd = fixture(territory);
        build(
            &wd,
            &[
                "--out-dir",
                "out",
                "--format",
                format,
                "--excluded",
                "out/excluded.csv",
                "--summary",
                "./out/summary.json",
            ],
        )
        .ok();
        assert_eq!(names(&wd.path("out")), files);
        let audit = wd.read("out/excluded.csv");
        assert_eq!(column(&audit, "account_id"), vec!["X1"], "{audit}");
        let summary: serde_json::Value =
            serde_json::from_str(&wd.read("out/summary.json")).unwrap();
        assert_eq!(summary["queued"], 2);
        let echo = wd.read(&format!("out/{}", files[0]));
        let sierra = wd.read(&format!("out/{}", files[2]));
        if format == "csv" {
            assert_eq!(csv_rows(&echo)[1][2], "E1");
            assert_eq!(csv_rows(&sierra)[1][2], "S1");
        } else {
            assert!(echo.contains("\"E1\""), "{echo}");
            assert!(sierra.contains("\"S1\""), "{sierra}");
        }
    }
}

/// Two outputs of one run at one file: one would silently replace the
/// other, so the run is refused before anything is read or written.
#[test]
fn two_outputs_naming_one_file_are_a_usage_error() {
    let wd = fixture("account_id,phone\nA1,2125550101\n");
    wd.write("out.csv", "the old file\n");
    for extra in [
        &["-o", "out.csv", "--excluded", "out.csv"][..],
        &["-o", "out.csv", "--excluded", "./out.csv"],
        &["--excluded", "out.csv", "--summary", "out.csv"],
        &["-o", "out.csv", "--report", "out.csv"],
    ] {
        let run = build(&wd, extra).expect(2);
        assert!(
            run.stderr.contains("both name") && run.stderr.contains("out.csv"),
            "{extra:?}: {}",
            run.stderr
        );
        assert_eq!(wd.read("out.csv"), "the old file\n", "{extra:?}");
    }
    // A stream may take several: nothing is replaced there.
    build(
        &wd,
        &["-o", "/dev/null", "--excluded", "/dev/null", "--quiet"],
    )
    .ok();
}
