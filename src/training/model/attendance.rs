//! Attendance per module, and the figures derived from it (training hours, the share attended).

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, Msg};
use crate::schema::{attendance, course_modules, enrolments, mothers};

use super::*;

// ------------------------------------------------------------ attendance

crate::text_enum! {
    /// A mother's attendance at a module.
    pub enum AttendanceStatus {
        Present = "present",
        Absent = "absent",
        Excused = "excused",
    }
}

/// One row of the attendance grid.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceRow {
    pub enrolment_id: i64,
    pub mother_id: i64,
    pub mother_name: String,
    /// `null` when not taken yet.
    pub status: Option<AttendanceStatus>,
}

/// Attendance of one module.
pub struct Attendance;

impl Attendance {
    /// Every mother enrolled in the module's course (not dropped out), with
    /// her attendance, by name.
    pub async fn grid(
        conn: &mut AsyncPgConnection,
        module: &Module,
    ) -> QueryResult<Vec<AttendanceRow>> {
        let rows: Vec<(i64, i64, String, Option<AttendanceStatus>)> = enrolments::table
            .inner_join(mothers::table.on(mothers::id.eq(enrolments::mother_id)))
            .left_join(
                attendance::table.on(attendance::enrolment_id
                    .eq(enrolments::id)
                    .and(attendance::module_id.eq(module.id))),
            )
            .filter(enrolments::course_id.eq(module.course_id))
            .filter(enrolments::status.ne(EnrolmentStatus::DroppedOut))
            .select((
                enrolments::id,
                mothers::id,
                mothers::full_name,
                attendance::status.nullable(),
            ))
            .order(crate::db::lower(mothers::full_name))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(enrolment_id, mother_id, mother_name, status)| AttendanceRow {
                    enrolment_id,
                    mother_id,
                    mother_name,
                    status,
                },
            )
            .collect())
    }

    /// Saves the attendance of a module: all or nothing. Only enrolled
    /// mothers of the course, only a scheduled module.
    pub async fn save(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        module_id: i64,
        entries: &[(i64, String)],
    ) -> AppResult<usize> {
        conn.transaction(async |conn| {
            let (module, course) = ModuleRow::find(conn, scope, module_id).await?;
            if module.held_on.is_none() {
                return Err(AppError::field("held_on", "error-module-not-scheduled"));
            }
            let enrolled: Vec<i64> = enrolments::table
                .filter(enrolments::course_id.eq(module.course_id))
                .filter(enrolments::status.ne(EnrolmentStatus::DroppedOut))
                .select(enrolments::id)
                .load(conn)
                .await?;
            let mut checked = Vec::with_capacity(entries.len());
            for (enrolment_id, status) in entries {
                if !enrolled.contains(enrolment_id) {
                    return Err(AppError::field(
                        "attendance",
                        Msg::new("error-not-enrolled").arg("id", enrolment_id),
                    ));
                }
                let Some(status) = AttendanceStatus::parse(status) else {
                    return Err(AppError::field("attendance", "error-attendance-status"));
                };
                checked.push((*enrolment_id, status));
            }
            for (enrolment_id, status) in &checked {
                diesel::insert_into(attendance::table)
                    .values((
                        attendance::enrolment_id.eq(enrolment_id),
                        attendance::module_id.eq(module_id),
                        attendance::status.eq(status),
                        attendance::recorded_by.eq(actor),
                    ))
                    .on_conflict((attendance::enrolment_id, attendance::module_id))
                    .do_update()
                    .set((
                        attendance::status.eq(status),
                        attendance::recorded_by.eq(actor),
                        attendance::updated_at.eq(diesel::dsl::now),
                    ))
                    .execute(conn)
                    .await?;
            }
            let count = |s| checked.iter().filter(|(_, x)| *x == s).count();
            audit::record(
                conn,
                actor,
                "record_attendance",
                Subject::of("course_module", module_id, Some(course.programme_id)),
                json!({"present": {"new": count(AttendanceStatus::Present)},
                       "absent": {"new": count(AttendanceStatus::Absent)},
                       "excused": {"new": count(AttendanceStatus::Excused)}}),
            )
            .await?;
            Ok(entries.len())
        })
        .await
    }
}

// ------------------------------------------------------- derived figures

/// Mothers trained per calendar year per programme: distinct mothers whose
/// completion falls in the year, for every year up to `up_to_year`.
/// Returns (programme id, year, count), by programme and year.
pub async fn mothers_trained_by_year(
    conn: &mut AsyncPgConnection,
    programme_ids: &[i64],
    up_to_year: i32,
) -> QueryResult<Vec<(i64, i32, i64)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        programme_id: i64,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        year: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT programme_id, EXTRACT(YEAR FROM completed_on)::int AS year, \
                count(DISTINCT mother_id) AS count \
         FROM enrolments \
         WHERE status = 'completed' AND programme_id = ANY($1) \
           AND completed_on < make_date($2 + 1, 1, 1) \
         GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(programme_ids)
    .bind::<diesel::sql_types::Integer, _>(up_to_year)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.programme_id, r.year, r.count))
        .collect())
}

/// Training minutes of a mother: the minutes of the modules she attended.
pub async fn training_minutes(conn: &mut AsyncPgConnection, mother_id: i64) -> QueryResult<i64> {
    let minutes: Option<i64> = attendance::table
        .inner_join(course_modules::table.on(course_modules::id.eq(attendance::module_id)))
        .inner_join(enrolments::table.on(enrolments::id.eq(attendance::enrolment_id)))
        .filter(enrolments::mother_id.eq(mother_id))
        .filter(attendance::status.eq(AttendanceStatus::Present))
        .select(diesel::dsl::sum(course_modules::minutes))
        .first(conn)
        .await?;
    Ok(minutes.unwrap_or(0))
}
