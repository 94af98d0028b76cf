//! Everything one run reads: the inputs named by the flags and the config,
//! read and joined, and each account's verdict for the queue date.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::UsageError;
use crate::config::Config;
use crate::history::{self, History};
use crate::input::Input;
use crate::problems::Problems;
use crate::queue::{self, Queues};
use crate::rules::{self, Facts, Reason, Verdict};
use crate::suppress::Suppression;
use crate::territory::{self, Account, RepId, Territory};

/// Where the inputs are, from the flags and the config.
#[derive(Debug, Clone)]
pub struct Sources {
    pub config: Config,
    pub territory: Input,
    pub history: Input,
    pub suppress: Vec<Input>,
    pub delimiter: u8,
}

/// Input paths given on the command line (each overrides the config).
#[derive(Debug, Clone, Default)]
pub struct PathFlags<'a> {
    pub config: Option<&'a Path>,
    pub territory: Option<&'a Path>,
    pub history: Option<&'a Path>,
    /// Added to the config's lists: a flag never drops a do-not-call list.
    pub suppress: &'a [PathBuf],
    pub delimiter: u8,
}

impl Sources {
    pub fn resolve(flags: &PathFlags<'_>) -> Result<Sources> {
        let config = Config::load(flags.config)?;
        let pick = |flag: Option<&Path>, from_config: &Option<PathBuf>, what: &str| {
            flag.map(Path::to_path_buf)
                .or_else(|| from_config.clone())
                .map(|p| Input::new(&p))
                .ok_or_else(|| {
                    anyhow::Error::new(UsageError(format!(
                        "no {what} given: pass --{what} FILE, or set {what} = \"FILE\" in {}",
                        config.name()
                    )))
                })
        };
        let territory = pick(flags.territory, &config.territory, "territory")?;
        let history = pick(flags.history, &config.history, "history")?;
        let suppress: Vec<Input> = config
            .suppress
            .iter()
            .chain(flags.suppress)
            .map(|p| Input::new(p))
            .collect();
        let stdin_uses = std::iter::once(&territory)
            .chain(std::iter::once(&history))
            .chain(&suppress)
            .filter(|i| i.is_stdin())
            .count();
        if stdin_uses > 1 {
            return Err(UsageError(
                "standard input (-) can feed only one input per run".to_owned(),
            )
            .into());
        }
        Ok(Sources {
            config,
            territory,
            history,
            suppress,
            delimiter: flags.delimiter,
        })
    }

    /// The queue date: `--date`, else today in the office's zone.
    pub fn date(&self, flag: Option<NaiveDate>) -> NaiveDate {
        flag.unwrap_or_else(|| {
            chrono::Utc::now()
                .with_timezone(&self.config.office)
                .date_naive()
        })
    }
}

/// The inputs, read, for one queue date.
#[derive(Debug)]
pub struct Dataset {
    pub date: NaiveDate,
    /// How messages name the history file.
    pub history_file: Arc<str>,
    pub territory: Territory,
    pub history: History,
    pub suppression: Suppression,
    pub problems: Problems,
}

/// Why an account must not be called, or cannot be trusted: every source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub opted_out: Vec<String>,
    pub bad: Vec<String>,
    /// Why the territory row cannot be trusted, if it cannot.
    pub untrusted: Option<&'static str>,
}

impl Dataset {
    /// Reads every input. `keep` names territory columns to carry into the
    /// queue; `with_notices` collects the problems only `check` shows.
    pub fn load(
        sources: &Sources,
        date: NaiveDate,
        keep: &[String],
        with_notices: bool,
    ) -> Result<Dataset> {
        let config = &sources.config;
        let mut problems = Problems::new(with_notices);
        let territory = territory::read(
            &sources.territory,
            sources.territory.open()?,
            config,
            keep,
            sources.delimiter,
            &mut problems,
        )?;
        let mut suppression = Suppression::default();
        for list in &sources.suppress {
            suppression.add(list, list.open()?, config, sources.delimiter, &mut problems)?;
        }
        let history = read_history(sources, &territory, date, &mut problems)?;
        Ok(Dataset {
            date,
            history_file: Arc::clone(&sources.history.name),
            territory,
            history,
            suppression,
            problems,
        })
    }

