//! Quote handling in every reader, for the `quotes_*` targets: arbitrary
//! bytes as the middle of a history, a do-not-call list or a territory
//! whose last row opts account A out. Whatever the bytes (a quote left
//! open, a field across lines, a stray quote in text), a run that reads
//! them never queues A: either the opt-out is read, or the reader refuses
//! the input. `check`'s reading (problems listed, reading on) must not
//! panic either.

#![allow(dead_code)]

use std::path::Path;

use callqueue::input::Input;
use callqueue::problems::Problems;
use callqueue::suppress::Suppression;

use crate::common;

const TERRITORY: &str = "account_id,phone,status,opt_out,last_order\n\
A,2125550100,active,no,2026-10-01\n\
B,2125550101,customer,,2026-01-01\n";

fn with_last_row(head: &str, body: &[u8], last: &str) -> Vec<u8> {
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes.push(b'\n');
    bytes.extend_from_slice(last.as_bytes());
    bytes
}

/// The bytes as history rows before an opt-out row for A.
pub fn history(body: &[u8]) {
    let config = &*common::CONFIG;
    let date = common::date();
    for with_notices in [false, true] {
        let mut problems = Problems::new(with_notices);
        let territory = common::read_territory(TERRITORY.as_bytes(), config, &mut problems)
            .expect("the fixed territory reads");
        let history = with_last_row(
            "account_id,at,outcome,callback_at,rep,note\n",
            body,
            "A,2026-11-20T10:00:00-05:00,opt-out,,,\n",
        );
        let Some(history) = common::read_history(&history, &territory, config, date, &mut problems)
        else {
            continue;
        };
        let ds = common::dataset(territory, history, date, problems);
        let verdicts = common::judge_all(&ds, config, false);
        common::assert_fail_safe(&ds, &verdicts);
        let a = ds.territory.get("A").expect("A is in the territory");
        assert!(
            with_notices || !verdicts[a as usize].reason.is_queued(),
            "the history's opt-out for A was lost"
        );
    }
}

/// The bytes as do-not-call rows before A's number.
pub fn list(body: &[u8]) {
    let config = &*common::CONFIG;
    for with_notices in [false, true] {
        let mut problems = Problems::new(with_notices);
        let list = with_last_row("phone\n", body, "2125550100\n");
        let mut suppression = Suppression::default();
        let read = suppression.add(
            &Input::new(Path::new("dnc.csv")),
            list.as_slice(),
            config,
            b',',
            &mut problems,
        );
        if read.is_ok() && !with_notices {
            assert!(
                suppression.phone("12125550100").is_some(),
                "the list's last number was lost"
            );
        }
    }
}

/// The bytes as territory rows before a row that opts A out.
pub fn territory(body: &[u8]) {
    let config = &*common::CONFIG;
    let date = common::date();
    for with_notices in [false, true] {
        let mut problems = Problems::new(with_notices);
        let territory = with_last_row(
            "account_id,phone,status,opt_out,last_order\n",
            body,
            "A,2125550100,active,yes,2026-10-01\n",
        );
        let Some(territory) = common::read_territory(&territory, config, &mut problems) else {
            continue;
        };
        let history = common::empty_history(&territory);
        let ds = common::dataset(territory, history, date, problems);
        let verdicts = common::judge_all(&ds, config, false);
        common::assert_fail_safe(&ds, &verdicts);
        if !with_notices && let Some(a) = ds.territory.get("A") {
            assert!(
                !verdicts[a as usize].reason.is_queued(),
                "the territory's opt-out for A was lost"
            );
        }
    }
}
