//! Signing in and out, the user's own account, and `GET /api/v1/session`.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;
use utoipa::ToSchema;

use super::CurrentUser;
use super::middleware::{CsrfToken, SESSION_CSRF, SESSION_USER, SessionUser};
use super::model::{AttemptOutcome, Reservation, Throttle, User};
use super::password::{self, Secret, random_token};
use crate::audit::{self, Subject};
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::state::AppState;
use crate::web::extract::{Form, Json, Query};
use crate::web::{Page, flash, render};

/// The client's address, for throttling: the socket's peer, or with
/// `--trust-forwarded-for` the address the reverse proxy saw.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.settings().trust_forwarded_for
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return Ok(ClientIp(ip.to_owned()));
        }
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    page: Page,
    email: String,
    next: String,
    /// The interface languages, for the picker.
    languages: Vec<String>,
    /// A message (translated) above the form.
    error: Option<String>,
}

impl LoginPage {
    /// This sign-in page (with where it leads), for the language picker
    /// to come back to.
    fn login_link(&self) -> String {
        if self.next.is_empty() {
            "/login".into()
        } else {
            format!(
                "/login?{}",
                serde_html_form::to_string([("next", &self.next)]).unwrap_or_default()
            )
        }
    }
}

/// The language picked on the sign-in page: `GET /language?lang=de&next=/login`
/// keeps it in a cookie for a year (the user's own setting, once signed in,
/// wins) and goes back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LanguageQuery {
    lang: String,
    next: String,
}

pub async fn pick_language(Query(q): Query<LanguageQuery>) -> Response {
    let mut res = Redirect::to(safe_next(&q.next)).into_response();
    if crate::web::i18n::available().contains(&q.lang) {
        let cookie = format!(
            "{}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax",
            crate::web::i18n::LANG_COOKIE,
            q.lang
        );
        if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
            res.headers_mut().append(axum::http::header::SET_COOKIE, v);
        }
    }
    res
}

/// Only a path on this site may be a redirect target: one leading `/`, no
/// `//` (another host), no backslash (which browsers read as `/`), and no
/// control or space characters (browsers drop tabs and newlines, so
/// `/\t/evil.example` would become `//evil.example`). Anything else goes
/// to the home page.
pub fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if ok { next } else { "/" }
}

pub async fn login_form(page: Page, Query(q): Query<LoginQuery>) -> Response {
    if page.user.is_some() {
        return Redirect::to(safe_next(&q.next)).into_response();
    }
    render(
        StatusCode::OK,
        &LoginPage {
            page,
            languages: crate::web::i18n::available(),
            email: String::new(),
            next: safe_next(&q.next).to_owned(),
            error: None,
        },
    )
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let email = form.email.trim().to_owned();
    let show = |page: Page, status: StatusCode, error: String| {
        render(
            status,
            &LoginPage {
                page,
                languages: crate::web::i18n::available(),
                email: email.clone(),
                next: form.next.clone(),
                error: Some(error),
            },
        )
    };
    let now = state.clock().now();
    let locked = |page: &Page, until| locked_message(page, until, now);

    // The attempt is counted before the password is checked, and no
    // connection is held while it is (the hash takes ~19 MiB and tens of
    // milliseconds on a hashing thread).
    let (attempt, row) = {
        let mut conn = state.db().await?;
        match Throttle::reserve(&mut conn, &email, &ip, now).await? {
            Reservation::Locked(until) => {
                drop(conn);
                let msg = locked(&page, until);
                return Ok(show(page, StatusCode::TOO_MANY_REQUESTS, msg));
            }
            Reservation::Attempt(id) => (id, User::row_by_email(&mut conn, &email).await?),
        }
    };
    let hash = row
        .as_ref()
        .filter(|r| r.active)
        .map(|r| r.password_hash.clone());
    // An unknown email is checked against a dummy hash: the same answer in
    // about the same time.
    let ok = password::verify(Secret::new(form.password.clone()), hash).await;
    let user_id = row.as_ref().map(|r| r.id);

    let mut conn = state.db().await?;
    if !ok {
        Throttle::settle(&mut conn, attempt, AttemptOutcome::Failure).await?;
        let subject = login_subject(user_id);
        audit::record(
            &mut conn,
            None,
            "login_failed",
            subject,
            json!({"email": email, "client_ip": ip}),
        )
        .await?;
        if let Some(until) = Throttle::locked_until(&mut conn, &email, &ip, now).await? {
            audit::record(
                &mut conn,
                None,
                "lockout",
                subject,
                json!({"email": email, "client_ip": ip}),
            )
            .await?;
            drop(conn);
            let msg = locked(&page, until);
            return Ok(show(page, StatusCode::TOO_MANY_REQUESTS, msg));
        }
        drop(conn);
        let msg = page.t("login-failed");
        return Ok(show(page, StatusCode::UNAUTHORIZED, msg));
    }

    let Some(row) = row else {
        return Err(AppError::Unauthenticated);
    };
    let next = safe_next(&form.next).to_owned();
    if row.totp_on_at.is_some() {
        // The password was right; the code decides. Until then the attempt
        // is neither a failure nor a success (which would clear the
        // failures before it, codes guessed wrong among them).
        Throttle::forget(&mut conn, attempt).await?;
        drop(conn);
        let pending = super::sign_in_code::Pending {
            id: row.id,
            epoch: row.session_epoch,
            email: row.email.clone(),
            since: state.clock().now().timestamp(),
            next,
        };
        super::sign_in_code::await_code(&session, pending).await?;
        return Ok(Redirect::to("/login/code").into_response());
    }
    drop(conn);
    let signed_in = SignedIn {
        attempt,
        id: row.id,
        epoch: row.session_epoch,
        role: row.role,
        must_change_password: row.must_change_password,
        next,
    };
    complete_sign_in(&state, &session, signed_in, json!({"client_ip": ip})).await
}

