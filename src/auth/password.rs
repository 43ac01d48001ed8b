//! Passwords: Argon2id hashing (off the async threads), the strength rule,
//! one-time passwords and API tokens.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::Rng;
use rand::distr::Alphanumeric;
use sha2::{Digest, Sha256};

/// A password held in memory; its `Debug` never shows it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

pub const MIN_LENGTH: usize = 12;
const MAX_LENGTH: usize = 1000;

/// Checks the password rule: at least 12 characters, and not common or
/// easy to guess. zxcvbn's ranked lists hold some 30,000 common passwords and
/// words; a score below 3 also catches passwords made of the user's own name
/// or email. Returns a translation key on failure.
pub fn check_strength(password: &str, user_inputs: &[&str]) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_LENGTH {
        return Err("error-password-too-short");
    }
    if len > MAX_LENGTH {
        return Err("error-too-long");
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if u8::from(estimate.score()) < 3 {
        return Err("error-password-common");
    }
    Ok(())
}

/// Hashes with Argon2id (the crate's defaults) on a blocking thread.
pub async fn hash(password: Secret) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(password.expose()))
        .await
        .map_err(|e| anyhow::anyhow!("hashing task failed: {e}"))?
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

/// A hash of a random password, verified against when the account does
/// not exist, so that both cases take the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking(&one_time_password()).unwrap_or_else(|_| {
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"
            .to_owned()
    })
});

/// Verifies `password` against `hash` (or against a dummy hash when there is
/// no account) on a blocking thread. `false` for any mismatch or bad hash.
pub async fn verify(password: Secret, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let ok = Argon2::default()
            .verify_password(password.expose().as_bytes(), hash.as_str())
            .is_ok();
        ok && known
    })
    .await
    .unwrap_or(false)
}

/// A random one-time password: 16 letters and digits (~95 bits).
pub fn one_time_password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// A new API token (`nm_` + 40 letters and digits, ~238 bits): the value
/// to show once, and the hash to store.
pub fn new_token() -> (Secret, String) {
    let token: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect();
    let token = format!("nm_{token}");
    let hash = token_hash(&token);
    (Secret::new(token), hash)
}

/// The stored form of an API token: SHA-256, hex. A fast hash is right here:
/// tokens are long and random, unlike passwords.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// A random value for CSRF tokens.
pub fn random_token() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect()
}

/// Compares two secrets in time that depends only on their length.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_common_passwords_are_refused() {
        assert_eq!(
            check_strength("short", &[]),
            Err("error-password-too-short")
        );
        assert_eq!(
            check_strength("password1234", &[]),
            Err("error-password-common")
        );
        assert_eq!(
            check_strength("qwertyuiop123", &[]),
            Err("error-password-common")
        );
        assert_eq!(
            check_strength("amina.hassan@example.org", &["amina.hassan@example.org"]),
            Err("error-password-common")
        );
        assert_eq!(check_strength("Teepot-Rollberg-47-Kiez", &[]), Ok(()));
    }

    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_never_match() {
        let h = hash(Secret::new("Teepot-Rollberg-47-Kiez"))
            .await
            .expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(Secret::new("Teepot-Rollberg-47-Kiez"), Some(h.clone())).await);
        assert!(!verify(Secret::new("wrong password!"), Some(h)).await);
        assert!(!verify(Secret::new("anything at all"), None).await);
    }

    #[test]
    fn tokens_are_hashed_and_secrets_hidden() {
        let (token, hash) = new_token();
        assert!(token.expose().starts_with("nm_"));
        assert_eq!(hash, token_hash(token.expose()));
        assert_eq!(hash.len(), 64);
        assert_eq!(format!("{token:?}"), "Secret(***)");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
    }
}
