//! A PostgreSQL history, against a real server: a private cluster started
//! once for this test binary (in a temporary folder, on a free local port,
//! as a user other than root), stopped by a watchdog when the binary ends.
//! Without a server the tests say so loudly and pass, unless
//! CALLQUEUE_REQUIRE_PG is set (as CI sets it): then they fail.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::workdir::{Run, Workdir};

const PASSWORD: &str = "cq-test-secret";

struct Server {
    port: u16,
    /// The certificate of the authority that signed the server's (which
    /// names `localhost` only).
    ca: PathBuf,
}

/// The database that takes TLS connections only.
const TLS_ONLY: &str = "cq_tls";

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

/// The shared server, or `None` (said loudly) when none can be started.
fn server() -> Option<&'static Server> {
    SERVER
        .get_or_init(|| match start() {
            Ok(server) => Some(server),
            Err(why) => {
                if std::env::var_os("CALLQUEUE_REQUIRE_PG").is_some() {
                    panic!("CALLQUEUE_REQUIRE_PG is set but no PostgreSQL server could be started: {why}");
                }
                say_skipped(&why);
                None
            }
        })
        .as_ref()
}

/// Said where `cargo test` shows it.
#[allow(clippy::print_stderr)]
fn say_skipped(why: &str) {
    eprintln!(
        "\n!!!!!!!! SKIPPED: PostgreSQL history tests: no server could be started ({why}); \
                     install postgresql to run them !!!!!!!!\n"
    );
}

