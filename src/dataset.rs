//! Everything one run reads: the inputs named by the flags and the config,
//! read and joined, and each account's verdict for the queue date.

use std::fs::{File, OpenOptions};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::UsageError;
use crate::best_time::{AnswerRates, BestTime};
use crate::config::Config;
use crate::datetime::Nanos;
use crate::domain::compliance::Limit;
use crate::domain::policy::{Hours, Policy, Window};
use crate::history::{self, History, WrongNumber};
use crate::input::Input;
use crate::journal;
use crate::loose::LooseOptOuts;
use crate::problems::{Problems, Severity};
use crate::progress;
use crate::queue::{self, Queues};
pub use crate::rules::Evidence;
use crate::rules::limits::{self, Limited};
use crate::rules::{self, Facts, Reason, Signs, Standing, Verdict};
use crate::source::{CsvRows, Rows};
use crate::suppress::Suppression;
use crate::territory::{self, RepId, Territory};

/// The opt-outs of the history and the lists that name an account
/// loosely (in another case, or with invisible spaces), added to its
/// evidence.
fn apply_loose_opt_outs(
    file: &str,
    history: &mut History,
    suppression: &Suppression,
    territory: &Territory,
) {
    /// Where an opt-out was said: worded only for the accounts it names.
    enum Said<'a> {
        History(u64),
        List(&'a str),
    }
    let mut loose = LooseOptOuts::default();
    let said = std::mem::take(&mut history.opt_out_ids);
    for (id, line) in &said {
        loose.add(id, (id.as_slice(), Said::History(*line)));
    }
    let mut listed: Vec<_> = suppression.ids.iter().collect();
    listed.sort_unstable();
    for (id, at) in listed {
        loose.add(id, (id.as_slice(), Said::List(at)));
    }
    for (account, (id, said)) in loose.matches(territory) {
        let shown = crate::input::shown(id);
        let note = match said {
            Said::History(line) => format!("{file}:{line}: opt-out recorded for {shown:?}"),
            Said::List(at) => format!("{at}: account_id {shown:?} is on a do-not-call list"),
        };
        history.add_opt_out(account, note);
    }
}

/// How long a reading command waits for a history locked by `record`.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// Where the inputs are, from the flags and the config.
#[derive(Debug, Clone)]
pub struct Sources {
    pub config: Config,
    pub territory: Input,
    pub history: Input,
    pub suppress: Vec<Input>,
    pub delimiter: u8,
    /// How long to wait for the history while `record` holds its lock.
    pub wait: Duration,
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
    /// `--wait`; 30 seconds when not given.
    pub wait: Option<Duration>,
}

