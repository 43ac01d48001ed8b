//! The auth middleware, run on every matched route:
//! 1. looks up the route's permission in the policy (unknown route: 403);
//! 2. finds the user: an API token (`Authorization: Bearer`, `/api/` only)
//!    or the session (ended when the user was deactivated or changed their
//!    password elsewhere, or when it is past its lifetime);
//! 3. checks CSRF on state-changing requests that are not token-authenticated:
//!    the session's token (on the sign-in form: the signed cookie's, see
//!    `login_csrf`) in `X-CSRF-Token` or the form field `csrf_token`, and no
//!    cross-site `Origin` / `Sec-Fetch-Site`;
//! 4. requires sign-in, a password change where one is due, a second
//!    factor where the role must have one, and the permission;
//! 5. hands the user and the CSRF token to the handler (request extensions).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::login_csrf;
use super::model::{ApiToken, User};
use super::password::{constant_time_eq, random_token, token_hash};
use super::second_factor;
use super::{Caller, CurrentUser};
use crate::authz::Role;
use crate::authz::policy::{Permission, Policy};
use crate::error::AppError;
use crate::ids::ProgrammeId;
use crate::programmes::model::WorkerWord;
use crate::state::AppState;
pub use crate::web::CsrfToken;

/// Session key of the signed-in user.
pub const SESSION_USER: &str = "user";
/// Session key of the CSRF token.
pub const SESSION_CSRF: &str = "csrf";
/// Largest form body read for its CSRF field.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// What the session remembers of its user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: crate::ids::UserId,
    /// The user's `session_epoch` at sign-in.
    pub epoch: i32,
    /// When the user signed in (Unix seconds): the session ends its
    /// lifetime after, however busy. 0 in a session from before there was
    /// a lifetime, which has ended.
    #[serde(default)]
    pub since: i64,
}

/// Whether a session signed in at `since` (Unix seconds) is still within
/// its lifetime at `now`: the configured one, a mother's on her phone
/// `MOTHER_SESSION_DAYS`.
fn within_lifetime(settings: &crate::state::Settings, role: Role, since: i64, now: i64) -> bool {
    let lifetime = if role == Role::Mother {
        time::Duration::days(super::html::MOTHER_SESSION_DAYS)
    } else {
        settings.session_lifetime
    };
    since > 0 && now.saturating_sub(since) < lifetime.whole_seconds()
}

/// Routes still open to a user whose role must have a second factor and
/// who has not set one up: setting it up, and what a password change
/// leaves open.
const OPEN_DURING_SECOND_FACTOR_SETUP: &[&str] = &[
    "/account",
    "/account/password",
    "/account/language",
    "/account/second-factor",
    "/logout",
    "/api/v1/session",
    "/api/v1/account/totp",
    "/api/v1/account/totp/confirm",
];

/// Routes still open while a password change is due.
const OPEN_DURING_PASSWORD_CHANGE: &[&str] = &[
    "/account",
    "/account/password",
    "/logout",
    "/api/v1/session",
];

pub async fn authorize(
    State(state): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    match check(&state, &session, req).await {
        Ok((req, set_cookie)) => {
            let mut res = next.run(req).await;
            if let Some(cookie) = set_cookie {
                res.headers_mut().append(SET_COOKIE, cookie);
            }
            res
        }
        Err(res) => res,
    }
}