/// The folder of initdb and pg_ctl.
fn bin_dir() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the cluster's owner: `postgres` when we are root
/// (initdb refuses root).
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn start() -> Result<Server, String> {
    let bin = bin_dir().ok_or("no initdb found (apt-get install postgresql)")?;
    let dir = std::env::temp_dir().join(format!("callqueue-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if is_root() {
        let chown = Command::new("chown")
            .arg("postgres")
            .arg(&dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !chown.success() {
            return Err("cannot give the folder to the postgres user".into());
        }
    }
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, PASSWORD).map_err(|e| e.to_string())?;
    let data = dir.join("data");
    let init = as_owner(&bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["-U", "postgres", "-E", "UTF8", "--auth=scram-sha-256"])
        .arg(format!("--pwfile={}", pwfile.display()))
        .stdout(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !init.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        ));
    }
    // TLS: an authority of the test's own, and a certificate it signed
    // for `localhost`; a plain connection to `TLS_ONLY` is refused.
    let openssl = |args: &[&str]| -> Result<(), String> {
        let made = as_owner(Path::new("openssl"))
            .current_dir(&dir)
            .args(args)
            .output()
            .map_err(|e| format!("openssl: {e}"))?;
        if made.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl failed: {}",
                String::from_utf8_lossy(&made.stderr)
            ))
        }
    };
    std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n")
        .map_err(|e| e.to_string())?;
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"],
            &ec[..],
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "30",
                "-subj",
                "/CN=callqueue test authority",
            ],
        ]
        .concat(),
    )?;
    openssl(
        &[
            &["req"],
            &ec[..],
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
    )?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "30",
        "-extfile",
        "san.ext",
    ])?;
    let chmod = as_owner(Path::new("chmod"))
        .args(["600", "server.key"])
        .current_dir(&dir)
        .status()
        .map_err(|e| e.to_string())?;
    if !chmod.success() {
        return Err("cannot make the server's key private".into());
    }
    let hba = data.join("pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).map_err(|e| e.to_string())?;
    std::fs::write(
        &hba,
        format!("hostnossl {TLS_ONLY} all all reject\n{rules}"),
    )
    .map_err(|e| e.to_string())?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let pg_ctl = bin.join("pg_ctl");
    let started = as_owner(&pg_ctl)
        .arg("-D")
        .arg(&data)
        .arg("-o")
        .arg(format!(
            "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 \
             -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
            dir = dir.display()
        ))
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-w", "start"])
        .stdout(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !started.status.success() {
        return Err(format!(
            "the server did not start: {}",
            std::fs::read_to_string(dir.join("log")).unwrap_or_default()
        ));
    }
    // The watchdog: once this test binary has exited, stop the server
    // and remove its folder.
    let owner = if is_root() {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         {owner}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    Ok(Server {
        port,
        ca: dir.join("ca.crt"),
    })
}

impl Server {
    fn uri(&self, db: &str) -> String {
        format!(
            "postgresql://postgres@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    fn client(&self, db: &str) -> postgres::Client {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user("postgres")
            .password(PASSWORD)
            .dbname(db)
            .connect(postgres::NoTls)
            .unwrap()
    }

    /// A new database for one test, and its URI.
    fn database(&self, name: &str) -> String {
        let mut admin = self.client("postgres");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        self.uri(name)
    }
}

/// Runs callqueue with the server's password in the environment.
fn run(wd: &Workdir, args: &[&str]) -> Run {
    run_env(wd, args, &[("PGPASSWORD", PASSWORD)])
}

fn run_env(wd: &Workdir, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = wd.command(args);
    cmd.env_remove("PGPASSWORD")
        .env("PGPASSFILE", wd.path("no-pgpass"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn count(server: &Server, db: &str) -> i64 {
    server
        .client(db)
        .query_one("SELECT count(*) FROM callqueue_history", &[])
        .unwrap()
        .get(0)
}

const TERRITORY: &str = "account_id,phone,name,rep,timezone
A-1,2125550101,Ann,alice,America/New_York
A-2,2125550102,Ben,alice,America/New_York
A-3,2125550103,Cy,bob,America/Chicago
A-4,2125550104,Di,bob,America/Chicago
";

const HISTORY: &str = "account_id,at,outcome,callback_at,rep,note
A-1,2026-11-20 10:00,no-answer,,alice,
A-2,2026-11-01 10:00,answered,,alice,\"said hi, twice\"
A-3,2026-10-01 10:00,opt-out,,bob,
A-4,2026-11-23 09:00,callback,2026-11-25 10:00,bob,
A-4,soon,maybe,,bob,unreadable
";

fn workdir(uri: &str) -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "callqueue.toml",
        format!(
            "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\nhistory = \"{uri}\"\n"
        ),
    )
    .write("t.csv", TERRITORY)
    .write("h.csv", HISTORY);
    wd
}

#[test]
fn history_init_is_idempotent() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_init");
    let wd = workdir(&uri);
    let first = run(&wd, &["history", "init"]).ok();
    assert!(first.stderr.contains("created"), "{}", first.stderr);
    let again = run(&wd, &["history", "init"]).ok();
    assert!(again.stderr.contains("already there"), "{}", again.stderr);
    assert_eq!(count(server, "cq_init"), 0);
}

#[test]
fn import_then_export_round_trips_and_a_second_import_skips_all() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_roundtrip");
    let wd = workdir(&uri);
    run(&wd, &["history", "init"]).ok();
    let first = run(&wd, &["history", "import", "h.csv"]).ok();
    assert!(
        first.stderr.contains("imported 5 call(s)") && first.stderr.contains("0 already there"),
        "{}",
        first.stderr
    );
    let again = run(&wd, &["history", "import", "h.csv"]).ok();
    assert!(
        again.stderr.contains("imported 0 call(s)") && again.stderr.contains("5 already there"),
        "{}",
        again.stderr
    );
    run(&wd, &["history", "export", "-o", "back.csv"]).ok();
    let back = wd.read("back.csv");
    let mut lines = back.lines();
    assert_eq!(
        lines.next(),
        Some("account_id,at,outcome,callback_at,rep,note,disposition,phone")
    );
    let original: Vec<String> = HISTORY.lines().skip(1).map(|l| format!("{l},,")).collect();
    assert_eq!(lines.map(str::to_owned).collect::<Vec<_>>(), original);
    // Standard output too.
    assert_eq!(run(&wd, &["history", "export"]).ok().stdout, back);
}

#[test]
fn record_single_and_from_a_file_in_one_transaction() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_record");
    let wd = workdir(&uri);
    run(&wd, &["history", "init"]).ok();
    let one = run(
        &wd,
        &["record", "A-1", "No Answer", "--at", "2026-11-24 10:00"],
    )
    .ok();
    assert!(
        one.stderr.contains("recorded A-1 no-answer"),
        "{}",
        one.stderr
    );
    let twice = run(
        &wd,
        &["record", "A-1", "no-answer", "--at", "2026-11-24 10:00"],
    )
    .ok();
    assert!(
        twice.stderr.contains("already recorded"),
        "{}",
        twice.stderr
    );
    assert_eq!(count(server, "cq_record"), 1);

    // A batch with the same call again: skipped and said so.
    wd.write(
        "batch.csv",
        "account_id,at,outcome\nA-1,2026-11-24T15:00:00Z,no-answer\nA-2,2026-11-24 11:00,answered\n",
    );
    let batch = run(&wd, &["record", "--from", "batch.csv"]).ok();
    assert!(
        batch
            .stderr
            .contains("recorded 1 attempt(s); 1 already there"),
        "{}",
        batch.stderr
    );
    assert_eq!(count(server, "cq_record"), 2);

    // A bad row: the same message as for a file, and nothing added.
    wd.write(
        "bad.csv",
        "account_id,at,outcome\nA-3,2026-11-24 11:00,answered\nA-4,whenever,answered\n",
    );
    let bad = run(&wd, &["record", "--from", "bad.csv"]).expect(1);
    assert!(bad.stderr.contains("bad.csv:3:"), "{}", bad.stderr);
    assert!(bad.stderr.contains("nothing appended"), "{}", bad.stderr);
    assert_eq!(count(server, "cq_record"), 2);

    // The rows as `record` writes them to a file.
    let export = run(&wd, &["history", "export"]).ok().stdout;
    assert!(
        export.contains("A-1,2026-11-24T10:00:00-05:00,no-answer,,,,,+12125550101"),
        "{export}"
    );
}

/// A small generated case: accounts over reps and zones, calls of every
/// outcome at many times and formats, a few unreadable rows.
fn generated(accounts: usize, calls: usize) -> (String, String) {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let zones = ["America/New_York", "America/Chicago", "America/Denver", ""];
    let reps = ["alice", "bob", "carmen", ""];
    let mut territory = String::from("account_id,phone,name,rep,timezone,status,priority\n");
    for i in 0..accounts {
        territory.push_str(&format!(
            "G-{i},212555{:04},Name {i},{},{},{},{}\n",
            i % 10000,
            reps[next(4) as usize],
            zones[next(4) as usize],
            if next(10) == 0 { "lapsed" } else { "active" },
            next(5)
        ));
    }
    let outcomes = [
        "answered",
        "no-answer",
        "No Answer",
        "voicemail",
        "callback",
        "opt-out",
        "wrong-number",
        "busy",
        "maybe",
    ];
    // A wrong number names the number dialled: the territory's (the
    // account is not called on it) or another (it is).
    let mut history = String::from("account_id,at,outcome,callback_at,rep,note,phone\n");
    for _ in 0..calls {
        let id = next(accounts as u64 + 20);
        let outcome = outcomes[next(outcomes.len() as u64) as usize];
        let day = 1 + next(28);
        let month = 1 + next(11);
        let hour = 8 + next(10);
        let at = match next(4) {
            0 => format!("2026-{month:02}-{day:02}T{hour:02}:15:00-05:00"),
            1 => format!("2026-{month:02}-{day:02}"),
            _ => format!("2026-{month:02}-{day:02} {hour:02}:{:02}", next(60)),
        };
        let callback = if outcome == "callback" {
            format!("2026-{:02}-{day:02} 10:00", 11 + next(2))
        } else {
            String::new()
        };
        let phone = match (outcome, next(2)) {
            ("wrong-number", 0) => format!("212555{:04}", id % 10000),
            ("wrong-number", _) => "3125550100".to_owned(),
            _ => String::new(),
        };
        history.push_str(&format!(
            "G-{id},{at},{outcome},{callback},rep,note {id},{phone}\n"
        ));
    }
    (territory, history)
}

#[test]
fn build_reads_the_table_as_it_reads_the_file() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_same");
    let (territory, history) = generated(400, 1500);
    let wd = Workdir::new();
    wd.write("t.csv", &territory)
        .write("h.csv", &history)
        .write(
            "callqueue.toml",
            "timezone = \"America/New_York\"\ndefault_country = \"US\"\nterritory = \"t.csv\"\n",
        );
    run(&wd, &["history", "init", "-H", &uri]).ok();
    run(&wd, &["history", "import", "-H", &uri, "h.csv"]).ok();
    let date = ["--date", "2026-11-24"];
    for (history, queue, audit) in [
        ("h.csv", "q1.csv", "x1.csv"),
        (uri.as_str(), "q2.csv", "x2.csv"),
    ] {
        let mut args = vec!["build", "-H", history, "-o", queue, "--excluded", audit];
        args.extend(date);
        run(&wd, &args).ok();
    }
    assert_eq!(wd.read("q1.csv"), wd.read("q2.csv"));
    assert!(
        wd.read("q1.csv").lines().count() > 20,
        "{}",
        wd.read("q1.csv")
    );
    // The audit cites history rows by line: the same lines, under the
    // history's own name.
    let shown = uri.as_str();
    assert_eq!(
        wd.read("x1.csv").replace("h.csv:", &format!("{shown}:")),
        wd.read("x2.csv")
    );
    // check and explain too.
    let check_file = run(&wd, &["check", "-H", "h.csv", "--date", "2026-11-24"]);
    let check_table = run(&wd, &["check", "-H", &uri, "--date", "2026-11-24"]);
    assert_eq!(check_file.code, check_table.code);
    assert_eq!(
        check_file.stdout.replace("h.csv:", &format!("{shown}:")),
        check_table.stdout
    );
    let explain_file = run(
        &wd,
        &[
            "explain",
            "G-7",
            "G-8",
            "-H",
            "h.csv",
            "--date",
            "2026-11-24",
        ],
    )
    .ok();
    let explain_table = run(
        &wd,
        &["explain", "G-7", "G-8", "-H", &uri, "--date", "2026-11-24"],
    )
    .ok();
    assert_eq!(
        explain_file.stdout.replace("h.csv:", &format!("{shown}:")),
        explain_table.stdout
    );
}

