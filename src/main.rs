//! The command line: `serve`, `migrate`.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use neighbourhood_mothers::app::{self, AppState};
use neighbourhood_mothers::config::{DbArgs, ServeArgs};
use neighbourhood_mothers::db::{self, Database};

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
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
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
    // as long as the process (see db::local on PR_SET_PDEATHSIG).
    let database = Database::open(&cli.db)?;
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
        match cli.command {
            Command::Serve(args) => serve(&database, &cli.db, &args).await,
            Command::Migrate => migrate(&database).await,
        }
    });
    // Close every connection before PostgreSQL stops.
    drop(runtime);
    let stopped = database.close();
    result.and(stopped)
}

async fn migrate(database: &Database) -> Result<()> {
    let applied = db::run_migrations(&database.url).await?;
    if applied.is_empty() {
        println!("The database is up to date.");
    } else {
        for m in &applied {
            println!("Applied {m}");
        }
    }
    Ok(())
}

async fn serve(database: &Database, db_args: &DbArgs, args: &ServeArgs) -> Result<()> {
    let applied = db::run_migrations(&database.url).await?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    let pool = db::pool(&database.url, db_args.db_pool_size)?;
    let listener = TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let addr = listener.local_addr()?;
    println!("Listening on http://{addr}");
    app::serve_on(listener, AppState::new(pool), app::shutdown_signal()).await?;
    tracing::info!("all requests answered");
    Ok(())
}
