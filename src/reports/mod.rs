//! Reports: the yearly figures managers and funders ask for.

pub mod api;
pub mod charts;
pub mod compare;
pub mod grant;
pub mod handlers;
pub mod model;
pub mod rollup;
pub mod xlsx;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The report page and its CSV and XLSX exports.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(handlers::page))
        .route("/reports/yearly.csv", get(handlers::csv))
        .route("/reports/yearly.xlsx", get(handlers::xlsx))
        .route("/reports/compare", get(handlers::compare_page))
        .route("/grants/{id}/report", get(handlers::grant_report_page))
}

/// The JSON routes.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::yearly_report))
        .routes(routes!(api::compare_report))
        .routes(routes!(api::grant_report))
}
