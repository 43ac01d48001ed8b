//! Bulk creation through the API: a body that is one record or an array of
//! them; an array is all or none. Each item goes through the same use case
//! as a single record (its own savepoint inside one transaction); if any
//! item is refused, nothing is kept and the answer (422) names each failing
//! item by its index with its field errors.

use std::future::Future;
use std::pin::Pin;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, TransactionManager};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Tr;
use super::extract::Json;
use crate::error::{AppError, AppResult, FieldErrors};

/// One record, or an array of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    Many(Vec<T>),
    One(Box<T>),
}

/// One item's creation, as a function of the connection, the request's
/// context (the caller, today) and the item.
pub type One<'a, T> = Pin<Box<dyn Future<Output = AppResult<T>> + Send + 'a>>;

/// Creates every item with `create`, all or none: 201 with
/// `{"items": [...]}`, or 422 naming each failing item. (`create` is a
/// function, not a closure: a closure's future cannot be shown `Send` for
/// every borrow of the connection.)
pub async fn create_all<C: Sync, I: Sync, T: Serialize + Send>(
    conn: &mut AsyncPgConnection,
    tr: &Tr,
    request_id: &str,
    ctx: &C,
    items: &[I],
    create: for<'a> fn(&'a mut AsyncPgConnection, &'a C, &'a I) -> One<'a, T>,
) -> AppResult<Response> {
    // Begun and ended by hand: `transaction` wants a closure whose future
    // is `Send` for every `create`, which a generic one cannot promise.
    AnsiTransactionManager::begin_transaction(conn).await?;
    let mut made = Vec::new();
    let mut failed = Vec::new();
    let mut stop = None;
    for (index, item) in items.iter().enumerate() {
        match create(conn, ctx, item).await {
            Ok(v) => made.push(v),
            Err(AppError::Validation(errors)) => failed.push((index, errors)),
            Err(e) => {
                stop = Some(e);
                break;
            }
        }
    }
    if stop.is_none() && failed.is_empty() {
        AnsiTransactionManager::commit_transaction(conn).await?;
        return Ok((StatusCode::CREATED, Json(json!({ "items": made }))).into_response());
    }
    AnsiTransactionManager::rollback_transaction(conn).await?;
    match stop {
        Some(e) => Err(e),
        None => Ok(items_refused(tr, request_id, &failed)),
    }
}

/// The 422 of a bulk request: each failing item by its index.
pub fn items_refused(tr: &Tr, request_id: &str, failed: &[(usize, FieldErrors)]) -> Response {
    let body = refused_body(tr, request_id, "error-bulk-items", failed);
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// The body of a bulk request's 422 (also the visits' own bulk, whose
/// answer an idempotency key keeps): `message` and each failing item.
pub fn refused_body(
    tr: &Tr,
    request_id: &str,
    message: &str,
    failed: &[(usize, FieldErrors)],
) -> serde_json::Value {
    let items: Vec<_> = failed
        .iter()
        .map(|(index, errors)| {
            let fields: serde_json::Map<String, serde_json::Value> = errors
                .iter()
                .map(|(f, m)| ((*f).to_owned(), json!(tr.msg(m))))
                .collect();
            let details: Vec<_> = errors.iter().map(|(f, m)| m.detail(f, tr.msg(m))).collect();
            json!({"index": index, "fields": fields, "field_errors": details})
        })
        .collect();
    json!({"error": {
        "code": "validation_failed",
        "message": tr.t(message),
        "request_id": request_id,
        "items": items,
    }})
}
