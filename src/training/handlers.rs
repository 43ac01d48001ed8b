//! HTML pages for training: courses, modules, enrolment, the attendance
//! grid, completion and drop-out, and a programme's curriculum.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::form::{
    CompletionInput, CourseInput, DropOutInput, EnrolmentInput, ModuleInput, TopicInput,
};
use super::model::{
    ATTENDANCE_STATUSES, Attendance, AttendanceRow, Course, CourseSummary, Enrolment,
    EnrolmentSummary, Module, TOPIC_LABEL_KEY, TemplateModule, Topic, hours,
};
use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors, ResultExt};
use crate::ids::ProgrammeId;
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, render};

/// A topic's label: the translation of a default, or a programme's own label.
fn topic_label(page: &Page, topics: &[Topic], id: i64) -> String {
    match topics.iter().find(|t| t.id == id) {
        Some(Topic { key: Some(k), .. }) => page.label("topic", k),
        Some(t) => t.label.clone(),
        None => String::new(),
    }
}

#[derive(Template)]
#[template(path = "training/courses.html")]
struct CoursesPage {
    page: Page,
    courses: Vec<CourseSummary>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ProgrammeQuery {
    #[serde(default)]
    programme: Option<i64>,
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
struct CourseFormPage {
    page: Page,
    course: Option<Course>,
    input: CourseInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    /// (programme id, trainer id, name)
    trainers: Vec<(i64, i64, String)>,
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

async fn course_form(
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
        programmes.retain(|p| p.id.0 == c.programme_id);
    }
    let mut trainers = Vec::new();
    for p in &programmes {
        for (id, name) in Course::trainers(&mut conn, p.id.0).await? {
            trainers.push((p.id.0, id, name));
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
    let programme_id = input
        .programme_id
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok());
    let result = match (programme_id, input.validate()) {
        (None, _) => Err(AppError::field("programme_id", "error-programme-unknown")),
        (_, Err(e)) => Err(AppError::Validation(e)),
        (Some(p), Ok(data)) => {
            let mut conn = state.db().await?;
            Course::create(
                &mut conn,
                access.actor,
                &access.scope,
                p,
                &data,
                input.wants_template(),
            )
            .await
        }
    };
    match result {
        Ok(c) => Ok(flash::redirect(
            &format!("/courses/{}", c.id),
            "flash-course-created",
            &c.name,
        )),
        Err(AppError::Validation(e)) => {
            course_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(AppError::NotFound) => {
            let e = FieldErrors::from([("programme_id", "error-programme-unknown")]);
            course_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
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
    Path(id): Path<i64>,
    Form(input): Form<CourseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let course = Course::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate() {
        Ok(data) => Course::update(&mut conn, access.actor, &access.scope, id, &data).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(c) => Ok(flash::redirect(
            &format!("/courses/{id}"),
            "flash-course-updated",
            &c.name,
        )),
        Err(AppError::Validation(e)) => {
            course_form(&state, &access, page, Some(course), input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

/// What the course page shows again after a failed form.
#[derive(Default)]
pub struct CourseForms {
    module: ModuleInput,
    enrolment: EnrolmentInput,
    errors: FormErrors,
    /// Which form the errors belong to: `module`, `enrolment`, or an
    /// enrolment id for its completion or drop-out.
    failed: String,
}

#[derive(Template)]
#[template(path = "training/course.html")]
struct CoursePage {
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
}

impl CoursePage {
    fn topic(&self, id: &i64) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    fn total_hours(&self) -> String {
        hours(self.modules.iter().map(|m| i64::from(m.minutes)).sum())
    }

    fn failed(&self, which: &str) -> bool {
        self.forms.failed == which
    }

    fn enrolment_failed(&self, id: &i64) -> bool {
        self.forms.failed == id.to_string()
    }
}

async fn course_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: i64,
    forms: CourseForms,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let course = Course::find(&mut conn, &access.scope, id).await?;
    let programme =
        Programme::find(&mut conn, &access.scope, ProgrammeId(course.programme_id)).await?;
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
    Ok(render(
        forms.errors.status(),
        &CoursePage {
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
    Path(id): Path<i64>,
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
struct ModuleFormPage {
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

async fn module_form(
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

async fn enrolment_result(
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

#[derive(Template)]
#[template(path = "training/attendance.html")]
struct AttendancePage {
    page: Page,
    course: Course,
    module: Module,
    rows: Vec<AttendanceRow>,
    statuses: [&'static str; 3],
    error: Option<crate::error::Msg>,
}

impl AttendancePage {
    fn checked(&self, row: &AttendanceRow, status: &str) -> bool {
        row.status.as_deref() == Some(status)
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let (module, course) = Module::find(&mut conn, &access.scope, id).await?;
    let rows = Attendance::grid(&mut conn, &module).await?;
    Ok(render(
        StatusCode::OK,
        &AttendancePage {
            page: page.with_nav("courses"),
            course,
            module,
            rows,
            statuses: ATTENDANCE_STATUSES,
            error: None,
        },
    ))
}

/// The grid posts `a<enrolment id>=present|absent|excused` for each mother.
pub async fn save_attendance(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let mut entries = Vec::new();
    for (k, v) in &form {
        if let Some(e) = k.strip_prefix('a').and_then(|e| e.parse::<i64>().ok()) {
            entries.push((e, v.clone()));
        }
    }
    entries.sort();
    let mut conn = state.db().await?;
    let (module, course) = Module::find(&mut conn, &access.scope, id).await?;
    match Attendance::save(&mut conn, access.actor, &access.scope, id, &entries).await {
        Ok(_) => Ok(flash::redirect(
            &format!("/courses/{}", course.id),
            "flash-attendance-saved",
            &module.title,
        )),
        Err(AppError::Validation(e)) => {
            let rows = Attendance::grid(&mut conn, &module).await?;
            let error = e.iter().next().map(|(_, m)| m.clone());
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AttendancePage {
                    page: page.with_nav("courses"),
                    course,
                    module,
                    rows,
                    statuses: ATTENDANCE_STATUSES,
                    error,
                },
            ))
        }
        Err(e) => Err(e),
    }
}

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
struct CurriculumPage {
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

async fn curriculum_page(
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
