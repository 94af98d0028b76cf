//! `callqueue explain`: for each account asked about, the verdict, when it
//! may be called, every rule's finding and the calls on record, in words a
//! manager can read (or as JSON).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use anyhow::{Result, bail};
use serde_json::{Value, json};

use crate::cli::{ExplainArgs, ExplainFormat};
use crate::config::Config;
use crate::dataset::{Dataset, Decision, HistoryInput, Sources};
use crate::datetime::office_hhmm;
use crate::domain::Attempt;
use crate::domain::compliance::DayRule;
use crate::history::{self, rfc3339};
use crate::location::Source;
use crate::output::terminal_safe;
use crate::problems::Problems;
use crate::rules::{self, Reason};
use crate::territory::Territory;

pub fn run(args: &ExplainArgs) -> Result<()> {
    let sources = Sources::resolve(&args.inputs.path_flags())?;
    let config = &sources.config;
    let date = sources.date(args.inputs.date);
    let data = Dataset::load(&sources, date, &[], false, false)?;
    let limit = args.limit.map(|n| n as usize).or(config.per_rep);
    let decision = data.decide(config, None, limit);
    let wanted: HashSet<&str> = args.account_ids.iter().map(|id| id.trim()).collect();
    let attempts = calls_on_record(&sources, &wanted)?;

    let mut missing = Vec::new();
    let mut reports = Vec::new();
    for asked in &args.account_ids {
        let id = asked.trim();
        match data.territory.get(id) {
            Some(index) => reports.push(Report::of(
                &data,
                config,
                &decision,
                index,
                limit,
                attempts
                    .as_ref()
                    .map(|a| a.get(id).map_or(&[][..], Vec::as_slice)),
            )),
            None => {
                missing.push(id.to_owned());
                reports.push(Report::missing(
                    id,
                    &data.territory,
                    &sources.territory.name,
                ));
            }
        }
    }
    let mut out = io::stdout().lock();
    match args.format {
        ExplainFormat::Json => {
            let list: Vec<Value> = reports.iter().map(|r| r.json(&data, config)).collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ExplainFormat::Text => {
            for (k, r) in reports.iter().enumerate() {
                if k > 0 {
                    writeln!(out)?;
                }
                r.text(&mut out, &data, config)?;
            }
        }
    }
    out.flush()?;
    if !missing.is_empty() {
        bail!(
            "{} account(s) not in {}: {}",
            missing.len(),
            sources.territory.name,
            missing.join(", ")
        );
    }
    Ok(())
}

/// The readable calls of the accounts asked about, by id; `None` when the
/// history came from standard input and cannot be read again.
fn calls_on_record(
    sources: &Sources,
    wanted: &HashSet<&str>,
) -> Result<Option<HashMap<String, Vec<Attempt>>>> {
    if sources.history.is_stdin() {
        return Ok(None);
    }
    // Opened as `build` opens it: under the shared lock, and never past
    // an interrupted record's rows.
    let history = HistoryInput::prepare(
        &sources.history,
        &sources.config.history_table,
        sources.wait,
        &mut Problems::new(false),
    )?;
    let name = &sources.history.name;
    let open = || history.rows(name, sources.delimiter);
    let mut found = history::attempts_of(&open, name, &sources.config, wanted)?;
    for list in found.values_mut() {
        list.sort_by_key(|a| a.at);
    }
    Ok(Some(found))
}

enum Report<'a> {
    Known(Known<'a>),
    Missing { id: String, message: String },
}

/// What explain says about an account in the territory.
struct Known<'a> {
    index: u32,
    reason: Reason,
    eligible_on: Option<chrono::NaiveDate>,
    decided_by: Reason,
    /// Rank in the rep's queue (queued), or the rank it would have had
    /// (over the limit).
    rank: Option<u32>,
    queue_len: usize,
    detail: String,
    findings: Vec<rules::Finding>,
    attempts: Option<&'a [Attempt]>,
}

