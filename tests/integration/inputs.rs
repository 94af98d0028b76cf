//! Input quirks: encodings, line endings, header spellings, quoting, the
//! config's mappings, and rows that cannot be read.

use crate::workdir::{Workdir, audit, column, csv_rows, pairs};

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\n";

fn build(wd: &Workdir, territory: &str, history: &str) -> crate::workdir::Run {
    wd.write("callqueue.toml", CONFIG)
        .write("t.csv", territory)
        .write("h.csv", history);
    wd.run(&[
        "build",
        "--date",
        "2026-11-24",
        "-t",
        "t.csv",
        "-H",
        "h.csv",
        "--excluded",
        "x.csv",
    ])
}

/// `build` with one do-not-call list, `dnc.csv`, and an empty history.
fn build_with_list(wd: &Workdir, territory: &str, list: impl AsRef<[u8]>) -> crate::workdir::Run {
    build_with_list_and(wd, territory, list, "")
}

/// `build_with_list`, with more lines for the config.
fn build_with_list_and(
    wd: &Workdir,
    territory: &str,
    list: impl AsRef<[u8]>,
    config: &str,
) -> crate::workdir::Run {
    wd.write("dnc.csv", list).write(
        "callqueue.toml",
        format!("{CONFIG}suppress = [\"dnc.csv\"]\n{config}"),
    );
    wd.write("t.csv", territory)
        .write("h.csv", "account_id,at,outcome\n");
    wd.run(&[
        "build",
        "--date",
        "2026-11-24",
        "-t",
        "t.csv",
        "-H",
        "h.csv",
        "--excluded",
        "x.csv",
    ])
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let wd = Workdir::new();
    let territory =
        "\u{feff}Account ID,Phone,Rep\r\nA1,2125550100,alice\r\n\r\nA2,2125550101,alice\r\n";
    let history = "\u{feff}account_id,at,outcome\r\nA2,2026-11-23 10:00,busy\r\n";
    let run = build(&wd, territory, history).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A1"]);
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("A2", "too-soon")]));
}

#[test]
fn headers_match_in_any_spelling() {
    let wd = Workdir::new();
    let territory = " ACCOUNT-ID ,PHONE, Opt Out ,Time Zone,Rep\nA1,2125550100,Y,UTC,r\nA2,4155550101,,us/pacific,r\n";
    let history = "Account Id,AT,Outcome,Callback At\n";
    let run = build(&wd, territory, history).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2"]);
    assert_eq!(column(&run.stdout, "timezone"), vec!["US/Pacific"]);
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("A1", "opted-out")]));
}

