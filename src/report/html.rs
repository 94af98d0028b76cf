//! The report's page: maud's markup, which escapes every value put into
//! it, so that a customer's name is always text, never markup or script.
//! Styles are inline, the charts are SVG, and nothing is fetched: the file
//! reads offline and prints.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::rules::Reason;

use super::Report;
use super::aggregate::against;
use super::calls::Calls;
use super::svg::{self, Bar, count, percent};

/// No script, no fetch: only the page's own styles and inline images.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font: 14px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #212529; margin: 0; background: #fff; }
main { max-width: 1040px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 28px 0 6px; border-bottom: 2px solid #dee2e6; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 16px 0 4px; }
p.lead, p.note { color: #495057; margin: 4px 0 10px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.tile { border: 1px solid #dee2e6; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.tile b { display: block; font-size: 22px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid #e9ecef; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 10px; font-size: 13px; }
svg.chart .small { font-size: 11px; }
svg.chart .tiny { font-size: 9px; }
svg.chart text { fill: #212529; }
svg.chart g.cell text, svg.chart text[fill] { fill: inherit; }
.key { display: inline-block; width: 11px; height: 11px; margin: 0 4px 0 10px; vertical-align: -1px; }
details { margin: 4px 0; }
summary { cursor: pointer; }
ol.problems { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; padding-left: 2.6em; }
ol.problems li { margin: 2px 0; word-break: break-word; }
.error { color: #c92a2a; }
.warning { color: #b35c00; }
footer { margin-top: 30px; color: #868e96; font-size: 12px; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section { break-inside: avoid-page; }
  section.long { break-inside: auto; }
  h2 { break-after: avoid-page; }
  details > summary { display: none; }
  details { display: block; }
  svg.chart { width: 100%; }
}
"#;

/// The whole page.
pub fn page(report: &Report) -> Markup {
    let title = format!("Call queue report for {}", report.date);
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={"callqueue " (env!("CARGO_PKG_VERSION"))};
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    (heading(report, &title))
                    (queues(report))
                    (excluded(report))
                    (forecast(report))
                    @match &report.calls {
                        Ok(calls) => {
                            (heat(calls))
                            (rep_rates(calls))
                            (reached(report, calls))
                        }
                        Err(why) => {
                            section id="answer-rates" {
                                h2 { "Answer rates" }
                                p.note { "Not shown: " (why) "." }
                            }
                        }
                    }
                    (problems(report))
                    footer {
                        "Made by callqueue " (env!("CARGO_PKG_VERSION")) " for " (report.date)
                        ". Times are the customers' own unless marked as office time (" (report.office) ")."
                    }
                }
            }
        }
    }
}

fn heading(report: &Report, title: &str) -> Markup {
    let callbacks: u64 = report.queues.iter().map(|q| q.callbacks).sum();
    let due: u64 = report.queues.iter().map(|q| q.due).sum();
    let excluded: u64 = report.excluded.iter().map(|e| e.1).sum();
    html! {
        h1 { (title) }
        p.lead {
            "Office zone " (report.office) ". "
            @if let Some(why) = &report.closed { strong { (why) ": nothing is queued today." } " " }
            @if let Some(rep) = &report.only { "Queue sections: rep " strong { (rep) } " only. " }
        }
        div.tiles {
            div.tile { b { (count(callbacks + due)) } "queued today" }
            div.tile { b { (count(callbacks)) } "callbacks" }
            div.tile { b { (count(due)) } "due" }
            div.tile { b { (count(excluded)) } "excluded" }
            div.tile { b { (count((report.problems.errors + report.problems.warnings) as u64)) } "data problems" }
        }
        table {
            thead { tr { th { "input" } th { "file" } th.n { "rows" } } }
            tbody {
                @for (kind, file, rows) in &report.inputs {
                    tr { td { (kind) } td { (file) } td.n { @if let Some(n) = rows { (count(*n)) } } }
                }
            }
        }
    }
}

fn queues(report: &Report) -> Markup {
    let max = report
        .queues
        .iter()
        .map(|q| q.callbacks + q.due)
        .max()
        .unwrap_or(0) as f64;
    let bars: Vec<Bar> = report
        .queues
        .iter()
        .map(|q| Bar {
            label: q.rep.clone(),
            parts: vec![
                (q.callbacks as f64, svg::CALLBACK),
                (q.due as f64, svg::DUE),
            ],
            text: count(q.callbacks + q.due),
            title: format!(
                "{}: {} callback(s), {} due",
                q.rep,
                count(q.callbacks),
                count(q.due)
            ),
        })
        .collect();
    html! {
        section id="queue" {
            h2 { "Today's queue per rep" }
            p.note {
                span.key style={"background:" (svg::CALLBACK)} {} "callbacks (asked for by the customer)"
                span.key style={"background:" (svg::DUE)} {} "due"
                @if let Some(n) = report.per_rep { " — each queue is cut at " (n) " ([queue] per_rep)." }
            }
            @if bars.is_empty() {
                p.note { "No rep has an account." }
            } @else {
                (svg::bars("chart-queue", &bars, max))
                table {
                    thead { tr { th { "rep" } th.n { "callbacks" } th.n { "due" } th.n { "queued" } } }
                    tbody {
                        @for q in &report.queues {
                            tr { td { (q.rep) } td.n { (count(q.callbacks)) } td.n { (count(q.due)) } td.n { (count(q.callbacks + q.due)) } }
                        }
                    }
                }
                details {
                    summary { "The first " (super::SAMPLE) " accounts of each rep's queue" }
                    @for q in report.queues.iter().filter(|q| !q.first.is_empty()) {
                        h3 { (q.rep) }
                        table {
                            thead { tr { th.n { "rank" } th { "account" } th { "name" } th { "reason" } th { "last contact" } } }
                            tbody {
                                @for (rank, id, name, reason, last) in &q.first {
                                    tr {
                                        td.n { (rank) } td { (id) } td { bdi { (name) } } td { (reason) }
                                        td { @if let Some(d) = last { (d) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What each reason means, for a manager.
fn meaning(reason: Reason) -> &'static str {
    match reason {
        Reason::NotExisting => "not an existing customer (status, or no recent order)",
        Reason::OptedOut => "asked not to be called, or on a do-not-call list",
        Reason::NoConsent => "no recorded consent (opt-in mode)",
        Reason::BadData => "a value that cannot be read: fix the data",
        Reason::CallbackScheduled => "a callback asked for a later day",
        Reason::Paused => "too many unanswered calls in a row: paused",
        Reason::Capped => "reached as often as the caps allow",
        Reason::TooSoon => "called too recently",
        Reason::NotCallingDay => "today is not a calling day for this customer",
        Reason::OverLimit => "past the per-rep limit today",
        Reason::Callback | Reason::Due => "queued",
    }
}

fn excluded(report: &Report) -> Markup {
    let max = report.excluded.iter().map(|e| e.1).max().unwrap_or(0) as f64;
    let bars: Vec<Bar> = report
        .excluded
        .iter()
        .map(|&(reason, n)| Bar {
            label: reason.name().to_owned(),
            parts: vec![(n as f64, svg::EXCLUDED)],
            text: count(n),
            title: format!("{}: {} ({})", reason.name(), count(n), meaning(reason)),
        })
        .collect();
    html! {
        section id="excluded" {
            h2 { "Excluded accounts by reason" }
            @if bars.is_empty() {
                p.note { "No account is excluded." }
            } @else {
                (svg::bars("chart-excluded", &bars, max))
                table {
                    thead { tr { th { "reason" } th.n { "accounts" } th { "meaning" } } }
                    tbody {
                        @for (reason, n) in &report.excluded {
                            tr { td { (reason.name()) } td.n { (count(*n)) } td { (meaning(*reason)) } }
                        }
                    }
                }
                details {
                    summary { "Per rep" }
                    table {
                        thead { tr { th { "rep" } @for (reason, _) in &report.excluded { th.n { (reason.name()) } } } }
                        tbody {
                            @for (rep, counts) in &report.excluded_by_rep {
                                tr { td { (rep) } @for n in counts { td.n { (count(*n)) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn forecast(report: &Report) -> Markup {
    let f = &report.forecast;
    let total: u64 = f.days.iter().map(|d| d.1).sum();
    html! {
        section id="forecast" {
            h2 { "Workload ahead: accounts becoming callable" }
            p.note {
                "Excluded accounts by the day they may be called again (their eligible_on), for each calling day of the next "
                (report.weeks) " week(s): the office's calling days, holidays skipped. "
                "Today's queue, if not called, comes on top."
            }
            @if f.days.is_empty() {
                p.note { "No calling day in that time." }
            } @else {
                (svg::columns("chart-forecast", &f.days, svg::FORECAST))
            }
            table {
                tbody {
                    tr { td { "on those " (f.days.len()) " calling days" } td.n { (count(total)) } }
                    @if f.other_days > 0 {
                        tr { td { "on other days in that time (days only their own region allows)" } td.n { (count(f.other_days)) } }
                    }
                    tr { td { "later" } td.n { (count(f.later)) } }
                    tr { td { "never by themselves (opted out, not existing, no consent, bad data)" } td.n { (count(f.never)) } }
                }
            }
        }
    }
}

fn heat(calls: &Calls) -> Markup {
    let total = calls.heat.total();
    html! {
        section id="answer-rates" {
            h2 { "Answer rates by the customer's weekday and hour" }
            p.note {
                "Every call in the history up to today on an account of the territory, at the customer's local time "
                "(the first zone of the account). Each cell: the share answered (answered, callback and opt-out are "
                "contacts) and, below it, the number of calls. Faded cells have fewer than " (svg::FEW_CALLS) " calls. "
                "The colour runs from dark (none answered) to yellow (the best hour's rate)."
            }
            @if total.calls == 0 {
                p.note { "No call on record." }
            } @else {
                (svg::heat_map("chart-heat", &calls.heat))
                p.note {
                    (count(total.calls)) " calls, " (total.rate().map(percent).unwrap_or_default()) " answered."
                    @if calls.unplaced > 0 { " " (count(calls.unplaced)) " call(s) on accounts with no known zone are left out." }
                    @if calls.outside > 0 { " " (count(calls.outside)) " call(s) on accounts not in the territory are left out." }
                    @if calls.later > 0 { " " (count(calls.later)) " call(s) dated after today are left out." }
                }
            }
        }
    }
}

fn rep_rates(calls: &Calls) -> Markup {
    let with_calls: Vec<_> = calls.reps.iter().filter(|r| r.all.calls > 0).collect();
    let bars: Vec<Bar> = with_calls
        .iter()
        .map(|r| {
            let rate = r.all.rate().unwrap_or(0.0);
            Bar {
                label: r.name.clone(),
                parts: vec![(rate, svg::ANSWERED)],
                text: format!("{} of {}", percent(rate), count(r.all.calls)),
                title: format!(
                    "{}: {} answered ({} of {} calls)",
                    r.name,
                    percent(rate),
                    count(r.all.answered),
                    count(r.all.calls)
                ),
            }
        })
        .collect();
    html! {
        section id="reps" {
            h2 { "Answer rate per rep" }
            p.note { "By the history's rep column (the rep who made the call; " (super::calls::NO_REP) " when empty), every call up to today, on any account." }
            @if bars.is_empty() {
                p.note { "No call on record." }
            } @else {
                (svg::bars("chart-reps", &bars, 1.0))
                table {
                    thead { tr { th { "rep" } th.n { "calls" } th.n { "answered" } th.n { "rate" } th.n { "last 4 weeks" } th.n { "rate" } } }
                    tbody {
                        @for r in &with_calls {
                            tr {
                                td { (r.name) } td.n { (count(r.all.calls)) } td.n { (count(r.all.answered)) }
                                td.n { (r.all.rate().map(percent).unwrap_or_default()) }
                                td.n { (count(r.recent.calls)) }
                                td.n { (r.recent.rate().map(percent).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn reached(report: &Report, calls: &Calls) -> Markup {
    let target = report.daily_target;
    let reps: Vec<(String, Vec<u32>)> = calls
        .reps
        .iter()
        .filter(|r| r.name != super::calls::NO_REP || r.reached.iter().any(|&n| n > 0))
        .map(|r| (r.name.clone(), r.reached.clone()))
        .collect();
    html! {
        section id="reached" class="long" {
            h2 { "Customers reached per rep and calling day" }
            p.note {
                "Distinct customers of the territory each rep reached (a contact) on each calling day of the four weeks before today."
                @if let Some(t) = target {
                    " Against the daily target of " (t) " ([queue] daily_target):"
                    span.key style="background:#2f9e44" {} "met"
                    span.key style="background:#f59f00" {} "three quarters or more"
                    span.key style="background:#e8590c" {} "less"
                    span.key style="background:#c92a2a" {} "none"
                } @else {
                    " Set [queue] daily_target to compare each day with a target."
                }
            }
            @if calls.days.is_empty() || reps.is_empty() {
                p.note { "No calling day or no rep in that time." }
            } @else {
                (svg::reached_grid("chart-reached", &calls.days, &reps, target))
                table {
                    thead { tr { th { "rep" } th.n { "reached in 4 weeks" } th.n { "per calling day" } @if target.is_some() { th.n { "days at target" } } } }
                    tbody {
                        @for (rep, per_day) in &reps {
                            @let a = against(per_day, target);
                            tr {
                                td { (rep) }
                                td.n { (count(per_day.iter().map(|&n| u64::from(n)).sum())) }
                                td.n { (format!("{:.1}", a.mean)) }
                                @if let Some(met) = a.days_met { td.n { (met) " of " (per_day.len()) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn problems(report: &Report) -> Markup {
    let p = &report.problems;
    html! {
        section id="problems" class="long" {
            h2 { "Data problems" }
            @if p.first.is_empty() {
                p.note { "None found." }
            } @else {
                p.note {
                    (count(p.errors as u64)) " error(s) (an account left out, or a row not read) and "
                    (count(p.warnings as u64)) " warning(s) (read with a fallback). "
                    "`callqueue check` lists each with its file and line."
                }
                ol.problems {
                    @for (severity, text) in &p.first {
                        li { span class=(severity) { (severity) } ": " (text) }
                    }
                }
                @if p.more > 0 { p.note { "… and " (count(p.more as u64)) " more." } }
            }
        }
    }
}
