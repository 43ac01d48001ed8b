//! Sealing every stored personal value under the current key: at the
//! first start after the upgrade to encryption (the values written before
//! are still text) and in `rotate-data-key` (the values are under the old
//! key). In batches, in key order, each batch one statement that changes a
//! value only if it is still what was read (a value saved meanwhile is
//! sealed already and left alone), so the server keeps answering.

use anyhow::{Result, bail};
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Bytea, Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::registry;

/// The sealed columns of text: table, key column, columns.
pub const COLUMNS: &[(&str, &str, &[&str])] = &[
    (
        "family_personal",
        "family_id",
        &["name", "address", "phone"],
    ),
    ("mothers", "id", &["phone", "email"]),
    ("visits", "id", &["note"]),
];

/// The sealed columns of bytes (`SealedBytes`): table, key column, column.
pub const BYTE_COLUMNS: &[(&str, &str, &str)] = &[("users", "id", "totp_secret")];

/// A value sealed again under the current key (None: it is already).
type Reseal = fn(&[u8]) -> Result<Option<Vec<u8>>, super::OpenError>;

const BATCH: i64 = 500;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Bytea)]
    value: Vec<u8>,
}

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resealed {
    /// Values sealed anew.
    pub values: u64,
    /// Values that could not be opened (damaged, or under a key the file
    /// does not hold): left as they are, and named in the log.
    pub unreadable: u64,
}

/// Seals every value that is not under the current key. When none is left
/// unreadable, notes in the database that everything is under it.
pub async fn run(conn: &mut AsyncPgConnection) -> Result<Resealed> {
    let Some(current) = super::current_key() else {
        bail!("no data key is loaded");
    };
    let header = super::header(current);
    let mut done = Resealed::default();
    for (table, key, columns) in COLUMNS {
        for column in *columns {
            column_pass(
                conn,
                (table, key, column),
                &header,
                super::reseal_value,
                &mut done,
            )
            .await?;
        }
    }
    for (table, key, column) in BYTE_COLUMNS {
        column_pass(
            conn,
            (table, key, column),
            &header,
            super::reseal_bytes,
            &mut done,
        )
        .await?;
    }
    idempotency(conn, &header, &mut done).await?;
    name_index(conn, current, &mut done).await?;
    if done.unreadable == 0 {
        registry::mark_resealed(conn, current).await?;
    }
    Ok(done)
}

/// One column's pass, in batches in key order.
async fn column_pass(
    conn: &mut AsyncPgConnection,
    (table, key, column): (&str, &str, &str),
    header: &[u8],
    reseal: Reseal,
    done: &mut Resealed,
) -> Result<()> {
    let mut after = i64::MIN;
    loop {
        let rows: Vec<Row> = diesel::sql_query(format!(
            "SELECT {key} AS id, {column} AS value FROM {table} \
             WHERE {key} > $1 AND octet_length({column}) > 0 \
               AND substring({column} FROM 1 FOR 6) <> $2 \
             ORDER BY {key} LIMIT {BATCH}"
        ))
        .bind::<BigInt, _>(after)
        .bind::<Bytea, _>(header)
        .load(conn)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.id;
        let full = rows.len() as i64 == BATCH;
        let (mut ids, mut old, mut new) = (Vec::new(), Vec::new(), Vec::new());
        for row in rows {
            match reseal(&row.value) {
                Ok(Some(sealed)) => {
                    ids.push(row.id);
                    old.push(row.value);
                    new.push(sealed);
                }
                Ok(None) => {}
                Err(e) => {
                    done.unreadable += 1;
                    tracing::warn!(table, column, id = row.id, "cannot reseal: {e}");
                }
            }
        }
        if !ids.is_empty() {
            let n = diesel::sql_query(format!(
                "UPDATE {table} t SET {column} = v.new \
                 FROM unnest($1, $2, $3) AS v(id, old, new) \
                 WHERE t.{key} = v.id AND t.{column} = v.old"
            ))
            .bind::<Array<BigInt>, _>(&ids)
            .bind::<Array<Bytea>, _>(&old)
            .bind::<Array<Bytea>, _>(&new)
            .execute(conn)
            .await?;
            done.values += n as u64;
        }
        if !full {
            return Ok(());
        }
    }
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    programme: i64,
    #[diesel(sql_type = Bytea)]
    name: Vec<u8>,
}

