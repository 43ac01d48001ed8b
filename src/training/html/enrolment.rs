//! Enrolment, completion and drop-out.

use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::training::input::{CompletionInput, DropOutInput, EnrolmentInput};
use crate::training::model::{Course, Enrolment};
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash};

use super::*;

pub async fn enrol(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<EnrolmentInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate(state.clock().today()) {
        Ok((mother, on)) => {
            Enrolment::create(&mut conn, access.actor, &access.scope, id, mother, on).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(_) => Ok(flash::redirect(
            &format!("/courses/{id}"),
            "flash-enrolled",
            "",
        )),
        Err(AppError::Validation(e)) => {
            let forms = CourseForms {
                enrolment: input,
                errors: FormErrors(e),
                failed: "enrolment".into(),
                ..Default::default()
            };
            course_page(&state, &access, page, id, forms).await
        }
        Err(e) => Err(e),
    }
}

pub(crate) async fn enrolment_result(
    state: &AppState,
    access: &Access,
    page: Page,
    enrolment: &Enrolment,
    result: AppResult<Enrolment>,
    flash_key: &'static str,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(flash::redirect(
            &format!("/courses/{}", enrolment.course_id),
            flash_key,
            "",
        )),
        Err(AppError::Validation(e)) => {
            let forms = CourseForms {
                errors: FormErrors(e),
                failed: enrolment.id.to_string(),
                ..Default::default()
            };
            course_page(state, access, page, enrolment.course_id, forms).await
        }
        Err(AppError::Conflict(_)) => Ok(flash::redirect(
            &format!("/courses/{}", enrolment.course_id),
            "flash-enrolment-closed",
            "",
        )),
        Err(e) => Err(e),
    }
}

pub async fn complete(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<CompletionInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let e = Enrolment::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate() {
        Ok((completed, certified)) => {
            Enrolment::complete(
                &mut conn,
                access.actor,
                &access.scope,
                id,
                completed,
                certified,
            )
            .await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    drop(conn);
    enrolment_result(&state, &access, page, &e, result, "flash-completed").await
}

pub async fn drop_out(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<DropOutInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let e = Enrolment::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate() {
        Ok((on, reason)) => {
            Enrolment::drop_out(&mut conn, access.actor, &access.scope, id, on, &reason).await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    drop(conn);
    enrolment_result(&state, &access, page, &e, result, "flash-dropped-out").await
}
