//! JSON routes for the curriculum, courses, modules, enrolments,
//! attendance and completion: thin, over the same `ops` as the HTML pages.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::input::{
    AttendanceInput, CompletionInput, CourseInput, DropOutInput, EnrolmentInput, ModuleInput,
    ReopenInput, TopicInput,
};
use super::model::{
    Attendance, AttendanceRow, Course, CourseSummary, Enrolment, EnrolmentSummary, Module,
    TemplateModule, Topic,
};
use super::ops::{self, DeleteOutcome};
use crate::authz::Access;
use crate::error::{AppError, AppResult, ErrorResponse};
use crate::ids::{CourseId, EnrolmentId, ModuleId, ProgrammeId, TemplateModuleId};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::bulk::{One, OneOrMany, create_all};
use crate::web::created;
use crate::web::extract::{Json, Path, Query};
use crate::web::pagination::{PageParams, Paged};
use crate::web::patch::{Table, patch};

const TAG: &str = "training";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CourseQuery {
    /// Only this programme's courses.
    #[param(value_type = Option<i64>)]
    pub programme: Option<ProgrammeId>,
}

/// Courses the caller may see, newest first, with counts.
#[utoipa::path(get, path = "/api/v1/courses", tag = TAG, params(CourseQuery, PageParams),
    responses((status = 200, body = Paged<CourseSummary>), (status = 422, body = ErrorResponse)))]
pub async fn list_courses(
    State(state): State<AppState>,
    access: Access,
    Query(q): Query<CourseQuery>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<CourseSummary>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Ok(Json(Paged::of_all(
        Course::list(&mut conn, &access.scope, q.programme).await?,
        spec,
    )))
}

/// Creates a course, optionally from the programme's curriculum template.
#[utoipa::path(post, path = "/api/v1/courses", tag = TAG, request_body = CourseInput,
    responses((status = 201, body = Course), (status = 422, body = ErrorResponse)))]
pub async fn create_course(
    State(state): State<AppState>,
    access: Access,
    Json(input): Json<CourseInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let c = ops::create_course(&mut conn, &access, &input).await?;
    Ok(created(format!("/api/v1/courses/{}", c.id), c))
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
    Path(id): Path<CourseId>,
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
    Path(id): Path<CourseId>,
    Json(input): Json<CourseInput>,
) -> AppResult<Json<Course>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::update_course(&mut conn, &access, id, &input).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/courses/{id}", tag = TAG, request_body = CourseInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 200, body = Course), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_course(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<CourseId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Course>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Courses,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(CourseInput::from_course(
                        &Course::find(c, &a.scope, *id).await?,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update_course(c, a, *id, input)),
        )
        .await?,
    ))
}

/// The modules of a course, in order.
#[utoipa::path(get, path = "/api/v1/courses/{id}/modules", tag = TAG,
    params(("id" = i64, Path, description = "Course id"), PageParams),
    responses((status = 200, body = Paged<Module>), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_modules(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<CourseId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Module>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Module::for_course(&mut conn, id).await?,
        spec,
    )))
}

/// Adds a module; its date must fall within the course.
#[utoipa::path(post, path = "/api/v1/courses/{id}/modules", tag = TAG, request_body = ModuleInput,
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 201, body = Module), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn create_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<CourseId>,
    Json(input): Json<ModuleInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let m = ops::create_module(&mut conn, &access, id, &input).await?;
    Ok(created(format!("/api/v1/modules/{}", m.id), m))
}

#[utoipa::path(put, path = "/api/v1/modules/{id}", tag = TAG, request_body = ModuleInput,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 200, body = Module), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn update_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ModuleId>,
    Json(input): Json<ModuleInput>,
) -> AppResult<Json<Module>> {
    let mut conn = state.db().await?;
    Ok(Json(
        ops::update_module(&mut conn, &access, id, &input).await?,
    ))
}

