//! Arbitrary bytes as a territory CSV; the rules run on every account read.
#![no_main]

mod common;

use callqueue::problems::Problems;
use callqueue::rules::{self, Facts, Tally};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = &*common::CONFIG;
    let date = common::date();
    let mut problems = Problems::new(true);
    // A structural error (no account_id column, say) is fine; a panic is not.
    let Some(territory) = common::read_territory(data, config, &mut problems) else {
        return;
    };
    let tally = Tally::default();
    for (i, account) in territory.accounts.iter().enumerate() {
        // The account alone, as the brief's simple facts.
        let facts = Facts {
            status: account.status(),
            last_order: account.last_order,
            opted_out: &[],
            bad: &[],
            duplicated: false,
            history_file: common::HISTORY_FILE,
        };
        let _ = rules::evaluate(&facts, &tally, date, &config.policy);
        // And with the territory's own evidence, as the dataset builds it.
        let evidence = common::evidence(&territory, None, i as u32);
        let facts = common::facts(&territory, i as u32, &evidence);
        let verdict = rules::evaluate(&facts, &tally, date, &config.policy);
        if account.opt_out {
            assert!(!verdict.reason.is_queued(), "opted-out account {:?} queued", account.id);
        }
        let _ = rules::findings(&facts, &tally, date, &config.policy);
        let _ = account.phones().count();
        let _ = territory.reps.name(account.rep);
    }
    let _ = territory.reps.ordered();
    for p in problems.list() {
        let _ = p.to_string();
    }
});
