//! JSON routes for visits (one or a bulk array), referrals and topics.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::input::{DoneInput, OutcomeInput, ReferralQuery, VisitInput, VisitQuery, VoidInput};
use super::model::{COUNT_LIMIT, Referral, ReferralItem, Visit};
use super::ops::{self, visit::BulkError};
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{ReferralId, VisitId};
use crate::state::AppState;
use crate::web::extract::{Json, JsonBytes, Path, Query};
use crate::web::i18n::Tr;
use crate::web::idempotency::{self, Key};
use crate::web::pagination::Paged;
use crate::web::reads::ListDb;

const TAG: &str = "visits";

/// A page of visits.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitPage {
    pub items: Vec<Visit>,
    pub page: i64,
    pub per_page: i64,
    /// Matching visits, counted up to 10,000.
    pub total: i64,
    /// `true`: more than `total` visits match (narrow the filter to page further).
    pub total_capped: bool,
}

/// Visits by date range, mother, family, district and topic, newest first.
#[utoipa::path(get, path = "/api/v1/visits", tag = TAG, params(VisitQuery),
    responses((status = 200, body = VisitPage), (status = 422, body = ErrorResponse)))]
pub async fn list_visits(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<VisitQuery>,
    ListDb(mut conn): ListDb,
) -> AppResult<Json<VisitPage>> {
    let mut filter = q.filter()?;
    filter.with_voided = access.sees_personal();
    let (items, total) =
        Visit::list(&mut conn, &access.scope, &filter, access.sees_personal()).await?;
    super::log_note_reads(&state, &access, &items, crate::audit::access::Channel::Api);
    Ok(Json(VisitPage {
        items,
        page: filter.page,
        per_page: filter.per_page,
        total: total.min(COUNT_LIMIT),
        total_capped: total > COUNT_LIMIT,
    }))
}

/// One visit, or an array of visits (paper forms entered later). An array
/// is all or nothing: if any item fails, nothing is saved and the answer
/// (422) lists each failing item by its index with its field errors.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum VisitBody {
    Many(Vec<VisitInput>),
    One(Box<VisitInput>),
}

/// Records a visit (201 with the visit) or a bulk array (201 with the ids).
/// The same mother, family, date and kind a second time answers 422 with
/// the field `confirm_duplicate`; send `"confirm_duplicate": "true"` to save.
///
/// With an `Idempotency-Key` header (1 to 255 printable ASCII characters,
/// per user, kept at least 7 days) a repeat of the same request answers
/// the first answer again (with `Idempotent-Replayed: true`) and saves
/// nothing; the same key with another body answers 409.
#[utoipa::path(post, path = "/api/v1/visits", tag = TAG, request_body = VisitBody,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Makes a repeat of this request answer the first answer again")),
    responses((status = 201, body = Visit), (status = 400, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn create_visit(
    State(state): State<AppState>,
    access: Access,
    tr: Tr,
    headers: HeaderMap,
    JsonBytes(body, bytes): JsonBytes<VisitBody>,
) -> AppResult<Response> {
    let key = Key::from_request(&headers, access.actor, "POST", "/api/v1/visits", &bytes)?;
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let now = state.clock().now();
    idempotency::once(&mut conn, key, now, "/api/v1/visits", async |conn| {
        create_visits(
            conn,
            &access,
            &tr,
            &body,
            today,
            crate::web::request_id(&headers),
        )
        .await
    })
    .await
}

/// One visit or several, with the answer's status and body.
async fn create_visits(
    conn: &mut AsyncPgConnection,
    access: &Access,
    tr: &Tr,
    body: &VisitBody,
    today: NaiveDate,
    request_id: &str,
) -> AppResult<(StatusCode, serde_json::Value)> {
    match body {
        VisitBody::One(input) => {
            let v = ops::visit::create(conn, access, input, today).await?;
            Ok((StatusCode::CREATED, json!(v)))
        }
        VisitBody::Many(items) => {
            let result = ops::visit::create_bulk(conn, access, items, today).await;
            match result {
                Ok(ids) => Ok((StatusCode::CREATED, json!({ "ids": ids }))),
                Err(BulkError::App(e)) => Err(e),
                Err(BulkError::Items(items)) => {
                    let failed: Vec<_> = items.into_iter().map(|i| (i.index, i.errors)).collect();
                    Ok((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        crate::web::bulk::refused_body(
                            tr,
                            request_id,
                            "error-bulk-failed",
                            &failed,
                        ),
                    ))
                }
            }
        }
    }
}

#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 404, body = ErrorResponse)))]
pub async fn get_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Visit>> {
    let mut conn = state.db().await?;
    let v = Visit::find(&mut conn, &access.scope, id, access.sees_personal()).await?;
    super::log_note_reads(&state, &access, [&v], crate::audit::access::Channel::Api);
    Ok(Json(v))
}

/// Corrects a visit: the fields sent replace the recorded ones (the same
/// fields as a new visit's; topics and referrals as whole lists). A referral
/// with an outcome cannot be taken back (422); a voided visit must be
/// restored first (409).
#[utoipa::path(patch, path = "/api/v1/visits/{id}", tag = TAG, request_body = VisitInput,
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 400, body = ErrorResponse),
              (status = 404, body = ErrorResponse), (status = 409, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<VisitId>,
    Json(patch): Json<serde_json::Value>,
) -> AppResult<Json<Visit>> {
    let mut conn = state.db().await?;
    let current = Visit::find(&mut conn, &access.scope, id.0, true).await?;
    let input = ops::correct::as_input(&current).merge(patch)?;
    let today = state.clock().today();
    Ok(Json(
        ops::correct::update(&mut conn, &access, id, &input, today).await?,
    ))
}

/// Voids a visit with a reason: it leaves every report and stays on
/// record, shown struck through to coordinators. Voiding it again changes
/// nothing.
#[utoipa::path(post, path = "/api/v1/visits/{id}/void", tag = TAG, request_body = VoidInput,
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn void_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<VisitId>,
    Json(input): Json<VoidInput>,
) -> AppResult<Json<Visit>> {
    let mut conn = state.db().await?;
    let now = state.clock().now();
    Ok(Json(
        ops::correct::void(&mut conn, &access, id, &input, now).await?,
    ))
}

