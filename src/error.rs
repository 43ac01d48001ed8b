//! Errors, by layer (as in crates.io):
//! - outside requests (start-up, CLI): `anyhow::Result`;
//! - model functions (queries): `diesel::QueryResult`;
//! - use cases (`ops`) and handlers: [`AppResult`], whose error [`AppError`]
//!   becomes the HTTP answer (field errors: the form again, or 422).
//!
//! `AppError::into_response` only marks the response with an [`ErrorInfo`];
//! the `render_errors` middleware in `web` turns it into a JSON error under
//! `/api/` or an HTML page elsewhere, in the request's language. Internal
//! errors are logged with their cause chain; the client sees an opaque message
//! and the request id.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// A message for people: a translation key and its arguments (and, for
/// a choice, the values allowed, which the API's 422 lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub allowed: Vec<String>,
}

impl Msg {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: vec![],
            allowed: vec![],
        }
    }

    /// The message `key` for a value that is none of `values` (a
    /// text enum's `ALL`), with the values allowed.
    pub fn choice_of<T: AsRef<str>>(key: &'static str, values: &[T]) -> Self {
        Msg::new(key).allowed(values.iter().map(|v| v.as_ref().to_owned()))
    }

    /// The values a choice allows.
    pub fn allowed<S: ToString>(mut self, values: impl IntoIterator<Item = S>) -> Self {
        self.allowed = values.into_iter().map(|v| v.to_string()).collect();
        self
    }

    /// The machine-readable code of the message: its key without the
    /// `error-` prefix, in snake case (`error-choose-one` -> `choose_one`).
    pub fn code(&self) -> String {
        self.key
            .strip_prefix("error-")
            .unwrap_or(self.key)
            .replace('-', "_")
    }

    /// The 422's entry for this message on `field`: `field`, `code`,
    /// `message` (translated by `tr`) and, for a choice, `allowed`.
    pub fn detail(&self, field: &str, message: String) -> serde_json::Value {
        let mut d = serde_json::json!({"field": field, "code": self.code(), "message": message});
        if !self.allowed.is_empty() {
            d["allowed"] = serde_json::json!(self.allowed);
        }
        d
    }

    /// Adds the argument `$name`.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

impl From<&'static str> for Msg {
    fn from(key: &'static str) -> Self {
        Msg::new(key)
    }
}

/// Per-field validation messages: field name -> message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<&'static str, Msg>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, field: &'static str, msg: impl Into<Msg>) {
        self.0.insert(field, msg.into());
    }

    pub fn get(&self, field: &str) -> Option<&Msg> {
        self.0.get(field)
    }

    /// The translation key of the message for `field`.
    pub fn key(&self, field: &str) -> Option<&'static str> {
        self.0.get(field).map(|m| m.key)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&&'static str, &Msg)> {
        self.0.iter()
    }

    /// Adds the messages of `other`.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }
}

impl<const N: usize> From<[(&'static str, &'static str); N]> for FieldErrors {
    fn from(items: [(&'static str, &'static str); N]) -> Self {
        Self(items.into_iter().map(|(f, k)| (f, Msg::new(k))).collect())
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: input failed validation; messages are translation keys per field.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// 400: the request could not be read (malformed JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400: a field (named) holds a control character such as NUL.
    #[error("control character in {0}")]
    ControlCharacter(String),
    /// 503: the request took longer than the server allows.
    #[error("request timed out")]
    TimedOut,
    /// 400: a query string that does not read; the parser's own text is
    /// not shown (it names Rust types, not the parameter).
    #[error("bad query string: {0}")]
    BadQuery(String),
    /// 401 for the API; the sign-in page for HTML.
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// 403: a state-changing request without the session's CSRF token, or cross-site.
    #[error("CSRF check failed")]
    CsrfFailed,
    /// 403: the user must change a one-time password first.
    #[error("password change required")]
    PasswordChangeRequired,
    /// 403: the user's role must have a second factor, and the user has
    /// not set one up yet.
    #[error("second factor required")]
    SecondFactorRequired,
    /// 404, also for a record the user may not see.
    #[error("not found")]
    NotFound,
    /// 413: a body larger than the route takes (an import's file).
    #[error("body too large")]
    TooLarge,
    /// 409: the request conflicts with the data (a translation key says why).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// 503: the database does not answer.
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(String),
    /// 500: anything else; logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What the error middleware needs to render an error response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    /// Stable machine-readable code, e.g. `not_found`.
    pub code: &'static str,
    /// Translation key of the message.
    pub message_key: &'static str,
    /// Extra text that is safe to show (e.g. a JSON parse error).
    pub detail: Option<String>,
    pub fields: FieldErrors,
}

impl AppError {
    pub fn info(&self) -> ErrorInfo {
        let (status, code, message_key) = match self {
            AppError::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "error-validation",
            ),
            AppError::BadRequest(_) => {
                (StatusCode::BAD_REQUEST, "bad_request", "error-bad-request")
            }
            AppError::ControlCharacter(_) => (
                StatusCode::BAD_REQUEST,
                "control_character",
                "error-control-character",
            ),
            AppError::TimedOut => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timed_out",
                "error-timed-out",
            ),
            AppError::BadQuery(_) => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                "error-query-invalid",
            ),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "error-unauthenticated",
            ),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "error-forbidden"),
            AppError::CsrfFailed => (StatusCode::FORBIDDEN, "csrf_failed", "error-csrf"),
            AppError::SecondFactorRequired => (
                StatusCode::FORBIDDEN,
                "second_factor_required",
                "error-second-factor-required",
            ),
            AppError::PasswordChangeRequired => (
                StatusCode::FORBIDDEN,
                "password_change_required",
                "error-password-change-required",
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "error-not-found"),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "error-too-large",
            ),
            AppError::Conflict(key) => (StatusCode::CONFLICT, "conflict", *key),
            AppError::DatabaseUnavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "database_unavailable",
                "error-database-unavailable",
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "error-internal",
            ),
        };
        ErrorInfo {
            status,
            code,
            message_key,
            detail: match self {
                AppError::BadRequest(d) | AppError::ControlCharacter(d) => Some(d.clone()),
                _ => None,
            },
            fields: match self {
                AppError::Validation(f) => f.clone(),
                _ => FieldErrors::new(),
            },
        }
    }

    /// A validation error on one field.
    pub fn field(field: &'static str, msg: impl Into<Msg>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field, msg);
        AppError::Validation(errors)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
            AppError::DatabaseUnavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            _ => {}
        }
        let info = self.info();
        let mut res = info.status.into_response();
        res.extensions_mut().insert(info);
        res
    }
}

