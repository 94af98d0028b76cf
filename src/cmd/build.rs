//! `callqueue build`: the day's queue for every rep (or one), the excluded
//! audit and the one-line summary.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};

use crate::UsageError;
use crate::cli::BuildArgs;
use crate::cmd::report_problems;
use crate::config::Config;
use crate::dataset::{Dataset, Decision, Sources};
use crate::domain::compliance::DayRule;
use crate::output::{self, AuditLine, Format, QueueLine, Style};
use crate::queue::{self, CallingHours, Queues};
use crate::rules::{Reason, Verdict};
use crate::territory::RepId;

pub fn run(args: &BuildArgs) -> Result<()> {
    let outputs: Vec<(&str, &std::path::Path)> = [
        ("-o", &args.output),
        ("--excluded", &args.excluded),
        ("--summary", &args.summary),
        ("--report", &args.report),
    ]
    .into_iter()
    .filter_map(|(flag, path)| Some((flag, path.as_deref()?)))
    .collect();
    if let Some((first, second, path)) = output::same_file(&outputs) {
        return Err(UsageError(format!(
            "{first} and {second} both name {}: one would overwrite the other; give each output a file of its own",
            path.display()
        ))
        .into());
    }
    let sources = Sources::resolve(&args.inputs.path_flags())?;
    let config = &sources.config;
    let date = sources.date(args.inputs.date);
    crate::timings::phase("start");
    let data = Dataset::load(&sources, date, &args.keep, false, !args.quiet)?;
    crate::timings::phase("inputs read");
    let only = match &args.rep {
        Some(name) => Some(find_rep(&data, name, &sources)?),
        None => None,
    };
    if !args.quiet {
        report_problems(&data.problems, 20, only.map(|rep| (&data.territory, rep)));
    }
    if args.strict && !data.problems.is_empty() {
        bail!(
            "--strict: {} problem(s) in the inputs (listed above; `callqueue check` shows them all); nothing written",
            data.problems.list().len()
        );
    }
    let limit = args.limit.map(|n| n as usize).or(config.per_rep);
    let Decision { verdicts, queues } = data.decide(config, only, limit);
    crate::timings::phase("verdicts and queues");
    let run = Run {
        args,
        sources: &sources,
        data: &data,
        verdicts: &verdicts,
        queues: &queues,
        only,
        limit,
    };
    let counts = run.write()?;
    if !args.quiet {
        output::say(&summary(&data, config, &counts));
    }
    // The run is over and the process ends with it: a million accounts'
    // memory goes back to the system at exit, rather than being freed
    // piece by piece first (a tenth of a second on a large territory).
    std::mem::forget((data, verdicts, queues));
    Ok(())
}

/// A run's verdicts and queues, ready to be written.
struct Run<'a> {
    args: &'a BuildArgs,
    sources: &'a Sources,
    data: &'a Dataset,
    verdicts: &'a [Verdict],
    queues: &'a Queues,
    only: Option<RepId>,
    limit: Option<usize>,
}

