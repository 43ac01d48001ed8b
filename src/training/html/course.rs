//! Courses: the list, the form and the course page (which also shows the
//! module, enrolment, completion and drop-out forms again after an error).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::{CourseId, CurriculumTopicId, EnrolmentId, ProgrammeId, UserId};
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::training::input::{CourseInput, EnrolmentInput, ModuleInput};
use crate::training::model::{
    Course, CourseSummary, Enrolment, EnrolmentSummary, Module, Topic, hours,
};
use crate::training::ops;
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "training/courses.html")]
pub(crate) struct CoursesPage {
    page: Page,
    courses: Vec<CourseSummary>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ProgrammeQuery {
    #[serde(default)]
    programme: Option<ProgrammeId>,
}

pub async fn list(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<ProgrammeQuery>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let courses = Course::list(&mut conn, &access.scope, q.programme).await?;
    Ok(render(
        StatusCode::OK,
        &CoursesPage {
            page: page.with_nav("courses"),
            courses,
        },
    ))
}

#[derive(Template)]
#[template(path = "training/course_form.html")]
pub(crate) struct CourseFormPage {
    page: Page,
    course: Option<Course>,
    input: CourseInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    /// (programme id, trainer id, name)
    trainers: Vec<(ProgrammeId, UserId, String)>,
}

impl CourseFormPage {
    fn action(&self) -> String {
        match &self.course {
            Some(c) => format!("/courses/{}", c.id),
            None => "/courses".to_owned(),
        }
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }
}

pub(crate) async fn course_form(
    state: &AppState,
    access: &Access,
    page: Page,
    course: Option<Course>,
    input: CourseInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mut programmes = Programme::list(&mut conn, &access.scope, false).await?;
    if let Some(c) = &course {
        programmes.retain(|p| p.id == c.programme_id);
    }
    let mut trainers = Vec::new();
    for p in &programmes {
        for (id, name) in Course::trainers(&mut conn, p.id).await? {
            trainers.push((p.id, id, name));
        }
    }
    Ok(render(
        errors.status(),
        &CourseFormPage {
            page: page.with_nav("courses"),
            course,
            input,
            errors,
            programmes,
            trainers,
        },
    ))
}

pub async fn new_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = CourseInput {
        starts_on: state.clock().today().to_string(),
        trainer_id: access.actor.map(|a| a.to_string()).unwrap_or_default(),
        from_template: Some("on".into()),
        ..Default::default()
    };
    course_form(&state, &access, page, None, input, FormErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<CourseInput>,
) -> AppResult<Response> {
    let result = {
        let mut conn = state.db().await?;
        ops::create_course(&mut conn, &access, &input).await
    };
    respond(
        result,
        |c| {
            flash::redirect(
                &format!("/courses/{}", c.id),
                "flash-course-created",
                &c.name,
            )
        },
        async |errors| course_form(&state, &access, page, None, input, errors).await,
    )
    .await
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<CourseId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let course = Course::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    let input = CourseInput::from_course(&course);
    course_form(
        &state,
        &access,
        page,
        Some(course),
        input,
        FormErrors::default(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<CourseId>,
    Form(input): Form<CourseInput>,
) -> AppResult<Response> {
    let (course, result) = {
        let mut conn = state.db().await?;
        let course = Course::find(&mut conn, &access.scope, id).await?;
        (
            course,
            ops::update_course(&mut conn, &access, id, &input).await,
        )
    };
    respond(
        result,
        |c| flash::redirect(&format!("/courses/{id}"), "flash-course-updated", &c.name),
        async |errors| course_form(&state, &access, page, Some(course), input, errors).await,
    )
    .await
}

/// What the course page shows again after a failed form.
#[derive(Default)]
pub struct CourseForms {
    pub(crate) module: ModuleInput,
    pub(crate) enrolment: EnrolmentInput,
    pub(crate) errors: FormErrors,
    /// Which form the errors belong to: `module`, `enrolment`, or an
    /// enrolment id for its completion or drop-out.
    pub(crate) failed: String,
}

#[derive(Template)]
#[template(path = "training/course.html")]
pub(crate) struct CoursePage {
    page: Page,
    course: Course,
    programme: Programme,
    trainer: String,
    modules: Vec<Module>,
    topics: Vec<Topic>,
    enrolments: Vec<EnrolmentSummary>,
    /// Mothers of the programme not yet enrolled.
    candidates: Vec<Mother>,
    forms: CourseForms,
    today: String,
    /// The course's history with its modules and enrolments.
    changes: Vec<crate::web::history::HistoryLine>,
}

impl CoursePage {
    fn topic(&self, id: &CurriculumTopicId) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    fn total_hours(&self) -> String {
        hours(self.modules.iter().map(|m| i64::from(m.minutes)).sum())
    }

    fn failed(&self, which: &str) -> bool {
        self.forms.failed == which
    }

    fn enrolment_failed(&self, id: &EnrolmentId) -> bool {
        self.forms.failed == id.to_string()
    }

    /// Whether a completion or drop-out was refused: its reasons are shown
    /// at the top of the page (the form is folded away in a long list).
    fn closing_failed(&self) -> bool {
        !self.forms.errors.is_empty() && self.forms.failed.parse::<i64>().is_ok()
    }
}

pub(crate) async fn course_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: CourseId,
    forms: CourseForms,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let course = Course::find(&mut conn, &access.scope, id).await?;
    let programme = Programme::find(&mut conn, &access.scope, course.programme_id).await?;
    let trainer = Course::trainers(&mut conn, course.programme_id)
        .await?
        .into_iter()
        .find(|(t, _)| *t == course.trainer_id)
        .map(|(_, n)| n)
        .unwrap_or_default();
    let modules = Module::for_course(&mut conn, id).await?;
    let topics = Topic::for_programme(&mut conn, course.programme_id).await?;
    let enrolments = Enrolment::for_course(&mut conn, id).await?;
    let mut candidates = Vec::new();
    if page.may_manage_training() {
        let filter = MotherFilter {
            programme_id: Some(course.programme_id),
            ..Default::default()
        };
        candidates = Mother::all(&mut conn, &access.scope, filter).await?;
        candidates.retain(|m| !enrolments.iter().any(|e| e.enrolment.mother_id == m.id));
    }
    let changes = if page.may_manage_training() {
        let module_ids: Vec<i64> = modules.iter().map(|m| m.id.0).collect();
        let enrolment_ids: Vec<i64> = enrolments.iter().map(|e| e.enrolment.id.0).collect();
        let parts: [(&str, &[i64]); 3] = [
            ("course", &[id.0]),
            ("course_module", &module_ids),
            ("enrolment", &enrolment_ids),
        ];
        let entries = crate::audit::history(&mut conn, &parts).await?;
        crate::web::history::described(&mut conn, &page, &entries).await?
    } else {
        Vec::new()
    };
    Ok(render(
        forms.errors.status(),
        &CoursePage {
            changes,
            page: page.with_nav("courses"),
            course,
            programme,
            trainer,
            modules,
            topics,
            enrolments,
            candidates,
            forms,
            today: state.clock().today().to_string(),
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<CourseId>,
) -> AppResult<Response> {
    let forms = CourseForms {
        module: ModuleInput {
            hours: "2".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    course_page(&state, &access, page, id, forms).await
}
