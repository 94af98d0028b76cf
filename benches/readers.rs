//! The readers on generated data (examples/synth.rs): the territory, the
//! history scan, and the whole load with the two side by side.
//! Run with `cargo bench --bench readers`.

// A bench that cannot set up its data has nothing to measure: it panics.
#![allow(clippy::expect_used)]

use std::path::Path;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use callqueue::config::Config;
use callqueue::dataset::{Dataset, PathFlags, Sources};
use callqueue::history;
use callqueue::input::Input;
use callqueue::problems::Problems;
use callqueue::source::CsvRows;
use callqueue::territory;

#[path = "../examples/synth.rs"]
#[allow(dead_code)]
mod synth;

const ACCOUNTS: u64 = 20_000;
const ROWS: u64 = 200_000;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    synth::generate(&synth::Args::new(ACCOUNTS, ROWS, dir.path().to_path_buf()))
        .expect("generated data");
    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("generated file");
    let (territory_csv, history_csv) = (read("territory.csv"), read("history.csv"));
    let config = Config::from_file(&dir.path().join("callqueue.toml")).expect("generated config");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();

    let mut group = c.benchmark_group("readers");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(territory_csv.len() as u64));
    group.bench_function(format!("territory, {ACCOUNTS} accounts"), |b| {
        b.iter(|| {
            territory::read(
                &Input::new(Path::new("territory.csv")),
                &territory_csv[..],
                &config,
                &[],
                b',',
                &mut Problems::new(false),
                0,
            )
        });
    });
    group.throughput(Throughput::Bytes(history_csv.len() as u64));
    group.bench_function(format!("history scan, {ROWS} rows"), |b| {
        b.iter(|| {
            let input = Input::new(Path::new("history.csv"));
            history::scan(
                &input,
                CsvRows::new(&input.name, &history_csv[..], b','),
                &config,
                date,
                history::ScanOptions {
                    with_notices: false,
                    expected_ids: 0,
                    recent_since: None,
                },
                &AtomicBool::new(false),
            )
        });
    });
    group.throughput(Throughput::Bytes(
        (territory_csv.len() + history_csv.len()) as u64,
    ));
    let config_path = dir.path().join("callqueue.toml");
    let sources = Sources::resolve(&PathFlags {
        config: Some(&config_path),
        delimiter: b',',
        ..PathFlags::default()
    })
    .expect("sources");
    group.bench_function("load: territory, history and do-not-call list", |b| {
        b.iter(|| Dataset::load(&sources, date, &[], false, false));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
