//! Flash messages for Post/Redirect/Get, carried in a short-lived cookie so
//! that any app instance can show them. The cookie holds only a translation
//! key (`flash-...`), checked against the translations before use, and an
//! optional short argument; both are escaped when shown.

use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

const COOKIE_NAME: &str = "nm_flash";

/// A flash message taken from the request, for the page layout.
#[derive(Debug, Clone)]
pub struct Flash {
    pub key: String,
    pub arg: String,
}

/// Redirects to `to` with a flash message `key` (a `flash-...` translation
/// key taking one argument `$name`).
pub fn redirect(to: &str, key: &'static str, name: &str) -> Response {
    debug_assert!(key.starts_with("flash-"));
    let mut res = Redirect::to(to).into_response();
    let value = format!(
        "{COOKIE_NAME}={key}:{}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax",
        encode(name)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

/// Reads the flash cookie into the request's extensions, and clears it once
/// an HTML page has been shown with it.
pub async fn layer(mut req: Request, next: Next) -> Response {
    let flash = read(&req);
    let is_get = req.method() == Method::GET;
    let had_flash = flash.is_some();
    if let Some(f) = flash {
        req.extensions_mut().insert(f);
    }
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if had_flash && is_get && is_html && res.status().is_success() {
        res.headers_mut().append(
            SET_COOKIE,
            HeaderValue::from_static("nm_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
        );
    }
    res
}

fn read(req: &Request) -> Option<Flash> {
    super::cookie_values(req.headers(), COOKIE_NAME).find_map(|value| {
        let (key, arg) = value.split_once(':').unwrap_or((value, ""));
        let valid = key.starts_with("flash-")
            && key.len() < 64
            && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        valid.then(|| Flash {
            key: key.to_owned(),
            arg: decode(arg),
        })
    })
}

/// Cookie values may not hold spaces, quotes, commas or semicolons.
fn encode(s: &str) -> String {
    let short: String = s.chars().take(80).collect();
    utf8_percent_encode(&short, NON_ALPHANUMERIC).to_string()
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let s = "Bydelsmødre København; \"x\" 100%";
        assert_eq!(decode(&encode(s)), s);
    }
}
