//! `GET /healthz`: whether the server and its database answer.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` while the database does not answer.
    pub status: &'static str,
    /// `ok` or `unavailable`.
    pub database: &'static str,
}

const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
/// 200 while the database answers; 503 while it does not. The server keeps
/// running through an outage and the pool reconnects by itself.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let check = async {
        let mut conn = state.db().await.ok()?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.ok()
    };
    let ok = matches!(
        tokio::time::timeout(CHECK_TIMEOUT, check).await,
        Ok(Some(_))
    );
    let (status, body) = if ok {
        (
            StatusCode::OK,
            Health {
                status: "ok",
                database: "ok",
            },
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Health {
                status: "degraded",
                database: "unavailable",
            },
        )
    };
    (status, axum::Json(body)).into_response()
}
