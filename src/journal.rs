//! The rollback journal that makes an append to the history all or
//! nothing. Before `record` writes a row, it writes what it is about to
//! append, and where, to `<history>-journal` beside the history and syncs
//! it; once the rows are on disk it removes the journal. A `record` killed
//! or cut off by a power loss in between leaves the journal behind, and the
//! next command to open the history (under its lock, so that no append is
//! in progress) cuts the history back to where it was and says so: a torn
//! row never stays, and never glues itself to the next one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const MAGIC: &str = "callqueue rollback journal 1";

/// The journal's path for a history: `history.csv-journal`.
pub fn path_for(history: &Path) -> PathBuf {
    let mut name = history.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

/// An append in progress: its journal is on disk until `commit`.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Writes the journal for appending `bytes` to a history now `len`
    /// bytes long, and makes it durable before the history is touched.
    pub fn begin(history: &Path, len: u64, bytes: &[u8]) -> Result<Journal> {
        let path = path_for(history);
        let shown = path.display();
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .with_context(|| {
                format!("{shown}: cannot write the journal that keeps the history whole (may we write to its folder?); nothing appended")
            })?;
        let head = format!("{MAGIC}\nlength {len}\nappend {}\n\n", bytes.len());
        file.write_all(head.as_bytes())
            .and_then(|()| file.write_all(bytes))
            .and_then(|()| file.sync_all())
            .with_context(|| format!("{shown}: cannot be written; nothing appended"))?;
        sync_folder(&path);
        Ok(Journal { path })
    }

    /// The rows are on disk: the journal goes, durably, so that a power
    /// loss now cannot bring it back and undo them.
    pub fn commit(self) -> Result<()> {
        fs::remove_file(&self.path).with_context(|| {
            format!(
                "{}: cannot be removed after the rows were written; remove it by hand, or the next command will take them back out",
                self.path.display()
            )
        })?;
        sync_folder(&self.path);
        Ok(())
    }
}

/// What an interrupted append had left, and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// The history was cut back to its length before the append.
    RolledBack { written: u64, meant: u64 },
    /// The journal was there but the history untouched.
    Untouched,
}

impl Recovered {
    /// What happened, for a message about the history.
    pub fn describe(&self) -> String {
        match self {
            Recovered::RolledBack { written, meant } => format!(
                "a record was interrupted after writing {written} of its {meant} bytes; \
                 the history is back as it was before it (record those calls again)"
            ),
            Recovered::Untouched => {
                "a record was interrupted before it wrote anything; the history is as it was"
                    .to_owned()
            }
        }
    }
}

/// The history's length before an interrupted append, while its journal
/// is there and whole: how much of it to read when it cannot be undone.
pub fn length_before(history: &Path) -> Option<u64> {
    let bytes = fs::read(path_for(history)).ok()?;
    parse(&bytes).map(|(len, _)| len)
}

/// Undoes an interrupted append to `history`, whose file is `file`, open
/// for writing and locked exclusively (so that no append is in progress).
/// `None` when there is no journal.
pub fn recover(history: &Path, file: &mut File) -> Result<Option<Recovered>> {
    let path = path_for(history);
    let shown = path.display();
    let mut bytes = Vec::new();
    match File::open(&path) {
        Ok(mut journal) => journal
            .read_to_end(&mut bytes)
            .with_context(|| format!("{shown}: cannot be read"))?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{shown}: cannot be read")),
    };
    let Some((len, meant)) = parse(&bytes) else {
        // Cut off while the journal itself was written: the history was
        // not touched yet.
        remove(&path)?;
        return Ok(Some(Recovered::Untouched));
    };
    let now = file
        .metadata()
        .with_context(|| format!("{}: cannot be read", history.display()))?
        .len();
    let tail = read_from(file, len, now)
        .with_context(|| format!("{}: cannot be read", history.display()))?;
    if now < len || !meant.starts_with(&tail) {
        bail!(
            "{}: a record was interrupted (its journal {shown} is still there) and the history has changed since in a way callqueue cannot undo; \
             look at the rows after byte {len}, remove any half row, then delete {shown}",
            history.display()
        );
    }
    if !tail.is_empty() {
        file.set_len(len)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("{}: cannot be cut back", history.display()))?;
    }
    remove(&path)?;
    Ok(Some(if tail.is_empty() {
        Recovered::Untouched
    } else {
        Recovered::RolledBack {
            written: tail.len() as u64,
            meant: meant.len() as u64,
        }
    }))
}

/// The history's length before the append and the bytes it meant to add,
/// when the journal is whole.
fn parse(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let text_end = bytes.windows(2).position(|w| w == b"\n\n")?;
    let head = std::str::from_utf8(&bytes[..text_end]).ok()?;
    let mut lines = head.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let len = lines.next()?.strip_prefix("length ")?.parse().ok()?;
    let count: usize = lines.next()?.strip_prefix("append ")?.parse().ok()?;
    let meant = &bytes[text_end + 2..];
    (meant.len() == count).then_some((len, meant))
}

