//! The `callqueue` binary: parse the command line, run, map the outcome to
//! an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = callqueue::cli::Cli::parse();
    match callqueue::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `callqueue build | head`: the reader has all it wanted.
        Err(err) if callqueue::output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // Errors quote cells and file names: shown terminal-safe.
            let message = format!("{err:#}");
            let _ = writeln!(
                std::io::stderr(),
                "callqueue: {}",
                callqueue::output::terminal_safe(&message)
            );
            ExitCode::from(callqueue::exit_code(&err))
        }
    }
}
