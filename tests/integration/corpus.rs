//! The broken-input corpus: each folder under tests/corpus holds the inputs
//! of one case (`input/`), what it is about and which accounts must never
//! be queued (`about.md`), and the exact outcome of `build` and `check` on
//! it (`expected.txt`). Run with `CORPUS_BLESS=1` to rewrite the expected
//! outcomes after a deliberate change, then read the diff.

use std::fs;
use std::path::Path;

use crate::workdir::{Workdir, column};

const DATE: &str = "2026-11-24";

#[test]
fn every_corpus_case_gives_its_exact_verdict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let bless = std::env::var_os("CORPUS_BLESS").is_some();
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus is missing cases");
    let mut mismatched = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let wd = Workdir::new();
        for file in fs::read_dir(case.join("input")).unwrap() {
            let file = file.unwrap().path();
            wd.write(
                &file.file_name().unwrap().to_string_lossy(),
                fs::read(&file).unwrap(),
            );
        }
        let build = wd.run(&["build", "--date", DATE, "--excluded", "excluded.csv"]);
        let check = wd.run(&["check", "--date", DATE]);
        for run in [&build, &check] {
            assert!(
                matches!(run.code, 0 | 1),
                "{name}: exit {}\n{}",
                run.code,
                run.stderr
            );
            assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        }
        let about = fs::read_to_string(case.join("about.md")).unwrap();
        if let Some(never) = about.lines().find_map(|l| l.strip_prefix("never queued: ")) {
            let queued = if build.code == 0 {
                column(&build.stdout, "account_id")
            } else {
                Vec::new()
            };
            for id in never.split_whitespace() {
                assert!(
                    !queued.iter().any(|q| q == id),
                    "{name}: {id} was queued\n{}",
                    build.stdout
                );
            }
        }
        let excluded = if wd.exists("excluded.csv") {
            wd.read("excluded.csv")
        } else {
            "(not written)\n".to_owned()
        };
        let actual = format!(
            "build: exit {}\n--- stdout\n{}--- stderr\n{}--- excluded.csv\n{}\ncheck: exit {}\n--- stdout\n{}--- stderr\n{}",
            build.code,
            build.stdout,
            build.stderr,
            excluded,
            check.code,
            check.stdout,
            check.stderr
        );
        let expected_path = case.join("expected.txt");
        if bless {
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            mismatched.push(format!(
                "=== {name}\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(
        mismatched.is_empty(),
        "{} case(s) differ:\n{}",
        mismatched.len(),
        mismatched.join("\n")
    );
}

#[test]
fn a_one_megabyte_field_is_read_whole() {
    let wd = Workdir::new();
    let big = "N".repeat(1024 * 1024);
    let note = "x".repeat(1024 * 1024);
    wd.write(
        "t.csv",
        format!("account_id,name,phone\nA1,\"{big}\",+12125550101\nA2,Small,+12125550102\n"),
    )
    .write(
        "h.csv",
        format!("account_id,at,outcome,note\nA2,2026-11-20,busy,\"{note}\"\nA2,2026-11-31,busy,\n"),
    );
    let run = wd
        .run(&[
            "build",
            "--date",
            DATE,
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "--excluded",
            "x.csv",
        ])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A1"]);
    assert_eq!(column(&run.stdout, "name")[0].len(), big.len());
    // The line after the big note is still line 3.
    assert!(
        run.stderr
            .contains("h.csv:3: at \"2026-11-31\" names a date or time that does not exist"),
        "{}",
        run.stderr
    );
}
