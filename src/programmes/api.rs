//! JSON routes for programmes and districts, over the same model functions
//! and input types as the HTML pages.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::form::{DistrictInput, ProgrammeInput};
use super::model::{
    DISTRICT_NAME_KEY, DeleteOutcome, District, DistrictData, PROGRAMME_NAME_KEY, Programme,
    ProgrammeData,
};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse, ResultExt};
use crate::ids::{DistrictId, ProgrammeId};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

const TAG: &str = "programmes";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Include archived records.
    #[serde(default)]
    include_archived: bool,
}

/// A taken name, or a currency change under existing amounts, as field errors.
pub fn programme_error(e: diesel::result::Error) -> AppError {
    match crate::error::constraint_name(&e) {
        Some(PROGRAMME_NAME_KEY) => AppError::field("name", "error-programme-name-taken"),
        Some("grants_programme_currency_fkey" | "expenses_programme_currency_fkey") => {
            AppError::field("currency", "error-currency-in-use")
        }
        _ => e.into(),
    }
}

fn district_name_taken() -> AppError {
    AppError::field("name", "error-district-name-taken")
}

/// The programmes the caller may see.
#[utoipa::path(get, path = "/api/v1/programmes", tag = TAG, params(ListParams),
    responses((status = 200, body = [Programme])))]
pub async fn list(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Vec<Programme>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Programme::list(&mut conn, &access.scope, q.include_archived).await?,
    ))
}

/// Creates a programme.
#[utoipa::path(post, path = "/api/v1/programmes", tag = TAG, request_body = ProgrammeInput,
    responses((status = 201, body = Programme),
              (status = 400, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<ProgrammeInput>,
) -> AppResult<(StatusCode, Json<Programme>)> {
    let data = ProgrammeData::try_from(&input).map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    let p = Programme::create(&mut conn, access.actor, &data)
        .await
        .map_err(programme_error)?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// One programme.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = Programme), (status = 404, body = ErrorResponse)))]
pub async fn get(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Json<Programme>> {
    let mut conn = state.db().await?;
    Ok(Json(Programme::find(&mut conn, &access.scope, id).await?))
}

/// Replaces a programme's fields.
#[utoipa::path(put, path = "/api/v1/programmes/{id}", tag = TAG, request_body = ProgrammeInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = Programme), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<ProgrammeInput>,
) -> AppResult<Json<Programme>> {
    let mut conn = state.db().await?;
    // Not found (or not visible) comes before invalid.
    Programme::find(&mut conn, &access.scope, id).await?;
    let data = ProgrammeData::try_from(&input).map_err(AppError::Validation)?;
    let p = Programme::update(&mut conn, access.actor, &access.scope, id, &data)
        .await
        .map_err(programme_error)?;
    Ok(Json(p))
}

/// Deletes a programme that holds no data; one with data answers 409
/// (archive it instead).
#[utoipa::path(delete, path = "/api/v1/programmes/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 204), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn delete(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    match Programme::delete(&mut conn, access.actor, &access.scope, id).await? {
        DeleteOutcome::Deleted => Ok(StatusCode::NO_CONTENT),
        DeleteOutcome::HasData => Err(AppError::Conflict("error-programme-has-data")),
    }
}

/// Archives a programme (it keeps its data and leaves the lists).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/archive", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = Programme), (status = 404, body = ErrorResponse)))]
pub async fn archive(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Json<Programme>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Programme::set_archived(
            &mut conn,
            access.actor,
            &access.scope,
            id,
            true,
            state.clock().now(),
        )
        .await?,
    ))
}

/// Restores an archived programme.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/restore", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = Programme), (status = 404, body = ErrorResponse)))]
pub async fn restore(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Json<Programme>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Programme::set_archived(
            &mut conn,
            access.actor,
            &access.scope,
            id,
            false,
            state.clock().now(),
        )
        .await?,
    ))
}

/// The districts of a programme.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/districts", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), ListParams),
    responses((status = 200, body = [District]), (status = 404, body = ErrorResponse)))]
pub async fn list_districts(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(q): Query<ListParams>,
) -> AppResult<Json<Vec<District>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        District::list(&mut conn, &access.scope, id, q.include_archived).await?,
    ))
}

/// Adds a district to a programme; its name is unique within the programme.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/districts", tag = TAG,
    request_body = DistrictInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = District), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<DistrictInput>,
) -> AppResult<(StatusCode, Json<District>)> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    let data = DistrictData::try_from(&input).map_err(AppError::Validation)?;
    let d = District::create(&mut conn, access.actor, &access.scope, id, &data)
        .await
        .on_constraint(DISTRICT_NAME_KEY, district_name_taken)?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// One district.
#[utoipa::path(get, path = "/api/v1/districts/{id}", tag = TAG,
    params(("id" = i64, Path, description = "District id")),
    responses((status = 200, body = District), (status = 404, body = ErrorResponse)))]
pub async fn get_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
) -> AppResult<Json<District>> {
    let mut conn = state.db().await?;
    Ok(Json(District::find(&mut conn, &access.scope, id).await?))
}

/// Renames a district.
#[utoipa::path(put, path = "/api/v1/districts/{id}", tag = TAG, request_body = DistrictInput,
    params(("id" = i64, Path, description = "District id")),
    responses((status = 200, body = District), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
    Json(input): Json<DistrictInput>,
) -> AppResult<Json<District>> {
    let mut conn = state.db().await?;
    District::find(&mut conn, &access.scope, id).await?;
    let data = DistrictData::try_from(&input).map_err(AppError::Validation)?;
    let d = District::update(&mut conn, access.actor, &access.scope, id, &data)
        .await
        .on_constraint(DISTRICT_NAME_KEY, district_name_taken)?;
    Ok(Json(d))
}

/// Archives a district.
#[utoipa::path(post, path = "/api/v1/districts/{id}/archive", tag = TAG,
    params(("id" = i64, Path, description = "District id")),
    responses((status = 200, body = District), (status = 404, body = ErrorResponse)))]
pub async fn archive_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
) -> AppResult<Json<District>> {
    let mut conn = state.db().await?;
    Ok(Json(
        District::set_archived(
            &mut conn,
            access.actor,
            &access.scope,
            id,
            true,
            state.clock().now(),
        )
        .await?,
    ))
}

/// Restores an archived district.
#[utoipa::path(post, path = "/api/v1/districts/{id}/restore", tag = TAG,
    params(("id" = i64, Path, description = "District id")),
    responses((status = 200, body = District), (status = 404, body = ErrorResponse)))]
pub async fn restore_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
) -> AppResult<Json<District>> {
    let mut conn = state.db().await?;
    Ok(Json(
        District::set_archived(
            &mut conn,
            access.actor,
            &access.scope,
            id,
            false,
            state.clock().now(),
        )
        .await?,
    ))
}
