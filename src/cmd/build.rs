//! `callqueue build`: the day's queue for every rep (or one), the excluded
//! audit and the one-line summary.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::UsageError;
use crate::cli::BuildArgs;
use crate::cmd::report_problems;
use crate::config::Config;
use crate::dataset::{Dataset, Decision, Sources};
use crate::output::{self, AuditLine, Format, QueueLine};
use crate::queue::{self, CallingHours, Queues};
use crate::rules::{Reason, Verdict};
use crate::territory::RepId;

pub fn run(args: &BuildArgs) -> Result<()> {
    let sources = Sources::resolve(&args.inputs.path_flags())?;
    let config = &sources.config;
    let date = sources.date(args.inputs.date);
    let data = Dataset::load(&sources, date, &args.keep, false)?;
    let only = match &args.rep {
        Some(name) => Some(find_rep(&data, name, &sources)?),
        None => None,
    };
    if !args.quiet {
        report_problems(&data.problems, 20);
    }
    if args.strict && !data.problems.is_empty() {
        bail!(
            "--strict: {} problem(s) in the inputs (listed above; `callqueue check` shows them all); nothing written",
            data.problems.list().len()
        );
    }

    let limit = args.limit.map(|n| n as usize).or(config.per_rep);
    let Decision { verdicts, queues } = data.decide(config, only, limit);

    let format = args.format.unwrap_or(
        if args.output.is_none() && args.out_dir.is_none() && io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Csv
        },
    );
    let mut hours = CallingHours::new(&config.policy.hours, config.office, date);
    for q in &queues.reps {
        for &a in &q.accounts {
            if let Some(zone) = data.territory.accounts[a as usize].zone {
                hours.prepare(zone);
            }
        }
    }
    let lines_of = |q: &queue::RepQueue| -> Vec<QueueLine<'_>> {
        queue_lines(&data, config, &verdicts, &hours, q)
    };
    if let Some(dir) = &args.out_dir {
        write_rep_files(dir, format, &queues, &data, &lines_of)?;
    } else {
        let lines: Vec<QueueLine<'_>> = queues.reps.iter().flat_map(lines_of).collect();
        let write = |out: &mut dyn Write| {
            output::write_queue(out, format, &lines, &data.territory.keep_headers)
        };
        match &args.output {
            Some(path) => output::write_atomic(path, write)?,
            None => write(&mut io::stdout().lock())?,
        }
    }
    if let Some(path) = &args.excluded {
        let audit = audit_lines(&data, config, &verdicts, only, &queues, limit);
        output::write_atomic(path, |out| output::write_audit(out, &audit))?;
    }
    if !args.quiet {
        let line = summary(&data, config, &verdicts, only);
        let _ = writeln!(io::stderr(), "callqueue: {line}");
    }
    Ok(())
}

fn find_rep(data: &Dataset, name: &str, sources: &Sources) -> Result<RepId> {
    data.territory.reps.find(name).ok_or_else(|| {
        let reps = &data.territory.reps;
        let known: Vec<&str> = reps.ordered().into_iter().map(|r| reps.name(r)).collect();
        UsageError(format!(
            "no rep named {name:?} in {} (its reps: {})",
            sources.territory.name,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ))
        .into()
    })
}

fn queue_lines<'a>(
    data: &'a Dataset,
    config: &Config,
    verdicts: &[Verdict],
    hours: &'a CallingHours<'_>,
    q: &queue::RepQueue,
) -> Vec<QueueLine<'a>> {
    let reps = &data.territory.reps;
    q.accounts
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let account = &data.territory.accounts[a as usize];
            let tally = &data.history.tallies[a as usize];
            // Queued accounts always have a zone: a bad one is bad data.
            let zone = account.zone.unwrap_or(config.office);
            let (call_from, call_until) = hours.get(zone);
            QueueLine {
                rep: reps.name(account.rep),
                rank: k as u32 + 1,
                account_id: &account.id,
                name: &account.name,
                phone: account.phone.as_ref().map_or("", |p| p.as_str()),
                timezone: zone.name(),
                call_from,
                call_until,
                reason: verdicts[a as usize].reason.name(),
                last_contact: tally.last_contact,
                unanswered: tally.unanswered_on(data.date, &config.policy.caps),
                keep: &account.keep,
            }
        })
        .collect()
}

