//! Referrals: marking one done (the worklist's one change).

use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::ReferralId;
use crate::visits::input::DoneInput;
use crate::visits::model::{Referral, ReferralStatus};

/// Marks a referral done on the day given (empty: `today`), not before
/// its visit. Locked: two "done" at once record it (and its audit row)
/// once; marking it again changes nothing.
pub async fn mark_done(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ReferralId,
    input: &DoneInput,
    today: chrono::NaiveDate,
) -> AppResult<Referral> {
    let on = input.validate(today).map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        let r = Referral::find_for_update(conn, id).await?;
        access.scope.check(r.programme_id)?;
        if r.status == ReferralStatus::Done {
            return Ok(r);
        }
        if on < Referral::visited_on(conn, r.visit_id).await? {
            return Err(AppError::field("done_on", "error-done-before-visit"));
        }
        let new = Referral::set_done(conn, id, on).await?;
        audit::record(
            conn,
            access.actor,
            "done",
            Subject::of("referral", id.0, Some(r.programme_id.0)),
            audit::changed(&r, &new),
        )
        .await?;
        Ok(new)
    })
    .await
}
