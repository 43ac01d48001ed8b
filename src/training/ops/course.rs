//! Courses and their modules.

use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use super::curriculum::check_topic;
use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult, Msg, constraint_name};
use crate::ids::{CourseId, ModuleId, ProgrammeId, UserId};
use crate::programmes::model::Programme;
use crate::training::input::{CourseInput, ModuleInput};
use crate::training::model::{
    Attendance, COURSE_NAME_KEY, Course, Module, ModuleData, TemplateModule,
};

/// A course name taken in the programme, as a field error.
fn course_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(COURSE_NAME_KEY) => AppError::field("name", "error-course-name-taken"),
        _ => e.into(),
    }
}

/// The trainer must be an active trainer of the programme.
async fn check_trainer(
    conn: &mut AsyncPgConnection,
    programme_id: ProgrammeId,
    trainer_id: UserId,
) -> AppResult<()> {
    if Course::trainers(conn, programme_id)
        .await?
        .iter()
        .any(|(id, _)| *id == trainer_id)
    {
        Ok(())
    } else {
        Err(AppError::field(
            "trainer_id",
            "error-trainer-not-in-programme",
        ))
    }
}

/// A module's date, when it has one, falls within its course.
fn check_date(course: &Course, held_on: Option<NaiveDate>) -> AppResult<()> {
    match held_on {
        Some(d) if d < course.starts_on || d > course.ends_on => Err(AppError::field(
            "held_on",
            Msg::new("error-module-outside-course")
                .arg("start", course.starts_on)
                .arg("end", course.ends_on),
        )),
        _ => Ok(()),
    }
}

/// Creates a course in the programme the input names; with
/// `from_template`, its modules are copied from the programme's curriculum
/// template (not yet scheduled). A missing, unknown or invisible programme
/// is a field error, before any other.
pub async fn create_course(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &CourseInput,
) -> AppResult<Course> {
    let unknown = || AppError::field("programme_id", "error-programme-unknown");
    let programme_id = input.programme().ok_or_else(unknown)?;
    let data = input.validate().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        match Programme::find(conn, &access.scope, programme_id).await {
            Err(diesel::NotFound) => return Err(unknown()),
            found => found?,
        };
        check_trainer(conn, programme_id, data.trainer_id).await?;
        let c = Course::insert(conn, programme_id, &data)
            .await
            .map_err(course_error)?;
        let mut copied = 0;
        if input.wants_template() {
            let template = TemplateModule::list(conn, programme_id).await?;
            copied = template.len();
            Module::insert_from_template(conn, c.id, &template).await?;
        }
        let mut changes = audit::created(&data);
        changes["modules_from_template"] = json!({ "new": copied });
        audit::record(
            conn,
            access.actor,
            "create",
            Course::subject(c.id, programme_id),
            changes,
        )
        .await?;
        Ok(c)
    })
    .await
}

/// Changes a course; its scheduled modules must stay within the new dates.
pub async fn update_course(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: CourseId,
    input: &CourseInput,
) -> AppResult<Course> {
    conn.transaction(async |conn| {
        let old = Course::find_for_update(conn, &access.scope, id).await?;
        let data = input.validate().map_err(AppError::Validation)?;
        check_trainer(conn, old.programme_id, data.trainer_id).await?;
        let outside = Course::modules_outside(conn, id, data.starts_on, data.ends_on).await?;
        if outside > 0 {
            return Err(AppError::field(
                "ends_on",
                Msg::new("error-course-modules-outside").arg("count", outside),
            ));
        }
        let c = Course::update(conn, id, &data)
            .await
            .map_err(course_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            Course::subject(id, old.programme_id),
            audit::changed(&old, &c),
        )
        .await?;
        Ok(c)
    })
    .await
}

/// Adds a module at the end of a course; its date (if any) falls within the
/// course and its topic is one the programme may use. The course is locked,
/// so that two modules added at once get their own positions.
pub async fn create_module(
    conn: &mut AsyncPgConnection,
    access: &Access,
    course_id: CourseId,
    input: &ModuleInput,
) -> AppResult<Module> {
    conn.transaction(async |conn| {
        let course = Course::find_for_update(conn, &access.scope, course_id).await?;
        let data: ModuleData = input.validate().map_err(AppError::Validation)?;
        check_date(&course, data.held_on)?;
        check_topic(conn, data.topic_id, course.programme_id).await?;
        let position = Module::next_position(conn, course_id).await?;
        let m = Module::insert(conn, course_id, position, &data).await?;
        audit::record(
            conn,
            access.actor,
            "create",
            Module::subject(m.id, course.programme_id),
            audit::created(&data),
        )
        .await?;
        Ok(m)
    })
    .await
}

/// Changes a module. One with attendance keeps a date.
pub async fn update_module(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ModuleId,
    input: &ModuleInput,
) -> AppResult<Module> {
    conn.transaction(async |conn| {
        let (old, course) = Module::find_for_update(conn, &access.scope, id).await?;
        let data = input.validate().map_err(AppError::Validation)?;
        check_date(&course, data.held_on)?;
        check_topic(conn, data.topic_id, course.programme_id).await?;
        if data.held_on.is_none() && Attendance::count_for_module(conn, id).await? > 0 {
            return Err(AppError::field("held_on", "error-module-has-attendance"));
        }
        let m = Module::update(conn, id, &data).await?;
        audit::record(
            conn,
            access.actor,
            "update",
            Module::subject(id, course.programme_id),
            audit::changed(&old, &m),
        )
        .await?;
        Ok(m)
    })
    .await
}

/// What deleting a module found.
#[derive(Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    /// Attendance was taken at it: it stays.
    HasAttendance,
}

/// Deletes a module that has no attendance yet; one with attendance is
/// left as it is.
pub async fn delete_module(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ModuleId,
) -> AppResult<(Module, DeleteOutcome)> {
    conn.transaction(async |conn| {
        let (m, course) = Module::find_for_update(conn, &access.scope, id).await?;
        if Attendance::count_for_module(conn, id).await? > 0 {
            return Ok((m, DeleteOutcome::HasAttendance));
        }
        Module::delete(conn, id).await?;
        audit::record(
            conn,
            access.actor,
            "delete",
            Module::subject(id, course.programme_id),
            audit::deleted(&m),
        )
        .await?;
        Ok((m, DeleteOutcome::Deleted))
    })
    .await
}
