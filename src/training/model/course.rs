//! Courses: rows and queries (their modules are in `module.rs`).

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::{ProgrammeScope, Role};
use crate::ids::{CourseId, ProgrammeId, UserId};
use crate::schema::{course_modules, courses, enrolments, user_programmes, users};

use super::EnrolmentStatus;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = courses, check_for_backend(diesel::pg::Pg))]
pub struct Course {
    #[schema(value_type = i64)]
    pub id: CourseId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    pub name: String,
    #[schema(value_type = i64)]
    pub trainer_id: UserId,
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
    pub trainer_id: UserId,
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

/// The unique index on course names within a programme.
pub const COURSE_NAME_KEY: &str = "courses_name_key";

impl Course {
    pub(crate) fn subject(id: CourseId, programme_id: ProgrammeId) -> Subject {
        Subject::of("course", id.0, Some(programme_id.0))
    }

    /// The courses in `scope` (of one programme, if given), newest first,
    /// with their counts.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<ProgrammeId>,
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
        let course_ids: Vec<CourseId> = rows.iter().map(|(c, _)| c.id).collect();
        let module_counts: Vec<(CourseId, i64)> = course_modules::table
            .filter(course_modules::course_id.eq_any(&course_ids))
            .group_by(course_modules::course_id)
            .select((course_modules::course_id, diesel::dsl::count_star()))
            .load(conn)
            .await?;
        let enrol_counts: Vec<(CourseId, EnrolmentStatus, i64)> = enrolments::table
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

    /// One course, if its programme is in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: CourseId,
    ) -> QueryResult<Course> {
        let c: Course = courses::table
            .find(id)
            .select(Course::as_select())
            .first(conn)
            .await?;
        scope.visible(c.programme_id, c)
    }

    /// One course, if its programme is in `scope`, locked for the rest of
    /// the transaction: a change to it or to its list of modules waits for
    /// another one in progress.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: CourseId,
    ) -> QueryResult<Course> {
        let c: Course = courses::table
            .find(id)
            .select(Course::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(c.programme_id, c)
    }

    /// Users who may train courses of a programme: its active trainers, by
    /// name, as (user id, display name).
    pub async fn trainers(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<(UserId, String)>> {
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

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &CourseData,
    ) -> QueryResult<Course> {
        diesel::insert_into(courses::table)
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
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: CourseId,
        data: &CourseData,
    ) -> QueryResult<Course> {
        diesel::update(courses::table.find(id))
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
    }

    /// How many of the course's modules are scheduled outside these dates.
    pub async fn modules_outside(
        conn: &mut AsyncPgConnection,
        id: CourseId,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
    ) -> QueryResult<i64> {
        course_modules::table
            .filter(course_modules::course_id.eq(id))
            .filter(
                course_modules::held_on
                    .lt(starts_on)
                    .or(course_modules::held_on.gt(ends_on)),
            )
            .count()
            .get_result(conn)
            .await
    }
}
