//! Administration pages: users and API tokens. Admins only (the policy).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::form::UserInput;
use super::model::{ApiToken, EMAIL_KEY, User, UserData};
use super::password::{self, Secret};
use super::{CurrentUser, Role};
use crate::authz::Access;
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, FieldErrors, constraint_name};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

/// The foreign key from memberships to programmes.
const MEMBERSHIP_PROGRAMME_FKEY: &str = "user_programmes_programme_id_fkey";

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    users: Vec<User>,
    programmes: Vec<Programme>,
}

impl UsersPage {
    fn programme_names(&self, user: &User) -> String {
        self.programmes
            .iter()
            .filter(|p| user.programme_ids.contains(&p.id.0))
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn list(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let users = User::list(&mut conn).await?;
    let programmes = Programme::list(&mut conn, &ProgrammeScope::All, true).await?;
    Ok(render(
        StatusCode::OK,
        &UsersPage {
            page: page.with_nav("users"),
            users,
            programmes,
        },
    ))
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct UserFormPage {
    page: Page,
    /// `None` for a new user.
    user: Option<User>,
    input: UserInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    roles: [Role; 4],
}

impl UserFormPage {
    fn action(&self) -> String {
        match &self.user {
            Some(u) => format!("/admin/users/{}", u.id),
            None => "/admin/users".to_owned(),
        }
    }
}

async fn form_page(
    state: &AppState,
    page: Page,
    user: Option<User>,
    input: UserInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programmes = Programme::list(&mut conn, &ProgrammeScope::All, false).await?;
    let status = errors.status();
    Ok(render(
        status,
        &UserFormPage {
            page: page.with_nav("users"),
            user,
            input,
            errors,
            programmes,
            roles: Role::ALL,
        },
    ))
}

pub async fn new_form(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    let input = UserInput {
        role: Role::Coordinator.as_str().to_owned(),
        ..UserInput::default()
    };
    form_page(&state, page, None, input, FormErrors::default()).await
}

#[derive(Template)]
#[template(path = "admin/one_time.html")]
struct OneTimePage {
    page: Page,
    /// Translation key of the heading.
    title: &'static str,
    /// Translation key of the explanation.
    explanation: &'static str,
    /// Whose secret it is.
    subject: String,
    secret: String,
    back: String,
}

/// Shows a one-time secret (password or token) once, in the answer to the
/// POST itself: it is never put into a cookie, a URL or the log.
fn one_time_page(
    page: Page,
    title: &'static str,
    explanation: &'static str,
    subject: String,
    secret: Secret,
    back: String,
) -> Response {
    let mut res = render(
        StatusCode::OK,
        &OneTimePage {
            page,
            title,
            explanation,
            subject,
            secret: secret.expose().to_owned(),
            back,
        },
    );
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// A taken email or an unknown programme becomes a field error.
pub fn user_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(EMAIL_KEY) => AppError::field("email", "error-email-taken"),
        Some(MEMBERSHIP_PROGRAMME_FKEY) => {
            AppError::field("programme_ids", "error-programme-unknown")
        }
        _ => e.into(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<UserInput>,
) -> AppResult<Response> {
    let data = match UserData::try_from(&input) {
        Ok(d) => d,
        Err(errors) => return form_page(&state, page, None, input, FormErrors(errors)).await,
    };
    let one_time = Secret::new(password::one_time_password());
    let hash = password::hash(one_time.clone()).await?;
    let mut conn = state.db().await?;
    let created = User::create(&mut conn, access.actor, &data, &hash, true)
        .await
        .map_err(user_error);
    match created {
        Ok(user) => Ok(one_time_page(
            page.with_nav("users"),
            "user-created-title",
            "one-time-password-explanation",
            format!("{} <{}>", user.display_name, user.email),
            one_time,
            "/admin/users".to_owned(),
        )),
        Err(AppError::Validation(errors)) => {
            drop(conn);
            form_page(&state, page, None, input, FormErrors(errors)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let user = User::find(&mut conn, id).await?;
    drop(conn);
    let input = UserInput::from(&user);
    form_page(&state, page, Some(user), input, FormErrors::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    CurrentUser(me): CurrentUser,
    Path(id): Path<i64>,
    Form(input): Form<UserInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let user = User::find(&mut conn, id).await?;
    let mut result = UserData::try_from(&input);
    // An admin cannot take away their own admin role (and lock everyone out).
    if let Ok(d) = &result
        && id == me.id
        && d.role != Role::Admin
    {
        result = Err(FieldErrors::from([("role", "error-own-role")]));
    }
    let data = match result {
        Ok(d) => d,
        Err(errors) => {
            drop(conn);
            return form_page(&state, page, Some(user), input, FormErrors(errors)).await;
        }
    };
    let updated = User::update(&mut conn, access.actor, id, &data)
        .await
        .map_err(user_error);
    drop(conn);
    match updated {
        Ok(u) => Ok(flash::redirect(
            "/admin/users",
            "flash-user-updated",
            &u.display_name,
        )),
        Err(AppError::Validation(errors)) => {
            form_page(&state, page, Some(user), input, FormErrors(errors)).await
        }
        Err(e) => Err(e),
    }
}

async fn set_active(
    state: &AppState,
    access: &Access,
    me: &User,
    id: i64,
    active: bool,
) -> AppResult<Response> {
    if id == me.id && !active {
        return Ok(flash::redirect(
            &format!("/admin/users/{id}"),
            "flash-cannot-deactivate-self",
            &me.display_name,
        ));
    }
    let mut conn = state.db().await?;
    let u = User::set_active(&mut conn, access.actor, id, active).await?;
    Ok(flash::redirect(
        "/admin/users",
        if active {
            "flash-user-activated"
        } else {
            "flash-user-deactivated"
        },
        &u.display_name,
    ))
}

pub async fn deactivate(
    State(state): State<AppState>,
    access: Access,
    CurrentUser(me): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_active(&state, &access, &me, id, false).await
}

pub async fn activate(
    State(state): State<AppState>,
    access: Access,
    CurrentUser(me): CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    set_active(&state, &access, &me, id, true).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    // No connection is held while the password is hashed.
    let user = User::find(&mut *state.db().await?, id).await?;
    let one_time = Secret::new(password::one_time_password());
    let hash = password::hash(one_time.clone()).await?;
    User::set_password(&mut *state.db().await?, access.actor, id, &hash, true).await?;
    Ok(one_time_page(
        page.with_nav("users"),
        "password-reset-title",
        "one-time-password-explanation",
        format!("{} <{}>", user.display_name, user.email),
        one_time,
        format!("/admin/users/{id}"),
    ))
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    page: Page,
    tokens: Vec<(ApiToken, String, String)>,
    users: Vec<User>,
    input: TokenInput,
    errors: FormErrors,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenInput {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    label: String,
    /// The last day the token works (YYYY-MM-DD), or empty for no end.
    #[serde(default)]
    expires_on: String,
}

async fn tokens_page(
    state: &AppState,
    page: Page,
    input: TokenInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let tokens = ApiToken::list(&mut conn).await?;
    let users = User::list(&mut conn)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .collect();
    let status = errors.status();
    Ok(render(
        status,
        &TokensPage {
            page: page.with_nav("tokens"),
            tokens,
            users,
            input,
            errors,
        },
    ))
}

pub async fn tokens(State(state): State<AppState>, page: Page) -> AppResult<Response> {
    tokens_page(&state, page, TokenInput::default(), FormErrors::default()).await
}

pub async fn create_token(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<TokenInput>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let label = input.label.trim().to_owned();
    if label.is_empty() {
        errors.insert("label", "error-required");
    } else if label.chars().count() > 200 {
        errors.insert("label", "error-too-long");
    }
    let expires_at = match token_expiry(&input.expires_on, state.clock().today()) {
        Ok(e) => e,
        Err(key) => {
            errors.insert("expires_on", key);
            None
        }
    };
    let mut conn = state.db().await?;
    let user = match input.user_id.trim().parse::<i64>() {
        Ok(id) => match User::find(&mut conn, id).await {
            Ok(u) if u.active => Some(u),
            Ok(_) | Err(diesel::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        Err(_) => None,
    };
    if user.is_none() {
        errors.insert("user_id", "error-user-unknown");
    }
    let Some(user) = user.filter(|_| errors.is_empty()) else {
        drop(conn);
        return tokens_page(&state, page, input, FormErrors(errors)).await;
    };
    let (token, hash) = password::new_token();
    ApiToken::create(&mut conn, access.actor, user.id, &label, &hash, expires_at).await?;
    Ok(one_time_page(
        page.with_nav("tokens"),
        "token-created-title",
        "token-explanation",
        format!("{} — {}", label, user.email),
        token,
        "/admin/tokens".to_owned(),
    ))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let t = ApiToken::revoke(&mut conn, access.actor, id).await?;
    Ok(flash::redirect(
        "/admin/tokens",
        "flash-token-revoked",
        &t.label,
    ))
}

/// A token's last day (`YYYY-MM-DD`, empty for none) as the instant it ends:
/// the end of that day, UTC. It must not be in the past.
pub fn token_expiry(
    input: &str,
    today: chrono::NaiveDate,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let day =
        chrono::NaiveDate::parse_from_str(input, "%Y-%m-%d").map_err(|_| "error-date-invalid")?;
    if day < today {
        return Err("error-token-expiry-past");
    }
    let end = day
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or("error-date-invalid")?;
    Ok(Some(end.and_utc()))
}
