//! A programme's curriculum: topics and the template of modules.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult, ResultExt};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::training::input::{ModuleInput, TopicInput};
use crate::training::model::{TOPIC_LABEL_KEY, TemplateModule, Topic, hours};
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

use super::*;

/// The curriculum page's two forms, as typed, and which one failed.
#[derive(Default)]
pub struct CurriculumForms {
    topic_input: TopicInput,
    module_input: ModuleInput,
    errors: FormErrors,
    failed: &'static str,
}

#[derive(Template)]
#[template(path = "training/curriculum.html")]
pub(crate) struct CurriculumPage {
    page: Page,
    programme: Programme,
    topics: Vec<Topic>,
    template: Vec<TemplateModule>,
    topic_input: TopicInput,
    module_input: ModuleInput,
    errors: FormErrors,
    failed: &'static str,
}

impl CurriculumPage {
    fn topic(&self, id: &i64) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    fn total_hours(&self) -> String {
        hours(self.template.iter().map(|m| i64::from(m.minutes)).sum())
    }

    /// The errors of one of the page's two forms.
    fn errors_for(&self, form: &str) -> FormErrors {
        if self.failed == form {
            self.errors.clone()
        } else {
            FormErrors::default()
        }
    }

    fn template_hours(&self, m: &TemplateModule) -> String {
        hours(i64::from(m.minutes))
    }
}

pub(crate) async fn curriculum_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: i64,
    forms: CurriculumForms,
) -> AppResult<Response> {
    let CurriculumForms {
        topic_input,
        module_input,
        errors,
        failed,
    } = forms;
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let topics = Topic::for_programme(&mut conn, id).await?;
    let template = TemplateModule::list(&mut conn, id).await?;
    Ok(render(
        errors.status(),
        &CurriculumPage {
            page: page.with_nav("courses"),
            programme,
            topics,
            template,
            topic_input,
            module_input,
            errors,
            failed,
        },
    ))
}

pub async fn curriculum(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let module = ModuleInput {
        hours: "2".into(),
        ..Default::default()
    };
    curriculum_page(
        &state,
        &access,
        page,
        id,
        CurriculumForms {
            topic_input: TopicInput::default(),
            module_input: module,
            errors: FormErrors::default(),
            failed: "",
        },
    )
    .await
}

pub async fn create_topic(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<TopicInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let result = match input.validate() {
        Ok(label) => Topic::create(&mut conn, access.actor, id, &label)
            .await
            .on_constraint(TOPIC_LABEL_KEY, || {
                AppError::field("label", "error-topic-taken")
            }),
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(t) => Ok(flash::redirect(
            &format!("/programmes/{id}/curriculum"),
            "flash-topic-created",
            &t.label,
        )),
        Err(AppError::Validation(e)) => {
            curriculum_page(
                &state,
                &access,
                page,
                id,
                CurriculumForms {
                    topic_input: input,
                    module_input: ModuleInput::default(),
                    errors: FormErrors(e),
                    failed: "topic",
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn create_template_module(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ModuleInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let result = match input.validate() {
        Ok(data) => TemplateModule::create(&mut conn, access.actor, id, &data).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(m) => Ok(flash::redirect(
            &format!("/programmes/{id}/curriculum"),
            "flash-module-created",
            &m.title,
        )),
        Err(AppError::Validation(e)) => {
            curriculum_page(
                &state,
                &access,
                page,
                id,
                CurriculumForms {
                    topic_input: TopicInput::default(),
                    module_input: input,
                    errors: FormErrors(e),
                    failed: "module",
                },
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn delete_template_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let m = TemplateModule::delete(&mut conn, access.actor, &access.scope, id).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}/curriculum", m.programme_id),
        "flash-module-deleted",
        &m.title,
    ))
}
