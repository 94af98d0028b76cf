//! One module per subcommand, each with a `run`.

use std::io::Write;

use crate::output::terminal_safe;
use crate::problems::Problems;

pub mod build;
pub mod check;
pub mod completions;
pub mod compliance;
pub mod explain;
pub mod history;
pub mod init;
pub mod man;
pub mod record;
pub mod report;

/// Prints the first `most` problems to standard error, then how many more.
/// Problems quote the cells they are about, so each is made terminal-safe.
pub fn report_problems(problems: &Problems, most: usize) {
    let mut err = std::io::stderr().lock();
    for p in problems.list().iter().take(most) {
        let text = p.to_string();
        let _ = writeln!(
            err,
            "callqueue: {}: {}",
            p.severity.name(),
            terminal_safe(&text)
        );
    }
    let more = problems.list().len().saturating_sub(most);
    if more > 0 {
        let _ = writeln!(
            err,
            "callqueue: ... and {more} more problem(s); `callqueue check` lists them all"
        );
    }
}
