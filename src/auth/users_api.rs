//! Users through the API, for administrators: list, create (answering a
//! one-time password once), read, change (name, email, role, programmes,
//! language: a partial update), deactivate and activate. Thin, over the
//! same `ops` as the users' pages.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::input::UserInput;
use super::model::{User, UserData};
use super::ops;
use super::password::{self, Secret};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::UserId;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::input::merge;
use crate::web::pagination::{PageParams, Paged};

const TAG: &str = "users";

/// A new user and the one-time password they sign in with first (shown
/// only in this answer; they must change it at the first sign-in).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: User,
    pub one_time_password: String,
}

#[utoipa::path(get, path = "/api/v1/users", tag = TAG, params(PageParams),
    responses((status = 200, body = Paged<User>), (status = 403, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<AppState>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<User>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(User::list(&mut conn).await?, spec)))
}

/// Creates a staff user; answers the one-time password once.
#[utoipa::path(post, path = "/api/v1/users", tag = TAG, request_body = UserInput,
    responses((status = 201, body = CreatedUser), (status = 403, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<UserInput>,
) -> AppResult<Response> {
    let data = UserData::try_from(&input).map_err(AppError::Validation)?;
    let one_time = Secret::new(password::one_time_password());
    let hash = password::hash(one_time.clone()).await?;
    let mut conn = state.db().await?;
    let user = ops::create_user(&mut conn, access.actor, &data, &hash, true).await?;
    let location = format!("/api/v1/users/{}", user.id);
    let mut res = (
        StatusCode::CREATED,
        Json(CreatedUser {
            user,
            one_time_password: one_time.expose().to_owned(),
        }),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = TAG,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 404, body = ErrorResponse)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<UserId>) -> AppResult<Json<User>> {
    let mut conn = state.db().await?;
    Ok(Json(User::find(&mut conn, id).await?))
}

/// Changes the fields sent (`display_name`, `email`, `role`,
/// `programme_ids`, `language`); the others stay.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = TAG, request_body = UserInput,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<UserId>,
    Json(patch): Json<serde_json::Value>,
) -> AppResult<Json<User>> {
    let mut conn = state.db().await?;
    let old = User::find(&mut conn, id).await?;
    let input: UserInput = merge(&UserInput::from(&old), patch)?;
    let data = UserData::try_from(&input).map_err(AppError::Validation)?;
    Ok(Json(ops::update_user(&mut conn, &access, id, &data).await?))
}

/// Deactivates a user: their sessions end and their API tokens stop.
#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = TAG,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn deactivate(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<UserId>,
) -> AppResult<Json<User>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::set_active(&mut conn, &access, id, false).await?))
}

/// Activates a user again.
#[utoipa::path(post, path = "/api/v1/users/{id}/activate", tag = TAG,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = User), (status = 404, body = ErrorResponse)))]
pub async fn activate(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<UserId>,
) -> AppResult<Json<User>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::set_active(&mut conn, &access, id, true).await?))
}
