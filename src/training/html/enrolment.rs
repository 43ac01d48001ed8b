//! Enrolment, completion and drop-out.

use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::{CourseId, EnrolmentId};
use crate::state::AppState;
use crate::training::input::{CompletionInput, DropOutInput, EnrolmentInput, ReopenInput};
use crate::training::model::Enrolment;
use crate::training::ops;
use crate::web::extract::{Form, Path};
use crate::web::{Page, flash, respond};

use super::*;

pub async fn enrol(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<CourseId>,
    Form(input): Form<EnrolmentInput>,
) -> AppResult<Response> {
    let result = {
        let mut conn = state.db().await?;
        ops::enrol(&mut conn, &access, id, &input, state.clock().today()).await
    };
    respond(
        result,
        |_| flash::redirect(&format!("/courses/{id}"), "flash-enrolled", ""),
        async |errors| {
            let forms = CourseForms {
                enrolment: input,
                errors,
                failed: "enrolment".into(),
                ..Default::default()
            };
            course_page(&state, &access, page, id, forms).await
        },
    )
    .await
}

/// After a completion or drop-out: back to the course, with the course
/// page's form for this enrolment shown again when invalid, or a flash
/// message when the enrolment was already closed.
async fn enrolment_result(
    state: &AppState,
    access: &Access,
    page: Page,
    enrolment: &Enrolment,
    result: AppResult<Enrolment>,
    flash_key: &'static str,
) -> AppResult<Response> {
    let course = format!("/courses/{}", enrolment.course_id);
    let result = match result {
        Err(AppError::Conflict(_)) => {
            return Ok(flash::redirect(&course, "flash-enrolment-closed", ""));
        }
        other => other,
    };
    respond(
        result,
        |_| flash::redirect(&course, flash_key, ""),
        async |errors| {
            let forms = CourseForms {
                errors,
                failed: enrolment.id.to_string(),
                ..Default::default()
            };
            course_page(state, access, page, enrolment.course_id, forms).await
        },
    )
    .await
}

pub async fn complete(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EnrolmentId>,
    Form(input): Form<CompletionInput>,
) -> AppResult<Response> {
    let (e, result) = {
        let mut conn = state.db().await?;
        let e = Enrolment::find(&mut conn, &access.scope, id).await?;
        (e, ops::complete(&mut conn, &access, id, &input).await)
    };
    enrolment_result(&state, &access, page, &e, result, "flash-completed").await
}

pub async fn drop_out(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EnrolmentId>,
    Form(input): Form<DropOutInput>,
) -> AppResult<Response> {
    let (e, result) = {
        let mut conn = state.db().await?;
        let e = Enrolment::find(&mut conn, &access.scope, id).await?;
        (e, ops::drop_out(&mut conn, &access, id, &input).await)
    };
    enrolment_result(&state, &access, page, &e, result, "flash-dropped-out").await
}

/// Undoes a completion or drop-out recorded by mistake, with a reason.
pub async fn reopen(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<EnrolmentId>,
    Form(input): Form<ReopenInput>,
) -> AppResult<Response> {
    let (e, result) = {
        let mut conn = state.db().await?;
        let e = Enrolment::find(&mut conn, &access.scope, id).await?;
        let today = state.clock().today();
        (e, ops::reopen(&mut conn, &access, id, &input, today).await)
    };
    enrolment_result(
        &state,
        &access,
        page,
        &e,
        result,
        "flash-enrolment-reopened",
    )
    .await
}
