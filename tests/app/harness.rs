//! The test harness (architecture.md, "Tests"):
//! - one embedded PostgreSQL cluster per test process, under the system temp
//!   folder (short socket paths; reachable by the `postgres` user when the
//!   tests run as root), started by the program's own `db::local`;
//! - a template database migrated once; each test gets its own database
//!   cloned from it (`CREATE DATABASE ... TEMPLATE`) and dropped at the end;
//! - the real server on 127.0.0.1:0 and a cookie-keeping HTTP client that
//!   does not follow redirects.
//!
//! The cluster is started from a thread that lives as long as the process,
//! so `PR_SET_PDEATHSIG` stops PostgreSQL when the test process ends, even
//! when it crashes. Folders of earlier runs whose process is gone are removed
//! at the next start.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use neighbourhood_mothers::app::{self, AppState};
use neighbourhood_mothers::db::{self, ClusterOptions, Endpoint, LocalCluster};
use reqwest::{Client, Response, redirect};
use serde::Serialize;
use tokio::net::TcpListener;

const TEMPLATE_DB: &str = "nm_template";
const TEMP_PREFIX: &str = "nm-test-";

struct Shared {
    endpoint: Endpoint,
}

static SHARED: OnceLock<Shared> = OnceLock::new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn shared() -> &'static Shared {
    SHARED.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("test-postgres".into())
            .spawn(move || match start_cluster() {
                Ok(cluster) => {
                    let _ = tx.send(Ok(cluster.endpoint().clone()));
                    // Keep the cluster (and this thread, its parent) alive
                    // until the process ends.
                    let _cluster = cluster;
                    loop {
                        std::thread::park();
                    }
                }
                Err(e) => {
                    let _ = tx.send(Err(format!("{e:#}")));
                }
            })
            .expect("spawn the cluster thread");
        let endpoint = rx
            .recv()
            .expect("cluster thread answered")
            .unwrap_or_else(|e| panic!("cannot start the test cluster: {e}"));
        Shared { endpoint }
    })
}

fn start_cluster() -> anyhow::Result<LocalCluster> {
    remove_stale_folders();
    let dir = temp_root().join(format!("{TEMP_PREFIX}{}", std::process::id()));
    let cluster = LocalCluster::start_or_attach(
        &dir.join("pg"),
        &ClusterOptions {
            bin_dir: None,
            unsafe_fast: true,
        },
    )?;
    // The template: migrated once, cloned by every test.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let admin = cluster.conninfo("postgres");
        let mut conn = AsyncPgConnection::establish(&admin).await?;
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {}",
            db::quote_ident(TEMPLATE_DB)
        ))
        .execute(&mut conn)
        .await?;
        db::create_database_if_missing(&admin, TEMPLATE_DB).await?;
        db::run_migrations(&cluster.conninfo(TEMPLATE_DB)).await?;
        anyhow::Ok(())
    })?;
    Ok(cluster)
}

/// The system temp folder, resolved (usually /tmp).
pub fn temp_root() -> PathBuf {
    std::env::temp_dir()
}

/// Removes `nm-test-<pid>` folders whose process has ended.
fn remove_stale_folders() {
    let Ok(entries) = std::fs::read_dir(temp_root()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(TEMP_PREFIX)
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Connection string to the cluster's maintenance database.
pub fn admin_url() -> String {
    shared().endpoint.conninfo("postgres")
}

/// A running server on its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    /// Keeps cookies (like a browser); does not follow redirects.
    pub client: Client,
    pub db_name: String,
    pub db_url: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        let endpoint = shared().endpoint.clone();
        let db_name = format!(
            "test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = AsyncPgConnection::establish(&endpoint.conninfo("postgres"))
            .await
            .expect("connect to the test cluster");
        diesel::sql_query(format!(
            "CREATE DATABASE {} TEMPLATE {}",
            db::quote_ident(&db_name),
            db::quote_ident(TEMPLATE_DB)
        ))
        .execute(&mut admin)
        .await
        .expect("create the test database");
        let db_url = endpoint.conninfo(&db_name);
        let pool = db::pool(&db_url, 4).expect("pool");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(app::serve_on(
            listener,
            AppState::new(pool),
            std::future::pending(),
        ));
        let client = Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            addr,
            client,
            db_name,
            db_url,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("GET failed")
    }

    /// GET, expecting 200, and the JSON body.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.expect("JSON body")
    }

    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST failed")
    }

    pub async fn put_json(&self, path: &str, body: &impl Serialize) -> Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .expect("PUT failed")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.client
            .delete(self.url(path))
            .send()
            .await
            .expect("DELETE failed")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST failed")
    }

    /// A direct connection to this test's database, for arranging and checking.
    pub async fn conn(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.db_url)
            .await
            .expect("connect to the test database")
    }

    /// `SELECT count(*) ...` on this test's database.
    pub async fn count(&self, sql: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let c: Count = diesel::sql_query(format!("SELECT ({sql}) AS n"))
            .get_result(&mut self.conn().await)
            .await
            .expect("count query");
        c.n
    }

    /// Runs SQL on the cluster's maintenance database (e.g. to cut this
    /// test's database off).
    pub async fn admin_sql(&self, sql: &str) {
        let mut admin = AsyncPgConnection::establish(&admin_url())
            .await
            .expect("admin connection");
        diesel::sql_query(sql)
            .execute(&mut admin)
            .await
            .expect("admin statement");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Drop is synchronous and may run while a test panics: drop the
        // database from a thread with its own small runtime.
        let name = self.db_name.clone();
        let url = admin_url();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = AsyncPgConnection::establish(&url).await {
                    let _ = diesel::sql_query(format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        db::quote_ident(&name)
                    ))
                    .execute(&mut conn)
                    .await;
                }
            });
        })
        .join();
    }
}
