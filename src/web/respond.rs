//! One way for a page to answer a form: the `ops` call's result becomes a
//! redirect (Post/Redirect/Get, with a flash message) or, for field errors,
//! the same form shown again with the messages beside the fields and what
//! the user typed kept. Any other error passes on to the error page.

use axum::response::Response;

use super::FormErrors;
use crate::error::{AppError, AppResult};

/// `done` turns the use case's value into the redirect; `again` shows the
/// form again with the field errors.
pub async fn respond<T>(
    result: AppResult<T>,
    done: impl FnOnce(T) -> Response,
    again: impl AsyncFnOnce(FormErrors) -> AppResult<Response>,
) -> AppResult<Response> {
    match result {
        Ok(value) => Ok(done(value)),
        Err(AppError::Validation(errors)) => again(FormErrors(errors)).await,
        Err(e) => Err(e),
    }
}
