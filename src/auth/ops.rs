//! The use cases of accounts and API tokens, called by the pages and the
//! command line alike. Each runs in one transaction with its audit rows;
//! the rules (an admin keeps their own role and account, a new password
//! ends the user's tokens) are here, once. Passwords are hashed by the
//! caller beforehand, so that no connection is held while Argon2 works.

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;

use super::Role;
use super::model::{ApiToken, EMAIL_KEY, User, UserData, set_programmes};
use super::password::{self, Secret};
use crate::audit::{self, Actor};
use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors, constraint_name};
use crate::ids::{ApiTokenId, UserId};

/// The foreign key from memberships to programmes.
const MEMBERSHIP_PROGRAMME_FKEY: &str = "user_programmes_programme_id_fkey";

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

/// Creates a user with a password hash made by the caller.
pub async fn create_user(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    data: &UserData,
    password_hash: &str,
    must_change_password: bool,
) -> AppResult<User> {
    conn.transaction(async |conn| {
        let id = User::insert(conn, data, password_hash, must_change_password)
            .await
            .map_err(user_error)?;
        set_programmes(conn, id, &data.programme_ids)
            .await
            .map_err(user_error)?;
        let user = User::find(conn, id).await?;
        audit::record(
            conn,
            actor,
            "create",
            User::subject(id),
            audit::created(&user.audit_view()),
        )
        .await?;
        Ok(user)
    })
    .await
}

/// Creates the first administrator if there is no user yet; `None` if
/// there already is one. Safe against several instances starting at once.
pub async fn create_first_admin(
    conn: &mut AsyncPgConnection,
    email: &str,
    password_hash: &str,
) -> AppResult<Option<User>> {
    conn.transaction(async |conn| {
        diesel::sql_query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
            .execute(conn)
            .await?;
        if User::count(conn).await? > 0 {
            return Ok(None);
        }
        let data = UserData {
            email: email.to_owned(),
            display_name: "Administrator".to_owned(),
            role: Role::Admin,
            programme_ids: vec![],
            language: None,
        };
        create_user(conn, None, &data, password_hash, true)
            .await
            .map(Some)
    })
    .await
}

/// Changes name, email, role, programmes and language. An admin cannot take
/// away their own admin role (and lock everyone out).
pub async fn update_user(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: UserId,
    data: &UserData,
) -> AppResult<User> {
    if access.actor == Some(id) && data.role != Role::Admin {
        return Err(AppError::Validation(FieldErrors::from([(
            "role",
            "error-own-role",
        )])));
    }
    conn.transaction(async |conn| {
        let old = User::find_for_update(conn, id).await?;
        User::update(conn, id, data).await.map_err(user_error)?;
        set_programmes(conn, id, &data.programme_ids)
            .await
            .map_err(user_error)?;
        let new = User::find(conn, id).await?;
        audit::record(
            conn,
            access.actor,
            "update",
            User::subject(id),
            audit::changed(&old.audit_view(), &new.audit_view()),
        )
        .await?;
        Ok(new)
    })
    .await
}

/// Activates or deactivates; deactivating ends the user's sessions at
/// once (the session epoch changes) and stops their API tokens. Nobody
/// deactivates their own account (409).
pub async fn set_active(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: UserId,
    active: bool,
) -> AppResult<User> {
    if access.actor == Some(id) && !active {
        return Err(AppError::Conflict("error-cannot-deactivate-self"));
    }
    conn.transaction(async |conn| {
        let old = User::find_for_update(conn, id).await?;
        if old.active == active {
            return Ok(old);
        }
        User::set_active(conn, id, active).await?;
        let new = User::find(conn, id).await?;
        audit::record(
            conn,
            access.actor,
            if active { "activate" } else { "deactivate" },
            User::subject(id),
            audit::changed(&old.audit_view(), &new.audit_view()),
        )
        .await?;
        Ok(new)
    })
    .await
}

/// Sets a new password hash; the user's new session epoch. `one_time`: the
/// user must change it at the next sign-in (an admin's reset, which also
/// turns the second factor off). Other sessions of the user end, and so do
/// all their API tokens: whoever knew the old password may have made one.
pub async fn set_password(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    id: UserId,
    password_hash: &str,
    one_time: bool,
) -> AppResult<i32> {
    conn.transaction(async |conn| {
        User::find_for_update(conn, id).await?;
        let epoch = User::set_password(conn, id, password_hash, one_time).await?;
        // A reset by an administrator is the way back for a lost phone (and
        // lost recovery codes): the second factor goes with the password,
        // to be set up anew where the role must have it.
        if one_time && super::model::SecondFactor::is_on(conn, id).await? {
            super::model::SecondFactor::turn_off(conn, id).await?;
            audit::record(conn, actor, "totp_off", User::subject(id), json!({})).await?;
        }
        for token in ApiToken::revoke_all_of(conn, id).await? {
            audit::record(
                conn,
                actor,
                "revoke",
                ApiToken::subject(token),
                json!({"reason": "password changed"}),
            )
            .await?;
        }
        audit::record(
            conn,
            actor,
            if one_time {
                "reset_password"
            } else {
                "change_password"
            },
            User::subject(id),
            json!({}),
        )
        .await?;
        Ok(epoch)
    })
    .await
}

