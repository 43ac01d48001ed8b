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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use neighbourhood_mothers::app::{self, AppState, Settings};
use neighbourhood_mothers::auth::Role;
use neighbourhood_mothers::auth::model::UserData;
use neighbourhood_mothers::auth::password::{self, Secret};
use neighbourhood_mothers::db::{self, ClusterOptions, Endpoint, LocalCluster, roles};
use reqwest::cookie::Jar;
use reqwest::{Client, Response, redirect};
use serde::Serialize;
use serde_json::{Value, json};
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
        // As the program itself would have it: tables owned by the owner
        // role, the server on the application role (`db::roles`), so that
        // every test runs with the rights a deployment has.
        let endpoint = cluster.endpoint();
        db::prepare_embedded(endpoint, TEMPLATE_DB).await?;
        let owner = endpoint.conninfo_as(TEMPLATE_DB, roles::OWNER);
        db::migrate(&owner, &endpoint.conninfo_as(TEMPLATE_DB, roles::APP)).await?;
        // One data key for the test process, known to every test database.
        let _ = std::fs::remove_file(key_file());
        let mut conn = AsyncPgConnection::establish(&owner).await?;
        neighbourhood_mothers::crypto::registry::open(&mut conn, &key_file()).await?;
        anyhow::Ok(())
    })?;
    Ok(cluster)
}

