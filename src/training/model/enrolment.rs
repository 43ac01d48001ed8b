//! Enrolments: a mother in a course, her completion, certification or drop-out.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::{MotherId, ProgrammeId};
use crate::mothers::model::{Mother, MotherStatus};
use crate::mothers::ops::set_status;
use crate::programmes::model::Programme;
use crate::schema::{attendance, course_modules, courses, enrolments, mothers};

use super::*;

// ------------------------------------------------------------ enrolments

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
    pub id: i64,
    pub programme_id: i64,
    pub course_id: i64,
    pub mother_id: i64,
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

pub const ENROLMENT_KEY: &str = "enrolments_course_mother_key";

impl Enrolment {
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Enrolment> {
        let e: Enrolment = enrolments::table
            .find(id)
            .select(Enrolment::as_select())
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(e.programme_id), e)
    }

    /// The enrolment, its row locked until the transaction ends: of two
    /// completions or drop-outs at once, the second sees the first's result.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Enrolment> {
        let e: Enrolment = enrolments::table
            .find(id)
            .select(Enrolment::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(e.programme_id), e)
    }

    /// Enrols a mother of the course's programme; an applicant moves to
    /// "in training".
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        course_id: i64,
        mother_id: i64,
        enrolled_on: NaiveDate,
    ) -> AppResult<Enrolment> {
        conn.transaction(async |conn| {
            let course = Course::find(conn, scope, course_id).await?;
            let mother = match Mother::find_for_update(conn, scope, MotherId(mother_id)).await {
                Ok(m) => m,
                Err(diesel::NotFound) => {
                    return Err(AppError::field("mother_id", "error-mother-unknown"));
                }
                Err(e) => return Err(e.into()),
            };
            if mother.programme_id.0 != course.programme_id {
                return Err(AppError::field("mother_id", "error-mother-other-programme"));
            }
            if enrolled_on > course.ends_on {
                return Err(AppError::field(
                    "enrolled_on",
                    "error-enrolled-after-course",
                ));
            }
            let e: Enrolment = diesel::insert_into(enrolments::table)
                .values((
                    enrolments::programme_id.eq(course.programme_id),
                    enrolments::course_id.eq(course_id),
                    enrolments::mother_id.eq(mother_id),
                    enrolments::enrolled_on.eq(enrolled_on),
                ))
                .returning(Enrolment::as_returning())
                .get_result(conn)
                .await
                .map_err(|e| match crate::error::constraint_name(&e) {
                    Some(ENROLMENT_KEY) => AppError::field("mother_id", "error-already-enrolled"),
                    _ => e.into(),
                })?;
            if mother.status == MotherStatus::Applicant {
                set_status(
                    conn,
                    actor,
                    &mother,
                    MotherStatus::InTraining,
                    enrolled_on,
                    "",
                )
                .await?;
            }
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("enrolment", e.id, Some(course.programme_id)),
                json!({"course_id": {"new": course_id}, "mother_id": {"new": mother_id},
                       "enrolled_on": {"new": enrolled_on}}),
            )
            .await?;
            Ok(e)
        })
        .await
    }

    /// The enrolments of a course with attendance counts, by name.
    pub async fn for_course(
        conn: &mut AsyncPgConnection,
        course_id: i64,
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
        mother_id: i64,
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

    /// Records completion (and certification). Allowed only when she
    /// attended the programme's share of the modules, and not before the
    /// last module she attended. A mother who completes becomes certified.
    pub async fn complete(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        completed_on: NaiveDate,
        certified_on: NaiveDate,
    ) -> AppResult<Enrolment> {
        conn.transaction(async |conn| {
            let e = Enrolment::find_for_update(conn, scope, id).await?;
            if e.status != EnrolmentStatus::Enrolled {
                return Err(AppError::Conflict("error-enrolment-closed"));
            }
            let programme = Programme::find(conn, scope, ProgrammeId(e.programme_id)).await?;
            let summary = summarise(conn, vec![(e.clone(), String::new())])
                .await?
                .remove(0);
            let needed = i64::from(programme.completion_threshold_percent);
            if summary.modules == 0 || summary.attended * 100 < needed * summary.modules {
                return Err(AppError::field(
                    "completed_on",
                    Msg::new("error-attendance-below-threshold")
                        .arg("attended", summary.attended)
                        .arg("modules", summary.modules)
                        .arg("percent", summary.percent())
                        .arg("needed", needed),
                ));
            }
            let last_attended: Option<NaiveDate> = attendance::table
                .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
                .filter(attendance::enrolment_id.eq(id))
                .filter(attendance::status.eq(AttendanceStatus::Present))
                .select(diesel::dsl::max(course_modules::held_on))
                .first(conn)
                .await?;
            if let Some(last) = last_attended
                && completed_on < last
            {
                return Err(AppError::field(
                    "completed_on",
                    Msg::new("error-completed-before-last-module").arg("date", last),
                ));
            }
            if completed_on < e.enrolled_on {
                return Err(AppError::field(
                    "completed_on",
                    "error-completed-before-enrolment",
                ));
            }
            if certified_on < completed_on {
                return Err(AppError::field(
                    "certified_on",
                    "error-certified-before-completion",
                ));
            }
            let updated: Enrolment = diesel::update(enrolments::table.find(id))
                .set((
                    enrolments::status.eq(EnrolmentStatus::Completed),
                    enrolments::completed_on.eq(completed_on),
                    enrolments::certified_on.eq(certified_on),
                ))
                .returning(Enrolment::as_returning())
                .get_result(conn)
                .await?;
            let mother = Mother::find_for_update(conn, scope, MotherId(e.mother_id)).await?;
            if matches!(
                mother.status,
                MotherStatus::Applicant | MotherStatus::InTraining
            ) {
                set_status(
                    conn,
                    actor,
                    &mother,
                    MotherStatus::Certified,
                    certified_on,
                    "",
                )
                .await?;
            }
            audit::record(
                conn,
                actor,
                "complete",
                Subject::of("enrolment", id, Some(e.programme_id)),
                audit::changed(&e, &updated),
            )
            .await?;
            Ok(updated)
        })
        .await
    }

    /// Records a drop-out with its date and reason.
    pub async fn drop_out(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> AppResult<Enrolment> {
        conn.transaction(async |conn| {
            let e = Enrolment::find_for_update(conn, scope, id).await?;
            if e.status != EnrolmentStatus::Enrolled {
                return Err(AppError::Conflict("error-enrolment-closed"));
            }
            if on < e.enrolled_on {
                return Err(AppError::field(
                    "dropped_out_on",
                    "error-dropped-before-enrolment",
                ));
            }
            let updated: Enrolment = diesel::update(enrolments::table.find(id))
                .set((
                    enrolments::status.eq(EnrolmentStatus::DroppedOut),
                    enrolments::dropped_out_on.eq(on),
                    enrolments::drop_out_reason.eq(reason),
                ))
                .returning(Enrolment::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "drop_out",
                Subject::of("enrolment", id, Some(e.programme_id)),
                audit::changed(&e, &updated),
            )
            .await?;
            Ok(updated)
        })
        .await
    }
}

/// Adds attendance counts to enrolments (one query for all of them).
pub(crate) async fn summarise(
    conn: &mut AsyncPgConnection,
    rows: Vec<(Enrolment, String)>,
) -> QueryResult<Vec<EnrolmentSummary>> {
    let enrolment_ids: Vec<i64> = rows.iter().map(|(e, _)| e.id).collect();
    let course_ids: Vec<i64> = rows.iter().map(|(e, _)| e.course_id).collect();
    let present: Vec<(i64, i64, Option<i64>)> = attendance::table
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
    let modules: Vec<(i64, i64)> = course_modules::table
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
