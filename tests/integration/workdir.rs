//! A temporary directory to write inputs into and run `callqueue` in.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

pub struct Workdir {
    dir: TempDir,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with everything printed unless the run exited with `code`.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code {} (wanted {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn ok(self) -> Run {
        self.expect(0)
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> &Workdir {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, contents).unwrap();
        self
    }

    pub fn read(&self, name: &str) -> String {
        fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.path(name).exists()
    }

    /// The command, run in this directory with a fixed zone and no colour.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_callqueue"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .env_remove("CALLQUEUE_CONFIG");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, b"")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &[u8]) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("callqueue runs");
        {
            let mut input = child.stdin.take().unwrap();
            // The command may finish without reading its input.
            let _ = input.write_all(stdin);
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// Parses CSV text into rows of cells, header first.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The values of one column (by header name) of CSV text.
pub fn column(text: &str, name: &str) -> Vec<String> {
    let rows = csv_rows(text);
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    body.iter().map(|r| r[i].clone()).collect()
}

/// The audit file's (account_id, reason) pairs, in its order.
pub fn audit(wd: &Workdir, file: &str) -> Vec<(String, String)> {
    csv_rows(&wd.read(file))
        .into_iter()
        .skip(1)
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect()
}

/// Owned (account_id, reason) pairs, to compare with `audit`.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The config of a New York office calling US numbers, reading `t.csv`
/// and `h.csv`, then `extra`.
pub fn new_york_config(extra: &str) -> String {
    format!(
        "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"h.csv\"\n{extra}"
    )
}

/// A workdir with `new_york_config(extra)`, `territory` as `t.csv` and
/// `history` as `h.csv`.
pub fn new_york(extra: &str, territory: &str, history: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write("callqueue.toml", new_york_config(extra))
        .write("t.csv", territory)
        .write("h.csv", history);
    wd
}
