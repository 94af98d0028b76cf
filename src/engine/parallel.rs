//! Work over a million accounts: split across both cores, and taken in
//! windows whose memory is loaded ahead of the work.

use std::ops::Range;

/// How many items a window holds: enough for their cache misses to
/// overlap, few enough that what was loaded is still in the cache when the
/// window's turn comes.
pub const WINDOW: usize = 64;

/// `work` over `0..n`, the two halves on two threads, each pushing its
/// results to the list it is given; the lists joined in order. The first
/// half's list has room for both, so that joining copies only the second.
/// A panic on the other thread is carried over to this one.
pub fn halves<T: Send>(n: u32, work: impl Fn(Range<u32>, &mut Vec<T>) + Sync) -> Vec<T> {
    let middle = n / 2;
    let (mut first, second) = join(
        || {
            let mut first = Vec::with_capacity(n as usize);
            work(0..middle, &mut first);
            first
        },
        || {
            let mut second = Vec::with_capacity((n - middle) as usize);
            work(middle..n, &mut second);
            second
        },
    );
    first.extend(second);
    first
}

/// `first` on this thread and `second` on another, side by side; both
/// results. A panic on the other thread is carried over to this one.
pub fn join<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    let (a, b) = std::thread::scope(|s| {
        let b = s.spawn(second);
        (first(), b.join())
    });
    match b {
        Ok(b) => (a, b),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// `range` a `WINDOW` at a time, in order, each window with the one ahead
/// of it: `(ahead, current)`. Load `ahead`'s memory without waiting on it,
/// then work `current`, whose memory was loaded one step before. The first
/// step has no current window and the last none ahead (empty ranges).
pub fn windows(range: Range<usize>) -> impl Iterator<Item = (Range<usize>, Range<usize>)> {
    let end = range.end;
    let window = move |start: usize| start.min(end)..(start + WINDOW).min(end);
    let first = range.start;
    let steps = range.len().div_ceil(WINDOW) + 1;
    (0..steps).map(move |k| {
        let ahead = window(first + k * WINDOW);
        let current = match k {
            0 => first..first,
            _ => window(first + (k - 1) * WINDOW),
        };
        (ahead, current)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_keep_the_order() {
        for n in [0u32, 1, 2, 7, 1000] {
            let got = halves(n, |r, out| out.extend(r.map(|i| i * 3)));
            let want: Vec<u32> = (0..n).map(|i| i * 3).collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn join_gives_both_results_and_carries_a_panic_over() {
        assert_eq!(join(|| 1, || "two"), (1, "two"));
        let caught = std::panic::catch_unwind(|| join(|| 1, || -> u32 { panic!("second") }));
        assert!(caught.is_err());
    }

    #[test]
    fn windows_are_warmed_one_step_ahead_of_their_work() {
        for range in [0..0, 0..1, 3..64, 0..64, 0..65, 10..300] {
            let steps: Vec<_> = windows(range.clone()).collect();
            // Every item worked once, in order.
            let worked: Vec<usize> = steps.iter().flat_map(|(_, w)| w.clone()).collect();
            assert_eq!(worked, range.clone().collect::<Vec<_>>());
            // Each window is warmed in the step before it is worked.
            for k in 1..steps.len() {
                assert_eq!(steps[k - 1].0, steps[k].1, "{range:?}");
            }
            assert!(steps[0].1.is_empty());
            assert!(steps[steps.len() - 1].0.is_empty());
            assert!(steps.iter().all(|(a, _)| a.len() <= WINDOW));
        }
    }
}
