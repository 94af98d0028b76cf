//! Shared by the fuzz targets: the config, the queue date, and the facts
//! the rules read, built the way `callqueue::dataset::Dataset` builds them
//! (without do-not-call lists).
#![allow(dead_code)]

use std::io::{Cursor, Read};
use std::path::Path;
use std::sync::LazyLock;

use callqueue::config::Config;
use callqueue::dataset::Evidence;
use callqueue::history::{self, History};
use callqueue::input::Input;
use callqueue::problems::Problems;
use callqueue::rules::{self, Facts, Verdict};
use callqueue::territory::{self, Territory};
use chrono::NaiveDate;

pub const CONFIG_TEXT: &str =
    "timezone = \"America/New_York\"\ndefault_country = \"US\"\n[eligibility]\nebr_days = 540\n";

pub static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::from_str(None, CONFIG_TEXT).expect("the fuzz config is valid")
});

/// The queue date: 2026-11-24, a Tuesday.
pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("a real date")
}

pub const HISTORY_FILE: &str = "h.csv";

pub fn read_territory(bytes: &[u8], config: &Config, problems: &mut Problems) -> Option<Territory> {
    territory::read(
        &Input::new(Path::new("t.csv")),
        bytes,
        config,
        &[],
        b',',
        problems,
    )
    .ok()
}

/// Reads `bytes` as the history; the opener may be called twice.
pub fn read_history(
    bytes: &[u8],
    territory: &Territory,
    config: &Config,
    date: NaiveDate,
    problems: &mut Problems,
) -> Option<History> {
    let owned = bytes.to_vec();
    let open = move || -> anyhow::Result<Box<dyn Read + Send>> {
        Ok(Box::new(Cursor::new(owned.clone())))
    };
    history::read(
        &Input::new(Path::new(HISTORY_FILE)),
        &open,
        territory,
        config,
        date,
        b',',
        problems,
    )
    .ok()
}

/// `Dataset::evidence` without the do-not-call lists.
pub fn evidence(territory: &Territory, history: Option<&History>, index: u32) -> Evidence {
    let account = &territory.accounts[index as usize];
    let mut evidence = Evidence::default();
    if let Some(notes) = &account.notes {
        evidence.opted_out.extend(notes.opted_out.iter().cloned());
        evidence.bad.extend(notes.bad.iter().cloned());
        evidence.duplicated = notes.duplicated;
    }
    if let Some(history) = history {
        if let Some(lines) = history.opted_out.get(&index) {
            evidence.opted_out.extend(lines.iter().cloned());
        }
        if let Some(lines) = history.bad.get(&index) {
            evidence.bad.extend(lines.iter().cloned());
        }
    }
    evidence
}

/// `Dataset::facts`.
pub fn facts<'a>(territory: &'a Territory, index: u32, evidence: &'a Evidence) -> Facts<'a> {
    let account = &territory.accounts[index as usize];
    Facts {
        status: account.status(),
        last_order: account.last_order,
        opted_out: &evidence.opted_out,
        bad: &evidence.bad,
        duplicated: evidence.duplicated,
        history_file: HISTORY_FILE,
    }
}

/// Evaluates every account (and builds `findings`' texts); returns the
/// verdicts by account index.
pub fn judge_all(
    territory: &Territory,
    history: &History,
    config: &Config,
    date: NaiveDate,
) -> Vec<Verdict> {
    (0..territory.accounts.len() as u32)
        .map(|i| {
            let evidence = evidence(territory, Some(history), i);
            let facts = facts(territory, i, &evidence);
            let tally = &history.tallies[i as usize];
            let verdict = rules::evaluate(&facts, tally, date, &config.policy);
            let findings = rules::findings(&facts, tally, date, &config.policy);
            assert_eq!(findings.len(), rules::Rule::ALL.len());
            verdict
        })
        .collect()
}
