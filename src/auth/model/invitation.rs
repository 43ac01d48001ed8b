//! Invitations: a one-time code with which an invited user (a mother, on
//! her phone) chooses her password. Only the code's SHA-256 is stored; a
//! code works once, until it expires, and a new invitation replaces the
//! ones before it.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::ids::UserId;
use crate::schema::invitations;

/// The letters of a code: no 0/O, 1/I/L, so that it can be read out and
/// typed from paper.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new code: ten letters and digits (about 50 bits), shown as
/// `ABCDE-FGHJK`.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let letters: String = (0..10)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &letters[..5], &letters[5..])
}

/// The stored form of a code as typed: upper case, without spaces and
/// dashes, hashed.
pub fn code_hash(code: &str) -> String {
    let clean: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    format!("{:x}", Sha256::digest(clean.as_bytes()))
}

/// How long an invitation's code works.
pub const VALID_DAYS: i64 = 14;

pub struct Invitation;

impl Invitation {
    /// Replaces the user's open invitations with a new one.
    pub async fn replace(
        conn: &mut AsyncPgConnection,
        user: UserId,
        code: &str,
        expires_at: DateTime<Utc>,
        created_by: Option<UserId>,
    ) -> QueryResult<()> {
        diesel::delete(
            invitations::table
                .filter(invitations::user_id.eq(user.0))
                .filter(invitations::used_at.is_null()),
        )
        .execute(conn)
        .await?;
        diesel::insert_into(invitations::table)
            .values((
                invitations::user_id.eq(user.0),
                invitations::code_hash.eq(code_hash(code)),
                invitations::expires_at.eq(expires_at),
                invitations::created_by.eq(created_by.map(|u| u.0)),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The user an unused, unexpired code invites (to check the password
    /// against her name before anything is written).
    pub async fn open(
        conn: &mut AsyncPgConnection,
        code: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<UserId>> {
        invitations::table
            .filter(invitations::code_hash.eq(code_hash(code)))
            .filter(invitations::used_at.is_null())
            .filter(invitations::expires_at.gt(now))
            .select(invitations::user_id)
            .first::<i64>(conn)
            .await
            .optional()
            .map(|o| o.map(UserId))
    }

    /// The same, with the invitation, locked for the rest of the
    /// transaction (so that it is used once).
    pub async fn open_for_update(
        conn: &mut AsyncPgConnection,
        code: &str,
        now: DateTime<Utc>,
    ) -> QueryResult<Option<(i64, UserId)>> {
        invitations::table
            .filter(invitations::code_hash.eq(code_hash(code)))
            .filter(invitations::used_at.is_null())
            .filter(invitations::expires_at.gt(now))
            .select((invitations::id, invitations::user_id))
            .for_update()
            .first::<(i64, i64)>(conn)
            .await
            .optional()
            .map(|o| o.map(|(id, user)| (id, UserId(user))))
    }

    /// Marks an invitation used.
    pub async fn use_up(
        conn: &mut AsyncPgConnection,
        id: i64,
        now: DateTime<Utc>,
    ) -> QueryResult<()> {
        diesel::update(invitations::table.find(id))
            .set(invitations::used_at.eq(now))
            .execute(conn)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_and_typed_forgivingly() {
        let code = new_code();
        assert_eq!(code.len(), 11);
        assert!(
            code.chars()
                .all(|c| c == '-' || ALPHABET.contains(&(c as u8)))
        );
        assert_eq!(
            code_hash(&code),
            code_hash(&code.to_lowercase().replace('-', " "))
        );
        assert_ne!(code_hash("ABCDE-FGHJK"), code_hash("ABCDE-FGHJM"));
    }
}
