//! JSON routes for funders, grants, expenses and allowance runs.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::form::{AllowanceRunInput, ExpenseInput, FunderInput, GrantInput, parse_month};
use super::model::{AllowanceRun, Expense, Funder, Grant, GrantDetail};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

const TAG: &str = "funding";

fn unknown_programme(e: AppError) -> AppError {
    match e {
        AppError::NotFound => AppError::field("programme_id", "error-programme-unknown"),
        e => e,
    }
}

/// The funders the caller may use: the shared ones and those of their
/// programmes (administrators: every funder).
#[utoipa::path(get, path = "/api/v1/funders", tag = TAG, responses((status = 200, body = [Funder])))]
pub async fn list_funders(
    State(state): State<AppState>,
    access: Access,
) -> AppResult<Json<Vec<Funder>>> {
    let mut conn = state.db().await?;
    Ok(Json(Funder::list(&mut conn, &access.scope).await?))
}

/// Records a funder for one of the caller's programmes (`programme_id`;
/// default: their only programme). An administrator's funder without
/// `programme_id` is shared with every programme.
#[utoipa::path(post, path = "/api/v1/funders", tag = TAG, request_body = FunderInput,
    responses((status = 201, body = Funder), (status = 422, body = ErrorResponse)))]
pub async fn create_funder(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<FunderInput>,
) -> AppResult<(StatusCode, Json<Funder>)> {
    let (owner, data) = input.validate().map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    Ok((
        StatusCode::CREATED,
        Json(Funder::create(&mut conn, access.actor, &access.scope, owner, &data).await?),
    ))
}

/// A shared funder or one of the caller's programmes.
#[utoipa::path(get, path = "/api/v1/funders/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Funder id")),
    responses((status = 200, body = Funder), (status = 404, body = ErrorResponse)))]
pub async fn get_funder(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Funder>> {
    let mut conn = state.db().await?;
    Ok(Json(Funder::find(&mut conn, &access.scope, id).await?))
}

/// Changes a funder of the caller's programmes; a shared funder only an
/// administrator changes (403), another programme's is not found (404).
#[utoipa::path(put, path = "/api/v1/funders/{id}", tag = TAG, request_body = FunderInput,
    params(("id" = i64, Path, description = "Funder id")),
    responses((status = 200, body = Funder), (status = 403, body = ErrorResponse),
              (status = 404, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn update_funder(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<FunderInput>,
) -> AppResult<Json<Funder>> {
    let mut conn = state.db().await?;
    Funder::find(&mut conn, &access.scope, id).await?;
    let (owner, data) = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Funder::update(&mut conn, access.actor, &access.scope, id, owner, &data).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FundingQuery {
    pub programme: Option<i64>,
    pub grant: Option<i64>,
}

/// Grants with what was spent against them.
#[utoipa::path(get, path = "/api/v1/grants", tag = TAG, params(FundingQuery),
    responses((status = 200, body = [GrantDetail])))]
pub async fn list_grants(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<FundingQuery>,
) -> AppResult<Json<Vec<GrantDetail>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Grant::list(&mut conn, &access.scope, q.programme).await?,
    ))
}

/// Records a grant; its currency must be the programme's, its funder a
/// shared one or one of the programme's.
#[utoipa::path(post, path = "/api/v1/grants", tag = TAG, request_body = GrantInput,
    responses((status = 201, body = GrantDetail), (status = 422, body = ErrorResponse)))]
pub async fn create_grant(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<GrantInput>,
) -> AppResult<(StatusCode, Json<GrantDetail>)> {
    let p = input
        .programme()
        .ok_or(AppError::field("programme_id", "error-programme-unknown"))?;
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(p))
        .await
        .map_err(|e| unknown_programme(e.into()))?;
    let data = input
        .validate(&programme.currency)
        .map_err(AppError::Validation)?;
    let g = Grant::create(&mut conn, access.actor, &access.scope, p, &data).await?;
    Ok((StatusCode::CREATED, Json(g)))
}

/// A grant: amount, spent, remaining, spending by month, warnings.
#[utoipa::path(get, path = "/api/v1/grants/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, body = GrantDetail), (status = 404, body = ErrorResponse)))]
pub async fn get_grant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<GrantDetail>> {
    let mut conn = state.db().await?;
    Ok(Json(Grant::find(&mut conn, &access.scope, id).await?))
}

