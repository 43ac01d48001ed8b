//! `import KIND --programme ID FILE`: a CSV or XLSX file of visits or
//! mothers, with the same rules as the import page and API (every row or
//! none; `--dry-run` checks and saves nothing).

use std::path::PathBuf;

use anyhow::{Result, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::authz::{Access, ProgrammeScope, Role};
use crate::clock::Clock;
use crate::db::Database;
use crate::error::AppError;
use crate::ids::ProgrammeId;
use crate::imports::{self, Kind};
use crate::web::Tr;

/// The flags of `import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// What the file holds: `visits`, `mothers` or `families`.
    pub kind: String,
    /// The programme the rows belong to.
    #[arg(long)]
    pub programme: i64,
    /// Check every row and say what would happen; save nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The file: CSV (with a header row) or XLSX (its first sheet).
    pub file: PathBuf,
}

pub async fn run(database: &Database, args: &ImportArgs) -> Result<()> {
    let tr = Tr::from_env();
    let Some(kind) = Kind::parse(args.kind.trim()) else {
        bail!("{}", tr.t1("cli-import-kind", "kind", &args.kind));
    };
    let bytes =
        std::fs::read(&args.file).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let xlsx = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    // The command line acts as the system, in every programme.
    let access = Access {
        actor: None,
        scope: ProgrammeScope::All,
        role: Role::Admin,
        mother_id: None,
    };
    let report = imports::run(
        &mut conn,
        &access,
        &tr,
        imports::Job {
            kind,
            programme: ProgrammeId(args.programme),
            bytes: &bytes,
            xlsx,
            dry_run: args.dry_run,
        },
        Clock::system().today(),
    )
    .await
    .map_err(|e| match e {
        AppError::Validation(f) => anyhow::anyhow!(
            "{}",
            f.iter()
                .map(|(_, m)| tr.msg(m))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        AppError::NotFound => anyhow::anyhow!("{}", tr.t("error-programme-unknown")),
        other => anyhow::anyhow!("{other}"),
    })?;
    for e in &report.errors {
        eprintln!(
            "{}",
            tr.msg(
                &crate::error::Msg::new("cli-import-row-error")
                    .arg("row", e.row)
                    .arg("column", &e.column)
                    .arg("message", &e.message)
            )
        );
    }
    let summary = crate::error::Msg::new(if !report.errors.is_empty() {
        "cli-import-refused"
    } else if report.dry_run {
        "cli-import-checked"
    } else {
        "cli-import-done"
    })
    .arg("rows", report.rows)
    .arg("created", report.created)
    .arg("updated", report.updated)
    .arg("unchanged", report.unchanged)
    .arg("errors", report.errors.len());
    println!("{}", tr.msg(&summary));
    if !report.errors.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
