//! Taking attendance at a module.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ModuleId;
use crate::training::input::AttendanceInput;
use crate::training::model::{Attendance, AttendanceStatus, Course, Enrolment, Module};

/// Saves the attendance of a module: all entries or none. Only a scheduled
/// module, only mothers enrolled in its course (not dropped out), only the
/// known statuses; the entries are checked in order and the first bad one
/// is reported. Returns the module and its course.
pub async fn save_attendance(
    conn: &mut AsyncPgConnection,
    access: &Access,
    module_id: ModuleId,
    input: &AttendanceInput,
) -> AppResult<(Module, Course)> {
    conn.transaction(async |conn| {
        let (module, course) = Module::find_for_update(conn, &access.scope, module_id).await?;
        if module.held_on.is_none() {
            return Err(AppError::field("held_on", "error-module-not-scheduled"));
        }
        let enrolled = Enrolment::open_ids(conn, module.course_id).await?;
        let mut checked = Vec::with_capacity(input.entries.len());
        for entry in &input.entries {
            if !enrolled.contains(&entry.enrolment_id) {
                return Err(AppError::field(
                    "attendance",
                    Msg::new("error-not-enrolled").arg("id", entry.enrolment_id),
                ));
            }
            let Some(status) = AttendanceStatus::parse(&entry.status) else {
                return Err(AppError::field(
                    "attendance",
                    crate::error::Msg::choice_of("error-attendance-status", &AttendanceStatus::ALL),
                ));
            };
            checked.push((entry.enrolment_id, status));
        }
        for (enrolment_id, status) in &checked {
            Attendance::upsert(conn, access.actor, module_id, *enrolment_id, *status).await?;
        }
        let count = |s| checked.iter().filter(|(_, x)| *x == s).count();
        audit::record(
            conn,
            access.actor,
            "record_attendance",
            Module::subject(module_id, course.programme_id),
            json!({"present": {"new": count(AttendanceStatus::Present)},
                   "absent": {"new": count(AttendanceStatus::Absent)},
                   "excused": {"new": count(AttendanceStatus::Excused)}}),
        )
        .await?;
        Ok((module, course))
    })
    .await
}
