//! `GET /api/v1/reports/yearly`.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::compare::{CompareQuery, Comparison, compare};
use super::grant::GrantReport;
use super::model::{YearlyReport, yearly};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
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

/// The default report year: the last full one.
pub fn last_year(clock: &crate::clock::Clock) -> i32 {
    use chrono::Datelike;
    clock.today().year() - 1
}

/// A year from a query parameter: within 1900..=2200; when absent,
/// `default`, or a field error where the year is required.
pub fn parse_year(v: Option<&str>, field: &'static str, default: Option<i32>) -> AppResult<i32> {
    match (v.map(str::trim).filter(|y| !y.is_empty()), default) {
        (None, Some(d)) => Ok(d),
        (y, _) => y
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| (1900..=2200).contains(y))
            .ok_or(AppError::field(field, "error-year-invalid")),
    }
}

impl YearlyQuery {
    /// The year, the programme asked for (if one) and the programmes to
    /// report on: that one, or every programme the caller can see. A
    /// programme outside the caller's scope is `NotFound`.
    pub async fn select(
        &self,
        conn: &mut diesel_async::AsyncPgConnection,
        access: &Access,
        default_year: Option<i32>,
    ) -> AppResult<(i32, Option<i64>, Vec<i64>)> {
        let year = parse_year(self.year.as_deref(), "year", default_year)?;
        let chosen = self
            .programme
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<i64>().map_err(|_| AppError::NotFound))
            .transpose()?;
        let programmes = match chosen {
            Some(id) => vec![
                Programme::find(conn, &access.scope, ProgrammeId(id))
                    .await?
                    .id
                    .0,
            ],
            None => Programme::list(conn, &access.scope, true)
                .await?
                .into_iter()
                .map(|p| p.id.0)
                .collect(),
        };
        Ok((year, chosen, programmes))
    }
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
    let mut conn = state.db_read().await?;
    let (year, _, programmes) = q.select(&mut conn, &access, None).await?;
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
    let mut conn = state.db_read().await?;
    Ok(Json(
        compare(&mut conn, &access, &q, last_year(state.clock())).await?,
    ))
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
    let mut conn = state.db_read().await?;
    Ok(Json(
        super::grant::grant_report(&mut conn, &access.scope, id).await?,
    ))
}