/// The test process's data key file (`crypto`): every in-process server
/// seals with it, and a command run on a test's database is given it.
pub fn key_file() -> PathBuf {
    temp_root()
        .join(format!("{TEMP_PREFIX}{}", std::process::id()))
        .join("data.key")
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
/// The password the mothers of [`TestApp::mother_agent`] choose.
pub const MOTHER_PASSWORD: &str = "Fenster-Kiez-Brunnen-77";

pub fn admin_url() -> String {
    shared().endpoint.conninfo("postgres")
}

/// The password every test user gets.
pub const PASSWORD: &str = "Kiez-Teekanne-Rollberg-47";

/// A client of the test server: its own cookie jar (session) and, once
/// signed in, the session's CSRF token sent as `X-CSRF-Token`.
pub struct Agent {
    base: String,
    /// Sends the CSRF header (when signed in); keeps cookies; no redirects.
    pub client: Client,
    /// The same cookies, without the CSRF header.
    pub bare: Client,
    pub jar: Arc<Jar>,
    pub csrf: Option<String>,
    pub user_id: Option<i64>,
    /// The email signed in with.
    pub email: String,
}

impl Agent {
    /// The same client (cookies, CSRF header, who is signed in) talking to
    /// another server: a second instance on the same database.
    pub fn at(&self, addr: SocketAddr) -> Agent {
        self.on(&format!("http://{addr}"))
    }

    /// The same client talking to the server at `base` (`http://host:port`).
    pub fn on(&self, base: &str) -> Agent {
        Agent {
            base: base.to_owned(),
            client: self.client.clone(),
            bare: self.bare.clone(),
            jar: self.jar.clone(),
            csrf: self.csrf.clone(),
            user_id: self.user_id,
            email: self.email.clone(),
        }
    }
}

impl Agent {
    pub fn new(base: String) -> Self {
        let jar = Arc::new(Jar::default());
        let bare = client(&jar, None);
        Self {
            base,
            client: bare.clone(),
            bare,
            jar,
            csrf: None,
            user_id: None,
            email: String::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs in through the login form; afterwards every request carries
    /// the session's CSRF token.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        let html = self.get("/login").await.text().await.expect("login page");
        let token = hidden_field(&html, "csrf_token").expect("csrf_token on the login page");
        let res = self
            .bare
            .post(self.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("POST /login");
        if res.status() == 303 && !leads_to_code(&res) {
            self.adopt_session().await;
        }
        res
    }

    /// The second step of signing in (after `sign_in` led to
    /// `/login/code`): the code through its form.
    pub async fn enter_code(&mut self, code: &str) -> Response {
        let page = self.get("/login/code").await;
        if page.status() != 200 {
            // No sign-in waits for a code (any more).
            return page;
        }
        let html = page.text().await.expect("code page");
        let token = hidden_field(&html, "csrf_token").expect("csrf_token on the code page");
        let res = self
            .bare
            .post(self.url("/login/code"))
            .form(&[("csrf_token", token.as_str()), ("code", code)])
            .send()
            .await
            .expect("POST /login/code");
        if res.status() == 303 && !leads_to_code(&res) && location(&res) != "/login" {
            self.adopt_session().await;
        }
        res
    }

    /// After signing in: the session's user and CSRF token, which every
    /// later request carries.
    async fn adopt_session(&mut self) {
        let session: serde_json::Value = self.get_json("/api/v1/session").await;
        let csrf = session["csrf_token"]
            .as_str()
            .expect("csrf token")
            .to_owned();
        self.client = client(&self.jar, Some(&csrf));
        self.csrf = Some(csrf);
        self.user_id = session["user"]["id"].as_i64();
        self.email = session["user"]["email"].as_str().unwrap_or("").to_owned();
    }

    /// Accepts an invitation's code through the `/join` form, choosing
    /// `password`; afterwards every request carries the session's CSRF
    /// token (as after `sign_in`).
    pub async fn join(&mut self, code: &str, password: &str) -> Response {
        let html = self
            .get(&format!("/join/{code}"))
            .await
            .text()
            .await
            .expect("join page");
        let token = hidden_field(&html, "csrf_token").expect("csrf_token on the join page");
        let res = self
            .bare
            .post(self.url("/join"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("code", code),
                ("new", password),
                ("confirm", password),
            ])
            .send()
            .await
            .expect("POST /join");
        if res.status() == 303 {
            self.adopt_session().await;
        }
        res
    }

    pub async fn get(&self, path: &str) -> Response {
        let res = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("GET failed");
        observe("GET", path, &res, false);
        res
    }

    /// GET, expecting 200, and the JSON body.
    /// A volunteer mother ("M") of `programme`, active since `since`; her id.
    pub async fn active_mother(&self, programme: i64, since: &str) -> i64 {
        let m = self
            .create(
                "/api/v1/mothers",
                &serde_json::json!({"programme_id": programme, "full_name": "M", "phone": "1",
                        "gender": "female", "engagement": "volunteer", "joined_on": since}),
            )
            .await;
        let res = self
            .post_json(
                &format!("/api/v1/mothers/{m}/status"),
                &serde_json::json!({"status": "active", "changed_on": since}),
            )
            .await;
        assert_eq!(res.status(), 200, "activate mother {m}");
        m
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.expect("JSON body")
    }

    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> Response {
        let res = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("POST failed");
        let bulk = serde_json::to_value(body).is_ok_and(|b| b.is_array());
        observe("POST", path, &res, bulk);
        res
    }

    pub async fn put_json(&self, path: &str, body: &impl Serialize) -> Response {
        let res = self
            .client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .expect("PUT failed");
        let bulk = serde_json::to_value(body).is_ok_and(|b| b.is_array());
        observe("PUT", path, &res, bulk);
        res
    }

    pub async fn patch_json(&self, path: &str, body: &impl Serialize) -> Response {
        let res = self
            .client
            .patch(self.url(path))
            .json(body)
            .send()
            .await
            .expect("PATCH failed");
        let bulk = serde_json::to_value(body).is_ok_and(|b| b.is_array());
        observe("PATCH", path, &res, bulk);
        res
    }

    pub async fn delete(&self, path: &str) -> Response {
        let res = self
            .client
            .delete(self.url(path))
            .send()
            .await
            .expect("DELETE failed");
        observe("DELETE", path, &res, false);
        res
    }

    /// POSTs `body` to `path`, expects 201 and returns the new record's id.
    pub async fn create(&self, path: &str, body: &impl Serialize) -> i64 {
        expect_json(self.post_json(path, body).await, 201).await["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("POST {path}: an id"))
    }

    /// POSTs a form with the `csrf_token` field, as a browser does.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        if let Some(t) = &self.csrf {
            fields.push(("csrf_token", t.as_str()));
        }
        self.bare
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .expect("POST failed")
    }
}

fn location(res: &Response) -> &str {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
}

/// A sign-in that waits for its second factor's code.
fn leads_to_code(res: &Response) -> bool {
    location(res) == "/login/code"
}

fn client(jar: &Arc<Jar>, csrf: Option<&str>) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    // The tests read English; a programme's default language (a Danish
    // programme's pages in Danish) is tested on its own, without this.
    headers.insert("accept-language", "en".parse().expect("header value"));
    if let Some(t) = csrf {
        headers.insert("x-csrf-token", t.parse().expect("header value"));
    }
    Client::builder()
        .cookie_provider(jar.clone())
        .default_headers(headers)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

/// Checks a response's status and returns its body as JSON (a body that is
/// not JSON comes back as a JSON string); on another status the assertion
/// shows the body.
pub async fn expect_json(res: Response, status: u16) -> Value {
    let code = res.status().as_u16();
    let text = res.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    assert_eq!(code, status, "{body}");
    body
}

/// The JSON for a new programme named `name` (Berlin, EUR, German, since
/// 2004).
pub fn programme_json(name: &str) -> Value {
    json!({"name": name, "city": "Berlin", "country": "DE", "currency": "EUR",
           "default_language": "de", "start_date": "2004-01-01"})
}

/// The value of a hidden form field in a page.
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &html[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// A running server on its own database, with a signed-in admin as the
/// default agent (`app.get(...)` and friends).
/// A second server on a test's database; stops when dropped.
pub struct Instance {
    pub addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub db_name: String,
    /// This test's database as the cluster's superuser, for arranging and
    /// checking.
    pub db_url: String,
    /// This test's database as the application role, as the server uses it.
    pub app_url: String,
    admin: Agent,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl std::ops::Deref for TestApp {
    type Target = Agent;

    fn deref(&self) -> &Agent {
        &self.admin
    }
}

impl std::ops::DerefMut for TestApp {
    fn deref_mut(&mut self) -> &mut Agent {
        &mut self.admin
    }
}

impl TestApp {
    /// A server with a signed-in administrator.
    pub async fn spawn() -> Self {
        Self::spawn_signed_in(Settings::default()).await
    }

    /// A server with these settings and a signed-in administrator.
    pub async fn spawn_signed_in(settings: Settings) -> Self {
        let mut app = Self::spawn_with(settings).await;
        app.sign_in_admin().await;
        app
    }

    /// A server with no user and a client that is not signed in.
    pub async fn spawn_anonymous() -> Self {
        Self::spawn_with(Settings::default()).await
    }

    /// Like `spawn_anonymous`, with other settings.
    pub async fn spawn_with(settings: Settings) -> Self {
        Self::spawn_with_pool(settings, 4).await
    }

    /// Like `spawn_with`, with a pool of `pool_size` connections.
    pub async fn spawn_with_pool(settings: Settings, pool_size: usize) -> Self {
        Self::spawn_full(settings, pool_size, None).await
    }

    /// A server whose reports read through a second pool: the same
    /// database with every transaction read-only and the application name
    /// `read_as` (as a streaming standby would be, without the lag).
    pub async fn spawn_with_read_copy(read_as: &str) -> Self {
        let mut app = Self::spawn_full(Settings::default(), 4, Some(read_as)).await;
        app.sign_in_admin().await;
        app
    }

    /// Creates the administrator and signs the app's client in as them.
    async fn sign_in_admin(&mut self) {
        let email = "admin@test.example";
        self.create_user(email, Role::Admin, &[]).await;
        let res = self.admin.sign_in(email, PASSWORD).await;
        assert_eq!(res.status(), 303, "admin sign-in");
    }

    async fn spawn_full(settings: Settings, pool_size: usize, read_as: Option<&str>) -> Self {
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
            "CREATE DATABASE {} TEMPLATE {} OWNER {}",
            db::quote_ident(&db_name),
            db::quote_ident(TEMPLATE_DB),
            db::quote_ident(roles::OWNER)
        ))
        .execute(&mut admin)
        .await
        .expect("create the test database");
        let db_url = endpoint.conninfo(&db_name);
        let app_url = endpoint.conninfo_as(&db_name, roles::APP);
        let pool = db::pool(&app_url, pool_size, settings.request_timeout).expect("pool");
        let read_pool = read_as.map(|name| {
            let url = format!(
                "{app_url} options='-c default_transaction_read_only=on' application_name={name}"
            );
            db::pool(&url, pool_size, settings.request_timeout).expect("read pool")
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app::serve_on(
            listener,
            AppState::with_read_pool(pool, read_pool, settings),
            async move {
                let _ = stopped.await;
            },
        ));
        Self {
            addr,
            db_name,
            db_url,
            app_url,
            admin: Agent::new(format!("http://{addr}")),
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// A second server on this test's database (as a second instance
    /// behind a load balancer), running until the returned handle drops.
    pub async fn second_instance(&self) -> Instance {
        let pool = db::pool(&self.app_url, 4, Settings::default().request_timeout).expect("pool");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app::serve_on(
            listener,
            AppState::new(pool, Settings::default()),
            async move {
                let _ = stopped.await;
            },
        ));
        Instance { addr, _stop: stop }
    }

    /// Sends the server its shutdown signal; the handle ends when it stops.
    pub fn shut_down(&mut self) -> tokio::task::JoinHandle<anyhow::Result<()>> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.server.take().expect("the server runs")
    }

    /// A new client that is not signed in.
    pub fn anonymous(&self) -> Agent {
        Agent::new(format!("http://{}", self.addr))
    }

    /// Creates a user (password [`PASSWORD`]) directly in the database.
    pub async fn create_user(&self, email: &str, role: Role, programmes: &[i64]) -> i64 {
        let hash = password::hash(Secret::new(PASSWORD)).await.expect("hash");
        let data = UserData {
            email: email.to_owned(),
            display_name: email.split('@').next().unwrap_or(email).to_owned(),
            role,
            programme_ids: programmes.to_vec(),
            language: None,
        };
        neighbourhood_mothers::auth::ops::create_user(
            &mut self.conn().await,
            None,
            &data,
            &hash,
            false,
        )
        .await
        .expect("create user")
        .id
        .0
    }

    /// A client signed in as a new user of `role` in `programmes`.
    pub async fn with_user(&self, role: Role, programmes: &[i64]) -> Agent {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let email = format!("{}{n}@test.example", role.as_str());
        self.create_user(&email, role, programmes).await;
        let mut agent = self.anonymous();
        let res = agent.sign_in(&email, PASSWORD).await;
        assert_eq!(res.status(), 303, "{email} signs in");
        agent
    }

    /// A client signed in as the mother `mother` herself: invited by the
    /// administrator, her password chosen through `/join`.
    pub async fn mother_agent(&self, mother: i64) -> Agent {
        let invited = expect_json(
            self.post_json(&format!("/api/v1/mothers/{mother}/invitation"), &json!({}))
                .await,
            201,
        )
        .await;
        let code = invited["code"].as_str().expect("code");
        let mut agent = self.anonymous();
        let res = agent.join(code, MOTHER_PASSWORD).await;
        assert_eq!(res.status(), 303, "the mother joins");
        agent
    }

    /// Creates a programme named `name` ([`programme_json`]) as the
    /// administrator and returns its id.
    pub async fn programme(&self, name: &str) -> i64 {
        self.create("/api/v1/programmes", &programme_json(name))
            .await
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

    /// Runs SQL on this test's database.
    pub async fn sql(&self, sql: &str) {
        diesel::sql_query(sql)
            .execute(&mut self.conn().await)
            .await
            .expect("statement");
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

/// Checks an API answer against the OpenAPI document (`contract`).
pub fn observe(method: &str, path: &str, res: &Response, bulk: bool) {
    crate::contract::observe(
        method,
        path,
        res.status().as_u16(),
        res.headers().contains_key("location"),
        bulk,
    );
}
