//! Enrolments (a mother in a course, her completion, certification or
//! drop-out): rows and queries.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{CourseId, EnrolmentId, MotherId, ProgrammeId};
use crate::schema::{attendance, course_modules, courses, enrolments, mothers};

use super::{AttendanceStatus, Course};

crate::text_enum! {
    /// Where an enrolment stands: enrolled until completed or dropped out.
    pub enum EnrolmentStatus {
        Enrolled = "enrolled",
        Completed = "completed",
        DroppedOut = "dropped_out",
    }
}

impl EnrolmentStatus {
    /// Still open: it may be completed or dropped out.
    pub fn is_enrolled(self) -> bool {
        self == EnrolmentStatus::Enrolled
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = enrolments, check_for_backend(diesel::pg::Pg))]
pub struct Enrolment {
    #[schema(value_type = i64)]
    pub id: EnrolmentId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = i64)]
    pub course_id: CourseId,
    #[schema(value_type = i64)]
    pub mother_id: MotherId,
    pub enrolled_on: NaiveDate,
    pub status: EnrolmentStatus,
    pub completed_on: Option<NaiveDate>,
    pub certified_on: Option<NaiveDate>,
    pub dropped_out_on: Option<NaiveDate>,
    pub drop_out_reason: Option<String>,
}

/// An enrolment with the mother's name and her attendance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentSummary {
    #[serde(flatten)]
    pub enrolment: Enrolment,
    pub mother_name: String,
    /// Modules she attended (present).
    pub attended: i64,
    /// The course's modules.
    pub modules: i64,
    /// Minutes of the modules she attended.
    pub minutes_attended: i64,
}

impl EnrolmentSummary {
    pub fn percent(&self) -> i64 {
        if self.modules == 0 {
            0
        } else {
            self.attended * 100 / self.modules
        }
    }
}

/// An enrolment of a mother, with the course's name (for her profile).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MotherCourse {
    #[serde(flatten)]
    pub summary: EnrolmentSummary,
    pub course_name: String,
}

/// The unique index on (course, mother).
pub const ENROLMENT_KEY: &str = "enrolments_course_mother_key";

impl Enrolment {
    pub(crate) fn subject(id: EnrolmentId, programme_id: ProgrammeId) -> Subject {
        Subject::of("enrolment", id.0, Some(programme_id.0))
    }

