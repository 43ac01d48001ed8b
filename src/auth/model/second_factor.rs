//! The second factor's rows: a user's one-time password secret, when it
//! was turned on and the last time step accepted (so that a code works
//! once), the recovery codes (hashes, each used once), and the roles an
//! administrator made it required for.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::authz::Role;
use crate::crypto::SealedBytes;
use crate::ids::UserId;
use crate::schema::{recovery_codes, second_factor_roles, users};

/// A user's one-time password state.
#[derive(Debug, Clone)]
pub struct TotpState {
    /// The shared secret (during the setup, and while on).
    pub secret: Option<Vec<u8>>,
    /// When it was turned on (`None`: off).
    pub on_at: Option<DateTime<Utc>>,
}

/// The second factor's rows.
pub struct SecondFactor;

impl SecondFactor {
    pub async fn state(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<TotpState> {
        let (secret, on_at): (Option<SealedBytes>, Option<DateTime<Utc>>) = users::table
            .find(id)
            .select((users::totp_secret, users::totp_on_at))
            .first(conn)
            .await?;
        Ok(TotpState {
            secret: secret.map(|s| s.0),
            on_at,
        })
    }

    /// Whether it is on, without opening the secret (a reset turns it off
    /// even when the secret cannot be opened).
    pub async fn is_on(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<bool> {
        let on_at: Option<DateTime<Utc>> = users::table
            .find(id)
            .select(users::totp_on_at)
            .first(conn)
            .await?;
        Ok(on_at.is_some())
    }

    /// Starts a setup with a new secret (off until confirmed).
    pub async fn begin(conn: &mut AsyncPgConnection, id: UserId, secret: &[u8]) -> QueryResult<()> {
        diesel::update(users::table.find(id).filter(users::totp_on_at.is_null()))
            .set((
                // Sealed like the personal details (`crypto`): a copy of
                // the database must not give away the second factor.
                users::totp_secret.eq(SealedBytes(secret.to_vec())),
                users::totp_last_step.eq(None::<i64>),
            ))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Takes the time step of a right code, unless that step or a later one
    /// was taken already (a code works once): whether it was taken now.
    pub async fn take_step(
        conn: &mut AsyncPgConnection,
        id: UserId,
        step: i64,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            users::table.find(id).filter(
                users::totp_last_step
                    .is_null()
                    .or(users::totp_last_step.lt(step)),
            ),
        )
        .set(users::totp_last_step.eq(step))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Turns it on, with these recovery codes (hashes) in place of any
    /// before; the user's other sessions end (a session opened with a
    /// stolen password does not outlive it): the new session epoch.
    pub async fn turn_on(
        conn: &mut AsyncPgConnection,
        id: UserId,
        now: DateTime<Utc>,
        code_hashes: &[String],
    ) -> QueryResult<i32> {
        let epoch: i32 = diesel::update(users::table.find(id))
            .set((
                users::totp_on_at.eq(now),
                users::session_epoch.eq(users::session_epoch + 1),
            ))
            .returning(users::session_epoch)
            .get_result(conn)
            .await?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id.0)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = code_hashes
            .iter()
            .map(|h| {
                (
                    recovery_codes::user_id.eq(id.0),
                    recovery_codes::code_hash.eq(h),
                )
            })
            .collect();
        diesel::insert_into(recovery_codes::table)
            .values(rows)
            .execute(conn)
            .await?;
        Ok(epoch)
    }

    /// Turns it off: the secret and the recovery codes are gone.
    pub async fn turn_off(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::totp_secret.eq(None::<Vec<u8>>),
                users::totp_on_at.eq(None::<DateTime<Utc>>),
                users::totp_last_step.eq(None::<i64>),
            ))
            .execute(conn)
            .await?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(id.0)))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Uses a recovery code (by its hash): whether it was there, unused.
    pub async fn use_recovery_code(
        conn: &mut AsyncPgConnection,
        id: UserId,
        code_hash: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            recovery_codes::table
                .filter(recovery_codes::user_id.eq(id.0))
                .filter(recovery_codes::code_hash.eq(code_hash))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(now))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// How many of a user's recovery codes are left.
    pub async fn codes_left(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<i64> {
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(id.0))
            .filter(recovery_codes::used_at.is_null())
            .count()
            .get_result(conn)
            .await
    }

    /// The roles an administrator set, with whether each must have it.
    pub async fn role_settings(conn: &mut AsyncPgConnection) -> QueryResult<Vec<(Role, bool)>> {
        second_factor_roles::table
            .select((second_factor_roles::role, second_factor_roles::required))
            .load(conn)
            .await
    }

    /// Whether `role` must have a second factor, where an administrator
    /// said so; `None`: the default.
    pub async fn role_setting(
        conn: &mut AsyncPgConnection,
        role: Role,
    ) -> QueryResult<Option<bool>> {
        second_factor_roles::table
            .find(role)
            .select(second_factor_roles::required)
            .first(conn)
            .await
            .optional()
    }

    pub async fn set_role(
        conn: &mut AsyncPgConnection,
        role: Role,
        required: bool,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::insert_into(second_factor_roles::table)
            .values((
                second_factor_roles::role.eq(role),
                second_factor_roles::required.eq(required),
                second_factor_roles::updated_at.eq(now),
            ))
            .on_conflict(second_factor_roles::role)
            .do_update()
            .set((
                second_factor_roles::required.eq(required),
                second_factor_roles::updated_at.eq(now),
            ))
            .execute(conn)
            .await
            .map(drop)
    }
}