/// The families' name index (`name_index`) made anew under the current
/// key where it was made under another (or not yet), after the names were
/// sealed under it. A name saved meanwhile brings its own index and is
/// left alone.
async fn name_index(conn: &mut AsyncPgConnection, current: u32, done: &mut Resealed) -> Result<()> {
    let key = i32::try_from(current)?;
    let mut after = i64::MIN;
    loop {
        let rows: Vec<Named> = diesel::sql_query(format!(
            "SELECT p.family_id AS id, f.programme_id AS programme, p.name \
             FROM family_personal p JOIN families f ON f.id = p.family_id \
             WHERE p.family_id > $1 AND p.name_index_key IS DISTINCT FROM $2 \
             ORDER BY p.family_id LIMIT {BATCH}"
        ))
        .bind::<BigInt, _>(after)
        .bind::<Integer, _>(key)
        .load(conn)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.id;
        let full = rows.len() as i64 == BATCH;
        let (mut ids, mut names, mut indexes) = (Vec::new(), Vec::new(), Vec::new());
        for row in rows {
            let index = super::open(&row.name)
                .and_then(|name| super::name_index::of_name(row.programme, &name));
            match index {
                Ok((k, index)) if k == current => {
                    ids.push(row.id);
                    names.push(row.name);
                    indexes.push(super::name_index::array_literal(&index));
                }
                // The key file changed during the pass: left for the next.
                Ok(_) => done.unreadable += 1,
                Err(e) => {
                    done.unreadable += 1;
                    tracing::warn!(table = "family_personal", id = row.id, "cannot index: {e}");
                }
            }
        }
        if !ids.is_empty() {
            diesel::sql_query(
                "UPDATE family_personal t SET name_index = v.idx::bigint[], name_index_key = $4 \
                 FROM unnest($1, $2, $3) AS v(id, name, idx) \
                 WHERE t.family_id = v.id AND t.name = v.name",
            )
            .bind::<Array<BigInt>, _>(&ids)
            .bind::<Array<Bytea>, _>(&names)
            .bind::<Array<Text>, _>(&indexes)
            .bind::<Integer, _>(key)
            .execute(conn)
            .await?;
        }
        if !full {
            return Ok(());
        }
    }
}

#[derive(QueryableByName)]
struct Kept {
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Bytea)]
    response: Vec<u8>,
}

/// The answers kept for idempotent requests (`web::idempotency`): keyed
/// by user and key, and few (a week's), so all in one statement.
async fn idempotency(
    conn: &mut AsyncPgConnection,
    header: &[u8],
    done: &mut Resealed,
) -> Result<()> {
    let rows: Vec<Kept> = diesel::sql_query(
        "SELECT user_id, key, response FROM idempotency_keys \
         WHERE octet_length(response) > 0 AND substring(response FROM 1 FOR 6) <> $1",
    )
    .bind::<Bytea, _>(header)
    .load(conn)
    .await?;
    let (mut users, mut keys, mut old, mut new) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for row in rows {
        match super::reseal_value(&row.response) {
            Ok(Some(sealed)) => {
                users.push(row.user_id);
                keys.push(row.key);
                old.push(row.response);
                new.push(sealed);
            }
            Ok(None) => {}
            Err(e) => {
                done.unreadable += 1;
                tracing::warn!(
                    table = "idempotency_keys",
                    user = row.user_id,
                    "cannot reseal: {e}"
                );
            }
        }
    }
    if !users.is_empty() {
        let n = diesel::sql_query(
            "UPDATE idempotency_keys t SET response = v.new \
             FROM unnest($1, $2, $3, $4) AS v(user_id, key, old, new) \
             WHERE t.user_id = v.user_id AND t.key = v.key AND t.response = v.old",
        )
        .bind::<Array<BigInt>, _>(&users)
        .bind::<Array<Text>, _>(&keys)
        .bind::<Array<Bytea>, _>(&old)
        .bind::<Array<Bytea>, _>(&new)
        .execute(conn)
        .await?;
        done.values += n as u64;
    }
    Ok(())
}

/// How many stored values are under a key other than `current` (or still
/// text): none must be before an old key is removed.
pub async fn left_over(conn: &mut AsyncPgConnection, current: u32) -> Result<i64> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let header = super::header(current);
    let mut total = 0;
    let mut sources: Vec<(&str, &str)> = COLUMNS
        .iter()
        .flat_map(|(t, _, cols)| cols.iter().map(move |c| (*t, *c)))
        .collect();
    sources.extend(BYTE_COLUMNS.iter().map(|(t, _, c)| (*t, *c)));
    sources.push(("idempotency_keys", "response"));
    for (table, column) in sources {
        let n: N = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM {table} \
             WHERE octet_length({column}) > 0 AND substring({column} FROM 1 FOR 6) <> $1"
        ))
        .bind::<Bytea, _>(&header)
        .get_result(conn)
        .await?;
        total += n.n;
    }
    let index: N = diesel::sql_query(
        "SELECT count(*) AS n FROM family_personal WHERE name_index_key IS DISTINCT FROM $1",
    )
    .bind::<Integer, _>(i32::try_from(current)?)
    .get_result(conn)
    .await?;
    Ok(total + index.n)
}

/// Seals what is not yet under the current key, unless the database says
/// a pass under it finished: at the server's start, in the background.
pub async fn if_needed(conn: &mut AsyncPgConnection) -> Result<Option<Resealed>> {
    let Some(current) = super::current_key() else {
        return Ok(None);
    };
    if registry::resealed(conn, current).await? {
        return Ok(None);
    }
    run(conn).await.map(Some)
}
