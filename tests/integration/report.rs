//! `callqueue report` and `build --report`: the page's data is text, never
//! markup; it joins the run's files replaced together; the heat map finds
//! a planted answer pattern; and a real browser draws every chart.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Datelike, NaiveDate, TimeZone};
use chrono_tz::Tz;

use crate::workdir::Workdir;

/// A Tuesday.
const DATE: &str = "2026-11-24";

const CONFIG: &str = "timezone = \"America/New_York\"\ndefault_country = \"US\"\n\
                      territory = \"territory.csv\"\nhistory = \"history.csv\"\n\
                      [queue]\ndaily_target = 3\n";

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";

/// A small, fixed random number generator (xorshift64*), so that the
/// generated history is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The zones of the generated customers, each with an area code in it.
const ZONES: [(&str, &str); 4] = [
    ("America/New_York", "212"),
    ("America/Chicago", "312"),
    ("America/Denver", "303"),
    ("America/Los_Angeles", "213"),
];

/// The planted answer rate on a customer's local weekday (0 = Monday) and
/// hour: 10% on Monday at 09:00, rising by 5 points a weekday and by 10
/// points over the afternoon, to 40% on Friday from 15:00.
fn planted(weekday: usize, hour: u32) -> f64 {
    let afternoon = f64::from(hour.saturating_sub(9).min(6)) / 6.0;
    0.10 + 0.05 * weekday as f64 + 0.10 * afternoon
}

/// A territory of `accounts` customers spread over `ZONES` (the first two
/// named by `SCRIPT` and `IMG`), and its header.
fn territory(accounts: usize) -> String {
    let mut text = String::from("account_id,name,phone,rep,status,timezone\n");
    for k in 0..accounts {
        let (zone, area) = ZONES[k % ZONES.len()];
        let name = match k {
            0 => format!("\"{SCRIPT}\""),
            1 => format!("\"{IMG}\""),
            _ => format!("Customer {k}"),
        };
        let rep = ["alice", "bob", "carmen"][k % 3];
        text.push_str(&format!(
            "A{k:04},{name},{area}555{:04},{rep},active,{zone}\n",
            k % 10_000
        ));
    }
    text
}

/// One call at `local` (the customer's clock) on account `k`, written
/// either with its UTC offset or in office time without one.
fn call_row(k: usize, local: chrono::NaiveDateTime, answered: bool, office_time: bool) -> String {
    let zone: Tz = ZONES[k % ZONES.len()].0.parse().unwrap();
    let at = zone.from_local_datetime(&local).single().unwrap();
    let written = if office_time {
        at.with_timezone(&chrono_tz::America::New_York)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    } else {
        at.to_rfc3339()
    };
    let outcome = if answered { "answered" } else { "no-answer" };
    let rep = ["alice", "bob", "carmen", ""][k % 4];
    format!("A{k:04},{written},{outcome},,{rep}\n")
}

/// A history of `per_cell` calls in each weekday hour from 08:00 to 17:59
/// (customer's time) over the two years before `DATE`, each answered with
/// the planted rate. Returns the history and, per (weekday, hour), the
/// calls and answers generated.
fn planted_history(accounts: usize, per_cell: usize, seed: u64) -> (String, Cells) {
    let mut rng = Rng(seed);
    let mut text = String::from("account_id,at,outcome,callback_at,rep\n");
    let mut made = HashMap::new();
    // Two years of Mondays before the report's week, across changes of
    // clocks in both directions.
    let first_monday = NaiveDate::from_ymd_opt(2024, 11, 25).unwrap();
    for weekday in 0..5usize {
        for hour in 8..18u32 {
            for _ in 0..per_cell {
                // Never the first two (named as markup): they stay at
                // the top of their reps' queues, where the page lists them.
                let k = 2 + rng.below(accounts as u64 - 2) as usize;
                let week = rng.below(100) as i64;
                let day = first_monday + chrono::Duration::days(7 * week + weekday as i64);
                let local = day
                    .and_hms_opt(hour, rng.below(60) as u32, rng.below(60) as u32)
                    .unwrap();
                let answered = rng.unit() < planted(weekday, hour);
                text.push_str(&call_row(k, local, answered, rng.below(2) == 0));
                let cell: &mut (u64, u64) = made.entry((weekday, hour)).or_default();
                cell.0 += 1;
                cell.1 += u64::from(answered);
            }
        }
    }
    (text, made)
}

/// Calls and answers by (weekday, hour).
type Cells = HashMap<(usize, u32), (u64, u64)>;

