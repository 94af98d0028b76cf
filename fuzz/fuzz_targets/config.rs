//! Arbitrary bytes as callqueue.toml; a config that reads is then used.
#![no_main]

mod common;

use std::path::Path;
use std::sync::LazyLock;

use callqueue::config::Config;
use callqueue::problems::Problems;
use callqueue::territory::Territory;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

const TERRITORY: &[u8] = b"account_id,phone,status,opt_out,last_order,timezone\n\
A,2125550100,active,no,2026-10-01,America/Chicago\n\
B,2125550101,customer,,2025-06-01,\n";
const HISTORY: &[u8] = b"account_id,at,outcome,callback_at\n\
A,2026-11-02 10:00,no-answer,\n\
A,2026-11-03 10:00,busy,\n\
A,2026-11-04T10:00:00-05:00,answered,\n\
B,2026-10-01 10:00,callback,2026-12-01 09:00\n\
B,2026-09-01 10:00,answered,\n";

static DATES: LazyLock<Vec<NaiveDate>> = LazyLock::new(|| {
    vec![
        common::date(),
        NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
        NaiveDate::from_ymd_opt(2026, 12, 26).expect("date"),
        NaiveDate::from_ymd_opt(2027, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2028, 2, 29).expect("date"),
        NaiveDate::from_ymd_opt(9999, 12, 31).expect("date"),
        NaiveDate::MIN,
        NaiveDate::MAX,
    ]
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = Config::from_str(Some(Path::new("/etc/cq/callqueue.toml")), text) else {
        return;
    };
    let _ = config.name();
    for &date in DATES.iter() {
        let _ = config.policy.hours.calling_day_from(date);
        let _ = config.policy.hours.closed_because(date);
    }
    // The policy at work: a small fixed territory and history under it.
    let mut problems = Problems::new(true);
    let Some(territory): Option<Territory> =
        common::read_territory(TERRITORY, &config, &mut problems)
    else {
        return;
    };
    for &date in &DATES[..3] {
        let mut problems = Problems::new(true);
        if let Some(history) =
            common::read_history(HISTORY, &territory, &config, date, &mut problems)
        {
            let ds = common::dataset(territory.clone(), history, date, problems);
            let verdicts = common::judge_all(&ds, &config, false);
            let _ = callqueue::queue::build(
                &ds.territory,
                &verdicts,
                &ds.history,
                None,
                config.per_rep,
            );
        }
    }
});
