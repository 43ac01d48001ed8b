//! The command line: `serve`, `migrate`, `create-user`, `create-token`, `generate`.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use neighbourhood_mothers::app::{self, AppState};
use neighbourhood_mothers::auth::model::{User, UserData};
use neighbourhood_mothers::auth::password::{self, Secret};
use neighbourhood_mothers::auth::{Role, ops};
use neighbourhood_mothers::clock::Clock;
use neighbourhood_mothers::config::{CreateTokenArgs, CreateUserArgs, GenerateArgs, ServeArgs};
use neighbourhood_mothers::db::{self, Database, DbArgs};
use neighbourhood_mothers::error::AppError;
use neighbourhood_mothers::web::Tr;

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
}

fn main() -> ExitCode {
    neighbourhood_mothers::alloc::tune();
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
        match cli.command {
            Command::Serve(args) => serve(&database, &cli.db, &args).await,
            Command::Migrate => migrate(&database).await,
            Command::CreateUser(args) => create_user(&database, &args).await,
            Command::CreateToken(args) => create_token(&database, &args).await,
            Command::Generate(args) => generate(&database, &args).await,
        }
    });
    // Close every connection before PostgreSQL stops; work still running on
    // blocking threads (an export cut at the shutdown deadline) gets 5 s.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
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
    first_admin(&database.url, &args.admin_email, &format!("http://{addr}")).await?;
    let state = AppState::new(pool, args.settings());
    app::spawn_maintenance(state.clone());
    println!("Listening on http://{addr}");
    app::serve_on(listener, state, app::shutdown_signal()).await?;
    tracing::info!("all requests answered");
    Ok(())
}

/// With no user yet, creates the first administrator and prints their
/// one-time password (once: it is stored only as a hash).
async fn first_admin(url: &str, email: &str, base_url: &str) -> Result<()> {
    let mut conn = AsyncPgConnection::establish(url).await?;
    if User::count(&mut conn).await? > 0 {
        return Ok(());
    }
    let one_time = Secret::new(password::one_time_password());
    let hash = password::hash(one_time.clone()).await?;
    if let Some(admin) =
        neighbourhood_mothers::auth::ops::create_first_admin(&mut conn, email, &hash).await?
    {
        println!();
        println!("No user existed, so an administrator was created:");
        println!("  email:              {}", admin.email);
        println!("  one-time password:  {}", one_time.expose());
        println!("Sign in at {base_url}/login and choose a new password.");
        println!("This password is shown only now.");
        println!();
    }
    Ok(())
}

/// Turns field errors into one readable line per field.
fn describe(errors: &neighbourhood_mothers::error::FieldErrors) -> String {
    let tr = Tr::negotiate(None, None, None);
    errors
        .iter()
        .map(|(field, msg)| format!("{field}: {}", tr.msg(msg)))
        .collect::<Vec<_>>()
        .join("\n  ")
}

async fn create_user(database: &Database, args: &CreateUserArgs) -> Result<()> {
    let data = UserData::try_from(&neighbourhood_mothers::auth::input::UserInput {
        email: args.email.clone(),
        display_name: args.name.clone(),
        role: args.role.clone(),
        programme_ids: args.programmes.iter().map(ToString::to_string).collect(),
        language: String::new(),
    })
    .map_err(|e| anyhow::anyhow!("invalid user:\n  {}", describe(&e)))?;
    if data.role == Role::Admin && !data.programme_ids.is_empty() {
        bail!("admins see every programme: leave out --programme");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(key) = password::check_strength(&pw, &[&data.email, &data.display_name]) {
        bail!("password: {}", Tr::negotiate(None, None, None).t(key));
    }
    let hash = password::hash(Secret::new(pw)).await?;
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let user = match ops::create_user(&mut conn, None, &data, &hash, false).await {
        Ok(u) => u,
        Err(AppError::Validation(fields)) => bail!("{}", describe(&fields)),
        Err(other) => return Err(anyhow::anyhow!("{other}")),
    };
    println!(
        "Created {} <{}> ({}), id {}.",
        user.display_name, user.email, user.role, user.id
    );
    Ok(())
}

async fn create_token(database: &Database, args: &CreateTokenArgs) -> Result<()> {
    let label = args.label.trim();
    if label.is_empty() {
        bail!("--label must not be empty");
    }
    let expires_at = ops::token_expiry(
        args.expires.as_deref().unwrap_or(""),
        Clock::system().today(),
    )
    .map_err(|key| anyhow::anyhow!("--expires: {}", Tr::negotiate(None, None, None).t(key)))?;
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let Some(row) = User::row_by_email(&mut conn, args.email.trim()).await? else {
        bail!("no user with the email {}", args.email);
    };
    if !row.active {
        bail!("{} is deactivated", row.email);
    }
    let (token, _, _) = ops::create_token(&mut conn, None, Some(row.id), label, Ok(expires_at))
        .await
        .map_err(|e| match e {
            AppError::Validation(fields) => anyhow::anyhow!("{}", describe(&fields)),
            other => anyhow::anyhow!("{other}"),
        })?;
    eprintln!(
        "API token for {} (\"{label}\"); it is shown only now. Send it as `Authorization: Bearer <token>`:",
        row.email
    );
    println!("{}", token.expose());
    Ok(())
}

async fn generate(database: &Database, args: &GenerateArgs) -> Result<()> {
    db::run_migrations(&database.url).await?;
    let spec = args.spec();
    let started = std::time::Instant::now();
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let today = Clock::system().today();
    let summary = neighbourhood_mothers::generate::generate(&mut conn, &spec, today).await?;
    println!(
        "Generated in {:.1} s (seed {}):",
        started.elapsed().as_secs_f64(),
        spec.seed
    );
    for (id, name) in &summary.programmes {
        println!("  programme {id}: {name}");
    }
    for (what, n) in &summary.counts {
        println!("  {what}: {n}");
    }
    if !summary.accounts.is_empty() {
        println!();
        println!(
            "Demo accounts (one-time passwords, shown only now; each must be changed at the first sign-in):"
        );
        for (email, role, pw) in &summary.accounts {
            println!("  {:<12} {email:<32} {pw}", role.to_string());
        }
    }
    Ok(())
}
