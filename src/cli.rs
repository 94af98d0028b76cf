//! The command line: clap derive structs, one per command.

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::dataset::PathFlags;
use crate::output::Format;

/// Builds each sales rep's call queue for the day: existing customers only,
/// within the calling caps, never anyone who said stop.
#[derive(Debug, Parser)]
#[command(
    name = "callqueue",
    version,
    propagate_version = true,
    after_long_help = "Examples:
  callqueue build --rep alice               today's queue for alice, best first
  callqueue build --out-dir /srv/queues     one file per rep (for cron)
  callqueue record A-1001 no-answer         log a call
  callqueue explain A-1001                  why an account is or is not queued
  callqueue check                           list every problem in the inputs

Inputs and the policy come from callqueue.toml in the current directory, or
--config FILE. Exit codes: 0 success, 1 failure, 2 wrong usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the call queue for a date, one queue per rep
    #[command(after_long_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Log a call attempt (or a dialer's export) in the history
    #[command(after_long_help = RECORD_EXAMPLES)]
    Record(RecordArgs),
    /// Say why accounts are or are not queued, rule by rule
    #[command(after_long_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// List every problem in the config and the inputs
    #[command(after_long_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Write the manager's report: one HTML page with the queues, exclusions, workload ahead and answer rates
    #[command(after_long_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Show the calling law a compliance profile holds for each region, with citations
    #[command(after_long_help = "Examples:
  callqueue compliance
      Every rule of the config's [compliance] profile.
  callqueue compliance US-FL US-TX --profile us
      The rules that apply in Florida and Texas under the built-in US profile.")]
    Compliance(ComplianceArgs),
    /// Start a new setup: write a commented callqueue.toml (and an example territory)
    #[command(after_long_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Print a shell completion script
    #[command(after_long_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff)
    #[command(after_long_help = "Examples:
  callqueue man > ~/.local/share/man/man1/callqueue.1 && man callqueue
  callqueue man | man -l -")]
    Man,
    /// Set up, load or export a PostgreSQL history (one table the whole team shares)
    #[command(subcommand, after_long_help = HISTORY_EXAMPLES)]
    History(HistoryCommand),
}

const INIT_EXAMPLES: &str = "Examples:
  callqueue init
      Write ./callqueue.toml, every setting at its default and explained,
      and an empty history.csv (with its header) if there is none.
  callqueue init sales --example
      The same in ./sales, with a tiny territory and do-not-call list to try:
      cd sales && callqueue check && callqueue build

An existing callqueue.toml (or example file) is never overwritten.";

const COMPLETIONS_EXAMPLES: &str = "Examples:
  callqueue completions bash > ~/.local/share/bash-completion/completions/callqueue
  callqueue completions zsh > ~/.zfunc/_callqueue      (with fpath+=~/.zfunc in .zshrc)
  callqueue completions fish > ~/.config/fish/completions/callqueue.fish
  callqueue completions powershell >> $PROFILE";

const EXPLAIN_EXAMPLES: &str = "Examples:
  callqueue explain A-1001
      Why A-1001 is, or is not, in today's queue, and its calls on record.
  callqueue explain A-1001 B-2002 --date 2026-12-01
      Two accounts, as of another date.
  callqueue explain A-1001 --format json
      The same as JSON: account_id, reason, eligible_on, rules, attempts.

Exit codes: 0 when every account asked about is in the territory, 1 otherwise.";

const CHECK_EXAMPLES: &str = "Examples:
  callqueue check
      Check callqueue.toml and every input it names.
  callqueue check --config /etc/callqueue.toml && callqueue build --out-dir /srv/queues
      Build only when the inputs are clean.

Each problem is printed as FILE:LINE: severity: message, where severity is
error (an account is left out or a row not read), warning (read with a
fallback, or a setting that does nothing) or note (worth a look), then a count.
Exit codes: 0 when there is no error, 1 when there is one, 2 wrong usage.";

const RECORD_EXAMPLES: &str = "Examples:
  callqueue record A-1001 no-answer
      A call just now that nobody answered.
  callqueue record A-1001 callback --callback-at \"2026-11-26 10:00\" --rep alice --note \"after lunch\"
      The customer asked to be called back on Thursday at 10.
  callqueue record A-1001 opt-out --at \"2026-11-24 14:05\"
      The customer asked never to be called again.
  callqueue record --from dialer-export.csv
      Every row of a dialer's export (history columns); nothing is appended if any row is wrong.