impl<'a> Report<'a> {
    fn of(
        data: &Dataset,
        config: &Config,
        decision: &Decision,
        index: u32,
        limit: Option<usize>,
        attempts: Option<&'a [Attempt]>,
    ) -> Report<'a> {
        let verdict = decision.verdicts[index as usize];
        let findings = data.findings(index, config);
        let rep = data.territory.accounts[index as usize].rep;
        let queue = decision.queues.reps.iter().find(|q| q.rep == rep);
        let queued_rank = queue
            .and_then(|q| q.accounts.iter().position(|&a| a == index))
            .map(|p| p as u32 + 1);
        let over_rank = decision
            .queues
            .over_limit
            .iter()
            .find(|(a, _)| *a == index)
            .map(|(_, r)| *r);
        Report::Known(Known {
            index,
            reason: verdict.reason,
            eligible_on: verdict.eligible_on,
            decided_by: verdict.rule,
            rank: queued_rank.or(over_rank),
            queue_len: queue.map_or(0, |q| q.accounts.len()),
            detail: data.detail(config, index, verdict, over_rank, limit),
            findings,
            attempts,
        })
    }

    fn missing(id: &str, territory: &Territory, file: &str) -> Report<'a> {
        // A near miss (case, spaces, dashes) is most likely what was meant.
        let near = crate::loose::near_misses(
            id,
            (0..territory.accounts.len() as u32).map(|i| territory.id(i)),
        );
        let message = if near.is_empty() {
            format!("not in {file}")
        } else {
            format!("not in {file} (did you mean {}?)", near.join(" or "))
        };
        Report::Missing {
            id: id.to_owned(),
            message,
        }
    }

    /// Which rule decided, as explain shows it: none for queue-level
    /// reasons (a non-calling day, the limit).
    fn decides(reason: Reason, decided_by: Reason, rule: Reason) -> bool {
        !matches!(reason, Reason::NotCallingDay | Reason::OverLimit) && rule == decided_by
    }

    fn text(&self, out: &mut dyn Write, data: &Dataset, config: &Config) -> io::Result<()> {
        let &Known {
            index,
            reason,
            eligible_on,
            decided_by,
            rank,
            queue_len,
            ref detail,
            ref findings,
            attempts,
        } = match self {
            Report::Missing { id, message } => return say(out, &format!("{id}: {message}")),
            Report::Known(known) => known,
        };
        let territory = &data.territory;
        let rep = territory.reps.name(territory.accounts[index as usize].rep);
        let name = match territory.name(index) {
            "" => String::new(),
            name => format!(" ({name})"),
        };
        say(
            out,
            &format!(
                "{}{name}, {rep}'s account, on {}:",
                territory.id(index),
                data.date
            ),
        )?;
        let verdict = verdict_words(reason, eligible_on, rank, queue_len, rep);
        say(out, &format!("  verdict: {verdict}"))?;
        if !reason.is_queued() {
            say(out, &format!("  because: {detail}"))?;
        }
        for line in where_words(data, config, index) {
            say(out, &line)?;
        }
        say(out, "  the rules, in order:")?;
        for (n, f) in findings.iter().enumerate() {
            let mark = if Report::decides(reason, decided_by, f.rule) {
                "decides"
            } else if f.applies {
                "applies"
            } else {
                "-"
            };
            say(
                out,
                &format!(
                    "    {}. {:<13} {:<8} {}",
                    n + 1,
                    f.rule.name(),
                    mark,
                    f.text
                ),
            )?;
        }
        for line in best_time_words(data, config, index) {
            say(out, &line)?;
        }
        say_attempts(out, attempts, data, config)?;
        Ok(())
    }

    fn json(&self, data: &Dataset, config: &Config) -> Value {
        match self {
            Report::Missing { id, message } => json!({
                "account_id": id,
                "reason": Value::Null,
                "eligible_on": Value::Null,
                "error": message,
                "rules": [],
            }),
            Report::Known(k) => {
                let territory = &data.territory;
                json!({
                    "account_id": territory.id(k.index),
                    "name": territory.name(k.index),
                    "rep": territory.reps.name(territory.accounts[k.index as usize].rep),
                    "date": data.date.to_string(),
                    "reason": k.reason.name(),
                    "queued": k.reason.is_queued(),
                    "eligible_on": k.eligible_on.map(|d| d.to_string()),
                    "rank": k.rank,
                    "location": where_json(data, config, k.index),
                    "detail": if k.reason.is_queued() { Value::Null } else { Value::from(k.detail.as_str()) },
                    "rules": k.findings.iter().map(|f| json!({
                        "rule": f.rule.name(),
                        "applies": f.applies,
                        "decides": Report::decides(k.reason, k.decided_by, f.rule),
                        "finding": f.text,
                    })).collect::<Vec<_>>(),
                    "best_time": best_time_json(data, config, k.index),
                    "attempts": k.attempts.map(|list| list.iter().map(|a| json!({
                        "line": a.line,
                        "at": rfc3339(a.at, config.office),
                        "day": a.day.to_string(),
                        "outcome": a.outcome.name(),
                        "callback_at": a.callback.map(|c| rfc3339(c.at, config.office)),
                    })).collect::<Vec<_>>()),
                })
            }
        }
    }
}