/// The request to hand on, and a cookie to set on its response (the
/// sign-in form's CSRF cookie, when the request brought none).
async fn check(
    state: &AppState,
    session: &Session,
    req: Request,
) -> Result<(Request, Option<HeaderValue>), Response> {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let method = req.method().clone();
    // Put there by `app::router`; without it nothing is allowed.
    let Some(policy) = req.extensions().get::<Arc<Policy>>().cloned() else {
        tracing::error!("no authorization policy on the request");
        return Err(AppError::Forbidden.into_response());
    };
    let Some(permission) = policy.required(&method, &route) else {
        // A known path with another method: let the router answer 405.
        if policy.knows_path(&route) {
            return Ok((req, None));
        }
        tracing::error!(%method, route, "route has no rule in the authorization policy");
        return Err(AppError::Forbidden.into_response());
    };
    // Health checks, the API document and the stylesheet need no session.
    // The sign-in form and the invitation's password form: signed in by
    // the request itself, with the signed-cookie CSRF token.
    let is_login = matches!(
        route.as_str(),
        "/login" | "/login/code" | "/join" | "/join/{code}"
    );
    if permission == Permission::Public && !is_login {
        return Ok((req, None));
    }
    let is_api = route.starts_with("/api/");
    let changes_state = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);

    // Who is asking? Each step takes at most one pooled connection at a
    // time and gives it back before the next: the session store takes its
    // own, so holding one here while the session loads would make every
    // request need two (and a busy pool deadlock).
    let bearer = bearer_token(req.headers());
    let via_token = bearer.is_some();
    let user = match bearer {
        Some(token) => {
            if !is_api {
                return Err(AppError::Unauthenticated.into_response());
            }
            let mut conn = state
                .db()
                .await
                .map_err(|e| AppError::from(e).into_response())?;
            match ApiToken::authenticate(&mut conn, &token_hash(&token), state.clock().now())
                .await
                .map_err(err)?
            {
                Some(user) => Some(user),
                None => return Err(AppError::Unauthenticated.into_response()),
            }
        }
        None => session_user(state, session).await?,
    };

    if permission != Permission::Public {
        let Some(user) = &user else {
            return Err(if is_api || changes_state {
                AppError::Unauthenticated.into_response()
            } else {
                let next = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default();
                Redirect::to(&format!("/login?next={}", encode(&next))).into_response()
            });
        };
        if user.must_change_password && !OPEN_DURING_PASSWORD_CHANGE.contains(&route.as_str()) {
            return Err(if is_api {
                AppError::PasswordChangeRequired.into_response()
            } else {
                Redirect::to("/account").into_response()
            });
        }
        // A role that must have a second factor: set it up first (API
        // tokens stay single-factor).
        if !user.second_factor
            && !via_token
            && !OPEN_DURING_SECOND_FACTOR_SETUP.contains(&route.as_str())
        {
            let required = second_factor::required(state, user.role)
                .await
                .map_err(IntoResponse::into_response)?;
            if required {
                return Err(if is_api {
                    AppError::SecondFactorRequired.into_response()
                } else {
                    Redirect::to("/account/second-factor").into_response()
                });
            }
        }
        if !user.role.can(permission) {
            return Err(AppError::Forbidden.into_response());
        }
    }

    // CSRF: tokens are not sent by browsers on their own, sessions are. The
    // sign-in form uses a signed cookie instead of the session, so that an
    // anonymous visitor makes the server store nothing.
    let (csrf, set_cookie) = if via_token {
        (None, None)
    } else if is_login {
        let path = if route.starts_with("/join") {
            "/join"
        } else {
            "/login"
        };
        let c = login_csrf::for_request(state, req.headers(), path)
            .await
            .map_err(IntoResponse::into_response)?;
        (Some(c.token), c.set_cookie)
    } else {
        (Some(csrf_token(session).await?), None)
    };
    let mut req = match (&csrf, changes_state) {
        (Some(expected), true) => check_csrf(req, expected).await?,
        _ => req,
    };
    if let Some(user) = user {
        // The pages of a user in one programme use its words for its
        // workers (the API speaks codes, not words).
        if !is_api && let [programme] = user.programme_ids[..] {
            let mut conn = state
                .db()
                .await
                .map_err(|e| AppError::from(e).into_response())?;
            let words = WorkerWord::of(&mut conn, ProgrammeId(programme))
                .await
                .map_err(err)?;
            req.extensions_mut().insert(WorkerWord::for_tr(&words));
        }
        req.extensions_mut().insert(Caller::from(&user));
        req.extensions_mut().insert(CurrentUser(user));
    }
    if let Some(csrf) = csrf {
        req.extensions_mut().insert(CsrfToken(csrf));
    }
    Ok((req, set_cookie))
}

fn err(e: diesel::result::Error) -> Response {
    AppError::from(e).into_response()
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_owned())
}

