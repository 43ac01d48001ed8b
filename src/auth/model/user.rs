//! Users and the programmes they belong to.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::authz::Role;
use crate::db::lower;
use crate::ids::ProgrammeId;
use crate::schema::{api_tokens, user_programmes, users};

use super::*;

/// A user row. `password_hash` is never serialised.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// An unknown role in the database fails the query (500), never a default.
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
    pub active: bool,
    pub language: Option<String>,
    pub session_epoch: i32,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A user as shown to admins and in the API, with their programmes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The programmes they belong to (admins see every programme anyway).
    pub programme_ids: Vec<i64>,
    pub active: bool,
    pub must_change_password: bool,
    pub language: Option<String>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Sessions made with another value have ended.
    #[serde(skip)]
    pub session_epoch: i32,
}

impl User {
    pub(crate) fn from_row(row: UserRow, programme_ids: Vec<i64>) -> Self {
        Self {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role: row.role,
            programme_ids,
            active: row.active,
            must_change_password: row.must_change_password,
            language: row.language,
            last_login_at: row.last_login_at,
            created_at: row.created_at,
            session_epoch: row.session_epoch,
        }
    }

    /// The programmes this user may see.
    pub fn scope(&self) -> ProgrammeScope {
        if self.role == Role::Admin {
            ProgrammeScope::All
        } else {
            ProgrammeScope::Only(self.programme_ids.iter().map(|&i| ProgrammeId(i)).collect())
        }
    }

    fn subject(id: i64) -> Subject {
        Subject {
            entity: "user",
            id: Some(id),
            programme_id: None,
        }
    }

    /// What the audit log records of a user: never the password hash.
    fn audit_view(&self) -> serde_json::Value {
        json!({
            "email": self.email,
            "display_name": self.display_name,
            "role": self.role,
            "programme_ids": self.programme_ids,
            "active": self.active,
            "language": self.language,
        })
    }
}

/// The validated fields of a user (see `form.rs`).
#[derive(Debug, Clone, PartialEq)]
pub struct UserData {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub programme_ids: Vec<i64>,
    pub language: Option<String>,
}

pub const EMAIL_KEY: &str = "users_email_key";

pub(crate) async fn programmes_of(
    conn: &mut AsyncPgConnection,
    user_id: i64,
) -> QueryResult<Vec<i64>> {
    user_programmes::table
        .filter(user_programmes::user_id.eq(user_id))
        .select(user_programmes::programme_id)
        .order(user_programmes::programme_id)
        .load(conn)
        .await
}

