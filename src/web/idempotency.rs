//! Idempotency keys: a client that may send the same write twice (the
//! mothers' offline app after a lost answer, an integrator's retry) names
//! it with an `Idempotency-Key` header. The first answer is kept with the
//! key, in PostgreSQL so that every instance sees it: the same key with
//! the same request answers the same records again, however often and
//! however concurrently it comes; the same key with another request is a
//! conflict (409). A key belongs to the user who sent it and is kept at
//! least [`KEPT_DAYS`] days.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header::CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, TransactionManager};
use sha2::{Digest, Sha256};

use crate::crypto::Sealed;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::schema::idempotency_keys as keys;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The answer header that marks a repeated answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// How long a key is kept, at least.
pub const KEPT_DAYS: i64 = 7;

/// A request's key: whose, which, and a digest of the request it names.
#[derive(Debug, Clone)]
pub struct Key {
    user_id: i64,
    key: String,
    digest: Vec<u8>,
}

impl Key {
    /// The key a request sent, if any, bound to its user and to the digest
    /// of its method, path and body. A key that is empty, longer than 255
    /// characters or not printable ASCII is a bad request.
    pub fn from_request(
        headers: &HeaderMap,
        user: Option<UserId>,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> AppResult<Option<Key>> {
        let Some(value) = headers.get(HEADER) else {
            return Ok(None);
        };
        let key = value
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|k| {
                !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| (0x21..0x7f).contains(&b))
            })
            .ok_or_else(|| {
                AppError::BadRequest(
                    "Idempotency-Key: 1 to 255 printable ASCII characters, no spaces".into(),
                )
            })?;
        // Keys are per user; a caller without one (never, behind the
        // policy) cannot use them.
        let Some(user) = user else {
            return Ok(None);
        };
        let mut hash = Sha256::new();
        hash.update(method.as_bytes());
        hash.update([0]);
        hash.update(path.as_bytes());
        hash.update([0]);
        hash.update(body);
        Ok(Some(Key {
            user_id: user.0,
            key: key.to_owned(),
            digest: hash.finalize().to_vec(),
        }))
    }
}

/// Runs `write` once per key: without a key it simply runs; with one, in a
/// transaction that holds the key's lock, it answers the kept answer if
/// there is one, else runs `write` and keeps its answer when it succeeded
/// (a refused request keeps nothing, so it may be corrected and sent
/// again with the same key).
pub async fn once(
    conn: &mut AsyncPgConnection,
    key: Option<Key>,
    now: DateTime<Utc>,
    location: &str,
    write: impl AsyncFnOnce(&mut AsyncPgConnection) -> AppResult<(StatusCode, serde_json::Value)>,
) -> AppResult<Response> {
    let Some(key) = key else {
        let (status, body) = write(conn).await?;
        return Ok(json(status, body.to_string(), false, location));
    };
    // The transaction is begun and ended by hand: `transaction()` needs a
    // `Send` future from its closure, which a generic `write` cannot
    // promise. The use case's own transaction inside becomes a savepoint.
    AnsiTransactionManager::begin_transaction(conn).await?;
    match locked(conn, &key, now, location, write).await {
        Ok(res) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(res)
        }
        Err(e) => {
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(conn).await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// [`once`] inside its transaction.
async fn locked(
    conn: &mut AsyncPgConnection,
    key: &Key,
    now: DateTime<Utc>,
    location: &str,
    write: impl AsyncFnOnce(&mut AsyncPgConnection) -> AppResult<(StatusCode, serde_json::Value)>,
) -> AppResult<Response> {
    // One request per key at a time, across instances: a repeat that
    // arrives while the first is being written waits for its answer.
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind::<Text, _>(format!("idempotency:{}:{}", key.user_id, key.key))
        .execute(conn)
        .await?;
    let kept: Option<(Vec<u8>, i16, Sealed)> = keys::table
        .find((key.user_id, &key.key))
        .select((keys::request_sha256, keys::status, keys::response))
        .first(conn)
        .await
        .optional()?;
    if let Some((digest, status, body)) = kept {
        if digest != key.digest {
            return Err(AppError::Conflict("error-idempotency-key-reused"));
        }
        let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
        return Ok(json(status, body.0, true, location));
    }
    let (status, body) = write(conn).await?;
    let body = body.to_string();
    if status.is_success() {
        diesel::insert_into(keys::table)
            .values((
                keys::user_id.eq(key.user_id),
                keys::key.eq(&key.key),
                keys::request_sha256.eq(&key.digest),
                keys::status.eq(status.as_u16() as i16),
                // The answer may name a family or hold a note: sealed.
                keys::response.eq(Sealed::from(&body)),
                keys::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        // Keys past their time go as new ones come (a day's margin).
        diesel::delete(
            keys::table.filter(keys::created_at.lt(now - Duration::days(KEPT_DAYS + 1))),
        )
        .execute(conn)
        .await?;
    }
    Ok(json(status, body, false, location))
}

/// A JSON answer; a repeated one says so in [`REPLAYED`]. A 201 of one
/// record (with an `id`) has its `Location`: `location`/id.
fn json(status: StatusCode, body: String, replayed: bool, location: &str) -> Response {
    let id = (status == StatusCode::CREATED)
        .then(|| serde_json::from_str::<serde_json::Value>(&body).ok())
        .flatten()
        .and_then(|v| v["id"].as_i64());
    let mut res = (status, body).into_response();
    if let Some(v) = id.and_then(|id| HeaderValue::from_str(&format!("{location}/{id}")).ok()) {
        res.headers_mut().insert(axum::http::header::LOCATION, v);
    }
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if replayed {
        res.headers_mut()
            .insert(REPLAYED, HeaderValue::from_static("true"));
    }
    res
}
