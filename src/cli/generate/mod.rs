//! Synthetic data: `neighbourhood-mothers generate`.
//!
//! Small tables (programmes, districts, users, mothers, courses, grants)
//! are built here with a seeded random generator; the large ones (families,
//! visits, their topics, referrals; events and expenses too) are built
//! inside PostgreSQL with `INSERT … SELECT` over `generate_series`, after
//! `setseed`, so a million visits take seconds rather than a million round
//! trips. Everything runs in one transaction on one connection (without
//! parallel workers), so the same seed on an empty database gives the same
//! data.
//!
//! The steps, one file each, run in this order by `generate_in`:
//! `programmes` (with their districts), `accounts`, the courses and mothers
//! planned and the mothers inserted (`training::plan_courses`, `mothers`),
//! the courses with enrolments and attendance (`training`), the tables the
//! SQL draws from (`draws`); then, after `setseed`, `families` (with their
//! personal details, sealed here with a generator of their own), `visits`
//! (with topics and referrals, a million at a time; from a million on as a
//! bulk load, `bulk`), the families' first contact and closing,
//! the mothers' statuses and history, `events` and `funding`. The seeded
//! generator is drawn from by `mothers`, `training`, `draws` and `funding`,
//! in that order, and PostgreSQL's from `families` on: moving a step
//! changes the data. `places` holds the cities and origins.

use std::path::Path;

use anyhow::{Result, bail};
use chrono::{Duration, NaiveDate};
use diesel::sql_types::{BigInt, Double, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde_json::json;

use crate::audit::{self, Subject};
use crate::authz::Role;
use crate::clock::Clock;
use crate::db::Database;

mod accounts;
mod bulk;
mod draws;
mod events;
mod families;
mod funding;
mod mothers;
mod places;
mod programmes;
mod training;
mod visits;

/// The flags of `generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// `demo`: two programmes modelled on Berlin-Neukölln and Copenhagen,
    /// a year of data and one demo user per role (the other flags are ignored).
    #[arg(long, value_parser = ["demo"])]
    pub preset: Option<String>,
    /// Programmes to create.
    #[arg(long, default_value_t = 2)]
    pub programmes: u32,
    /// Districts in all, shared out over the programmes.
    #[arg(long, default_value_t = 10)]
    pub districts: u32,
    /// Mothers in all.
    #[arg(long, default_value_t = 100)]
    pub mothers: u32,
    /// Visits in all.
    #[arg(long, default_value_t = 10_000)]
    pub visits: u64,
    /// Years of history up to today.
    #[arg(long, default_value_t = 3)]
    pub years: u32,
    /// The same seed on an empty database gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

impl GenerateArgs {
    pub fn spec(&self) -> Spec {
        if self.preset.as_deref() == Some("demo") {
            return Spec::demo();
        }
        Spec {
            programmes: self.programmes,
            districts: self.districts,
            mothers: self.mothers,
            visits: self.visits,
            years: self.years,
            seed: self.seed,
            demo_users: false,
        }
    }
}

/// `generate`: applies pending migrations, fills the database up to today
/// and prints what it made (and the demo accounts' one-time passwords).
pub async fn run(database: &Database, key_path: &Path, args: &GenerateArgs) -> Result<()> {
    database.migrate().await?;
    let spec = args.spec();
    let started = std::time::Instant::now();
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    crate::crypto::registry::open(&mut conn, key_path).await?;
    let today = Clock::system().today();
    let summary = generate(&mut conn, &spec, today).await?;
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

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub programmes: u32,
    /// Districts in all, shared out over the programmes (at least one each).
    pub districts: u32,
    /// Mothers in all.
    pub mothers: u32,
    /// Visits in all.
    pub visits: u64,
    /// The visits and courses span this many years up to today.
    pub years: u32,
    pub seed: u64,
    /// Demo accounts (one per role) with one-time passwords.
    pub demo_users: bool,
}

impl Spec {
    /// The `--preset demo` data set: Berlin-Neukölln and Copenhagen, a year
    /// of courses, visits, events and funding, and one user per role.
    pub fn demo() -> Self {
        Spec {
            programmes: 2,
            districts: 10,
            mothers: 48,
            visits: 1_600,
            years: 1,
            seed: 2012,
            demo_users: true,
        }
    }
}

/// What was made; `accounts` holds the demo users' one-time passwords.
#[derive(Debug, Default)]
pub struct Summary {
    pub programmes: Vec<(i64, String)>,
    pub counts: Vec<(String, i64)>,
    pub accounts: Vec<(String, Role, String)>,
}

/// What every step reads: the spec, the period (from `start` to `today`)
/// and the seeded generator.
struct Ctx<'a> {
    spec: &'a Spec,
    start: NaiveDate,
    today: NaiveDate,
    rng: StdRng,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    items.choose(rng).unwrap_or(&items[0])
}

/// An SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An SQL bytea literal of `s` sealed (`crypto`), for a personal value.
fn sealed_lit(s: &str) -> Result<String> {
    use std::fmt::Write;
    let mut hex = String::from("'\\x");
    for b in crate::crypto::seal(s)? {
        let _ = write!(hex, "{b:02x}");
    }
    hex.push_str("'::bytea");
    Ok(hex)
}

