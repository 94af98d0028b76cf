//! The `callqueue` binary: parse the command line, run, map the outcome to
//! an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    let cli = match callqueue::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage(&err),
    };
    match callqueue::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `callqueue build | head`: the reader has all it wanted.
        Err(err) if callqueue::output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors quote cells and file names: shown terminal-safe.
            // Several problems (every problem of the config) are one line
            // each.
            callqueue::output::say(&format!("{err:#}"));
            ExitCode::from(callqueue::exit_code(&err))
        }
    }
}

/// clap's word on the command line: help and the version as clap prints
/// them; a mistake as every other message, `callqueue: ...`, exit 2.
fn usage(err: &clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return if err.use_stderr() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let text = err.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    // clap quotes the argument it could not use, as typed: each line is
    // shown terminal-safe, as every other message.
    let mut stderr = std::io::stderr().lock();
    for (k, line) in text.lines().enumerate() {
        let prefix = if k == 0 { "callqueue: " } else { "" };
        let _ = writeln!(stderr, "{prefix}{}", callqueue::output::terminal_safe(line));
    }
    ExitCode::from(2)
}