/// Changes only the fields sent; the others keep their values (a `PUT`
/// replaces them all). Checked as a whole, like the form.
#[utoipa::path(patch, path = "/api/v1/modules/{id}", tag = TAG, request_body = ModuleInput,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 200, body = Module), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn patch_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ModuleId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<Json<Module>> {
    let mut conn = state.db().await?;
    let ctx = (access, id);
    Ok(Json(
        patch(
            &mut conn,
            &ctx,
            Table::Modules,
            id.0,
            body,
            |c, (a, id)| {
                Box::pin(async move {
                    Ok(ModuleInput::from_module(
                        &Module::find(c, &a.scope, *id).await?.0,
                    ))
                })
            },
            |c, (a, id), input| Box::pin(ops::update_module(c, a, *id, input)),
        )
        .await?,
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
    Path(id): Path<ModuleId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    match ops::delete_module(&mut conn, &access, id).await? {
        (_, DeleteOutcome::Deleted) => Ok(StatusCode::NO_CONTENT),
        (_, DeleteOutcome::HasAttendance) => Err(AppError::Conflict("error-module-has-attendance")),
    }
}

/// The enrolments of a course with attendance counts.
#[utoipa::path(get, path = "/api/v1/courses/{id}/enrolments", tag = TAG,
    params(("id" = i64, Path, description = "Course id"), PageParams),
    responses((status = 200, body = Paged<EnrolmentSummary>), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_enrolments(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<CourseId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<EnrolmentSummary>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Course::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Enrolment::for_course(&mut conn, id).await?,
        spec,
    )))
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
    tr: crate::web::Tr,
    headers: axum::http::HeaderMap,
    Path(id): Path<CourseId>,
    Json(body): Json<OneOrMany<EnrolmentInput>>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let ctx = (access, id, today);
    match body {
        OneOrMany::One(input) => {
            let e = enrol_one(&mut conn, &ctx, &input).await?;
            Ok(crate::web::created(
                format!("/api/v1/courses/{id}/enrolments"),
                e,
            ))
        }
        OneOrMany::Many(items) => {
            let request_id = crate::web::request_id(&headers);
            create_all(&mut conn, &tr, request_id, &ctx, &items, enrol_one).await
        }
    }
}

fn enrol_one<'a>(
    conn: &'a mut diesel_async::AsyncPgConnection,
    (access, course, today): &'a (Access, CourseId, chrono::NaiveDate),
    input: &'a EnrolmentInput,
) -> One<'a, Enrolment> {
    Box::pin(ops::enrol(conn, access, *course, input, *today))
}

/// One completion of a course's list: the enrolment and its dates.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct CompletionItem {
    pub enrolment_id: String,
    #[serde(flatten)]
    pub dates: CompletionInput,
}

/// Records the completions of many enrolments of a course at once (a
/// course's last day): all or none; 201 with `{"items": [...]}`, or 422
/// naming each failing item by its index (an enrolment of another course,
/// one already completed, attendance below the threshold).
#[utoipa::path(post, path = "/api/v1/courses/{id}/completions", tag = TAG,
    request_body = [CompletionItem],
    params(("id" = i64, Path, description = "Course id")),
    responses((status = 201, body = Object), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn complete_many(
    State(state): State<AppState>,
    access: Access,
    tr: crate::web::Tr,
    headers: axum::http::HeaderMap,
    Path(id): Path<CourseId>,
    Json(body): Json<serde_json::Value>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    // Not found comes before a body that does not read.
    Course::find(&mut conn, &access.scope, id).await?;
    let items: Vec<CompletionItem> = serde_json::from_value(body.clone())
        .or_else(|e| crate::web::lenient::from_value(&body).map_err(|_| e))
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let request_id = crate::web::request_id(&headers);
    create_all(
        &mut conn,
        &tr,
        request_id,
        &(access, id),
        &items,
        complete_one,
    )
    .await
}

fn complete_one<'a>(
    conn: &'a mut diesel_async::AsyncPgConnection,
    (access, course): &'a (Access, CourseId),
    item: &'a CompletionItem,
) -> One<'a, Enrolment> {
    Box::pin(async move {
        let unknown = || crate::error::AppError::field("enrolment_id", "error-enrolment-unknown");
        let id = item
            .enrolment_id
            .trim()
            .parse::<i64>()
            .map_err(|_| unknown())?;
        let e = match Enrolment::find(conn, &access.scope, EnrolmentId(id)).await {
            Ok(e) if e.course_id == *course => e,
            Ok(_) | Err(diesel::NotFound) => return Err(unknown()),
            Err(e) => return Err(e.into()),
        };
        match ops::complete(conn, access, e.id, &item.dates).await {
            Err(crate::error::AppError::Conflict(key)) => {
                Err(crate::error::AppError::field("enrolment_id", key))
            }
            other => other,
        }
    })
}