impl Run<'_> {
    /// Writes every output of the run: the queue (or a file per rep), the
    /// audit and the summary, replaced together or not at all, so that a
    /// manager never finds today's queue beside yesterday's audit, or some
    /// reps on today's queue and others on yesterday's.
    fn write(&self) -> Result<Counts> {
        let (args, data, config) = (self.args, self.data, &self.sources.config);
        // The folder is made first, as the audit may go into it too.
        if let Some(dir) = &args.out_dir {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
        }
        // The report reads the history again: done first, so that its
        // failure, like any other, leaves every old file as it was.
        let report = match &args.report {
            Some(_) => Some(crate::report::Report::gather(&crate::report::Run {
                sources: self.sources,
                data,
                verdicts: self.verdicts,
                queues: self.queues,
                only: self.only,
                weeks: args.weeks,
            })?),
            None => None,
        };
        let transaction = output::Outputs::new();
        let together = Some(&transaction);
        // The queues are written, and flushed to disk, on one thread while
        // the audit is made on the others: each file's wait for the disk
        // overlaps the audit's work instead of coming before it.
        let (queued, excluded) = std::thread::scope(|s| {
            let queued = s.spawn(|| -> Result<Counts> {
                self.write_queues(together)?;
                crate::timings::phase("queues written");
                Ok(Counts::of(data, self.verdicts, self.only))
            });
            let excluded = match &args.excluded {
                Some(path) => write_file(together, path, |out| {
                    write_audit(
                        out,
                        data,
                        config,
                        self.verdicts,
                        self.only,
                        self.queues,
                        self.limit,
                    )
                }),
                None => Ok(()),
            };
            (queued.join(), excluded)
        });
        let counts: Counts = match queued {
            Ok(counts) => counts?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        excluded?;
        crate::timings::phase("audit written");
        if let Some(path) = &args.summary {
            let mut json = summary_json(data, config, self.sources, &counts);
            json["compliance"] = compliance_counts(data, config, self.verdicts);
            write_file(together, path, |out| {
                serde_json::to_writer_pretty(&mut *out, &json)?;
                out.write_all(b"\n")?;
                Ok(())
            })?;
        }
        if let (Some(path), Some(report)) = (&args.report, &report) {
            write_file(together, path, |out| report.write(out))?;
        }
        transaction.commit()?;
        Ok(counts)
    }

    /// The queue to standard output or `-o FILE`, or one file per rep.
    fn write_queues(&self, together: Option<&output::Outputs>) -> Result<()> {
        let (args, data) = (self.args, self.data);
        let format = args.format.unwrap_or(
            if args.output.is_none() && args.out_dir.is_none() && io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Csv
            },
        );
        let hours = self.calling_hours();
        let config = &self.sources.config;
        let lines_of = |q: &queue::RepQueue| -> Vec<QueueLine<'_>> {
            queue_lines(data, config, self.verdicts, &hours, q)
        };
        if let Some(dir) = &args.out_dir {
            let others: Vec<&Path> = [&args.excluded, &args.summary, &args.report]
                .into_iter()
                .flatten()
                .map(PathBuf::as_path)
                .collect();
            let taken = names_taken(dir, &others);
            let style = Style::default().in_office(self.sources.config.office, data.date);
            let write = |path: &Path, lines: &[QueueLine<'_>]| {
                write_file(together, path, |out| {
                    let keep = &data.territory.keep_headers;
                    output::write_queue(out, format, lines, keep, style)
                })
            };
            let extension = format.extension();
            return write_rep_files(dir, extension, self.queues, data, &lines_of, taken, &write);
        }
        let lines: Vec<QueueLine<'_>> = self.queues.reps.iter().flat_map(lines_of).collect();
        let office = |style: Style| style.in_office(self.sources.config.office, data.date);
        let write = |out: &mut dyn Write, style| {
            output::write_queue(out, format, &lines, &data.territory.keep_headers, style)
        };
        match &args.output {
            Some(path) => write_file(together, path, |out| write(out, office(Style::default()))),
            None => write(&mut io::stdout().lock(), office(Style::for_stdout())),
        }
    }

    /// The calling hours of every place a queued customer is in.
    fn calling_hours(&self) -> CallingHours {
        let mut hours = CallingHours::new(self.sources.config.office);
        for q in &self.queues.reps {
            for &a in &q.accounts {
                // Queued accounts always have a window: without one they
                // are bad data.
                if let Some(window) = self.data.window(a) {
                    let place = self.data.territory.accounts[a as usize].place;
                    hours.prepare(place, self.data.territory.place(a), window);
                }
            }
        }
        hours
    }
}

