//! The law and the customer's word: consent in opt-in mode, wrong numbers,
//! a recent inquiry as an existing relationship, and the compliance
//! profiles.

use crate::workdir::{Run, Workdir, audit, column, pairs};

const DATE: &str = "2026-11-24";

/// A New York office with `extra` config, `territory` and `history`.
fn workdir(extra: &str, territory: &str, history: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        format!(
            "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\n{extra}"
        ),
    )
    .write("t.csv", territory)
    .write("h.csv", history);
    wd
}

fn build(wd: &Workdir, date: &str) -> Run {
    wd.run(&[
        "build",
        "--date",
        date,
        "--excluded",
        "x.csv",
        "--format",
        "csv",
    ])
}

#[test]
fn opt_in_mode_calls_only_customers_who_agreed_and_never_after_an_opt_out() {
    let territory = "account_id,phone,opt_in\n\
                     yes,(212) 555-0101,yes\n\
                     empty,(212) 555-0102,\n\
                     recorded,(212) 555-0103,no\n\
                     undone,(212) 555-0104,yes\n\
                     later,(212) 555-0105,\n";
    let history = "account_id,at,outcome\n\
                   recorded,2026-01-05 10:00,opt-in\n\
                   undone,2026-02-01 10:00,opt-out\n\
                   undone,2026-03-01 10:00,opt-in\n\
                   later,2026-12-01 10:00,opt-in\n";
    let wd = workdir("[consent]\nmode = \"opt-in\"\n", territory, history);
    let run = build(&wd, DATE).ok();
    // (The consent was asked in a conversation: a contact, so it comes last.)
    assert_eq!(column(&run.stdout, "account_id"), vec!["yes", "recorded"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("empty", "no-consent"),
            // A consent dated after the queue date is not one yet.
            ("later", "no-consent"),
            ("undone", "opted-out"),
        ])
    );
    // In the default mode, consent is not asked for.
    wd.write(
        "callqueue.toml",
        "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\n",
    );
    let run = build(&wd, DATE).ok();
    assert_eq!(
        column(&run.stdout, "account_id"),
        vec!["empty", "later", "yes", "recorded"]
    );
    let explain = wd
        .run(&["explain", "empty", "--date", DATE, "-c", "callqueue.toml"])
        .ok()
        .stdout;
    assert!(
        explain.contains("3. no-consent    -        consent is not asked for"),
        "{explain}"
    );
}

#[test]
fn a_wrong_number_holds_the_account_until_its_phone_changes() {
    let territory = "account_id,phone\n\
                     named,(212) 555-0101\n\
                     unnamed,(212) 555-0102\n\
                     answered-since,(212) 555-0103\n\
                     fixed,(212) 555-0199\n";
    let history = "account_id,at,outcome,phone\n\
                   named,2026-10-01 10:00,Wrong Number,212-555-0101\n\
                   named,2026-10-20 10:00,answered,\n\
                   unnamed,2026-10-01 10:00,wrong-number,\n\
                   answered-since,2026-09-01 10:00,wrong-number,\n\
                   answered-since,2026-09-02 10:00,answered,\n\
                   fixed,2026-10-01 10:00,wrong-number,(212) 555-0104\n";
    let wd = workdir("", territory, history);
    let run = build(&wd, DATE).ok();
    // A named wrong number holds whatever comes after; an unnamed one until
    // another outcome is recorded; a corrected phone is called again.
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("answered-since", "too-soon"),
            ("named", "bad-data"),
            ("unnamed", "bad-data"),
        ])
    );
    assert_eq!(column(&run.stdout, "account_id"), vec!["fixed"]);
    let x = wd.read("x.csv");
    assert!(
        x.contains("h.csv:2: wrong-number recorded for +12125550101, the account's phone; correct the phone in the territory"),
        "{x}"
    );
}

#[test]
fn record_writes_the_number_called() {
    let wd = workdir(
        "",
        "account_id,phone\nA1,(212) 555-0101\n",
        "account_id,at,outcome,callback_at,rep,note,disposition,phone\n",
    );
    wd.run(&["record", "A1", "wrong-number", "--at", "2026-11-20 10:00"])
        .ok();
    wd.run(&[
        "record",
        "A1",
        "no-answer",
        "--at",
        "2026-11-21 10:00",
        "--phone",
        "(212) 555-0199",
    ])
    .ok();
    let text = wd.read("h.csv");
    assert!(text.contains(",wrong-number,,,,,+12125550101\n"), "{text}");
    assert!(text.contains(",no-answer,,,,,+12125550199\n"), "{text}");
    // The account's phone was reported wrong: bad data, whatever came after.
    build(&wd, DATE).ok();
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("A1", "bad-data")]));
}

#[test]
fn a_recent_inquiry_counts_as_an_existing_relationship() {
    let territory = "account_id,phone,last_order,last_inquiry\n\
                     asked,(212) 555-0101,2020-01-01,2026-08-26\n\
                     too-long,(212) 555-0102,2020-01-01,2026-08-25\n\
                     ordered,(212) 555-0103,2026-01-01,\n";
    let wd = workdir(
        "[eligibility]\nebr_days = 540\ninquiry_days = 90\n",
        territory,
        "account_id,at,outcome\n",
    );
    let run = build(&wd, DATE).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["asked", "ordered"]);
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("too-long", "not-existing")]));
}
