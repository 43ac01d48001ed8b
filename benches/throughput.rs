//! `cargo bench --bench throughput`: the cost of every layer against
//! PostgreSQL itself, on this machine. Self-contained: it generates its own
//! data sets with the real binary (`generate`), starts the real server on
//! the embedded PostgreSQL, and loads it over HTTP. See BENCHMARKS.md.
//!
//! Settings (environment): `BENCH_SCALES` (visits per data set, default
//! `100000,1000000`), `BENCH_SECONDS` (visit logging, default 15),
//! `BENCH_PAGE_SECONDS` (default 10), `BENCH_CLIENTS` (default 8),
//! `BENCH_DIR` (default `/tmp/nm-bench`), `BENCH_OUT` (the table is also
//! written there, default `target/bench/throughput.md`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::sql_types::BigInt;

#[path = "throughput/busy.rs"]
mod busy;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

const BIN: &str = env!("CARGO_BIN_EXE_neighbourhood-mothers");
pub(crate) const PASSWORD: &str = "bench horse battery staple 42";
pub(crate) const EMAIL: &str = "bench@example.org";
/// The users made besides the administrator, with their programmes.
const ROLE_USERS: &[(&str, &[&str])] = &[
    ("manager", &["1", "2", "3", "4"]),
    ("coordinator", &["1"]),
    ("trainer", &["1"]),
];

/// The note of each visit the benchmark logs (encrypted by the server; the
/// pgbench side writes as many bytes as its sealed form takes).
const NOTE: &str =
    "Talked about the day-care place and the letter from the job centre; next visit in two weeks.";

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cli(dir: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir")
        .arg(dir)
        .args(["--log-level", "warn"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd.spawn().expect("run the binary");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(dir: &Path) -> Self {
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir)
            .args(["--log-level", "warn", "serve", "--bind", "127.0.0.1:0"])
            // The failed sign-ins come "from" many addresses (busy.rs).
            .env("TRUST_FORWARDED_FOR", "true")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("the server stopped")
                .expect("read stdout");
            if let Some(url) = line.strip_prefix("Listening on ") {
                break url.trim().to_owned();
            }
        };
        // Keep reading so the pipe never fills.
        std::thread::spawn(move || for _ in lines {});
        Server { child, url }
    }

    /// Peak resident memory of the server process so far (VmHWM), in KiB.
    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn stop(self) {}
}

/// Stopped on every exit, a failed assertion included (SIGTERM: the
/// server then stops its PostgreSQL).
impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn conninfo(dir: &Path) -> String {
    format!(
        "host={} port=5432 user=postgres dbname=neighbourhood_mothers",
        dir.join("postgres").display()
    )
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    percentile(&xs, 0.5)
}

/// Runs `f` from `clients` tasks for `seconds`; requests per second and
/// sorted latencies in milliseconds.
pub(crate) async fn load<F, Fut>(clients: usize, seconds: u64, f: F) -> (f64, Vec<f64>, usize)
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let f = Arc::new(f);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failed = 0usize;
            let mut n = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                if f(c, n).await {
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                } else {
                    failed += 1;
                }
                n += 1;
            }
            (lat, failed)
        }));
    }
    let mut all = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (lat, f) = t.await.expect("task");
        all.extend(lat);
        failed += f;
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    (all.len() as f64 / secs, all, failed)
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

struct Rows(Vec<String>);

impl Rows {
    fn add(&mut self, what: &str, figure: String, target: &str) {
        self.0.push(format!("| {what} | {figure} | {target} |"));
        println!("{what}: {figure} (target: {target})");
    }
}

fn pgbench_path() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN_DIR") {
        return Path::new(&dir).join("pgbench");
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin/pgbench"))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop().unwrap_or_else(|| PathBuf::from("pgbench"))
}

