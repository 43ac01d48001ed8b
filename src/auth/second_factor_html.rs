//! The second factor's pages: one's own (`/account/second-factor`: set it
//! up with the QR code drawn here and a first code, see the recovery codes
//! once, turn it off with the password) and the administrator's
//! (`/admin/second-factor`: which roles must have it); and its API
//! (`/api/v1/account/totp`, `/api/v1/account/totp/confirm`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::CurrentUser;
use super::account::keep_session;
use super::html::ClientIp;
use super::model::{AttemptOutcome, Reservation, SecondFactor, Throttle, User};
use super::password::{self, Secret};
use super::second_factor::{self, Setup};
use crate::authz::{Access, Role};
use crate::error::{AppError, AppResult, ErrorResponse, FieldErrors};
use crate::state::AppState;
use crate::web::extract::{Form, Json};
use crate::web::{FormErrors, Page, flash, render};

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
struct SetupPage {
    page: Page,
    /// While off: the setup to confirm.
    setup: Option<Setup>,
    qr: String,
    /// While on: the recovery codes left, and whether the role must have it.
    codes_left: i64,
    required: bool,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/recovery_codes.html")]
struct CodesPage {
    page: Page,
    codes: Vec<String>,
}

async fn setup_page(
    state: &AppState,
    page: Page,
    me: User,
    errors: FormErrors,
) -> AppResult<Response> {
    let required = second_factor::required(state, me.role).await?;
    let mut conn = state.db().await?;
    let (setup, codes_left) = if me.second_factor {
        (None, SecondFactor::codes_left(&mut conn, me.id).await?)
    } else {
        (Some(second_factor::begin(&mut conn, &me, false).await?), 0)
    };
    drop(conn);
    let qr = setup
        .as_ref()
        .map(|s| crate::web::qr::svg(&s.uri))
        .unwrap_or_default();
    Ok(render(
        errors.status(),
        &SetupPage {
            page: page.with_nav("account"),
            setup,
            qr,
            codes_left,
            required,
            errors,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    CurrentUser(me): CurrentUser,
) -> AppResult<Response> {
    setup_page(&state, page, me, FormErrors::default()).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CodeInput {
    /// The six digits the authenticator app shows.
    #[serde(default)]
    pub code: String,
}

/// Confirms the setup with the first code; shows the recovery codes once.
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    CurrentUser(me): CurrentUser,
    Form(form): Form<CodeInput>,
) -> AppResult<Response> {
    let now = state.clock().now();
    let result = second_factor::confirm(&mut *state.db().await?, &me, &form.code, now).await;
    match result {
        Ok(on) => {
            keep_session(&state, &session, me.id, on.epoch).await?;
            Ok(render(
                StatusCode::OK,
                &CodesPage {
                    page: page.with_nav("account"),
                    codes: on.recovery_codes,
                },
            ))
        }
        Err(AppError::Validation(errors)) => setup_page(&state, page, me, FormErrors(errors)).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct OffForm {
    #[serde(default)]
    password: String,
}

/// Turns one's own second factor off, with the password (counted as a
/// sign-in attempt: a session left open is no way to guess it); not where
/// the role must have it.
pub async fn turn_off(
    State(state): State<AppState>,
    page: Page,
    ClientIp(ip): ClientIp,
    CurrentUser(me): CurrentUser,
    Form(form): Form<OffForm>,
) -> AppResult<Response> {
    let required = second_factor::required(&state, me.role).await?;
    let mut errors = FieldErrors::new();
    if required {
        errors.insert("password", "error-totp-required-for-role");
    } else if form.password.is_empty() {
        errors.insert("password", "error-required");
    } else {
        let now = state.clock().now();
        let (reserved, row) = {
            let mut conn = state.db().await?;
            let reserved = Throttle::reserve(&mut conn, &me.email, &ip, now).await?;
            (reserved, User::row(&mut conn, me.id).await?)
        };
        match reserved {
            Reservation::Locked(_) => errors.insert("password", "error-password-locked"),
            Reservation::Attempt(attempt) => {
                let ok =
                    password::verify(Secret::new(form.password), Some(row.password_hash)).await;
                let outcome = if ok {
                    AttemptOutcome::Success
                } else {
                    errors.insert("password", "error-password-wrong");
                    AttemptOutcome::Failure
                };
                Throttle::settle(&mut *state.db().await?, attempt, outcome).await?;
            }
        }
    }
    if !errors.is_empty() {
        return setup_page(&state, page, me, FormErrors(errors)).await;
    }
    second_factor::turn_off(&mut *state.db().await?, Some(me.id), me.id).await?;
    Ok(flash::redirect("/account", "flash-totp-off", ""))
}

/// A role and whether it must have a second factor, for the
/// administrator's page.
struct RoleLine {
    role: Role,
    required: bool,
    /// As the default has it (nobody set it).
    by_default: bool,
}

#[derive(Template)]
#[template(path = "admin/second_factor.html")]
struct RolesPage {
    page: Page,
    roles: Vec<RoleLine>,
    beyond_loopback: bool,
}

pub async fn roles(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    let set = SecondFactor::role_settings(&mut *state.db().await?).await?;
    let roles = Role::ALL
        .iter()
        .map(|&role| {
            let own = set.iter().find(|(r, _)| *r == role).map(|(_, b)| *b);
            RoleLine {
                role,
                required: own
                    .unwrap_or_else(|| second_factor::required_by_default(state.settings(), role)),
                by_default: own.is_none(),
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &RolesPage {
            page: page.with_nav("users"),
            roles,
            beyond_loopback: state.settings().beyond_loopback,
        },
    ))
}

/// The roles ticked must have a second factor; the others need not.
pub async fn set_roles(
    State(state): State<AppState>,
    access: Access,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ticked: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == "required")
        .map(|(_, v)| v.as_str())
        .collect();
    let roles: Vec<(Role, bool)> = Role::ALL
        .iter()
        .map(|&r| (r, ticked.contains(&r.as_str())))
        .collect();
    let now = state.clock().now();
    second_factor::set_required(&mut *state.db().await?, &state, access.actor, &roles, now).await?;
    Ok(flash::redirect(
        "/admin/second-factor",
        "flash-second-factor-roles-saved",
        "",
    ))
}

/// A setup begun: a new secret, off until confirmed with
/// `POST /api/v1/account/totp/confirm`.
#[utoipa::path(post, path = "/api/v1/account/totp", tag = "session",
    responses((status = 200, body = Setup), (status = 401, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn api_begin(
    State(state): State<AppState>,
    CurrentUser(me): CurrentUser,
) -> AppResult<Json<Setup>> {
    Ok(Json(
        second_factor::begin(&mut *state.db().await?, &me, true).await?,
    ))
}

/// The recovery codes, answered once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Turns the second factor on with a first code; answers the ten recovery
/// codes once.
#[utoipa::path(post, path = "/api/v1/account/totp/confirm", tag = "session", request_body = CodeInput,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn api_confirm(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(me): CurrentUser,
    Json(input): Json<CodeInput>,
) -> AppResult<Json<RecoveryCodes>> {
    let now = state.clock().now();
    let on = second_factor::confirm(&mut *state.db().await?, &me, &input.code, now).await?;
    // The user's other sessions ended; a browser's own goes on (with a
    // token there is none).
    if session
        .get::<crate::auth::middleware::SessionUser>(crate::auth::middleware::SESSION_USER)
        .await
        .ok()
        .flatten()
        .is_some()
    {
        keep_session(&state, &session, me.id, on.epoch).await?;
    }
    Ok(Json(RecoveryCodes {
        recovery_codes: on.recovery_codes,
    }))
}
