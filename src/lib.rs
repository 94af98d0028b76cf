//! callqueue: builds each sales rep's call queue for the day from a
//! territory, a call history, do-not-call lists and a calling policy.

use std::fmt;

pub mod append;
pub mod best_time;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod dataset;
pub mod datetime;
pub mod domain;
pub mod engine;
pub mod history;
pub mod input;
pub mod journal;
pub mod location;
pub mod loose;
pub mod output;
pub mod pg;
pub mod phone;
pub mod problems;
pub mod progress;
pub mod queue;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod territory;
pub mod timings;
pub mod tomltext;

/// A mistake in how the command was called (exit code 2), as opposed to a
/// failure while running it (exit code 1).
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Runs one command.
pub fn run(cli: &cli::Cli) -> anyhow::Result<()> {
    match &cli.command {
        cli::Command::Build(args) => cmd::build::run(args),
        cli::Command::Record(args) => cmd::record::run(args),
        cli::Command::Explain(args) => cmd::explain::run(args),
        cli::Command::Check(args) => cmd::check::run(args),
        cli::Command::Report(args) => cmd::report::run(args),
        cli::Command::Compliance(args) => cmd::compliance::run(args),
        cli::Command::Init(args) => cmd::init::run(args),
        cli::Command::Completions(args) => cmd::completions::run(args),
        cli::Command::Man => cmd::man::run(),
        cli::Command::History(command) => cmd::history::run(command),
    }
}

/// The exit code for an error: 2 for wrong usage, 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| e.is::<UsageError>()) {
        2
    } else {
        1
    }
}
