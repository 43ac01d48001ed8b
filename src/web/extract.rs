//! Axum's extractors with our rejection: a malformed request body, path or
//! query becomes an [`AppError`] (a JSON error under `/api/`, a page
//! elsewhere) instead of axum's plain-text answer.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// JSON request body and response.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
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
        serde_html_form::from_str(parts.uri.query().unwrap_or_default())
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
