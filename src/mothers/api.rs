//! JSON routes for mothers.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::form::MotherInput;
use super::model::{DISTRICT_FKEY, Mother, MotherFilter, MotherStatus, PER_PAGE};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse, constraint_name};
use crate::ids::ProgrammeId;
use crate::money;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination;

const TAG: &str = "mothers";

/// Filters of the list (all optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct MotherQuery {
    pub programme: Option<String>,
    /// Part of the name, any case.
    pub q: Option<String>,
    pub district: Option<String>,
    /// `applicant`, `in_training`, `certified`, `active`, `paused`, `left`.
    pub status: Option<String>,
    /// ISO 639 code.
    pub language: Option<String>,
    pub page: Option<String>,
}

impl MotherQuery {
    pub fn filter(&self) -> Result<MotherFilter, AppError> {
        fn opt(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        let number = |v: &Option<String>, field: &'static str| {
            opt(v)
                .map(|s| {
                    s.parse::<i64>()
                        .map_err(|_| AppError::field(field, "error-number"))
                })
                .transpose()
        };
        Ok(MotherFilter {
            programme_id: number(&self.programme, "programme")?,
            name: opt(&self.q).map(str::to_owned),
            district_id: number(&self.district, "district")?,
            status: opt(&self.status)
                .map(|s| {
                    MotherStatus::parse(s).ok_or(AppError::field("status", "error-choose-one"))
                })
                .transpose()?,
            language: opt(&self.language).map(str::to_ascii_lowercase),
            page: pagination::parse_page(self.page.as_deref(), PER_PAGE)?,
        })
    }
}

/// A page of mothers.
#[derive(Debug, Serialize, ToSchema)]
pub struct MotherPage {
    pub items: Vec<Mother>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

/// Mothers the caller may see, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/mothers", tag = TAG, params(MotherQuery),
    responses((status = 200, body = MotherPage), (status = 422, body = ErrorResponse)))]
pub async fn list(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<MotherQuery>,
) -> AppResult<Json<MotherPage>> {
    let filter = q.filter()?;
    let mut conn = state.db().await?;
    let (items, total) = Mother::list(&mut conn, &access.scope, &filter).await?;
    Ok(Json(MotherPage {
        items,
        page: filter.page,
        per_page: PER_PAGE,
        total,
    }))
}

/// Maps a district of another programme, or an allowance above the bound,
/// to a field error.
pub fn mother_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(DISTRICT_FKEY) => AppError::field("district_id", "error-district-unknown"),
        Some("mothers_monthly_allowance_minor_bound") => {
            AppError::field("monthly_allowance", crate::money::too_large())
        }
        _ => e.into(),
    }
}

/// Records a new mother (as an applicant).
#[utoipa::path(post, path = "/api/v1/mothers", tag = TAG, request_body = MotherInput,
    responses((status = 201, body = Mother), (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<MotherInput>,
) -> AppResult<(StatusCode, Json<Mother>)> {
    let programme_id = input.programme().map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(programme_id))
        .await
        .map_err(|e| match e {
            diesel::NotFound => AppError::field("programme_id", "error-programme-unknown"),
            e => e.into(),
        })?;
    let data = input
        .validate(money::exponent(&programme.currency))
        .map_err(AppError::Validation)?;
    let m = Mother::create(&mut conn, access.actor, &access.scope, programme_id, &data)
        .await
        .map_err(mother_error)?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// A mother with her courses, training hours and status history.
/// Replaces a mother's fields (not her programme or status).
#[utoipa::path(put, path = "/api/v1/mothers/{id}", tag = TAG, request_body = MotherInput,
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 200, body = Mother), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<MotherInput>,
) -> AppResult<Json<Mother>> {
    let mut conn = state.db().await?;
    let old = Mother::find(&mut conn, &access.scope, id).await?;
    let programme =
        Programme::find(&mut conn, &access.scope, ProgrammeId(old.programme_id)).await?;
    let data = input
        .validate(money::exponent(&programme.currency))
        .map_err(AppError::Validation)?;
    Ok(Json(
        Mother::update(&mut conn, access.actor, &access.scope, id, &data)
            .await
            .map_err(mother_error)?,
    ))
}