/// Sets a user's own language (`None`: the browser's).
pub async fn set_language(
    conn: &mut AsyncPgConnection,
    id: UserId,
    language: Option<&str>,
) -> AppResult<()> {
    conn.transaction(async |conn| {
        let old = User::language_for_update(conn, id).await?;
        User::set_language(conn, id, language).await?;
        audit::record(
            conn,
            Some(id),
            "update",
            User::subject(id),
            audit::changed(
                &json!({ "language": old }),
                &json!({ "language": language }),
            ),
        )
        .await?;
        Ok(())
    })
    .await
}

/// A new API token for an active user: the token (shown once, never
/// stored), its row and its user. The label is required; the last day, if
/// any, may not be in the past.
pub async fn create_token(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    user_id: Option<UserId>,
    label: &str,
    expires_at: Result<Option<DateTime<Utc>>, &'static str>,
) -> AppResult<(Secret, ApiToken, User)> {
    let mut errors = FieldErrors::new();
    let label = label.trim();
    if label.is_empty() {
        errors.insert("label", "error-required");
    } else if label.chars().count() > 200 {
        errors.insert("label", "error-too-long");
    }
    let expires_at = expires_at.unwrap_or_else(|key| {
        errors.insert("expires_on", key);
        None
    });
    conn.transaction(async |conn| {
        let user = match user_id {
            Some(id) => match User::find_for_update(conn, id).await {
                Ok(u) if u.active => Some(u),
                Ok(_) | Err(diesel::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        if user.is_none() {
            errors.insert("user_id", "error-user-unknown");
        }
        let Some(user) = user.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation(errors));
        };
        let (token, hash) = password::new_token();
        let t = ApiToken::insert(conn, actor, user.id, label, &hash, expires_at).await?;
        audit::record(
            conn,
            actor,
            "create",
            ApiToken::subject(t.id),
            json!({"user_id": {"new": user.id}, "label": {"new": label},
                   "expires_at": {"new": expires_at}}),
        )
        .await?;
        Ok((token, t, user))
    })
    .await
}

/// Revokes a token; revoking it again changes nothing.
pub async fn revoke_token(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    id: ApiTokenId,
) -> AppResult<ApiToken> {
    conn.transaction(async |conn| {
        let t = ApiToken::find_for_update(conn, id).await?;
        if t.revoked_at.is_some() {
            return Ok(t);
        }
        let t = ApiToken::set_revoked(conn, id).await?;
        audit::record(conn, actor, "revoke", ApiToken::subject(id), json!({})).await?;
        Ok(t)
    })
    .await
}

/// A token's last day (`YYYY-MM-DD`, empty for none) as the instant it ends:
/// the end of that day, UTC. It must not be in the past.
pub fn token_expiry(input: &str, today: NaiveDate) -> Result<Option<DateTime<Utc>>, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(input, "%Y-%m-%d").map_err(|_| "error-date-invalid")?;
    if day < today {
        return Err("error-token-expiry-past");
    }
    let end = day
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or("error-date-invalid")?;
    Ok(Some(end.and_utc()))
}

/// Accepts an invitation: the code's user gets the chosen password, the
/// code is used up, in one transaction (a code works once, even sent twice
/// at once). `None` for a code that is unknown, used or expired.
pub async fn accept_invitation(
    conn: &mut AsyncPgConnection,
    code: &str,
    password_hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Option<User>> {
    use super::model::invitation::Invitation;
    conn.transaction(async |conn| {
        let Some((invitation, user)) = Invitation::open_for_update(conn, code, now).await? else {
            return Ok(None);
        };
        User::find_for_update(conn, user).await?;
        User::set_password(conn, user, password_hash, false).await?;
        Invitation::use_up(conn, invitation, now).await?;
        // A new password by an invitation (a mother's phone given again) is
        // a reset: the second factor, if any, goes with the old password.
        if super::model::SecondFactor::is_on(conn, user).await? {
            super::model::SecondFactor::turn_off(conn, user).await?;
            audit::record(conn, Some(user), "totp_off", User::subject(user), json!({})).await?;
        }
        audit::record(
            conn,
            Some(user),
            "accept_invitation",
            User::subject(user),
            json!({}),
        )
        .await?;
        Ok(Some(User::find(conn, user).await?))
    })
    .await
}
