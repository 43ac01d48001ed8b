//! Enrolment, completion (with certification) and drop-out, and the
//! mother's status that follows them.

use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult, Msg, constraint_name};
use crate::ids::{CourseId, EnrolmentId};
use crate::mothers::model::{Mother, MotherStatus};
use crate::mothers::ops::set_status;
use crate::programmes::model::Programme;
use crate::training::input::{CompletionInput, DropOutInput, EnrolmentInput, ReopenInput};
use crate::training::model::{Course, ENROLMENT_KEY, Enrolment, EnrolmentStatus};

/// Enrols a mother of the course's programme (once, and not after the
/// course ended; the date is `today` when not given). An applicant moves
/// to "in training".
pub async fn enrol(
    conn: &mut AsyncPgConnection,
    access: &Access,
    course_id: CourseId,
    input: &EnrolmentInput,
    today: NaiveDate,
) -> AppResult<Enrolment> {
    conn.transaction(async |conn| {
        let course = Course::find(conn, &access.scope, course_id).await?;
        let (mother_id, enrolled_on) = input.validate(today).map_err(AppError::Validation)?;
        let mother = match Mother::find_for_update(conn, &access.scope, mother_id).await {
            Ok(m) => m,
            Err(diesel::NotFound) => {
                return Err(AppError::field("mother_id", "error-mother-unknown"));
            }
            Err(e) => return Err(e.into()),
        };
        if mother.programme_id != course.programme_id {
            return Err(AppError::field("mother_id", "error-mother-other-programme"));
        }
        if enrolled_on > course.ends_on {
            return Err(AppError::field(
                "enrolled_on",
                "error-enrolled-after-course",
            ));
        }
        let e = Enrolment::insert(conn, &course, mother_id, enrolled_on)
            .await
            .map_err(|e| match constraint_name(&e) {
                Some(ENROLMENT_KEY) => AppError::field("mother_id", "error-already-enrolled"),
                _ => e.into(),
            })?;
        if mother.status == MotherStatus::Applicant {
            set_status(
                conn,
                access.actor,
                &mother,
                MotherStatus::InTraining,
                enrolled_on,
                "",
            )
            .await?;
        }
        audit::record(
            conn,
            access.actor,
            "create",
            Enrolment::subject(e.id, course.programme_id),
            json!({"course_id": {"new": course_id}, "mother_id": {"new": mother_id},
                   "enrolled_on": {"new": enrolled_on}}),
        )
        .await?;
        Ok(e)
    })
    .await
}

/// Records completion and certification (the certification date is the
/// completion date when not given). Allowed only on an open enrolment
/// (else `Conflict`), when she attended the programme's share of the
/// modules, and not before the last module she attended. A mother who
/// completes becomes certified.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: EnrolmentId,
    input: &CompletionInput,
) -> AppResult<Enrolment> {
    conn.transaction(async |conn| {
        let e = Enrolment::find_for_update(conn, &access.scope, id).await?;
        let (completed_on, certified_on) = input.validate().map_err(AppError::Validation)?;
        if e.status != EnrolmentStatus::Enrolled {
            return Err(AppError::Conflict("error-enrolment-closed"));
        }
        let programme = Programme::find(conn, &access.scope, e.programme_id).await?;
        let summary = e.summary(conn).await?;
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
        if let Some(last) = Enrolment::last_attended(conn, id).await?
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
        let updated = Enrolment::set_completed(conn, id, completed_on, certified_on).await?;
        let mother = Mother::find_for_update(conn, &access.scope, e.mother_id).await?;
        if matches!(
            mother.status,
            MotherStatus::Applicant | MotherStatus::InTraining
        ) {
            set_status(
                conn,
                access.actor,
                &mother,
                MotherStatus::Certified,
                certified_on,
                "",
            )
            .await?;
        }
        audit::record(
            conn,
            access.actor,
            "complete",
            Enrolment::subject(id, e.programme_id),
            audit::changed(&e, &updated),
        )
        .await?;
        Ok(updated)
    })
    .await
}

/// Records a drop-out with its date and reason; only an open enrolment
/// (else `Conflict`), not before she enrolled.
pub async fn drop_out(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: EnrolmentId,
    input: &DropOutInput,
) -> AppResult<Enrolment> {
    conn.transaction(async |conn| {
        let e = Enrolment::find_for_update(conn, &access.scope, id).await?;
        let (on, reason) = input.validate().map_err(AppError::Validation)?;
        if e.status != EnrolmentStatus::Enrolled {
            return Err(AppError::Conflict("error-enrolment-closed"));
        }
        if on < e.enrolled_on {
            return Err(AppError::field(
                "dropped_out_on",
                "error-dropped-before-enrolment",
            ));
        }
        let updated = Enrolment::set_dropped_out(conn, id, on, &reason).await?;
        audit::record(
            conn,
            access.actor,
            "drop_out",
            Enrolment::subject(id, e.programme_id),
            audit::changed(&e, &updated),
        )
        .await?;
        Ok(updated)
    })
    .await
}

/// Undoes a completion or drop-out recorded by mistake, with a reason: the
/// enrolment is open again. A mother certified by that completion alone
/// (still certified, no other course completed) is in training again, and
/// her status history says why. Only a closed enrolment (else `Conflict`).
pub async fn reopen(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: EnrolmentId,
    input: &ReopenInput,
    today: NaiveDate,
) -> AppResult<Enrolment> {
    conn.transaction(async |conn| {
        let e = Enrolment::find_for_update(conn, &access.scope, id).await?;
        let reason = input.validate().map_err(AppError::Validation)?;
        if e.status == EnrolmentStatus::Enrolled {
            return Err(AppError::Conflict("error-enrolment-open"));
        }
        let updated = Enrolment::set_enrolled(conn, id).await?;
        if e.status == EnrolmentStatus::Completed {
            let mother = Mother::find_for_update(conn, &access.scope, e.mother_id).await?;
            if mother.status == MotherStatus::Certified
                && Enrolment::other_completions(conn, e.mother_id, id).await? == 0
            {
                set_status(
                    conn,
                    access.actor,
                    &mother,
                    MotherStatus::InTraining,
                    today,
                    &reason,
                )
                .await?;
            }
        }
        let mut changes = audit::changed(&e, &updated);
        if let Some(o) = changes.as_object_mut() {
            o.insert("reason".into(), serde_json::json!({ "new": reason }));
        }
        audit::record(
            conn,
            access.actor,
            "undo_close",
            Enrolment::subject(id, e.programme_id),
            changes,
        )
        .await?;
        Ok(updated)
    })
    .await
}
