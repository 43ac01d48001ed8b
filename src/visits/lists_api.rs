//! JSON routes for a programme's lists: visit topics, referral services
//! and event kinds. Each list has its defaults (with a `key`) and the
//! programme's own entries (with a `label`), added, renamed (`PATCH`) and
//! retired or restored; referrals and events store an entry's `code` (a
//! default's key, an own entry's id).

use axum::extract::State;
use axum::response::Response;

use super::input::LabelInput;
use super::model::{ListKind, Topic};
use super::ops;
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{ProgrammeId, TopicId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};
use crate::web::patch::{Table, patch};

const TAG: &str = "programme lists";

async fn list(
    state: AppState,
    access: Access,
    list: ListKind,
    id: ProgrammeId,
    pq: PageParams,
) -> AppResult<Json<Paged<Topic>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    let entries = Topic::of_list(&mut conn, list, id).await?;
    Ok(Json(Paged::of_all(entries, spec)))
}

async fn create(
    state: AppState,
    access: Access,
    list: ListKind,
    id: ProgrammeId,
    input: LabelInput,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let t = ops::topic::create(&mut conn, &access, list, id, &input).await?;
    let path = super::html::texts(list).path;
    Ok(created(format!("/api/v1/{path}/{}", t.id), t))
}

async fn rename(
    state: AppState,
    access: Access,
    list: ListKind,
    id: TopicId,
    body: serde_json::Value,
) -> AppResult<Json<Topic>> {
    let mut conn = state.db().await?;
    let ctx = (access, id, list);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Topics,
            id.0,
            body,
            |c, (a, id, list)| {
                Box::pin(async move {
                    let own = ops::topic::own(c, &a.scope, *list, *id, false).await?;
                    Ok(LabelInput { label: own.label })
                })
            },
            |c, (a, id, list), input| Box::pin(ops::topic::rename(c, a, *list, *id, input)),
        )
        .await?,
    ))
}

async fn retire(
    state: AppState,
    access: Access,
    list: ListKind,
    id: TopicId,
    retired: bool,
) -> AppResult<Json<Topic>> {
    let mut conn = state.db().await?;
    let now = state.clock().now();
    Ok(Json(
        ops::topic::set_retired(&mut conn, &access, list, id, retired, now).await?,
    ))
}

/// The visit topics of a programme: defaults and its own, retired ones too.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/topics", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Topic>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list_topics(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Topic>>> {
    list(state, access, ListKind::Topic, id, pq).await
}

/// Adds a programme's own visit topic: 201 with it and its `Location`.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/topics", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Topic), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<LabelInput>,
) -> AppResult<Response> {
    create(state, access, ListKind::Topic, id, input).await
}

/// Renames a programme's own topic (defaults cannot be renamed: 409).
#[utoipa::path(put, path = "/api/v1/topics/{id}", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn rename_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
    Json(input): Json<LabelInput>,
) -> AppResult<Json<Topic>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::topic::rename(&mut conn, &access, ListKind::Topic, id, &input).await?,
    ))
}

/// Renames a programme's own topic with the fields sent (defaults: 409).
#[utoipa::path(patch, path = "/api/v1/topics/{id}", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn patch_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Topic>> {
    rename(state, access, ListKind::Topic, id, body).await
}

/// Retires a programme's own topic: no longer offered, kept on past visits.
#[utoipa::path(post, path = "/api/v1/topics/{id}/retire", tag = TAG,
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn retire_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Json<Topic>> {
    retire(state, access, ListKind::Topic, id, true).await
}

/// Offers a retired topic again.
#[utoipa::path(post, path = "/api/v1/topics/{id}/restore", tag = TAG,
    params(("id" = i64, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn restore_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Json<Topic>> {
    retire(state, access, ListKind::Topic, id, false).await
}

/// The services a programme refers families to: the defaults and its own,
/// retired ones too. A referral stores an entry's `code`.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/services", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Topic>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list_services(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Topic>>> {
    list(state, access, ListKind::Service, id, pq).await
}

/// Adds a service of the programme's own (`{"label": "Familienbüro"}`):
/// 201 with it and its `Location`.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/services", tag = TAG,
    request_body = LabelInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Topic), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_service(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<LabelInput>,
) -> AppResult<Response> {
    create(state, access, ListKind::Service, id, input).await
}

/// Renames a programme's own service (defaults: 409).
#[utoipa::path(patch, path = "/api/v1/services/{id}", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Service id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn patch_service(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Topic>> {
    rename(state, access, ListKind::Service, id, body).await
}

/// Retires a programme's own service: no longer offered, kept on past
/// referrals and in reports.
#[utoipa::path(post, path = "/api/v1/services/{id}/retire", tag = TAG,
    params(("id" = i64, Path, description = "Service id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn retire_service(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Json<Topic>> {
    retire(state, access, ListKind::Service, id, true).await
}

/// Offers a retired service again.
#[utoipa::path(post, path = "/api/v1/services/{id}/restore", tag = TAG,
    params(("id" = i64, Path, description = "Service id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn restore_service(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Json<Topic>> {
    retire(state, access, ListKind::Service, id, false).await
}

/// The kinds of a programme's events: the defaults and its own, retired
/// ones too. An event stores an entry's `code` as its `kind`.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/event-kinds", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Topic>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list_event_kinds(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Topic>>> {
    list(state, access, ListKind::EventKind, id, pq).await
}

/// Adds a kind of event of the programme's own: 201 with it and its
/// `Location`.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/event-kinds", tag = TAG,
    request_body = LabelInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Topic), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_event_kind(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Json(input): Json<LabelInput>,
) -> AppResult<Response> {
    create(state, access, ListKind::EventKind, id, input).await
}

/// Renames a programme's own kind of event (defaults: 409).
#[utoipa::path(patch, path = "/api/v1/event-kinds/{id}", tag = TAG, request_body = LabelInput,
    params(("id" = i64, Path, description = "Event kind id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn patch_event_kind(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Topic>> {
    rename(state, access, ListKind::EventKind, id, body).await
}

/// Retires a programme's own kind of event (kept on past events).
#[utoipa::path(post, path = "/api/v1/event-kinds/{id}/retire", tag = TAG,
    params(("id" = i64, Path, description = "Event kind id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn retire_event_kind(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Json<Topic>> {
    retire(state, access, ListKind::EventKind, id, true).await
}

/// Offers a retired kind of event again.
#[utoipa::path(post, path = "/api/v1/event-kinds/{id}/restore", tag = TAG,
    params(("id" = i64, Path, description = "Event kind id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn restore_event_kind(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TopicId>,
) -> AppResult<Json<Topic>> {
    retire(state, access, ListKind::EventKind, id, false).await
}
