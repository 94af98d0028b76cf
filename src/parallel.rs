//! Work over a million accounts, split across both cores.

use std::ops::Range;

/// `work` over `0..n`, the two halves on two threads, the results joined
/// in order. A panic on the other thread is carried over to this one.
pub fn halves<T: Send>(n: u32, work: impl Fn(Range<u32>) -> Vec<T> + Sync) -> Vec<T> {
    let middle = n / 2;
    let (mut first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| work(middle..n));
        (work(0..middle), second.join())
    });
    match second {
        Ok(second) => {
            first.extend(second);
            first
        }
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_keep_the_order() {
        for n in [0u32, 1, 2, 7, 1000] {
            let got = halves(n, |r| r.map(|i| i * 3).collect());
            let want: Vec<u32> = (0..n).map(|i| i * 3).collect();
            assert_eq!(got, want);
        }
    }
}
