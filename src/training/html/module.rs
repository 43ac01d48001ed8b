//! A course's modules: added, edited, deleted.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{CourseId, ModuleId};
use crate::state::AppState;
use crate::training::input::ModuleInput;
use crate::training::model::{Course, Module, Topic};
use crate::training::ops::{self, DeleteOutcome};
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

pub async fn create_module(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<CourseId>,
    Form(input): Form<ModuleInput>,
) -> AppResult<Response> {
    let result = {
        let mut conn = state.db().await?;
        ops::create_module(&mut conn, &access, id, &input).await
    };
    respond(
        result,
        |m| flash::redirect(&format!("/courses/{id}"), "flash-module-created", &m.title),
        async |errors| {
            let forms = CourseForms {
                module: input,
                errors,
                failed: "module".into(),
                ..Default::default()
            };
            course_page(&state, &access, page, id, forms).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "training/module_form.html")]
pub(crate) struct ModuleFormPage {
    page: Page,
    course: Course,
    module: Module,
    input: ModuleInput,
    errors: FormErrors,
    topics: Vec<Topic>,
}

impl ModuleFormPage {
    fn topic(&self, t: &Topic) -> String {
        topic_label(&self.page, &self.topics, t.id)
    }
}

pub(crate) async fn module_form(
    state: &AppState,
    access: &Access,
    page: Page,
    id: ModuleId,
    input: Option<ModuleInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let (module, course) = Module::find(&mut conn, &access.scope, id).await?;
    let topics = Topic::for_programme(&mut conn, course.programme_id).await?;
    let input = input.unwrap_or_else(|| ModuleInput::from_module(&module));
    Ok(render(
        errors.status(),
        &ModuleFormPage {
            page: page.with_nav("courses"),
            course,
            module,
            input,
            errors,
            topics,
        },
    ))
}

pub async fn edit_module_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ModuleId>,
) -> AppResult<Response> {
    module_form(&state, &access, page, id, None, FormErrors::default()).await
}

pub async fn update_module(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ModuleId>,
    Form(input): Form<ModuleInput>,
) -> AppResult<Response> {
    let result = {
        let mut conn = state.db().await?;
        ops::update_module(&mut conn, &access, id, &input).await
    };
    respond(
        result,
        |m| {
            flash::redirect(
                &format!("/courses/{}", m.course_id),
                "flash-module-updated",
                &m.title,
            )
        },
        async |errors| module_form(&state, &access, page, id, Some(input), errors).await,
    )
    .await
}

pub async fn delete_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ModuleId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let (m, outcome) = ops::delete_module(&mut conn, &access, id).await?;
    let flash_key = match outcome {
        DeleteOutcome::Deleted => "flash-module-deleted",
        DeleteOutcome::HasAttendance => "flash-module-has-attendance",
    };
    Ok(flash::redirect(
        &format!("/courses/{}", m.course_id),
        flash_key,
        &m.title,
    ))
}
