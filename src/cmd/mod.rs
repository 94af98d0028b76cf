//! One module per subcommand, each with a `run`.

use crate::output::say;
use crate::problems::{Problem, Problems};
use crate::territory::{RepId, Territory};

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
/// With `only` (a `--rep` run), the problems about another rep's accounts
/// are counted, not listed; those about no one account (a setting, a list,
/// a row without an id) are listed for every rep.
pub fn report_problems(problems: &Problems, most: usize, only: Option<(&Territory, RepId)>) {
    let mine = |p: &&Problem| match (only, p.account) {
        (Some((territory, rep)), Some(account)) => territory
            .accounts
            .get(account as usize)
            .is_none_or(|a| a.rep == rep),
        _ => true,
    };
    let shown: Vec<&Problem> = problems.list().iter().filter(mine).collect();
    for p in shown.iter().take(most) {
        say(&format!("{}: {p}", p.severity.name()));
    }
    let more = shown.len().saturating_sub(most);
    if more > 0 {
        say(&format!(
            "... and {more} more problem(s); `callqueue check` lists them all"
        ));
    }
    let others = problems.list().len() - shown.len();
    if others > 0 {
        say(&format!(
            "{others} problem(s) in other reps' accounts not shown; `callqueue check` lists them all"
        ));
    }
}