fn read_from(file: &mut File, from: u64, to: u64) -> io::Result<Vec<u8>> {
    let mut tail = Vec::new();
    if to > from {
        file.seek(SeekFrom::Start(from))?;
        file.take(to - from).read_to_end(&mut tail)?;
    }
    Ok(tail)
}

fn remove(path: &Path) -> Result<()> {
    fs::remove_file(path).with_context(|| format!("{}: cannot be removed", path.display()))?;
    sync_folder(path);
    Ok(())
}

/// Makes a file's creation or removal beside the history durable.
fn sync_folder(path: &Path) {
    crate::output::sync_folder(crate::output::folder_of(path));
}

/// Locks `file` (exclusively, or shared), waiting at most `wait` while
/// another process holds it and saying once what it waits for. False when
/// the file system has no locks.
pub fn lock(file: &File, exclusive: bool, wait: Duration, name: &str) -> Result<bool> {
    let started = Instant::now();
    let mut said = false;
    loop {
        let tried = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match tried {
            Ok(()) => return Ok(true),
            Err(fs::TryLockError::Error(_)) => return Ok(false),
            Err(fs::TryLockError::WouldBlock) => {}
        }
        if started.elapsed() >= wait {
            bail!(
                "{name}: still locked by another process after {} s (a record in progress, or one that hangs); \
                 nothing written: try again, or wait longer with --wait SECONDS",
                wait.as_secs()
            );
        }
        if !said {
            crate::output::say(&format!(
                "{name} is locked by another process (a record in progress?); waiting up to {} s",
                wait.as_secs()
            ));
            said = true;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(dir: &Path, text: &[u8]) -> (PathBuf, File) {
        let path = dir.join("history.csv");
        fs::write(&path, text).unwrap();
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        (path, file)
    }

    #[test]
    fn a_torn_append_is_cut_back_at_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let before = b"account_id,at,outcome\nA1,2026-11-01,answered\n";
        let rows = b"A2,2026-11-02,opt-out\nA3,2026-11-02,no-answer\n";
        for written in 0..=rows.len() {
            let mut torn = before.to_vec();
            torn.extend_from_slice(&rows[..written]);
            let (path, mut file) = history(dir.path(), &torn);
            Journal::begin(&path, before.len() as u64, rows).unwrap();
            let recovered = recover(&path, &mut file).unwrap();
            let expected = match written {
                0 => Recovered::Untouched,
                _ => Recovered::RolledBack {
                    written: written as u64,
                    meant: rows.len() as u64,
                },
            };
            assert_eq!(recovered, Some(expected));
            assert_eq!(fs::read(&path).unwrap(), before, "{written}");
            assert!(!path_for(&path).exists());
        }
    }

    #[test]
    fn a_torn_journal_leaves_the_history_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"account_id,at,outcome\nA1,2026-11-01,answered\n";
        let (path, mut file) = history(dir.path(), text);
        let journal = format!("{MAGIC}\nlength 10\nappend 40\n\nA2,2026");
        fs::write(path_for(&path), journal).unwrap();
        assert_eq!(
            recover(&path, &mut file).unwrap(),
            Some(Recovered::Untouched)
        );
        assert_eq!(fs::read(&path).unwrap(), text);
        assert!(!path_for(&path).exists());
    }

    #[test]
    fn rows_another_writer_added_after_a_torn_one_are_never_cut() {
        let dir = tempfile::tempdir().unwrap();
        let before = b"account_id,at,outcome\n";
        let text = b"account_id,at,outcome\nA2,2026-1A9,2026-11-03,opt-out\n";
        let (path, mut file) = history(dir.path(), text);
        Journal::begin(&path, before.len() as u64, b"A2,2026-11-02,no-answer\n").unwrap();
        let err = recover(&path, &mut file).unwrap_err();
        assert!(format!("{err:#}").contains("cannot undo"), "{err:#}");
        assert_eq!(fs::read(&path).unwrap(), text);
        assert!(path_for(&path).exists());
    }

    #[test]
    fn a_committed_append_leaves_no_journal() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut file) = history(dir.path(), b"h\n");
        let journal = Journal::begin(&path, 2, b"A1\n").unwrap();
        file.seek(SeekFrom::End(0)).unwrap();
        file.write_all(b"A1\n").unwrap();
        journal.commit().unwrap();
        assert_eq!(recover(&path, &mut file).unwrap(), None);
        assert_eq!(fs::read(&path).unwrap(), b"h\nA1\n");
    }
}
