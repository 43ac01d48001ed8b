//! Passwords: Argon2id hashing (on a few threads of its own), the strength rule,
//! one-time passwords and API tokens.

use std::sync::{Arc, LazyLock, Mutex};

use argon2::{Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier};
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

/// Hashes with Argon2id (the crate's defaults) on the hashing threads.
pub async fn hash(password: Secret) -> anyhow::Result<String> {
    hashers()
        .run(move || hash_blocking(password.expose()))
        .await?
}

/// Verifies `password` against `hash` (or against a dummy hash when there is
/// no account) on the hashing threads. `false` for any mismatch or bad hash.
pub async fn verify(password: Secret, hash: Option<String>) -> bool {
    let known = hash.is_some();
    hashers()
        .run(move || {
            let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
            verify_blocking(password.expose(), &hash)
        })
        .await
        .unwrap_or(false)
        && known
}

/// A hash of a random password, verified against when the account does
/// not exist, so that both cases take the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking(&one_time_password()).unwrap_or_else(|_| {
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ"
            .to_owned()
    })
});

/// The hashing threads: as many as the machine has cores, so at most that
/// many hashes (19 MiB of working memory each) run at once, whatever the
/// number of sign-ins; the others wait in line, holding no pooled database
/// connection and no async worker. The working memory goes back to the
/// system after each hash (see `crate::alloc`). (`spawn_blocking` would run
/// each hash on any of up to 512 threads: 20 failed sign-ins left the server
/// at 226 MiB, ten bursts of 10 at 1.6 GiB.)
struct Hashers {
    jobs: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

fn hashers() -> &'static Hashers {
    static HASHERS: LazyLock<Hashers> = LazyLock::new(|| {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8));
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = Arc::clone(&rx);
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for a job.
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return, // the sender is gone
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Hashers { jobs: tx }
    });
    &HASHERS
}

impl Hashers {
    /// Runs `f` on a hashing thread.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .map_err(|_| anyhow::anyhow!("the password hashing threads are gone"))?;
        rx.await
            .map_err(|_| anyhow::anyhow!("a password hashing job failed"))
    }
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    // Parameters far above ours would take unbounded memory: refuse them.
    if Params::try_from(&parsed).is_ok_and(|p| p.m_cost() > Params::DEFAULT_M_COST * 4) {
        return false;
    }
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
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
