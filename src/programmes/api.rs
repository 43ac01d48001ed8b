//! JSON routes for programmes and districts: thin, over the same `ops` as
//! the HTML pages.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{DistrictInput, ProgrammeInput, WordPair, WorkerWordInput};
use super::model::{District, Programme, WorkerWord};
use super::ops::{self, DeleteOutcome};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::{DistrictId, ProgrammeId};
use crate::state::AppState;
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};
use crate::web::patch::{Table, patch};

const TAG: &str = "programmes";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Include archived records.
    #[serde(default)]
    include_archived: bool,
}

/// The programmes the caller may see.
#[utoipa::path(get, path = "/api/v1/programmes", tag = TAG, params(ListParams, PageParams),
    responses((status = 200, body = Paged<Programme>), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<ListParams>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Programme>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        Programme::list(&mut conn, &access.scope, q.include_archived).await?,
        spec,
    )))
}

/// Creates a programme.
#[utoipa::path(post, path = "/api/v1/programmes", tag = TAG, request_body = ProgrammeInput,
    responses((status = 201, body = Programme),
              (status = 400, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<ProgrammeInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let p = ops::create(&mut conn, &access, &input).await?;
    Ok(created(format!("/api/v1/programmes/{}", p.id), p))
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
    Ok(Json(ops::update(&mut conn, &access, id, &input).await?))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/programmes/{id}", tag = TAG, request_body = ProgrammeInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = Programme), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_programme(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Programme>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Programmes,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(ProgrammeInput::from(
                        &Programme::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update(c, a, *id, input)),
        )
        .await?,
    ))
}

/// A programme's words for its workers, by language.
type Words = BTreeMap<String, WordPair>;

fn by_language(words: Vec<WorkerWord>) -> Words {
    words
        .into_iter()
        .map(|w| {
            (
                w.language,
                WordPair {
                    one: w.one,
                    other: w.other,
                },
            )
        })
        .collect()
}

/// What the programme calls its workers, by language (a language without
/// an entry uses its usual word).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/worker-words", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = BTreeMap<String, WordPair>),
              (status = 404, body = ErrorResponse)))]
pub async fn worker_words(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
) -> AppResult<Json<Words>> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(by_language(WorkerWord::of(&mut conn, id).await?)))
}

/// Replaces what the programme calls its workers, by interface language
/// (`de`, `da`, `tr`, `ar`, `en`): the singular and the plural as written
/// in the middle of a sentence, at most 60 characters each. A language
/// left out, or with both empty, uses its usual word. Errors name
/// `worker_one_<language>`, `worker_other_<language>` or `language`.
#[utoipa::path(put, path = "/api/v1/programmes/{id}/worker-words", tag = TAG,
    request_body = BTreeMap<String, WordPair>,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = BTreeMap<String, WordPair>),
              (status = 400, body = ErrorResponse), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn set_worker_words(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<Words>,
) -> AppResult<Json<Words>> {
    let mut conn = state.db().await?;
    let input = WorkerWordInput::from_map(input);
    Ok(Json(by_language(
        ops::set_worker_words(&mut conn, &access, id, &input).await?,
    )))
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
    match ops::delete(&mut conn, &access, id).await? {
        (_, DeleteOutcome::Deleted) => Ok(StatusCode::NO_CONTENT),
        (_, DeleteOutcome::HasData) => Err(AppError::Conflict("error-programme-has-data")),
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
    let now = state.clock().now();
    Ok(Json(
        ops::set_archived(&mut conn, &access, id, true, now).await?,
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
    let now = state.clock().now();
    Ok(Json(
        ops::set_archived(&mut conn, &access, id, false, now).await?,
    ))
}

/// The districts of a programme.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/districts", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), ListParams, PageParams),
    responses((status = 200, body = Paged<District>), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_districts(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(q): Query<ListParams>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<District>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        District::list(&mut conn, &access.scope, id, q.include_archived).await?,
        spec,
    )))
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
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let d = ops::create_district(&mut conn, &access, id, &input).await?;
    Ok(created(format!("/api/v1/districts/{}", d.id), d))
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
    Ok(Json(
        ops::update_district(&mut conn, &access, id, &input).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/districts/{id}", tag = TAG, request_body = DistrictInput,
    params(("id" = i64, Path, description = "District id")),
    responses((status = 200, body = District), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_district(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<DistrictId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<District>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Districts,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(DistrictInput {
                        name: District::find(c, &a.scope, *id).await?.name,
                    })
                })
            },
            |c, (a, id), input| Box::pin(ops::update_district(c, a, *id, input)),
        )
        .await?,
    ))
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
    let now = state.clock().now();
    Ok(Json(
        ops::set_district_archived(&mut conn, &access, id, true, now).await?,
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
    let now = state.clock().now();
    Ok(Json(
        ops::set_district_archived(&mut conn, &access, id, false, now).await?,
    ))
}
