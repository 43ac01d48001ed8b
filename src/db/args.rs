//! The settings every command shares: where the database is. A flag and an
//! environment variable each (clap), read by `main`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// Where the database is and how to reach it; shared by every command.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Folder for the program's own data: the embedded PostgreSQL cluster
    /// lives in `<data-dir>/postgres`.
    #[arg(long, env = "DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,

    /// An external PostgreSQL database (postgres://user:password@host:port/db).
    /// When set, nothing is started and the embedded cluster is not used.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// The role that owns the tables, for the migrations and the
    /// maintenance commands (postgres://owner:password@host:port/db);
    /// `DATABASE_URL` is then the application role's, which answers the
    /// requests with fewer rights (README, "Database roles"). Default:
    /// `DATABASE_URL` does both.
    #[arg(
        long,
        env = "DATABASE_OWNER_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_owner_url: Option<String>,

    /// A read-only copy of the database (a streaming standby,
    /// postgres://...): reports, comparisons, exports and the profile read
    /// from it; everything else uses the primary. Without it, everything
    /// uses the primary.
    #[arg(long, env = "DATABASE_READ_URL", global = true, hide_env_values = true)]
    pub database_read_url: Option<String>,

    /// The data key file: the keys that encrypt the personal details in the
    /// database (README, "Encryption at rest"). Made on first start when
    /// the database holds nothing encrypted yet. Back it up apart from the
    /// database. Default: <data-dir>/data.key.
    #[arg(long, env = "DATA_KEY_FILE", global = true)]
    pub data_key_file: Option<PathBuf>,

    /// Folder holding PostgreSQL's server programs (initdb, postgres) for the
    /// embedded cluster. Default: found on PATH or under /usr/lib/postgresql/*/bin.
    #[arg(long, env = "PG_BIN_DIR", global = true)]
    pub pg_bin_dir: Option<PathBuf>,

    /// Largest number of database connections this process keeps open.
    #[arg(long, env = "DB_POOL_SIZE", default_value_t = 10, global = true)]
    pub db_pool_size: usize,
}

/// How long a request may wait for a database connection before it is
/// answered with 503 (database unavailable).
pub const DB_WAIT_TIMEOUT: Duration = Duration::from_secs(5);

impl DbArgs {
    /// Where the data key file is.
    pub fn key_path(&self) -> PathBuf {
        self.data_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("data.key"))
    }
}