#[test]
fn eight_writers_at_once_leave_every_row_once_and_each_batch_whole() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_writers");
    let wd = workdir(&uri);
    run(&wd, &["history", "init"]).ok();
    // Four batches of 300 rows (the last 50 of each shared with the next
    // batch), and four writers of 25 single records each.
    for b in 0..4 {
        let mut text = String::from("account_id,at,outcome\n");
        for i in 0..300 {
            let n = b * 250 + i;
            text.push_str(&format!(
                "B-{n},2026-11-{:02} 10:{:02},no-answer\n",
                1 + n % 28,
                n % 60
            ));
        }
        wd.write(&format!("batch{b}.csv"), text);
    }
    std::thread::scope(|s| {
        for b in 0..4 {
            let wd = &wd;
            s.spawn(move || {
                let file = format!("batch{b}.csv");
                run(wd, &["record", "--from", &file]).ok();
            });
        }
        for w in 0..4 {
            let wd = &wd;
            s.spawn(move || {
                for i in 0..25 {
                    let id = format!("S-{w}-{i}");
                    run(wd, &["record", &id, "answered", "--at", "2026-11-20 09:00"]).ok();
                }
            });
        }
    });
    let mut client = server.client("cq_writers");
    let total: i64 = client
        .query_one("SELECT count(*) FROM callqueue_history", &[])
        .unwrap()
        .get(0);
    assert_eq!(total, 3 * 250 + 300 + 4 * 25);
    let twice: i64 = client
        .query_one(
            "SELECT count(*) FROM (SELECT account_id, at, outcome FROM callqueue_history \
             GROUP BY 1, 2, 3 HAVING count(*) > 1) d",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(twice, 0);
    // Each batch whole: its rows are all there.
    for b in 0..4i64 {
        let there: i64 = client
            .query_one(
                "SELECT count(*) FROM callqueue_history WHERE account_id LIKE 'B-%' \
                 AND substr(account_id, 3)::bigint BETWEEN $1 AND $2",
                &[&(b * 250), &(b * 250 + 299)],
            )
            .unwrap()
            .get(0);
        assert_eq!(there, 300, "batch {b}");
    }
}