fn write_rep_files<'a>(
    dir: &Path,
    format: Format,
    queues: &Queues,
    data: &'a Dataset,
    lines_of: &dyn Fn(&queue::RepQueue) -> Vec<QueueLine<'a>>,
) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    let mut taken: HashSet<String> = HashSet::new();
    for q in &queues.reps {
        let base = output::safe_file_name(data.territory.reps.name(q.rep));
        // Two reps whose names differ only in unsafe characters must not
        // overwrite each other's queue.
        let mut name = base.clone();
        let mut n = 1;
        while !taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        let path: PathBuf = dir.join(format!("{name}.{}", format.extension()));
        let lines = lines_of(q);
        output::write_atomic(&path, |out| {
            output::write_queue(out, format, &lines, &data.territory.keep_headers)
        })?;
    }
    Ok(())
}

fn audit_lines<'a>(
    data: &'a Dataset,
    config: &Config,
    verdicts: &[Verdict],
    only: Option<RepId>,
    queues: &Queues,
    limit: Option<usize>,
) -> Vec<AuditLine<'a>> {
    let over_limit: HashMap<u32, u32> = queues.over_limit.iter().copied().collect();
    let territory = &data.territory;
    let reps = &territory.reps;
    let rep_rank: HashMap<RepId, usize> = reps
        .ordered()
        .into_iter()
        .enumerate()
        .map(|(k, r)| (r, k))
        .collect();
    let mut excluded: Vec<u32> = (0..territory.accounts.len() as u32)
        .filter(|&i| {
            !verdicts[i as usize].reason.is_queued()
                && only.is_none_or(|r| territory.accounts[i as usize].rep == r)
        })
        .collect();
    excluded.sort_by(|&a, &b| {
        let (x, y) = (
            &territory.accounts[a as usize],
            &territory.accounts[b as usize],
        );
        rep_rank[&x.rep]
            .cmp(&rep_rank[&y.rep])
            .then_with(|| x.id.as_bytes().cmp(y.id.as_bytes()))
    });
    excluded
        .into_iter()
        .map(|i| {
            let account = &territory.accounts[i as usize];
            let verdict = verdicts[i as usize];
            AuditLine {
                account_id: &account.id,
                rep: reps.name(account.rep),
                reason: verdict.reason.name(),
                eligible_on: verdict.eligible_on,
                detail: data.detail(config, i, verdict, over_limit.get(&i).copied(), limit),
            }
        })
        .collect()
}

/// The one line for the log: queued, excluded per reason, rows ignored.
fn summary(data: &Dataset, config: &Config, verdicts: &[Verdict], only: Option<RepId>) -> String {
    let mut counts: BTreeMap<Reason, usize> = BTreeMap::new();
    for (account, verdict) in data.territory.accounts.iter().zip(verdicts) {
        if only.is_none_or(|r| r == account.rep) {
            *counts.entry(verdict.reason).or_default() += 1;
        }
    }
    let count = |r: Reason| counts.get(&r).copied().unwrap_or_default();
    let queued = count(Reason::Callback) + count(Reason::Due);
    let excluded: Vec<String> = Reason::ALL
        .iter()
        .filter(|r| !r.is_queued() && count(**r) > 0)
        .map(|r| format!("{} {}", count(*r), r.name()))
        .collect();
    let total_excluded: usize = Reason::ALL
        .iter()
        .filter(|r| !r.is_queued())
        .map(|r| count(*r))
        .sum();
    let mut line = match config.policy.hours.closed_because(data.date) {
        Some(why) => format!("{why}: nothing queued"),
        None => format!(
            "{}: {queued} queued ({} callback, {} due)",
            data.date,
            count(Reason::Callback),
            count(Reason::Due)
        ),
    };
    line.push_str(&format!("; {total_excluded} excluded"));
    if !excluded.is_empty() {
        line.push_str(&format!(" ({})", excluded.join(", ")));
    }
    let h = &data.history;
    let ignored: Vec<String> = [
        (
            data.territory.skipped,
            "territory row(s) without account_id",
        ),
        (h.no_id_rows, "history row(s) without account_id"),
        (
            h.unknown_rows,
            "history row(s) for accounts not in the territory",
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if ignored.is_empty() {
        line.push_str("; no rows ignored");
    } else {
        line.push_str(&format!("; ignored {}", ignored.join(", ")));
    }
    let problems = data.problems.list().len();
    if problems > 0 {
        line.push_str(&format!("; {problems} problem(s) reported"));
    }
    line
}