/// The rep `--rep` names: exactly, or by an unambiguous prefix of the
/// name or of a word in it. Several, or none, is a usage error that lists
/// the candidates.
fn find_rep(data: &Dataset, name: &str, sources: &Sources) -> Result<RepId> {
    let reps = &data.territory.reps;
    let list = |ids: Vec<RepId>| -> String {
        let names: Vec<&str> = ids.into_iter().map(|r| reps.name(r)).collect();
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    match reps.matching(name).as_slice() {
        [rep] => Ok(*rep),
        [] => Err(UsageError(format!(
            "no rep named {name:?} in {} (its reps: {})",
            sources.territory.name,
            list(reps.ordered())
        ))
        .into()),
        several => Err(UsageError(format!(
            "--rep {name:?} could be any of {}; write more of the name",
            list(several.to_vec())
        ))
        .into()),
    }
}

fn queue_lines<'a>(
    data: &'a Dataset,
    config: &Config,
    verdicts: &[Verdict],
    hours: &'a CallingHours,
    q: &queue::RepQueue,
) -> Vec<QueueLine<'a>> {
    let reps = &data.territory.reps;
    q.accounts
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let territory = &data.territory;
            let account = &territory.accounts[a as usize];
            let tally = data.history.tally(a);
            let place = hours.get(account.place);
            QueueLine {
                rep: reps.name(account.rep),
                rank: k as u32 + 1,
                account_id: territory.id(a),
                name: territory.name(a),
                phone: territory.dial(a).unwrap_or_default(),
                timezone: &place.timezone,
                region: &place.region,
                zone_from: &place.zone_from,
                best_time: data
                    .best_time(a)
                    .map(|best| best.cell(config.office))
                    .unwrap_or_default(),
                // A rolling limit may start the window later today.
                call_from: match data.limited_from(a) {
                    Some((from, _)) => Cow::Owned(crate::datetime::office_hhmm(
                        config.office,
                        chrono::DateTime::from_timestamp_nanos(from).naive_utc(),
                    )),
                    None => Cow::Borrowed(place.call_from.as_str()),
                },
                call_until: &place.call_until,
                reason: verdicts[a as usize].reason.name(),
                callback_at: match verdicts[a as usize].reason {
                    Reason::Callback => callback_at(tally, data.date, config.office),
                    _ => String::new(),
                },
                last_contact: tally.last_contact,
                unanswered: tally.unanswered_on(data.date, &config.policy.caps),
                keep: territory.keep(a).collect(),
            }
        })
        .collect()
}

/// When a queued callback was asked for, in office time: `HH:MM` on the
/// queue date, `YYYY-MM-DD HH:MM` when its day has passed.
fn callback_at(
    tally: &crate::rules::Tally,
    date: chrono::NaiveDate,
    office: chrono_tz::Tz,
) -> String {
    let Some(callback) = tally.callback else {
        return String::new();
    };
    let at = chrono::DateTime::from_timestamp_nanos(callback.at).with_timezone(&office);
    if at.date_naive() < date {
        at.format("%Y-%m-%d %H:%M").to_string()
    } else {
        at.format("%H:%M").to_string()
    }
}

/// Writes `path` as one of the run's files replaced `together`, or on its
/// own (replaced as soon as it is written).
fn write_file(
    together: Option<&output::Outputs>,
    path: &Path,
    write: impl FnOnce(&mut output::AtomicFile) -> Result<()>,
) -> Result<()> {
    match together {
        Some(outputs) => outputs.write(path, write),
        None => output::write_atomic(path, write),
    }
}

/// The names, lowercased, that the run's other outputs (among `others`)
/// take in `dir`: a rep's file must not take one of them.
fn names_taken(dir: &Path, others: &[&Path]) -> HashSet<String> {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return HashSet::new();
    };
    others
        .iter()
        .filter_map(|path| {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let same = std::fs::canonicalize(parent).is_ok_and(|p| p == dir);
            let name = path.file_name()?.to_string_lossy().to_lowercase();
            same.then_some(name)
        })
        .collect()
}

/// Writes each rep's queue into `dir`, under a name of its own (not one of
/// `taken`), with `write`.
fn write_rep_files<'a>(
    dir: &Path,
    extension: &str,
    queues: &Queues,
    data: &'a Dataset,
    lines_of: &dyn Fn(&queue::RepQueue) -> Vec<QueueLine<'a>>,
    mut taken: HashSet<String>,
    write: &dyn Fn(&Path, &[QueueLine<'a>]) -> Result<()>,
) -> Result<()> {
    for q in &queues.reps {
        let base = output::safe_file_name(data.territory.reps.name(q.rep));
        // Two reps whose names differ only in unsafe characters (or in
        // case) must not overwrite each other's queue, nor a rep called
        // "excluded" the audit beside it.
        let mut name = format!("{base}.{extension}");
        let mut n = 1;
        while !taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}-{n}.{extension}");
        }
        let path: PathBuf = dir.join(name);
        write(&path, &lines_of(q))?;
    }
    Ok(())
}

