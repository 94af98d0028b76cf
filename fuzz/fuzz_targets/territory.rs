//! Arbitrary bytes as a territory CSV; the rules run on every account read
//! (on the row alone, and with the territory's evidence, as `Dataset` does).
#![no_main]

mod common;

use callqueue::problems::Problems;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = &*common::CONFIG;
    let mut problems = Problems::new(true);
    // A structural error (no account_id column, say) is fine; a panic is not.
    let Some(territory) = common::read_territory(data, config, &mut problems) else {
        return;
    };
    common::show_problems(&problems);
    for (i, account) in territory.accounts.iter().enumerate() {
        let i = i as u32;
        let _ = (
            territory.id(i),
            territory.name(i),
            territory.phone_digits(i),
            territory.status(i),
        );
        let _ = territory.notes(i).map(|n| n.other_phones.len());
        let _ = territory.reps.name(account.rep);
    }
    let _ = territory.reps.ordered();
    let history = common::empty_history(&territory);
    let ds = common::dataset(territory, history, common::date(), problems);
    let verdicts = common::judge_all(&ds, config, true);
    common::assert_fail_safe(&ds, &verdicts);
});
