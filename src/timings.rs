//! Phase timings on standard error when `CALLQUEUE_TIMINGS` is set: how the
//! benchmark figures in BENCHMARKS.md are broken down. Silent otherwise.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| std::env::var_os("CALLQUEUE_TIMINGS").map(|_| Instant::now()))
}

/// Notes that `phase` has ended: time since the first call of a run, and
/// the memory in use (resident, and the peak so far) where Linux says.
pub fn phase(phase: &str) {
    if let Some(start) = start() {
        crate::output::say(&format!(
            "timing: {phase} done at {:.3} s{}",
            start.elapsed().as_secs_f64(),
            memory()
        ));
    }
}

fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    format!(", {} resident, {} peak", field("VmRSS:"), field("VmHWM:"))
}
