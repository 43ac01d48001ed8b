//! `retention`: who the programmes' retention periods make due for erasure
//! today (`--dry-run`, the default), and erasing them (`--apply`), with
//! the same rules as the daily job (`privacy::retention`).

use anyhow::Result;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::authz::ProgrammeScope;
use crate::clock::Clock;
use crate::db::Database;
use crate::error::Msg;
use crate::privacy::retention;
use crate::web::Tr;

/// The flags of `retention`.
#[derive(Debug, Clone, clap::Args)]
pub struct RetentionArgs {
    /// List who would be erased, and why, without erasing (the default).
    #[arg(long, conflicts_with = "apply")]
    pub dry_run: bool,
    /// Erase the personal details that are due.
    #[arg(long)]
    pub apply: bool,
}

pub async fn run(database: &Database, args: &RetentionArgs) -> Result<()> {
    let tr = Tr::from_env();
    let today = Clock::system().today();
    let mut conn = AsyncPgConnection::establish(&database.url).await?;
    let due = retention::due(&mut conn, &ProgrammeScope::All, today)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for d in &due {
        let msg = Msg::new(if d.subject == "family" {
            "cli-retention-family"
        } else {
            "cli-retention-mother"
        })
        .arg("label", &d.label)
        .arg("programme", &d.programme_name)
        .arg("since", d.since.to_string())
        .arg("count", i64::from(d.retention_months));
        println!("{}", tr.msg(&msg));
    }
    if args.apply {
        let n = retention::apply(&mut conn, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!("{}", tr.t1("cli-retention-erased", "count", n as i64));
    } else {
        println!(
            "{}",
            tr.t1("cli-retention-dry-run", "count", due.len() as i64)
        );
    }
    Ok(())
}
