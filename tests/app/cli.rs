//! The binary itself: `serve` on the embedded database (as root when the
//! tests run as root), a second process reusing the running cluster,
//! graceful shutdown leaving no postgres behind, and the data kept.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use neighbourhood_mothers::db::local::running_postmaster;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::harness::temp_root;

/// The program under test; `NM_TEST_BIN` overrides it (in a target folder
/// shared by several checkouts, another build may have replaced
/// `CARGO_BIN_EXE_neighbourhood-mothers` since this test binary was built).
pub(crate) fn bin() -> std::ffi::OsString {
    std::env::var_os("NM_TEST_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_neighbourhood-mothers").into())
}

/// A data folder of its own, removed at the end.
pub(crate) struct DataDir(pub(crate) PathBuf);

impl DataDir {
    pub(crate) fn new(tag: &str) -> Self {
        let p = temp_root().join(format!("nm-cli-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        Self(p)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        if let Some(pid) = running_postmaster(&self.0.join("postgres")) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGQUIT);
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The program with `args` on the embedded cluster in `data`, its messages
/// in the language of the locale `lang` (`C.UTF-8`: English).
pub(crate) fn program(args: &[&str], data: &Path, lang: &str) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("DATABASE_URL")
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    cmd
}

/// Starts `serve` and waits for the URL it prints; returns what it printed before.
pub(crate) async fn start_server(data: &Path) -> (Child, String, String) {
    let mut child = program(&["serve", "--bind", "127.0.0.1:0"], data, "C.UTF-8")
        .env("LOG_LEVEL", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let (url, before) = tokio::time::timeout(Duration::from_secs(120), async {
        let mut before = String::new();
        while let Some(line) = lines.next_line().await.expect("read stdout") {
            if let Some(url) = line.strip_prefix("Listening on ") {
                return (url.to_owned(), before);
            }
            before.push_str(&line);
            before.push('\n');
        }
        panic!("the server exited without listening");
    })
    .await
    .expect("the server did not start in time");
    (child, url, before)
}

pub(crate) async fn stop(mut child: Child) {
    let pid = child.id().expect("pid") as i32;
    kill(Pid::from_raw(pid), Signal::SIGTERM).expect("SIGTERM");
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("stopped in time")
        .expect("wait");
    assert!(status.success(), "clean exit after SIGTERM: {status}");
}

#[tokio::test]
async fn serve_runs_on_its_own_postgres_and_stops_cleanly() {
    let data = DataDir::new("serve");
    let cluster = data.0.join("postgres");
    let (server, url, printed) = start_server(&data.0).await;
    let client = reqwest::Client::new();
    // The first start creates an administrator and prints a one-time password.
    assert!(printed.contains("admin@example.org"), "{printed}");
    assert!(printed.contains("one-time password:"), "{printed}");

    let health: Value = client
        .get(format!("{url}/healthz"))
        .send()
        .await
        .expect("healthz")
        .json()
        .await
        .expect("json");
    assert_eq!(health, json!({"status": "ok", "database": "ok"}));

    // As root, the cluster belongs to the postgres user.
    if nix::unistd::Uid::effective().is_root() {
        let owner = std::fs::metadata(&cluster).expect("cluster dir").uid();
        let postgres = nix::unistd::User::from_name("postgres")
            .expect("lookup")
            .expect("postgres user");
        assert_eq!(owner, postgres.uid.as_raw());
    }
    let postmaster = running_postmaster(&cluster).expect("postgres runs");

    // While the server runs, the CLI creates a user and a token on the same
    // cluster; the token works on the API.
    let token = admin_token(&data.0, "lena@example.org", "LENA@example.org").await;
    assert!(token.starts_with("nm_"), "{token}");

    let res = client
        .post(format!("{url}/api/v1/programmes"))
        .bearer_auth(&token)
        .json(
            &json!({"name": "Bydelsmødre Aarhus", "city": "Aarhus", "country": "DK",
                      "currency": "DKK", "default_language": "da", "start_date": "2008-01-01"}),
        )
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let programme: Value = res.json().await.expect("json");
    // Without the token: 401.
    let res = client
        .get(format!("{url}/api/v1/programmes"))
        .send()
        .await
        .expect("list");
    assert_eq!(res.status(), 401);

    // A mother invited from the command line: her one-time code.
    let mother: Value = client
        .post(format!("{url}/api/v1/mothers"))
        .bearer_auth(&token)
        .json(
            &json!({"programme_id": programme["id"].to_string(), "full_name": "Hodan Ali",
                      "phone": "1", "gender": "female", "engagement": "volunteer",
                      "joined_on": "2020-01-01"}),
        )
        .send()
        .await
        .expect("mother")
        .json()
        .await
        .expect("json");
    let id = mother["id"].to_string();
    let out = program(
        &["create-user", "--role", "mother", "--mother", &id],
        &data.0,
        "C.UTF-8",
    )
    .output()
    .await
    .expect("create-user --role mother");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("/join/"), "{stdout}");
    assert!(stdout.contains("mother"), "her sign-in name: {stdout}");

    // The command line speaks the system's language.
    let german = |password: &'static str| {
        let data = data.0.clone();
        async move {
            let args = [
                "create-user",
                "--email",
                "ayse@example.org",
                "--name",
                "Ayşe Kaya",
                "--role",
                "admin",
            ];
            let mut child = program(&args, &data, "de_DE.UTF-8")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("create-user");
            {
                use tokio::io::AsyncWriteExt;
                let mut stdin = child.stdin.take().expect("stdin");
                stdin.write_all(password.as_bytes()).await.expect("write");
            }
            child.wait_with_output().await.expect("create-user ran")
        }
    };
    let out = german("kurz\n").await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Passwort: "), "{stderr}");
    let out = german("Wedding-Kanal-Sommer-2025\n").await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Angelegt: Ayşe Kaya <ayse@example.org> (Administrator:in)"),
        "{stdout}"
    );

    // A second process uses the running cluster instead of starting one.
    let out = Command::new(bin())
        .args(["migrate", "--data-dir"])
        .arg(&data.0)
        .env_remove("DATABASE_URL")
        .output()
        .await
        .expect("migrate");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("already running"), "{stderr}");
    assert_eq!(running_postmaster(&cluster), Some(postmaster));

