//! Accounts: users and roles, passwords, sessions, API tokens, sign-in,
//! CSRF, and the authorization policy.

pub mod admin;
pub mod audit_log;
pub mod form;
pub mod handlers;
pub mod login_csrf;
pub mod middleware;
pub mod model;
pub mod password;
pub mod session_store;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use crate::authz::{Caller, Permission, Role};
use crate::error::AppError;
pub use model::User;

/// The signed-in user of a request (put there by the auth middleware,
/// with its [`Caller`] for the layers that know no accounts).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl From<&User> for Caller {
    fn from(u: &User) -> Self {
        Caller {
            id: u.id,
            display_name: u.display_name.clone(),
            role: u.role,
            language: u.language.clone(),
            scope: u.scope(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// Sign-in, account and administration pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(handlers::home))
        .route("/login", get(handlers::login_form).post(handlers::login))
        .route("/logout", post(handlers::logout))
        .route("/account", get(handlers::account))
        .route("/account/password", post(handlers::change_password))
        .route("/account/language", post(handlers::change_language))
        .route("/admin/users", get(admin::list).post(admin::create))
        .route("/admin/users/new", get(admin::new_form))
        .route(
            "/admin/users/{id}",
            get(admin::edit_form).post(admin::update),
        )
        .route("/admin/users/{id}/deactivate", post(admin::deactivate))
        .route("/admin/users/{id}/activate", post(admin::activate))
        .route(
            "/admin/users/{id}/reset-password",
            post(admin::reset_password),
        )
        .route(
            "/admin/tokens",
            get(admin::tokens).post(admin::create_token),
        )
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/audit", get(audit_log::page))
}

/// `GET /api/v1/session`.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::session_info))
        .routes(routes!(audit_log::api_list))
}