#[test]
fn two_headers_for_one_column_are_an_error() {
    let wd = Workdir::new();
    let run = build(
        &wd,
        "account_id,Account ID,phone\nA,B,1\n",
        "account_id,at,outcome\n",
    )
    .expect(1);
    assert!(
        run.stderr.contains(
            "t.csv:1: headers \"account_id\" and \"Account ID\" both name the account_id column"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_required_columns_are_errors_naming_the_file() {
    let wd = Workdir::new();
    let run = build(&wd, "id,phone\nA,1\n", "account_id,at,outcome\n").expect(1);
    assert!(
        run.stderr
            .contains("t.csv: has no account_id column (its headers are: id, phone)"),
        "{}",
        run.stderr
    );
    let run = build(&wd, "account_id,phone\nA,1\n", "account_id,when,outcome\n").expect(1);
    assert!(
        run.stderr.contains("h.csv: has no at column"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_files_are_errors_and_header_only_files_are_empty_inputs() {
    let wd = Workdir::new();
    let run = build(&wd, "", "account_id,at,outcome\n").expect(1);
    assert!(
        run.stderr
            .contains("t.csv: is empty; it needs a header row"),
        "{}",
        run.stderr
    );
    let run = build(&wd, "account_id,phone\nA,1\n", "").expect(1);
    assert!(run.stderr.contains("h.csv: is empty"), "{}", run.stderr);
    let run = build(&wd, "account_id,phone\n", "account_id,at,outcome\n").ok();
    assert_eq!(csv_rows(&run.stdout).len(), 1);
    assert!(run.stderr.contains("0 queued"), "{}", run.stderr);
}

#[test]
fn columns_and_outcomes_mappings_apply() {
    let wd = Workdir::new();
    wd.write(
        "cq.toml",
        format!("{CONFIG}[columns]\n\"Acct #\" = \"account_id\"\n\"Result\" = \"outcome\"\n[outcomes]\n\"LVM\" = \"no-answer\"\n\"Remove Me\" = \"opt-out\"\n"),
    )
    .write("t.csv", "Acct #,Phone\nA1,2125550100\nA2,2125550101\nA3,2125550102\n")
    .write(
        "h.csv",
        "Acct #,At,Result\nA1,2026-11-23,lvm\nA2,2020-01-01,REMOVE ME\n",
    );
    let run = wd
        .run(&[
            "build",
            "-c",
            "cq.toml",
            "--date",
            "2026-11-24",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "--excluded",
            "x.csv",
        ])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A3"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[("A1", "too-soon"), ("A2", "opted-out")])
    );
}

#[test]
fn quoted_fields_with_commas_quotes_and_newlines() {
    let wd = Workdir::new();
    let territory = "account_id,name,phone\nA1,\"Smith, Jones & \"\"Co\"\"\n(East)\",2125550100\nA2,Plain,2125550101\n";
    let run = build(&wd, territory, "account_id,at,outcome\n").ok();
    let names = column(&run.stdout, "name");
    assert_eq!(names, vec!["Smith, Jones & \"Co\"\n(East)", "Plain"]);
}

#[test]
fn a_ragged_territory_row_is_bad_data_and_names_its_line() {
    let wd = Workdir::new();
    let territory = "account_id,phone,rep\nA1,2125550100,r\nA2,2125550101\nA3,2125550102,r,extra\n";
    let run = build(&wd, territory, "account_id,at,outcome\n").ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A1"]);
    // A2's short row has no rep cell: it is unassigned, listed after "r".
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[("A3", "bad-data"), ("A2", "bad-data")])
    );
    assert!(
        run.stderr
            .contains("t.csv:3: row has 2 fields where the header has 3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("t.csv:4: row has 4 fields where the header has 3"),
        "{}",
        run.stderr
    );
}

#[test]
fn unreadable_history_rows_make_the_account_bad_data_with_the_line() {
    let wd = Workdir::new();
    let territory = "account_id,phone\nA1,2125550101\nA2,2125550102\nA3,2125550103\nA4,2125550104\nA5,2125550105\n";
    let history = "account_id,at,outcome,callback_at\n\
                   A1,2026-02-30 10:00,answered,\n\
                   A2,2026-11-01,left a note,\n\
                   A3,2026-11-01,callback,\n\
                   A4,2026-11-01 10:00:00+99:00,busy,\n";
    let run = build(&wd, territory, history).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A5"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("A1", "bad-data"),
            ("A2", "bad-data"),
            ("A3", "bad-data"),
            ("A4", "bad-data")
        ])
    );
    let details = column(&wd.read("x.csv"), "detail");
    assert_eq!(
        details[0],
        "h.csv:2: at \"2026-02-30 10:00\" names a date or time that does not exist"
    );
    assert!(
        details[1].starts_with("h.csv:3: outcome \"left a note\" is not known"),
        "{}",
        details[1]
    );
    assert_eq!(
        details[2],
        "h.csv:4: callback without callback_at: when did the customer ask to be called?"
    );
    assert_eq!(
        details[3],
        "h.csv:5: at \"2026-11-01 10:00:00+99:00\" names a date or time that does not exist"
    );
}

#[test]
fn an_opt_out_row_counts_even_when_unreadable_or_in_the_future() {
    let wd = Workdir::new();
    let territory = "account_id,phone\nA1,2125550101\nA2,2125550102\nA3,2125550103\n";
    let history = "account_id,at,outcome\nA1,not a time,DNC\nA2,2027-06-01,opt-out\n";
    let run = build(&wd, territory, history).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A3"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[("A1", "opted-out"), ("A2", "opted-out")])
    );
}

#[test]
fn invalid_utf8_is_reported_not_fatal() {
    let wd = Workdir::new();
    let mut territory = b"account_id,name,phone\nA1,Caf".to_vec();
    territory.extend([0xE9, b','].iter().chain(b"2125550101\n"));
    territory.extend(b"A\xFF2,x,2125550102\nA3,y,2125550103\n");
    wd.write("callqueue.toml", CONFIG)
        .write("t.csv", territory)
        .write("h.csv", "account_id,at,outcome\n");
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-24",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
        ])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A1", "A3"]);
    assert_eq!(column(&run.stdout, "name")[0], "Caf\u{fffd}");
    assert!(
        run.stderr
            .contains("t.csv:3: account_id is not valid UTF-8; row skipped"),
        "{}",
        run.stderr
    );
}

#[test]
fn duplicate_ids_get_one_verdict() {
    let wd = Workdir::new();
    let territory = "account_id,phone,status,opt_out\nA1,1,active,no\nA1,2,prospect,no\nA2,3,active,no\nA2,4,active,yes\n";
    let run = build(&wd, territory, "account_id,at,outcome\n").ok();
    assert_eq!(csv_rows(&run.stdout).len(), 1);
    // A1's second row is a prospect, but rule 1 is not consulted for a
    // duplicated id: it is bad data. A2 has an opt-out on one row.
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[("A1", "bad-data"), ("A2", "opted-out")])
    );
}

