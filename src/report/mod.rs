//! The manager's report (`callqueue report`, `build --report`): one
//! self-contained HTML page with the day's queues, the excluded accounts,
//! the workload ahead, answer rates from the history and the data
//! problems. `aggregate.rs` holds the numbers, `calls.rs` the pass over the
//! history, `svg.rs` the charts and `html.rs` the page.
//!
//! The page holds aggregates, never one row per account: a million
//! accounts make a page of the same size as a hundred.

pub mod aggregate;
pub mod calls;
mod html;
mod svg;

use std::io::Write;

use anyhow::Result;
use chrono::NaiveDate;

use crate::dataset::{Dataset, HistoryInput, Sources};
use crate::output::terminal_safe;
use crate::problems::{Problems, Severity};
use crate::queue::Queues;
use crate::rules::{Reason, Verdict};
use crate::territory::RepId;

use aggregate::Forecast;
use calls::Calls;

/// How many of each rep's queued accounts the page lists.
pub const SAMPLE: usize = 10;
/// How many data problems the page lists (then how many more).
pub const PROBLEMS: usize = 50;
/// The days the reps' customers reached are counted over, before the date.
pub const RECENT_DAYS: i64 = 28;

/// A run's verdicts and queues, as `build` or `report` made them.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub sources: &'a Sources,
    pub data: &'a Dataset,
    pub verdicts: &'a [Verdict],
    pub queues: &'a Queues,
    /// `--rep`: the queue sections show this rep only.
    pub only: Option<RepId>,
    /// The forecast's horizon, in weeks.
    pub weeks: u32,
}

/// Everything the page shows, gathered.
#[derive(Debug, Clone)]
pub struct Report {
    pub date: NaiveDate,
    pub office: String,
    /// Why the date is not a calling day, when it is not.
    pub closed: Option<String>,
    /// The inputs: what kind, the file, the rows read.
    pub inputs: Vec<(&'static str, String, Option<u64>)>,
    pub only: Option<String>,
    pub per_rep: Option<usize>,
    pub queues: Vec<RepQueue>,
    /// Excluded accounts per reason (the reasons met, in the rules' order).
    pub excluded: Vec<(Reason, u64)>,
    /// Excluded accounts per rep and reason (in `excluded`'s order).
    pub excluded_by_rep: Vec<(String, Vec<u64>)>,
    pub weeks: u32,
    pub forecast: Forecast,
    /// The history's numbers, or why there are none.
    pub calls: Result<Calls, String>,
    pub daily_target: Option<u32>,
    pub problems: ProblemList,
}

/// One rep's queue on the page.
#[derive(Debug, Clone)]
pub struct RepQueue {
    pub rep: String,
    pub callbacks: u64,
    pub due: u64,
    /// The first `SAMPLE` accounts: rank, account id, name, reason, last
    /// contact.
    pub first: Vec<(usize, String, String, &'static str, Option<NaiveDate>)>,
}

/// The data problems: counts, and the first few in words.
#[derive(Debug, Clone, Default)]
pub struct ProblemList {
    pub errors: usize,
    pub warnings: usize,
    pub first: Vec<(&'static str, String)>,
    pub more: usize,
}

/// Text from the data as a person may be shown it: control characters and
/// bidirectional overrides written out (`\u{202e}`), as on a terminal.
/// (The page's markup escapes the rest.)
fn shown(text: &str) -> String {
    terminal_safe(text).into_owned()
}

impl Report {
    /// Gathers the page's numbers, reading the history again for the calls.
    pub fn gather(run: &Run<'_>) -> Result<Report> {
        let (sources, data) = (run.sources, run.data);
        let config = &sources.config;
        let date = data.date;
        let recent = aggregate::calling_days(
            date - chrono::Duration::days(RECENT_DAYS + 1),
            date - chrono::Duration::days(1),
            |d| config.policy.hours.is_calling_day(d),
        );
        let calls = if sources.history.is_stdin() {
            Err(
                "the history came from standard input, which cannot be read twice: \
                 give it as a file for the answer rates"
                    .to_owned(),
            )
        } else {
            // Opened as `build` opens it: under the shared lock, and never
            // past an interrupted record's rows.
            let history = HistoryInput::prepare(
                &sources.history,
                &sources.config.history_table,
                sources.wait,
                &mut Problems::new(false),
            )?;
            let name = &sources.history.name;
            let open = || history.rows(name, sources.delimiter);
            Ok(calls::gather(&open, name, config, data, date, recent)?)
        };
        crate::timings::phase("report: history read again");
        Ok(Report {
            date,
            office: config.office.name().to_owned(),
            closed: config.policy.hours.closed_because(date),
            inputs: inputs(run),
            only: run.only.map(|r| shown(data.territory.reps.name(r))),
            per_rep: config.per_rep,
            queues: queues(run),
            excluded: Vec::new(),
            excluded_by_rep: Vec::new(),
            weeks: run.weeks,
            forecast: forecast(run),
            calls,
            daily_target: config.daily_target,
            problems: problems(&data.problems),
        }
        .with_excluded(run))
    }

