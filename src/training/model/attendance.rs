//! Attendance per module (rows and queries), and the figures derived from
//! it (training hours, mothers trained per year).

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Actor;
use crate::ids::{EnrolmentId, ModuleId, MotherId};
use crate::schema::{attendance, course_modules, enrolments, mothers};

use super::{EnrolmentStatus, Module};

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
    #[schema(value_type = i64)]
    pub enrolment_id: EnrolmentId,
    #[schema(value_type = i64)]
    pub mother_id: MotherId,
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
        let rows: Vec<(EnrolmentId, MotherId, String, Option<AttendanceStatus>)> =
            enrolments::table
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

    /// One enrolment's attendance, by module (a mother's own view).
    pub async fn of_enrolment(
        conn: &mut AsyncPgConnection,
        enrolment: EnrolmentId,
    ) -> QueryResult<Vec<(ModuleId, AttendanceStatus)>> {
        attendance::table
            .filter(attendance::enrolment_id.eq(enrolment))
            .select((attendance::module_id, attendance::status))
            .load(conn)
            .await
    }

    /// How many attendance entries the module has.
    pub async fn count_for_module(
        conn: &mut AsyncPgConnection,
        module_id: ModuleId,
    ) -> QueryResult<i64> {
        attendance::table
            .filter(attendance::module_id.eq(module_id))
            .count()
            .get_result(conn)
            .await
    }

    /// Records (or replaces) one mother's attendance at a module.
    pub async fn upsert(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        module_id: ModuleId,
        enrolment_id: EnrolmentId,
        status: AttendanceStatus,
    ) -> QueryResult<usize> {
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
