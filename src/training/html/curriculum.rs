//! A programme's curriculum: topics and the template of modules.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{CurriculumTopicId, ProgrammeId, TemplateModuleId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::training::input::{ModuleInput, TopicInput};
use crate::training::model::{TemplateModule, Topic, hours};
use crate::training::ops;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

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
    fn topic(&self, id: &CurriculumTopicId) -> String {
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
    id: ProgrammeId,
    forms: CurriculumForms,
) -> AppResult<Response> {
    let CurriculumForms {
        topic_input,
        module_input,
        errors,
        failed,
    } = forms;
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
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
    Path(id): Path<ProgrammeId>,
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
    Path(id): Path<ProgrammeId>,
    Form(input): Form<TopicInput>,
) -> AppResult<Response> {
    let result = {
        let mut conn = state.db().await?;
        ops::create_topic(&mut conn, &access, id, &input).await
    };
    respond(
        result,
        |t| {
            flash::redirect(
                &format!("/programmes/{id}/curriculum"),
                "flash-topic-created",
                &t.label,
            )
        },
        async |errors| {
            let forms = CurriculumForms {
                topic_input: input,
                module_input: ModuleInput::default(),
                errors,
                failed: "topic",
            };
            curriculum_page(&state, &access, page, id, forms).await
        },
    )
    .await
}

pub async fn create_template_module(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ProgrammeId>,
    Form(input): Form<ModuleInput>,
) -> AppResult<Response> {
    let result = {
        let mut conn = state.db().await?;
        ops::create_template_module(&mut conn, &access, id, &input).await
    };
    respond(
        result,
        |m| {
            flash::redirect(
                &format!("/programmes/{id}/curriculum"),
                "flash-module-created",
                &m.title,
            )
        },
        async |errors| {
            let forms = CurriculumForms {
                topic_input: TopicInput::default(),
                module_input: input,
                errors,
                failed: "module",
            };
            curriculum_page(&state, &access, page, id, forms).await
        },
    )
    .await
}

pub async fn delete_template_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TemplateModuleId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let m = ops::delete_template_module(&mut conn, &access, id).await?;
    Ok(flash::redirect(
        &format!("/programmes/{}/curriculum", m.programme_id),
        "flash-module-deleted",
        &m.title,
    ))
}
