//! Arbitrary bytes as a history CSV, read against a small fixed territory;
//! every account is then judged (`evaluate` and `findings`).
#![no_main]

mod common;

use std::sync::LazyLock;

use callqueue::problems::Problems;
use callqueue::territory::Territory;
use libfuzzer_sys::fuzz_target;

/// A and B are existing customers with recent orders (so the rules past
/// rule 1 are reached); C opted out in the territory; D is a prospect.
const TERRITORY: &str = "account_id,phone,status,opt_out,last_order\n\
A,2125550100,active,no,2026-10-01\n\
B,2125550101,customer,,2026-01-01\n\
C,2125550102,active,yes,2026-10-01\n\
D,2125550103,prospect,no,2026-10-01\n";

static TERR: LazyLock<Territory> = LazyLock::new(|| {
    let mut problems = Problems::new(true);
    common::read_territory(TERRITORY.as_bytes(), &common::CONFIG, &mut problems)
        .expect("the fixed territory reads")
});

fuzz_target!(|data: &[u8]| {
    let config = &*common::CONFIG;
    let territory = &*TERR;
    let date = common::date();
    let mut problems = Problems::new(true);
    let Some(history) = common::read_history(data, territory, config, date, &mut problems) else {
        return;
    };
    common::show_problems(&problems);
    for i in 0..territory.accounts.len() as u32 {
        let _ = history.tally(i);
    }
    let ds = common::dataset(territory.clone(), history, date, problems);
    let verdicts = common::judge_all(&ds, config, false);
    common::assert_fail_safe(&ds, &verdicts);
});