/// The heat map's cells as the page gives them: (weekday, hour) ->
/// (calls, answered).
fn heat_cells(html: &str) -> Cells {
    let cell = regex::Regex::new(
        r#"data-weekday="(\w+)" data-hour="(\d+)" data-calls="(\d+)" data-answered="(\d+)""#,
    )
    .unwrap();
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    cell.captures_iter(html)
        .map(|c| {
            let day = days.iter().position(|d| *d == &c[1]).unwrap();
            (
                (day, c[2].parse().unwrap()),
                (c[3].parse().unwrap(), c[4].parse().unwrap()),
            )
        })
        .collect()
}

/// The planted pattern comes back: 400 calls in each of the 50 weekday
/// hours, at customers in four zones (written half with their offset, half
/// in office time, over two years of changes of clocks). Every call lands
/// in the cell of the customer's local weekday and hour it was made in,
/// so each cell's calls and answers are exactly those generated; and each
/// cell's rate is within 7.5 points of the planted rate (three standard
/// deviations of 400 draws at 40%), 2 points on average over the cells.
#[test]
fn the_heat_map_recovers_a_planted_answer_pattern() {
    let (history, made) = planted_history(200, 400, 0x5eed_1234);
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", territory(200))
        .write("history.csv", history);
    wd.run(&["report", "--date", DATE, "-o", "report.html", "--quiet"])
        .ok();
    let cells = heat_cells(&wd.read("report.html"));
    let mut error_sum = 0.0;
    for weekday in 0..7usize {
        for hour in 0..24u32 {
            let generated = made.get(&(weekday, hour)).copied().unwrap_or_default();
            let shown = cells.get(&(weekday, hour)).copied().unwrap_or_default();
            assert_eq!(shown, generated, "weekday {weekday} hour {hour}");
            if generated.0 > 0 {
                let rate = shown.1 as f64 / shown.0 as f64;
                let want = planted(weekday, hour);
                assert!(
                    (rate - want).abs() <= 0.075,
                    "weekday {weekday} hour {hour}: {rate:.3} for a planted {want:.3}"
                );
                error_sum += (rate - want).abs();
            }
        }
    }
    assert_eq!(made.len(), 50);
    let mean_error = error_sum / made.len() as f64;
    assert!(mean_error <= 0.02, "mean error {mean_error:.4}");
    // Monday 09:00 and Friday 15:00, as planted.
    let rate = |c: (u64, u64)| c.1 as f64 / c.0 as f64;
    assert!((rate(cells[&(0, 9)]) - 0.10).abs() <= 0.05);
    assert!((rate(cells[&(4, 15)]) - 0.40).abs() <= 0.075);
}

/// A fixture with every section filled: names that are markup, calls in
/// the last four weeks, excluded accounts of several kinds.
fn full_fixture() -> Workdir {
    let (mut history, _) = planted_history(40, 12, 7);
    let mut rng = Rng(99);
    // The last four weeks: calls on weekdays, some answered.
    let report_day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    for back in 1..=28i64 {
        let day = report_day - chrono::Duration::days(back);
        if day.weekday().num_days_from_monday() >= 5 {
            continue;
        }
        for _ in 0..6 {
            let k = 2 + rng.below(38) as usize;
            let local = day.and_hms_opt(10 + rng.below(6) as u32, 0, 0).unwrap();
            history.push_str(&call_row(k, local, rng.below(2) == 0, false));
        }
    }
    history.push_str("A0005,2026-01-05T10:00:00-05:00,opt-out,,alice\n");
    let wd = Workdir::new();
    wd.write("callqueue.toml", CONFIG)
        .write("territory.csv", territory(40))
        .write("history.csv", history);
    wd
}

#[test]
fn names_that_look_like_markup_are_text_and_the_page_fetches_nothing() {
    let wd = full_fixture();
    let run = wd.run(&["report", "--date", DATE]).ok();
    assert!(
        run.stderr.contains("report written to report.html"),
        "{}",
        run.stderr
    );
    let html = wd.read("report.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the name is not shown as text"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let lower = html.to_lowercase();
    for markup in [
        "<script", "<img", "<link", "<iframe", "<object", "@import", "url(",
    ] {
        assert!(!lower.contains(markup), "the page holds {markup}");
    }
    // The only address is SVG's name space, which is never fetched.
    assert_eq!(
        lower.matches("http").count(),
        lower.matches("http://www.w3.org/2000/svg").count() + 1,
        "one http-equiv, the rest SVG's name space"
    );
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    ));
    for id in [
        "chart-queue",
        "chart-excluded",
        "chart-forecast",
        "chart-heat",
        "chart-reps",
        "chart-reached",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    assert!(html.contains("daily target of 3"));
    // Small: aggregates, not rows.
    assert!(html.len() < 200_000, "{} bytes", html.len());
}

