//! Inviting a mother to her own pages: her coordinator makes her account
//! (linked to her record, in her programme) and a one-time code, shown as
//! text, as a link and as a QR code, with which she chooses her password
//! on her phone (`/join`). Inviting again replaces the code; ending her
//! sessions signs her phone out.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header::HOST};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit;
use crate::auth::model::invitation::{Invitation, VALID_DAYS, new_code};
use crate::auth::model::{User, set_programmes};
use crate::auth::password::{self, Secret};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::MotherId;
use crate::mothers::model::{Mother, MotherStatus};
use crate::state::AppState;
use crate::web::extract::Path;
use crate::web::{Page, flash, render};

/// A new invitation: the code is shown once (only its hash is kept).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Invited {
    /// Her account.
    #[schema(value_type = i64)]
    pub user_id: crate::ids::UserId,
    /// What she signs in with later (her email, or a made-up address when
    /// she has none).
    pub sign_in: String,
    /// The one-time code, `ABCDE-FGHJK`.
    pub code: String,
    /// Where she chooses her password: `/join/<code>` on this server.
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

/// Invites a mother: her account (made the first time, in her programme),
/// a new code replacing any open one, an audit row without the code.
/// A mother who left is not invited (409).
pub async fn invite(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: MotherId,
    now: DateTime<Utc>,
) -> AppResult<Invited> {
    // A password nobody knows until she chooses hers (hashed before the
    // transaction: it takes tens of milliseconds).
    let placeholder = password::hash(Secret::new(password::random_token())).await?;
    let code = new_code();
    let expires_at = now + Duration::days(VALID_DAYS);
    conn.transaction(async |conn| {
        let mother = Mother::find(conn, &access.scope, id).await?;
        if mother.status == MotherStatus::Left {
            return Err(AppError::Conflict("error-invite-mother-left"));
        }
        let user = match User::of_mother(conn, id.0).await? {
            Some(user) => user,
            None => {
                let email = match &mother.email {
                    Some(e) if User::row_by_email(conn, e).await?.is_none() => e.clone(),
                    _ => format!("mother{}@invited.invalid", id.0),
                };
                let user = User::insert_mother(conn, &email, &mother.full_name, id.0, &placeholder)
                    .await?;
                set_programmes(conn, user, &[mother.programme_id.0]).await?;
                audit::record(
                    conn,
                    access.actor,
                    "create",
                    User::subject(user),
                    json!({"role": {"new": "mother"}, "mother_id": {"new": id.0}}),
                )
                .await?;
                User::find(conn, user).await?
            }
        };
        Invitation::replace(conn, user.id, &code, expires_at, access.actor).await?;
        audit::record(
            conn,
            access.actor,
            "invite",
            User::subject(user.id),
            json!({"expires_at": expires_at}),
        )
        .await?;
        Ok(Invited {
            user_id: user.id,
            sign_in: user.email,
            path: format!("/join/{code}"),
            code: code.clone(),
            expires_at,
        })
    })
    .await
}

/// Ends every session of a mother's account (a lost phone); nothing to do
/// for a mother without one.
pub async fn end_sessions(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: MotherId,
) -> AppResult<Mother> {
    conn.transaction(async |conn| {
        let mother = Mother::find(conn, &access.scope, id).await?;
        if let Some(user) = User::of_mother(conn, id.0).await? {
            User::end_sessions(conn, user.id).await?;
            audit::record(
                conn,
                access.actor,
                "end_sessions",
                User::subject(user.id),
                json!({}),
            )
            .await?;
        }
        Ok(mother)
    })
    .await
}

/// The server's address as the browser reached it, for the link.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

#[derive(Template)]
#[template(path = "my/invitation.html")]
struct InvitationPage {
    page: Page,
    mother: Mother,
    invited: Invited,
    link: String,
    qr: String,
}

/// "Invite to her own pages" on a mother's profile: the code, the link
/// and the QR code, once.
pub async fn invite_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    headers: HeaderMap,
    Path(id): Path<MotherId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let invited = invite(&mut conn, &access, id, state.clock().now()).await?;
    let mother = Mother::find(&mut conn, &access.scope, id).await?;
    let link = format!("{}{}", base(&headers), invited.path);
    let qr = crate::web::qr::svg(&link);
    Ok(render(
        StatusCode::OK,
        &InvitationPage {
            page: page.with_nav("mothers"),
            mother,
            invited,
            link,
            qr,
        },
    ))
}

/// "Sign her phone out" on a mother's profile.
pub async fn end_sessions_form(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
) -> AppResult<Response> {
    let mother = end_sessions(&mut *state.db().await?, &access, id).await?;
    Ok(flash::redirect(
        &format!("/mothers/{id}"),
        "flash-mother-signed-out",
        &mother.full_name,
    ))
}

/// Invites a mother to her own pages: her account (made the first time)
/// and a new one-time code, answered once. 409 for a mother who left.
#[utoipa::path(post, path = "/api/v1/mothers/{id}/invitation", tag = "mothers",
    params(("id" = i64, Path, description = "Mother id")),
    responses((status = 201, body = Invited), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn api_invite(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<MotherId>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let invited = invite(&mut conn, &access, id, state.clock().now()).await?;
    // The account it opened belongs to the mother's record.
    Ok(crate::web::created(
        format!("/api/v1/mothers/{id}"),
        invited,
    ))
}
