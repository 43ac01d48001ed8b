//! The mothers' pages as an installable web app that works without a
//! signal: the manifest, the service worker (`static/sw.js`), the script
//! (`static/my.js`, the product's only script) and the icons, compiled
//! into the binary; and `POST /api/v1/my/visits`, where the script sends a
//! contact (again and again until it arrives: the same Idempotency-Key
//! never makes a second visit).

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::contact::{ContactForm, save_contact};
use crate::authz::Access;
use crate::error::{AppResult, ErrorResponse};
use crate::state::AppState;
use crate::web::extract::JsonBytes;
use crate::web::i18n::Tr;
use crate::web::idempotency::{self, Key};

fn file(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// `/sw.js`: at the root, so that it may serve `/my`.
pub async fn service_worker() -> Response {
    file(
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/sw.js"),
    )
}

/// `/static/my.js`.
pub async fn script() -> Response {
    file(
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/my.js"),
    )
}

pub async fn icon_192() -> Response {
    file("image/png", include_bytes!("../../static/icon-192.png"))
}

pub async fn icon_512() -> Response {
    file("image/png", include_bytes!("../../static/icon-512.png"))
}

/// `/manifest.webmanifest`: her pages as an app on her home screen, named
/// in the reader's language.
pub async fn manifest(tr: Tr) -> Response {
    let body = json!({
        "name": tr.t("app-name"),
        "short_name": tr.t("app-name"),
        "lang": tr.lang(),
        "dir": tr.dir(),
        "start_url": "/my",
        "scope": "/my",
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#1f6f5c",
        "icons": [
            {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "any maskable"},
        ],
    });
    (
        [(
            CONTENT_TYPE,
            HeaderValue::from_static("application/manifest+json"),
        )],
        body.to_string(),
    )
        .into_response()
}

/// Records one of her contacts (the conversation form's fields as JSON:
/// `who` is `anonymous` or one of her families' ids; `topic_ids` and
/// `referrals` lists). With an `Idempotency-Key` (the offline app always
/// sends one) a repeat answers the first answer and saves nothing.
#[utoipa::path(post, path = "/api/v1/my/visits", tag = "my",
    request_body = ContactForm,
    params(("Idempotency-Key" = Option<String>, Header,
        description = "Makes a repeat of this request answer the first answer again")),
    responses((status = 201, description = "The visit's id"),
              (status = 400, body = ErrorResponse), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn create(
    State(state): State<AppState>,
    access: Access,
    headers: HeaderMap,
    JsonBytes(input, bytes): JsonBytes<ContactForm>,
) -> AppResult<Response> {
    let key = Key::from_request(&headers, access.actor, "POST", "/api/v1/my/visits", &bytes)?;
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let now = state.clock().now();
    idempotency::once(&mut conn, key, now, "/api/v1/visits", async |conn| {
        let v = save_contact(conn, &access, &input, today).await?;
        Ok((
            StatusCode::CREATED,
            json!({"id": v.id, "visited_on": v.visited_on}),
        ))
    })
    .await
}
