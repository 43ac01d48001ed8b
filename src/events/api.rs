//! JSON routes for events (group activities).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::ProgrammeId;
use crate::state::AppState;
use crate::web::extract::{Json, Query};

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
