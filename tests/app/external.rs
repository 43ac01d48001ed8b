//! Server processes on a database of their own (`--database-url`), for
//! the tests that need real processes: a streaming standby (`standby`)
//! and two instances on one database (`processes`).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use neighbourhood_mothers::db::{self, ClusterOptions, LocalCluster, roles};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use crate::cli::bin;
use crate::harness::temp_root;

pub const DB: &str = "neighbourhood_mothers";
pub const EMAIL: &str = "ines@example.org";
pub const PASSWORD: &str = "Fjord-Kiez-Laterne-2024";

/// A PostgreSQL program next to `initdb` (PATH, then the Debian folders).
pub fn pg_program(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.exists());
    on_path
        .or_else(|| {
            let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path().join("bin").join(name))
                .filter(|p| p.exists())
                .collect();
            found.sort();
            found.pop()
        })
        .unwrap_or_else(|| panic!("{name} not found"))
}

/// The flags that run the program on the database at `url` (the
/// superuser's, as a test holds it) as a deployment would: the requests as
/// the application role, the migrations and commands as the owner.
fn as_roles(url: &str) -> [String; 4] {
    let superuser = "user='postgres'";
    let role = |r: &str| url.replace(superuser, &format!("user='{r}'"));
    [
        "--database-url".into(),
        role(roles::APP),
        "--database-owner-url".into(),
        role(roles::OWNER),
    ]
}

/// The data key file of the cluster whose connection string is `url`:
/// beside its folder (the processes on one cluster share it, as the
/// servers of one installation must).
pub fn key_for(url: &str) -> PathBuf {
    let host = url
        .split("host='")
        .nth(1)
        .and_then(|h| h.split('\'').next())
        .unwrap_or(".");
    let dir = std::path::Path::new(host);
    dir.parent().unwrap_or(dir).join("data.key")
}

/// The program with `args` on the database at `url` (its output).
pub async fn run(args: &[&str], url: &str, stdin: Option<&str>) -> String {
    let mut child = Command::new(bin())
        .args(args)
        .args(as_roles(url))
        .arg("--data-key-file")
        .arg(key_for(url))
        .env("LANG", "C.UTF-8")
        .env("LOG_LEVEL", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the program");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.expect("stdin");
    }
    drop(input);
    let out = child.wait_with_output().await.expect("ran");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `serve` on the primary (and the standby for reads); its URL.
pub async fn serve(primary: &str, standby: Option<&str>) -> (Child, String) {
    serve_with(primary, standby, "warn", Stdio::inherit()).await
}

/// `serve` as [`serve`], logging at `level` to `log`.
pub async fn serve_with(
    primary: &str,
    standby: Option<&str>,
    level: &str,
    log: Stdio,
) -> (Child, String) {
    let mut cmd = Command::new(bin());
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .args(as_roles(primary))
        .arg("--data-key-file")
        .arg(key_for(primary))
        .env("LANG", "C.UTF-8")
        .env("LOG_LEVEL", level)
        .env_remove("DATABASE_READ_URL")
        .stdout(Stdio::piped())
        .stderr(log)
        .kill_on_drop(true);
    if let Some(url) = standby {
        cmd.args(["--database-read-url", &as_roles(url)[1]]);
    }
    let mut child = cmd.spawn().expect("start the server");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let url = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("stdout") {
            if let Some(url) = line.strip_prefix("Listening on ") {
                return url.to_owned();
            }
        }
        panic!("the server exited without listening");
    })
    .await
    .expect("the server started");
    // Keep reading, so that the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, url)
}

pub async fn connect(url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(url).await.expect("connect")
}

#[derive(diesel::QueryableByName)]
pub struct Num {
    #[diesel(sql_type = BigInt)]
    pub v: i64,
}

pub async fn num(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Num>(conn)
        .await
        .expect(sql)
        .v
}

/// Removes the folder at the end (the clusters stop first: they are
/// dropped before it, being declared after it).
pub struct Folder(pub PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh cluster in a folder of its own under the temp folder, with
/// the program's database made (not migrated: the program does that);
/// the folder, the cluster and the database's connection string.
pub async fn fresh_primary(tag: &str) -> (Folder, LocalCluster, String) {
    let root = Folder(temp_root().join(format!("nm-{tag}-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&root.0);
    let primary = LocalCluster::start_or_attach(&root.0.join("primary"), &fast()).expect("primary");
    // The roles and the database as the embedded default makes them; the
    // processes connect as the owner and the application role (`as_roles`).
    db::prepare_embedded(primary.endpoint(), DB)
        .await
        .expect("database");
    let url = primary.conninfo(DB);
    (root, primary, url)
}

/// Throw-away clusters: no fsync.
pub fn fast() -> ClusterOptions {
    ClusterOptions {
        bin_dir: None,
        unsafe_fast: true,
    }
}

/// An administrator (`EMAIL`, `PASSWORD`) made with the command line, and
/// an API token of theirs.
pub async fn admin_with_token(url: &str) -> String {
    run(
        &[
            "create-user",
            "--email",
            EMAIL,
            "--name",
            "Ines",
            "--role",
            "admin",
        ],
        url,
        Some(&format!("{PASSWORD}\n")),
    )
    .await;
    run(
        &["create-token", "--email", EMAIL, "--label", "test"],
        url,
        None,
    )
    .await
    .trim()
    .to_owned()
}
