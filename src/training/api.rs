//! JSON routes for the curriculum, courses, modules, enrolments,
//! attendance and completion.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::input::{
    AttendanceInput, CompletionInput, CourseInput, DropOutInput, EnrolmentInput, ModuleInput,
    TopicInput,
};
use super::model::{
    Attendance, AttendanceRow, Course, CourseSummary, Enrolment, EnrolmentSummary, Module,
    TOPIC_LABEL_KEY, TemplateModule, Topic,
};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse, ResultExt};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Json, Path, Query};

const TAG: &str = "training";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CourseQuery {
    /// Only this programme's courses.
    pub programme: Option<i64>,
}

/// Courses the caller may see, newest first, with counts.
#[utoipa::path(get, path = "/api/v1/courses", tag = TAG, params(CourseQuery),
    responses((status = 200, body = [CourseSummary])))]
pub async fn list_courses(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<CourseQuery>,
) -> AppResult<Json<Vec<CourseSummary>>> {
    let mut conn = state.db().await?;
    Ok(Json(
        Course::list(&mut conn, &access.scope, q.programme).await?,
    ))
}

/// Creates a course, optionally from the programme's curriculum template.
#[utoipa::path(post, path = "/api/v1/courses", tag = TAG, request_body = CourseInput,
    responses((status = 201, body = Course), (status = 422, body = ErrorResponse)))]
pub async fn create_course(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<CourseInput>,
) -> AppResult<(StatusCode, Json<Course>)> {
    let programme_id: i64 = input
        .programme_id
        .as_deref()
        .and_then(|p| p.trim().parse().ok())
        .ok_or(AppError::field("programme_id", "error-programme-unknown"))?;
    let data = input.validate().map_err(AppError::Validation)?;
    let mut conn = state.db().await?;
    let c = Course::create(
        &mut conn,
        access.actor,
        &access.scope,
        programme_id,
        &data,
        input.wants_template(),
    )
    .await
    .map_err(|e| match e {
        AppError::NotFound => AppError::field("programme_id", "error-programme-unknown"),
        e => e,
    })?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// A course with its modules and enrolments.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub course: Course,
    pub modules: Vec<Module>,
    pub enrolments: Vec<EnrolmentSummary>,
}

#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = CourseDetail), (status = 404, body = ErrorResponse)))]
pub async fn get_course(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<CourseDetail>> {
    let mut conn = state.db().await?;
    let course = Course::find(&mut conn, &access.scope, id).await?;
    Ok(Json(CourseDetail {
        modules: Module::for_course(&mut conn, id).await?,
        enrolments: Enrolment::for_course(&mut conn, id).await?,
        course,
    }))
}

#[utoipa::path(put, path = "/api/v1/courses/{id}", tag = TAG, request_body = CourseInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = Course), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_course(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<CourseInput>,
) -> AppResult<Json<Course>> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Course::update(&mut conn, access.actor, &access.scope, id, &data).await?,
    ))
}

/// The modules of a course, in order.
#[utoipa::path(get, path = "/api/v1/courses/{id}/modules", tag = TAG,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = [Module]), (status = 404, body = ErrorResponse)))]
pub async fn list_modules(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Module>>> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Module::for_course(&mut conn, id).await?))
}

/// Adds a module; its date must fall within the course.
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules", tag = TAG, request_body = ModuleInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 201, body = Module), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<ModuleInput>,
) -> AppResult<(StatusCode, Json<Module>)> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    let m = Module::create(&mut conn, access.actor, &access.scope, id, &data).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

#[utoipa::path(put, path = "/api/v1/modules/{id}", tag = TAG, request_body = ModuleInput,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 200, body = Module), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<ModuleInput>,
) -> AppResult<Json<Module>> {
    let mut conn = state.db().await?;
    Module::find(&mut conn, &access.scope, id).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Module::update(&mut conn, access.actor, &access.scope, id, &data).await?,
    ))
}

/// Deletes a module without attendance (409 otherwise).
#[utoipa::path(delete, path = "/api/v1/modules/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 204), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse)))]
pub async fn delete_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    Module::delete(&mut conn, access.actor, &access.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The enrolments of a course with attendance counts.
#[utoipa::path(get, path = "/api/v1/courses/{id}/enrolments", tag = TAG,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = [EnrolmentSummary]), (status = 404, body = ErrorResponse)))]
pub async fn list_enrolments(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<EnrolmentSummary>>> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Enrolment::for_course(&mut conn, id).await?))
}

