//! The second step of signing in, for a user with a second factor: after
//! the right password the session holds only the pending sign-in (not a
//! user: every page and `GET /api/v1/session` still answer as signed out),
//! and `/login/code` asks for the code from the authenticator app or a
//! recovery code, throttled as passwords are (the same lockout). The
//! pending sign-in lasts five minutes.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;

use super::html::{
    ClientIp, SignedIn, complete_sign_in, locked_message, login_subject, session_error,
};
use super::middleware::{SESSION_CSRF, SESSION_USER};
use super::model::{AttemptOutcome, Reservation, Throttle, User};
use super::second_factor::{self, Passed};
use crate::audit;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::state::AppState;
use crate::web::extract::Form;
use crate::web::{Page, render};

/// Session key of a sign-in waiting for its code.
const SESSION_PENDING: &str = "pending";
/// How long the code step waits after the password.
const PENDING_SECONDS: i64 = 5 * 60;

/// A sign-in whose password was right, waiting for its code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub id: UserId,
    pub epoch: i32,
    pub email: String,
    /// When the password was right (Unix seconds).
    pub since: i64,
    /// Where to go after (checked).
    pub next: String,
}

/// Keeps the pending sign-in in a new session (a new id: no fixation),
/// instead of whoever was signed in on this browser before.
pub async fn await_code(session: &Session, pending: Pending) -> AppResult<()> {
    for key in [SESSION_USER, SESSION_CSRF] {
        session.remove_value(key).await.map_err(session_error)?;
    }
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(SESSION_PENDING, pending)
        .await
        .map_err(session_error)
}

/// The pending sign-in, if there is one younger than five minutes.
async fn pending(state: &AppState, session: &Session) -> Option<Pending> {
    let p = session.get::<Pending>(SESSION_PENDING).await.ok()??;
    let age = state.clock().now().timestamp() - p.since;
    (0..PENDING_SECONDS).contains(&age).then_some(p)
}

#[derive(Template)]
#[template(path = "auth/login_code.html")]
struct CodePage {
    page: Page,
    error: Option<String>,
}

fn show(page: Page, status: StatusCode, error: Option<String>) -> Response {
    render(status, &CodePage { page, error })
}

pub async fn form(State(state): State<AppState>, session: Session, page: Page) -> Response {
    if pending(&state, &session).await.is_none() {
        return Redirect::to("/login").into_response();
    }
    show(page, StatusCode::OK, None)
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn check(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let Some(p) = pending(&state, &session).await else {
        return Ok(Redirect::to("/login").into_response());
    };
    let now = state.clock().now();
    let locked = |page: &Page, until| locked_message(page, until, now);
    let mut conn = state.db().await?;
    let attempt = match Throttle::reserve(&mut conn, &p.email, &ip, now).await? {
        Reservation::Locked(until) => {
            drop(conn);
            let msg = locked(&page, until);
            return Ok(show(page, StatusCode::TOO_MANY_REQUESTS, Some(msg)));
        }
        Reservation::Attempt(id) => id,
    };
    let passed = second_factor::check(&mut conn, p.id, &p.email, &form.code, now).await?;
    let Some(passed) = passed else {
        Throttle::settle(&mut conn, attempt, AttemptOutcome::Failure).await?;
        let subject = login_subject(Some(p.id));
        let details = json!({"client_ip": ip, "step": "second_factor"});
        audit::record(&mut conn, None, "login_failed", subject, details.clone()).await?;
        if let Some(until) = Throttle::locked_until(&mut conn, &p.email, &ip, now).await? {
            audit::record(&mut conn, None, "lockout", subject, details).await?;
            drop(conn);
            let msg = locked(&page, until);
            return Ok(show(page, StatusCode::TOO_MANY_REQUESTS, Some(msg)));
        }
        drop(conn);
        let msg = page.t("login-code-wrong");
        return Ok(show(page, StatusCode::UNAUTHORIZED, Some(msg)));
    };
    // The account as it is now: deactivated or signed out everywhere
    // since the password step, it is not signed in.
    let user = User::find(&mut conn, p.id).await?;
    if !user.active || user.session_epoch != p.epoch {
        Throttle::settle(&mut conn, attempt, AttemptOutcome::Failure).await?;
        drop(conn);
        let _ = session.flush().await;
        return Ok(Redirect::to("/login").into_response());
    }
    drop(conn);
    let how = match passed {
        Passed::Code => "code",
        Passed::RecoveryCode => "recovery_code",
    };
    let signed_in = SignedIn {
        attempt,
        id: user.id,
        epoch: user.session_epoch,
        role: user.role,
        must_change_password: user.must_change_password,
        next: p.next,
    };
    let _ = session.remove::<Pending>(SESSION_PENDING).await;
    complete_sign_in(
        &state,
        &session,
        signed_in,
        json!({"client_ip": ip, "second_factor": how}),
    )
    .await
}
