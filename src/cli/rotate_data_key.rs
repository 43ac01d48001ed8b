//! `rotate-data-key`: a new data key, and every personal value sealed anew
//! under it, while the servers keep answering:
//! 1. a new key, numbered after every key the database knows, goes first
//!    in the key file (the old ones stay after it, to open what is not
//!    resealed yet) and is recorded in the database;
//! 2. a wait of twice `crypto::RELOAD_EVERY`, in which every running
//!    server that reads this file takes the new key to seal with (a
//!    server opens a value under a key it has not loaded by reading the
//!    file again at once);
//! 3. every value sealed anew (`crypto::reseal`), and once more after as
//!    long again, for a value a transaction sealed under the old key just
//!    before its server took the new;
//! 4. one audit row, and the old keys taken out of the file (unless
//!    `--keep-old`) once a count finds no value under them.
//!
//! Backups made before still need the old key: keep its backup as long as
//! those backups.

use std::path::Path;

use anyhow::{Context, Result, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use crate::audit::{self, Subject};
use crate::crypto::{self, DataKey, key_file, registry, reseal};
use crate::db::Database;
use crate::web::Tr;

/// The flags of `rotate-data-key`.
#[derive(Debug, Clone, clap::Args)]
pub struct RotateDataKeyArgs {
    /// Keep the old keys in the file after the rotation (they open, never
    /// seal). Without it they are removed once nothing needs them.
    #[arg(long)]
    pub keep_old: bool,
}

pub async fn run(database: &Database, key_path: &Path, args: &RotateDataKeyArgs) -> Result<()> {
    let tr = Tr::from_env();
    let mut conn = AsyncPgConnection::establish(&database.url)
        .await
        .context("cannot connect to the database")?;
    registry::open(&mut conn, key_path).await?;
    let old = key_file::read(key_path)?;
    let highest_in_file = old.iter().map(|k| k.id).max().unwrap_or(0);
    let id = registry::highest(&mut conn).await?.max(highest_in_file) + 1;
    let new = DataKey::generate(id);
    registry::add(&mut conn, &new).await?;
    let mut keys = vec![new.clone()];
    keys.extend(old.iter().cloned());
    key_file::write(key_path, &keys)?;
    crypto::install(key_path)?;
    let wait = crypto::RELOAD_EVERY * 2 + std::time::Duration::from_secs(1);
    println!(
        "{}",
        tr.msg(
            &crate::error::Msg::new("cli-data-key-new")
                .arg("number", i64::from(id))
                .arg("file", key_path.display().to_string())
                .arg("count", wait.as_secs() as i64)
        )
    );
    tokio::time::sleep(wait).await;
    let first = reseal::run(&mut conn).await?;
    // A value sealed under the old key by a transaction still open during
    // the first pass: once more, after as long again.
    tokio::time::sleep(wait).await;
    let last = reseal::run(&mut conn).await?;
    let unreadable = first.unreadable.max(last.unreadable);
    if unreadable > 0 {
        bail!(
            "{unreadable} values could not be opened (the log names them); the old keys stay in {}",
            key_path.display()
        );
    }
    let values = first.values + last.values;
    audit::record(
        &mut conn,
        None,
        "rotate",
        Subject::of("data_key", i64::from(id), None),
        json!({"values": values, "old_keys": old.iter().map(|k| k.id).collect::<Vec<_>>()}),
    )
    .await?;
    // The old keys go only when no value needs them any more.
    let left = reseal::left_over(&mut conn, id).await?;
    if left > 0 {
        bail!(
            "{left} values are still under an older key (written by a long transaction during \
             the rotation?); the old keys stay in {}: run rotate-data-key again later",
            key_path.display()
        );
    }
    if !args.keep_old {
        key_file::write(key_path, &[new])?;
    }
    println!(
        "{}",
        tr.msg(
            &crate::error::Msg::new("cli-data-key-rotated")
                .arg("number", i64::from(id))
                .arg("count", values as i64)
        )
    );
    Ok(())
}