impl From<DieselError> for AppError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => AppError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::DatabaseUnavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::UnableToSendCommand, info) => {
                AppError::DatabaseUnavailable(info.message().to_owned())
            }
            // A pooled connection that the server is closing (shutdown,
            // pg_terminate_backend: SQLSTATE 57P01-57P03) answers with this
            // FATAL message before it counts as closed; diesel does not give
            // the SQLSTATE, so the message is matched.
            DieselError::DatabaseError(_, info)
                if info.message().starts_with("terminating connection") =>
            {
                AppError::DatabaseUnavailable(info.message().to_owned())
            }
            // The pool's statement timeout (`db::pool`): the request took
            // too long, as the request time limit would have said.
            DieselError::DatabaseError(_, info)
                if info
                    .message()
                    .starts_with("canceling statement due to statement timeout") =>
            {
                AppError::TimedOut
            }
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<crate::db::PoolError> for AppError {
    fn from(e: crate::db::PoolError) -> Self {
        AppError::DatabaseUnavailable(e.to_string())
    }
}

/// Turns a constraint violation into a friendlier error; the database
/// constraints stay the one source of truth (realworld's `on_constraint`).
pub trait ResultExt<T> {
    /// A violation of the named constraint becomes `err()`; other errors convert as usual.
    fn on_constraint(self, name: &str, err: impl FnOnce() -> AppError) -> AppResult<T>;
}

impl<T> ResultExt<T> for diesel::QueryResult<T> {
    fn on_constraint(self, name: &str, err: impl FnOnce() -> AppError) -> AppResult<T> {
        match self {
            Err(DieselError::DatabaseError(_, info)) if info.constraint_name() == Some(name) => {
                Err(err())
            }
            other => other.map_err(AppError::from),
        }
    }
}

/// The database constraint an error violated, if any.
pub fn constraint_name(e: &DieselError) -> Option<&str> {
    match e {
        DieselError::DatabaseError(_, info) => info.constraint_name(),
        _ => None,
    }
}

/// True when the error is a foreign-key violation (other rows still refer to this one).
pub fn is_foreign_key_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
    )
}

/// The JSON error body (for the OpenAPI document).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable code: `validation_failed`, `bad_request`, `unauthenticated`,
    /// `control_character`, `forbidden`, `csrf_failed`,
    /// `password_change_required`, `second_factor_required`, `not_found`, `method_not_allowed`,
    /// `conflict`, `database_unavailable`, `timed_out`, `internal`.
    pub code: String,
    /// A message for people, in the request's language.
    pub message: String,
    /// The request id, to find the request in the server's log.
    pub request_id: String,
    /// Per-field messages, for `validation_failed`.
    pub fields: Option<BTreeMap<String, String>>,
    /// The same per field with a machine-readable code and, for a
    /// choice, the values allowed (for `validation_failed`).
    pub field_errors: Option<Vec<FieldError>>,
}

/// One field's error in a 422.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field (or query parameter) named.
    pub field: String,
    /// A stable code: `required`, `choose_one`, `date_invalid`,
    /// `number`, `too_long`, `service_unknown`, ... (the message's key
    /// without `error-`).
    pub code: String,
    /// A message for people, in the request's language.
    pub message: String,
    /// For a choice: the values allowed.
    pub allowed: Option<Vec<String>>,
}