/// Enrols a mother of the course's programme (once).
#[utoipa::path(post, path = "/api/v1/courses/{id}/enrolments", tag = TAG,
    request_body = EnrolmentInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 201, body = Enrolment), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_enrolment(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<EnrolmentInput>,
) -> AppResult<(StatusCode, Json<Enrolment>)> {
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    let (mother_id, on) = input
        .validate(state.clock().today())
        .map_err(AppError::Validation)?;
    let e = Enrolment::create(&mut conn, access.actor, &access.scope, id, mother_id, on).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// The attendance grid of a module: every enrolled mother and her status.
#[utoipa::path(get, path = "/api/v1/modules/{id}/attendance", tag = TAG,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 200, body = [AttendanceRow]), (status = 404, body = ErrorResponse)))]
pub async fn get_attendance(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<AttendanceRow>>> {
    let mut conn = state.db().await?;
    let (module, _) = Module::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Attendance::grid(&mut conn, &module).await?))
}

/// Records attendance at a module: all entries or none.
#[utoipa::path(put, path = "/api/v1/modules/{id}/attendance", tag = TAG,
    request_body = AttendanceInput,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 200, body = [AttendanceRow]), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn put_attendance(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<AttendanceInput>,
) -> AppResult<Json<Vec<AttendanceRow>>> {
    let mut conn = state.db().await?;
    let entries: Vec<(i64, String)> = input
        .entries
        .iter()
        .map(|e| (e.enrolment_id, e.status.clone()))
        .collect();
    Attendance::save(&mut conn, access.actor, &access.scope, id, &entries).await?;
    let (module, _) = Module::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Attendance::grid(&mut conn, &module).await?))
}

/// Records completion and certification; refused (422) below the
/// programme's attendance threshold, with her attendance in the message.
#[utoipa::path(post, path = "/api/v1/enrolments/{id}/completion", tag = TAG,
    request_body = CompletionInput,
    params(("id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, body = Enrolment), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn complete(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<CompletionInput>,
) -> AppResult<Json<Enrolment>> {
    let mut conn = state.db().await?;
    Enrolment::find(&mut conn, &access.scope, id).await?;
    let (completed, certified) = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Enrolment::complete(
            &mut conn,
            access.actor,
            &access.scope,
            id,
            completed,
            certified,
        )
        .await?,
    ))
}

/// Records a drop-out with its reason.
#[utoipa::path(post, path = "/api/v1/enrolments/{id}/drop-out", tag = TAG,
    request_body = DropOutInput,
    params(("id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, body = Enrolment), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn drop_out(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<DropOutInput>,
) -> AppResult<Json<Enrolment>> {
    let mut conn = state.db().await?;
    Enrolment::find(&mut conn, &access.scope, id).await?;
    let (on, reason) = input.validate().map_err(AppError::Validation)?;
    Ok(Json(
        Enrolment::drop_out(&mut conn, access.actor, &access.scope, id, on, &reason).await?,
    ))
}

/// The curriculum topics a programme can use: the defaults and its own.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/curriculum/topics", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = [Topic]), (status = 404, body = ErrorResponse)))]
pub async fn list_topics(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Topic>>> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    Ok(Json(Topic::for_programme(&mut conn, id).await?))
}

/// Adds a programme's own curriculum topic.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/curriculum/topics", tag = TAG,
    request_body = TopicInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = Topic), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_topic(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<TopicInput>,
) -> AppResult<(StatusCode, Json<Topic>)> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let label = input.validate().map_err(AppError::Validation)?;
    let t = Topic::create(&mut conn, access.actor, id, &label)
        .await
        .on_constraint(TOPIC_LABEL_KEY, || {
            AppError::field("label", "error-topic-taken")
        })?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// The programme's curriculum template, in order.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/curriculum/modules", tag = TAG,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = [TemplateModule]), (status = 404, body = ErrorResponse)))]
pub async fn list_template(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<TemplateModule>>> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    Ok(Json(TemplateModule::list(&mut conn, id).await?))
}

/// Appends a module to the programme's curriculum template.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/curriculum/modules", tag = TAG,
    request_body = ModuleInput,
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 201, body = TemplateModule), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_template_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
    Json(input): Json<ModuleInput>,
) -> AppResult<(StatusCode, Json<TemplateModule>)> {
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let data = input.validate().map_err(AppError::Validation)?;
    let m = TemplateModule::create(&mut conn, access.actor, id, &data).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Removes a module from a curriculum template.
#[utoipa::path(delete, path = "/api/v1/curriculum/modules/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Template module id")),
    responses((status = 204), (status = 404, body = ErrorResponse)))]
pub async fn delete_template_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    TemplateModule::delete(&mut conn, access.actor, &access.scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
