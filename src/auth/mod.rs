//! Accounts: users and roles, passwords, sessions, API tokens, sign-in and
//! CSRF: `model` (rows and queries), `input`, `ops` (the use cases), `html`
//! (signing in and out), `sign_in_code` (its second step), `account` (one's
//! own account), `second_factor` (one-time passwords and recovery codes)
//! with its pages and API in `second_factor_html`, `admin` (users and
//! tokens), `audit_log` (the log's page), `middleware` (who is asking; the
//! policy and CSRF check).

pub mod account;
pub mod admin;
pub mod audit_log;
pub mod html;
pub mod input;
pub mod invite;
pub mod login_csrf;
pub mod middleware;
pub mod model;
pub mod ops;
pub mod password;
pub mod second_factor;
pub mod second_factor_html;
pub mod session_store;
pub mod sign_in_code;
pub mod users_api;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

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
            mother_id: u.mother_id.map(crate::ids::MotherId),
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

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    Routes::new()
        .get("/login", P::Public, html::login_form)
        .get("/language", P::Public, html::pick_language)
        .get("/join", P::Public, invite::form)
        .get("/join/{code}", P::Public, invite::form_with_code)
        .post("/join", P::Public, invite::join)
        .post("/login", P::Public, html::login)
        .get("/login/code", P::Public, sign_in_code::form)
        .post("/login/code", P::Public, sign_in_code::check)
        .post("/logout", P::SignedIn, html::logout)
        .get("/account", P::SignedIn, account::account)
        .post("/account/password", P::SignedIn, account::change_password)
        .post("/account/language", P::SignedIn, account::change_language)
        .get(
            "/account/second-factor",
            P::SignedIn,
            second_factor_html::show,
        )
        .post(
            "/account/second-factor",
            P::SignedIn,
            second_factor_html::confirm,
        )
        .post(
            "/account/second-factor/off",
            P::SignedIn,
            second_factor_html::turn_off,
        )
        .get(
            "/admin/second-factor",
            P::ManageUsers,
            second_factor_html::roles,
        )
        .post(
            "/admin/second-factor",
            P::ManageUsers,
            second_factor_html::set_roles,
        )
        .get("/admin/users", P::ManageUsers, admin::list)
        .post("/admin/users", P::ManageUsers, admin::create)
        .get("/admin/users/new", P::ManageUsers, admin::new_form)
        .get("/admin/users/{id}", P::ManageUsers, admin::edit_form)
        .post("/admin/users/{id}", P::ManageUsers, admin::update)
        .post(
            "/admin/users/{id}/deactivate",
            P::ManageUsers,
            admin::deactivate,
        )
        .post(
            "/admin/users/{id}/activate",
            P::ManageUsers,
            admin::activate,
        )
        .post(
            "/admin/users/{id}/reset-password",
            P::ManageUsers,
            admin::reset_password,
        )
        .get("/admin/tokens", P::ManageTokens, admin::tokens)
        .post("/admin/tokens", P::ManageTokens, admin::create_token)
        .post(
            "/admin/tokens/{id}/revoke",
            P::ManageTokens,
            admin::revoke_token,
        )
        .get("/admin/audit", P::ReadAudit, audit_log::page)
        .api(P::SignedIn, routes!(html::session_info))
        .api(P::SignedIn, routes!(second_factor_html::api_begin))
        .api(P::SignedIn, routes!(second_factor_html::api_confirm))
        .api(P::ReadAudit, routes!(audit_log::api_list))
        .api(P::ManageUsers, routes!(users_api::list))
        .api(P::ManageUsers, routes!(users_api::create))
        .api(P::ManageUsers, routes!(users_api::get))
        .api(P::ManageUsers, routes!(users_api::patch))
        .api(P::ManageUsers, routes!(users_api::deactivate))
        .api(P::ManageUsers, routes!(users_api::activate))
}
