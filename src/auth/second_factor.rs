//! The second factor: time-based one-time passwords (RFC 6238, six digits
//! every 30 seconds, as every authenticator app makes them; `totp-rs`),
//! and ten single-use recovery codes for a lost phone. The use cases, for
//! pages and API alike: a setup begun and confirmed with a first code, a
//! code checked at sign-in (each code works once), turning it off, and
//! whether a role must have it.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rand::Rng;
use serde::Serialize;
use serde_json::json;
use totp_rs::{Algorithm, TOTP};
use utoipa::ToSchema;

use super::model::{SecondFactor, User};
use super::password::{constant_time_eq, token_hash};
use crate::audit::{self, Actor};
use crate::authz::Role;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::state::{AppState, Settings};

/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Neighbourhood mothers";
/// Seconds a code is valid for (RFC 6238's default, which apps assume).
const STEP: i64 = 30;
/// 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits of a recovery code: no 0/O or 1/I to mix up.
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Characters of a recovery code (50 bits), shown in two groups of five.
const RECOVERY_LEN: usize = 10;

/// A setup begun: the secret for typing in, and the `otpauth://` URI the QR
/// code holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Setup {
    /// Base32, without padding.
    pub secret: String,
    pub uri: String,
}

/// How a sign-in's second step was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passed {
    Code,
    RecoveryCode,
}

fn totp(secret: Vec<u8>, email: &str) -> AppResult<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP as u64,
        secret,
        Some(ISSUER.to_owned()),
        email.to_owned(),
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("one-time password: {e:?}")))
}

fn setup_of(secret: Vec<u8>, email: &str) -> AppResult<Setup> {
    let t = totp(secret, email)?;
    Ok(Setup {
        secret: t.get_secret_base32(),
        uri: t.get_url(),
    })
}

/// The time step `code` is right for: this one, or one before or after
/// (a phone's clock a little off).
fn matching_step(t: &TOTP, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = now.timestamp() / STEP;
    (now - 1..=now + 1)
        .filter(|s| *s >= 0)
        .find(|s| constant_time_eq(t.generate((*s * STEP) as u64).as_bytes(), code.as_bytes()))
}

/// A recovery code as typed, in the one form that is hashed: upper case,
/// without spaces or dashes.
fn normal_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// New recovery codes as shown (`ABCDE-FGHJK`) and their hashes as kept.
fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw: String = (0..RECOVERY_LEN)
                .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            let shown = format!("{}-{}", &raw[..5], &raw[5..]);
            (shown, token_hash(&raw))
        })
        .unzip()
}

/// The setup of `user`: the one begun and not yet confirmed, or a new one
/// (`fresh`: always a new secret). A user who has it on already: 409.
pub async fn begin(conn: &mut AsyncPgConnection, user: &User, fresh: bool) -> AppResult<Setup> {
    let state = SecondFactor::state(conn, user.id).await?;
    if state.on_at.is_some() {
        return Err(AppError::Conflict("error-totp-already-on"));
    }
    if let (Some(secret), false) = (state.secret, fresh) {
        return setup_of(secret, &user.email);
    }
    let secret: Vec<u8> = {
        let mut rng = rand::rng();
        (0..SECRET_BYTES).map(|_| rng.random()).collect()
    };
    SecondFactor::begin(conn, user.id, &secret).await?;
    setup_of(secret, &user.email)
}

/// Turned on: the recovery codes (shown once; only their hashes are
/// kept), and the session epoch the user's other sessions ended with.
pub struct TurnedOn {
    pub recovery_codes: Vec<String>,
    pub epoch: i32,
}

/// Confirms the setup with a first code: turns it on, ending the user's
/// other sessions.
pub async fn confirm(
    conn: &mut AsyncPgConnection,
    user: &User,
    code: &str,
    now: DateTime<Utc>,
) -> AppResult<TurnedOn> {
    conn.transaction(async |conn| {
        let state = SecondFactor::state(conn, user.id).await?;
        if state.on_at.is_some() {
            return Err(AppError::Conflict("error-totp-already-on"));
        }
        let Some(secret) = state.secret else {
            return Err(AppError::field("code", "error-totp-no-setup"));
        };
        let t = totp(secret, &user.email)?;
        let step = matching_step(&t, code, now);
        let taken = match step {
            Some(s) => SecondFactor::take_step(conn, user.id, s).await?,
            None => false,
        };
        if !taken {
            return Err(AppError::field("code", "error-totp-code-wrong"));
        }
        let (shown, hashes) = recovery_codes();
        let epoch = SecondFactor::turn_on(conn, user.id, now, &hashes).await?;
        audit::record(
            conn,
            Some(user.id),
            "totp_on",
            User::subject(user.id),
            json!({}),
        )
        .await?;
        Ok(TurnedOn {
            recovery_codes: shown,
            epoch,
        })
    })
    .await
}