/// Terminates the connection to `db` whose query matches `pattern` (an
/// ILIKE pattern; while it runs, if `active`) as soon as one is seen,
/// watching for half a minute at most; whether one was.
fn kill_backend_once_seen(server: &Server, db: &str, pattern: &str, active: bool) -> bool {
    let mut watcher = server.client(db);
    for _ in 0..10_000 {
        let rows = watcher
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid() \
                 AND query ILIKE $2 AND (state = 'active' OR NOT $3)",
                &[&db, &pattern, &active],
            )
            .unwrap();
        if !rows.is_empty() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
    false
}

#[test]
fn a_batch_whose_connection_is_killed_leaves_nothing() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_killed");
    let wd = workdir(&uri);
    run(&wd, &["history", "init"]).ok();
    let mut text = String::from("account_id,at,outcome,note\n");
    for n in 0..300_000 {
        text.push_str(&format!(
            "K-{n},2026-11-{:02} 10:{:02},no-answer,a note to make the row longer\n",
            1 + n % 28,
            n % 60
        ));
    }
    wd.write("big.csv", text);
    let child = wd
        .command(&["record", "--quiet", "--from", "big.csv"])
        .env("PGPASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the writer's connection once its rows are on their way.
    let killed = kill_backend_once_seen(server, "cq_killed", "%callqueue_incoming%", false);
    let out = child.wait_with_output().unwrap();
    assert!(killed, "the writer was never seen");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(count(server, "cq_killed"), 0);
}