/// The session's user, if it is still valid (active, same epoch). The
/// session is read first (the store takes its own connection), then the
/// user (one more, given back before the session may be ended).
async fn session_user(state: &AppState, session: &Session) -> Result<Option<User>, Response> {
    let stored = match session.get::<SessionUser>(SESSION_USER).await {
        Ok(s) => s,
        // The store could not be read (the database is away): not the same
        // as signed out.
        Err(tower_sessions::session::Error::Store(
            tower_sessions::session_store::Error::Backend(e),
        )) => return Err(AppError::DatabaseUnavailable(e).into_response()),
        Err(e) => {
            tracing::warn!(error = %e, "unreadable session");
            None
        }
    };
    let Some(stored) = stored else {
        return Ok(None);
    };
    let found = {
        let mut conn = state
            .db()
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        User::find(&mut conn, stored.id).await
    };
    match found {
        Ok(user)
            if user.active
                && user.session_epoch == stored.epoch
                && within_lifetime(
                    state.settings(),
                    user.role,
                    stored.since,
                    state.clock().now().timestamp(),
                ) =>
        {
            Ok(Some(user))
        }
        Ok(_) | Err(diesel::NotFound) => {
            // Deactivated, signed out everywhere, or past its lifetime:
            // this session ends.
            let _ = session.flush().await;
            Ok(None)
        }
        Err(e) => Err(err(e)),
    }
}

/// The session's CSRF token, made on first use.
async fn csrf_token(session: &Session) -> Result<String, Response> {
    if let Ok(Some(t)) = session.get::<String>(SESSION_CSRF).await {
        return Ok(t);
    }
    let t = random_token();
    session
        .insert(SESSION_CSRF, &t)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("session: {e}")).into_response())?;
    Ok(t)
}

/// Refuses cross-site requests and requests without the session's token.
/// The largest upload a form may send (an import's file).
const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The value of a short text field of a `multipart/form-data` body, found
/// by its part header. Written here rather than with `multer` because the
/// check needs one small field before the handler reads the body with
/// axum's own `Multipart`; the browser puts hidden fields first.
fn multipart_field<'b>(body: &'b [u8], name: &str) -> Option<&'b [u8]> {
    let header = format!("name=\"{name}\"");
    let at = body
        .windows(header.len())
        .position(|w| w == header.as_bytes())?;
    let rest = &body[at..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let value = &rest[start..];
    let end = value.windows(4).position(|w| w == b"\r\n--")?;
    Some(&value[..end])
}

async fn check_csrf(req: Request, expected: &str) -> Result<Request, Response> {
    let forbidden = || AppError::CsrfFailed.into_response();
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return Err(forbidden());
    }
    if let Some(origin) = headers.get(ORIGIN) {
        let host = headers
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin = origin.to_str().unwrap_or("null");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        if origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host) {
            return Err(forbidden());
        }
    }
    if let Some(given) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            Ok(req)
        } else {
            Err(forbidden())
        };
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        // A file upload (an import): the token is the form's field.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_UPLOAD_BYTES)
            .await
            .map_err(|_| AppError::TooLarge.into_response())?;
        return match multipart_field(&bytes, "csrf_token") {
            Some(g) if constant_time_eq(g, expected.as_bytes()) => {
                Ok(Request::from_parts(parts, Body::from(bytes)))
            }
            _ => Err(forbidden()),
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(forbidden());
    }
    // Read the form for its csrf_token field, then hand the body on.
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| AppError::BadRequest("the form is too large".into()).into_response())?;
    let given = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.into_owned());
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), expected.as_bytes()) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forbidden()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_field_is_found() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\na;b\r\n--b--\r\n";
        assert_eq!(multipart_field(body, "csrf_token"), Some(&b"abc"[..]));
        assert_eq!(multipart_field(body, "nope"), None);
    }

    #[test]
    fn bearer_tokens_are_read() {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, "Bearer nm_abc".parse().expect("header"));
        assert_eq!(bearer_token(&h).as_deref(), Some("nm_abc"));
        h.insert(AUTHORIZATION, "Basic xyz".parse().expect("header"));
        assert_eq!(bearer_token(&h), None);
    }
}
