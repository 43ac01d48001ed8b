//! JSON routes for events (group activities).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{EventId, ProgrammeId};
use crate::state::AppState;
use crate::web::bulk::{One, OneOrMany, create_all};
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};

use super::input::EventInput;
use super::model::Event;
use super::ops;

const TAG: &str = "events";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    #[param(value_type = Option<i64>)]
    pub programme: Option<ProgrammeId>,
}

/// Events (group activities), newest first.
#[utoipa::path(get, path = "/api/v1/events", tag = TAG, params(EventQuery, PageParams),
    responses((status = 200, body = Paged<Event>), (status = 422, body = ErrorResponse)))]
pub async fn list_events(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<EventQuery>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Event>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        Event::list(&mut conn, &access.scope, q.programme).await?,
        spec,
    )))
}

/// Records an event with its participants and the mothers involved.
/// Records an event: 201 with the whole record and its `Location`. An
/// array of events is all or none: 201 with `{"items": [...]}`, or 422
/// naming each failing item by its index.
#[utoipa::path(post, path = "/api/v1/events", tag = TAG, request_body = EventInput,
    responses((status = 201, body = Event), (status = 422, body = ErrorResponse)))]
pub async fn create_event(
    State(state): State<AppState>,
    access: Access,
    tr: crate::web::Tr,
    headers: axum::http::HeaderMap,
    Json(body): Json<OneOrMany<EventInput>>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    match body {
        OneOrMany::One(input) => {
            let e = create_one(&mut conn, &access, &input).await?;
            Ok(created(format!("/api/v1/events/{}", e.id), e))
        }
        OneOrMany::Many(items) => {
            let request_id = crate::web::request_id(&headers);
            create_all(&mut conn, &tr, request_id, &access, &items, create_one).await
        }
    }
}

/// Records one event and reads it back whole.
fn create_one<'a>(
    conn: &'a mut diesel_async::AsyncPgConnection,
    access: &'a Access,
    input: &'a EventInput,
) -> One<'a, Event> {
    Box::pin(async move {
        let id = ops::create(conn, access, input).await?;
        Ok(Event::find(conn, &access.scope, id).await?)
    })
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