pub(crate) async fn set_programmes(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    programme_ids: &[i64],
) -> QueryResult<()> {
    diesel::delete(user_programmes::table.filter(user_programmes::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = programme_ids
        .iter()
        .map(|p| {
            (
                user_programmes::user_id.eq(user_id),
                user_programmes::programme_id.eq(*p),
            )
        })
        .collect();
    diesel::insert_into(user_programmes::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

impl User {
    pub async fn count(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
        users::table.count().get_result(conn).await
    }

    /// A user with their programmes (two cached statements: one query with
    /// an SQL literal for the programmes would be planned anew each time).
    pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<User> {
        let row: UserRow = users::table
            .find(id)
            .select(UserRow::as_select())
            .first(conn)
            .await?;
        let programmes = programmes_of(conn, id).await?;
        Ok(User::from_row(row, programmes))
    }

    /// The row for signing in (with the password hash), by email, any case.
    pub async fn row_by_email(
        conn: &mut AsyncPgConnection,
        email: &str,
    ) -> QueryResult<Option<UserRow>> {
        users::table
            .filter(lower(users::email).eq(lower(email)))
            .select(UserRow::as_select())
            .first(conn)
            .await
            .optional()
    }

    pub async fn row(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<UserRow> {
        users::table
            .find(id)
            .select(UserRow::as_select())
            .first(conn)
            .await
    }

    /// Every user, active first, by name.
    pub async fn list(conn: &mut AsyncPgConnection) -> QueryResult<Vec<User>> {
        let rows: Vec<UserRow> = users::table
            .select(UserRow::as_select())
            .order((users::active.desc(), users::display_name))
            .load(conn)
            .await?;
        let memberships: Vec<(i64, i64)> = user_programmes::table
            .select((user_programmes::user_id, user_programmes::programme_id))
            .order(user_programmes::programme_id)
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let ps = memberships
                    .iter()
                    .filter(|(u, _)| *u == r.id)
                    .map(|(_, p)| *p)
                    .collect();
                User::from_row(r, ps)
            })
            .collect())
    }

    /// Creates a user with a password hash made by the caller.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        data: &UserData,
        password_hash: &str,
        must_change_password: bool,
    ) -> QueryResult<User> {
        conn.transaction(async |conn| {
            let id: i64 = diesel::insert_into(users::table)
                .values((
                    users::email.eq(&data.email),
                    users::display_name.eq(&data.display_name),
                    users::role.eq(data.role.as_str()),
                    users::password_hash.eq(password_hash),
                    users::must_change_password.eq(must_change_password),
                    users::language.eq(&data.language),
                ))
                .returning(users::id)
                .get_result(conn)
                .await?;
            set_programmes(conn, id, &data.programme_ids).await?;
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
    ) -> QueryResult<Option<User>> {
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
            User::create(conn, None, &data, password_hash, true)
                .await
                .map(Some)
        })
        .await
    }

    /// Changes name, email, role, programmes and language.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        id: i64,
        data: &UserData,
    ) -> QueryResult<User> {
        conn.transaction(async |conn| {
            let old = User::find(conn, id).await?;
            diesel::update(users::table.find(id))
                .set((
                    users::email.eq(&data.email),
                    users::display_name.eq(&data.display_name),
                    users::role.eq(data.role.as_str()),
                    users::language.eq(&data.language),
                ))
                .execute(conn)
                .await?;
            set_programmes(conn, id, &data.programme_ids).await?;
            let new = User::find(conn, id).await?;
            audit::record(
                conn,
                actor,
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
    /// once (the session epoch changes) and stops their API tokens.
    pub async fn set_active(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        id: i64,
        active: bool,
    ) -> QueryResult<User> {
        conn.transaction(async |conn| {
            let old = User::find(conn, id).await?;
            if old.active == active {
                return Ok(old);
            }
            diesel::update(users::table.find(id))
                .set((
                    users::active.eq(active),
                    users::session_epoch.eq(users::session_epoch + 1),
                ))
                .execute(conn)
                .await?;
            let new = User::find(conn, id).await?;
            audit::record(
                conn,
                actor,
                if active { "activate" } else { "deactivate" },
                User::subject(id),
                audit::changed(&old.audit_view(), &new.audit_view()),
            )
            .await?;
            Ok(new)
        })
        .await
    }

    /// Sets a new password hash. `one_time`: the user must change it at the
    /// next sign-in (an admin's reset). Other sessions of the user end, and
    /// so do all their API tokens.
    pub async fn set_password(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        id: i64,
        password_hash: &str,
        one_time: bool,
    ) -> QueryResult<i32> {
        conn.transaction(async |conn| {
            let epoch: i32 = diesel::update(users::table.find(id))
                .set((
                    users::password_hash.eq(password_hash),
                    users::must_change_password.eq(one_time),
                    users::session_epoch.eq(users::session_epoch + 1),
                ))
                .returning(users::session_epoch)
                .get_result(conn)
                .await?;
            // A new password ends the user's API tokens too, as it ends
            // their sessions: whoever knew the old one may have made one.
            let revoked: Vec<i64> = diesel::update(
                api_tokens::table
                    .filter(api_tokens::user_id.eq(id))
                    .filter(api_tokens::revoked_at.is_null()),
            )
            .set(api_tokens::revoked_at.eq(diesel::dsl::now))
            .returning(api_tokens::id)
            .get_results(conn)
            .await?;
            for token in revoked {
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

    /// Records a successful sign-in.
    pub async fn touch_login(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(diesel::dsl::now))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Sets the user's own language (`None`: the browser's).
    pub async fn set_language(
        conn: &mut AsyncPgConnection,
        id: i64,
        language: Option<&str>,
    ) -> QueryResult<()> {
        conn.transaction(async |conn| {
            let old: Option<String> = users::table
                .find(id)
                .select(users::language)
                .first(conn)
                .await?;
            diesel::update(users::table.find(id))
                .set(users::language.eq(language))
                .execute(conn)
                .await?;
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
            .await
        })
        .await
    }
}
