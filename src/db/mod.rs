//! The database: where it is (an external `DATABASE_URL` or the embedded
//! cluster), the connection pool, and the migrations embedded in the binary.

pub mod local;

use std::path::Path;

use anyhow::{Context, Result};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::{AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::{DB_WAIT_TIMEOUT, DbArgs};
pub use local::{ClusterOptions, Endpoint, LocalCluster};

pub type DbPool = Pool<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;
pub type DbConn = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower()`, for case-insensitive matches that use the
    /// `lower(...)` indexes.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Reads a Rust enum stored as `text` (with a CHECK) through its
/// `parse(&str) -> Option<Self>`. A value the enum does not know is a
/// deserialisation error, hence an internal error (500, logged), never a
/// silent default. The enum also needs `#[derive(diesel::deserialize::FromSqlRow)]`.
#[macro_export]
macro_rules! text_enum_from_sql {
    ($t:ty) => {
        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $t {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let s = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(value)?;
                <$t>::parse(&s).ok_or_else(|| {
                    format!("unknown {} in the database: {s:?}", stringify!($t)).into()
                })
            }
        }
    };
}

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The database a command works on. Holds the embedded cluster, if this
/// process started it, so that it stops when this value is dropped.
#[derive(Debug)]
pub struct Database {
    pub url: String,
    cluster: Option<LocalCluster>,
}

impl Database {
    /// Uses `DATABASE_URL` if set; otherwise starts (or finds) the embedded
    /// cluster under `<data-dir>/postgres`. Blocking: call it from the main
    /// thread before the async runtime starts (see `local`).
    pub fn open(args: &DbArgs) -> Result<Self> {
        if let Some(url) = &args.database_url {
            return Ok(Self {
                url: url.clone(),
                cluster: None,
            });
        }
        let cluster = LocalCluster::start_or_attach(
            &args.data_dir.join("postgres"),
            &ClusterOptions {
                bin_dir: args.pg_bin_dir.clone(),
                unsafe_fast: false,
            },
        )?;
        Ok(Self {
            url: cluster.conninfo(local::DATABASE_NAME),
            cluster: Some(cluster),
        })
    }

    /// Creates the application database in the embedded cluster on first use.
    pub async fn prepare(&self) -> Result<()> {
        if let Some(cluster) = &self.cluster {
            create_database_if_missing(&cluster.conninfo("postgres"), local::DATABASE_NAME).await?;
        }
        Ok(())
    }

    /// Whether this process started the embedded cluster.
    pub fn owns_cluster(&self) -> bool {
        self.cluster.as_ref().is_some_and(LocalCluster::is_owned)
    }

    pub fn cluster_dir(&self) -> Option<&Path> {
        self.cluster.as_ref().map(LocalCluster::dir)
    }

    /// Stops the embedded cluster if this process started it.
    pub fn close(mut self) -> Result<()> {
        match self.cluster.take() {
            Some(mut c) => c.stop(),
            None => Ok(()),
        }
    }
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

/// `CREATE DATABASE name` unless it exists (connecting through `admin_url`).
pub async fn create_database_if_missing(admin_url: &str, name: &str) -> Result<()> {
    let mut conn = AsyncPgConnection::establish(admin_url)
        .await
        .context("cannot connect to PostgreSQL")?;
    let found: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(&mut conn)
            .await?;
    if !found.exists {
        tracing::info!(database = name, "creating the database");
        diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(name)))
            .execute(&mut conn)
            .await?;
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
pub fn pool(url: &str, max_size: usize) -> Result<DbPool> {
    let mut config = diesel_async::pooled_connection::ManagerConfig::default();
    config.recycling_method = diesel_async::pooled_connection::RecyclingMethod::Fast;
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
