//! Administration pages: users and API tokens. Admins only (the policy).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::input::UserInput;
use super::model::{ApiToken, User, UserData};
use super::ops;
use super::password::{self, Secret};
use super::{CurrentUser, Role};
use crate::authz::Access;
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult};
use crate::ids::{ApiTokenId, UserId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

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
            roles: Role::STAFF,
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

pub async fn create(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<UserInput>,
) -> AppResult<Response> {
    let one_time = Secret::new(password::one_time_password());
    let result = match UserData::try_from(&input) {
        Ok(data) => {
            // Hashed before a connection is taken, and only for valid input.
            let hash = password::hash(one_time.clone()).await?;
            let mut conn = state.db().await?;
            ops::create_user(&mut conn, access.actor, &data, &hash, true).await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    let shown = page.clone();
    respond(
        result,
        |user| {
            one_time_page(
                shown.with_nav("users"),
                "user-created-title",
                "one-time-password-explanation",
                format!("{} <{}>", user.display_name, user.email),
                one_time,
                "/admin/users".to_owned(),
            )
        },
        async |errors| form_page(&state, page, None, input, errors).await,
    )
    .await
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<UserId>,
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
    Path(id): Path<UserId>,
    Form(input): Form<UserInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let user = User::find(&mut conn, id).await?;
    let result = match UserData::try_from(&input) {
        Ok(data) => ops::update_user(&mut conn, &access, id, &data).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    drop(conn);
    respond(
        result,
        |u| flash::redirect("/admin/users", "flash-user-updated", &u.display_name),
        async |errors| form_page(&state, page, Some(user), input, errors).await,
    )
    .await
}

async fn set_active(
    state: &AppState,
    access: &Access,
    me: &User,
    id: UserId,
    active: bool,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    match ops::set_active(&mut conn, access, id, active).await {
        Ok(u) => Ok(flash::redirect(
            "/admin/users",
            if active {
                "flash-user-activated"
            } else {
                "flash-user-deactivated"
            },
            &u.display_name,
        )),
        Err(AppError::Conflict("error-cannot-deactivate-self")) => Ok(flash::redirect(
            &format!("/admin/users/{id}"),
            "flash-cannot-deactivate-self",
            &me.display_name,
        )),
        Err(e) => Err(e),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    access: Access,
    CurrentUser(me): CurrentUser,
    Path(id): Path<UserId>,
) -> AppResult<Response> {
    set_active(&state, &access, &me, id, false).await
}

pub async fn activate(
    State(state): State<AppState>,
    access: Access,
    CurrentUser(me): CurrentUser,
    Path(id): Path<UserId>,
) -> AppResult<Response> {
    set_active(&state, &access, &me, id, true).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<UserId>,
) -> AppResult<Response> {
    // No connection is held while the password is hashed.
    let user = User::find(&mut *state.db().await?, id).await?;
    let one_time = Secret::new(password::one_time_password());
    let hash = password::hash(one_time.clone()).await?;
    ops::set_password(&mut *state.db().await?, access.actor, id, &hash, true).await?;
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
    let expires_at = ops::token_expiry(&input.expires_on, state.clock().today());
    let user_id = input.user_id.trim().parse::<UserId>().ok();
    let mut conn = state.db().await?;
    let result =
        ops::create_token(&mut conn, access.actor, user_id, &input.label, expires_at).await;
    drop(conn);
    let shown = page.clone();
    respond(
        result,
        |(token, t, user)| {
            one_time_page(
                shown.with_nav("tokens"),
                "token-created-title",
                "token-explanation",
                format!("{} — {}", t.label, user.email),
                token,
                "/admin/tokens".to_owned(),
            )
        },
        async |errors| tokens_page(&state, page, input, errors).await,
    )
    .await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ApiTokenId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let t = ops::revoke_token(&mut conn, access.actor, id).await?;
    Ok(flash::redirect(
        "/admin/tokens",
        "flash-token-revoked",
        &t.label,
    ))
}