    /// Every source's evidence about account `index`.
    pub fn evidence(&self, index: u32) -> Evidence {
        let account = &self.territory.accounts[index as usize];
        let mut evidence = Evidence::default();
        if let Some(notes) = &account.notes {
            evidence.opted_out.extend(notes.opted_out.iter().cloned());
            evidence.bad.extend(notes.bad.iter().cloned());
            evidence.untrusted = if notes.duplicated {
                Some("the id is on more than one territory row")
            } else if notes.ragged {
                Some("its territory row has too many or too few fields")
            } else {
                None
            };
        }
        if let Some(at) = self.suppression.ids.get(&account.id) {
            evidence
                .opted_out
                .push(format!("{at}: account_id is on a do-not-call list"));
        }
        for phone in account.phones() {
            if let Some(at) = self.suppression.phones.get(phone.digits()) {
                evidence.opted_out.push(format!(
                    "{at}: phone {} is on a do-not-call list",
                    phone.as_str()
                ));
            }
        }
        if let Some(lines) = self.history.opted_out.get(&index) {
            evidence.opted_out.extend(lines.iter().cloned());
        }
        if let Some(lines) = self.history.bad.get(&index) {
            evidence.bad.extend(lines.iter().cloned());
        }
        evidence
    }

    /// The rules' verdict for account `index`, with the evidence behind it.
    pub fn judge(&self, index: u32, config: &Config) -> (Verdict, Evidence) {
        let evidence = self.evidence(index);
        let verdict = rules::evaluate(
            &self.facts(index, &evidence),
            &self.history.tallies[index as usize],
            self.date,
            &config.policy,
        );
        (verdict, evidence)
    }

    pub fn facts<'a>(&'a self, index: u32, evidence: &'a Evidence) -> Facts<'a> {
        let account: &'a Account = &self.territory.accounts[index as usize];
        Facts {
            status: account.status(),
            last_order: account.last_order,
            opted_out: &evidence.opted_out,
            bad: &evidence.bad,
            untrusted: evidence.untrusted,
            history_file: &self.history_file,
        }
    }

    /// Every account's verdict, by account index.
    pub fn verdicts(&self, config: &Config) -> Vec<Verdict> {
        (0..self.territory.accounts.len() as u32)
            .map(|i| self.judge(i, config).0)
            .collect()
    }

    /// The verdicts and the queues, with the per-rep limit applied: an
    /// account the limit cuts becomes `over-limit`, due the next calling day.
    pub fn decide(&self, config: &Config, only: Option<RepId>, limit: Option<usize>) -> Decision {
        let mut verdicts = self.verdicts(config);
        let queues = queue::build(
            &self.territory,
            &verdicts,
            &self.history.tallies,
            only,
            limit,
        );
        let next_calling_day = self
            .date
            .succ_opt()
            .and_then(|d| config.policy.hours.calling_day_from(d));
        for &(account, _) in &queues.over_limit {
            let verdict = &mut verdicts[account as usize];
            verdict.reason = Reason::OverLimit;
            verdict.eligible_on = next_calling_day;
        }
        Decision { verdicts, queues }
    }

    /// The audit's words for an account's verdict. `rank` is the rank an
    /// over-limit account would have had.
    pub fn detail(
        &self,
        config: &Config,
        index: u32,
        verdict: Verdict,
        rank: Option<u32>,
        limit: Option<usize>,
    ) -> String {
        match verdict.reason {
            Reason::NotCallingDay => config
                .policy
                .hours
                .closed_because(self.date)
                .unwrap_or_default(),
            Reason::OverLimit => format!(
                "rank {} in the rep's queue; the limit is {}",
                rank.unwrap_or_default(),
                limit.unwrap_or_default()
            ),
            _ => {
                let evidence = self.evidence(index);
                rules::finding(
                    verdict.rule,
                    &self.facts(index, &evidence),
                    &self.history.tallies[index as usize],
                    self.date,
                    &config.policy,
                )
                .text
            }
        }
    }
}

/// Every account's verdict for the day, and each rep's queue.
#[derive(Debug, Clone)]
pub struct Decision {
    /// By account index.
    pub verdicts: Vec<Verdict>,
    pub queues: Queues,
}

/// Reads the history; standard input is held in memory so that it can be
/// read twice if its rows are out of time order.
fn read_history(
    sources: &Sources,
    territory: &Territory,
    date: NaiveDate,
    problems: &mut Problems,
) -> Result<History> {
    let input = &sources.history;
    if input.is_stdin() {
        let mut bytes = Vec::new();
        input
            .open()?
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: cannot be read", input.name))?;
        let bytes = Arc::new(bytes);
        let open = move || -> Result<Box<dyn Read + Send>> {
            Ok(Box::new(Cursor::new(SharedBytes(Arc::clone(&bytes)))))
        };
        history::read(
            input,
            &open,
            territory,
            &sources.config,
            date,
            sources.delimiter,
            problems,
        )
    } else {
        let open = || input.open();
        history::read(
            input,
            &open,
            territory,
            &sources.config,
            date,
            sources.delimiter,
            problems,
        )
    }
}

/// Bytes shared between readers of the same buffered input.
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}
