//! Shared by the fuzz targets: the config, the queue date, reading, and
//! judging every account through `callqueue::dataset::Dataset` itself, so
//! that the evidence and facts are built exactly as the program builds
//! them (with no do-not-call lists).
#![allow(dead_code)]

use std::io::Cursor;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use callqueue::config::Config;
use callqueue::dataset::{Dataset, Evidence, Inputs};
use callqueue::history::{self, History};
use callqueue::input::Input;
use callqueue::problems::Problems;
use callqueue::rules::{self, Verdict};
use callqueue::source::{CsvRows, Rows};
use callqueue::suppress::Suppression;
use callqueue::territory::{self, Territory};
use chrono::NaiveDate;

pub const CONFIG_TEXT: &str =
    "timezone = \"America/New_York\"\ndefault_country = \"US\"\n[eligibility]\nebr_days = 540\n";

pub static CONFIG: LazyLock<Config> =
    LazyLock::new(|| Config::from_str(None, CONFIG_TEXT).expect("the fuzz config is valid"));

/// The queue date: 2026-11-24, a Tuesday.
pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("a real date")
}

pub const HISTORY_FILE: &str = "h.csv";

/// `territory::read`; `None` on a structural error (fine: only panics are bugs).
pub fn read_territory(bytes: &[u8], config: &Config, problems: &mut Problems) -> Option<Territory> {
    territory::read(
        &Input::new(Path::new("t.csv")),
        bytes,
        config,
        &[],
        b',',
        problems,
        bytes.len() / 64,
    )
    .ok()
}

/// `history::read` of `bytes`; the opener may be called twice (out-of-order
/// histories are read again).
pub fn read_history(
    bytes: &[u8],
    territory: &Territory,
    config: &Config,
    date: NaiveDate,
    problems: &mut Problems,
) -> Option<History> {
    let owned = bytes.to_vec();
    let input = Input::new(Path::new(HISTORY_FILE));
    let open = || -> anyhow::Result<Box<dyn Rows>> {
        Ok(Box::new(CsvRows::new(
            &input.name,
            Cursor::new(owned.clone()),
            b',',
        )))
    };
    history::read(&input, &open, territory, config, date, problems).ok()
}

/// A history with no rows: every account's tally is empty.
pub fn empty_history(_territory: &Territory) -> History {
    History::default()
}

/// The dataset the program would have built from these inputs.
pub fn dataset(
    territory: Territory,
    history: History,
    date: NaiveDate,
    problems: Problems,
) -> Dataset {
    let inputs = Inputs {
        territory,
        history,
        suppression: Suppression::default(),
        problems,
    };
    // The windows of the default hours: a customer whose zones share none
    // is bad data, as in a run.
    let policy = callqueue::domain::Policy::default();
    Dataset::from_parts(date, Arc::from(HISTORY_FILE), &policy, inputs, None)
}

/// Every account's verdict (`Dataset::judge`, i.e. `rules::evaluate` on
/// `Dataset::facts`), with `rules::findings` built too. With `simple`, also
/// evaluates each account on its territory row alone (no evidence at all).
pub fn judge_all(ds: &Dataset, config: &Config, simple: bool) -> Vec<Verdict> {
    (0..ds.territory.accounts.len() as u32)
        .map(|i| {
            let tally = ds.history.tally(i);
            if simple {
                let none = Evidence::default();
                let facts = ds.facts(i, &none);
                let _ = rules::evaluate(&facts, tally, ds.date, &config.policy);
            }
            let (verdict, evidence) = ds.judge(i, config);
            let facts = ds.facts(i, &evidence);
            let findings = rules::findings(&facts, tally, ds.date, &config.policy);
            assert_eq!(findings.len(), rules::Reason::RULES.len());
            verdict
        })
        .collect()
}

/// The fail-safe: an account opted out in the territory (`opt_out`) or in
/// the history is never queued.
pub fn assert_fail_safe(ds: &Dataset, verdicts: &[Verdict]) {
    for (i, account) in ds.territory.accounts.iter().enumerate() {
        let opted_out = account.opt_out || !ds.history.opt_outs(i as u32).is_empty();
        assert!(
            !(opted_out && verdicts[i].reason.is_queued()),
            "fail-safe broken: account {:?} (index {i}) is opted out but queued as {:?}",
            ds.territory.id(i as u32),
            verdicts[i].reason
        );
    }
}

/// Renders every problem, as `check` would.
pub fn show_problems(problems: &Problems) {
    for p in problems.list() {
        let _ = p.to_string();
    }
}