    /// Writes the page.
    pub fn write(&self, out: &mut dyn Write) -> Result<()> {
        out.write_all(html::page(self).into_string().as_bytes())?;
        Ok(())
    }

    fn with_excluded(mut self, run: &Run<'_>) -> Report {
        let data = run.data;
        let reps = &data.territory.reps;
        const REASONS: usize = Reason::ALL.len();
        let mut by_rep: Vec<[u64; REASONS]> = vec![[0; REASONS]; reps.len()];
        for (account, verdict) in data.territory.accounts.iter().zip(run.verdicts) {
            if run.only.is_none_or(|r| r == account.rep) && !verdict.reason.is_queued() {
                by_rep[account.rep as usize][verdict.reason as usize] += 1;
            }
        }
        let met: Vec<Reason> = Reason::ALL
            .into_iter()
            .filter(|r| by_rep.iter().any(|counts| counts[*r as usize] > 0))
            .collect();
        self.excluded = met
            .iter()
            .map(|&r| (r, by_rep.iter().map(|c| c[r as usize]).sum()))
            .collect();
        self.excluded_by_rep = reps
            .ordered()
            .into_iter()
            .filter(|&rep| run.only.is_none_or(|o| o == rep))
            .filter(|&rep| by_rep[rep as usize].iter().any(|&n| n > 0))
            .map(|rep| {
                let counts = met.iter().map(|&r| by_rep[rep as usize][r as usize]);
                (shown(reps.name(rep)), counts.collect())
            })
            .collect();
        self
    }
}

fn inputs(run: &Run<'_>) -> Vec<(&'static str, String, Option<u64>)> {
    let (sources, data) = (run.sources, run.data);
    let mut inputs = vec![
        (
            "config",
            sources.config.path.as_ref().map_or_else(
                || "(built-in defaults)".to_owned(),
                |p| p.display().to_string(),
            ),
            None,
        ),
        (
            "territory",
            sources.territory.name.to_string(),
            Some(data.territory.rows),
        ),
        (
            "history",
            sources.history.name.to_string(),
            Some(data.history.rows),
        ),
    ];
    for (file, rows) in &data.suppression.rows {
        inputs.push(("do-not-call list", file.to_string(), Some(*rows)));
    }
    for input in &mut inputs {
        input.1 = shown(&input.1);
    }
    inputs
}

fn queues(run: &Run<'_>) -> Vec<RepQueue> {
    let data = run.data;
    let territory = &data.territory;
    run.queues
        .reps
        .iter()
        .map(|q| {
            let reason = |a: u32| run.verdicts[a as usize].reason;
            let callbacks = q
                .accounts
                .iter()
                .filter(|&&a| reason(a) == Reason::Callback)
                .count() as u64;
            RepQueue {
                rep: shown(territory.reps.name(q.rep)),
                callbacks,
                due: q.accounts.len() as u64 - callbacks,
                first: q
                    .accounts
                    .iter()
                    .take(SAMPLE)
                    .enumerate()
                    .map(|(k, &a)| {
                        (
                            k + 1,
                            shown(territory.id(a)),
                            shown(territory.name(a)),
                            reason(a).name(),
                            data.history.tally(a).last_contact,
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The excluded accounts of the run (its rep's, with `--rep`) by the
/// calling day they become callable on, over the next `weeks`.
fn forecast(run: &Run<'_>) -> Forecast {
    let data = run.data;
    let hours = &run.sources.config.policy.hours;
    let through = data.date + chrono::Duration::days(7 * i64::from(run.weeks));
    let days = aggregate::calling_days(data.date, through, |d| hours.is_calling_day(d));
    let eligible = data
        .territory
        .accounts
        .iter()
        .zip(run.verdicts)
        .filter(|(account, verdict)| {
            !verdict.reason.is_queued() && run.only.is_none_or(|r| r == account.rep)
        })
        .map(|(_, verdict)| verdict.eligible_on);
    aggregate::forecast(eligible, &days)
}

fn problems(problems: &Problems) -> ProblemList {
    let list = problems.list();
    ProblemList {
        errors: problems.count(Severity::Error),
        warnings: problems.count(Severity::Warning),
        first: list
            .iter()
            .take(PROBLEMS)
            .map(|p| (p.severity.name(), shown(&p.to_string())))
            .collect(),
        more: list.len().saturating_sub(PROBLEMS),
    }
}
