//! A deterministic generator of realistic callqueue inputs, for benchmarks
//! and scale tests:
//!
//! ```sh
//! cargo run --release --example synth -- --accounts 1000000 --history 10000000 --out target/synth/1m
//! ```
//!
//! It writes `territory.csv` (tens of reps, customers in several zones with
//! addresses as CRMs export them, a few percent opted out or not customers), `history.csv` (calls spread over the two
//! years before `--date`, in time order as a dialer logs them, with a
//! realistic mix of outcomes and callbacks), `dnc.csv` and `callqueue.toml`.
//! The same arguments always give the same bytes.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Args {
    pub accounts: u64,
    pub history: u64,
    pub out: PathBuf,
    pub seed: u64,
    /// The history ends the day before this date.
    pub date: NaiveDate,
    /// Write the history rows in random order (a merged export).
    pub shuffle: bool,
}

impl Args {
    pub fn new(accounts: u64, history: u64, out: PathBuf) -> Args {
        Args {
            accounts,
            history,
            out,
            seed: 2026,
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
            shuffle: false,
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::new(10_000, 100_000, PathBuf::from("target/synth/default"));
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--accounts" => {
                args.accounts = value()?.parse().map_err(|e| format!("--accounts: {e}"))?;
            }
            "--history" => {
                args.history = value()?.parse().map_err(|e| format!("--history: {e}"))?;
            }
            "--out" => args.out = PathBuf::from(value()?),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--date" => {
                args.date = NaiveDate::parse_from_str(&value()?, "%Y-%m-%d")
                    .map_err(|e| format!("--date: {e}"))?;
            }
            "--shuffle" => args.shuffle = true,
            "-h" | "--help" => {
                return Err("usage: synth --accounts N --history M --out DIR [--seed S] [--date YYYY-MM-DD] [--shuffle]"
                    .to_owned());
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if args.accounts == 0 {
        return Err("--accounts must be at least 1".to_owned());
    }
    Ok(args)
}

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, per_thousand: u64) -> bool {
        self.below(1000) < per_thousand
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Acme",
    "Birch",
    "Cobalt",
    "Delta",
    "Evergreen",
    "Fulton",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Maple",
    "Northwind",
    "Orchid",
    "Pioneer",
    "Quarry",
    "Redwood",
    "Summit",
    "Tidewater",
];
const SECOND: &[&str] = &[
    "Hardware", "Dental", "Freight", "Cafe", "Books", "Works", "Marine", "Florist", "Labs",
    "Audio", "Optics", "Clinic", "Supply", "Salon", "Auto", "Stone", "Realty", "Gym", "Inn",
    "Bakery",
];
const SUFFIX: &[&str] = &["LLC", "Inc", "& Sons", "Co", "Ltd", "Group", ""];
const REPS: &[&str] = &[
    "Alice", "Bob", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
    "Keiko", "Liam", "Maya", "Nikolai", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar",
    "Vera", "Wes", "Xin", "Yara", "Zane", "Abby", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gia",
    "Hugo", "Ivy", "Jack", "Kim", "Leo", "Mia", "Ned",
];
/// Where customers are, with rough weights (a US-centred sales floor with
/// some abroad): a state, a ZIP there, the start of a phone number there,
/// and the zone, for the few exports that carry one.
struct Place {
    state: &'static str,
    zip: &'static str,
    /// A US area code, or an international prefix.
    dial: &'static str,
    country: &'static str,
    zone: &'static str,
    weight: u64,
}

const fn place(
    state: &'static str,
    zip: &'static str,
    dial: &'static str,
    zone: &'static str,
    weight: u64,
) -> Place {
    Place {
        state,
        zip,
        dial,
        country: "",
        zone,
        weight,
    }
}

const PLACES: &[Place] = &[
    place("NY", "10001", "212", "America/New_York", 120),
    place("NY", "11201", "718", "America/New_York", 50),
    place("MA", "02108", "617", "America/New_York", 40),
    place("PA", "19103", "215", "America/New_York", 40),
    place("GA", "30303", "404", "America/New_York", 40),
    place("FL", "33101", "305", "America/New_York", 50),
    place("FL", "32501", "850", "America/Chicago", 10),
    place("IN", "46204", "317", "America/Indiana/Indianapolis", 15),
    place("IN", "46402", "219", "America/Chicago", 5),
    place("IL", "60601", "312", "America/Chicago", 100),
    place("TX", "75201", "214", "America/Chicago", 60),
    place("TX", "77002", "713", "America/Chicago", 50),
    place("MN", "55401", "612", "America/Chicago", 30),
    place("TX", "79901", "915", "America/Denver", 10),
    place("CO", "80202", "303", "America/Denver", 50),
    place("AZ", "85001", "602", "America/Phoenix", 40),
    place("CA", "94105", "415", "America/Los_Angeles", 80),
    place("CA", "90012", "213", "America/Los_Angeles", 80),
    place("WA", "98101", "206", "America/Los_Angeles", 40),
    place("HI", "96813", "808", "Pacific/Honolulu", 10),
    place("ON", "M5H 2N2", "416", "America/Toronto", 15),
    Place {
        state: "",
        zip: "",
        dial: "+44 20 7946",
        country: "GB",
        zone: "Europe/London",
        weight: 30,
    },
    Place {
        state: "",
        zip: "",
        dial: "+81 3 5555",
        country: "JP",
        zone: "Asia/Tokyo",
        weight: 15,
    },
];