#[test]
fn build_report_is_replaced_with_the_runs_other_files_or_not_at_all() {
    let wd = full_fixture();
    wd.write("out/alice.csv", "yesterday's alice\n")
        .write("report.html", "yesterday's report\n")
        .write("blocker", "a file where a folder should be\n");
    // The report cannot be written: no queue file is replaced either.
    build_report(&wd, "blocker/report.html").expect(1);
    assert_eq!(wd.read("out/alice.csv"), "yesterday's alice\n");
    // The audit cannot be written: the report is left as it was.
    let run = wd
        .run(&[
            "build",
            "--date",
            DATE,
            "--out-dir",
            "out",
            "--excluded",
            "blocker/excluded.csv",
            "--report",
            "report.html",
        ])
        .expect(1);
    assert!(
        run.stderr.contains("blocker/excluded.csv"),
        "{}",
        run.stderr
    );
    assert_eq!(wd.read("report.html"), "yesterday's report\n");
    assert_eq!(wd.read("out/alice.csv"), "yesterday's alice\n");
    // Both can: both are replaced, and the report is the run's.
    build_report(&wd, "report.html").ok();
    let html = wd.read("report.html");
    assert!(html.contains("Call queue report for 2026-11-24"));
    assert!(wd.read("out/alice.csv").starts_with("rep,rank,"));
    // A rep named like the report's file never takes its name.
    wd.run(&[
        "build",
        "--date",
        DATE,
        "--out-dir",
        "out",
        "--format",
        "json",
        "--report",
        "out/alice.json",
    ])
    .ok();
    assert!(wd.read("out/alice.json").starts_with("<!DOCTYPE html>"));
    assert!(wd.exists("out/alice-2.json"));
}

fn build_report(wd: &Workdir, report: &str) -> crate::workdir::Run {
    wd.run(&[
        "build",
        "--date",
        DATE,
        "--out-dir",
        "out",
        "--report",
        report,
        "--quiet",
    ])
}

#[test]
fn report_flags_are_checked() {
    let wd = full_fixture();
    // --weeks belongs to a report.
    wd.run(&["build", "--date", DATE, "--weeks", "2"]).expect(2);
    wd.run(&["report", "--date", DATE, "--weeks", "0"])
        .expect(2);
    // One week ahead: the five calling days after Tuesday 24 November,
    // Thanksgiving included (no holiday is configured).
    let run = wd
        .run(&[
            "report", "--date", DATE, "--weeks", "1", "-o", "-", "--quiet",
        ])
        .ok();
    assert!(
        run.stdout.contains("on those 5 calling days"),
        "{}",
        run.stdout
    );
    assert!(!wd.exists("report.html"));
    // A history on standard input cannot be read twice: the page says so.
    let history = wd.read("history.csv");
    let run = wd.run_with_stdin(
        &["report", "--date", DATE, "--history", "-", "--quiet"],
        history.as_bytes(),
    );
    let run = run.ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(wd.read("report.html").contains("cannot be read twice"));
}

/// The browser to draw the page with: `CALLQUEUE_CHROMIUM`, else the first
/// of the usual names on the path.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CALLQUEUE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|p| p.is_file())
}

