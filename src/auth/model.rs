//! Users, their programmes, API tokens and sign-in attempts.
//! Every change writes an audit row in the same transaction; password
//! hashes, tokens and session data never go into the log.

use chrono::{DateTime, Duration, Utc};
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
use crate::schema::{api_tokens, login_attempts, user_programmes, users};

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
    fn from_row(row: UserRow, programme_ids: Vec<i64>) -> Self {
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

async fn programmes_of(conn: &mut AsyncPgConnection, user_id: i64) -> QueryResult<Vec<i64>> {
    user_programmes::table
        .filter(user_programmes::user_id.eq(user_id))
        .select(user_programmes::programme_id)
        .order(user_programmes::programme_id)
        .load(conn)
        .await
}

async fn set_programmes(
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

/// Outcome of a sign-in attempt, as kept for throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    Success,
    Failure,
    /// Refused without checking the password because of a lockout.
    Locked,
    /// Reserved; the password is being checked.
    Pending,
}

/// What [`Throttle::reserve`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Locked until then: do not check the password.
    Locked(DateTime<Utc>),
    /// The attempt's row (counted as a failure until it succeeds).
    Attempt(i64),
}

impl AttemptOutcome {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(AttemptOutcome::Success),
            "failure" => Some(AttemptOutcome::Failure),
            "locked" => Some(AttemptOutcome::Locked),
            "pending" => Some(AttemptOutcome::Pending),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            AttemptOutcome::Success => "success",
            AttemptOutcome::Failure => "failure",
            AttemptOutcome::Locked => "locked",
            AttemptOutcome::Pending => "pending",
        }
    }
}

/// Failures that lock an account or a client address...
pub const MAX_FAILURES: i64 = 5;
/// ...within this window; the lockout lasts as long.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Sign-in throttling, kept in the database so it holds across instances.
pub struct Throttle;

