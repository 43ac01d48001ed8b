//! `POST /api/v1/imports/{kind}?programme=ID[&dry_run=true]` with the file
//! as the body.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Kind, Report, run};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::ProgrammeId;
use crate::state::AppState;
use crate::web::Tr;
use crate::web::extract::{Json, Path, Query};
use crate::web::input::param;

/// The largest file an import takes.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The programme the rows belong to.
    pub programme: Option<String>,
    /// `true`: check every row and answer what would happen; save nothing.
    pub dry_run: Option<String>,
}

/// Imports a CSV (`text/csv`) or XLSX file of `visits`, `mothers` or `families` into a
/// programme: every row saved, or none. Answers 201 with the counts, 200
/// for a dry run, 422 with the errors of each row (row number, column,
/// message) when any row is refused (nothing saved).
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "`visits`, `mothers` or `families`"), ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "The file: CSV with a header row, or XLSX (first sheet)"),
    responses((status = 201, body = Report), (status = 200, body = Report),
              (status = 400, body = ErrorResponse), (status = 404, body = ErrorResponse),
              (status = 413, body = ErrorResponse), (status = 422, body = Report)))]
pub async fn import(
    State(state): State<AppState>,
    access: Access,
    tr: Tr,
    Path(kind): Path<String>,
    Query(q): Query<ImportQuery>,
    req: Request,
) -> AppResult<Response> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let programme: ProgrammeId = param(&q.programme, "programme")?
        .ok_or_else(|| AppError::field("programme", "error-required"))?;
    let dry_run = matches!(
        q.dry_run.as_deref().map(str::trim),
        Some("true" | "1" | "yes")
    );
    let xlsx = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with(super::sheet::XLSX));
    let request_id = crate::web::request_id(req.headers()).to_owned();
    let bytes = axum::body::to_bytes(req.into_body(), MAX_BYTES)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let job = super::Job {
        kind,
        programme,
        bytes: &bytes,
        xlsx,
        dry_run,
    };
    let mut report = run(&mut conn, &access, &tr, job, today).await?;
    report.request_id = Some(request_id);
    let status = if !report.errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(report)).into_response())
}
