//! Problems found in the inputs, each with its file and line, collected while
//! reading so that `build` can report them and `check` can list them all.

use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Data that changes a verdict or is skipped: an account left out,
    /// a row not read.
    Error,
    /// Data read with a fallback (a priority taken as 0, say).
    Warning,
    /// Worth a look, shown only by `check`: history rows for accounts not
    /// in the territory, history dated after today, settings that do nothing.
    Notice,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "note",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub file: Arc<str>,
    pub line: Option<u64>,
    pub message: String,
    /// The territory account the problem is about (its index), where a
    /// row belongs to one: a `--rep` run shows that rep's problems.
    pub account: Option<u32>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The problems of one run, in the order they were found.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    list: Vec<Problem>,
    /// Collect notices too (`check`); `build` leaves them out.
    pub with_notices: bool,
    /// The account the problems pushed now are about (see `about`).
    about: Option<u32>,
}

impl Problems {
    pub fn new(with_notices: bool) -> Problems {
        Problems {
            list: Vec::new(),
            with_notices,
            about: None,
        }
    }

    /// The territory account (its index) the problems pushed from now on
    /// are about; `None` for problems about no one account.
    pub fn about(&mut self, account: Option<u32>) {
        self.about = account;
    }

    pub fn push(
        &mut self,
        severity: Severity,
        file: &Arc<str>,
        line: Option<u64>,
        message: String,
    ) {
        if severity == Severity::Notice && !self.with_notices {
            return;
        }
        self.list.push(Problem {
            severity,
            file: Arc::clone(file),
            line,
            message,
            account: self.about,
        });
    }

    /// Records a problem and gives back its `file:line: message` text, for
    /// the account's evidence.
    pub fn error(&mut self, file: &Arc<str>, line: u64, message: String) -> String {
        let problem = Problem {
            severity: Severity::Error,
            file: Arc::clone(file),
            line: Some(line),
            message,
            account: self.about,
        };
        let text = problem.to_string();
        self.list.push(problem);
        text
    }

    pub fn extend(&mut self, other: Problems) {
        self.list.extend(other.list);
    }

    pub fn list(&self) -> &[Problem] {
        &self.list
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|p| p.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_carry_the_account_they_are_about_until_it_is_ended() {
        let file: Arc<str> = Arc::from("territory.csv");
        let mut problems = Problems::new(false);
        problems.push(Severity::Warning, &file, None, "before".to_owned());
        problems.about(Some(7));
        problems.error(&file, 2, "bad phone".to_owned());
        problems.push(Severity::Warning, &file, Some(2), "bad priority".to_owned());
        problems.about(None);
        problems.push(Severity::Error, &file, Some(3), "no id".to_owned());
        let about: Vec<Option<u32>> = problems.list().iter().map(|p| p.account).collect();
        assert_eq!(about, vec![None, Some(7), Some(7), None]);
    }
}