Outcomes: answered (connected, contacted, reached), no-answer (busy,
voicemail, left-message), callback, opt-out (dnc, do-not-call), and the
config's [outcomes] words. Times: 2026-11-24T14:05:00-05:00, 2026-11-24 14:05
(office time) or 2026-11-24. The history is locked while appending, rows are
written whole and flushed to disk, and earlier rows are never rewritten.";

const REPORT_EXAMPLES: &str = "Examples:
  callqueue report
      Write report.html: today's queue per rep, the excluded accounts by
      reason, the accounts becoming callable over the next 4 weeks, answer
      rates by the customer's weekday and hour, each rep's answer rate and
      customers reached a day, and the data problems.
  callqueue report -o /srv/www/queues/report.html --weeks 6 --quiet
      From cron, with a six-week forecast.
  callqueue build --out-dir /srv/queues --report /srv/queues/report.html
      The queues and the report of the same run, replaced together.

The page is one self-contained file: no script, nothing fetched; it reads
offline and prints. Exit codes: 0 success, 1 failure, 2 wrong usage.";

const BUILD_EXAMPLES: &str = "Examples:
  callqueue build --rep alice
      Today's queue for alice, as a table on a terminal.
  callqueue build --config /etc/callqueue.toml --out-dir /srv/queues --excluded /srv/queues/excluded.csv --quiet
      From cron: one CSV per rep, each replaced atomically, and the audit.
  callqueue build --date 2026-12-01 --territory accounts.csv --history calls.csv -o queue.csv
      Replay or preview a date with explicit files.

The summary (queued, excluded per reason, rows ignored) goes to standard error.
Exit codes: 0 success (a day without calls too), 1 failure, 2 wrong usage.";

/// The inputs every reading command shares.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The TOML policy [default: ./callqueue.toml if present, else built-in defaults]
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The territory CSV (accounts); `-` reads standard input [default: `territory` in the config]
    #[arg(long, short = 't', value_name = "FILE")]
    pub territory: Option<PathBuf>,

    /// The call history CSV; `-` reads standard input [default: `history` in the config]
    #[arg(long = "history", short = 'H', value_name = "FILE")]
    pub history: Option<PathBuf>,

    /// A do-not-call list (phone and/or account_id columns); repeatable, added to the config's lists
    #[arg(long = "suppress", short = 's', value_name = "FILE")]
    pub suppress: Vec<PathBuf>,

    /// The field delimiter of the input CSVs: one character, or `tab`
    #[arg(long, short = 'd', value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,

    /// The queue date, e.g. 2026-11-23 [default: today in the office's zone]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub date: Option<NaiveDate>,

    /// While `record` holds the history's lock, wait at most this long, then fail [default: 30]
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
}

