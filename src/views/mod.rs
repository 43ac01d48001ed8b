//! Read models that cross domains (a mother's profile; later the
//! dashboards and the visit form's choices). They sit above the domains
//! they read, so that no domain imports another one above it.

pub mod mother_profile;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The HTML pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/mothers/{id}", get(mother_profile::show))
        .route(
            "/mothers/{id}/status",
            post(mother_profile::change_status_form),
        )
}

/// The JSON routes.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mother_profile::get))
        .routes(routes!(mother_profile::change_status))
}