async fn sign_in(url: &str, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let html = client
        .get(format!("{url}/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("text");
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf token")
        .to_owned();
    let res = client
        .post(format!("{url}/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(res.status(), 303, "signed in as {email}");
    client
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let scales: Vec<u64> = std::env::var("BENCH_SCALES")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let seconds: u64 = env_or("BENCH_SECONDS", 15);
    let page_seconds: u64 = env_or("BENCH_PAGE_SECONDS", 10);
    let clients: usize = env_or("BENCH_CLIENTS", 8);
    let root = PathBuf::from(env_or("BENCH_DIR", "/tmp/nm-bench".to_owned()));
    let out = PathBuf::from(env_or("BENCH_OUT", "target/bench/throughput.md".to_owned()));
    let year = {
        use chrono::Datelike;
        chrono::Local::now().year() - 1
    };
    let mut rows = Rows(Vec::new());
    let mut report_times: Vec<(u64, f64)> = Vec::new();
    let largest = scales.iter().copied().max().unwrap_or(0);

    for &visits in &scales {
        let dir = root.join(visits.to_string());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("bench dir");
        let t = Instant::now();
        cli(
            &dir,
            &[
                "generate",
                "--programmes",
                "4",
                "--districts",
                "33",
                "--mothers",
                "2000",
                "--visits",
                &visits.to_string(),
                "--years",
                "10",
                "--seed",
                "1",
            ],
            None,
        );
        rows.add(
            &format!(
                "generate {visits} visits (4 programmes, 33 districts, 2,000 mothers, 10 years)"
            ),
            format!("{:.1} s", t.elapsed().as_secs_f64()),
            "1,000,000 in < 120 s",
        );
        cli(
            &dir,
            &[
                "create-user",
                "--email",
                EMAIL,
                "--name",
                "Bench",
                "--role",
                "admin",
            ],
            Some(&format!("{PASSWORD}\n")),
        );
        // One user of each other role, for their home pages.
        for (role, programmes) in ROLE_USERS {
            let email = format!("{role}@example.org");
            let mut args = vec![
                "create-user",
                "--email",
                &email,
                "--name",
                role,
                "--role",
                role,
            ];
            for p in *programmes {
                args.extend(["--programme", p]);
            }
            cli(&dir, &args, Some(&format!("{PASSWORD}\n")));
        }
        let token = cli(
            &dir,
            &["create-token", "--email", EMAIL, "--label", "bench"],
            None,
        )
        .trim()
        .to_owned();
        let server = Server::start(&dir);
        let url = server.url.clone();
        let http = reqwest::Client::new();
        let mut conn = AsyncPgConnection::establish(&conninfo(&dir))
            .await
            .expect("direct connection");
        // As the server's own connections (see `db::pool`).
        conn.batch_execute("SET max_parallel_workers_per_gather = 0; SET jit = off")
            .await
            .expect("set");
        // The server trusts X-Forwarded-For (as behind a proxy), so its
        // administrators and managers would have to set up a second factor
        // first; the benchmark's say they need not, as an administrator may
        // (Users → Second factor per role).
        conn.batch_execute(
            "INSERT INTO second_factor_roles (role, required) VALUES ('admin', false), ('manager', false)
             ON CONFLICT (role) DO UPDATE SET required = false",
        )
        .await
        .expect("second factor not required");
        let year_visits: Vec<Id> = diesel::sql_query(format!(
            "SELECT count(*) AS id FROM visits WHERE visited_on BETWEEN '{year}-01-01' AND '{year}-12-31'"
        ))
        .load(&mut conn)
        .await
        .expect("count");
        println!("\n== {visits} visits ({} in {year}) ==", year_visits[0].id);

        // Import: a spreadsheet of 100,000 visits into one programme, once
        // (on the smallest data set), through the command line.
        if visits == scales.iter().copied().min().unwrap_or(0) {
            let import_rows: usize = env_or("BENCH_IMPORT_ROWS", 100_000);
            let mothers: Vec<Id> = diesel::sql_query(
                "SELECT id FROM mothers WHERE programme_id = (SELECT min(id) FROM programmes)
                 AND status IN ('active', 'certified') ORDER BY id LIMIT 200",
            )
            .load(&mut conn)
            .await
            .expect("mothers");
            let programme: Vec<Id> = diesel::sql_query("SELECT min(id) AS id FROM programmes")
                .load(&mut conn)
                .await
                .expect("programme");
            let mut csv = String::from(
                "external_ref,visited_on,mother,family,duration_minutes,kind,topics,referrals,note\n",
            );
            let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("date");
            for i in 0..import_rows {
                let day = start + chrono::Days::new((i % 365) as u64);
                let mother = mothers[i % mothers.len()].id;
                csv.push_str(&format!(
                    "imp-{i},{day},{mother},,45,phone,health;schools,,\n"
                ));
            }
            let file = dir.join("import-visits.csv");
            std::fs::write(&file, csv).expect("write the file");
            let t = Instant::now();
            cli(
                &dir,
                &[
                    "import",
                    "visits",
                    "--programme",
                    &programme[0].id.to_string(),
                    file.to_str().expect("path"),
                ],
                None,
            );
            rows.add(
                &format!("import {import_rows} visit rows (CSV, command line)"),
                format!("{:.1} s", t.elapsed().as_secs_f64()),
                "100,000 in < 30 s",
            );
        }
        // The server's roll-up worker recounts what the data set and the
        // import changed; the reports are measured once it is done.
        let t = Instant::now();
        loop {
            let stale: Id = diesel::sql_query("SELECT count(*) AS id FROM report_stale_months")
                .get_result(&mut conn)
                .await
                .expect("stale months");
            if stale.id == 0 {
                break;
            }
            assert!(t.elapsed().as_secs() < 600, "the roll-up worker is stuck");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        rows.add(
            &format!("roll-ups recounted after the import, {visits} visits"),
            format!("{:.1} s", t.elapsed().as_secs_f64()),
            "measured",
        );

        // Reports: through the server (token, JSON) against the same
        // aggregate SQL over one direct connection.
        for (label, programmes, query) in [
            (
                "one programme",
                vec![1i64],
                format!("year={year}&programme=1"),
            ),
            ("all programmes", vec![1, 2, 3, 4], format!("year={year}")),
        ] {
            let get = || {
                http.get(format!("{url}/api/v1/reports/yearly?{query}"))
                    .bearer_auth(&token)
                    .send()
            };
            // Warm up both paths (caches, roll-ups).
            for _ in 0..2 {
                let res = get().await.expect("report");
                assert_eq!(res.status(), 200);
                res.bytes().await.expect("body");
                neighbourhood_mothers::reports::model::yearly(&mut conn, &programmes, year)
                    .await
                    .expect("raw");
            }
            let (mut app, mut raw) = (Vec::new(), Vec::new());
            for _ in 0..15 {
                let t = Instant::now();
                let res = get().await.expect("report");
                res.bytes().await.expect("body");
                app.push(t.elapsed().as_secs_f64() * 1000.0);
                let t = Instant::now();
                neighbourhood_mothers::reports::model::yearly(&mut conn, &programmes, year)
                    .await
                    .expect("raw");
                raw.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let (app, raw) = (median(app), median(raw));
            if label == "all programmes" {
                report_times.push((visits, app));
            }
            rows.add(
                &format!("yearly report {year}, {label}, {visits} visits: app / direct SQL"),
                format!("{app:.1} ms / {raw:.1} ms = {:.2}", app / raw),
                "≤ 1.5; app ≤ 50 ms at 10,000,000",
            );
        }

        if visits == largest {
            // First, on the fresh server: what failed sign-ins cost in memory.
            let refused = busy::failed_sign_ins(&url, 20, 10).await;
            assert_eq!(refused, 200, "every failed sign-in was checked");
            rows.add(
                "server peak RSS (VmHWM) after 200 failed sign-ins in bursts of 10",
                format!("{:.1} MiB", server.peak_rss_kib() as f64 / 1024.0),
                "≤ 96 MiB",
            );

            // Pages with the largest data set: the visit list, the
            // profile of the mother with the most visits, her visit form,
            // and the family list.
            let browser = sign_in(&url, EMAIL).await;
            let busiest: Id = diesel::sql_query(
                "SELECT mother_id AS id FROM visits GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            )
            .get_result(&mut conn)
            .await
            .expect("busiest mother");
            const PAGE_TARGET: &str = "p99 ≤ 100 ms at 10,000,000";
            let mut pages = vec![
                (
                    "visit list /visits".to_owned(),
                    browser.clone(),
                    "/visits".to_owned(),
                    PAGE_TARGET,
                ),
                (
                    "mother's profile /mothers/{id}".to_owned(),
                    browser.clone(),
                    format!("/mothers/{}", busiest.id),
                    PAGE_TARGET,
                ),
                (
                    "visit form /visits/new?mother={id}".to_owned(),
                    browser.clone(),
                    format!("/visits/new?mother={}", busiest.id),
                    "measured",
                ),
                (
                    "family list /families".to_owned(),
                    browser.clone(),
                    "/families".to_owned(),
                    "measured",
                ),
                // Names are encrypted: the search opens the names of the
                // programme's active families and matches them in the server.
                (
                    "family search by name /visits/new?mother={id}&family_search=Fatma".to_owned(),
                    browser.clone(),
                    format!("/visits/new?mother={}&family_search=Fatma", busiest.id),
                    "measured",
                ),
                (
                    "home page /, administrator".to_owned(),
                    browser.clone(),
                    "/".to_owned(),
                    PAGE_TARGET,
                ),
            ];
            for (role, _) in ROLE_USERS {
                pages.push((
                    format!("home page /, {role}"),
                    sign_in(&url, &format!("{role}@example.org")).await,
                    "/".to_owned(),
                    PAGE_TARGET,
                ));
            }
            for (label, b, path, target) in pages {
                let u = format!("{url}{path}");
                let (rps, lat, failed) = load(clients, page_seconds, move |_, _| {
                    let b = b.clone();
                    let u = u.clone();
                    async move {
                        match b.get(&u).send().await {
                            Ok(r) if r.status() == 200 => r.bytes().await.is_ok(),
                            _ => false,
                        }
                    }
                })
                .await;
                assert_eq!(failed, 0, "{label}: failed requests");
                rows.add(
                    &format!("page {label}, {visits} visits, {clients} clients"),
                    format!(
                        "p50 {:.1} ms, p99 {:.1} ms ({rps:.0} req/s)",
                        percentile(&lat, 0.5),
                        percentile(&lat, 0.99)
                    ),
                    target,
                );
            }

            // Visit logging through the server: POST with 3 topics, token
            // auth, validation, the audit row.
            let mothers: Vec<Id> = diesel::sql_query(
                "SELECT id FROM mothers WHERE programme_id = 1 AND status IN ('active', 'certified') ORDER BY id",
            )
            .load(&mut conn)
            .await
            .expect("mothers");
            let mothers: Arc<Vec<i64>> = Arc::new(mothers.into_iter().map(|m| m.id).collect());

            // 50 signed-in browsers (cookies, CSRF) mixing pages and visit
            // forms, with the default pool of 10 connections.
            let sessions: usize = env_or("BENCH_SESSIONS", 50);
            let mix_seconds: u64 = env_or("BENCH_MIX_SECONDS", 30);
            let mix = busy::mixed_sessions(&url, sessions, mix_seconds, mothers.clone()).await;
            rows.add(
                &format!(
                    "{sessions} browser sessions for {mix_seconds} s: visit list, profile, visit form, family list, visit POST"
                ),
                format!(
                    "{:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} × 5xx, {} other failures",
                    mix.rps,
                    percentile(&mix.latencies, 0.5),
                    percentile(&mix.latencies, 0.99),
                    mix.server_errors,
                    mix.other_failures
                ),
                "0 × 5xx",
            );
            assert_eq!(mix.server_errors, 0, "the mixed load got 5xx answers");
            let today = chrono::Local::now().date_naive();
            let day = (today - chrono::Duration::days(10)).to_string();
            let (h, t, u) = (http.clone(), token.clone(), url.clone());
            {
                // One visit first, to show what is wrong if logging fails.
                let res = http
                    .post(format!("{url}/api/v1/visits"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({
                        "mother_id": mothers[0].to_string(), "visited_on": day, "duration_minutes": "60",
                        "kind": "home_visit", "topic_ids": ["1", "2", "3"], "referrals": [],
                        "confirm_duplicate": "true"
                    }))
                    .send()
                    .await
                    .expect("POST a visit");
                let status = res.status();
                assert_eq!(status, 201, "{}", res.text().await.unwrap_or_default());
            }
            let (rps, lat, failed) = load(clients, seconds, move |c, n| {
                let mother = mothers[(c * 7919 + n as usize * 104_729) % mothers.len()];
                // Spread over the last year; a second visit of one mother on
                // one day is confirmed, as a coordinator would.
                let day = today - chrono::Duration::days(((c as i64) * 31 + n as i64) % 365 + 1);
                // With a note, which the server encrypts (`crypto`).
                let body = serde_json::json!({
                    "mother_id": mother.to_string(), "visited_on": day.to_string(), "duration_minutes": "60",
                    "kind": "home_visit", "topic_ids": ["1", "2", "3"], "referrals": [],
                    "note": NOTE, "confirm_duplicate": "true"
                });
                let req = h
                    .post(format!("{u}/api/v1/visits"))
                    .bearer_auth(&t)
                    .json(&body)
                    .send();
                async move { matches!(req.await, Ok(r) if r.status() == 201) }
            })
            .await;
            assert_eq!(failed, 0, "visit logging: failed requests");
            let app_rps = rps;
            rows.add(
                &format!("visit logging via HTTP, {clients} clients, {seconds} s"),
                format!(
                    "{rps:.0} visits/s, p50 {:.1} ms, p99 {:.1} ms",
                    percentile(&lat, 0.5),
                    percentile(&lat, 0.99)
                ),
                "measured",
            );

            // The same INSERTs straight into PostgreSQL with pgbench.
            conn.batch_execute(
                "DROP TABLE IF EXISTS bench_mothers;
                 CREATE TABLE bench_mothers AS SELECT row_number() OVER (ORDER BY id)::int AS i, id AS mother_id, programme_id
                   FROM mothers WHERE programme_id = 1 AND status IN ('active', 'certified');
                 ALTER TABLE bench_mothers ADD PRIMARY KEY (i);",
            )
            .await
            .expect("bench table");
            let script = dir.join("visit.sql");
            std::fs::write(
                &script,
                "\\set i random(1, :nm)\n\
                 BEGIN;\n\
                 INSERT INTO visits (programme_id, mother_id, visited_on, duration_minutes, kind, recorded_by, note) \
                   SELECT programme_id, mother_id, current_date - 10, 60, 'home_visit', 1, decode(repeat('5a', 138), 'hex') \
                   FROM bench_mothers WHERE i = :i RETURNING id AS vid \\gset\n\
                 INSERT INTO visit_topics (visit_id, topic_id) VALUES (:vid, 1), (:vid, 2), (:vid, 3);\n\
                 INSERT INTO audit_events (actor_id, action, entity, entity_id, programme_id, changes) \
                   VALUES (1, 'create', 'visit', :vid, 1, '{\"kind\": {\"new\": \"home_visit\"}, \"topic_ids\": {\"new\": [1, 2, 3]}}');\n\
                 END;\n",
            )
            .expect("script");
            let logs = dir.join("pgbench-log");
            let _ = std::fs::remove_dir_all(&logs);
            std::fs::create_dir_all(&logs).expect("log dir");
            let n_mothers = format!("nm={}", {
                let r: Id = diesel::sql_query("SELECT count(*) AS id FROM bench_mothers")
                    .get_result(&mut conn)
                    .await
                    .expect("count");
                r.id
            });
            let status = Command::new(pgbench_path())
                .current_dir(&logs)
                .args(["-n", "-h"])
                .arg(dir.join("postgres"))
                .args(["-U", "postgres", "-c", &clients.to_string(), "-j", "2"])
                .args(["-T", &seconds.to_string(), "-D", &n_mothers, "-l", "-f"])
                .arg(&script)
                .arg("neighbourhood_mothers")
                .stdout(Stdio::piped())
                .output()
                .expect("pgbench");
            let text = String::from_utf8_lossy(&status.stdout);
            let tps: f64 = text
                .lines()
                .find(|l| l.starts_with("tps ="))
                .and_then(|l| l.split_whitespace().nth(2))
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN);
            let mut raw_lat: Vec<f64> = std::fs::read_dir(&logs)
                .into_iter()
                .flatten()
                .flatten()
                .flat_map(|f| {
                    std::fs::read_to_string(f.path())
                        .unwrap_or_default()
                        .lines()
                        .filter_map(|l| l.split_whitespace().nth(2)?.parse::<f64>().ok())
                        .map(|us| us / 1000.0)
                        .collect::<Vec<_>>()
                })
                .collect();
            raw_lat.sort_by(f64::total_cmp);
            rows.add(
                &format!("visit logging via pgbench (same INSERTs), {clients} clients"),
                format!(
                    "{tps:.0} visits/s, p50 {:.1} ms, p99 {:.1} ms",
                    percentile(&raw_lat, 0.5),
                    percentile(&raw_lat, 0.99)
                ),
                "the ceiling",
            );
            rows.add(
                "visit logging: app / pgbench",
                format!("{:.2}", app_rps / tps),
                "≥ 0.7",
            );
            rows.add(
                "server peak RSS (VmHWM) over the whole run",
                format!("{:.1} MiB", server.peak_rss_kib() as f64 / 1024.0),
                "≤ 64 MiB",
            );
        }
        drop(conn);
        server.stop();
    }
    if let [(v1, t1), .., (v2, t2)] = report_times.as_slice() {
        rows.add(
            &format!("report growth: {v2} vs {v1} visits (all programmes)"),
            format!(
                "{:.2}× the time for {:.0}× the visits",
                t2 / t1,
                *v2 as f64 / *v1 as f64
            ),
            "≤ 2× for 10×",
        );
    }
    let table = format!(
        "| what | figure | target |\n|---|---|---|\n{}\n",
        rows.0.join("\n")
    );
    println!("\n{table}");
    if let Some(parent) = out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(&out, &table);
}
