//! The rules engine: folding attempts into tallies, and judging accounts.
//! Run with `cargo bench --bench rules`.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use callqueue::domain::Outcome;
use callqueue::domain::Policy;
use callqueue::domain::{Attempt, Callback, LastOrder, Status};
use callqueue::rules::{self, Facts, FoldDate, Tally};

const DATE: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 24) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Twenty attempts over two years, in time order, with a realistic mix.
fn attempts() -> Vec<Attempt> {
    (0..20i64)
        .map(|k| {
            let day = DATE - chrono::Duration::days(730 - k * 36);
            let outcome = match k % 5 {
                0..=2 => Outcome::NoAnswer,
                3 => Outcome::Answered,
                _ => Outcome::Callback,
            };
            let at = day
                .and_hms_opt(10, 0, 0)
                .map_or(0, |t| t.and_utc().timestamp())
                * 1_000_000_000;
            Attempt {
                at,
                day,
                outcome,
                callback: (outcome == Outcome::Callback).then_some(Callback {
                    at: at + 86_400_000_000_000,
                    day: day + chrono::Duration::days(1),
                    line: k as u32,
                }),
                line: k as u64,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let policy = Policy::default();
    let list = attempts();
    // As the history's scan folds: the queue date's window worked out once.
    let at = FoldDate::new(DATE, &policy.caps);
    c.bench_function("fold 20 attempts", |b| {
        b.iter(|| {
            let mut tally = Tally::new();
            for a in &list {
                let _ = tally.fold(black_box(a), &at, &policy.caps);
            }
            tally
        });
    });
    let mut sorted = list.clone();
    let tally = Tally::from_attempts(&mut sorted, DATE, &policy.caps);
    let facts = Facts {
        status: Status::Existing("active"),
        last_order: LastOrder::Date(DATE - chrono::Duration::days(30)),
        evidence: &rules::Evidence::NONE,
        history_file: "history.csv",
        hours: None,
        last_inquiry: None,
    };
    c.bench_function("evaluate one account", |b| {
        b.iter(|| rules::evaluate(black_box(&facts), black_box(&tally), DATE, &policy));
    });
    c.bench_function("explain one account (all findings)", |b| {
        b.iter(|| rules::findings(black_box(&facts), black_box(&tally), DATE, &policy));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
