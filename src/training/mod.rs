//! Training: curriculum, courses, modules, enrolment, attendance, completion.

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
        .route("/courses", get(h::list).post(h::create))
        .route("/courses/new", get(h::new_form))
        .route("/courses/{id}", get(h::show).post(h::update))
        .route("/courses/{id}/edit", get(h::edit_form))
        .route("/courses/{id}/modules", post(h::create_module))
        .route("/courses/{id}/enrolments", post(h::enrol))
        .route("/modules/{id}", post(h::update_module))
        .route("/modules/{id}/edit", get(h::edit_module_form))
        .route("/modules/{id}/delete", post(h::delete_module))
        .route(
            "/modules/{id}/attendance",
            get(h::attendance).post(h::save_attendance),
        )
        .route("/enrolments/{id}/complete", post(h::complete))
        .route("/enrolments/{id}/drop-out", post(h::drop_out))
        .route("/programmes/{id}/curriculum", get(h::curriculum))
        .route("/programmes/{id}/curriculum/topics", post(h::create_topic))
        .route(
            "/programmes/{id}/curriculum/modules",
            post(h::create_template_module),
        )
        .route(
            "/curriculum/modules/{id}/delete",
            post(h::delete_template_module),
        )
}

/// The JSON routes.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_courses, api::create_course))
        .routes(routes!(api::get_course, api::update_course))
        .routes(routes!(api::list_modules, api::create_module))
        .routes(routes!(api::update_module, api::delete_module))
        .routes(routes!(api::list_enrolments, api::create_enrolment))
        .routes(routes!(api::get_attendance, api::put_attendance))
        .routes(routes!(api::complete))
        .routes(routes!(api::drop_out))
        .routes(routes!(api::list_topics, api::create_topic))
        .routes(routes!(api::list_template, api::create_template_module))
        .routes(routes!(api::delete_template_module))
}
