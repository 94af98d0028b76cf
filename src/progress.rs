//! A progress line on standard error while large inputs are read, shown
//! only when standard error is a terminal: never under cron, never in a
//! pipe or a log file.

use std::io::{self, IsTerminal, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Inputs smaller than this are read too fast for a progress line to help.
const WORTH_SHOWING: u64 = 32 * 1024 * 1024;

/// Bytes read so far, shared by the readers and the line that shows them.
#[derive(Debug, Clone, Default)]
pub struct Meter(Arc<AtomicU64>);

impl Meter {
    /// Wraps a reader so that what it reads is counted.
    pub fn count<R: Read>(&self, inner: R) -> Counting<R> {
        Counting {
            inner,
            meter: self.clone(),
        }
    }

    fn read(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug)]
pub struct Counting<R> {
    inner: R,
    meter: Meter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.meter.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Runs `work`, showing `reading ... 42%` on standard error meanwhile if
/// `wanted`, the input is large and standard error is a terminal.
pub fn show_while<T: Send>(
    wanted: bool,
    total: u64,
    meter: &Meter,
    work: impl FnOnce() -> T + Send,
) -> T {
    if !wanted || total < WORTH_SHOWING || !io::stderr().is_terminal() {
        return work();
    }
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut waited = 0;
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                waited += 1;
                if waited % 5 == 0 {
                    let percent = (meter.read() * 100 / total.max(1)).min(100);
                    let _ = write!(io::stderr(), "\rcallqueue: reading inputs... {percent}%");
                }
            }
            if waited >= 5 {
                let _ = write!(io::stderr(), "\r\x1b[K");
            }
        });
        let result = work();
        done.store(true, Ordering::Relaxed);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_counts_every_byte() {
        let meter = Meter::default();
        let mut data = Vec::new();
        meter
            .count(&b"hello, world"[..])
            .read_to_end(&mut data)
            .unwrap();
        assert_eq!(meter.read(), 12);
        assert_eq!(data, b"hello, world");
    }

    #[test]
    fn small_or_unwanted_work_just_runs() {
        let meter = Meter::default();
        assert_eq!(show_while(false, u64::MAX, &meter, || 7), 7);
        assert_eq!(show_while(true, 10, &meter, || 8), 8);
    }
}