#[utoipa::path(put, path = "/api/v1/grants/{id}", tag = TAG, request_body = GrantInput,
    params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, body = GrantDetail), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_grant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<GrantInput>,
) -> AppResult<Json<GrantDetail>> {
    let mut conn = state.db().await?;
    let g = Grant::find(&mut conn, &access.scope, id).await?;
    let data = input
        .validate(&g.grant.currency)
        .map_err(AppError::Validation)?;
    Ok(Json(
        Grant::update(&mut conn, access.actor, &access.scope, id, &data).await?,
    ))
}

/// Expenses, newest first.
#[utoipa::path(get, path = "/api/v1/expenses", tag = TAG, params(FundingQuery),
    responses((status = 200, body = [Expense])))]
pub async fn list_expenses(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<FundingQuery>,
) -> AppResult<Json<Vec<Expense>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Expense::list(&mut conn, &access.scope, q.programme, q.grant).await?,
    ))
}

/// Records an expense in the programme's currency.
#[utoipa::path(post, path = "/api/v1/expenses", tag = TAG, request_body = ExpenseInput,
    responses((status = 201, body = Expense), (status = 422, body = ErrorResponse)))]
pub async fn create_expense(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<ExpenseInput>,
) -> AppResult<(StatusCode, Json<Expense>)> {
    let p = input
        .programme()
        .ok_or(AppError::field("programme_id", "error-programme-unknown"))?;
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(p))
        .await
        .map_err(|e| unknown_programme(e.into()))?;
    let data = input
        .validate(&programme.currency)
        .map_err(AppError::Validation)?;
    Ok((
        StatusCode::CREATED,
        Json(Expense::create(&mut conn, access.actor, &access.scope, p, &data).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/expenses/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Expense id")),
    responses((status = 200, body = Expense), (status = 404, body = ErrorResponse)))]
pub async fn get_expense(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Expense>> {
    let mut conn = state.db().await?;
    Ok(Json(Expense::find(&mut conn, &access.scope, id).await?))
}

/// Changes an expense (a draft allowance payment, for example).
#[utoipa::path(put, path = "/api/v1/expenses/{id}", tag = TAG, request_body = ExpenseInput,
    params(("id" = i64, Path, description = "Expense id")),
    responses((status = 200, body = Expense), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_expense(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<ExpenseInput>,
) -> AppResult<Json<Expense>> {
    let mut conn = state.db().await?;
    let e = Expense::find(&mut conn, &access.scope, id).await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(e.programme_id)).await?;
    let data = input
        .validate(&programme.currency)
        .map_err(AppError::Validation)?;
    Ok(Json(
        Expense::update(&mut conn, access.actor, &access.scope, id, &data).await?,
    ))
}

/// Creates a month's allowance payments (drafts) from the mothers' monthly
/// allowances. A second run for the same month is refused (422).
#[utoipa::path(post, path = "/api/v1/allowance-runs", tag = TAG, request_body = AllowanceRunInput,
    responses((status = 201, body = AllowanceRun), (status = 422, body = ErrorResponse)))]
pub async fn create_run(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<AllowanceRunInput>,
) -> AppResult<(StatusCode, Json<AllowanceRun>)> {
    let (p, month, grant) = input.validate().map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    let run = AllowanceRun::create(&mut conn, access.actor, &access.scope, p, month, grant)
        .await
        .map_err(unknown_programme)?;
    Ok((StatusCode::CREATED, Json(run)))
}

/// A month's allowance run with its payments.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/allowance-runs/{month}", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = AllowanceRun), (status = 404, body = ErrorResponse)))]
pub async fn get_run(
    State(state): State<AppState>,
    access: Access,
    Path((id, month)): Path<(i64, String)>,
) -> AppResult<Json<AllowanceRun>> {
    let month = parse_month(&month).ok_or(AppError::NotFound)?;
    let mut conn = state.db().await?;
    Ok(Json(
        AllowanceRun::find(&mut conn, &access.scope, id, month).await?,
    ))
}

/// Confirms a month's allowance payments.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/allowance-runs/{month}/confirm", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = AllowanceRun), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn confirm_run(
    State(state): State<AppState>,
    access: Access,
    Path((id, month)): Path<(i64, String)>,
) -> AppResult<Json<AllowanceRun>> {
    let month = parse_month(&month).ok_or(AppError::NotFound)?;
    let mut conn = state.db().await?;
    Ok(Json(
        AllowanceRun::confirm(&mut conn, access.actor, &access.scope, id, month).await?,
    ))
}