    /// One enrolment, if its programme is in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: EnrolmentId,
    ) -> QueryResult<Enrolment> {
        let e: Enrolment = enrolments::table
            .find(id)
            .select(Enrolment::as_select())
            .first(conn)
            .await?;
        scope.visible(e.programme_id, e)
    }

    /// The enrolment, its row locked until the transaction ends: of two
    /// completions or drop-outs at once, the second sees the first's result.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: EnrolmentId,
    ) -> QueryResult<Enrolment> {
        let e: Enrolment = enrolments::table
            .find(id)
            .select(Enrolment::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(e.programme_id, e)
    }

    /// Enrols a mother in a course of her programme; the course and mother
    /// pair is unique ([`ENROLMENT_KEY`]).
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        course: &Course,
        mother_id: MotherId,
        enrolled_on: NaiveDate,
    ) -> QueryResult<Enrolment> {
        diesel::insert_into(enrolments::table)
            .values((
                enrolments::programme_id.eq(course.programme_id),
                enrolments::course_id.eq(course.id),
                enrolments::mother_id.eq(mother_id),
                enrolments::enrolled_on.eq(enrolled_on),
            ))
            .returning(Enrolment::as_returning())
            .get_result(conn)
            .await
    }

    /// The ids of a course's enrolments that have not dropped out.
    pub async fn open_ids(
        conn: &mut AsyncPgConnection,
        course_id: CourseId,
    ) -> QueryResult<Vec<EnrolmentId>> {
        enrolments::table
            .filter(enrolments::course_id.eq(course_id))
            .filter(enrolments::status.ne(EnrolmentStatus::DroppedOut))
            .select(enrolments::id)
            .load(conn)
            .await
    }

    /// The enrolments of a course with attendance counts, by name.
    pub async fn for_course(
        conn: &mut AsyncPgConnection,
        course_id: CourseId,
    ) -> QueryResult<Vec<EnrolmentSummary>> {
        let rows: Vec<(Enrolment, String)> = enrolments::table
            .inner_join(mothers::table.on(mothers::id.eq(enrolments::mother_id)))
            .filter(enrolments::course_id.eq(course_id))
            .select((Enrolment::as_select(), mothers::full_name))
            .order(crate::db::lower(mothers::full_name))
            .load(conn)
            .await?;
        summarise(conn, rows).await
    }

    /// A mother's enrolments with their courses, newest course first.
    pub async fn for_mother(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
    ) -> QueryResult<Vec<MotherCourse>> {
        let rows: Vec<(Enrolment, String, String)> = enrolments::table
            .inner_join(mothers::table.on(mothers::id.eq(enrolments::mother_id)))
            .inner_join(courses::table.on(courses::id.eq(enrolments::course_id)))
            .filter(enrolments::mother_id.eq(mother_id))
            .select((Enrolment::as_select(), mothers::full_name, courses::name))
            .order(courses::starts_on.desc())
            .load(conn)
            .await?;
        let names: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
        let summaries = summarise(conn, rows.into_iter().map(|(e, m, _)| (e, m)).collect()).await?;
        Ok(summaries
            .into_iter()
            .zip(names)
            .map(|(summary, course_name)| MotherCourse {
                summary,
                course_name,
            })
            .collect())
    }

    /// The enrolment's attendance counts.
    pub async fn summary(&self, conn: &mut AsyncPgConnection) -> QueryResult<EnrolmentSummary> {
        let mut v = summarise(conn, vec![(self.clone(), String::new())]).await?;
        Ok(v.remove(0))
    }

    /// The date of the last module she attended (present), if any.
    pub async fn last_attended(
        conn: &mut AsyncPgConnection,
        id: EnrolmentId,
    ) -> QueryResult<Option<NaiveDate>> {
        attendance::table
            .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
            .filter(attendance::enrolment_id.eq(id))
            .filter(attendance::status.eq(AttendanceStatus::Present))
            .select(diesel::dsl::max(course_modules::held_on))
            .first(conn)
            .await
    }

    /// Marks the enrolment completed and certified on these dates.
    pub async fn set_completed(
        conn: &mut AsyncPgConnection,
        id: EnrolmentId,
        completed_on: NaiveDate,
        certified_on: NaiveDate,
    ) -> QueryResult<Enrolment> {
        diesel::update(enrolments::table.find(id))
            .set((
                enrolments::status.eq(EnrolmentStatus::Completed),
                enrolments::completed_on.eq(completed_on),
                enrolments::certified_on.eq(certified_on),
            ))
            .returning(Enrolment::as_returning())
            .get_result(conn)
            .await
    }

    /// Opens a completed or dropped-out enrolment again (a completion or
    /// drop-out recorded by mistake): its dates and reason are cleared.
    pub async fn set_enrolled(
        conn: &mut AsyncPgConnection,
        id: EnrolmentId,
    ) -> QueryResult<Enrolment> {
        diesel::update(enrolments::table.find(id))
            .set((
                enrolments::status.eq(EnrolmentStatus::Enrolled),
                enrolments::completed_on.eq(None::<NaiveDate>),
                enrolments::certified_on.eq(None::<NaiveDate>),
                enrolments::dropped_out_on.eq(None::<NaiveDate>),
                enrolments::drop_out_reason.eq(None::<String>),
            ))
            .returning(Enrolment::as_returning())
            .get_result(conn)
            .await
    }

    /// How many of the mother's other enrolments are completed.
    pub async fn other_completions(
        conn: &mut AsyncPgConnection,
        mother_id: MotherId,
        except: EnrolmentId,
    ) -> QueryResult<i64> {
        enrolments::table
            .filter(enrolments::mother_id.eq(mother_id))
            .filter(enrolments::id.ne(except))
            .filter(enrolments::status.eq(EnrolmentStatus::Completed))
            .count()
            .get_result(conn)
            .await
    }

    /// Marks the enrolment dropped out on a date, for a reason.
    pub async fn set_dropped_out(
        conn: &mut AsyncPgConnection,
        id: EnrolmentId,
        on: NaiveDate,
        reason: &str,
    ) -> QueryResult<Enrolment> {
        diesel::update(enrolments::table.find(id))
            .set((
                enrolments::status.eq(EnrolmentStatus::DroppedOut),
                enrolments::dropped_out_on.eq(on),
                enrolments::drop_out_reason.eq(reason),
            ))
            .returning(Enrolment::as_returning())
            .get_result(conn)
            .await
    }
}

/// Adds attendance counts to enrolments (one query for all of them).
async fn summarise(
    conn: &mut AsyncPgConnection,
    rows: Vec<(Enrolment, String)>,
) -> QueryResult<Vec<EnrolmentSummary>> {
    let enrolment_ids: Vec<EnrolmentId> = rows.iter().map(|(e, _)| e.id).collect();
    let course_ids: Vec<CourseId> = rows.iter().map(|(e, _)| e.course_id).collect();
    let present: Vec<(EnrolmentId, i64, Option<i64>)> = attendance::table
        .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
        .filter(attendance::enrolment_id.eq_any(&enrolment_ids))
        .filter(attendance::status.eq(AttendanceStatus::Present))
        .group_by(attendance::enrolment_id)
        .select((
            attendance::enrolment_id,
            diesel::dsl::count_star(),
            diesel::dsl::sum(course_modules::minutes),
        ))
        .load(conn)
        .await?;
    let modules: Vec<(CourseId, i64)> = course_modules::table
        .filter(course_modules::course_id.eq_any(&course_ids))
        .group_by(course_modules::course_id)
        .select((course_modules::course_id, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(enrolment, mother_name)| {
            let (attended, minutes) = present
                .iter()
                .find(|(id, _, _)| *id == enrolment.id)
                .map_or((0, 0), |(_, n, m)| (*n, m.unwrap_or(0)));
            EnrolmentSummary {
                modules: modules
                    .iter()
                    .find(|(c, _)| *c == enrolment.course_id)
                    .map_or(0, |(_, n)| *n),
                attended,
                minutes_attended: minutes,
                mother_name,
                enrolment,
            }
        })
        .collect())
}