impl Throttle {
    /// When the account or the address is locked, the time it opens again.
    /// Failures count since the last success of the account (or address).
    pub async fn locked_until(
        conn: &mut AsyncPgConnection,
        email: &str,
        client_ip: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<DateTime<Utc>>> {
        let since = now - Duration::minutes(LOCKOUT_MINUTES);
        // Attempts still being checked count against the account (so that
        // parallel guesses cannot pass the limit) but not against the
        // address, which a whole office behind one router may share.
        let by_email = Self::failures(conn, since, Some(email), None).await?;
        let by_ip = Self::failures(conn, since, None, Some(client_ip)).await?;
        let mut until = None;
        for failures in [by_email, by_ip] {
            if failures.len() as i64 >= MAX_FAILURES {
                // Opens when the oldest of the last MAX_FAILURES ages out.
                let oldest = failures[failures.len() - MAX_FAILURES as usize];
                let t = oldest + Duration::minutes(LOCKOUT_MINUTES);
                until = Some(until.map_or(t, |u: DateTime<Utc>| u.max(t)));
            }
        }
        Ok(until)
    }

    /// Failure times since `since` and since the last success, oldest first.
    async fn failures(
        conn: &mut AsyncPgConnection,
        since: DateTime<Utc>,
        email: Option<&str>,
        client_ip: Option<&str>,
    ) -> QueryResult<Vec<DateTime<Utc>>> {
        let mut q = login_attempts::table
            .filter(login_attempts::occurred_at.gt(since))
            .select((login_attempts::outcome, login_attempts::occurred_at))
            .order(login_attempts::occurred_at)
            .into_boxed();
        if let Some(e) = email {
            q = q.filter(lower(login_attempts::email).eq(lower(e.to_owned())));
        }
        if let Some(ip) = client_ip {
            q = q.filter(login_attempts::client_ip.eq(ip.to_owned()));
        }
        let rows: Vec<(String, DateTime<Utc>)> = q.load(conn).await?;
        let mut out = Vec::new();
        for (outcome, at) in rows {
            match AttemptOutcome::parse(&outcome) {
                Some(AttemptOutcome::Success) => out.clear(),
                Some(AttemptOutcome::Failure) => out.push(at),
                Some(AttemptOutcome::Pending) if email.is_some() => out.push(at),
                Some(AttemptOutcome::Pending | AttemptOutcome::Locked) => {}
                // The CHECK constraint allows no other value.
                None => {
                    return Err(diesel::result::Error::DeserializationError(
                        format!("unknown sign-in outcome {outcome:?}").into(),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Reserves a sign-in attempt before the password is checked. Under a
    /// transaction-level advisory lock on the account and one on the address
    /// (always taken in that order), either the account or address is locked
    /// (the attempt is recorded as `locked`), or a `pending` row is written
    /// that [`Throttle::settle`] turns into a success or a failure once the
    /// password is checked. Parallel guesses therefore count against the limit before
    /// any of them is verified: 20 at once verify at most 5 passwords.
    pub async fn reserve(
        conn: &mut AsyncPgConnection,
        email: &str,
        client_ip: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Reservation> {
        conn.transaction(async |conn| {
            for key in [
                format!("login-email:{}", email.to_lowercase()),
                format!("login-ip:{client_ip}"),
            ] {
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                    .bind::<diesel::sql_types::Text, _>(key)
                    .execute(conn)
                    .await?;
            }
            if let Some(until) = Self::locked_until(conn, email, client_ip, now).await? {
                Self::record(conn, email, client_ip, AttemptOutcome::Locked).await?;
                return Ok(Reservation::Locked(until));
            }
            let id = diesel::insert_into(login_attempts::table)
                .values((
                    login_attempts::email.eq(email),
                    login_attempts::client_ip.eq(client_ip),
                    login_attempts::outcome.eq(AttemptOutcome::Pending.as_str()),
                ))
                .returning(login_attempts::id)
                .get_result(conn)
                .await?;
            Ok(Reservation::Attempt(id))
        })
        .await
    }

    /// The reserved attempt `id` ended: `Success` or `Failure`.
    pub async fn settle(
        conn: &mut AsyncPgConnection,
        id: i64,
        outcome: AttemptOutcome,
    ) -> QueryResult<()> {
        diesel::update(login_attempts::table.find(id))
            .set(login_attempts::outcome.eq(outcome.as_str()))
            .execute(conn)
            .await
            .map(drop)
    }

    pub async fn record(
        conn: &mut AsyncPgConnection,
        email: &str,
        client_ip: &str,
        outcome: AttemptOutcome,
    ) -> QueryResult<()> {
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::email.eq(email),
                login_attempts::client_ip.eq(client_ip),
                login_attempts::outcome.eq(outcome.as_str()),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Deletes attempts older than a day (they no longer count).
    pub async fn purge(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
        diesel::delete(
            login_attempts::table.filter(login_attempts::occurred_at.lt(now - Duration::days(1))),
        )
        .execute(conn)
        .await
    }
}

/// An API token as listed (never the token itself).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The token stops working at this instant (none: when revoked).
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// The last day the token works (it ends at the start of the next).
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        self.expires_at
            .map(|e| (e - Duration::seconds(1)).date_naive())
    }

    fn subject(id: i64) -> Subject {
        Subject {
            entity: "api_token",
            id: Some(id),
            programme_id: None,
        }
    }

    /// Stores a token's hash for `user_id`.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        user_id: i64,
        label: &str,
        token_hash: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> QueryResult<ApiToken> {
        conn.transaction(async |conn| {
            let t: ApiToken = diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::user_id.eq(user_id),
                    api_tokens::label.eq(label),
                    api_tokens::token_hash.eq(token_hash),
                    api_tokens::created_by.eq(actor),
                    api_tokens::expires_at.eq(expires_at),
                ))
                .returning(ApiToken::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                ApiToken::subject(t.id),
                json!({"user_id": {"new": user_id}, "label": {"new": label},
                       "expires_at": {"new": expires_at}}),
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// The active user a live token acts as, with their programmes (the
    /// token and the user in one query); marks the token used (at most once
    /// a minute, so that reads do not write).
    pub async fn authenticate(
        conn: &mut AsyncPgConnection,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<User>> {
        let found: Option<(i64, Option<DateTime<Utc>>, UserRow)> = api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
            .filter(api_tokens::token_hash.eq(token_hash))
            .filter(api_tokens::revoked_at.is_null())
            .filter(
                api_tokens::expires_at
                    .is_null()
                    .or(api_tokens::expires_at.gt(diesel::dsl::now)),
            )
            .filter(users::active.eq(true))
            .select((
                api_tokens::id,
                api_tokens::last_used_at,
                UserRow::as_select(),
            ))
            .first(conn)
            .await
            .optional()?;
        let Some((id, last_used, row)) = found else {
            return Ok(None);
        };
        if last_used.is_none_or(|t| now - t > Duration::minutes(1)) {
            diesel::update(api_tokens::table.find(id))
                .set(api_tokens::last_used_at.eq(now))
                .execute(conn)
                .await?;
        }
        let programmes = programmes_of(conn, row.id).await?;
        Ok(Some(User::from_row(row, programmes)))
    }

    /// Every token with its user's name and email, newest first.
    pub async fn list(
        conn: &mut AsyncPgConnection,
    ) -> QueryResult<Vec<(ApiToken, String, String)>> {
        api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
            .select((ApiToken::as_select(), users::display_name, users::email))
            .order(api_tokens::created_at.desc())
            .load(conn)
            .await
    }

    pub async fn revoke(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        id: i64,
    ) -> QueryResult<ApiToken> {
        conn.transaction(async |conn| {
            let t: ApiToken = api_tokens::table
                .find(id)
                .select(ApiToken::as_select())
                .for_update()
                .first(conn)
                .await?;
            if t.revoked_at.is_some() {
                return Ok(t);
            }
            let t: ApiToken = diesel::update(api_tokens::table.find(id))
                .set(api_tokens::revoked_at.eq(diesel::dsl::now))
                .returning(ApiToken::as_returning())
                .get_result(conn)
                .await?;
            audit::record(conn, actor, "revoke", ApiToken::subject(id), json!({})).await?;
            Ok(t)
        })
        .await
    }
}
