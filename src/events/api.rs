//! JSON routes for events (group activities).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{EventId, ProgrammeId};
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

use super::input::EventInput;
use super::model::Event;
use super::ops;
use serde_json::json;

const TAG: &str = "events";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    #[param(value_type = Option<i64>)]
    pub programme: Option<ProgrammeId>,
}

/// Events (group activities), newest first.
#[utoipa::path(get, path = "/api/v1/events", tag = TAG, params(EventQuery),
    responses((status = 200, body = [Event])))]
pub async fn list_events(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<EventQuery>,
) -> AppResult<Json<Vec<Event>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Event::list(&mut conn, &access.scope, q.programme).await?,
    ))
}

/// Records an event with its participants and the mothers involved.
#[utoipa::path(post, path = "/api/v1/events", tag = TAG, request_body = EventInput,
    responses((status = 201, body = Object), (status = 422, body = ErrorResponse)))]
pub async fn create_event(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<EventInput>,
) -> AppResult<(StatusCode, Json<serde_json::Value>)> {
    let mut conn = state.db().await?;
    let id = ops::create(&mut conn, &access, &input).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

#[utoipa::path(get, path = "/api/v1/events/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Event), (status = 404, body = ErrorResponse)))]
pub async fn get_event(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EventId>,
) -> AppResult<Json<Event>> {
    let mut conn = state.db().await?;
    Ok(Json(Event::find(&mut conn, &access.scope, id).await?))
}

/// Corrects an event: the fields sent replace the recorded ones (the same
/// fields as a new event's; `mother_ids` as a whole list). It stays in its
/// programme.
#[utoipa::path(patch, path = "/api/v1/events/{id}", tag = TAG, request_body = EventInput,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Event), (status = 400, body = ErrorResponse),
              (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn patch_event(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EventId>,
    Json(patch): Json<serde_json::Value>,
) -> AppResult<Json<Event>> {
    let mut conn = state.db().await?;
    let current = Event::find(&mut conn, &access.scope, id).await?;
    let input = EventInput::of(&current).merge(patch)?;
    Ok(Json(ops::update(&mut conn, &access, id, &input).await?))
}

/// Deletes an event recorded by mistake (204); the audit log keeps what it was.
#[utoipa::path(delete, path = "/api/v1/events/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 204), (status = 404, body = ErrorResponse)))]
pub async fn delete_event(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EventId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    ops::delete(&mut conn, &access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
