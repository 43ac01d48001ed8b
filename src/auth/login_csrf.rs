//! CSRF protection for the sign-in form without a stored session: a signed
//! double-submit cookie. The cookie `nm_login_csrf` holds a random nonce;
//! the form carries HMAC-SHA256(server key, nonce). A forged cross-site
//! post has neither the cookie's nonce nor the key to sign one, so anonymous
//! visitors get protection without the server writing anything: a session
//! row is made only by a successful sign-in.
//!
//! The key lives in the database (`server_keys`), so every server instance
//! signs and checks alike; each process reads it once.

use axum::http::HeaderValue;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::password::random_token;
use crate::error::{AppError, AppResult};
use crate::schema::server_keys;
use crate::state::AppState;

const COOKIE_NAME: &str = "nm_login_csrf";

/// The sign-in form's CSRF token for this request, and the cookie to set
/// when the request brought no usable one.
pub struct LoginCsrf {
    pub token: String,
    pub set_cookie: Option<HeaderValue>,
}

/// The token for the nonce in the request's cookie, or a new nonce. The
/// cookie is sent only to the form's own path: `/login`, or `/join` for
/// an invitation's password form (`/join` and `/join/<code>`).
pub async fn for_request(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    path: &str,
) -> AppResult<LoginCsrf> {
    let key = key(state).await?;
    if let Some(nonce) = nonce_from(headers) {
        return Ok(LoginCsrf {
            token: sign(&key, &nonce),
            set_cookie: None,
        });
    }
    let nonce = random_token();
    let secure = if state.settings().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{COOKIE_NAME}={nonce}; Path={path}; Max-Age=86400; HttpOnly; SameSite=Lax{secure}"
    );
    Ok(LoginCsrf {
        token: sign(&key, &nonce),
        set_cookie: HeaderValue::from_str(&cookie).ok(),
    })
}

/// The nonce from the `Cookie` header, if well-formed (letters and digits).
fn nonce_from(headers: &axum::http::HeaderMap) -> Option<String> {
    crate::web::cookie_values(headers, COOKIE_NAME)
        .find(|n| (32..=64).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_owned)
}

fn sign(key: &[u8], nonce: &str) -> String {
    // A key of any length is accepted by HMAC; this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(b"login-csrf:");
    mac.update(nonce.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The signing key, read from the database once per process.
async fn key(state: &AppState) -> AppResult<std::sync::Arc<[u8]>> {
    state
        .0
        .csrf_key
        .get_or_try_init(|| async {
            let mut conn = state.db().await?;
            let key: Vec<u8> = server_keys::table
                .find("csrf")
                .select(server_keys::key)
                .first(&mut conn)
                .await
                .map_err(|e| match e {
                    diesel::NotFound => {
                        AppError::Internal(anyhow::anyhow!("the server key `csrf` is missing"))
                    }
                    e => AppError::from(e),
                })?;
            Ok::<_, AppError>(std::sync::Arc::from(key))
        })
        .await
        .cloned()
}

#[cfg(test)]
mod tests {
    use axum::http::header::COOKIE;

    use super::*;

    #[test]
    fn the_nonce_is_read_from_the_cookie_header() {
        let mut h = axum::http::HeaderMap::new();
        let nonce = "a".repeat(43);
        h.insert(
            COOKIE,
            format!("nm_session=x; {COOKIE_NAME}={nonce}")
                .parse()
                .expect("header"),
        );
        assert_eq!(nonce_from(&h), Some(nonce));
        h.insert(
            COOKIE,
            format!("{COOKIE_NAME}=short").parse().expect("header"),
        );
        assert_eq!(nonce_from(&h), None);
    }

    #[test]
    fn tokens_depend_on_key_and_nonce() {
        let a = sign(b"key one key one key one key one!", "nonce");
        assert_eq!(a.len(), 64);
        assert_eq!(a, sign(b"key one key one key one key one!", "nonce"));
        assert_ne!(a, sign(b"key two key two key two key two!", "nonce"));
        assert_ne!(a, sign(b"key one key one key one key one!", "other"));
    }
}
