//! Accepting an invitation (`/join`): an invited user (a mother, on her
//! phone) types or follows her one-time code, chooses her password and is
//! signed in. The invitation itself is made where the person is known (a
//! mother's profile: `my::invite`).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::html::start_session;
use super::model::User;
use super::model::invitation::Invitation;
use super::ops;
use super::password::{self, Secret};
use crate::error::{AppResult, FieldErrors};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, render};

#[derive(Template)]
#[template(path = "auth/join.html")]
struct JoinPage {
    page: Page,
    code: String,
    errors: FormErrors,
}

fn join_page(page: Page, code: String, errors: FormErrors) -> Response {
    render(errors.status(), &JoinPage { page, code, errors })
}

/// `/join`: the form, with the code typed.
pub async fn form(page: Page) -> Response {
    join_page(page, String::new(), FormErrors::default())
}

/// `/join/{code}`: the form with the code from the link (or the QR code).
pub async fn form_with_code(page: Page, Path(code): Path<String>) -> Response {
    join_page(page, code, FormErrors::default())
}

#[derive(Debug, Default, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// Chooses the password and signs in (her session lasts up to 30 days
/// unused on a mother's phone).
pub async fn join(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    Form(form): Form<JoinForm>,
) -> AppResult<Response> {
    let now = state.clock().now();
    let mut errors = FieldErrors::new();
    // Who is invited, for the password's strength check (a password
    // must not be made of her name or sign-in).
    let user = {
        let mut conn = state.db().await?;
        match Invitation::open(&mut conn, &form.code, now).await? {
            Some(id) => Some(User::find(&mut conn, id).await?),
            None => None,
        }
    };
    match &user {
        None => errors.insert("code", "error-invitation-invalid"),
        Some(u) => {
            if let Err(key) = password::check_strength(&form.new, &[&u.email, &u.display_name]) {
                errors.insert("new", key);
            } else if form.new != form.confirm {
                errors.insert("confirm", "error-password-mismatch");
            }
        }
    }
    if !errors.is_empty() {
        return Ok(join_page(page, form.code, FormErrors(errors)));
    }
    let hash = password::hash(Secret::new(form.new)).await?;
    let accepted = ops::accept_invitation(&mut *state.db().await?, &form.code, &hash, now).await?;
    let Some(user) = accepted else {
        // Used up meanwhile (sent twice at once).
        let mut errors = FieldErrors::new();
        errors.insert("code", "error-invitation-invalid");
        return Ok(join_page(page, form.code, FormErrors(errors)));
    };
    start_session(&session, user.id, user.session_epoch, user.role, now).await?;
    Ok(Redirect::to("/").into_response())
}