/// Writes the excluded audit: every account not queued, reps in the
/// queue's order, then account ids in byte order. On a large territory this
/// is a million lines, so two threads format them, a chunk each in turn,
/// while this one writes the chunks out in order. (Longer than most: the
/// formatting closure and the threads that share it are one piece.)
fn write_audit(
    out: &mut output::AtomicFile,
    data: &Dataset,
    config: &Config,
    verdicts: &[Verdict],
    only: Option<RepId>,
    queues: &Queues,
    limit: Option<usize>,
) -> Result<()> {
    const CHUNK: usize = 16_384;
    // The accounts in the audit's order: a picked rep's alone, or every
    // account, the queued ones skipped as the chunks are formatted (on the
    // formatting threads, rather than a million looked at first on this
    // one).
    let picked: Vec<u32>;
    let order: &[u32] = match only {
        Some(rep) => {
            picked = rep_accounts(data, rep);
            &picked
        }
        None => &data.by_rep_and_id,
    };
    let mut over_limit = vec![0u32; data.territory.accounts.len()];
    for &(account, rank) in &queues.over_limit {
        over_limit[account as usize] = rank;
    }
    let format = |accounts: &[u32]| -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(1 << 20);
        let mut detail = String::new();
        for (ahead, current) in crate::engine::parallel::windows(0..accounts.len()) {
            let ahead = || accounts[ahead.clone()].iter().copied();
            data.territory.warm(ahead());
            data.history.warm(ahead());
            let mut seen = 0u32;
            for i in ahead() {
                seen ^= over_limit[i as usize] ^ verdicts[i as usize].reason as u32;
            }
            std::hint::black_box(seen);
            for &i in &accounts[current] {
                let verdict = verdicts[i as usize];
                if verdict.reason.is_queued() {
                    continue;
                }
                let rank = Some(over_limit[i as usize]).filter(|&r| r > 0);
                detail.clear();
                data.detail_into(config, i, verdict, rank, limit, &mut detail);
                let line = AuditLine {
                    account_id: data.territory.id_bytes(i),
                    rep: data
                        .territory
                        .reps
                        .name(data.territory.accounts[i as usize].rep),
                    reason: verdict.reason.name(),
                    eligible_on: verdict.eligible_on,
                    detail: &detail,
                };
                output::audit_line(&mut out, &line);
            }
        }
        Ok(out)
    };
    out.write_all(&output::audit_header()?)?;
    let chunks: Vec<&[u32]> = order.chunks(CHUNK).collect();
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| -> Result<()> {
        // Worker `w` formats chunks w, w + 2, w + 4 ... and hands each
        // over as soon as it is done; two may wait their turn, so that
        // formatting goes on while the writer waits for the disk.
        let (stop, chunks, format) = (&stop, &chunks, &format);
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let (done, formatted) = std::sync::mpsc::sync_channel::<Result<Vec<u8>>>(2);
                s.spawn(move || {
                    for chunk in chunks.iter().skip(w).step_by(2) {
                        if stop.load(std::sync::atomic::Ordering::Relaxed)
                            || done.send(format(chunk)).is_err()
                        {
                            break;
                        }
                    }
                });
                formatted
            })
            .collect();
        // What is written goes to disk every few megabytes, while the next
        // chunks are formatted, rather than all at the end.
        const SYNC_EVERY: usize = 32 << 20;
        let mut unsynced = 0;
        let result = (0..chunks.len()).try_for_each(|k| -> Result<()> {
            let bytes = workers[k % 2]
                .recv()
                .map_err(|_| anyhow::anyhow!("formatting the audit failed"))??;
            out.write_all(&bytes)?;
            unsynced += bytes.len();
            if unsynced >= SYNC_EVERY {
                out.sync_so_far()?;
                unsynced = 0;
            }
            Ok(())
        });
        if result.is_err() {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        drop(workers);
        result
    })
}