/// A sign-in whose every step was passed.
pub(super) struct SignedIn {
    pub attempt: i64,
    pub id: UserId,
    pub epoch: i32,
    pub role: crate::authz::Role,
    pub must_change_password: bool,
    /// Where to go next (already checked with `safe_next`).
    pub next: String,
}

/// Settles the attempt as a success, records the sign-in (`record`: its
/// audit details) and starts the session; leads on to `next` (to the
/// account for a one-time password).
pub(super) async fn complete_sign_in(
    state: &AppState,
    session: &Session,
    s: SignedIn,
    record: serde_json::Value,
) -> AppResult<Response> {
    {
        let mut conn = state.db().await?;
        Throttle::settle(&mut conn, s.attempt, AttemptOutcome::Success).await?;
        User::touch_login(&mut conn, s.id).await?;
        audit::record(
            &mut conn,
            Some(s.id),
            "login",
            login_subject(Some(s.id)),
            record,
        )
        .await?;
    }
    // The session store takes its own connection.
    start_session(session, s.id, s.epoch, s.role, state.clock().now()).await?;
    let to = if s.must_change_password {
        "/account"
    } else {
        s.next.as_str()
    };
    Ok(Redirect::to(to).into_response())
}

/// Signs a user in on this session at `now`: a new session id (no
/// fixation), a new CSRF token. A mother's session on her phone lasts up
/// to 30 days unused and at most 30 days in all (her coordinator can end
/// it); everyone else's the configured idle time, and at most the
/// configured lifetime from `now` (`middleware::session_user`).
pub async fn start_session(
    session: &Session,
    id: UserId,
    epoch: i32,
    role: crate::authz::Role,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    session.cycle_id().await.map_err(session_error)?;
    let since = now.timestamp();
    session
        .insert(SESSION_USER, SessionUser { id, epoch, since })
        .await
        .map_err(session_error)?;
    session
        .insert(SESSION_CSRF, random_token())
        .await
        .map_err(session_error)?;
    if role == crate::authz::Role::Mother {
        session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(MOTHER_SESSION_DAYS),
        )));
    }
    Ok(())
}

/// How long a mother's session lasts unused, on her own phone.
pub const MOTHER_SESSION_DAYS: i64 = 30;

/// "Locked: try again in N minutes", for a lockout that ends at `until`.
pub(super) fn locked_message(
    page: &Page,
    until: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
) -> String {
    let minutes = ((until - now).num_seconds() + 59) / 60;
    page.t1("login-locked", "minutes", minutes.max(1))
}

pub(super) fn login_subject(user_id: Option<UserId>) -> Subject {
    Subject {
        entity: "user",
        id: user_id.map(i64::from),
        programme_id: None,
    }
}

pub(super) fn session_error(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {e}"))
}

pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    {
        let mut conn = state.db().await?;
        audit::record(
            &mut conn,
            Some(user.id),
            "logout",
            login_subject(Some(user.id)),
            json!({}),
        )
        .await?;
    }
    session.flush().await.map_err(session_error)?;
    Ok(flash::redirect("/login", "flash-signed-out", ""))
}

/// The signed-in user and the CSRF token for state-changing requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: User,
    /// Send it as `X-CSRF-Token` with POST, PUT, PATCH and DELETE. `null`
    /// when authenticated with an API token (no CSRF token needed).
    pub csrf_token: Option<String>,
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = SessionInfo),
              (status = 401, body = crate::error::ErrorResponse)))]
pub async fn session_info(
    CurrentUser(user): CurrentUser,
    csrf: Option<axum::Extension<CsrfToken>>,
) -> Json<SessionInfo> {
    Json(SessionInfo {
        user,
        csrf_token: csrf.map(|axum::Extension(t)| t.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(safe_next("/programmes/3"), "/programmes/3");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/\n/x"), "/");
        assert_eq!(safe_next("/ /x"), "/");
        assert_eq!(
            safe_next("/visits?page=2&mother=3"),
            "/visits?page=2&mother=3"
        );
    }
}