/// The attendance grid of a module: every enrolled mother and her status.
#[utoipa::path(get, path = "/api/v1/modules/{id}/attendance", tag = TAG,
    params(("id" = i64, Path, description = "Module id"), PageParams),
    responses((status = 200, body = Paged<AttendanceRow>), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn get_attendance(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ModuleId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<AttendanceRow>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    let (module, _) = Module::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Attendance::grid(&mut conn, &module).await?,
        spec,
    )))
}

/// Records attendance at a module: all entries or none.
#[utoipa::path(put, path = "/api/v1/modules/{id}/attendance", tag = TAG,
    request_body = AttendanceInput,
    params(("id" = i64, Path, description = "Module id")),
    responses((status = 200, body = Paged<AttendanceRow>), (status = 404, body = ErrorResponse),
              (status = 422, body = ErrorResponse)))]
pub async fn put_attendance(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ModuleId>,
    Json(input): Json<AttendanceInput>,
) -> AppResult<Json<Paged<AttendanceRow>>> {
    let mut conn = state.db().await?;
    let (module, _) = ops::save_attendance(&mut conn, &access, id, &input).await?;
    // The whole grid as saved, in the list shape of `GET`.
    let rows = Attendance::grid(&mut conn, &module).await?;
    let total = rows.len() as i64;
    Ok(Json(Paged::new(rows, total, 1, total.max(1))))
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
    Path(id): Path<EnrolmentId>,
    Json(input): Json<CompletionInput>,
) -> AppResult<Json<Enrolment>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::complete(&mut conn, &access, id, &input).await?))
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
    Path(id): Path<EnrolmentId>,
    Json(input): Json<DropOutInput>,
) -> AppResult<Json<Enrolment>> {
    let mut conn = state.db().await?;
    Ok(Json(ops::drop_out(&mut conn, &access, id, &input).await?))
}

/// Undoes a completion or drop-out recorded by mistake (`{"reason": ...}`
/// required): the enrolment is open again; a mother certified by that
/// completion alone is in training again. 409 for an open enrolment.
#[utoipa::path(post, path = "/api/v1/enrolments/{id}/reopen", tag = TAG, request_body = ReopenInput,
    params(("id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, body = Enrolment), (status = 404, body = ErrorResponse),
              (status = 409, body = ErrorResponse), (status = 422, body = ErrorResponse)))]
pub async fn reopen(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<EnrolmentId>,
    Json(input): Json<ReopenInput>,
) -> AppResult<Json<Enrolment>> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    Ok(Json(
        ops::reopen(&mut conn, &access, id, &input, today).await?,
    ))
}

/// The curriculum topics a programme can use: the defaults and its own.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/curriculum/topics", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<Topic>), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_topics(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<Topic>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        Topic::for_programme(&mut conn, id).await?,
        spec,
    )))
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
    Path(id): Path<ProgrammeId>,
    Json(input): Json<TopicInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let t = ops::create_topic(&mut conn, &access, id, &input).await?;
    // A programme's curriculum topics are read (and changed) as its list.
    let at = format!("/api/v1/programmes/{id}/curriculum/topics");
    Ok(created(at, t))
}

/// The programme's curriculum template, in order.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/curriculum/modules", tag = TAG,
    params(("id" = i64, Path, description = "Programme id"), PageParams),
    responses((status = 200, body = Paged<TemplateModule>), (status = 422, body = ErrorResponse), (status = 404, body = ErrorResponse)))]
pub async fn list_template(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<ProgrammeId>,
    Query(pq): Query<PageParams>,
) -> AppResult<Json<Paged<TemplateModule>>> {
    let spec = pq.read()?;
    let mut conn = state.db().await?;
    Programme::find(&mut conn, &access.scope, id).await?;
    Ok(Json(Paged::of_all(
        TemplateModule::list(&mut conn, id).await?,
        spec,
    )))
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
    Path(id): Path<ProgrammeId>,
    Json(input): Json<ModuleInput>,
) -> AppResult<axum::response::Response> {
    let mut conn = state.db().await?;
    let m = ops::create_template_module(&mut conn, &access, id, &input).await?;
    Ok(created(format!("/api/v1/curriculum/modules/{}", m.id), m))
}

/// Removes a module from a curriculum template.
#[utoipa::path(delete, path = "/api/v1/curriculum/modules/{id}", tag = TAG,
    params(("id" = i64, Path, description = "Template module id")),
    responses((status = 204), (status = 404, body = ErrorResponse)))]
pub async fn delete_template_module(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<TemplateModuleId>,
) -> AppResult<StatusCode> {
    let mut conn = state.db().await?;
    ops::delete_template_module(&mut conn, &access, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
