//! Axum's extractors with our rejection: a malformed request body, path or
//! query becomes an [`AppError`] (a JSON error under `/api/`, a page
//! elsewhere) instead of axum's plain-text answer.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// JSON request body and response. Strings in the body (keys and values)
/// may hold no control characters but tab, newline and carriage return:
/// PostgreSQL refuses NUL in text, and the others have no place in this
/// data.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let JsonBytes(value, _) = JsonBytes::from_request(req, state).await?;
        Ok(Json(value))
    }
}

/// A JSON body with the bytes it came as (for an idempotency key's digest).
pub struct JsonBytes<T>(pub T, pub axum::body::Bytes);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBytes<T> {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::trim)
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
        if !is_json {
            return Err(AppError::BadRequest(
                "expected a JSON body (Content-Type: application/json)".into(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge
                } else {
                    AppError::BadRequest(e.body_text())
                }
            })?;
        // The exact search (which names the field) runs only when a quick
        // scan of the text finds something that could be a control character.
        if may_hold_control(&bytes)
            && let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes)
            && let Some(at) = control_character_in_json(&value, "")
        {
            return Err(AppError::ControlCharacter(at));
        }
        let value = match axum::Json::<T>::from_bytes(&bytes) {
            Ok(v) => v.0,
            // Numbers where the input reads text (`{"mother_id": 1}`): read
            // again, taking them as their text; any other fault keeps the
            // first answer, which names it.
            Err(JsonRejection::JsonDataError(e)) => {
                match serde_json::from_slice::<serde_json::Value>(&bytes)
                    .ok()
                    .and_then(|v| super::lenient::from_value::<T>(&v).ok())
                {
                    Some(v) => v,
                    None => return Err(JsonRejection::JsonDataError(e).into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        Ok(JsonBytes(value, bytes))
    }
}

/// Whether JSON text may hold a forbidden control character: an escape
/// `\b`, `\f` or `\u` of one (`\u0000`-`\u001f` but tab, newline and
/// carriage return; `\u007f`-`\u009f`), or DEL or a C1 character written
/// as is. Never false when there is one; may be true when there is none.
fn may_hold_control(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            0x7f => return true,
            0xc2 if json.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)) => return true,
            b'\\' => {
                match json.get(i + 1) {
                    Some(b'b' | b'f') => return true,
                    Some(b'u') => {
                        let code = json
                            .get(i + 2..i + 6)
                            .and_then(|h| std::str::from_utf8(h).ok())
                            .and_then(|h| u32::from_str_radix(h, 16).ok());
                        if code.is_some_and(|c| {
                            (c < 0x20 && !matches!(c, 0x09 | 0x0a | 0x0d))
                                || (0x7f..=0x9f).contains(&c)
                        }) {
                            return true;
                        }
                    }
                    _ => {}
                }
                // Skip the escaped character (so `\\` is one escape).
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Whether `s` holds a character that free text may not: a control
/// character other than tab, newline and carriage return.
pub fn has_forbidden_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The path of the first string (key or value) holding a forbidden
/// control character, e.g. `visits[2].note`.
fn control_character_in_json(v: &serde_json::Value, path: &str) -> Option<String> {
    match v {
        serde_json::Value::String(s) => has_forbidden_control(s).then(|| path.to_owned()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| control_character_in_json(item, &format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, item)| {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if has_forbidden_control(k) {
                return Some(here.escape_default().to_string());
            }
            control_character_in_json(item, &here)
        }),
        _ => None,
    }
}

/// The first field of a URL-encoded form or query string whose name or
/// value holds a forbidden control character.
fn control_character_in_urlencoded(bytes: &[u8]) -> Option<String> {
    form_urlencoded::parse(bytes)
        .find(|(k, v)| has_forbidden_control(k) || has_forbidden_control(v))
        .map(|(k, _)| k.escape_default().to_string())
}

/// A URL-encoded form body. Read with serde_html_form, so that repeated
/// fields (a group of checkboxes) fill a `Vec`.
#[derive(Debug)]
pub struct Form<T>(pub T);

/// Largest form body accepted.
const MAX_FORM_BYTES: usize = 1024 * 1024;

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, _state: &S) -> Result<Self, AppError> {
        let is_form = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::BadRequest(
                "expected a form (application/x-www-form-urlencoded)".into(),
            ));
        }
        let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::BadRequest("the form is too large".into()))?;
        if let Some(field) = control_character_in_urlencoded(&bytes) {
            return Err(AppError::ControlCharacter(field));
        }
        serde_html_form::from_bytes(&bytes)
            .map(Form)
            .map_err(|e| AppError::BadRequest(e.to_string()))
    }
}

/// Path parameters; one that does not parse names no record, so it is a 404.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

/// Query parameters, read with serde_html_form (as form bodies are) so
/// that a repeated key (`?programme=1&programme=2`) fills a `Vec`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        if let Some(field) = control_character_in_urlencoded(query.as_bytes()) {
            return Err(AppError::ControlCharacter(field));
        }
        serde_html_form::from_str(query)
            .map(Query)
            .map_err(|e| AppError::BadQuery(e.to_string()))
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        AppError::BadRequest(r.body_text())
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_where_they_are() {
        let v = serde_json::json!({"a": "fine\ttab\nline\r", "list": [{"note": "x\u{0}y"}]});
        assert_eq!(
            control_character_in_json(&v, ""),
            Some("list[0].note".into())
        );
        let ok = serde_json::json!({"a": "Zoë – ✓", "n": 3});
        assert_eq!(control_character_in_json(&ok, ""), None);
        assert_eq!(
            control_character_in_urlencoded(b"a=1&note=x%00y"),
            Some("note".into())
        );
        assert_eq!(
            control_character_in_urlencoded(b"a=1&b=%1B"),
            Some("b".into())
        );
        assert_eq!(control_character_in_urlencoded(b"note=a%0D%0Ab%09c"), None);
        assert!(has_forbidden_control("\u{7f}"));
        assert!(may_hold_control(br#"{"a": "x\u0000"}"#));
        assert!(may_hold_control(br#"{"a": "x\u001B"}"#));
        assert!(may_hold_control(br#"{"a": "x\b"}"#));
        assert!(may_hold_control("{\"a\": \"\u{85}\"}".as_bytes()));
        assert!(!may_hold_control(
            br#"{"a": "tab\tline\n\r\u0009 \\u0000 \u00e9"}"#
        ));

        assert!(has_forbidden_control("\u{85}"));
    }
}