/// Where the customer is and what each source said, and the calling
/// window that makes: explain's lines.
fn where_words(data: &Dataset, config: &Config, index: u32) -> Vec<String> {
    let place = data.territory.place(index);
    let mut lines = Vec::new();
    if place.zones.is_empty() {
        lines.push("  where: unknown (no source gives a zone)".to_owned());
    } else {
        let regions = match place.regions.as_slice() {
            [] => String::new(),
            list => format!(", in {}", list.join(" and ")),
        };
        lines.push(format!(
            "  where: {} (from {}){regions}",
            place
                .zones
                .iter()
                .map(|z| z.name())
                .collect::<Vec<_>>()
                .join(" and "),
            place.zone_from_names(),
        ));
    }
    for clue in &place.clues {
        let used = if place.zone_from.contains(&clue.source) {
            "its zones used"
        } else if clue.zones.is_empty() {
            "no zone"
        } else {
            "not used: an earlier source gave the zone"
        };
        let zones: Vec<&str> = clue.zones.iter().map(|z| z.name()).collect();
        let region = clue
            .region
            .map(|r| format!(", region {r}"))
            .unwrap_or_default();
        lines.push(format!(
            "    {}: {}{region} ({used})",
            clue.source.name(),
            if zones.is_empty() {
                "-".to_owned()
            } else {
                zones.join(", ")
            }
        ));
    }
    if place.zone_from == [Source::Office] {
        lines.push(
            "    office: no source gives a zone, and [location] unknown_zone is \"office\""
                .to_owned(),
        );
    }
    let hours = data.hours(index);
    for rule in &hours.law_rules {
        let today = match rule.on(data.date) {
            DayRule::Any => "no hours of its own".to_owned(),
            DayRule::Between(start, end) => {
                format!("{}-{}", start.format("%H:%M"), end.format("%H:%M"))
            }
            DayRule::Banned => "no calls".to_owned(),
        };
        lines.push(format!(
            "  law: {} on {}: {today} ({})",
            rule.regions.join(", "),
            data.date,
            rule.citation
        ));
        if let Some(note) = rule.note.as_ref().filter(|_| place.regions.is_empty()) {
            lines.push(format!("    {note}"));
        }
        for limit in &rule.limits {
            let mut text = String::from("    ");
            crate::rules::limits::describe_limit(limit, &mut text);
            lines.push(text);
        }
    }
    if let Some((from, limit)) = data.limited_from(index) {
        let mut text = String::from("  a rolling limit starts today's window at ");
        text.push_str(&office_hhmm(
            config.office,
            chrono::DateTime::from_timestamp_nanos(from).naive_utc(),
        ));
        text.push_str(": ");
        crate::rules::limits::describe_limit(limit, &mut text);
        lines.push(text);
    }
    let local = match hours.local_hours(data.date) {
        Some((start, end)) => format!("{}-{}", start.format("%H:%M"), end.format("%H:%M")),
        None => "no hours".to_owned(),
    };
    lines.push(match data.window(index) {
        Some(w) => format!(
            "  hours on {}: {}-{} office time ({}), {} in {}",
            data.date,
            office_hhmm(config.office, w.from),
            office_hhmm(config.office, w.until),
            config.office.name(),
            local,
            if place.zones.len() > 1 {
                "every one of its zones"
            } else {
                "its zone"
            },
        ),
        None if place.zones.is_empty() => "  hours: none until its zone is known".to_owned(),
        None => format!(
            "  hours on {}: none: {local} in each of its zones never overlap",
            data.date
        ),
    });
    lines
}

fn where_json(data: &Dataset, config: &Config, index: u32) -> Value {
    let place = data.territory.place(index);
    let window = data.window(index);
    json!({
        "zones": place.zones.iter().map(|z| z.name()).collect::<Vec<_>>(),
        "regions": place.regions,
        "zone_from": place.zone_from.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "sources": place.clues.iter().map(|c| json!({
            "source": c.source.name(),
            "zones": c.zones.iter().map(|z| z.name()).collect::<Vec<_>>(),
            "region": c.region,
        })).collect::<Vec<_>>(),
        "call_from": window.map(|w| office_hhmm(config.office, w.from)),
        "call_until": window.map(|w| office_hhmm(config.office, w.until)),
    })
}