/// Where account `n` is: the same place every time it is asked (the
/// do-not-call list writes its numbers again).
fn place_of(n: u64) -> &'static Place {
    let total: u64 = PLACES.iter().map(|p| p.weight).sum();
    let mut k = (n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) % total;
    for p in PLACES {
        if k < p.weight {
            return p;
        }
        k -= p.weight;
    }
    &PLACES[0]
}

fn account_id(n: u64) -> String {
    format!("AC{n:08}")
}

/// A number for account `n` where it is, written the many ways CRMs write
/// them.
fn phone(n: u64, style: u64) -> String {
    let place = place_of(n);
    let line = n % 10_000;
    if place.dial.starts_with('+') {
        return format!("{} {line:04}", place.dial);
    }
    let area = place.dial;
    let exchange = 200 + (n / 780) % 800;
    match style % 5 {
        0 => format!("({area}) {exchange}-{line:04}"),
        1 => format!("{area}-{exchange}-{line:04}"),
        2 => format!("+1 {area} {exchange} {line:04}"),
        3 => format!("{area}.{exchange}.{line:04} x{}", style % 90 + 10),
        _ => format!("1{area}{exchange}{line:04}"),
    }
}

#[allow(dead_code)]
fn main() -> ExitCode {
    match parse_args().and_then(|args| generate(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "synth: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the four files into `args.out`.
pub fn generate(args: &Args) -> Result<(), String> {
    fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let create = |name: &str| -> Result<BufWriter<File>, String> {
        let path = args.out.join(name);
        File::create(&path)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let io = |e: std::io::Error| e.to_string();
    let mut rng = Rng(args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);

    // The territory.
    let mut t = create("territory.csv")?;
    writeln!(t, "Account Number,Account Name,Phone,Owner,Status,Opt Out,Time Zone,Priority,Last Order,Region,Billing State/Province,Billing Zip/Postal Code,Billing Country").map_err(io)?;
    for n in 1..=args.accounts {
        // Most rows have the state and the ZIP, some one of them, some
        // nothing but the phone, and a few a time-zone column.
        let at = place_of(n);
        let (state, zip, z) = match rng.below(100) {
            0..=69 => (at.state, at.zip, ""),
            70..=79 => (at.state, "", ""),
            80..=84 => ("", at.zip, ""),
            85..=94 => ("", "", ""),
            _ => ("", "", at.zone),
        };
        let country = match (at.country, rng.below(10)) {
            ("", 0) => "United States",
            ("", 1) => "USA",
            (country, _) => country,
        };
        let status = if rng.chance(930) {
            if rng.chance(700) {
                "Active"
            } else {
                "Customer"
            }
        } else {
            rng.pick(&["Prospect", "Closed", "Lead", ""])
        };
        let opt_out = if rng.chance(30) {
            rng.pick(&["yes", "Y", "x"])
        } else {
            rng.pick(&["no", "", "N"])
        };
        // Most customers ordered within the relationship window (540 days).
        let last_order = args.date
            - Duration::days(if rng.chance(900) {
                rng.below(500)
            } else {
                rng.below(1500)
            } as i64);
        let name = format!(
            "{} {} {}",
            rng.pick(FIRST),
            rng.pick(SECOND),
            rng.pick(SUFFIX)
        );
        // Real exports carry some junk: a zone nobody knows, a missing
        // phone, an account entered twice.
        let z = if rng.chance(2) { "Mars/Base" } else { z };
        // A few kept their number after a move: it rings elsewhere.
        let number = if rng.chance(1) {
            String::new()
        } else if rng.chance(30) {
            phone(n + 7, rng.next())
        } else {
            phone(n, rng.next())
        };
        let id = if n > 1 && rng.chance(1) {
            account_id(n - 1)
        } else {
            account_id(n)
        };
        writeln!(
            t,
            "{id},{},{number},{},{status},{opt_out},{z},{}.{},{last_order},{},{state},{zip},{country}",
            name.trim_end(),
            REPS[(n % REPS.len() as u64) as usize],
            rng.below(10),
            rng.below(10),
            rng.pick(&["Northeast", "Midwest", "South", "West", "International"]),
        )
        .map_err(io)?;
    }
    t.flush().map_err(io)?;

    // The do-not-call list: about 1% of the territory's numbers, written
    // another way, and numbers of nobody we know.
    let mut d = create("dnc.csv")?;
    writeln!(d, "phone,account_id").map_err(io)?;
    for _ in 0..(args.accounts / 100).max(1) {
        let n = 1 + rng.below(args.accounts);
        writeln!(d, "\"{}\",", phone(n, rng.next())).map_err(io)?;
    }
    for k in 0..(args.accounts / 200).max(1) {
        writeln!(d, ",{}", account_id(args.accounts + 1 + k)).map_err(io)?;
    }
    d.flush().map_err(io)?;

    // The history: two years of calls in time order, during office hours.
    // Some accounts are called far more often than others, and most
    // callbacks are followed by the call the customer asked for.
    let office: Tz = "America/New_York".parse().map_err(|_| "zone")?;
    let first_day = args.date - Duration::days(730);
    let mut follow_ups: std::collections::VecDeque<(u64, u64)> = std::collections::VecDeque::new();
    let mut rows: Vec<String> = Vec::new();
    let mut h = create("history.csv")?;
    writeln!(h, "account_id,at,outcome,callback_at,rep,note").map_err(io)?;
    let per_day = (args.history / 730).max(1);
    for i in 0..args.history {
        // Row i falls on day 730 i / M, at a time of day that grows with i
        // between 08:00 and 18:00.
        let scaled = i as u128 * 730;
        let day = first_day + Duration::days((scaled / args.history as u128) as i64);
        let second_of_day =
            8 * 3600 + ((scaled % args.history as u128) * 36_000 / args.history as u128) as u64;
        let local: NaiveDateTime =
            day.and_hms_opt(0, 0, 0).ok_or("time")? + Duration::seconds(second_of_day as i64);
        let at = office
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| local.format("%Y-%m-%d %H:%M:%S").to_string());
        let n = match follow_ups.front() {
            Some(&(due, n)) if due <= i => {
                follow_ups.pop_front();
                n
            }
            _ if rng.chance(5) => args.accounts + 1 + rng.below(1000),
            _ if rng.chance(300) => 1 + rng.below((args.accounts / 20).max(1)),
            _ => 1 + rng.below(args.accounts),
        };
        let roll = rng.below(1000);
        let (outcome, callback) = match roll {
            0..=279 => (rng.pick(&["no-answer", "No Answer", "busy"]), String::new()),
            280..=549 => (rng.pick(&["voicemail", "Left VM"]), String::new()),
            550..=899 => (
                rng.pick(&["answered", "connected", "Answered"]),
                String::new(),
            ),
            900..=994 => {
                let days = 1 + rng.below(14);
                if rng.chance(950) {
                    follow_ups.push_back((i + days * per_day, n));
                }
                let when = local + Duration::days(days as i64);
                ("callback", when.format("%Y-%m-%d %H:00").to_string())
            }
            995..=998 => (rng.pick(&["opt-out", "DNC"]), String::new()),
            _ => (rng.pick(&["??", "wrong number", "answered"]), String::new()),
        };
        let rep = REPS[(n % REPS.len() as u64) as usize];
        let note = if rng.chance(50) {
            "\"asked about pricing, call back later\""
        } else {
            ""
        };
        let line = format!("{},{at},{outcome},{callback},{rep},{note}\n", account_id(n));
        if args.shuffle {
            rows.push(line);
        } else {
            h.write_all(line.as_bytes()).map_err(io)?;
        }
    }
    if args.shuffle {
        // A merged export: the rows in no particular order.
        let len = rows.len();
        for k in (1..len).rev() {
            let j = rng.below(k as u64 + 1) as usize;
            rows.swap(k, j);
        }
        for line in rows {
            h.write_all(line.as_bytes()).map_err(io)?;
        }
    }
    h.flush().map_err(io)?;

    let mut c = create("callqueue.toml")?;
    write!(
        c,
        "# Generated by `cargo run --release --example synth`.\n\
         timezone = \"America/New_York\"\n\
         default_country = \"US\"\n\
         territory = \"territory.csv\"\n\
         history = \"history.csv\"\n\
         suppress = [\"dnc.csv\"]\n\n\
         [eligibility]\nebr_days = 540\n\n\
         [queue]\nper_rep = 60\n\n\
         [columns]\n\"Account Number\" = \"account_id\"\n\"Account Name\" = \"name\"\n\"Owner\" = \"rep\"\n\n\
         [outcomes]\n\"Left VM\" = \"no-answer\"\n"
    )
    .map_err(io)?;
    c.flush().map_err(io)?;
    Ok(())
}