#[test]
fn suppression_matches_normalised_phones_of_every_row() {
    let wd = Workdir::new();
    wd.write("dnc.csv", "Phone\n+1 (212) 555-0199\n");
    let territory = "account_id,phone\nA1,212.555.0199 ext 4\nA2,2125550100\nA2,1-212-555-0199\nA3,2125550101\n";
    wd.write(
        "callqueue.toml",
        format!("{CONFIG}suppress = [\"dnc.csv\"]\n"),
    )
    .write("t.csv", territory)
    .write("h.csv", "account_id,at,outcome\n");
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-24",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "--excluded",
            "x.csv",
        ])
        .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A3"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[("A1", "opted-out"), ("A2", "opted-out")])
    );
}

/// A do-not-call list saved by a spreadsheet holds its phones as numbers
/// (`2125550101.0`, `2.125550103E9`); each still opts out the customer it
/// names. Pins the bug where they became junk numbers and those customers
/// were queued.
#[test]
fn a_list_written_by_a_spreadsheet_opts_out_the_numbers_it_holds() {
    let wd = Workdir::new();
    let list = "phone\n2125550101.0\n12125550102.0\n2.125550103E9\n2.125550104e+09\n\
                00 1 212 555 0105\n\"212,555,0106\"\n";
    let territory = "account_id,phone\nS1,(212) 555-0101\nS2,212-555-0102\nS3,212.555.0103\n\
                     S4,2125550104\nS5,+1 212 555 0105\nS6,212 555 0106\nS7,212 555 0107\n";
    let run = build_with_list(&wd, territory, list).ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["S7"]);
    assert_eq!(
        audit(&wd, "x.csv"),
        pairs(&[
            ("S1", "opted-out"),
            ("S2", "opted-out"),
            ("S3", "opted-out"),
            ("S4", "opted-out"),
            ("S5", "opted-out"),
            ("S6", "opted-out"),
        ])
    );
    assert!(!run.stderr.contains("dnc.csv:"), "{}", run.stderr);
}

/// A list cell with two numbers is an error naming the file and the line,
/// never a junk entry; each of its numbers is listed, as either may be the
/// customer who asked not to be called.
#[test]
fn a_list_cell_with_two_numbers_is_an_error_naming_its_line() {
    let wd = Workdir::new();
    wd.write(
        "dnc.csv",
        "phone\n212-555-0104 / 212-555-0105\n2125550106;2125550107\n2125550101.5\n",
    )
    .write(
        "callqueue.toml",
        format!("{CONFIG}territory = \"t.csv\"\nhistory = \"h.csv\"\nsuppress = [\"dnc.csv\"]\n"),
    )
    .write("t.csv", "account_id,phone\nA1,2125550100\n")
    .write("h.csv", "account_id,at,outcome\n");
    let run = wd.run(&["check", "--date", "2026-11-24"]).expect(1);
    for expected in [
        "dnc.csv:2: error: phone \"212-555-0104 / 212-555-0105\" holds more than one number; each of the 2 numbers read from it is listed (put one number on each row)",
        "dnc.csv:3: error: phone \"2125550106;2125550107\" holds more than one number; each of the 2 numbers read from it is listed (put one number on each row)",
        "dnc.csv:4: error: phone \"2125550101.5\" is a number with a fraction, not a phone number; this entry cannot protect anyone (fix it)",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == expected),
            "missing: {expected}\n{}",
            run.stdout
        );
    }
}

/// The territory reads its phone cell as the lists do; a cell with two
/// numbers leaves the number to dial unknown, so the account is bad data.
#[test]
fn a_territory_phone_with_two_numbers_is_bad_data_naming_its_line() {
    let wd = Workdir::new();
    let territory =
        "account_id,phone\nA1,212-555-0104 / 212-555-0105\nA2,2.125550106E9\nA3,2125550107\n";
    let run = build(&wd, territory, "account_id,at,outcome\n").ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2", "A3"]);
    assert_eq!(column(&run.stdout, "phone")[0], "+12125550106");
    assert_eq!(audit(&wd, "x.csv"), pairs(&[("A1", "bad-data")]));
    assert!(
        run.stderr
            .contains("t.csv:2: phone \"212-555-0104 / 212-555-0105\" holds more than one number"),
        "{}",
        run.stderr
    );
}

