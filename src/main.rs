//! The command line: parses it and runs `serve` or `migrate` (here) or
//! one of the commands in `cli/` (`create-user`, `create-token`, `generate`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tokio::net::TcpListener;

use neighbourhood_mothers::app::{self, AppState};
use neighbourhood_mothers::cli::create_token::{self, CreateTokenArgs};
use neighbourhood_mothers::cli::create_user::{self, CreateUserArgs, first_admin};
use neighbourhood_mothers::cli::generate::{self, GenerateArgs};
use neighbourhood_mothers::cli::import::{self, ImportArgs};
use neighbourhood_mothers::cli::retention::{self, RetentionArgs};
use neighbourhood_mothers::cli::rotate_data_key::{self, RotateDataKeyArgs};
use neighbourhood_mothers::config::ServeArgs;
use neighbourhood_mothers::crypto;
use neighbourhood_mothers::db::{self, Database, DbArgs};

#[derive(Debug, Parser)]
#[command(
    name = "neighbourhood-mothers",
    version,
    about = "The case manager for neighbourhood-mothers programmes"
)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,

    /// Log filter: a level (error, warn, info, debug, trace) or directives
    /// such as `info,neighbourhood_mothers=debug`.
    #[arg(long, env = "LOG_LEVEL", default_value = "info", global = true)]
    log_level: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (applies pending migrations first). Without
    /// DATABASE_URL it starts its own PostgreSQL under <data-dir>/postgres.
    /// With no user yet, it creates the first administrator and prints a
    /// one-time password.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a user; reads the password from standard input
    /// (`printf '%s\n' "$PW" | neighbourhood-mothers create-user ...`).
    CreateUser(CreateUserArgs),
    /// Create an API token for a user and print it (once).
    CreateToken(CreateTokenArgs),
    /// Fill the database with realistic synthetic programmes (for trying
    /// the tool and for benchmarks); `--preset demo` makes a small demo set
    /// with one user per role.
    Generate(GenerateArgs),
    /// List whose personal details the programmes' retention periods make
    /// due for erasure today (`--dry-run`, the default), or erase them
    /// (`--apply`), as the server's daily job does.
    Retention(RetentionArgs),
    /// Import a CSV or XLSX file of visits, mothers or families into a programme:
    /// every row or none; `--dry-run` checks and saves nothing.
    Import(ImportArgs),
    /// Make a new data key and encrypt every personal detail anew with it,
    /// while the servers keep running (they must read the same key file).
    RotateDataKey(RotateDataKeyArgs),
}

fn main() -> ExitCode {
    neighbourhood_mothers::alloc::tune();
    let cli = Cli::parse();
    neighbourhood_mothers::app::init_log(&cli.log_level);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    // The embedded cluster is started here, on the main thread, which lives
    // as long as the process (see db::local on PR_SET_PDEATHSIG); for
    // `serve`, by a supervisor thread that lives as long and starts it again
    // whenever it goes away (see db::supervise).
    let supervise = matches!(cli.command, Command::Serve(_));
    let database = Database::open(&cli.db, supervise)?;
    if let Some(dir) = database.cluster_dir() {
        if database.owns_cluster() {
            eprintln!("Started the embedded PostgreSQL in {}", dir.display());
        } else {
            eprintln!(
                "Using the embedded PostgreSQL already running in {}",
                dir.display()
            );
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        database.prepare().await?;
        let keys = cli.db.key_path();
        match cli.command {
            Command::Serve(args) => serve(&database, &cli.db, &args).await,
            Command::Migrate => migrate(&database).await,
            Command::Generate(args) => generate::run(&database, &keys, &args).await,
            Command::RotateDataKey(args) => rotate_data_key::run(&database, &keys, &args).await,
            command => {
                open_keys(&database, &keys).await?;
                match command {
                    Command::CreateUser(args) => create_user::run(&database, &args).await,
                    Command::CreateToken(args) => create_token::run(&database, &args).await,
                    Command::Retention(args) => retention::run(&database, &args).await,
                    Command::Import(args) => import::run(&database, &args).await,
                    _ => unreachable!("handled above"),
                }
            }
        }
    });
    // Close every connection before PostgreSQL stops; work still running on
    // blocking threads (an export cut at the shutdown deadline) gets 5 s.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    let stopped = database.close();
    result.and(stopped)
}

async fn migrate(database: &Database) -> Result<()> {
    let applied = database.migrate().await?;
    if applied.is_empty() {
        println!("The database is up to date.");
    } else {
        for m in &applied {
            println!("Applied {m}");
        }
    }
    Ok(())
}

/// Loads the data key file, checked against the database (`crypto::registry`).
async fn open_keys(database: &Database, path: &Path) -> Result<()> {
    let mut conn = AsyncPgConnection::establish(&database.url)
        .await
        .context("cannot connect to the database")?;
    crypto::registry::open(&mut conn, path).await
}

/// Seals what is still stored as text (a database from before encryption)
/// or under an older key, in the background: the server answers meanwhile.
async fn reseal(url: String) {
    let work = async {
        let mut conn = AsyncPgConnection::establish(&url).await?;
        crypto::reseal::if_needed(&mut conn).await
    };
    match work.await {
        Ok(Some(done)) if done.values > 0 || done.unreadable > 0 => tracing::info!(
            values = done.values,
            unreadable = done.unreadable,
            "personal details encrypted with the current data key"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot encrypt the stored personal details: {e:#}"),
    }
}

async fn serve(database: &Database, db_args: &DbArgs, args: &ServeArgs) -> Result<()> {
    let applied = database.migrate().await?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    open_keys(database, &db_args.key_path()).await?;
    tokio::spawn(reseal(database.url.clone()));
    let settings = args.settings();
    let pool = db::pool(
        &database.app_url,
        db_args.db_pool_size,
        settings.request_timeout,
    )?;
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let addr = listener.local_addr()?;
    first_admin(&database.url, &args.admin_email, &format!("http://{addr}")).await?;
    let read_pool = match &db_args.database_read_url {
        Some(url) => Some(db::pool(
            url,
            db_args.db_pool_size,
            settings.request_timeout,
        )?),
        None => None,
    };
    let state = AppState::with_read_pool(pool, read_pool, settings);
    app::spawn_maintenance(state.clone());
    app::spawn_retention(state.clone());
    app::spawn_rollups(state.clone());
    println!("Listening on http://{addr}");
    app::serve_on(listener, state, app::shutdown_signal()).await?;
    tracing::info!("all requests answered");
    Ok(())
}