/// An SQL text[] literal.
fn arr(items: &[&str]) -> String {
    format!(
        "ARRAY[{}]::text[]",
        items.iter().map(|s| lit(s)).collect::<Vec<_>>().join(",")
    )
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Fills the database; see the module comment. Refuses to run twice over
/// the same programme names (they are unique).
pub async fn generate(
    conn: &mut AsyncPgConnection,
    spec: &Spec,
    today: NaiveDate,
) -> Result<Summary> {
    if spec.programmes == 0 {
        bail!("--programmes must be at least 1");
    }
    if spec.years == 0 || spec.years > 50 {
        bail!("--years must be between 1 and 50");
    }
    if spec.visits > 0 && spec.mothers == 0 {
        bail!("visits need mothers: set --mothers");
    }
    let bulk = spec.visits >= bulk::BULK_VISITS;
    let spec = spec.clone();
    let summary = conn
        .transaction(async move |conn| generate_in(conn, &spec, today).await)
        .await?;
    if bulk {
        // After a bulk load, what autovacuum would otherwise do for a while
        // in the background, once: the visibility map, which the index-only
        // reads (a mother's profile, this month's visits per mother) need
        // to leave the table alone. Outside the transaction, as VACUUM must.
        conn.batch_execute("VACUUM (ANALYZE) visits, visit_topics, families, referrals")
            .await?;
    }
    Ok(summary)
}

/// The steps, in their order (see the module comment).
async fn generate_in(
    conn: &mut AsyncPgConnection,
    spec: &Spec,
    today: NaiveDate,
) -> Result<Summary> {
    let mut ctx = Ctx {
        spec,
        start: today - Duration::days(365 * i64::from(spec.years)),
        today,
        rng: StdRng::seed_from_u64(spec.seed),
    };
    conn.batch_execute(
        "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronous_commit = off;
         SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB';",
    )
    .await?;
    let mut summary = Summary::default();

    let programmes = programmes::create(conn, &ctx, &mut summary).await?;
    let trainers = accounts::create(conn, &ctx, &programmes, &mut summary).await?;
    let courses = training::plan_courses(&ctx, &programmes);
    let mut mothers = mothers::plan(&mut ctx, &programmes, &courses);
    mothers::insert(conn, &mut ctx, &programmes, &mut mothers).await?;
    let enrolled =
        training::create(conn, &mut ctx, &programmes, &trainers, &courses, &mothers).await?;
    let visitors = draws::create(conn, &mut ctx, &programmes, &mothers).await?;

    // From here on PostgreSQL draws the random numbers.
    let seed = (spec.seed % 1_000_003) as f64 / 1_000_003.0;
    diesel::sql_query("SELECT setseed($1)")
        .bind::<Double, _>(seed)
        .execute(conn)
        .await?;
    families::create(conn, &ctx).await?;
    families::personal(conn, &ctx).await?;
    // A million visits or more: the visit indexes are rebuilt after the load.
    let rebuild = if spec.visits >= bulk::BULK_VISITS {
        Some(bulk::prepare(conn).await?)
    } else {
        None
    };
    let first_visit = visits::create(conn, &ctx, visitors).await?;
    if let Some(indexes) = rebuild {
        bulk::finish(conn, indexes).await?;
    }
    families::date_and_close(conn, &ctx, first_visit).await?;
    mothers::record_statuses(conn, &mothers, &courses).await?;
    events::create(conn, &ctx).await?;
    let (grants, expenses) = funding::create(conn, &mut ctx, &programmes, &mothers).await?;

    // Counts, and one audit row per programme for the whole run.
    let ids: Vec<i64> = programmes.iter().map(|p| p.id).collect();
    summary.counts = count(conn, &ids, first_visit).await?;
    summary.counts.push(("enrolments".into(), enrolled));
    summary.counts.push(("grants".into(), grants));
    summary.counts.push(("expenses".into(), expenses));
    for id in &ids {
        audit::record(
            conn,
            None,
            "generate",
            Subject::of("programme", *id, Some(*id)),
            json!({"seed": spec.seed, "years": spec.years}),
        )
        .await?;
    }
    // Count the roll-ups now, so that the first report is quick.
    crate::reports::rollup::refresh(conn, &ids, None).await?;
    conn.batch_execute("ANALYZE").await?;
    Ok(summary)
}

/// The rows of the programmes `ids` per table (visit topics: those of the
/// visits after `first_visit`), for the summary.
async fn count(
    conn: &mut AsyncPgConnection,
    ids: &[i64],
    first_visit: i64,
) -> Result<Vec<(String, i64)>> {
    #[derive(diesel::QueryableByName)]
    struct Counted {
        #[diesel(sql_type = Text)]
        what: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let counted: Vec<Counted> = diesel::sql_query(
        "SELECT 'districts' AS what, count(*) AS n FROM districts WHERE programme_id = ANY($1)
         UNION ALL SELECT 'mothers', count(*) FROM mothers WHERE programme_id = ANY($1)
         UNION ALL SELECT 'families', count(*) FROM families WHERE programme_id = ANY($1)
         UNION ALL SELECT 'visits', count(*) FROM visits WHERE programme_id = ANY($1)
         UNION ALL SELECT 'visit topics', count(*) FROM visit_topics WHERE visit_id > $2
         UNION ALL SELECT 'referrals', count(*) FROM referrals WHERE programme_id = ANY($1)
         UNION ALL SELECT 'events', count(*) FROM events WHERE programme_id = ANY($1)
         UNION ALL SELECT 'courses', count(*) FROM courses WHERE programme_id = ANY($1)",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
    .bind::<BigInt, _>(first_visit)
    .load(conn)
    .await?;
    Ok(counted.into_iter().map(|c| (c.what, c.n)).collect())
}
