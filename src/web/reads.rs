//! Where a list reads from. With a read-only copy (`--database-read-url`)
//! the lists of visits, families and mothers read from the copy, which may
//! lag the primary by a moment; a browser that has just written something
//! reads from the primary for a few seconds after, so that the page shown
//! after a save shows what was saved. The mark is a cookie (`nm_wrote`),
//! set on every successful change while a copy is configured: any instance
//! behind a load balancer honours it, and it holds nothing but "1".

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::db::DbConn;
use crate::error::AppError;
use crate::state::AppState;

/// The cookie that sends a browser's reads to the primary.
pub const WROTE_COOKIE: &str = "nm_wrote";

/// How long after a change a browser reads from the primary, in seconds:
/// well beyond the lag of a healthy standby (under a second).
pub const WROTE_SECONDS: u32 = 10;

/// A connection for a list: the read-only copy, or the primary for a
/// browser that has just written (see the module comment).
pub struct ListDb(pub DbConn);

impl FromRequestParts<AppState> for ListDb {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let conn = if just_wrote(&parts.headers) {
            state.db().await?
        } else {
            state.db_read().await?
        };
        Ok(Self(conn))
    }
}

/// Whether the request carries the mark of a recent change.
fn just_wrote(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim().strip_prefix(WROTE_COOKIE) == Some("=1"))
}

/// Middleware: marks the browser after a successful change (2xx or a
/// redirect), when a read-only copy is configured.
pub async fn mark_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut res = next.run(req).await;
    let status = res.status();
    if changes && state.has_read_copy() && (status.is_success() || status.is_redirection()) {
        let secure = if state.settings().secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{WROTE_COOKIE}=1; Path=/; Max-Age={WROTE_SECONDS}; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_read_among_other_cookies() {
        let mut h = axum::http::HeaderMap::new();
        assert!(!just_wrote(&h));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("nm_session=abc; nm_wrote=1"),
        );
        assert!(just_wrote(&h));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("nm_wrote=0; x=nm_wrote=1"),
        );
        assert!(!just_wrote(&h));
        assert_eq!(WROTE_COOKIE, "nm_wrote");
    }
}
