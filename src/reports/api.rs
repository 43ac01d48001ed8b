//! `GET /api/v1/reports/yearly`.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::compare::{CompareQuery, Comparison, compare};
use super::grant::GrantReport;
use super::model::{YearlyReport, yearly};
use crate::app::AppState;
use crate::auth::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::programmes::model::{Programme, ProgrammeId};
use crate::web::extract::{Json, Path, Query};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct YearlyQuery {
    /// The calendar year.
    pub year: Option<String>,
    /// One programme; none: every programme the caller can see.
    pub programme: Option<String>,
}

/// The figures of a year for one programme or all the caller can see.
/// Money is summed only within one currency: with several currencies,
/// `funding` and `expenses` are lists (one entry per currency) and the
/// cost ratios are `null`. A ratio with nothing to divide by is `null`.
#[utoipa::path(get, path = "/api/v1/reports/yearly", tag = "reports", params(YearlyQuery),
    responses((status = 200, body = YearlyReport), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn yearly_report(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<YearlyQuery>,
) -> AppResult<Json<YearlyReport>> {
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (1900..=2200).contains(y))
        .ok_or(AppError::field("year", "error-year-invalid"))?;
    let mut conn = state.db().await?;
    let programmes: Vec<i64> = match q
        .programme
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => {
            let id = p.parse::<i64>().map_err(|_| AppError::NotFound)?;
            vec![
                Programme::find(&mut conn, &access.scope, ProgrammeId(id))
                    .await?
                    .id
                    .0,
            ]
        }
        None => Programme::list(&mut conn, &access.scope, true)
            .await?
            .into_iter()
            .map(|p| p.id.0)
            .collect(),
    };
    Ok(Json(yearly(&mut conn, &programmes, year).await?))
}

/// The yearly figures side by side: several programmes in one year
/// (`by=programmes`, the default) or the years `from`..`to` of one
/// programme (`by=years`, at most ten). Each column holds the full yearly
/// report, with per-district visits in `report.visits.by_district`.
#[utoipa::path(get, path = "/api/v1/reports/compare", tag = "reports", params(CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn compare_report(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<CompareQuery>,
) -> AppResult<Json<Comparison>> {
    let mut conn = state.db().await?;
    Ok(Json(compare(&mut conn, &access, &q).await?))
}

/// The funder report of a grant: visits, families, mothers trained, topics,
/// referrals and events within its period (and districts, if restricted),
/// and the spending against it.
#[utoipa::path(get, path = "/api/v1/grants/{id}/report", tag = "reports",
    params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, body = GrantReport), (status = 404, body = ErrorResponse)))]
pub async fn grant_report(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<GrantReport>> {
    let mut conn = state.db().await?;
    Ok(Json(
        super::grant::grant_report(&mut conn, &access.scope, id).await?,
    ))
}
