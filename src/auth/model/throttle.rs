//! Sign-in attempts and the lockout, kept in the database so that it holds across instances.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::db::lower;
use crate::schema::login_attempts;

crate::text_enum! {
    /// Outcome of a sign-in attempt, as kept for throttling.
    pub enum AttemptOutcome {
        Success = "success",
        Failure = "failure",
        /// Refused without checking the password because of a lockout.
        Locked = "locked",
        /// Reserved; the password is being checked.
        Pending = "pending",
    }
}

/// What [`Throttle::reserve`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Locked until then: do not check the password.
    Locked(DateTime<Utc>),
    /// The attempt's row (counted as a failure until it succeeds).
    Attempt(i64),
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
        // An unknown outcome (the CHECK constraint allows none) fails the query.
        let rows: Vec<(AttemptOutcome, DateTime<Utc>)> = q.load(conn).await?;
        let mut out = Vec::new();
        for (outcome, at) in rows {
            match outcome {
                AttemptOutcome::Success => out.clear(),
                AttemptOutcome::Failure => out.push(at),
                AttemptOutcome::Pending if email.is_some() => out.push(at),
                AttemptOutcome::Pending | AttemptOutcome::Locked => {}
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
                    login_attempts::outcome.eq(AttemptOutcome::Pending),
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
            .set(login_attempts::outcome.eq(outcome))
            .execute(conn)
            .await
            .map(drop)
    }

    /// Forgets an attempt: a right password of an account with a second
    /// factor, which is neither a failure nor (until the code is right) a
    /// success that would clear the failures before it.
    pub async fn forget(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<()> {
        diesel::delete(login_attempts::table.find(id))
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
                login_attempts::outcome.eq(outcome),
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
