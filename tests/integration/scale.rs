//! Generated inputs (the benchmark's generator, examples/synth.rs): the
//! queue stays exactly what it was when it was recorded, whatever the
//! implementation underneath, and a history in any order gives the same
//! answer. Run with `GOLDEN_BLESS=1` to record it again after a deliberate
//! change of behaviour.

use std::fs;
use std::path::Path;

use crate::workdir::{Workdir, csv_rows};

#[path = "../../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

/// The audit without its detail column (details name history lines).
fn verdicts(audit: &str) -> String {
    let mut out = String::new();
    for row in csv_rows(audit) {
        out.push_str(&row[..4].join(","));
        out.push('\n');
    }
    out
}

fn build(wd: &Workdir, dir: &str) -> (String, String) {
    let config = format!("{dir}/callqueue.toml");
    let audit = format!("{dir}-excluded.csv");
    let run = wd
        .run(&[
            "build",
            "-c",
            &config,
            "--date",
            "2026-11-24",
            "--excluded",
            &audit,
            "--limit",
            "20",
            "-q",
        ])
        .ok();
    (run.stdout, wd.read(&audit))
}

#[test]
fn a_generated_case_gives_the_recorded_queue() {
    let wd = Workdir::new();
    synth::generate(&synth::Args::new(2_000, 20_000, wd.path("sorted"))).unwrap();
    let (queue, audit) = build(&wd, "sorted");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/synth-2k");
    if std::env::var_os("GOLDEN_BLESS").is_some() {
        fs::write(golden.join("queue.csv"), &queue).unwrap();
        fs::write(golden.join("excluded.csv"), verdicts(&audit)).unwrap();
    }
    assert_eq!(queue, fs::read_to_string(golden.join("queue.csv")).unwrap());
    assert_eq!(
        verdicts(&audit),
        fs::read_to_string(golden.join("excluded.csv")).unwrap()
    );
    // Every reason shows up, so that the comparison covers every rule.
    for reason in [
        "not-existing",
        "opted-out",
        "bad-data",
        "callback-scheduled",
        "paused",
        "capped",
        "too-soon",
        "over-limit",
    ] {
        assert!(audit.contains(&format!(",{reason},")), "no {reason}");
    }
    assert!(queue.contains(",callback,") && queue.contains(",due,"));
}

#[test]
fn a_shuffled_history_gives_the_same_queue_as_a_sorted_one() {
    let wd = Workdir::new();
    synth::generate(&synth::Args::new(2_000, 20_000, wd.path("sorted"))).unwrap();
    let mut shuffled = synth::Args::new(2_000, 20_000, wd.path("shuffled"));
    shuffled.shuffle = true;
    synth::generate(&shuffled).unwrap();
    assert_ne!(
        wd.read("sorted/history.csv"),
        wd.read("shuffled/history.csv")
    );
    let (queue, audit) = build(&wd, "sorted");
    let (queue2, audit2) = build(&wd, "shuffled");
    assert_eq!(queue, queue2);
    assert_eq!(verdicts(&audit), verdicts(&audit2));
}