/// Marks a visit a mother entered herself as reviewed (it leaves the
/// coordinators' list awaiting review). A visit reviewed before, or
/// entered by staff, is answered as it is.
#[utoipa::path(post, path = "/api/v1/visits/{id}/review", tag = TAG,
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 404, body = ErrorResponse)))]
pub async fn review_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<VisitId>,
) -> AppResult<Json<Visit>> {
    let mut conn = state.db().await?;
    let now = state.clock().now();
    Ok(Json(
        ops::correct::review(&mut conn, &access, id, now).await?,
    ))
}

/// Restores a voided visit: it counts again.
#[utoipa::path(post, path = "/api/v1/visits/{id}/restore", tag = TAG,
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 404, body = ErrorResponse)))]
pub async fn restore_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<VisitId>,
) -> AppResult<Json<Visit>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::correct::restore(&mut conn, &access, id).await?))
}

/// The referral worklist: open referrals by default (`status=all` for
/// every one), by service, mother, district and programme, oldest visit
/// first, 50 a page. Referrals of voided visits are left out.
#[utoipa::path(get, path = "/api/v1/referrals", tag = TAG, params(ReferralQuery),
    responses((status = 200, body = Paged<ReferralItem>), (status = 422, body = ErrorResponse)))]
pub async fn list_referrals(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<ReferralQuery>,
) -> AppResult<Json<Paged<ReferralItem>>> {
    let filter = q.filter()?;
    let mut conn = state.db().await?;
    let (items, total) = Referral::worklist(&mut conn, &access.scope, &filter).await?;
    Ok(Json(Paged::new(items, total, filter.page, filter.per_page)))
}

/// Records a referral's outcome (`done` or `not_taken_up`, with `done_on`,
/// today when empty, and a `note`), changes it, or reopens the referral
/// (`{"status": "open"}`).
#[utoipa::path(patch, path = "/api/v1/referrals/{id}", tag = TAG, request_body = OutcomeInput,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = Referral), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_referral(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ReferralId>,
    Json(input): Json<OutcomeInput>,
) -> AppResult<Json<Referral>> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    Ok(Json(
        ops::referral::set_outcome(&mut conn, &access, id, &input, today, true).await?,
    ))
}

/// Marks a referral done (today unless a date is given).
#[utoipa::path(post, path = "/api/v1/referrals/{id}/done", tag = TAG, request_body = DoneInput,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = Referral), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn referral_done(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ReferralId>,
    Json(input): Json<DoneInput>,
) -> AppResult<Json<Referral>> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    Ok(Json(
        ops::referral::mark_done(&mut conn, &access, id, &input, today).await?,
    ))
}