#[test]
fn semicolon_delimited_inputs() {
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write(
            "t.csv",
            "account_id;phone;name\nA1;2125550100;Müller, GmbH\n",
        )
        .write("h.csv", "account_id;at;outcome\n");
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-24",
            "-t",
            "t.csv",
            "-H",
            "h.csv",
            "--delimiter",
            ";",
        ])
        .ok();
    assert_eq!(column(&run.stdout, "name"), vec!["Müller, GmbH"]);
    wd.run(&["build", "--delimiter", "ab"]).expect(2);
}

#[test]
fn history_times_in_every_format_and_offset() {
    let wd = Workdir::new();
    // The office is New York. 2026-11-24T03:00:00Z is still the 23rd there.
    let territory =
        "account_id,phone\nA1,2125550101\nA2,2125550102\nA3,2125550103\nA4,2125550104\n";
    let history = "account_id,at,outcome\n\
                   A1,2026-11-24T03:00:00Z,answered\n\
                   A2,2026-11-24,answered\n\
                   A3,2026-11-24T23:30:00-05:00,answered\n\
                   A4,2026-11-25T02:00:00+00:00,answered\n";
    let run = build(&wd, territory, history).ok();
    // A4's call (2026-11-24 21:00 in New York) is on the queue date too.
    assert!(
        column(&run.stdout, "account_id").is_empty(),
        "{}",
        run.stdout
    );
    let contacts: Vec<String> = csv_rows(&wd.read("x.csv"))
        .into_iter()
        .skip(1)
        .map(|r| r[4].clone())
        .collect();
    assert!(
        contacts[0].contains("the last contact was on 2026-11-23"),
        "{}",
        contacts[0]
    );
    assert!(
        contacts[1].contains("the last contact was on 2026-11-24"),
        "{}",
        contacts[1]
    );
    assert!(
        contacts[2].contains("the last contact was on 2026-11-24"),
        "{}",
        contacts[2]
    );
    assert!(
        contacts[3].contains("the last contact was on 2026-11-24"),
        "{}",
        contacts[3]
    );
}

/// A do-not-call entry that holds its number among other text is
/// reported, and the number found in it still protects the customer: an
/// extension too long to be one, a stray byte that is not UTF-8, digit
/// groups split by commas or a stray letter.
#[test]
fn a_listed_number_written_oddly_still_protects_its_customer() {
    let territory = "account_id,phone\nA1,+12125550101\nA2,2125550102\n";
    let cells: [&[u8]; 7] = [
        b"+1 212 555 0101 ext. 1234567",
        b"2125550101 x1234567",
        b"(212) 555-0101 #12345678",
        b"+12125550101\xff",
        b"\xff+1 212 555 0101",
        b"\"+1 212,555,0101\"",
        b"\"212,55x5,0101\"",
    ];
    for cell in cells {
        let wd = Workdir::new();
        let list = [b"phone\n".as_slice(), cell, b"\n"].concat();
        let run = build_with_list(&wd, territory, list);
        let shown = String::from_utf8_lossy(cell);
        assert_eq!(run.code, 0, "{shown}: {}", run.stderr);
        assert_eq!(
            column(&run.stdout, "account_id"),
            vec!["A2"],
            "{shown}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("dnc.csv:2: phone"),
            "{shown}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("cannot protect anyone"),
            "{shown}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("each of the 0 numbers"),
            "{shown}: {}",
            run.stderr
        );
    }
}

/// A list's phone or account_id header with an invisible character in
/// it (a second byte-order mark, a zero-width space) would not be read,
/// and every entry under it would protect no one: the run stops.
#[test]
fn a_look_alike_column_of_a_do_not_call_list_stops_the_run() {
    let territory = "account_id,phone\nA1,+12125550101\nA2,2125550102\n";
    for list in [
        "account_id,ph\u{200b}one\nZ9,+12125550101\n",
        "\u{feff}\u{feff}account_id,phone\nA1,\n",
        "Account\u{2060} ID\nA1\n",
    ] {
        let wd = Workdir::new();
        wd.write("q.csv", "the old queue\n");
        let run = build_with_list(&wd, territory, list);
        assert_eq!(run.code, 1, "{list:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("only with its invisible or full-width characters taken out"),
            "{list:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("dnc.csv:1:"),
            "{list:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{list:?}: {}", run.stdout);
        let check = wd.run(&["check", "-t", "t.csv", "-H", "h.csv"]);
        assert_eq!(check.code, 1, "{list:?}: {}", check.stderr);
    }
    // Mapped in [columns.suppress], the header is read as what it is
    // said to be.
    let wd = Workdir::new();
    let run = build_with_list_and(
        &wd,
        territory,
        "ph\u{200b}one\n+12125550101\n",
        "[columns.suppress]\n\"ph\u{200b}one\" = \"phone\"\n",
    )
    .ok();
    assert_eq!(column(&run.stdout, "account_id"), vec!["A2"]);
}