/// A rep's accounts, in byte order of their ids.
fn rep_accounts(data: &Dataset, rep: RepId) -> Vec<u32> {
    let territory = &data.territory;
    data.by_rep_and_id
        .iter()
        .copied()
        .filter(|&i| territory.accounts[i as usize].rep == rep)
        .collect()
}

/// Verdicts counted per reason, overall and per rep (the rep filter
/// applied).
struct Counts {
    total: BTreeMap<Reason, usize>,
    /// Reps in the queue's order, with their counts.
    by_rep: Vec<(RepId, BTreeMap<Reason, usize>)>,
}

impl Counts {
    fn of(data: &Dataset, verdicts: &[Verdict], only: Option<RepId>) -> Counts {
        let reps = &data.territory.reps;
        // Counted by reason's place first (a million accounts), then kept
        // as maps of the reasons met.
        const REASONS: usize = Reason::ALL.len();
        let mut by_rep: Vec<[usize; REASONS]> = vec![[0; REASONS]; reps.len()];
        for (account, verdict) in data.territory.accounts.iter().zip(verdicts) {
            if only.is_none_or(|r| r == account.rep) {
                by_rep[account.rep as usize][verdict.reason as usize] += 1;
            }
        }
        let met = |counts: &[usize; REASONS]| -> BTreeMap<Reason, usize> {
            Reason::ALL
                .iter()
                .map(|&reason| (reason, counts[reason as usize]))
                .filter(|&(_, n)| n > 0)
                .collect()
        };
        let mut all = [0; REASONS];
        for counts in &by_rep {
            for (sum, n) in all.iter_mut().zip(counts) {
                *sum += n;
            }
        }
        let by_rep = reps
            .ordered()
            .into_iter()
            .filter(|&r| only.is_none_or(|o| o == r))
            .map(|r| (r, met(&by_rep[r as usize])))
            .collect();
        Counts {
            total: met(&all),
            by_rep,
        }
    }

    fn get(&self, reason: Reason) -> usize {
        self.total.get(&reason).copied().unwrap_or_default()
    }

    fn queued(map: &BTreeMap<Reason, usize>) -> usize {
        map.iter()
            .filter(|(r, _)| r.is_queued())
            .map(|(_, n)| n)
            .sum()
    }

    fn excluded(map: &BTreeMap<Reason, usize>) -> usize {
        map.iter()
            .filter(|(r, _)| !r.is_queued())
            .map(|(_, n)| n)
            .sum()
    }
}

/// The rows each input had that no account could use.
fn ignored(data: &Dataset) -> [(u64, &'static str, &'static str); 3] {
    let h = &data.history;
    [
        (
            data.territory.skipped,
            "territory_rows_without_account_id",
            "territory row(s) without account_id",
        ),
        (
            h.no_id_rows,
            "history_rows_without_account_id",
            "history row(s) without account_id",
        ),
        (
            h.unknown_rows,
            "history_rows_for_unknown_accounts",
            "history row(s) for accounts not in the territory",
        ),
    ]
}

/// The one line for the log: queued, excluded per reason, rows ignored.
fn summary(data: &Dataset, config: &Config, counts: &Counts) -> String {
    let excluded: Vec<String> = Reason::ALL
        .iter()
        .filter(|r| !r.is_queued() && counts.get(**r) > 0)
        .map(|r| format!("{} {}", counts.get(*r), r.name()))
        .collect();
    let mut line = match config.policy.hours.closed_because(data.date) {
        Some(why) => format!("{why}: nothing queued"),
        None => format!(
            "{}: {} queued ({} callback, {} due)",
            data.date,
            Counts::queued(&counts.total),
            counts.get(Reason::Callback),
            counts.get(Reason::Due)
        ),
    };
    line.push_str(&format!("; {} excluded", Counts::excluded(&counts.total)));
    if !excluded.is_empty() {
        line.push_str(&format!(" ({})", excluded.join(", ")));
    }
    let ignored: Vec<String> = ignored(data)
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, _, what)| format!("{n} {what}"))
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