impl InputArgs {
    pub fn path_flags(&self) -> PathFlags<'_> {
        PathFlags {
            config: self.config.as_deref(),
            territory: self.territory.as_deref(),
            history: self.history.as_deref(),
            suppress: &self.suppress,
            delimiter: self.delimiter,
            wait: self.wait.map(Duration::from_secs),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Only this rep's queue: the name in any case, or the start of it or of a word in it (`--rep priya` for "Priya Raman")
    #[arg(long, value_name = "NAME")]
    pub rep: Option<String>,

    /// Keep the first N accounts of each rep's queue [default: `[queue] per_rep` in the config]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    /// Write the queue to FILE (atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,

    /// Write one file per rep into DIR, e.g. DIR/alice.csv (each atomically)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Output format [default: table on a terminal, csv otherwise]
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Also write a CSV audit of every account not queued, with the reason and when it may be called
    #[arg(long, value_name = "FILE")]
    pub excluded: Option<PathBuf>,

    /// Fail (exit 1, nothing written) if any input row has a problem
    #[arg(long)]
    pub strict: bool,

    /// No summary or problem report on standard error
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Territory columns to copy into the queue, e.g. `--keep region,segment`
    #[arg(long, value_name = "COL,...", value_delimiter = ',')]
    pub keep: Vec<String>,

    /// Also write a JSON summary (counts per reason and per rep, inputs and their rows) for dashboards
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// Also write the manager's report for this run (HTML; see `callqueue report`)
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// The report's forecast: calling days of the next N weeks
    #[arg(long, value_name = "N", default_value_t = 4, requires = "report", value_parser = clap::value_parser!(u32).range(1..=52))]
    pub weeks: u32,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Write the report to FILE (atomically); `-` writes it to standard output
    #[arg(long, short = 'o', value_name = "FILE", default_value = "report.html")]
    pub output: PathBuf,

    /// The forecast: calling days of the next N weeks
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=52))]
    pub weeks: u32,

    /// Fail (exit 1, nothing written) if any input row has a problem
    #[arg(long)]
    pub strict: bool,

    /// No summary or problem report on standard error
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// The account called, e.g. A-1001
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    pub account_id: Option<String>,

    /// What happened: answered, no-answer, callback or opt-out (or an alias)
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    pub outcome: Option<String>,

    /// When the call was made, e.g. "2026-11-24 14:05" (office time) [default: now]
    #[arg(long, value_name = "TIME", conflicts_with = "from")]
    pub at: Option<String>,

    /// For a callback: when the customer asked to be called, e.g. "2026-11-26 10:00"
    #[arg(long, value_name = "TIME", conflicts_with = "from")]
    pub callback_at: Option<String>,

    /// Who made the call
    #[arg(long, value_name = "NAME", conflicts_with = "from")]
    pub rep: Option<String>,

    /// A note for people (not read by the rules)
    #[arg(long, value_name = "TEXT", conflicts_with = "from")]
    pub note: Option<String>,

    /// The number called [default: the account's phone in the territory]
    #[arg(long, value_name = "NUMBER", conflicts_with = "from")]
    pub phone: Option<String>,

    /// Append every row of FILE (history columns, e.g. a dialer's export); `-` reads standard input
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// The TOML policy [default: ./callqueue.toml if present]
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The history CSV to append to (created if missing) [default: `history` in the config]
    #[arg(long = "history", short = 'H', value_name = "FILE")]
    pub history: Option<PathBuf>,

    /// The territory, to warn about account ids it does not hold [default: `territory` in the config]
    #[arg(long, short = 't', value_name = "FILE")]
    pub territory: Option<PathBuf>,

    /// The field delimiter of the history and of --from: one character, or `tab`
    #[arg(long, short = 'd', value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,

    /// No confirmation or warnings on standard error
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// While another record or a build holds the history's lock, wait at most this long, then fail [default: 30]
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// The accounts to explain, e.g. A-1001
    #[arg(required = true, value_name = "ACCOUNT_ID")]
    pub account_ids: Vec<String>,

    #[command(flatten)]
    pub inputs: InputArgs,

    /// Apply this per-rep limit, as build would [default: `[queue] per_rep` in the config]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ComplianceArgs {
    /// Regions to show (ISO 3166-2, e.g. US-FL, CA-ON) [default: every region the profile names]
    #[arg(value_name = "REGION")]
    pub regions: Vec<String>,

    /// The profile: us, ca, or a profile file [default: [compliance] profile in the config]
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// The TOML policy [default: ./callqueue.toml if present]
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The folder to set up [default: the current folder]
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Also write a tiny territory, history and do-not-call list to try it on
    #[arg(long)]
    pub example: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const HISTORY_EXAMPLES: &str = "Examples:
  callqueue history init -H postgresql://sales@db.example/crm
      Create the table (and its index) once; running it again changes nothing.
  callqueue history import history.csv
      Load the file's calls into the config's history, skipping calls already there.
  callqueue history export -o backup.csv
      Write the table back as a CSV history.

The password comes from PGPASSWORD or ~/.pgpass; the table is [history] table
in the config (default callqueue_history).";

/// The PostgreSQL history's commands.
#[derive(Debug, Clone, Subcommand)]
pub enum HistoryCommand {
    /// Create the history's table and its index where missing
    Init(DatabaseArgs),
    /// Load a CSV history into the table, skipping calls already there
    Import(ImportArgs),
    /// Write the table as a CSV history
    Export(ExportArgs),
}

/// Where the PostgreSQL history is.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// The TOML policy [default: ./callqueue.toml if present]
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The history's database, e.g. postgresql://sales@db.example/crm [default: `history` in the config]
    #[arg(long = "history", short = 'H', value_name = "URI")]
    pub history: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The CSV history to load; `-` reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// The field delimiter of FILE: one character, or `tab`
    #[arg(long, short = 'd', value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Write the CSV here (replaced atomically) [default: standard output]
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub database: DatabaseArgs,
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() && text != "\"" && text != "\n" => {
            Ok(text.as_bytes()[0])
        }
        _ => Err(format!(
            "{text:?} is not a one-character delimiter (try , or ; or tab)"
        )),
    }
}

fn parse_date_arg(text: &str) -> Result<NaiveDate, String> {
    crate::datetime::parse_date(text)
        .ok_or_else(|| format!("{text:?} is not a date (write 2026-11-23)"))
}