#[test]
fn an_unreachable_server_is_named_and_outputs_are_left_as_they_were() {
    // A port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let uri = format!("postgresql://sales:hunter2@127.0.0.1:{port}/crm?sslmode=disable");
    let wd = workdir(&uri);
    wd.write("q.csv", "the old queue\n")
        .write("x.csv", "the old audit\n");
    let run = run(
        &wd,
        &[
            "build",
            "--date",
            "2026-11-24",
            "-o",
            "q.csv",
            "--excluded",
            "x.csv",
        ],
    )
    .expect(1);
    assert!(
        run.stderr.contains(&format!("127.0.0.1:{port}/crm")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("start the server"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert_eq!(wd.read("q.csv"), "the old queue\n");
    assert_eq!(wd.read("x.csv"), "the old audit\n");
}

#[test]
fn a_wrong_or_missing_password_says_where_to_put_it() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_password");
    let wd = workdir(&uri);
    let wrong = run_env(&wd, &["history", "init"], &[("PGPASSWORD", "nope")]).expect(1);
    assert!(
        wrong.stderr.contains("refused the password"),
        "{}",
        wrong.stderr
    );
    assert!(wrong.stderr.contains("PGPASSWORD"), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains(&format!("127.0.0.1:{}", server.port)),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains("nope"), "{}", wrong.stderr);
    let none = run_env(&wd, &["history", "init"], &[]).expect(1);
    assert!(
        none.stderr
            .contains("asks user \"postgres\" for a password"),
        "{}",
        none.stderr
    );

    // ~/.pgpass (here PGPASSFILE): used when only its owner may read it.
    let line = format!(
        "127.0.0.1:{}:cq_password:postgres:{PASSWORD}\n",
        server.port
    );
    wd.write("pgpass", line);
    let pgpass = wd.path("pgpass");
    let pgpass = pgpass.to_str().unwrap();
    set_mode(&wd.path("pgpass"), 0o644);
    let open = run_env(&wd, &["history", "init"], &[("PGPASSFILE", pgpass)]).expect(1);
    assert!(open.stderr.contains("chmod 600"), "{}", open.stderr);
    set_mode(&wd.path("pgpass"), 0o600);
    run_env(&wd, &["history", "init"], &[("PGPASSFILE", pgpass)]).ok();
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_missing_table_says_to_run_init() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_missing");
    let wd = workdir(&uri);
    wd.write("q.csv", "the old queue\n");
    let build = run(&wd, &["build", "--date", "2026-11-24", "-o", "q.csv"]).expect(1);
    assert!(
        build.stderr.contains("callqueue history init"),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("callqueue_history"),
        "{}",
        build.stderr
    );
    assert_eq!(build.stderr.trim().lines().count(), 1, "{}", build.stderr);
    assert_eq!(wd.read("q.csv"), "the old queue\n");
    let record = run(&wd, &["record", "A-1", "answered"]).expect(1);
    assert!(
        record.stderr.contains("callqueue history init"),
        "{}",
        record.stderr
    );
}

#[test]
fn a_connection_lost_while_build_reads_names_the_host_and_leaves_the_outputs() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_lost_read");
    let wd = workdir(&uri);
    run(&wd, &["history", "init"]).ok();
    let mut text = String::from("account_id,at,outcome,note\n");
    // Every row another call (a call recorded twice is imported once),
    // away from the night's daylight-saving changes.
    for n in 0..400_000 {
        text.push_str(&format!(
            "A-{},2024-{:02}-{:02} {:02}:{:02},no-answer,a note to make the row longer\n",
            1 + n % 2,
            1 + n % 12,
            1 + (n / 12) % 28,
            3 + (n / 336) % 20,
            (n / 6720) % 60
        ));
    }
    wd.write("big.csv", text);
    run(&wd, &["history", "import", "big.csv"]).ok();
    assert_eq!(count(server, "cq_lost_read"), 400_000);
    wd.write("q.csv", "the old queue\n")
        .write("x.csv", "the old audit\n");
    let child = wd
        .command(&[
            "build",
            "--date",
            "2026-11-24",
            "-o",
            "q.csv",
            "--excluded",
            "x.csv",
        ])
        .env("PGPASSWORD", PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the reader's connection once its COPY is under way.
    let killed = kill_backend_once_seen(server, "cq_lost_read", "COPY (SELECT%", true);
    let out = child.wait_with_output().unwrap();
    assert!(
        killed,
        "the reader was never seen: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("while reading the history") && stderr.contains("run the command again"),
        "{stderr}"
    );
    // One line, naming the history once.
    assert_eq!(stderr.matches(uri.as_str()).count(), 1, "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert_eq!(wd.read("q.csv"), "the old queue\n");
    assert_eq!(wd.read("x.csv"), "the old audit\n");
}

/// Sessions opened on database `db` so far.
fn sessions(server: &Server, db: &str) -> i64 {
    server
        .client("postgres")
        .query_one(
            "SELECT sessions FROM pg_stat_database WHERE datname = $1",
            &[&db],
        )
        .unwrap()
        .get(0)
}

#[test]
fn a_build_reads_the_table_over_two_connections_in_one_snapshot() {
    let Some(server) = server() else { return };
    let uri = server.database("cq_two");
    let wd = workdir(&uri);
    run(&wd, &["history", "init"]).ok();
    run(&wd, &["history", "import", "h.csv"]).ok();
    let before = sessions(server, "cq_two");
    let queue = run(&wd, &["build", "--date", "2026-11-24"]).ok().stdout;
    // One connection, or two: the same queue, from the same rows.
    let mut after = sessions(server, "cq_two");
    for _ in 0..100 {
        if after > before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        after = sessions(server, "cq_two");
    }
    assert_eq!(after - before, 2, "sessions {before} -> {after}");
    let file = run(&wd, &["build", "--date", "2026-11-24", "-H", "h.csv"])
        .ok()
        .stdout;
    assert_eq!(queue, file);
}

#[test]
fn tls_is_used_as_sslmode_asks_and_the_certificate_checked_against_sslrootcert() {
    let Some(server) = server() else { return };
    server.database(TLS_ONLY);
    let ca = server.ca.to_str().unwrap();
    let uri = |host: &str, query: &str| {
        format!(
            "postgresql://postgres@{host}:{}/{TLS_ONLY}{query}",
            server.port
        )
    };
    let init = |uri: &str, env: &[(&str, &str)]| {
        let wd = workdir(uri);
        let mut env = env.to_vec();
        env.push(("PGPASSWORD", PASSWORD));
        run_env(&wd, &["history", "init"], &env)
    };
    // The database refuses plain connections, so every success below
    // was made over TLS.
    let plain = init(&uri("127.0.0.1", "?sslmode=disable"), &[]).expect(1);
    assert!(
        plain.stderr.contains("does not let user \"postgres\" in"),
        "{}",
        plain.stderr
    );
    assert!(
        plain.stderr.contains("set sslmode=require"),
        "{}",
        plain.stderr
    );
    assert!(!plain.stderr.contains("password"), "{}", plain.stderr);
    assert_eq!(plain.stderr.trim().lines().count(), 1, "{}", plain.stderr);
    // `require` and the default `prefer`: TLS, the certificate unchecked.
    init(&uri("127.0.0.1", "?sslmode=require"), &[]).ok();
    init(&uri("127.0.0.1", ""), &[]).ok();

    // `verify-full`: this test's authority is not among the system's.
    let untrusted = init(&uri("localhost", "?sslmode=verify-full"), &[]).expect(1);
    assert!(
        untrusted.stderr.contains("sslrootcert=FILE"),
        "{}",
        untrusted.stderr
    );
    assert!(
        !untrusted.stderr.contains("start the server"),
        "{}",
        untrusted.stderr
    );
    // Given as `sslrootcert`, in `PGSSLROOTCERT`, or in libpq's default
    // file, it is trusted.
    init(
        &uri(
            "localhost",
            &format!("?sslmode=verify-full&sslrootcert={ca}"),
        ),
        &[],
    )
    .ok();
    init(
        &uri("localhost", "?sslmode=verify-full"),
        &[("PGSSLROOTCERT", ca)],
    )
    .ok();
    let home = Workdir::new();
    home.write(".postgresql/root.crt", std::fs::read_to_string(ca).unwrap());
    init(
        &uri("localhost", "?sslmode=verify-full"),
        &[("HOME", home.path("").to_str().unwrap())],
    )
    .ok();
    // A path with a space, written %20 as URIs write it.
    home.write("with space/ca.pem", std::fs::read_to_string(ca).unwrap());
    let spaced = home.path("with space/ca.pem");
    let spaced = spaced.to_str().unwrap().replace(' ', "%20");
    init(
        &uri(
            "localhost",
            &format!("?sslmode=verify-full&sslrootcert={spaced}"),
        ),
        &[],
    )
    .ok();

    // The certificate names `localhost`, not 127.0.0.1: `verify-full`
    // refuses it there, `verify-ca` checks the authority only.
    let misnamed = init(
        &uri(
            "127.0.0.1",
            &format!("?sslmode=verify-full&sslrootcert={ca}"),
        ),
        &[],
    )
    .expect(1);
    assert!(
        misnamed.stderr.contains("not valid for name"),
        "{}",
        misnamed.stderr
    );
    assert!(
        misnamed.stderr.contains("sslmode=verify-ca"),
        "{}",
        misnamed.stderr
    );
    init(
        &uri("127.0.0.1", &format!("?sslmode=verify-ca&sslrootcert={ca}")),
        &[],
    )
    .ok();

    // `require` with a root file checks the authority, as libpq does: an
    // authority that did not sign the server's is refused.
    let other = Workdir::new();
    let made = std::process::Command::new("openssl")
        .current_dir(other.path(""))
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args([
            "-nodes",
            "-keyout",
            "other.key",
            "-out",
            "other.crt",
            "-days",
            "2",
        ])
        .args(["-subj", "/CN=another authority"])
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let other_ca = other.path("other.crt");
    let other_ca = other_ca.to_str().unwrap();
    let wrong = init(
        &uri(
            "localhost",
            &format!("?sslmode=require&sslrootcert={other_ca}"),
        ),
        &[],
    )
    .expect(1);
    assert!(wrong.stderr.contains("UnknownIssuer"), "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains(&format!("localhost:{}", server.port)),
        "{}",
        wrong.stderr
    );

    // A root file that is not there, or holds no certificate: named.
    let missing = init(
        &uri(
            "localhost",
            "?sslmode=verify-full&sslrootcert=/no/such/ca.pem",
        ),
        &[],
    )
    .expect(1);
    assert!(
        missing.stderr.contains("/no/such/ca.pem cannot be read"),
        "{}",
        missing.stderr
    );
    home.write("empty.pem", "not a certificate\n");
    let empty = home.path("empty.pem");
    let empty = init(
        &uri(
            "localhost",
            &format!("?sslmode=verify-full&sslrootcert={}", empty.display()),
        ),
        &[],
    )
    .expect(1);
    assert!(
        empty.stderr.contains("holds no certificate"),
        "{}",
        empty.stderr
    );

    // A whole day's work over checked TLS: import, then a build that
    // reads over both of its connections, as from the file.
    let wd = workdir(&uri(
        "localhost",
        &format!("?sslmode=verify-full&sslrootcert={ca}"),
    ));
    run(&wd, &["history", "import", "h.csv"]).ok();
    run(&wd, &["build", "--date", "2026-11-24", "-o", "q-table.csv"]).ok();
    run(
        &wd,
        &[
            "build",
            "--date",
            "2026-11-24",
            "-H",
            "h.csv",
            "-o",
            "q-file.csv",
        ],
    )
    .ok();
    assert!(!wd.read("q-table.csv").is_empty());
    assert_eq!(wd.read("q-table.csv"), wd.read("q-file.csv"));
}
