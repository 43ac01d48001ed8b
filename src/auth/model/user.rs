//! Users and the programmes they belong to.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::authz::Role;
use crate::db::lower;
use crate::ids::{ProgrammeId, UserId};
use crate::schema::{user_programmes, users};

/// A user row. `password_hash` is never serialised.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: UserId,
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
    /// A mother's account: her mother record.
    pub mother_id: Option<i64>,
    /// When the second factor was turned on (`None`: off).
    pub totp_on_at: Option<DateTime<Utc>>,
}

/// A user as shown to admins and in the API, with their programmes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    #[schema(value_type = i64)]
    pub id: UserId,
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
    /// A mother's account: her mother record (`null` for staff).
    pub mother_id: Option<i64>,
    /// Sessions made with another value have ended.
    #[serde(skip)]
    pub session_epoch: i32,
    /// Whether they sign in with a second factor (a one-time code).
    pub second_factor: bool,
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
            mother_id: row.mother_id,
            session_epoch: row.session_epoch,
            second_factor: row.totp_on_at.is_some(),
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

    pub(crate) fn subject(id: UserId) -> Subject {
        Subject {
            entity: "user",
            id: Some(id.0),
            programme_id: None,
        }
    }

    /// What the audit log records of a user: never the password hash.
    pub(crate) fn audit_view(&self) -> serde_json::Value {
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

/// The validated fields of a user (see `input.rs`).
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
    user_id: UserId,
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
    user_id: UserId,
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
    pub async fn find(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<User> {
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

    pub async fn row(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<UserRow> {
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
        let memberships: Vec<(UserId, i64)> = user_programmes::table
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

    /// One user with their programmes, the row locked for the rest of
    /// the transaction.
    pub async fn find_for_update(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<User> {
        let row: UserRow = users::table
            .find(id)
            .select(UserRow::as_select())
            .for_update()
            .first(conn)
            .await?;
        let programmes = programmes_of(conn, id).await?;
        Ok(User::from_row(row, programmes))
    }

    /// Inserts a user with a password hash made by the caller; the id.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        data: &UserData,
        password_hash: &str,
        must_change_password: bool,
    ) -> QueryResult<UserId> {
        diesel::insert_into(users::table)
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
            .await
    }

    /// Inserts a mother's account (role `mother`, linked to her record),
    /// with a password nobody knows until she chooses hers; the id.
    pub async fn insert_mother(
        conn: &mut AsyncPgConnection,
        email: &str,
        display_name: &str,
        mother_id: i64,
        password_hash: &str,
    ) -> QueryResult<UserId> {
        diesel::insert_into(users::table)
            .values((
                users::email.eq(email),
                users::display_name.eq(display_name),
                users::role.eq(Role::Mother.as_str()),
                users::password_hash.eq(password_hash),
                users::mother_id.eq(mother_id),
            ))
            .returning(users::id)
            .get_result(conn)
            .await
    }

    /// A mother's account, if she has one.
    pub async fn of_mother(
        conn: &mut AsyncPgConnection,
        mother_id: i64,
    ) -> QueryResult<Option<User>> {
        let row: Option<UserRow> = users::table
            .filter(users::mother_id.eq(mother_id))
            .select(UserRow::as_select())
            .first(conn)
            .await
            .optional()?;
        match row {
            Some(row) => {
                let programmes = programmes_of(conn, row.id).await?;
                Ok(Some(User::from_row(row, programmes)))
            }
            None => Ok(None),
        }
    }

    /// Writes name, email, role and language (the programmes: `set_programmes`).
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: UserId,
        data: &UserData,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::email.eq(&data.email),
                users::display_name.eq(&data.display_name),
                users::role.eq(data.role.as_str()),
                users::language.eq(&data.language),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Activates or deactivates, and moves the session epoch on so that
    /// the user's sessions end.
    pub async fn set_active(
        conn: &mut AsyncPgConnection,
        id: UserId,
        active: bool,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::active.eq(active),
                users::session_epoch.eq(users::session_epoch + 1),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Ends every session of the user (their phone signs in again).
    pub async fn end_sessions(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::session_epoch.eq(users::session_epoch + 1))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Writes a new password hash and moves the session epoch on; the new
    /// epoch.
    pub async fn set_password(
        conn: &mut AsyncPgConnection,
        id: UserId,
        password_hash: &str,
        one_time: bool,
    ) -> QueryResult<i32> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::must_change_password.eq(one_time),
                users::session_epoch.eq(users::session_epoch + 1),
            ))
            .returning(users::session_epoch)
            .get_result(conn)
            .await
    }

    /// The user's own language, the row locked.
    pub async fn language_for_update(
        conn: &mut AsyncPgConnection,
        id: UserId,
    ) -> QueryResult<Option<String>> {
        users::table
            .find(id)
            .select(users::language)
            .for_update()
            .first(conn)
            .await
    }

    /// Records a successful sign-in.
    pub async fn touch_login(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::last_login_at.eq(diesel::dsl::now))
            .execute(conn)
            .await
            .map(drop)
    }

    pub async fn set_language(
        conn: &mut AsyncPgConnection,
        id: UserId,
        language: Option<&str>,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::language.eq(language))
            .execute(conn)
            .await
            .map(drop)
    }
}
