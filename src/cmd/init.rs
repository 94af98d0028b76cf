//! `callqueue init [DIR]`: a commented callqueue.toml with every setting at
//! its default, an empty history with its header, and, with `--example`, a
//! tiny territory and do-not-call list to try it on. Never overwrites.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::Duration;

use crate::cli::InitArgs;
use crate::config::{Config, DEFAULT_FILE, is_utc_name};
use crate::history::HEADER;
use crate::output::say;

pub fn run(args: &InitArgs) -> Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    // The office zone as this machine sees it (TZ, the system, else UTC).
    let office = Config::from_str(None, "")?.office;
    let today = chrono::Utc::now().with_timezone(&office).date_naive();
    if is_utc_name(office.name()) {
        say(&format!(
            "warning: this machine's zone is {}; the config says so, but set timezone to your office's zone (such as \"America/New_York\")",
            office.name()
        ));
    }
    let mut files: Vec<(PathBuf, String)> = vec![(
        dir.join(DEFAULT_FILE),
        template(office.name(), args.example),
    )];
    let history = dir.join("history.csv");
    if args.example {
        files.push((dir.join("territory.csv"), EXAMPLE_TERRITORY.to_owned()));
        files.push((dir.join("dnc.csv"), EXAMPLE_DNC.to_owned()));
        files.push((history, example_history(today)));
    } else if !history.exists() {
        files.push((history, format!("{}\n", HEADER.join(","))));
    }
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        bail!(
            "{}: exists already; init never overwrites a file (move it aside, or choose another folder: callqueue init DIR)",
            existing.display()
        );
    }
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    for (path, text) in &files {
        write_new(path, text)?;
    }
    let written: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    let next = if args.example {
        format!("cd {} && callqueue check && callqueue build", dir.display())
    } else {
        format!(
            "put your CRM's export in {}, edit {} to suit, then run callqueue check and callqueue build",
            dir.join("territory.csv").display(),
            dir.join(DEFAULT_FILE).display()
        )
    };
    // The folder's name is the user's, and may hold anything.
    say(&format!("wrote {}", written.join(", ")));
    say(&format!("next: {next}"));
    Ok(())
}

/// Creates `path` with `text`; fails if it appeared meanwhile.
fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| {
            format!(
                "{}: cannot create (init never overwrites a file)",
                path.display()
            )
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("{}: cannot be written", path.display()))
}

/// The config `init` writes: every setting at its default, explained.
pub fn template(office: &str, example: bool) -> String {
    let (country, suppress) = if example {
        ("default_country = \"US\"", "suppress = [\"dnc.csv\"]     ")
    } else {
        (
            "# default_country = \"US\"",
            "suppress = []                ",
        )
    };
    let utc_note = if is_utc_name(office) {
        "# This machine's zone is UTC, which is rarely an office's: set yours here\n\
         # (such as \"America/New_York\"); `callqueue check` warns until you do.\n"
    } else {
        ""
    };
    format!(
        r#"# callqueue's policy: who may be called, how often, and when.
# Every setting is shown at its default; change what your team needs, then
# run `callqueue check`, which names any mistake with its line.

# The office's time zone (an IANA name, detected from this machine). The
# queue date, history times written without an offset and the calling hours
# shown in the queue are all in this zone.
timezone = "{office}"
{utc_note}
# Phone numbers written without a country code belong to this country (a
# two-letter region such as "US" or "GB"), and are compared in E.164 form
# against the do-not-call lists. Set it if you use such lists.
{country}

# The inputs, relative to this file; --territory, --history and --suppress
# override them.
territory = "territory.csv"    # your CRM's export of accounts
history = "history.csv"        # the call log that `callqueue record` appends to
{suppress}  # do-not-call lists, e.g. ["dnc.csv", "national-dnc.csv"]

[eligibility]
# Accounts whose status is one of these are existing customers; any other
# status, or an empty one, is never called (when the territory has a status
# column).
existing_statuses = ["active", "customer"]
# When set, a customer whose last order (the last_order column) is more than
# this many days before the queue date is no longer called.
# ebr_days = 540
# With ebr_days: a last inquiry (the last_inquiry column) this recent also
# makes an existing customer.
# inquiry_days = 90

[caps]
max_contacts = 2         # contacts allowed ...
window_days = 365        # ... in any rolling window of this many days
max_unanswered = 5       # unanswered attempts in a row before a pause
pause_days = 60          # how long that pause lasts, in days
retry_days = 7           # the wait after an unanswered attempt
contact_gap_days = 90    # the wait after a contact
# Rolling limits, e.g. at most 3 calls in any 24 hours:
# limits = [{{ count = 3, within_hours = 24, of = "attempts" }}]
limits = []

[hours]
days = ["mon", "tue", "wed", "thu", "fri"]   # the calling days
start = "09:00"          # in the customer's own time zone
end = "17:00"
holidays = []            # no calls on these days, e.g. ["12-25 observed", "4th thu nov", "2027-01-01"]

[location]
# A customer's zones come from the territory's timezone column, else its
# postal code, else its state or province, else the phone's area code.
unknown_zone = "exclude"     # when none says: "exclude" (bad data) or "office"
cross_check = true           # also honour the phone's zones when they differ

[compliance]
# The telemarketing law of each customer's state or province, on top of
# the hours above: "us", "ca", a profile file, or "none". Not legal advice:
# see `callqueue compliance` for the rules and their citations.
profile = "none"

[consent]
# "opt-out": call existing customers unless they said stop. "opt-in": call
# only those who agreed (the opt_in column, or an opt-in in the history).
mode = "opt-out"

[queue]
# The most accounts in each rep's queue; --limit overrides it.
# per_rep = 40
# Distinct customers each rep should reach a calling day; `callqueue report` compares.
# daily_target = 25
# The best_time column: the hour of today's window each customer is
# likeliest to answer, from the history's answer rates; false skips it.
best_time = true

[columns]
# Your files' names for callqueue's columns, when they differ, e.g.
# "Account Number" = "account_id"
# "Owner" = "rep"
# or "ignore" for a column that looks like an opt-out but is not one:
# "Email Opt Out" = "ignore"

[outcomes]
# Your dialer's words for call outcomes, e.g.
# "Left VM" = "no-answer"
# "Remove from list" = "opt-out"
"#
    )
}