    // SIGTERM: the server finishes, PostgreSQL stops, nothing is left.
    stop(server).await;
    assert_eq!(running_postmaster(&cluster), None);
    assert!(
        !Path::new(&format!("/proc/{postmaster}")).exists(),
        "postgres (pid {postmaster}) outlived the server"
    );

    // Started again, it finds its data (and creates no second admin).
    let (server, url, printed) = start_server(&data.0).await;
    assert!(!printed.contains("one-time password"), "{printed}");
    let list: Value = client
        .get(format!("{url}/api/v1/programmes"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list["items"][0]["name"], "Bydelsmødre Aarhus");
    stop(server).await;
}

#[tokio::test]
async fn without_postgres_the_message_says_what_to_do() {
    let data = DataDir::new("nopg");
    let out = Command::new(bin())
        .args(["migrate", "--data-dir"])
        .arg(&data.0)
        .env_remove("DATABASE_URL")
        .env("PG_BIN_DIR", "/nonexistent/bin")
        .output()
        .await
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apt-get install postgresql"), "{stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
}

#[tokio::test]
async fn every_setting_has_a_flag_and_an_environment_variable() {
    for (cmd, settings) in [
        (
            "serve",
            &[
                ("--bind", "BIND"),
                ("--data-dir", "DATA_DIR"),
                ("--database-url", "DATABASE_URL"),
                ("--log-level", "LOG_LEVEL"),
                ("--pg-bin-dir", "PG_BIN_DIR"),
                ("--db-pool-size", "DB_POOL_SIZE"),
                ("--admin-email", "ADMIN_EMAIL"),
                ("--secure-cookies", "SECURE_COOKIES"),
                ("--session-hours", "SESSION_HOURS"),
                ("--trust-forwarded-for", "TRUST_FORWARDED_FOR"),
                ("--database-owner-url", "DATABASE_OWNER_URL"),
                ("--data-key-file", "DATA_KEY_FILE"),
            ][..],
        ),
        (
            "migrate",
            &[
                ("--data-dir", "DATA_DIR"),
                ("--database-url", "DATABASE_URL"),
                ("--database-owner-url", "DATABASE_OWNER_URL"),
            ][..],
        ),
        (
            "rotate-data-key",
            &[
                ("--data-dir", "DATA_DIR"),
                ("--database-url", "DATABASE_URL"),
                ("--data-key-file", "DATA_KEY_FILE"),
            ][..],
        ),
    ] {
        let out = Command::new(bin())
            .args([cmd, "--help"])
            .output()
            .await
            .expect("help");
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        for (flag, env) in settings {
            assert!(help.contains(flag), "{cmd} --help lacks {flag}");
            assert!(
                help.contains(&format!("env: {env}")),
                "{cmd} --help lacks {env}"
            );
        }
    }
}

/// Creates an administrator (`email`) with the CLI, then an API token for
/// them (asked for as `token_for`, any case), and returns the token.
pub async fn admin_token(data: &Path, email: &str, token_for: &str) -> String {
    let mut create_user = program(
        &[
            "create-user",
            "--email",
            email,
            "--name",
            "Lena Berg",
            "--role",
            "admin",
        ],
        data,
        "C.UTF-8",
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("create-user");
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = create_user.stdin.take().expect("stdin");
        stdin
            .write_all(b"Fjord-Kiez-Laterne-2024\n")
            .await
            .expect("write password");
    }
    let out = create_user
        .wait_with_output()
        .await
        .expect("create-user ran");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(bin())
        .args(["create-token", "--email", token_for, "--label", "test"])
        .arg("--data-dir")
        .arg(data)
        .env_remove("DATABASE_URL")
        .output()
        .await
        .expect("create-token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
