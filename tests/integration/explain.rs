//! `callqueue explain`: the verdict, every rule's finding and the calls on
//! record, in words and as JSON.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::workdir::{Workdir, csv_rows};

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"territory.csv\"\nhistory = \"history.csv\"\n";

fn fixture() -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write(
            "territory.csv",
            "account_id,name,phone,rep,priority\n\
             CAP,Capped Co,2125550101,alice,1\n\
             DUE,Due Co,2125550102,alice,2\n\
             LOW,Low Co,2125550103,alice,0\n\
             PAU,Paused Co,2125550104,bob,0\n",
        )
        .write(
            "history.csv",
            "account_id,at,outcome\n\
             CAP,2026-01-10 10:00,answered\n\
             CAP,2026-06-01 10:00,answered\n\
             PAU,2026-11-02,busy\nPAU,2026-11-03,busy\nPAU,2026-11-04,busy\nPAU,2026-11-05,busy\nPAU,2026-11-06,busy\n",
        );
    wd
}

#[test]
fn text_names_the_verdict_every_rule_and_the_calls() {
    let wd = fixture();
    let run = wd.run(&["explain", "CAP", "--date", "2026-11-24"]).ok();
    let text = run.stdout;
    assert!(
        text.starts_with("CAP (Capped Co), alice's account, on 2026-11-24:\n"),
        "{text}"
    );
    assert!(
        text.contains("  verdict: not queued: capped; may be called from 2027-01-11\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "    7. capped        decides  2 contacts in the last 365 days (2026-01-10, 2026-06-01); the cap is 2; the earliest of those leaves the window on 2027-01-10\n"
        ),
        "{text}"
    );
    for rule in [
        "1. not-existing",
        "2. opted-out",
        "3. no-consent",
        "4. bad-data",
        "5. callback",
        "6. paused",
        "8. too-soon",
        "9. due",
    ] {
        assert!(text.contains(rule), "{rule}\n{text}");
    }
    assert!(text.contains("  calls on record (2, latest first):\n    2026-06-01T10:00:00-04:00 answered (history.csv:3)\n    2026-01-10T10:00:00-05:00 answered (history.csv:2)\n"), "{text}");
}

#[test]
fn queued_and_over_limit_accounts_say_where_they_stand() {
    let wd = fixture();
    let run = wd
        .run(&[
            "explain",
            "DUE",
            "LOW",
            "--date",
            "2026-11-24",
            "--limit",
            "1",
        ])
        .ok();
    assert!(
        run.stdout
            .contains("  verdict: queued as due, rank 1 of 1 in alice's queue\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  verdict: not queued: over-limit; may be called from 2026-11-25\n  because: rank 2 in the rep's queue; the limit is 1\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_has_the_documented_fields() {
    let wd = fixture();
    let run = wd
        .run(&["explain", "PAU", "--date", "2026-11-24", "--format", "json"])
        .ok();
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let obj = &v[0];
    assert_eq!(obj["account_id"], "PAU");
    assert_eq!(obj["reason"], "paused");
    assert_eq!(obj["eligible_on"], "2027-01-05");
    let rules = obj["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 9);
    assert_eq!(rules[5]["rule"], "paused");
    assert_eq!(rules[5]["applies"], true);
    assert_eq!(rules[5]["decides"], true);
    assert!(
        rules[5]["finding"]
            .as_str()
            .unwrap()
            .contains("paused until 2027-01-05")
    );
    assert_eq!(rules[7]["rule"], "too-soon");
    assert_eq!(rules[7]["decides"], false);
    assert_eq!(obj["attempts"].as_array().unwrap().len(), 5);
    assert_eq!(obj["attempts"][0]["outcome"], "no-answer");
}

#[test]
fn an_unknown_account_says_so_and_exits_1() {
    let wd = fixture();
    let run = wd
        .run(&["explain", "cap", "NOPE", "DUE", "--date", "2026-11-24"])
        .expect(1);
    assert!(
        run.stdout
            .contains("cap: not in territory.csv (did you mean CAP?)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("NOPE: not in territory.csv\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("DUE (Due Co)"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("callqueue: 2 account(s) not in territory.csv: cap, NOPE"),
        "{}",
        run.stderr
    );
    let run = wd
        .run(&[
            "explain",
            "NOPE",
            "--date",
            "2026-11-24",
            "--format",
            "json",
        ])
        .expect(1);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v[0]["account_id"], "NOPE");
    assert_eq!(v[0]["reason"], Value::Null);
    wd.run(&["explain"]).expect(2);
}

#[test]
fn explain_agrees_with_build_on_every_example_account() {
    let wd = Workdir::new();
    let config = format!("{}/examples/callqueue.toml", env!("CARGO_MANIFEST_DIR"));
    for date in ["2026-11-24", "2026-11-26", "2026-12-28"] {
        let build = wd
            .run(&[
                "build",
                "-c",
                &config,
                "--date",
                date,
                "--excluded",
                "x.csv",
                "-q",
            ])
            .ok();
        let mut want: BTreeMap<String, (String, String)> = BTreeMap::new();
        for row in csv_rows(&build.stdout).into_iter().skip(1) {
            want.insert(row[2].clone(), (row[8].clone(), String::new()));
        }
        for row in csv_rows(&wd.read("x.csv")).into_iter().skip(1) {
            want.insert(row[0].clone(), (row[2].clone(), row[3].clone()));
        }
        let mut args = vec!["explain", "-c", &config, "--date", date, "--format", "json"];
        let ids: Vec<String> = want.keys().cloned().collect();
        args.extend(ids.iter().map(String::as_str));
        let run = wd.run(&args).ok();
        let got: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
        for obj in got {
            let id = obj["account_id"].as_str().unwrap();
            let reason = obj["reason"].as_str().unwrap().to_owned();
            let eligible = obj["eligible_on"].as_str().unwrap_or("").to_owned();
            assert_eq!(want[id], (reason, eligible), "{id} on {date}");
        }
    }
}
