//! Mothers: the trained (or training) outreach workers of a programme. Her
//! profile page and status change are in `views::mother_profile`.

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
        .route("/mothers", get(h::list).post(h::create))
        .route("/mothers/new", get(h::new_form))
        .route("/mothers/{id}", post(h::update))
        .route("/mothers/{id}/edit", get(h::edit_form))
}

/// The JSON routes.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list, api::create))
        .routes(routes!(api::update))
}