/// Checks a sign-in's code (or a recovery code) for user `id`: how it was
/// passed, or `None`. Each code works once: a code of a time step taken
/// already, or a used recovery code, is refused.
pub async fn check(
    conn: &mut AsyncPgConnection,
    id: UserId,
    email: &str,
    code: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Passed>> {
    let state = SecondFactor::state(conn, id).await?;
    let (Some(secret), Some(_)) = (state.secret, state.on_at) else {
        return Ok(None);
    };
    let t = totp(secret, email)?;
    if let Some(step) = matching_step(&t, code, now) {
        let taken = SecondFactor::take_step(conn, id, step).await?;
        return Ok(taken.then_some(Passed::Code));
    }
    let recovery = normal_recovery(code);
    if recovery.len() == RECOVERY_LEN
        && SecondFactor::use_recovery_code(conn, id, &token_hash(&recovery), now).await?
    {
        return Ok(Some(Passed::RecoveryCode));
    }
    Ok(None)
}

/// Turns a user's second factor off (by themselves, or an administrator
/// for a lost phone).
pub async fn turn_off(conn: &mut AsyncPgConnection, actor: Actor, id: UserId) -> AppResult<()> {
    conn.transaction(async |conn| {
        SecondFactor::turn_off(conn, id).await?;
        audit::record(conn, actor, "totp_off", User::subject(id), json!({})).await?;
        Ok(())
    })
    .await
}

/// Whether a role must have a second factor when nobody said otherwise:
/// administrators and managers whenever the server can be reached from
/// other machines.
pub fn required_by_default(settings: &Settings, role: Role) -> bool {
    settings.beyond_loopback && matches!(role, Role::Admin | Role::Manager)
}

/// How long an instance goes by the role settings it read (the auth
/// middleware asks on every request of a user without a second factor):
/// another instance's change holds here this much later at most.
const ROLES_READ_FOR: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `role` must have a second factor: as an administrator set it,
/// or by default.
pub async fn required(state: &AppState, role: Role) -> AppResult<bool> {
    let fresh = |at: &std::time::Instant| at.elapsed() < ROLES_READ_FOR;
    let cached = state.0.second_factor_roles.lock().ok().and_then(|c| {
        c.as_ref()
            .filter(|(at, _)| fresh(at))
            .map(|(_, r)| r.clone())
    });
    let set = match cached {
        Some(set) => set,
        None => {
            let set: Vec<(String, bool)> = SecondFactor::role_settings(&mut *state.db().await?)
                .await?
                .into_iter()
                .map(|(r, b)| (r.as_str().to_owned(), b))
                .collect();
            if let Ok(mut c) = state.0.second_factor_roles.lock() {
                *c = Some((std::time::Instant::now(), set.clone()));
            }
            set
        }
    };
    Ok(set
        .iter()
        .find(|(r, _)| r == role.as_str())
        .map(|(_, b)| *b)
        .unwrap_or_else(|| required_by_default(state.settings(), role)))
}

/// Sets which roles must have a second factor.
pub async fn set_required(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    actor: Actor,
    roles: &[(Role, bool)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let before = SecondFactor::role_settings(conn).await?;
        for (role, required) in roles {
            SecondFactor::set_role(conn, *role, *required, now).await?;
        }
        let old: serde_json::Map<String, serde_json::Value> = before
            .into_iter()
            .map(|(r, b)| (r.as_str().to_owned(), json!(b)))
            .collect();
        let new: serde_json::Map<String, serde_json::Value> = roles
            .iter()
            .map(|(r, b)| (r.as_str().to_owned(), json!(b)))
            .collect();
        audit::record(
            conn,
            actor,
            "update",
            audit::Subject {
                entity: "second_factor_roles",
                id: None,
                programme_id: None,
            },
            audit::changed(&json!(old), &json!(new)),
        )
        .await?;
        Ok(())
    })
    .await?;
    // This instance goes by the new settings at once.
    if let Ok(mut c) = state.0.second_factor_roles.lock() {
        *c = None;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_right_for_its_step_and_the_ones_beside_it() {
        let t = totp(vec![7; SECRET_BYTES], "a@example.org").expect("totp");
        let now = DateTime::from_timestamp(1_800_000_015, 0).expect("time");
        let step = now.timestamp() / STEP;
        let code = |s: i64| t.generate((s * STEP) as u64);
        assert_eq!(matching_step(&t, &code(step), now), Some(step));
        assert_eq!(matching_step(&t, &code(step - 1), now), Some(step - 1));
        assert_eq!(matching_step(&t, &code(step + 1), now), Some(step + 1));
        assert_eq!(matching_step(&t, &code(step - 2), now), None);
        let spaced = format!("{} {}", &code(step)[..3], &code(step)[3..]);
        assert_eq!(matching_step(&t, &spaced, now), Some(step));
        assert_eq!(matching_step(&t, "12345", now), None);
        assert_eq!(matching_step(&t, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_typed_any_way() {
        let (shown, hashes) = recovery_codes();
        assert_eq!(shown.len(), RECOVERY_CODES);
        let mut unique = hashes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let first = &shown[0];
        assert_eq!(first.len(), 11);
        assert_eq!(token_hash(&normal_recovery(first)), hashes[0]);
        let typed = first.to_lowercase().replace('-', " ");
        assert_eq!(token_hash(&normal_recovery(&typed)), hashes[0]);
    }

    #[test]
    fn the_uri_names_the_issuer_and_the_account() {
        let s = setup_of(vec![1; SECRET_BYTES], "amina@example.org").expect("setup");
        assert!(
            s.uri
                .starts_with("otpauth://totp/Neighbourhood%20mothers:amina%40example.org?"),
            "{}",
            s.uri
        );
        assert!(s.uri.contains(&format!("secret={}", s.secret)), "{}", s.uri);
        assert_eq!(s.secret.len(), 32);
    }
}
