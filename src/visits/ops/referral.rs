//! Referrals: their outcome (done, not taken up) with a day and a note,
//! and reopening one recorded by mistake.

use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::ReferralId;
use crate::visits::input::{DoneInput, OutcomeInput};
use crate::visits::model::{Referral, ReferralStatus};

/// Marks a referral done on the day given (empty: `today`). Marking a
/// referral that already has an outcome changes nothing (two "done" at
/// once record it, and its audit row, once).
pub async fn mark_done(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ReferralId,
    input: &DoneInput,
    today: NaiveDate,
) -> AppResult<Referral> {
    let outcome = OutcomeInput {
        status: ReferralStatus::Done.to_string(),
        done_on: input.done_on.clone(),
        note: None,
    };
    set_outcome(conn, access, id, &outcome, today, false).await
}

/// Records a referral's outcome, or reopens it (`status: open`). The day
/// is not before its visit nor in the future. Locked: of two changes at
/// once, the second sees the first. `overwrite: false` leaves an outcome
/// already recorded as it is.
pub async fn set_outcome(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ReferralId,
    input: &OutcomeInput,
    today: NaiveDate,
    overwrite: bool,
) -> AppResult<Referral> {
    conn.transaction(async |conn| {
        // Another programme's referral is not found, whatever was sent.
        let r = Referral::find_for_update(conn, id).await?;
        access.scope.check(r.programme_id)?;
        let (status, on, note) = input.validate(today).map_err(AppError::Validation)?;
        if !overwrite && r.status != ReferralStatus::Open {
            return Ok(r);
        }
        if let Some(on) = on
            && on < Referral::visited_on(conn, r.visit_id).await?
        {
            return Err(AppError::field("done_on", "error-done-before-visit"));
        }
        let new = Referral::set_outcome(conn, id, status, on, &note).await?;
        let action = match status {
            _ if status == r.status => "update",
            ReferralStatus::Open => "reopen",
            ReferralStatus::Done => "done",
            ReferralStatus::NotTakenUp => "not_taken_up",
        };
        let mut changes = audit::changed(&r, &new);
        // Only that the note changed: it may name people.
        if let Some(o) = changes.as_object_mut()
            && o.contains_key("outcome_note")
        {
            o.insert("outcome_note".into(), serde_json::json!({"changed": true}));
        }
        audit::record(
            conn,
            access.actor,
            action,
            Subject::of("referral", id.0, Some(r.programme_id.0)),
            changes,
        )
        .await?;
        Ok(new)
    })
    .await
}
