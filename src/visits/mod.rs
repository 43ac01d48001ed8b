//! Families, visits, referrals, topics and events: the coordinator's daily work.

pub mod api;
pub mod families;
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
        .route("/visits", get(h::list_visits).post(h::create_visit))
        .route("/visits/new", get(h::new_visit))
        .route("/families", get(h::list_families).post(h::create_family))
        .route("/families/new", get(h::new_family))
        .route("/families/{id}", get(h::show_family).post(h::update_family))
        .route("/families/{id}/edit", get(h::edit_family))
        .route("/families/{id}/close", post(h::close_family))
        .route("/referrals", get(h::referrals))
        .route("/referrals/{id}/done", post(h::referral_done))
        .route(
            "/programmes/{id}/topics",
            get(h::topics).post(h::create_topic),
        )
        .route("/topics/{id}", post(h::rename_topic))
        .route("/topics/{id}/retire", post(h::retire_topic))
        .route("/topics/{id}/restore", post(h::restore_topic))
        .route("/events", get(h::events).post(h::create_event))
}

/// The JSON routes.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_families, api::create_family))
        .routes(routes!(api::get_family, api::update_family))
        .routes(routes!(api::close_family))
        .routes(routes!(api::list_visits, api::create_visit))
        .routes(routes!(api::get_visit))
        .routes(routes!(api::open_referrals))
        .routes(routes!(api::referral_done))
        .routes(routes!(api::list_topics, api::create_topic))
        .routes(routes!(api::rename_topic))
        .routes(routes!(api::retire_topic))
        .routes(routes!(api::list_events, api::create_event))
}
