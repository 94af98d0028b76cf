//! Where the customer is: zones and regions from the address and the phone
//! (never silently the office's), the calling window they make, and what
//! `explain`, `check` and the summary say about them.

use crate::workdir::{Run, Workdir, audit, column, csv_rows, new_york, new_york_config};

/// A New York office with an empty history; `extra` is more config.
fn workdir(territory: &str, extra: &str) -> Workdir {
    new_york(extra, territory, "account_id,at,outcome\n")
}

fn build(wd: &Workdir, date: &str) -> Run {
    wd.run(&[
        "build",
        "--date",
        date,
        "-o",
        "q.csv",
        "--excluded",
        "x.csv",
        "--summary",
        "s.json",
    ])
}

/// The queue's rows as maps from column to cell, by account id.
fn queue_cell(wd: &Workdir, id: &str, name: &str) -> String {
    let text = wd.read("q.csv");
    let ids = column(&text, "account_id");
    let cells = column(&text, name);
    let k = ids
        .iter()
        .position(|i| i == id)
        .unwrap_or_else(|| panic!("{id} is not queued:\n{text}"));
    cells[k].clone()
}

#[test]
fn a_california_customer_is_called_in_california_hours() {
    let wd = workdir(
        "account_id,phone,state,postal_code\nCA1,(415) 555-0101,CA,94105\n",
        "",
    );
    build(&wd, "2026-11-24").ok();
    assert_eq!(queue_cell(&wd, "CA1", "call_from"), "12:00");
    assert_eq!(queue_cell(&wd, "CA1", "call_until"), "20:00");
    assert_eq!(queue_cell(&wd, "CA1", "timezone"), "America/Los_Angeles");
    assert_eq!(queue_cell(&wd, "CA1", "region"), "US-CA");
    assert_eq!(queue_cell(&wd, "CA1", "zone_from"), "postal_code");
}

#[test]
fn an_address_and_a_phone_that_disagree_give_the_hours_both_allow() {
    // A Dallas address and a Manhattan number.
    let wd = workdir(
        "account_id,phone,state,postal_code\nTX1,(212) 555-0101,TX,75201\n",
        "",
    );
    build(&wd, "2026-11-24").ok();
    assert_eq!(queue_cell(&wd, "TX1", "call_from"), "10:00");
    assert_eq!(queue_cell(&wd, "TX1", "call_until"), "17:00");
    assert_eq!(
        queue_cell(&wd, "TX1", "timezone"),
        "America/Chicago;America/New_York"
    );
    assert_eq!(queue_cell(&wd, "TX1", "zone_from"), "postal_code+phone");
    assert_eq!(queue_cell(&wd, "TX1", "region"), "US-TX;US-NY");
    // Without the cross-check, the address alone.
    wd.write(
        "callqueue.toml",
        new_york_config("[location]\ncross_check = false\n"),
    );
    build(&wd, "2026-11-24").ok();
    assert_eq!(queue_cell(&wd, "TX1", "call_from"), "10:00");
    assert_eq!(queue_cell(&wd, "TX1", "call_until"), "18:00");
    assert_eq!(queue_cell(&wd, "TX1", "region"), "US-TX");
}

