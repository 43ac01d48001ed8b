//! JSON routes of privacy: the access log, the exports (right of access),
//! erasure, withdrawing consent and what retention will erase. Thin: the
//! rules are in `erase`, `export` and `retention`.

use axum::extract::State;

use super::access::{AccessEntry, AccessQuery};
use super::erase::{self, EraseInput, WithdrawInput};
use super::export::{self, FamilyExport, MotherExport};
use super::retention::{self, Due};
use crate::audit::access::{Channel, FAMILY_FIELDS_NOTES, MOTHER_FIELDS};
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::families::model::Family;
use crate::ids::{FamilyId, MotherId};
use crate::mothers::model::Mother;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};

const TAG: &str = "privacy";

async fn access_page(
    state: &AppState,
    access: &Access,
    q: &AccessQuery,
    subject: Option<(&'static str, i64)>,
) -> AppResult<Paged<AccessEntry>> {
    let mut filter = q.filter()?;
    if let Some((s, id)) = subject {
        filter.subject = Some(s);
        filter.subject_id = Some(id);
    }
    state.access_log().flush().await;
    let mut conn = state.db().await?;
    let (items, total) = AccessEntry::page(&mut conn, &access.scope, &filter).await?;
    Ok(Paged::new(items, total, filter.page, filter.per_page))
}

/// Every read of personal details the caller may see, newest first,
/// filtered by record, programme, user and dates.
#[utoipa::path(get, path = "/api/v1/access-log", tag = TAG, params(AccessQuery),
    responses((status = 200, body = Paged<AccessEntry>), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<AccessQuery>,
) -> AppResult<Json<Paged<AccessEntry>>> {
    Ok(Json(access_page(&state, &access, &q, None).await?))
}

/// Who read this family's personal details, and when.
#[utoipa::path(get, path = "/api/v1/families/{id}/access-log", tag = TAG, params(
    ("id" = i64, Path, description = "Family id"), AccessQuery),
    responses((status = 200, body = Paged<AccessEntry>), (status = 404, body = ErrorResponse)))]
pub async fn family_log(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
    Query(q): Query<AccessQuery>,
) -> AppResult<Json<Paged<AccessEntry>>> {
    let mut conn = state.db().await?;
    Family::find(&mut conn, &access.scope, id, false).await?;
    drop(conn);
    Ok(Json(
        access_page(&state, &access, &q, Some(("family", id.0))).await?,
    ))
}

/// Who read this mother's personal details, and when.
#[utoipa::path(get, path = "/api/v1/mothers/{id}/access-log", tag = TAG, params(
    ("id" = i64, Path, description = "Mother id"), AccessQuery),
    responses((status = 200, body = Paged<AccessEntry>), (status = 404, body = ErrorResponse)))]
pub async fn mother_log(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
    Query(q): Query<AccessQuery>,
) -> AppResult<Json<Paged<AccessEntry>>> {
    let mut conn = state.db().await?;
    Mother::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    Ok(Json(
        access_page(&state, &access, &q, Some(("mother", id.0))).await?,
    ))
}

/// Everything held about a family (right of access).
#[utoipa::path(get, path = "/api/v1/families/{id}/export", tag = TAG,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = FamilyExport), (status = 404, body = ErrorResponse)))]
pub async fn family_export(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
) -> AppResult<Json<FamilyExport>> {
    state.access_log().flush().await;
    let mut conn = state.db().await?;
    let e = export::family(&mut conn, &access, id).await?;
    crate::families::log_reads(
        &state,
        &access,
        [&e.family],
        FAMILY_FIELDS_NOTES,
        Channel::Export,
    );
    Ok(Json(e))
}

/// Everything held about a mother (right of access).
#[utoipa::path(get, path = "/api/v1/mothers/{id}/export", tag = TAG,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = MotherExport), (status = 404, body = ErrorResponse)))]
pub async fn mother_export(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
) -> AppResult<Json<MotherExport>> {
    state.access_log().flush().await;
    let mut conn = state.db().await?;
    let e = export::mother(&mut conn, &access, id).await?;
    crate::mothers::log_reads(&state, &access, [&e.mother], MOTHER_FIELDS, Channel::Export);
    Ok(Json(e))
}

/// Erases a family's personal details (name, address, phone, notes of its
/// visits and referrals); the record and its counts stay, so reports read
/// the same. 409 if already erased.
#[utoipa::path(post, path = "/api/v1/families/{id}/erase", tag = TAG, request_body = EraseInput,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn erase_family(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
    Json(input): Json<EraseInput>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    Ok(Json(
        erase::erase_family(&mut conn, &access, id, &input).await?,
    ))
}

/// Erases a mother's personal details (name, phone, email, notes, her
/// account); her record, training, visits and payments stay counted.
#[utoipa::path(post, path = "/api/v1/mothers/{id}/erase", tag = TAG, request_body = EraseInput,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = Mother), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn erase_mother(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
    Json(input): Json<EraseInput>,
) -> AppResult<Json<Mother>> {
    let mut conn = state.db().await?;
    Ok(Json(
        erase::erase_mother(&mut conn, &access, id, &input).await?,
    ))
}

/// Withdraws a family's consent for some scopes (`contact`, `visits`,
/// `referrals`) and erases what they covered.
#[utoipa::path(post, path = "/api/v1/families/{id}/consent/withdraw", tag = TAG,
    request_body = WithdrawInput,
    params(("id" = i64, Path, description = "Family id")),
    responses((status = 200, body = Family), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FamilyId>,
    Json(input): Json<WithdrawInput>,
) -> AppResult<Json<Family>> {
    let mut conn = state.db().await?;
    Ok(Json(
        erase::withdraw_consent(&mut conn, &access, id, &input).await?,
    ))
}

/// Who retention will erase within the next 30 days (due ones first).
#[utoipa::path(get, path = "/api/v1/retention", tag = TAG, params(PageParams),
    responses((status = 200, body = Paged<Due>), (status = 422, body = ErrorResponse)))]
pub async fn retention_due(
    State(state): State<AppState>,
    access: Access,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Due>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    let until = state.clock().today() + chrono::Days::new(30);
    Ok(Json(Paged::of_all(
        retention::due(&mut conn, &access.scope, until).await?,
        spec,
    )))
}
