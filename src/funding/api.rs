//! JSON routes for funders, grants, expenses and allowance runs: thin, over
//! the same `ops` as the HTML pages.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{AllowanceRunInput, ExpenseInput, FunderInput, GrantInput, run_month};
use super::model::{AllowanceRun, Expense, Funder, Grant, GrantDetail};
use super::ops;
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::ids::{ExpenseId, FunderId, GrantId, ProgrammeId};
use crate::state::AppState;
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};
use crate::web::patch::{Table, patch};

const TAG: &str = "funding";

/// The funders the caller may use: the shared ones and those of their
/// programmes (administrators: every funder).
#[utoipa::path(get, path = "/api/v1/funders", tag = TAG, params(PageParams), responses((status = 200, body = Paged<Funder>), (status = 422, body = ErrorResponse)))]
pub async fn list_funders(
    State(state): State<AppState>,
    access: Access,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Funder>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        Funder::list(&mut conn, &access.scope).await?,
        spec,
    )))
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
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let f = ops::create_funder(&mut conn, &access, &input).await?;
    Ok(created(format!("/api/v1/funders/{}", f.id), f))
}

/// A shared funder or one of the caller's programmes.
#[utoipa::path(get, path = "/api/v1/funders/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Funder id")),
    responses((status = 200, body = Funder), (status = 404, body = ErrorResponse)))]
pub async fn get_funder(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FunderId>,
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
    Path(id): Path<FunderId>,
    Json(input): Json<FunderInput>,
) -> AppResult<Json<Funder>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::update_funder(&mut conn, &access, id, &input).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/funders/{id}", tag = TAG, request_body = FunderInput,
    params(("id" = i64, Path, description = "Funder id")),
    responses((status = 200, body = Funder), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_funder(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<FunderId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Funder>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Funders,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(FunderInput::from_funder(
                        &Funder::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update_funder(c, a, *id, input)),
        )
        .await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FundingQuery {
    #[param(value_type = Option<i64>)]
    pub programme: Option<ProgrammeId>,
    #[param(value_type = Option<i64>)]
    pub grant: Option<GrantId>,
}

/// Grants with what was spent against them.
#[utoipa::path(get, path = "/api/v1/grants", tag = TAG, params(FundingQuery, PageParams),
    responses((status = 200, body = Paged<GrantDetail>), (status = 422, body = ErrorResponse)))]
pub async fn list_grants(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<FundingQuery>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<GrantDetail>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        Grant::list(&mut conn, &access.scope, q.programme).await?,
        spec,
    )))
}

/// Records a grant; its currency must be the programme's, its funder a
/// shared one or one of the programme's.
#[utoipa::path(post, path = "/api/v1/grants", tag = TAG, request_body = GrantInput,
    responses((status = 201, body = GrantDetail), (status = 422, body = ErrorResponse)))]
pub async fn create_grant(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<GrantInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let g = ops::create_grant(&mut conn, &access, &input).await?;
    Ok(created(format!("/api/v1/grants/{}", g.grant.id), g))
}

/// A grant: amount, spent, remaining, spending by month, warnings.
#[utoipa::path(get, path = "/api/v1/grants/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, body = GrantDetail), (status = 404, body = ErrorResponse)))]
pub async fn get_grant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<GrantId>,
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
    Path(id): Path<GrantId>,
    Json(input): Json<GrantInput>,
) -> AppResult<Json<GrantDetail>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::update_grant(&mut conn, &access, id, &input).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/grants/{id}", tag = TAG, request_body = GrantInput,
    params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, body = GrantDetail), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_grant(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<GrantId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<GrantDetail>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Grants,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(GrantInput::from_grant(
                        &Grant::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update_grant(c, a, *id, input)),
        )
        .await?,
    ))
}

/// Expenses, newest first.
#[utoipa::path(get, path = "/api/v1/expenses", tag = TAG, params(FundingQuery, PageParams),
    responses((status = 200, body = Paged<Expense>), (status = 422, body = ErrorResponse)))]
pub async fn list_expenses(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<FundingQuery>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Expense>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        Expense::list(&mut conn, &access.scope, q.programme, q.grant).await?,
        spec,
    )))
}

/// Records an expense in the programme's currency.
#[utoipa::path(post, path = "/api/v1/expenses", tag = TAG, request_body = ExpenseInput,
    responses((status = 201, body = Expense), (status = 422, body = ErrorResponse)))]
pub async fn create_expense(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<ExpenseInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let e = ops::create_expense(&mut conn, &access, &input).await?;
    Ok(created(format!("/api/v1/expenses/{}", e.id), e))
}

#[utoipa::path(get, path = "/api/v1/expenses/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Expense id")),
    responses((status = 200, body = Expense), (status = 404, body = ErrorResponse)))]
pub async fn get_expense(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ExpenseId>,
) -> AppResult<Json<Expense>> {
    let mut conn = state.db().await?;
    Ok(Json(Expense::find(&mut conn, &access.scope, id).await?))
}

/// Changes an expense (a draft allowance payment, for example).
#[utoipa::path(put, path = "/api/v1/expenses/{id}", tag = TAG, request_body = ExpenseInput,
    params(("id" = i64, Path, description = "Expense id")),
    responses((status = 200, body = Expense), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_expense(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ExpenseId>,
    Json(input): Json<ExpenseInput>,
) -> AppResult<Json<Expense>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::update_expense(&mut conn, &access, id, &input).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/expenses/{id}", tag = TAG, request_body = ExpenseInput,
    params(("id" = i64, Path, description = "Expense id")),
    responses((status = 200, body = Expense), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_expense(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ExpenseId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Expense>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Expenses,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(ExpenseInput::from_expense(
                        &Expense::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update_expense(c, a, *id, input)),
        )
        .await?,
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
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let run = ops::create_run(&mut conn, &access, &input).await?;
    let at = format!(
        "/api/v1/programmes/{}/allowance-runs/{}",
        run.programme_id,
        run.month.format("%Y-%m")
    );
    Ok(created(at, run))
}

/// A month's allowance run with its payments.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/allowance-runs/{month}", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = AllowanceRun), (status = 404, body = ErrorResponse)))]
pub async fn get_run(
    State(state): State<AppState>,
    access: Access,
    Path((id, month)): Path<(ProgrammeId, String)>,
) -> AppResult<Json<AllowanceRun>> {
    let month = run_month(&month)?;
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
    Path((id, month)): Path<(ProgrammeId, String)>,
) -> AppResult<Json<AllowanceRun>> {
    let month = run_month(&month)?;
    let mut conn = state.db().await?;
    Ok(Json(ops::confirm_run(&mut conn, &access, id, month).await?))
}