/// The known hard places: each row has a toll-free number (which places
/// nothing) and one address cell, or a foreign number and no address.
#[test]
fn the_hard_places_get_their_own_zones() {
    let cases = [
        ("gary", "postal_code", "46402", "America/Chicago"),
        (
            "indianapolis",
            "postal_code",
            "46204",
            "America/Indiana/Indianapolis",
        ),
        ("pensacola", "postal_code", "32501", "America/Chicago"),
        ("el-paso", "postal_code", "79901", "America/Denver"),
        ("phoenix", "postal_code", "85001", "America/Phoenix"),
        ("honolulu", "postal_code", "96813", "Pacific/Honolulu"),
        ("anchorage", "postal_code", "99501", "America/Anchorage"),
        ("st-johns", "postal_code", "A1C 5M2", "America/St_Johns"),
        ("regina", "postal_code", "S4P 3Y2", "America/Regina"),
        ("london", "phone", "+44 20 7946 0000", "Europe/London"),
        ("tokyo", "phone", "+81 3 5555 0303", "Asia/Tokyo"),
    ];
    let mut territory = String::from("account_id,phone,postal_code,country\n");
    for (id, source, cell, _) in cases {
        match (source, cell.starts_with(char::is_alphabetic)) {
            ("phone", _) => territory.push_str(&format!("{id},{cell},,\n")),
            (_, true) => territory.push_str(&format!("{id},+1 800 555 0100,{cell},CA\n")),
            (_, false) => territory.push_str(&format!("{id},+1 800 555 0100,{cell},\n")),
        }
    }
    let wd = workdir(
        &territory,
        "[hours]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
    );
    // In July: Phoenix keeps standard time, so its clock is Pacific's.
    build(&wd, "2026-07-15").ok();
    for (id, source, _, zone) in cases {
        assert_eq!(queue_cell(&wd, id, "timezone"), zone, "{id}");
        assert_eq!(queue_cell(&wd, id, "zone_from"), source, "{id}");
    }
    let hours = |id| {
        (
            queue_cell(&wd, id, "call_from"),
            queue_cell(&wd, id, "call_until"),
        )
    };
    assert_eq!(hours("phoenix"), ("12:00".into(), "20:00".into()));
    assert_eq!(hours("el-paso"), ("11:00".into(), "19:00".into()));
    assert_eq!(hours("honolulu"), ("15:00".into(), "23:00".into()));
    // Newfoundland is half an hour off the hour; Saskatchewan keeps
    // standard time all year (Central's clock in winter, Mountain's in
    // summer).
    assert_eq!(hours("st-johns"), ("07:30".into(), "15:30".into()));
    assert_eq!(hours("regina"), ("11:00".into(), "19:00".into()));
    build(&wd, "2026-01-14").ok();
    assert_eq!(hours("phoenix"), ("11:00".into(), "19:00".into()));
    assert_eq!(hours("regina"), ("10:00".into(), "18:00".into()));
}

#[test]
fn an_area_code_that_spans_two_zones_places_no_one_alone() {
    // 850 is mostly Eastern, but not its western exchanges; the plain
    // area code's zones apply only where its finer prefixes say nothing.
    let wd = workdir(
        "account_id,phone\nfl-east,(850) 555-0100\nfl-west,(850) 432-0100\n",
        "",
    );
    build(&wd, "2026-11-24").ok();
    assert_eq!(queue_cell(&wd, "fl-east", "zone_from"), "phone");
    assert_eq!(queue_cell(&wd, "fl-west", "zone_from"), "phone");
    assert_eq!(queue_cell(&wd, "fl-east", "region"), "US-FL");
    assert_ne!(
        queue_cell(&wd, "fl-east", "timezone"),
        queue_cell(&wd, "fl-west", "timezone")
    );
}

#[test]
fn a_customer_no_source_places_is_bad_data_unless_the_office_is_chosen() {
    let territory = "account_id,phone\ntollfree,+1 800 555 0100\n";
    let wd = workdir(territory, "");
    build(&wd, "2026-11-24").ok();
    let audit = audit(&wd, "x.csv");
    assert!(
        audit.contains(&("tollfree".into(), "bad-data".into())),
        "{audit:?}"
    );
    let x = wd.read("x.csv");
    assert!(x.contains("no zone"), "{x}");
    // The office's zone only when asked for.
    wd.write(
        "callqueue.toml",
        new_york_config("[location]\nunknown_zone = \"office\"\n"),
    );
    build(&wd, "2026-11-24").ok();
    assert_eq!(queue_cell(&wd, "tollfree", "zone_from"), "office");
    assert_eq!(queue_cell(&wd, "tollfree", "timezone"), "America/New_York");
}

#[test]
fn zones_that_share_no_hours_are_bad_data() {
    let wd = workdir(
        "account_id,phone,timezone\nfar,(212) 555-0100,Asia/Tokyo\nnear,(212) 555-0101,America/Chicago\n",
        "",
    );
    build(&wd, "2026-11-24").ok();
    let audit = audit(&wd, "x.csv");
    assert_eq!(audit, vec![("far".to_owned(), "bad-data".to_owned())]);
    let x = wd.read("x.csv");
    assert!(x.contains("share no calling hours"), "{x}");
    assert_eq!(queue_cell(&wd, "near", "call_from"), "10:00");
}