/// Runs the browser headless on `page` with `args`; its standard output.
fn headless(browser: &Path, profile: &Path, args: &[&str], page: &Path) -> String {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The page in a real browser: every chart is drawn (coloured pixels
/// inside its box on a screenshot), and names that are markup are text in
/// the page the browser built (no element made of them). Where the chart
/// boxes are is asked of the browser: a copy of the page, with a script
/// added (and no policy to stop it), writes each chart's box into the
/// document it dumps; attributes change no layout, so the boxes are the
/// page's own at the same window size. Skipped without a browser, unless
/// `CALLQUEUE_REQUIRE_BROWSER=1` (CI), when that is a failure.
#[test]
fn a_browser_draws_every_chart_and_shows_markup_names_as_text() {
    let Some(browser) = chromium() else {
        assert_ne!(
            std::env::var("CALLQUEUE_REQUIRE_BROWSER").as_deref(),
            Ok("1"),
            "CALLQUEUE_REQUIRE_BROWSER=1 and no chromium found (install it, or set CALLQUEUE_CHROMIUM)"
        );
        eprintln!("skipped: no chromium on the path");
        return;
    };
    let wd = full_fixture();
    wd.run(&["report", "--date", DATE, "--quiet"]).ok();
    let page = wd.path("report.html");
    let profile = wd.path("browser-profile");
    let width = 1200;

    // The document the browser built from the page.
    let dom = headless(
        &browser,
        &profile,
        &[&format!("--window-size={width},2000"), "--dump-dom"],
        &page,
    );
    assert!(dom.contains("Call queue report for 2026-11-24"), "{dom}");
    let lower = dom.to_lowercase();
    assert!(!lower.contains("<script"), "a script element was made");
    assert!(!lower.contains("<img"), "an image element was made");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(dom.contains("&lt;img src=x onerror=alert(1)&gt;"));

    // Where each chart is, and how tall the page is.
    let html = wd.read("report.html");
    let policy = regex::Regex::new(r#"<meta http-equiv="Content-Security-Policy"[^>]*>"#).unwrap();
    let measure = "<script>\
        var r = [];\
        document.querySelectorAll('svg.chart').forEach(function (s) {\
          var b = s.getBoundingClientRect();\
          r.push(s.id + ':' + Math.round(b.left + scrollX) + ',' + Math.round(b.top + scrollY) + ',' + Math.round(b.width) + ',' + Math.round(b.height));\
        });\
        document.documentElement.setAttribute('data-boxes', r.join(';'));\
        document.documentElement.setAttribute('data-height', document.documentElement.scrollHeight);\
        </script></body>";
    let measured = policy.replace(&html, "").replace("</body>", measure);
    wd.write("measure.html", measured);
    let height_guess = 6000;
    let dom = headless(
        &browser,
        &profile,
        &[
            &format!("--window-size={width},{height_guess}"),
            "--dump-dom",
        ],
        &wd.path("measure.html"),
    );
    let boxes = regex::Regex::new(r#"data-boxes="([^"]*)""#)
        .unwrap()
        .captures(&dom)
        .unwrap()[1]
        .to_owned();
    let height: u32 = regex::Regex::new(r#"data-height="(\d+)""#)
        .unwrap()
        .captures(&dom)
        .unwrap()[1]
        .parse()
        .unwrap();
    assert!(height <= height_guess, "the page is {height} px tall");
    let boxes: Vec<(String, [u32; 4])> = boxes
        .split(';')
        .map(|b| {
            let (id, rest) = b.split_once(':').unwrap();
            let n: Vec<u32> = rest.split(',').map(|v| v.parse().unwrap()).collect();
            (id.to_owned(), [n[0], n[1], n[2], n[3]])
        })
        .collect();
    let ids: Vec<&str> = boxes.iter().map(|b| b.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "chart-queue",
            "chart-excluded",
            "chart-forecast",
            "chart-heat",
            "chart-reps",
            "chart-reached"
        ]
    );

    // The page itself, policy and all, drawn at the same size.
    let shot = wd.path("report.png");
    headless(
        &browser,
        &profile,
        &[
            &format!("--window-size={width},{height_guess}"),
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    assert!(channels >= 3, "{:?}", frame.color_type);
    let (w, h) = (frame.width, frame.height);
    // A pixel of colour: a chart's bars and cells, not black or grey text
    // or the white page.
    let coloured = |x: u32, y: u32| -> bool {
        let at = (y as usize * w as usize + x as usize) * channels;
        let p = &pixels[at..at + 3];
        let (max, min) = (*p.iter().max().unwrap(), *p.iter().min().unwrap());
        max - min >= 40
    };
    for (id, [left, top, bw, bh]) in &boxes {
        assert!(
            bw * bh > 0 && top + bh <= h && left + bw <= w,
            "{id} at {top}+{bh} in {w}x{h}"
        );
        let mut n = 0u64;
        for y in *top..top + bh {
            for x in *left..left + bw {
                n += u64::from(coloured(x, y));
            }
        }
        let share = n as f64 / f64::from(bw * bh);
        assert!(
            share >= 0.02,
            "{id}: {n} coloured pixels, {share:.3} of its box"
        );
    }
    // And nothing drawn where there is no chart: the margin left of them.
    let left_margin = boxes.iter().map(|b| b.1[0]).min().unwrap();
    let stray = (0..h).flat_map(|y| (0..left_margin.saturating_sub(4)).map(move |x| (x, y)));
    assert_eq!(stray.filter(|&(x, y)| coloured(x, y)).count(), 0);
}

/// A rep's name with an escape sequence and a right-to-left override is
/// written out (`\u{1b}`) wherever the page shows it, in the answer-rate
/// and reach charts and tables as in the queue's (found by fuzzing: those
/// wrote it raw).
#[test]
fn control_characters_in_names_are_written_out_everywhere_on_the_page() {
    let wd = Workdir::new();
    let rep = "Al\u{1b}[2Jice\u{202e}";
    wd.write("callqueue.toml", CONFIG)
        .write(
            "territory.csv",
            format!("account_id,phone,rep,timezone\nA1,2125550101,{rep},America/New_York\n"),
        )
        .write(
            "history.csv",
            format!("account_id,at,outcome,callback_at,rep\nA1,2026-11-20T10:00:00-05:00,answered,,{rep}\n"),
        );
    wd.run(&["report", "--date", DATE]).ok();
    let html = wd.read("report.html");
    assert!(!html.contains('\u{1b}'), "a raw escape on the page");
    assert!(!html.contains('\u{202e}'), "a raw override on the page");
    assert!(
        html.matches("Al\\u{1b}[2Jice\\u{202e}").count() >= 3,
        "{}",
        html.matches("Al\\u{1b}").count()
    );
}