const EXAMPLE_TERRITORY: &str = "\
account_id,name,phone,rep,status,opt_out,state,postal_code,priority
A-1,Acme Hardware,(212) 555-0101,Alice,active,no,NY,10001,2
A-2,Birch & Sons,(312) 555-0102,Alice,active,no,IL,60601,1
A-3,Cobalt Dental,(303) 555-0103,Alice,prospect,no,CO,80202,5
B-1,Delta Freight,(415) 555-0104,Bob,customer,no,CA,94105,3
B-2,Evergreen Cafe,(503) 555-0105,Bob,active,yes,OR,97201,1
B-3,Fulton Books,(718) 555-0106,Bob,active,no,NY,11201,1
";

const EXAMPLE_DNC: &str = "phone\n+1 415 555 0104\n";

/// A few calls, dated from `today` so that the example means something on
/// the day it is written.
fn example_history(today: chrono::NaiveDate) -> String {
    let day = |n: i64| today - Duration::days(n);
    format!(
        "{}\nB-3,{} 10:15,no-answer,,Bob,rang out,,+17185550106\nA-2,{} 14:00,answered,,Alice,reordered,,+13125550102\nA-1,{} 11:30,callback,{} 10:00,Alice,call back about the invoice,,+12125550101\n",
        HEADER.join(","),
        day(1),
        day(30),
        day(3),
        today
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Caps, Hours, Policy};

    #[test]
    fn the_template_reads_as_the_defaults() {
        for example in [false, true] {
            let text = template("America/New_York", example);
            let c = Config::from_str(Some(Path::new("/x/callqueue.toml")), &text).unwrap();
            assert_eq!(c.office, chrono_tz::America::New_York);
            assert_eq!(c.policy.caps, Caps::default());
            assert_eq!(c.policy.hours, Hours::default());
            assert_eq!(
                c.policy.existing_statuses,
                Policy::default().existing_statuses
            );
            assert_eq!(c.policy.ebr_days, None);
            assert_eq!(c.per_rep, None);
            assert!(c.columns.is_empty() && c.outcomes.is_empty());
            assert_eq!(c.territory, Some(PathBuf::from("/x/territory.csv")));
            assert_eq!(c.suppress.len(), usize::from(example));
            assert!(c.warnings.is_empty());
        }
    }

    #[test]
    fn every_config_key_is_in_the_template() {
        let text = template("UTC", false);
        for key in [
            "timezone",
            "default_country",
            "territory",
            "history",
            "suppress",
            "[eligibility]",
            "existing_statuses",
            "ebr_days",
            "[caps]",
            "max_contacts",
            "window_days",
            "max_unanswered",
            "pause_days",
            "retry_days",
            "contact_gap_days",
            "[hours]",
            "days",
            "start",
            "end",
            "holidays",
            "[queue]",
            "per_rep",
            "best_time",
            "[location]",
            "unknown_zone",
            "cross_check",
            "inquiry_days",
            "limits",
            "[compliance]",
            "profile",
            "[consent]",
            "mode",
            "[columns]",
            "[outcomes]",
        ] {
            assert!(text.contains(key), "{key}");
        }
    }
}
