//! Courses and their modules.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::authz::Role;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::schema::{attendance, course_modules, courses, enrolments, user_programmes, users};

use super::*;

// --------------------------------------------------------------- courses

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = courses, check_for_backend(diesel::pg::Pg))]
pub struct Course {
    pub id: i64,
    pub programme_id: i64,
    pub name: String,
    pub trainer_id: i64,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A course's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseData {
    pub name: String,
    pub trainer_id: i64,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A course in a list, with its trainer and counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseSummary {
    #[serde(flatten)]
    pub course: Course,
    pub trainer_name: String,
    pub modules: i64,
    pub enrolled: i64,
    pub completed: i64,
}

pub const COURSE_NAME_KEY: &str = "courses_name_key";

impl Course {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<i64>,
    ) -> QueryResult<Vec<CourseSummary>> {
        let mut q = courses::table
            .inner_join(users::table.on(users::id.eq(courses::trainer_id)))
            .select((Course::as_select(), users::display_name))
            .order((courses::starts_on.desc(), courses::id.desc()))
            .into_boxed();
        if let Some(v) = scope.ids() {
            q = q.filter(courses::programme_id.eq_any(v));
        }
        if let Some(p) = programme_id {
            q = q.filter(courses::programme_id.eq(p));
        }
        let rows: Vec<(Course, String)> = q.load(conn).await?;
        let course_ids: Vec<i64> = rows.iter().map(|(c, _)| c.id).collect();
        let module_counts: Vec<(i64, i64)> = course_modules::table
            .filter(course_modules::course_id.eq_any(&course_ids))
            .group_by(course_modules::course_id)
            .select((course_modules::course_id, diesel::dsl::count_star()))
            .load(conn)
            .await?;
        let enrol_counts: Vec<(i64, EnrolmentStatus, i64)> = enrolments::table
            .filter(enrolments::course_id.eq_any(&course_ids))
            .group_by((enrolments::course_id, enrolments::status))
            .select((
                enrolments::course_id,
                enrolments::status,
                diesel::dsl::count_star(),
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(course, trainer_name)| {
                let id = course.id;
                let count = |status: Option<EnrolmentStatus>| {
                    enrol_counts
                        .iter()
                        .filter(|(c, s, _)| *c == id && status.is_none_or(|x| x == *s))
                        .map(|(_, _, n)| n)
                        .sum()
                };
                CourseSummary {
                    modules: module_counts
                        .iter()
                        .find(|(c, _)| *c == id)
                        .map_or(0, |(_, n)| *n),
                    enrolled: count(None),
                    completed: count(Some(EnrolmentStatus::Completed)),
                    course,
                    trainer_name,
                }
            })
            .collect())
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Course> {
        let c: Course = courses::table
            .find(id)
            .select(Course::as_select())
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(c.programme_id), c)
    }

    /// Users who may train courses of a programme: its trainers.
    pub async fn trainers(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
    ) -> QueryResult<Vec<(i64, String)>> {
        users::table
            .inner_join(user_programmes::table.on(user_programmes::user_id.eq(users::id)))
            .filter(user_programmes::programme_id.eq(programme_id))
            .filter(users::role.eq(Role::Trainer.as_str()))
            .filter(users::active.eq(true))
            .select((users::id, users::display_name))
            .order(users::display_name)
            .load(conn)
            .await
    }

    async fn check_trainer(
        conn: &mut AsyncPgConnection,
        programme_id: i64,
        trainer_id: i64,
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

    /// Creates a course; with `from_template`, its modules are copied from
    /// the programme's curriculum template (not yet scheduled).
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &CourseData,
        from_template: bool,
    ) -> AppResult<Course> {
        Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        conn.transaction(async |conn| {
            Course::check_trainer(conn, programme_id, data.trainer_id).await?;
            let c: Course = diesel::insert_into(courses::table)
                .values((
                    courses::programme_id.eq(programme_id),
                    courses::name.eq(&data.name),
                    courses::trainer_id.eq(data.trainer_id),
                    courses::location.eq(&data.location),
                    courses::starts_on.eq(data.starts_on),
                    courses::ends_on.eq(data.ends_on),
                ))
                .returning(Course::as_returning())
                .get_result(conn)
                .await
                .map_err(course_error)?;
            let mut copied = 0;
            if from_template {
                let template = TemplateModule::list(conn, programme_id).await?;
                copied = template.len();
                let rows: Vec<_> = template
                    .iter()
                    .map(|t| {
                        (
                            course_modules::course_id.eq(c.id),
                            course_modules::position.eq(t.position),
                            course_modules::title.eq(t.title.clone()),
                            course_modules::topic_id.eq(t.topic_id),
                            course_modules::minutes.eq(t.minutes),
                        )
                    })
                    .collect();
                diesel::insert_into(course_modules::table)
                    .values(rows)
                    .execute(conn)
                    .await?;
            }
            let mut changes = audit::created(data);
            changes["modules_from_template"] = json!({ "new": copied });
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("course", c.id, Some(programme_id)),
                changes,
            )
            .await?;
            Ok(c)
        })
        .await
    }

    /// Changes a course; its scheduled modules must stay within the new dates.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &CourseData,
    ) -> AppResult<Course> {
        conn.transaction(async |conn| {
            let old = Course::find(conn, scope, id).await?;
            Course::check_trainer(conn, old.programme_id, data.trainer_id).await?;
            let outside: i64 = course_modules::table
                .filter(course_modules::course_id.eq(id))
                .filter(
                    course_modules::held_on
                        .lt(data.starts_on)
                        .or(course_modules::held_on.gt(data.ends_on)),
                )
                .count()
                .get_result(conn)
                .await?;
            if outside > 0 {
                return Err(AppError::field(
                    "ends_on",
                    Msg::new("error-course-modules-outside").arg("count", outside),
                ));
            }
            let c: Course = diesel::update(courses::table.find(id))
                .set((
                    courses::name.eq(&data.name),
                    courses::trainer_id.eq(data.trainer_id),
                    courses::location.eq(&data.location),
                    courses::starts_on.eq(data.starts_on),
                    courses::ends_on.eq(data.ends_on),
                ))
                .returning(Course::as_returning())
                .get_result(conn)
                .await
                .map_err(course_error)?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("course", id, Some(old.programme_id)),
                audit::changed(&old, &c),
            )
            .await?;
            Ok(c)
        })
        .await
    }
}