/// The best time to call today and the answer rates behind it: the
/// customer's own calls at each hour of today's window, its group's and
/// everyone's, and each hour's estimate.
fn best_time_words(data: &Dataset, config: &Config, index: u32) -> Vec<String> {
    if data.answer_rates.is_none() {
        return vec!["  best time: off ([queue] best_time = false)".to_owned()];
    }
    let Some(best) = data.best_time(index) else {
        return vec!["  best time: none: no zone to read its hours in".to_owned()];
    };
    let mut lines = vec![format!("  best time: {}", best.why(config.office))];
    if best.hours.is_empty() {
        return lines;
    }
    let ratio = |r: crate::best_time::Rate| format!("{}/{}", r.answered, r.calls);
    lines.push(format!(
        "    answered/calls on {}s, by hour in {} (own: its latest {} calls):",
        crate::domain::policy::day_name(best.weekday),
        best.zone.name(),
        crate::best_time::LatestCalls::KEPT,
    ));
    lines.push(format!(
        "    {:<6} {:<6} {:>6} {:>12} {:>12} {:>9}",
        "local", "office", "own", best.group, "everyone", "estimate"
    ));
    for (k, (slot, calls)) in best.hours.iter().enumerate() {
        let estimate = calls
            .estimate()
            .map_or("-".to_owned(), |e| format!("{:.1}%", e * 100.0));
        let chosen = if best.choice == Ok(k) {
            "  <- best"
        } else {
            ""
        };
        lines.push(format!(
            "    {:<6} {:<6} {:>6} {:>12} {:>12} {:>9}{chosen}",
            format!("{:02}:00", slot.local_hour),
            office_hhmm(config.office, slot.from),
            ratio(calls.own),
            ratio(calls.group),
            ratio(calls.everyone),
            estimate,
        ));
    }
    lines
}

/// `best_time_words` as JSON: `null` when the best time is off.
fn best_time_json(data: &Dataset, config: &Config, index: u32) -> Value {
    if data.answer_rates.is_none() {
        return Value::Null;
    }
    let Some(best) = data.best_time(index) else {
        return json!({ "time": Value::Null, "why": "no zone to read its hours in", "hours": [] });
    };
    let rate = |r: crate::best_time::Rate| json!({ "answered": r.answered, "calls": r.calls });
    let time = best.cell(config.office);
    json!({
        "time": if time.is_empty() { Value::Null } else { Value::from(time) },
        "why": best.why(config.office),
        "group": best.group,
        "zone": best.zone.name(),
        "weekday": crate::domain::policy::day_name(best.weekday),
        "hours": best.hours.iter().enumerate().map(|(k, (slot, calls))| json!({
            "local": format!("{:02}:00", slot.local_hour),
            "office": office_hhmm(config.office, slot.from),
            "own": rate(calls.own),
            "group": rate(calls.group),
            "everyone": rate(calls.everyone),
            "estimate": calls.estimate(),
            "chosen": best.choice == Ok(k),
        })).collect::<Vec<_>>(),
    })
}

/// The verdict in a line: queued and where, or why not and until when.
fn verdict_words(
    reason: Reason,
    eligible_on: Option<chrono::NaiveDate>,
    rank: Option<u32>,
    queue_len: usize,
    rep: &str,
) -> String {
    if reason.is_queued() {
        return format!(
            "queued as {}, rank {} of {queue_len} in {rep}'s queue",
            reason.name(),
            rank.unwrap_or_default()
        );
    }
    let when = match eligible_on {
        Some(day) => format!("; may be called from {day}"),
        None if matches!(
            reason,
            Reason::NotExisting | Reason::OptedOut | Reason::BadData
        ) =>
        {
            String::new()
        }
        None => "; no calling day ahead".to_owned(),
    };
    format!("not queued: {}{when}", reason.name())
}

/// The calls on record, latest first (ten at most).
fn say_attempts(
    out: &mut dyn Write,
    attempts: Option<&[Attempt]>,
    data: &Dataset,
    config: &Config,
) -> io::Result<()> {
    match attempts {
        Some([]) => say(out, "  calls on record: none"),
        Some(list) => {
            say(
                out,
                &format!("  calls on record ({}, latest first):", list.len()),
            )?;
            for a in list.iter().rev().take(10) {
                say(
                    out,
                    &format!("    {}", describe_attempt(a, &data.history_file, config)),
                )?;
            }
            if list.len() > 10 {
                say(out, &format!("    ... and {} earlier", list.len() - 10))?;
            }
            Ok(())
        }
        None => say(
            out,
            "  calls on record: not listed (the history came from standard input)",
        ),
    }
}

/// Writes one line for people: it quotes the data (names, ids, cells in
/// the reasons), so it is made terminal-safe.
fn say(out: &mut dyn Write, line: &str) -> io::Result<()> {
    writeln!(out, "{}", terminal_safe(line))
}

fn describe_attempt(a: &Attempt, file: &str, config: &Config) -> String {
    let callback = a
        .callback
        .map(|c| format!(", call back {}", rfc3339(c.at, config.office)))
        .unwrap_or_default();
    format!(
        "{} {}{callback} ({file}:{})",
        rfc3339(a.at, config.office),
        a.outcome.name(),
        a.line
    )
}
