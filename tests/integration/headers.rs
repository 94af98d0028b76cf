//! Territory headers as CRMs write them: their opt-out spellings are read
//! as opt_out, and a header that looks like an opt-out or consent flag but
//! is not read stops the run until the config says what it is.

use crate::workdir::{Run, Workdir, column, csv_rows};

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

fn audit(wd: &Workdir) -> Vec<(String, String)> {
    csv_rows(&wd.read("x.csv"))
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect()
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
            audit(&wd),
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
