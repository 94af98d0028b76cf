//! Territory bytes, a 0x00 byte, history bytes: both are read, every account
//! is judged and the queues are built. Asserts the fail-safe: an account
//! opted out in the territory or the history is never queued.
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
    let verdicts = common::judge_all(&territory, &history, config, date);
    for (i, account) in territory.accounts.iter().enumerate() {
        let opted_out = account.opt_out || history.opted_out.contains_key(&(i as u32));
        assert!(
            !(opted_out && verdicts[i].reason.is_queued()),
            "fail-safe broken: account {:?} (index {i}) is opted out but queued as {:?}",
            account.id,
            verdicts[i].reason
        );
    }
    let queues = callqueue::queue::build(&territory, &verdicts, &history.tallies, None, Some(3));
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
    for p in problems.list() {
        let _ = p.to_string();
    }
});