pub(crate) fn course_error(e: diesel::result::Error) -> AppError {
    match crate::error::constraint_name(&e) {
        Some(COURSE_NAME_KEY) => AppError::field("name", "error-course-name-taken"),
        _ => e.into(),
    }
}

// --------------------------------------------------------------- modules

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = course_modules, check_for_backend(diesel::pg::Pg))]
pub struct ModuleRow {
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub title: String,
    pub topic_id: i64,
    pub held_on: Option<NaiveDate>,
    pub minutes: i32,
    #[schema(value_type = Vec<String>)]
    pub interpreter_languages: Vec<Option<String>>,
}

/// A course module.
pub type Module = ModuleRow;

impl ModuleRow {
    pub fn languages(&self) -> Vec<String> {
        self.interpreter_languages
            .iter()
            .flatten()
            .cloned()
            .collect()
    }

    pub fn hours(&self) -> String {
        hours(i64::from(self.minutes))
    }

    pub async fn for_course(
        conn: &mut AsyncPgConnection,
        course_id: i64,
    ) -> QueryResult<Vec<Module>> {
        course_modules::table
            .filter(course_modules::course_id.eq(course_id))
            .select(ModuleRow::as_select())
            .order((course_modules::position, course_modules::id))
            .load(conn)
            .await
    }

    /// A module and its course, if the course is in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<(Module, Course)> {
        let m: ModuleRow = course_modules::table
            .find(id)
            .select(ModuleRow::as_select())
            .first(conn)
            .await?;
        let c = Course::find(conn, scope, m.course_id).await?;
        Ok((m, c))
    }

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

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        course_id: i64,
        data: &ModuleData,
    ) -> AppResult<Module> {
        conn.transaction(async |conn| {
            let course = Course::find(conn, scope, course_id).await?;
            Self::check_date(&course, data.held_on)?;
            Topic::usable(conn, data.topic_id, course.programme_id).await?;
            let next: Option<i32> = course_modules::table
                .filter(course_modules::course_id.eq(course_id))
                .select(diesel::dsl::max(course_modules::position))
                .first(conn)
                .await?;
            let m: ModuleRow = diesel::insert_into(course_modules::table)
                .values((
                    course_modules::course_id.eq(course_id),
                    course_modules::position.eq(next.unwrap_or(0) + 1),
                    course_modules::title.eq(&data.title),
                    course_modules::topic_id.eq(data.topic_id),
                    course_modules::held_on.eq(data.held_on),
                    course_modules::minutes.eq(data.minutes),
                    course_modules::interpreter_languages.eq(data
                        .interpreter_languages
                        .iter()
                        .cloned()
                        .map(Some)
                        .collect::<Vec<_>>()),
                ))
                .returning(ModuleRow::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("course_module", m.id, Some(course.programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(m)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &ModuleData,
    ) -> AppResult<Module> {
        conn.transaction(async |conn| {
            let (old, course) = ModuleRow::find(conn, scope, id).await?;
            Self::check_date(&course, data.held_on)?;
            Topic::usable(conn, data.topic_id, course.programme_id).await?;
            if data.held_on.is_none() {
                let recorded: i64 = attendance::table
                    .filter(attendance::module_id.eq(id))
                    .count()
                    .get_result(conn)
                    .await?;
                if recorded > 0 {
                    return Err(AppError::field("held_on", "error-module-has-attendance"));
                }
            }
            let m: ModuleRow = diesel::update(course_modules::table.find(id))
                .set((
                    course_modules::title.eq(&data.title),
                    course_modules::topic_id.eq(data.topic_id),
                    course_modules::held_on.eq(data.held_on),
                    course_modules::minutes.eq(data.minutes),
                    course_modules::interpreter_languages.eq(data
                        .interpreter_languages
                        .iter()
                        .cloned()
                        .map(Some)
                        .collect::<Vec<_>>()),
                ))
                .returning(ModuleRow::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("course_module", id, Some(course.programme_id)),
                audit::changed(&old, &m),
            )
            .await?;
            Ok(m)
        })
        .await
    }

    /// Deletes a module that has no attendance yet.
    pub async fn delete(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
    ) -> AppResult<Module> {
        conn.transaction(async |conn| {
            let (m, course) = ModuleRow::find(conn, scope, id).await?;
            let recorded: i64 = attendance::table
                .filter(attendance::module_id.eq(id))
                .count()
                .get_result(conn)
                .await?;
            if recorded > 0 {
                return Err(AppError::Conflict("error-module-has-attendance"));
            }
            diesel::delete(course_modules::table.find(id))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "delete",
                Subject::of("course_module", id, Some(course.programme_id)),
                audit::deleted(&m),
            )
            .await?;
            Ok(m)
        })
        .await
    }
}

/// Minutes as hours for display: `90` -> `"1.5"`.
pub fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", minutes as f64 / 60.0)
    }
}