#[test]
fn crm_address_headers_are_read_and_a_sales_region_is_not() {
    let wd = workdir(
        "Account ID,Phone,Billing State/Province,Billing Zip/Postal Code,Billing Country,Region\nS1,+1 800 555 0100,Florida,32501,United States,West\n",
        "",
    );
    let run = build(&wd, "2026-11-24").ok();
    assert_eq!(
        queue_cell(&wd, "S1", "timezone"),
        "America/Chicago",
        "{}",
        run.stderr
    );
    assert_eq!(queue_cell(&wd, "S1", "region"), "US-FL");
    // A kept `Region` does not take the queue's own column's name.
    let run = wd
        .run(&[
            "build",
            "--date",
            "2026-11-24",
            "--keep",
            "Region",
            "--format",
            "csv",
        ])
        .ok();
    let rows = csv_rows(&run.stdout);
    assert!(rows[0].contains(&"region".to_owned()));
    assert_eq!(rows[0].last().map(String::as_str), Some("keep_Region"));
    assert_eq!(rows[1].last().map(String::as_str), Some("West"));
}

#[test]
fn explain_says_which_source_gave_each_zone() {
    let wd = workdir(
        "account_id,phone,state,postal_code\nTX1,(212) 555-0101,TX,75201\n",
        "",
    );
    let run = wd.run(&["explain", "TX1", "--date", "2026-11-24"]).ok();
    let text = run.stdout;
    assert!(text.contains("where: America/Chicago and America/New_York (from postal_code+phone), in US-TX and US-NY"), "{text}");
    assert!(
        text.contains("postal_code: America/Chicago, region US-TX (its zones used)"),
        "{text}"
    );
    assert!(text.contains("state:"), "{text}");
    assert!(
        text.contains("phone: America/New_York, region US-NY (its zones used)"),
        "{text}"
    );
    assert!(
        text.contains("10:00-17:00 office time (America/New_York)"),
        "{text}"
    );
    let json = wd
        .run(&["explain", "TX1", "--date", "2026-11-24", "--format", "json"])
        .ok()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value[0]["location"]["zone_from"],
        serde_json::json!(["postal_code", "phone"])
    );
    assert_eq!(value[0]["location"]["call_from"], "10:00");
}

#[test]
fn check_counts_the_sources_and_notes_disagreements() {
    let wd = workdir(
        "account_id,phone,state,postal_code\nTX1,(212) 555-0101,TX,75201\nCA1,(415) 555-0101,,94105\nP1,(312) 555-0101,,\nN1,+1 800 555 0100,Atlantis,\n",
        "",
    );
    let run = wd.run(&["check", "--date", "2026-11-24"]).expect(1);
    let out = run.stdout;
    assert!(out.contains("accounts by where their zones came from: none 1, phone 1, postal_code 1, postal_code+phone 1"), "{out}");
    assert!(out.contains("t.csv:2: note: postal_code says America/Chicago but the phone's area says America/New_York"), "{out}");
    assert!(
        out.contains("t.csv:5: warning: state \"Atlantis\" is not a state or province of US"),
        "{out}"
    );
    assert!(out.contains("t.csv:5: error: no zone"), "{out}");
    build(&wd, "2026-11-24").ok();
    let summary: serde_json::Value = serde_json::from_str(&wd.read("s.json")).unwrap();
    assert_eq!(summary["zone_from"]["postal_code+phone"], 1);
    assert_eq!(summary["zone_from"]["none"], 1);
}

#[test]
fn check_warns_of_an_office_in_utc() {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        "timezone = \"Etc/UTC\"\ndefault_country = \"US\"\n",
    )
    .write("t.csv", "account_id,phone\nA,(212) 555-0101\n")
    .write("h.csv", "account_id,at,outcome\n");
    let out = wd.run(&["check", "-t", "t.csv", "-H", "h.csv"]).ok().stdout;
    assert!(out.contains("warning: the office zone is Etc/UTC"), "{out}");
}

#[test]
fn the_table_names_the_office_zone_in_its_hours_header() {
    let wd = workdir("account_id,phone,name\nA,(212) 555-0101,Acme\n", "");
    let out = wd
        .run(&["build", "--date", "2026-11-24", "--format", "table"])
        .ok()
        .stdout;
    assert!(out.contains("hours (EST)"), "{out}");
    let out = wd
        .run(&["build", "--date", "2026-07-14", "--format", "table"])
        .ok()
        .stdout;
    assert!(out.contains("hours (EDT)"), "{out}");
}
