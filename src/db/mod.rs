//! The database: where it is (an external `DATABASE_URL` or the embedded
//! cluster), the connection pool, and the migrations embedded in the binary.

pub mod args;
mod count;
pub mod local;
mod postmaster;
pub mod roles;
pub mod supervise;
mod text_enum;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use args::{DB_WAIT_TIMEOUT, DbArgs};
pub use count::CountRows;
pub use local::{ClusterOptions, Endpoint, LocalCluster};
pub use supervise::{ClusterUsers, SupervisedCluster};

pub type DbPool = Pool<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;
type Pooled = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;

thread_local! {
    /// Set while a request's future is dropped at its time limit.
    static CANCELLING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A pooled connection. A request cut at its time limit may hold one in
/// the middle of a query (waiting for a lock, say): such a connection is
/// closed instead of going back to the pool, where the next request would
/// wait behind the abandoned query. diesel-async cannot tell, so the request
/// layer says so through [`drop_cancelled`].
pub struct DbConn(Option<Pooled>);

impl DbConn {
    /// A connection from `pool`.
    pub async fn get(pool: &DbPool) -> Result<Self, PoolError> {
        Ok(Self(Some(pool.get().await?)))
    }
}

impl std::ops::Deref for DbConn {
    type Target = AsyncPgConnection;

    fn deref(&self) -> &AsyncPgConnection {
        // Always Some until dropped.
        self.0.as_deref().unwrap_or_else(|| unreachable!())
    }
}

impl std::ops::DerefMut for DbConn {
    fn deref_mut(&mut self) -> &mut AsyncPgConnection {
        self.0.as_deref_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for DbConn {
    fn drop(&mut self) {
        if CANCELLING.with(std::cell::Cell::get)
            && let Some(conn) = self.0.take()
        {
            // Out of the pool, and closed when dropped here.
            drop(Pooled::take(conn));
        }
    }
}

/// Drops `work` (a request's future cut at its time limit) so that the
/// connections it holds are closed rather than returned to the pool.
pub fn drop_cancelled<T>(work: T) {
    CANCELLING.with(|c| c.set(true));
    drop(work);
    CANCELLING.with(|c| c.set(false));
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower()`, for case-insensitive matches that use the
    /// `lower(...)` indexes.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The database a command works on. Holds the embedded cluster, if this
/// process started it, so that it stops when this value is dropped.
#[derive(Debug)]
pub struct Database {
    /// The owner's connection: migrations and the maintenance commands.
    pub url: String,
    /// The application role's connection: the server's requests
    /// (`db::roles`). The same as `url` when one role does both.
    pub app_url: String,
    cluster: Option<Cluster>,
    /// Declared after `cluster`: released only once the cluster has stopped.
    users: Option<ClusterUsers>,
}

/// The embedded cluster: plain for the short CLI commands, supervised (and
/// started again when it goes away) for `serve`.
#[derive(Debug)]
enum Cluster {
    Plain(LocalCluster),
    Supervised(SupervisedCluster),
}

impl Cluster {
    fn endpoint(&self) -> &Endpoint {
        match self {
            Self::Plain(c) => c.endpoint(),
            Self::Supervised(c) => c.endpoint(),
        }
    }

    fn dir(&self) -> &Path {
        match self {
            Self::Plain(c) => c.dir(),
            Self::Supervised(c) => c.dir(),
        }
    }

    fn is_owned(&self) -> bool {
        match self {
            Self::Plain(c) => c.is_owned(),
            Self::Supervised(c) => c.is_owned(),
        }
    }

    fn stop(&mut self) -> Result<()> {
        match self {
            Self::Plain(c) => c.stop(),
            Self::Supervised(c) => c.stop(),
        }
    }
}

impl Database {
    /// Uses `DATABASE_URL` if set; otherwise starts (or finds) the embedded
    /// cluster under `<data-dir>/postgres`. With `supervise` (for `serve`), a
    /// supervisor thread starts it and starts it again whenever it goes
    /// away; without, it is started here. Blocking: call it from the main
    /// thread before the async runtime starts (see `local`).
    pub fn open(args: &DbArgs, supervise: bool) -> Result<Self> {
        if let Some(url) = &args.database_url {
            return Ok(Self {
                url: args
                    .database_owner_url
                    .clone()
                    .unwrap_or_else(|| url.clone()),
                app_url: url.clone(),
                cluster: None,
                users: None,
            });
        }
        let users = ClusterUsers::register(&args.data_dir.join("postgres.users"))?;
        let dir = args.data_dir.join("postgres");
        let opts = ClusterOptions {
            bin_dir: args.pg_bin_dir.clone(),
            unsafe_fast: false,
        };
        let cluster = if supervise {
            Cluster::Supervised(SupervisedCluster::start(&dir, opts)?)
        } else {
            Cluster::Plain(LocalCluster::start_or_attach(&dir, &opts)?)
        };
        let endpoint = cluster.endpoint();
        Ok(Self {
            url: endpoint.conninfo_as(local::DATABASE_NAME, roles::OWNER),
            app_url: endpoint.conninfo_as(local::DATABASE_NAME, roles::APP),
            cluster: Some(cluster),
            users: Some(users),
        })
    }

    /// In the embedded cluster: creates the owner and application roles
    /// and the application database on first use, and hands a database
    /// made before the roles to the owner (`db::roles`).
    pub async fn prepare(&self) -> Result<()> {
        if let Some(cluster) = &self.cluster {
            prepare_embedded(cluster.endpoint(), local::DATABASE_NAME).await?;
        }
        Ok(())
    }

    /// Applies the migrations that have not run yet, as the owner, and
    /// gives the application role its rights; returns the migrations'
    /// names. Warns when the requests would run as a superuser.
    pub async fn migrate(&self) -> Result<Vec<String>> {
        migrate(&self.url, &self.app_url).await
    }

    /// Whether this process runs the embedded cluster (at the moment: a
    /// supervised one may be restarted by another process).
    pub fn owns_cluster(&self) -> bool {
        self.cluster.as_ref().is_some_and(Cluster::is_owned)
    }

    pub fn cluster_dir(&self) -> Option<&Path> {
        self.cluster.as_ref().map(Cluster::dir)
    }

    /// Stops the embedded cluster if this process runs it. If other
    /// processes still use it, their supervisors start it again (a postmaster
    /// cannot outlive the process that started it, see `supervise`).
    pub fn close(mut self) -> Result<()> {
        let last = self.users.as_ref().is_none_or(ClusterUsers::is_last);
        match self.cluster.take() {
            Some(mut c) => {
                if c.is_owned() && !last {
                    tracing::info!(
                        "other processes still use the embedded PostgreSQL; it stops now and one of them starts it again"
                    );
                }
                c.stop()
            }
            None => Ok(()),
        }
    }
}

/// [`Database::migrate`] for the owner's connection `url` and the
/// application role's `app_url`.
pub async fn migrate(url: &str, app_url: &str) -> Result<Vec<String>> {
    let applied = run_migrations(url).await?;
    let mut app = AsyncPgConnection::establish(app_url)
        .await
        .context("cannot connect to the database")?;
    let (app_role, superuser) = roles::whoami(&mut app).await?;
    if superuser {
        tracing::warn!(
            role = app_role,
            "the requests run as a database superuser; give them a role of their own (README, \"Database roles\")"
        );
    }
    let mut owner = AsyncPgConnection::establish(url)
        .await
        .context("cannot connect to the database as its owner")?;
    roles::grant_app(&mut owner, &app_role).await?;
    Ok(applied)
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

/// The two roles, the database `name` (unless it exists) and its hand-over
/// to the owner, as the embedded cluster's superuser.
pub async fn prepare_embedded(endpoint: &Endpoint, name: &str) -> Result<()> {
    let mut conn = AsyncPgConnection::establish(&endpoint.conninfo("postgres"))
        .await
        .context("cannot connect to PostgreSQL")?;
    roles::create_roles(&mut conn).await?;
    create_database_if_missing(&mut conn, name).await?;
    let mut conn = AsyncPgConnection::establish(&endpoint.conninfo(name))
        .await
        .context("cannot connect to PostgreSQL")?;
    roles::hand_to_owner(&mut conn, name).await
}

/// `CREATE DATABASE name` unless it exists, owned by the owner role
/// (`conn`: the superuser's).
async fn create_database_if_missing(conn: &mut AsyncPgConnection, name: &str) -> Result<()> {
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(conn)
            .await?;
    if !found.exists {
        tracing::info!(database = name, "creating the database");
        let created = diesel::sql_query(format!(
            "CREATE DATABASE {} OWNER {}",
            quote_ident(name),
            quote_ident(roles::OWNER)
        ))
        .execute(conn)
        .await;
        // Another process starting at the same moment may have made it.
        if let Err(e) = created
            && !e.to_string().contains("already exists")
        {
            return Err(e.into());
        }
    }
    Ok(())
}

/// Quotes an SQL identifier (for the few statements that take no bind parameters).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Applies the migrations that have not run yet; returns their names.
/// Needs the multi-thread runtime (the harness uses `block_in_place`).
pub async fn run_migrations(url: &str) -> Result<Vec<String>> {
    let conn = AsyncPgConnection::establish(url)
        .await
        .context("cannot connect to the database")?;
    let mut harness = AsyncMigrationHarness::new(conn);
    let applied = harness
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// The connection pool. Connections are made lazily. A connection is not
/// pinged before each reuse (that cost a round trip per checkout, two per
/// request, in the benchmark): one that the database closed is known as
/// closed and replaced, so the pool rides out an outage and recovers by
/// itself.
///
/// Each connection runs without parallel workers and without JIT
/// compilation: the requests are many and small; starting workers cost a
/// report 5 ms a statement (for a statement that then took under 1 ms),
/// besides taking the cores other requests wait for, and compiling cost a
/// report's statement 19 ms at ten million visits (for 0.5 ms of work),
/// whenever the planner's estimate for the months still to recount passed
/// `jit_above_cost`.
///
/// No statement runs much longer than `request_timeout` (the request time
/// limit; a second more, so that the request's own limit answers first):
/// PostgreSQL does not notice that the connection of a request cut at its
/// limit was closed until it sends the result, so the cut statement would
/// otherwise go on taking a core, and many of them pile up. The roll-up
/// worker lifts it for its own transactions.
pub fn pool(url: &str, max_size: usize, request_timeout: Duration) -> Result<DbPool> {
    let setup = format!(
        "SET max_parallel_workers_per_gather = 0; SET jit = off; SET statement_timeout = {}",
        (request_timeout + Duration::from_secs(1)).as_millis()
    );
    let mut config = diesel_async::pooled_connection::ManagerConfig::default();
    config.recycling_method = diesel_async::pooled_connection::RecyclingMethod::Fast;
    config.custom_setup = Box::new(move |url| {
        let setup = setup.clone();
        Box::pin(async move {
            use diesel_async::{AsyncConnection, SimpleAsyncConnection};
            let mut conn = AsyncPgConnection::establish(url).await?;
            conn.batch_execute(&setup)
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Pool::builder(manager)
        .max_size(max_size)
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(DB_WAIT_TIMEOUT))
        .create_timeout(Some(DB_WAIT_TIMEOUT))
        .recycle_timeout(Some(DB_WAIT_TIMEOUT))
        .build()
        .context("cannot build the connection pool")
}

/// What the administrator's home page says of the database.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct DbStats {
    /// The database's size on disk, e.g. "84 MB".
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub size: String,
    /// The server's version, e.g. "15.14".
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub version: String,
    /// Connections to this database now (all clients).
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub connections: i64,
}

impl DbStats {
    pub async fn read(conn: &mut diesel_async::AsyncPgConnection) -> diesel::QueryResult<DbStats> {
        use diesel_async::RunQueryDsl;
        diesel::sql_query(
            "SELECT pg_size_pretty(pg_database_size(current_database())) AS size,
                    current_setting('server_version') AS version,
                    (SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database()) AS connections",
        )
        .get_result(conn)
        .await
    }
}
