//! Programmes (one local project each) and their districts.

pub mod api;
pub mod form;
pub mod handlers;
pub mod model;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The HTML pages.
pub fn router() -> Router<AppState> {
    use handlers as h;
    Router::new()
        .route("/programmes", get(h::list).post(h::create))
        .route("/programmes/new", get(h::new_form))
        .route("/programmes/{id}", get(h::show).post(h::update))
        .route("/programmes/{id}/edit", get(h::edit_form))
        .route("/programmes/{id}/archive", post(h::archive))
        .route("/programmes/{id}/restore", post(h::restore))
        .route("/programmes/{id}/delete", post(h::delete))
        .route("/programmes/{id}/districts", post(h::create_district))
        .route("/districts/{id}/edit", get(h::edit_district_form))
        .route("/districts/{id}", post(h::update_district))
        .route("/districts/{id}/archive", post(h::archive_district))
        .route("/districts/{id}/restore", post(h::restore_district))
}

/// The JSON routes, each documented in the OpenAPI document.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list, api::create))
        .routes(routes!(api::get, api::update, api::delete))
        .routes(routes!(api::archive))
        .routes(routes!(api::restore))
        .routes(routes!(api::list_districts, api::create_district))
        .routes(routes!(api::get_district, api::update_district))
        .routes(routes!(api::archive_district))
        .routes(routes!(api::restore_district))
}
