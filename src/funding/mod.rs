//! Funding: funders, grants, expenses and allowances. Managers and admins
//! only; coordinators and trainers do not see funding.

pub mod api;
pub mod form;
pub mod funders;
pub mod handlers;
pub mod model;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The HTML pages.
pub fn router() -> Router<AppState> {
    use handlers as h;
    Router::new()
        .route("/funding", get(h::overview))
        .route("/funders", axum::routing::post(h::create_funder))
        .route("/grants", axum::routing::post(h::create_grant))
        .route("/grants/new", get(h::new_grant))
        .route("/grants/{id}", get(h::show_grant).post(h::update_grant))
        .route("/grants/{id}/edit", get(h::edit_grant))
        .route("/expenses", get(h::expenses).post(h::create_expense))
        .route("/expenses/{id}", axum::routing::post(h::update_expense))
        .route("/expenses/{id}/edit", get(h::edit_expense))
        .route("/allowances", get(h::allowances).post(h::create_run))
        .route(
            "/allowances/{id}/{month}",
            get(h::show_run).post(h::save_run),
        )
}

/// The JSON routes.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_funders, api::create_funder))
        .routes(routes!(api::get_funder, api::update_funder))
        .routes(routes!(api::list_grants, api::create_grant))
        .routes(routes!(api::get_grant, api::update_grant))
        .routes(routes!(api::list_expenses, api::create_expense))
        .routes(routes!(api::get_expense, api::update_expense))
        .routes(routes!(api::create_run))
        .routes(routes!(api::get_run))
        .routes(routes!(api::confirm_run))
}
