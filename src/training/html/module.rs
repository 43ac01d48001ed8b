//! A course's modules: added, edited, deleted.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::training::input::ModuleInput;
use crate::training::model::{Course, Module, Topic};
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

use super::*;

pub async fn create_module(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ModuleInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate() {
        Ok(data) => Module::create(&mut conn, access.actor, &access.scope, id, &data).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(m) => Ok(flash::redirect(
            &format!("/courses/{id}"),
            "flash-module-created",
            &m.title,
        )),
        Err(AppError::Validation(e)) => {
            let forms = CourseForms {
                module: input,
                errors: FormErrors(e),
                failed: "module".into(),
                ..Default::default()
            };
            course_page(&state, &access, page, id, forms).await
        }
        Err(e) => Err(e),
    }
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
    id: i64,
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
    Path(id): Path<i64>,
) -> AppResult<Response> {
    module_form(&state, &access, page, id, None, FormErrors::default()).await
}

pub async fn update_module(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ModuleInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Module::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate() {
        Ok(data) => Module::update(&mut conn, access.actor, &access.scope, id, &data).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(m) => Ok(flash::redirect(
            &format!("/courses/{}", m.course_id),
            "flash-module-updated",
            &m.title,
        )),
        Err(AppError::Validation(e)) => {
            module_form(&state, &access, page, id, Some(input), FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn delete_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let (module, _) = Module::find(&mut conn, &access.scope, id).await?;
    match Module::delete(&mut conn, access.actor, &access.scope, id).await {
        Ok(m) => Ok(flash::redirect(
            &format!("/courses/{}", m.course_id),
            "flash-module-deleted",
            &m.title,
        )),
        Err(AppError::Conflict(_)) => Ok(flash::redirect(
            &format!("/courses/{}", module.course_id),
            "flash-module-has-attendance",
            &module.title,
        )),
        Err(e) => Err(e),
    }
}
