//! One's own account (`/account`): who one is, the password, the
//! interface language, and the account's recent security events (sign-ins,
//! failed ones, lockouts, password and second-factor changes).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

use super::CurrentUser;
use super::html::session_error;
use super::middleware::{SESSION_USER, SessionUser};
use super::model::User;
use super::ops;
use super::password::{self, Secret};
use crate::audit;
use crate::error::{AppResult, FieldErrors};
use crate::state::AppState;
use crate::web::extract::Form;
use crate::web::{FormErrors, Page, flash, i18n, render};

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    page: Page,
    me: User,
    errors: FormErrors,
    languages: Vec<String>,
    events: Vec<EventLine>,
}

/// One of the account's recent security events as the page shows it.
struct EventLine {
    /// RFC 3339, for `<time datetime>`.
    at: String,
    when: String,
    what: String,
    /// The address it came from, where one was recorded.
    from: String,
}

/// How many security events the account page lists.
const EVENTS_SHOWN: i64 = 20;

async fn account_page(
    state: &AppState,
    page: Page,
    me: User,
    errors: FormErrors,
) -> AppResult<Response> {
    let events = audit::security_events(&mut *state.db().await?, me.id, EVENTS_SHOWN).await?;
    let events = events
        .into_iter()
        .map(|e| EventLine {
            at: e.at.to_rfc3339(),
            when: page
                .tr
                .date_time(e.at.with_timezone(&chrono::Local).naive_local()),
            what: page.t(&format!("history-action-{}", e.action.replace('_', "-"))),
            from: e.client_ip.unwrap_or_default(),
        })
        .collect();
    Ok(render(
        errors.status(),
        &AccountPage {
            page: page.with_nav("account"),
            me,
            errors,
            languages: i18n::available(),
            events,
        },
    ))
}

pub async fn account(
    State(state): State<AppState>,
    page: Page,
    CurrentUser(me): CurrentUser,
) -> AppResult<Response> {
    account_page(&state, page, me, FormErrors::default()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    CurrentUser(me): CurrentUser,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let row = User::row(&mut *state.db().await?, me.id).await?;
    if !password::verify(Secret::new(form.current), Some(row.password_hash)).await {
        errors.insert("current", "error-password-wrong");
    }
    if let Err(key) = password::check_strength(&form.new, &[&me.email, &me.display_name]) {
        errors.insert("new", key);
    } else if form.new != form.confirm {
        errors.insert("confirm", "error-password-mismatch");
    }
    if !errors.is_empty() {
        return account_page(&state, page, me, FormErrors(errors)).await;
    }
    let hash = password::hash(Secret::new(form.new)).await?;
    let epoch =
        ops::set_password(&mut *state.db().await?, Some(me.id), me.id, &hash, false).await?;
    keep_session(&state, &session, me.id, epoch).await?;
    Ok(flash::redirect("/", "flash-password-changed", ""))
}

/// After a change that ended the user's other sessions (a new epoch): this
/// session goes on, from its sign-in, for its lifetime.
pub(super) async fn keep_session(
    state: &AppState,
    session: &Session,
    id: crate::ids::UserId,
    epoch: i32,
) -> AppResult<()> {
    let since = match session.get::<SessionUser>(SESSION_USER).await {
        Ok(Some(s)) => s.since,
        _ => state.clock().now().timestamp(),
    };
    session
        .insert(SESSION_USER, SessionUser { id, epoch, since })
        .await
        .map_err(session_error)
}

#[derive(Debug, Default, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

pub async fn change_language(
    State(state): State<AppState>,
    page: Page,
    CurrentUser(me): CurrentUser,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let language = form.language.trim();
    let language = if language.is_empty() {
        None
    } else if i18n::available().iter().any(|l| l == language) {
        Some(language)
    } else {
        let errors = FieldErrors::from([("language", "error-language-unknown")]);
        return account_page(&state, page, me, FormErrors(errors)).await;
    };
    let mut conn = state.db().await?;
    ops::set_language(&mut conn, me.id, language).await?;
    Ok(flash::redirect("/account", "flash-language-changed", ""))
}