/// For the summary: how many accounts each rule of the law excluded or
/// narrowed, by citation (`not_calling_day`: a day the law closes;
/// `capped`: a rolling limit reached for the whole window; `narrowed`:
/// queued in shorter hours than the company's).
fn compliance_counts(data: &Dataset, config: &Config, verdicts: &[Verdict]) -> Value {
    let mut counts: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    if config.policy.profile.is_none() {
        return Value::Object(Map::new());
    }
    let company = DayRule::Between(config.policy.hours.start, config.policy.hours.end);
    for (index, verdict) in verdicts.iter().enumerate() {
        let index = index as u32;
        let hours = data.hours(index);
        if hours.law_rules.is_empty() {
            continue;
        }
        let kind = match verdict.reason {
            Reason::NotCallingDay if config.policy.hours.is_calling_day(data.date) => 0,
            Reason::Capped => {
                if let Some((_, limit)) = data.limited_until(index) {
                    let citation = limit.citation.clone().unwrap_or_default();
                    counts.entry(citation).or_default()[1] += 1;
                }
                continue;
            }
            reason if reason.is_queued() => 2,
            _ => continue,
        };
        for rule in &hours.law_rules {
            let today = company.and(rule.on(data.date));
            let applies = match kind {
                0 => today == DayRule::Banned,
                _ => today != company && today != DayRule::Banned,
            };
            if applies {
                counts.entry(rule.citation.clone()).or_default()[kind] += 1;
            }
        }
    }
    let mut obj = Map::new();
    for (citation, [closed, capped, narrowed]) in counts {
        obj.insert(
            citation,
            json!({"not_calling_day": closed, "capped": capped, "narrowed": narrowed}),
        );
    }
    Value::Object(obj)
}

/// The `--summary` file: the summary line's counts, per rep too, and the
/// inputs read, for dashboards.
fn summary_json(data: &Dataset, config: &Config, sources: &Sources, counts: &Counts) -> Value {
    let reasons = |map: &BTreeMap<Reason, usize>| -> Value {
        let mut obj = Map::new();
        for r in Reason::ALL {
            obj.insert(
                r.name().to_owned(),
                map.get(&r).copied().unwrap_or_default().into(),
            );
        }
        Value::Object(obj)
    };
    let reps: Vec<Value> = counts
        .by_rep
        .iter()
        .map(|(rep, map)| {
            json!({
                "rep": data.territory.reps.name(*rep),
                "queued": Counts::queued(map),
                "excluded": Counts::excluded(map),
                "reasons": reasons(map),
            })
        })
        .collect();
    let mut ignored_obj = Map::new();
    for (n, key, _) in ignored(data) {
        ignored_obj.insert(key.to_owned(), n.into());
    }
    let mut inputs = vec![
        json!({"kind": "config", "file": config.path.as_ref().map(|p| p.display().to_string())}),
        json!({"kind": "territory", "file": &*sources.territory.name, "rows": data.territory.rows, "accounts": data.territory.accounts.len()}),
        json!({"kind": "history", "file": &*sources.history.name, "rows": data.history.rows}),
    ];
    for (file, rows) in &data.suppression.rows {
        inputs.push(json!({"kind": "suppress", "file": &**file, "rows": rows}));
    }
    let closed = config.policy.hours.closed_because(data.date);
    json!({
        "date": data.date.to_string(),
        "calling_day": closed.is_none(),
        "closed_because": closed,
        "queued": Counts::queued(&counts.total),
        "excluded": Counts::excluded(&counts.total),
        "reasons": reasons(&counts.total),
        "reps": reps,
        "ignored": Value::Object(ignored_obj),
        "problems": {
            "errors": data.problems.count(crate::problems::Severity::Error),
            "warnings": data.problems.count(crate::problems::Severity::Warning),
        },
        "inputs": inputs,
        "zone_from": data.territory.zone_sources(),
    })
}
