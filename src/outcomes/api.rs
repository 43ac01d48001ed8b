//! JSON routes of questionnaires and their answers (thin: the use cases
//! are in `ops`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{QuestionnaireInput, ResponseInput};
use super::model::{Questionnaire, Response};
use super::ops;
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{ProgrammeId, QuestionnaireId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};
use crate::web::patch::{Table, patch};

const TAG: &str = "outcomes";

/// A programme's questionnaires, oldest first (retired ones too).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/questionnaires", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Questionnaire>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list_questionnaires(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Questionnaire>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Questionnaire::of_programme(&mut conn, id).await?,
        spec,
    )))
}

/// Defines a questionnaire: a title and items (each `scale`, 1 to 5, or
/// `choice` with its options), every text per language
/// (`{"en": "...", "de": "..."}`), for `mother` (intake and evaluation)
/// or `family` (first and tenth visit). `{"template": "dk-goals"}` makes
/// the ready-made questionnaire of the Danish goals.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/questionnaires", tag = TAG,
    request_body = QuestionnaireInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Questionnaire), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_questionnaire(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<QuestionnaireInput>,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let q = ops::create(&mut conn, &access, id, input).await?;
    Ok(created(format!("/api/v1/questionnaires/{}", q.id), q))
}

#[utoipa::path(get, path = "/api/v1/questionnaires/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Questionnaire id")),
    responses((status = 200, body = Questionnaire), (status = 404, body = ErrorResponse)))]
pub async fn get_questionnaire(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<QuestionnaireId>,
) -> AppResult<Json<Questionnaire>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Questionnaire::find(&mut conn, &access.scope, id).await?,
    ))
}

/// Changes a questionnaire: the fields sent replace the recorded ones
/// (`items` as a whole list; `{"retired": true}` retires it). An item
/// already answered must stay, with its kind and the options chosen.
#[utoipa::path(patch, path = "/api/v1/questionnaires/{id}", tag = TAG,
    request_body = QuestionnaireInput,
    params(("id" = i64, Path, description = "Questionnaire id")),
    responses((status = 200, body = Questionnaire), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_questionnaire(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<QuestionnaireId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Questionnaire>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Questionnaires,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(QuestionnaireInput::of(
                        &Questionnaire::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update(c, a, *id, input)),
        )
        .await?,
    ))
}

/// Deletes a questionnaire without answers (204); one with answers is
/// retired instead (409).
#[utoipa::path(delete, path = "/api/v1/questionnaires/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Questionnaire id")),
    responses((status = 204), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn delete_questionnaire(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<QuestionnaireId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    ops::delete(&mut conn, &access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ResponseQuery {
    /// One mother's responses.
    pub mother_id: Option<i64>,
    /// One family's responses.
    pub family_id: Option<i64>,
}

/// A questionnaire's responses, newest first: a mother's questionnaire
/// for trainers, a family's for coordinators.
#[utoipa::path(get, path = "/api/v1/questionnaires/{id}/responses", tag = TAG,
    params(("id" = i64, Path, description = "Questionnaire id"), ResponseQuery, PageParams),
    responses((status = 200, body = Paged<Response>), (status = 403, body = ErrorResponse),
              (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn list_responses(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<QuestionnaireId>,
    Query(q): Query<ResponseQuery>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Response>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    let (_, all) = ops::responses_of(&mut conn, &access, id).await?;
    let chosen = all
        .into_iter()
        .filter(|r| q.mother_id.is_none_or(|m| r.mother_id == Some(m)))
        .filter(|r| q.family_id.is_none_or(|f| r.family_id == Some(f)))
        .collect();
    Ok(Json(Paged::of_all(chosen, spec)))
}

/// Records one person's answers at one point (`intake`/`evaluation` for
/// a mother, `first_visit`/`tenth_visit` for a family): 201 when new, 200
/// when they replace the answers given at that point before.
#[utoipa::path(post, path = "/api/v1/questionnaires/{id}/responses", tag = TAG,
    request_body = ResponseInput,
    params(("id" = i64, Path, description = "Questionnaire id")),
    responses((status = 201, body = Response), (status = 200, body = Response),
              (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn answer(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<QuestionnaireId>,
    Json(input): Json<ResponseInput>,
) -> AppResult<HttpResponse> {
    let mut conn = state.db().await?;
    let (r, new) = ops::answer(&mut conn, &access, id, &input).await?;
    if !new {
        return Ok(Json(r).into_response());
    }
    let person = match (r.mother_id, r.family_id) {
        (Some(m), _) => format!("mother_id={m}"),
        (_, f) => format!("family_id={}", f.unwrap_or_default()),
    };
    Ok(created(
        format!("/api/v1/questionnaires/{id}/responses?{person}"),
        r,
    ))
}