impl Sources {
    pub fn resolve(flags: &PathFlags<'_>) -> Result<Sources> {
        let config = Config::load(flags.config)?;
        let pick = |flag: Option<&Path>, from_config: &Option<PathBuf>, what: &str| {
            flag.map(Path::to_path_buf)
                .or_else(|| from_config.clone())
                .map(|p| Input::new(&p))
                .ok_or_else(|| {
                    // No config at all: the first run in a new folder.
                    let start = if config.path.is_none() {
                        " (no callqueue.toml here: `callqueue init` writes one to fill in)"
                    } else {
                        ""
                    };
                    anyhow::Error::new(UsageError(format!(
                        "no {what} given: pass --{what} FILE, or set {what} = \"FILE\" in {}{start}",
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
            wait: flags.wait.unwrap_or(DEFAULT_WAIT),
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

/// Every input, read (and the problems found in them).
#[derive(Debug)]
pub struct Inputs {
    pub territory: Territory,
    pub history: History,
    pub suppression: Suppression,
    pub problems: Problems,
}

/// The inputs, read, for one queue date.
#[derive(Debug)]
pub struct Dataset {
    pub date: NaiveDate,
    /// Which kinds of evidence each account has (an opt-out, a problem, a
    /// listing), found once: the verdicts need no more, and the words are
    /// gathered only where there are some (for few accounts).
    signs: Vec<Signs>,
    /// Each place's calling days, hours and limits (the company's, and the
    /// law of its regions), by place number.
    place_hours: Vec<Hours>,
    /// Each place's calling window on the date (`None`: its zones share
    /// no calling hours, or the law allows no calls that day), by place
    /// number.
    windows: Vec<Option<Window>>,
    /// How messages name the history file.
    pub history_file: Arc<str>,
    pub territory: Territory,
    pub history: History,
    pub suppression: Suppression,
    pub problems: Problems,
    /// Every account in the audit's order (`Territory::by_rep_and_id`).
    pub by_rep_and_id: Vec<u32>,
    /// Answer rates by group, weekday and hour, for the best time;
    /// `None` when `[queue] best_time` is off.
    pub answer_rates: Option<AnswerRates>,
}

/// The territory, then every do-not-call list (read while the history is
/// read on another thread).
fn read_territory_and_lists(
    sources: &Sources,
    keep: &[String],
    problems: &mut Problems,
    accounts: usize,
    meter: &progress::Meter,
) -> Result<(Territory, Suppression)> {
    let config = &sources.config;
    let territory = territory::read(
        &sources.territory,
        meter.count(sources.territory.open()?),
        config,
        keep,
        sources.delimiter,
        problems,
        accounts,
    )?;
    let mut suppression = Suppression::default();
    for list in &sources.suppress {
        suppression.add(list, list.open()?, config, sources.delimiter, problems)?;
    }
    Ok((territory, suppression))
}

impl Dataset {
    /// Reads every input: the history on one thread while the territory
    /// and the do-not-call lists are read on this one. `keep` names
    /// territory columns to carry into the queue; `with_notices` collects
    /// the problems only `check` shows; `progress` allows a progress line
    /// on a terminal.
    pub fn load(
        sources: &Sources,
        date: NaiveDate,
        keep: &[String],
        with_notices: bool,
        progress: bool,
    ) -> Result<Dataset> {
        let meter = progress::Meter::default();
        let total: u64 = std::iter::once(&sources.territory)
            .chain(std::iter::once(&sources.history))
            .filter_map(|i| i.path())
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        progress::show_while(progress, total, &meter, || {
            Dataset::read(sources, date, keep, with_notices, &meter)
        })
    }

    fn read(
        sources: &Sources,
        date: NaiveDate,
        keep: &[String],
        with_notices: bool,
        meter: &progress::Meter,
    ) -> Result<Dataset> {
        let config = &sources.config;
        let mut problems = Problems::new(with_notices);
        let history_input = HistoryInput::prepare(
            &sources.history,
            &config.history_table,
            sources.wait,
            &mut problems,
        )?;
        let stop = AtomicBool::new(false);
        // The history's tables are sized for the territory's accounts too:
        // most ids in a history are the territory's.
        let accounts = sources.territory.estimate_rows();
        let options = history::ScanOptions {
            with_notices,
            expected_ids: accounts,
            recent_since: config.policy.recent_since(date, config.office),
        };
        let (territory, suppression, by_rep_and_id, scanned) =
            std::thread::scope(|s| -> Result<_> {
                let scanning = s.spawn(|| {
                    let counted = meter.count(history_input.open()?);
                    history::scan(
                        &sources.history,
                        CsvRows::new(
                            &sources.history.name,
                            counted,
                            history_input.delimiter(sources.delimiter),
                        ),
                        config,
                        date,
                        options,
                        &stop,
                    )
                });
                // While the history is still being read, sort the accounts for
                // the audit.
                let others =
                    read_territory_and_lists(sources, keep, &mut problems, accounts, meter).map(
                        |(territory, suppression)| {
                            let order = territory.by_rep_and_id();
                            (territory, suppression, order)
                        },
                    );
                crate::timings::phase("territory and do-not-call lists");
                if others.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                let scanned = scanning
                    .join()
                    .map_err(|_| anyhow::anyhow!("{}: reading failed", sources.history.name))?;
                crate::timings::phase("history scan");
                let (territory, suppression, order) = others?;
                Ok((territory, suppression, order, scanned?))
            })?;
        let open = || history_input.rows(&sources.history.name, sources.delimiter);
        let mut history = scanned.join(
            &sources.history,
            &open,
            &territory,
            config,
            date,
            &mut problems,
        )?;
        crate::timings::phase("history matched to the territory");
        apply_loose_opt_outs(
            &sources.history.name,
            &mut history,
            &suppression,
            &territory,
        );
        crate::timings::phase("loose opt-outs applied");
        let inputs = Inputs {
            territory,
            history,
            suppression,
            problems,
        };
        let mut data = Dataset::from_parts(
            date,
            Arc::clone(&sources.history.name),
            &config.policy,
            inputs,
            Some(by_rep_and_id),
        );
        if config.best_time {
            data.add_answer_rates(config.office);
        }
        Ok(data)
    }

    /// Adds up the answer rates the best time reads.
    pub fn add_answer_rates(&mut self, office: chrono_tz::Tz) {
        self.answer_rates = Some(AnswerRates::build(
            &self.territory,
            &self.history,
            &self.windows,
            self.date,
            office,
        ));
        crate::timings::phase("answer rates");
    }

    /// Account `index`'s best time to call today, with the rates behind
    /// it; `None` when the best time is off or the account has no zone.
    pub fn best_time(&self, index: u32) -> Option<BestTime<'_>> {
        let place = self.territory.accounts[index as usize].place;
        self.answer_rates
            .as_ref()?
            .best_time(place, self.history.latest_calls(index))
    }

    /// A dataset from inputs already read (the fuzz targets build one).
    /// `by_rep_and_id` is the territory's audit order, if already sorted
    /// (`Territory::by_rep_and_id`); it is sorted here otherwise.
    pub fn from_parts(
        date: NaiveDate,
        history_file: Arc<str>,
        policy: &Policy,
        inputs: Inputs,
        by_rep_and_id: Option<Vec<u32>>,
    ) -> Dataset {
        let Inputs {
            territory,
            history,
            suppression,
            problems,
        } = inputs;
        let by_rep_and_id = by_rep_and_id.unwrap_or_else(|| territory.by_rep_and_id());
        let place_hours: Vec<Hours> = territory
            .places
            .iter()
            .map(|place| policy.hours_for(place))
            .collect();
        let windows = territory
            .places
            .iter()
            .zip(&place_hours)
            .map(|(place, hours)| hours.window(&place.zones, date))
            .collect();
        let mut data = Dataset {
            date,
            signs: Vec::new(),
            place_hours,
            windows,
            history_file,
            territory,
            history,
            suppression,
            problems,
            by_rep_and_id,
            answer_rates: None,
        };
        data.signs = crate::engine::parallel::halves(
            data.territory.accounts.len() as u32,
            |range, signs| {
                signs.extend(range.map(|i| data.find_signs(i)));
            },
        );
        crate::timings::phase("evidence flagged");
        data
    }

    /// Every source's evidence about account `index`. Empty (and free)
    /// for the usual clean account.
    pub fn evidence(&self, index: u32) -> Evidence {
        if self
            .signs
            .get(index as usize)
            .is_none_or(|signs| signs.any() || signs.consent)
        {
            self.gather_evidence(index)
        } else {
            Evidence::default()
        }
    }

    /// Which kinds of evidence `gather_evidence` finds, found without
    /// gathering it (no words are written): for `signs`, worked out for
    /// everyone.
    fn find_signs(&self, index: u32) -> Signs {
        let territory = &self.territory;
        let listed = |digits: &str| self.suppression.phone(digits).is_some();
        let mut signs = Signs::default();
        if let Some(notes) = territory.notes(index) {
            signs = Signs {
                opted_out: !notes.opted_out.is_empty()
                    || notes.other_phones.iter().any(|p| listed(p.digits())),
                bad: !notes.bad.is_empty(),
                untrusted: notes.duplicated || notes.ragged,
                consent: false,
            };
        }
        signs.consent =
            territory.accounts[index as usize].opt_in || !self.history.consents(index).is_empty();
        signs.opted_out = signs.opted_out
            || self.suppression.id(territory.id_bytes(index)).is_some()
            || territory.phone_digits(index).is_some_and(listed)
            || !self.history.opt_outs(index).is_empty();
        signs.bad = signs.bad
            || !self.history.bad_rows(index).is_empty()
            || self.no_shared_hours(index)
            || self.wrong_number(index).is_some();
        signs
    }

    /// The wrong number recorded against the account's phone, if any: one
    /// that names its phone, or one that names no phone and is its latest
    /// attempt (a later attempt of another outcome clears that one). A
    /// corrected phone in the territory makes the account callable again.
    fn wrong_number(&self, index: u32) -> Option<&WrongNumber> {
        let wrong = self.history.wrong_numbers(index);
        if wrong.is_empty() {
            return None;
        }
        let number = |digits: &str| digits.split(';').next().unwrap_or_default().to_owned();
        let phone = number(self.territory.phone_digits(index).unwrap_or_default());
        let latest = self.history.tally(index).last_at();
        wrong.iter().rev().find(|w| match &w.phone {
            Some(digits) => number(digits) == phone,
            // Still the latest call, or only wrong numbers since.
            None => latest.is_none_or(|last| wrong.iter().any(|v| v.at == last && v.at >= w.at)),
        })
    }

    /// The account's calling days, hours and limits.
    pub fn hours(&self, index: u32) -> &Hours {
        let place = self.territory.accounts[index as usize].place;
        &self.place_hours[place as usize]
    }

    /// The account's calling window on the date, in UTC.
    pub fn window(&self, index: u32) -> Option<Window> {
        let place = self.territory.accounts[index as usize].place;
        self.windows.get(place as usize).copied().flatten()
    }

    /// Whether the account's zones (several of them) share no calling
    /// hours on the date: it cannot be called, whichever is right. (An
    /// account with no zone is bad data already, from the territory.)
    fn no_shared_hours(&self, index: u32) -> bool {
        self.window(index).is_none()
            && !self.territory.place(index).zones.is_empty()
            && self.hours(index).local_hours(self.date).is_some()
    }

    /// Looks the account up in every source. Allocates only for what it
    /// finds.
    fn gather_evidence(&self, index: u32) -> Evidence {
        let territory = &self.territory;
        let mut evidence = Evidence::default();
        let notes = territory.notes(index);
        if let Some(notes) = notes {
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
        if let Some(at) = self.suppression.id(territory.id_bytes(index)) {
            evidence
                .opted_out
                .push(format!("{at}: account_id is on a do-not-call list"));
        }
        let other_phones = notes
            .into_iter()
            .flat_map(|n| n.other_phones.iter().map(|p| (p.as_str(), p.digits())));
        let first_phone = territory.phone(index).zip(territory.phone_digits(index));
        for (phone, digits) in first_phone.into_iter().chain(other_phones) {
            if let Some(at) = self.suppression.phone(digits) {
                evidence
                    .opted_out
                    .push(format!("{at}: phone {phone} is on a do-not-call list"));
            }
        }
        evidence
            .opted_out
            .extend(self.history.opt_outs(index).iter().cloned());
        evidence
            .bad
            .extend(self.history.bad_rows(index).iter().cloned());
        if let Some(wrong) = self.wrong_number(index) {
            let phone = territory.phone(index).unwrap_or_default();
            evidence.bad.push(format!(
                "{}:{}: wrong-number recorded for {phone}, the account's phone; correct the phone in the territory",
                self.history_file, wrong.line
            ));
        }
        if territory.accounts[index as usize].opt_in {
            let line = territory.accounts[index as usize].line;
            evidence
                .consent
                .push(format!("{}:{line}: opt_in says yes", territory.file));
        }
        evidence
            .consent
            .extend(self.history.consents(index).iter().cloned());
        if self.no_shared_hours(index) {
            let line = territory.accounts[index as usize].line;
            let zones = territory.place(index).zones.iter().map(|z| z.name());
            evidence.bad.push(format!(
                "{}:{line}: its zones ({}) share no calling hours on {}",
                territory.file,
                zones.collect::<Vec<_>>().join(", "),
                self.date
            ));
        }
        evidence
    }

    /// Every rule's finding about account `index`, for `explain`.
    pub fn findings(&self, index: u32, config: &Config) -> Vec<rules::Finding> {
        let evidence = self.evidence(index);
        rules::findings(
            &self.facts(index, &evidence),
            self.history.tally(index),
            self.date,
            &config.policy,
        )
    }

    /// The rules' verdict for account `index`, from the kinds of evidence
    /// found when the inputs were read: `judge`'s verdict, without its
    /// words.
    pub fn verdict(&self, index: u32, config: &Config) -> Verdict {
        let signs = match self.signs.get(index as usize) {
            Some(&signs) => signs,
            None => self.find_signs(index),
        };
        let standing = Standing {
            status: self.territory.status(index),
            last_order: self.territory.accounts[index as usize].last_order,
            last_inquiry: self.territory.accounts[index as usize].last_inquiry,
            signs,
            hours: Some(self.hours(index)),
        };
        let verdict = rules::decide(
            &standing,
            self.history.tally(index),
            self.date,
            &config.policy,
        );
        self.with_limits(index, verdict, config.office)
    }

    /// The rolling limits on a queued account (rule 6, with the window
    /// only the dataset knows): reached for the whole of today's window,
    /// the account is `capped` until they free up.
    fn with_limits(&self, index: u32, verdict: Verdict, office: chrono_tz::Tz) -> Verdict {
        if !verdict.reason.is_queued() {
            return verdict;
        }
        let Some((free, _)) = self.limited_until(index) else {
            return verdict;
        };
        let office_day = chrono::DateTime::from_timestamp_nanos(free)
            .with_timezone(&office)
            .date_naive();
        let from = office_day.max(self.date.succ_opt().unwrap_or(self.date));
        Verdict {
            reason: Reason::Capped,
            rule: Reason::Capped,
            eligible_on: self.hours(index).calling_day_from(from),
        }
    }

    /// What the rolling limits make of the account's window today.
    fn limited(&self, index: u32) -> Limited<'_> {
        let hours = self.hours(index);
        let recent = self.history.recent(index);
        if hours.limits.is_empty() || recent.is_empty() {
            return Limited::Free;
        }
        let Some(window) = self.window(index) else {
            return Limited::Free;
        };
        let nanos =
            |t: chrono::NaiveDateTime| t.and_utc().timestamp_nanos_opt().unwrap_or(i64::MAX);
        limits::check(
            recent,
            nanos(window.from),
            nanos(window.until),
            &hours.limits,
        )
    }

    /// When a limit reached for the whole of today's window frees up, and
    /// the limit.
    pub fn limited_until(&self, index: u32) -> Option<(Nanos, &Limit)> {
        match self.limited(index) {
            Limited::Until(free, limit) => Some((free, limit)),
            _ => None,
        }
    }

    /// The moment a limit lets the account's window start today, when it
    /// starts later than the hours say, and the limit.
    pub fn limited_from(&self, index: u32) -> Option<(Nanos, &Limit)> {
        match self.limited(index) {
            Limited::From(from, limit) => Some((from, limit)),
            _ => None,
        }
    }

    /// The rules' verdict for account `index`, with the evidence behind it.
    pub fn judge(&self, index: u32, config: &Config) -> (Verdict, Evidence) {
        let evidence = self.evidence(index);
        let verdict = rules::evaluate(
            &self.facts(index, &evidence),
            self.history.tally(index),
            self.date,
            &config.policy,
        );
        (self.with_limits(index, verdict, config.office), evidence)
    }

    pub fn facts<'a>(&'a self, index: u32, evidence: &'a Evidence) -> Facts<'a> {
        Facts {
            status: self.territory.status(index),
            last_order: self.territory.accounts[index as usize].last_order,
            last_inquiry: self.territory.accounts[index as usize].last_inquiry,
            evidence,
            history_file: &self.history_file,
            hours: Some(self.hours(index)),
        }
    }

    /// Every account's verdict, by account index: the two halves of the
    /// territory on two threads.
    pub fn verdicts(&self, config: &Config) -> Vec<Verdict> {
        crate::engine::parallel::halves(self.territory.accounts.len() as u32, |range, verdicts| {
            let at = |k: usize| range.start + k as u32;
            for (ahead, current) in crate::engine::parallel::windows(0..range.len()) {
                self.history.warm(ahead.map(at));
                verdicts.extend(current.map(|k| self.verdict(at(k), config)));
            }
        })
    }

    /// The verdicts and the queues, with the per-rep limit applied: an
    /// account the limit cuts becomes `over-limit`, due the next calling day.
    pub fn decide(&self, config: &Config, only: Option<RepId>, limit: Option<usize>) -> Decision {
        let mut verdicts = self.verdicts(config);
        crate::timings::phase("verdicts");
        let queues = queue::build(&self.territory, &verdicts, &self.history, only, limit);
        for &(account, _) in &queues.over_limit {
            let verdict = &mut verdicts[account as usize];
            verdict.reason = Reason::OverLimit;
            verdict.eligible_on = self
                .date
                .succ_opt()
                .and_then(|d| self.hours(account).calling_day_from(d));
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
        let mut text = String::new();
        self.detail_into(config, index, verdict, rank, limit, &mut text);
        text
    }

    /// `detail`, appended to `text` (the audit reuses one string).
    pub fn detail_into(
        &self,
        config: &Config,
        index: u32,
        verdict: Verdict,
        rank: Option<u32>,
        limit: Option<usize>,
        text: &mut String,
    ) {
        match verdict.reason {
            Reason::NotCallingDay => {
                if let Some(why) = self.hours(index).closed_because(self.date) {
                    text.push_str(&why);
                }
            }
            Reason::Capped => {
                // The contact cap's words when it holds; else the rolling
                // limit's, which capped the account once it was queued.
                let start = text.len();
                let tally = self.history.tally(index);
                let caps = &config.policy.caps;
                let by_tally =
                    rules::tally_finding_into(Reason::Capped, tally, self.date, caps, text);
                if by_tally != Some(true)
                    && let Some((free, limit)) = self.limited_until(index)
                {
                    text.truncate(start);
                    limits::describe_limit(limit, text);
                    text.push_str(": reached for the whole of today's window; free again at ");
                    text.push_str(&crate::history::rfc3339(free, config.office));
                }
            }
            Reason::OverLimit => {
                text.push_str("rank ");
                rules::push_number(text, rank.unwrap_or_default().into());
                text.push_str(" in the rep's queue; the limit is ");
                rules::push_number(text, limit.unwrap_or_default() as u64);
            }
            _ => {
                // The tally's rules first: most lines need nothing else.
                let tally = self.history.tally(index);
                let (date, caps) = (self.date, &config.policy.caps);
                if rules::tally_finding_into(verdict.rule, tally, date, caps, text).is_none() {
                    let evidence = self.evidence(index);
                    let facts = self.facts(index, &evidence);
                    rules::finding_into(verdict.rule, &facts, tally, date, &config.policy, text);
                }
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

/// The history, ready to be read (twice, if its rows are out of time
/// order): standard input is held in memory; a file is held under a shared
/// lock, so that `record` (which locks exclusively) waits until reading is
/// done and no row is seen half-written. Where the file system has no
/// locks, reading goes ahead without. What an interrupted `record` left is
/// undone first (`journal.rs`), or, where the history may not be written,
/// left unread. A PostgreSQL history is read in one snapshot of its table.
#[derive(Debug)]
pub enum HistoryInput<'a> {
    Bytes(Arc<Vec<u8>>),
    Table(Box<crate::pg::Snapshot>),
    File {
        input: &'a Input,
        _lock: Option<File>,
        /// Read no further: the rest is an interrupted append's.
        limit: Option<u64>,
    },
}

impl<'a> HistoryInput<'a> {
    /// `table` names the table of a PostgreSQL history (`[history] table`).
    pub fn prepare(
        input: &'a Input,
        table: &str,
        wait: Duration,
        problems: &mut Problems,
    ) -> Result<HistoryInput<'a>> {
        if let Some(uri) = input
            .path()
            .and_then(Path::to_str)
            .filter(|p| crate::pg::uri::is_uri(p))
        {
            let server = crate::pg::Server::new(uri, table)?;
            return Ok(HistoryInput::Table(Box::new(server.snapshot()?)));
        }
        let Some(path) = input.path() else {
            let mut bytes = Vec::new();
            input
                .open()?
                .read_to_end(&mut bytes)
                .with_context(|| format!("{}: cannot be read", input.name))?;
            return Ok(HistoryInput::Bytes(Arc::new(bytes)));
        };
        let name = &input.name;
        if journal::path_for(path).exists()
            && let Ok(mut file) = OpenOptions::new().read(true).write(true).open(path)
        {
            journal::lock(&file, true, wait, name)?;
            if let Some(recovered) = journal::recover(path, &mut file)? {
                // Said at once, by every command (`explain` lists no
                // problems, and `--quiet` silences only the summary).
                crate::output::say(&format!("warning: {name}: {}", recovered.describe()));
            }
        }
        let Ok(file) = File::open(path) else {
            // Opened again to read, with the error named there.
            return Ok(HistoryInput::File {
                input,
                _lock: None,
                limit: None,
            });
        };
        let lock = journal::lock(&file, false, wait, name)?.then_some(file);
        let limit = journal::length_before(path);
        if limit.is_some() {
            problems.push(
                Severity::Warning,
                name,
                None,
                "a record was interrupted and its rows cannot be taken back out (the history may not be written here): \
                 they are not read; run any callqueue command as a user who may write the history to mend it"
                    .to_owned(),
            );
        }
        Ok(HistoryInput::File {
            input,
            _lock: lock,
            limit,
        })
    }

    /// The history's rows, from the start.
    pub fn rows(&self, name: &Arc<str>, delimiter: u8) -> Result<Box<dyn Rows + '_>> {
        Ok(Box::new(CsvRows::new(
            name,
            self.open()?,
            self.delimiter(delimiter),
        )))
    }

    /// The rows' delimiter: `given` (the flag's), but a table's rows come
    /// as COPY writes CSV.
    pub fn delimiter(&self, given: u8) -> u8 {
        match self {
            HistoryInput::Table(_) => b',',
            _ => given,
        }
    }

    pub fn open(&self) -> Result<Box<dyn Read + Send>> {
        match self {
            HistoryInput::Bytes(bytes) => Ok(Box::new(Cursor::new(SharedBytes(Arc::clone(bytes))))),
            HistoryInput::Table(snapshot) => Ok(snapshot.reader()),
            HistoryInput::File {
                input,
                limit: Some(limit),
                ..
            } => Ok(Box::new(input.open()?.take(*limit))),
            HistoryInput::File { input, .. } => input.open(),
        }
    }
}

/// Bytes shared between readers of the same buffered input.
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_signs_and_verdicts_match_the_gathered_evidence() {
        // Every corpus case that loads: each account's signs are the kinds
        // of its evidence, gathered, and its verdict from them is the
        // verdict from the gathered evidence.
        let mut loaded = Vec::new();
        for case in std::fs::read_dir("tests/corpus").unwrap() {
            let case = case.unwrap();
            let config = case.path().join("input/callqueue.toml");
            let flags = PathFlags {
                config: Some(&config),
                delimiter: b',',
                ..PathFlags::default()
            };
            let Ok(sources) = Sources::resolve(&flags) else {
                continue;
            };
            let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
            let Ok(data) = Dataset::load(&sources, date, &[], true, false) else {
                continue;
            };
            for i in 0..data.territory.accounts.len() as u32 {
                let account = || {
                    format!(
                        "{} account {:?}",
                        config.display(),
                        String::from_utf8_lossy(data.territory.id_bytes(i))
                    )
                };
                let evidence = data.gather_evidence(i);
                assert_eq!(data.signs[i as usize], evidence.signs(), "{}", account());
                assert_eq!(
                    data.find_signs(i).any(),
                    !evidence.is_empty(),
                    "{}",
                    account()
                );
                assert_eq!(
                    data.verdict(i, &sources.config),
                    data.judge(i, &sources.config).0,
                    "{}",
                    account()
                );
            }
            loaded.push(case.file_name().to_string_lossy().into_owned());
        }
        for case in [
            "opt-out-everywhere",
            "duplicate-ids",
            "duplicate-listed-phone",
            "ragged-rows",
            "history-id-problems",
        ] {
            assert!(loaded.iter().any(|c| c == case), "{case} did not load");
        }
    }
}
