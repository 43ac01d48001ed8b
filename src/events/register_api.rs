//! JSON routes of the participant register, event attendance and
//! integration partnerships (thin: the use cases are in `register` and
//! `partnerships`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::partnerships::{self, Partnership, PartnershipInput};
use super::register::{self, Attendance, Participant, ParticipantInput};
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{EventId, ParticipantId, PartnershipId, ProgrammeId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};
use crate::web::patch::{Table, patch};

const TAG: &str = "events";

/// A programme's participant register (pseudonymous), by code.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/participants", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Participant>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list_participants(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Participant>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Participant::of_programme(&mut conn, id).await?,
        spec,
    )))
}

/// Registers a participant: a code (never a name), `local` or `migrant`,
/// and optionally the country of origin and the age band.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/participants", tag = TAG,
    request_body = ParticipantInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Participant), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_participant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<ParticipantInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let p = register::create(&mut conn, &access, id, &input).await?;
    Ok(created(format!("/api/v1/participants/{}", p.id), p))
}

#[utoipa::path(get, path = "/api/v1/participants/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Participant id")),
    responses((status = 200, body = Participant), (status = 404, body = ErrorResponse)))]
pub async fn get_participant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ParticipantId>,
) -> AppResult<Json<Participant>> {
    let mut conn = state.db().await?;
    Ok(Json(Participant::find(&mut conn, &access.scope, id).await?))
}

/// Corrects a participant: the fields sent replace the recorded ones.
#[utoipa::path(patch, path = "/api/v1/participants/{id}", tag = TAG,
    request_body = ParticipantInput,
    params(("id" = i64, Path, description = "Participant id")),
    responses((status = 200, body = Participant), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_participant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ParticipantId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Participant>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Participants,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(ParticipantInput::of(
                        &Participant::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(register::update(c, a, *id, input)),
        )
        .await?,
    ))
}

/// Removes a participant registered by mistake, with their attendance
/// and partnerships (204).
#[utoipa::path(delete, path = "/api/v1/participants/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Participant id")),
    responses((status = 204), (status = 404, body = ErrorResponse)))]
pub async fn delete_participant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ParticipantId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    register::delete(&mut conn, &access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The registered participants who attended an event.
#[utoipa::path(get, path = "/api/v1/events/{id}/participants", tag = TAG,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Vec<Participant>), (status = 404, body = ErrorResponse)))]
pub async fn get_attendance(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EventId>,
) -> AppResult<Json<Vec<Participant>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        register::attendance(&mut conn, &access.scope, id).await?,
    ))
}

/// Sets who attended (`{"participant_ids": [...]}`, the whole list, each of
/// the event's programme's register). With anyone on the list, the event's
/// local and migrant counts become the list's.
#[utoipa::path(put, path = "/api/v1/events/{id}/participants", tag = TAG,
    request_body = Attendance,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Vec<Participant>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn put_attendance(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EventId>,
    Json(input): Json<Attendance>,
) -> AppResult<Json<Vec<Participant>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        register::set_attendance(&mut conn, &access, id, &input).await?,
    ))
}

/// A programme's integration partnerships, newest first.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/partnerships", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Partnership>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list_partnerships(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Partnership>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Partnership::of_programme(&mut conn, id).await?,
        spec,
    )))
}

/// Pairs a local and a migrant participant of the register from a date.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/partnerships", tag = TAG,
    request_body = PartnershipInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Partnership), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_partnership(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<PartnershipInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let p = partnerships::create(&mut conn, &access, id, &input).await?;
    Ok(created(format!("/api/v1/partnerships/{}", p.id), p))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Partnership id")),
    responses((status = 200, body = Partnership), (status = 404, body = ErrorResponse)))]
pub async fn get_partnership(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<PartnershipId>,
) -> AppResult<Json<Partnership>> {
    let mut conn = state.db().await?;
    Ok(Json(Partnership::find(&mut conn, &access.scope, id).await?))
}

/// Corrects or ends a partnership (`{"ended_on": "2019-12-31"}`).
#[utoipa::path(patch, path = "/api/v1/partnerships/{id}", tag = TAG,
    request_body = PartnershipInput,
    params(("id" = i64, Path, description = "Partnership id")),
    responses((status = 200, body = Partnership), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_partnership(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<PartnershipId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Partnership>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Partnerships,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(PartnershipInput::of(
                        &Partnership::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(partnerships::update(c, a, *id, input)),
        )
        .await?,
    ))
}

/// Removes a partnership recorded by mistake (204).
#[utoipa::path(delete, path = "/api/v1/partnerships/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Partnership id")),
    responses((status = 204), (status = 404, body = ErrorResponse)))]
pub async fn delete_partnership(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<PartnershipId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    partnerships::delete(&mut conn, &access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
