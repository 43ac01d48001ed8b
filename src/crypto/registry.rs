//! What the database knows of the data keys (`data_keys`): their numbers
//! and fingerprints, never the keys. A server started with another key
//! file than the one the data is sealed with refuses to start instead of
//! sealing new values that the other servers cannot open.

use std::path::Path;

use anyhow::{Context, Result, bail};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::key_file::{self, DataKey};
use crate::schema::data_keys;

/// Loads the key file at `path` for this process, checked against the
/// database:
/// - no file, and no key known to the database (a new installation, or
///   one from before encryption): a new key is made there;
/// - no file, but keys known: refused, naming them;
/// - a key whose number the database knows with another fingerprint, or
///   no key of the file known while the database knows some: refused.
///
/// The file's keys the database does not know yet are recorded.
pub async fn open(conn: &mut AsyncPgConnection, path: &Path) -> Result<()> {
    // Two processes starting at once on a new database must not each make
    // a key 1 of their own.
    diesel::sql_query("SELECT pg_advisory_lock(7383003)")
        .execute(conn)
        .await
        .context("cannot lock the data keys")?;
    let opened = open_locked(conn, path).await;
    let _ = diesel::sql_query("SELECT pg_advisory_unlock(7383003)")
        .execute(conn)
        .await;
    opened
}

async fn open_locked(conn: &mut AsyncPgConnection, path: &Path) -> Result<()> {
    let known = known(conn).await?;
    if !path.exists() {
        if let Some(ids) = list(&known) {
            bail!(
                "the personal details in this database are encrypted with data key {ids}, and {} \
                 does not exist: restore the key file from its backup (or copy it from the \
                 server that made it), or give its place with --data-key-file",
                path.display()
            );
        }
        key_file::create(path, 1)?;
        tracing::info!(file = %path.display(), "made a new data key; back it up apart from the database");
    }
    let keys = key_file::read(path)?;
    check(&keys, &known, path)?;
    for k in &keys {
        add(conn, k).await?;
    }
    // Read back: what the database now knows must be this file's keys.
    check(&keys, &self::known(conn).await?, path)?;
    super::install_once(path)
}

/// The keys the database knows: number and fingerprint.
async fn known(conn: &mut AsyncPgConnection) -> Result<Vec<(i32, Vec<u8>)>> {
    data_keys::table
        .select((data_keys::id, data_keys::fingerprint))
        .order(data_keys::id)
        .load(conn)
        .await
        .context("cannot read the data keys the database knows (run `migrate`?)")
}

fn list(known: &[(i32, Vec<u8>)]) -> Option<String> {
    if known.is_empty() {
        return None;
    }
    Some(
        known
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

fn check(keys: &[DataKey], known: &[(i32, Vec<u8>)], path: &Path) -> Result<()> {
    for k in keys {
        if let Some((_, fp)) = known
            .iter()
            .find(|(id, _)| i64::from(*id) == i64::from(k.id))
            && *fp != k.fingerprint()
        {
            bail!(
                "data key {} in {} is not the key {} this database was encrypted with: \
                 this is another installation's key file",
                k.id,
                path.display(),
                k.id
            );
        }
    }
    // A file from before a rotation would seal under a retired key.
    if let (Some(first), Some(newest)) = (keys.first(), known.iter().map(|(id, _)| *id).max())
        && i64::from(first.id) < i64::from(newest)
    {
        bail!(
            "{} seals with data key {}, but the database's newest key is {newest}: this key \
             file is from before a rotation; use the current one",
            path.display(),
            first.id
        );
    }
    let holds_one = keys.iter().any(|k| {
        known
            .iter()
            .any(|(id, _)| i64::from(*id) == i64::from(k.id))
    });
    if let Some(ids) = list(known)
        && !holds_one
    {
        bail!(
            "the personal details in this database are encrypted with data key {ids}, which {} \
             does not hold: this is another installation's key file",
            path.display()
        );
    }
    Ok(())
}

/// Records `key` (a rotation's new one) unless the database knows it.
pub async fn add(conn: &mut AsyncPgConnection, key: &DataKey) -> Result<()> {
    let id = i32::try_from(key.id).context("data key number too large")?;
    diesel::insert_into(data_keys::table)
        .values((
            data_keys::id.eq(id),
            data_keys::fingerprint.eq(key.fingerprint()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .context("cannot record the data key")?;
    Ok(())
}

/// The highest key number the database knows.
pub async fn highest(conn: &mut AsyncPgConnection) -> Result<u32> {
    let max: Option<i32> = data_keys::table
        .select(diesel::dsl::max(data_keys::id))
        .first(conn)
        .await?;
    Ok(max.map_or(0, |m| m.unsigned_abs()))
}

/// Whether everything is known to be sealed under key `id` (a pass of
/// `reseal` finished after it became the current key).
pub async fn resealed(conn: &mut AsyncPgConnection, id: u32) -> Result<bool> {
    let id = i32::try_from(id).context("data key number too large")?;
    let at: Option<Option<chrono::DateTime<chrono::Utc>>> = data_keys::table
        .find(id)
        .select(data_keys::resealed_at)
        .first(conn)
        .await
        .optional()?;
    Ok(at.flatten().is_some())
}

/// Notes that a pass of `reseal` under key `id` finished, and that the
/// keys before it are retired.
pub async fn mark_resealed(conn: &mut AsyncPgConnection, id: u32) -> Result<()> {
    let id = i32::try_from(id).context("data key number too large")?;
    diesel::update(data_keys::table.find(id))
        .set(data_keys::resealed_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    diesel::update(
        data_keys::table
            .filter(data_keys::id.ne(id))
            .filter(data_keys::retired_at.is_null()),
    )
    .set(data_keys::retired_at.eq(diesel::dsl::now))
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_installations_key_is_refused() {
        let mine = DataKey::generate(1);
        let theirs = DataKey::generate(1);
        let path = Path::new("/data/data.key");
        let known = vec![(1, mine.fingerprint())];
        assert!(check(std::slice::from_ref(&mine), &known, path).is_ok());
        let e = check(&[theirs], &known, path).expect_err("refused");
        assert!(format!("{e}").contains("another installation"), "{e}");
        // A file with only keys the database has never seen.
        let e = check(&[DataKey::generate(7)], &known, path).expect_err("refused");
        assert!(format!("{e}").contains("data key 1"), "{e}");
        // A rotation's file: the new key first, the known one after.
        let second = DataKey::generate(2);
        assert!(check(&[second.clone(), mine.clone()], &known, path).is_ok());
        // After the rotation, the file from before it is refused.
        let known = vec![(1, mine.fingerprint()), (2, second.fingerprint())];
        let e = check(&[mine], &known, path).expect_err("refused");
        assert!(format!("{e}").contains("before a rotation"), "{e}");
    }
}
