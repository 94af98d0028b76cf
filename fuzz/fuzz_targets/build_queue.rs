//! The `build` target (a bin cannot be named `build`): territory bytes, a
//! 0x00 byte, history bytes. Both are read, every account is judged and the
//! queues are built (`queue::build`, limit 3). Asserts the fail-safe (an
//! account opted out in the territory or the history is never queued) and
//! that the queues hold only queued accounts, each once.
#![no_main]

mod common;

use std::collections::HashSet;

use callqueue::problems::Problems;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (t_bytes, h_bytes) = match data.iter().position(|&b| b == 0) {
        Some(k) => (&data[..k], &data[k + 1..]),
        None => (data, &[][..]),
    };
    let config = &*common::CONFIG;
    let date = common::date();
    let mut problems = Problems::new(true);
    let Some(territory) = common::read_territory(t_bytes, config, &mut problems) else {
        return;
    };
    let Some(history) = common::read_history(h_bytes, &territory, config, date, &mut problems)
    else {
        return;
    };
    common::show_problems(&problems);
    let ds = common::dataset(territory, history, date, problems);
    let verdicts = common::judge_all(&ds, config, false);
    common::assert_fail_safe(&ds, &verdicts);
    let (territory, history) = (&ds.territory, &ds.history);
    let queues = callqueue::queue::build(territory, &verdicts, history, None, Some(3));
    let mut seen = HashSet::new();
    for rq in &queues.reps {
        assert!(rq.accounts.len() <= 3);
        for &a in &rq.accounts {
            assert!(verdicts[a as usize].reason.is_queued());
            assert_eq!(territory.accounts[a as usize].rep, rq.rep);
            assert!(seen.insert(a), "account {a} queued twice");
        }
    }
    for &(a, _) in &queues.over_limit {
        assert!(verdicts[a as usize].reason.is_queued());
        assert!(seen.insert(a), "account {a} both queued and over the limit");
    }
    let queued = verdicts.iter().filter(|v| v.reason.is_queued()).count();
    assert_eq!(seen.len(), queued, "a queued account is in no queue");
});
