//! The monthly allowance run: creating the month's draft payments, changing
//! their amounts (the review form) and confirming them.

use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use super::{funding_error, programme_for};
use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult, Msg};
use crate::funding::input::{AllowanceRunInput, RunReviewInput};
use crate::funding::model::{AllowanceRun, Expense, ExpenseStatus, month_start};
use crate::ids::{ExpenseId, ProgrammeId};
use crate::money::{self, AmountError};
use crate::programmes::model::Programme;

/// What saving the review form did.
#[derive(Debug)]
pub enum ReviewOutcome {
    /// The amounts are saved.
    Saved,
    /// The amounts are saved and the run confirmed (or it was already).
    Confirmed,
    /// This amount (as typed) was not read; the ones before it are saved.
    BadAmount(AmountError, String),
}

/// Creates the month's allowance payments, as drafts, from the monthly
/// allowances of the mothers who are paid one and are in training,
/// certified or active. A second run for the same month is refused.
pub async fn create_run(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &AllowanceRunInput,
) -> AppResult<AllowanceRun> {
    let (programme_id, month, grant_id) = input.validate().map_err(AppError::Validation)?;
    let month = month_start(month);
    conn.transaction(async |conn| {
        let programme = programme_for(conn, &access.scope, Some(programme_id)).await?;
        if !AllowanceRun::insert(conn, programme_id, month, access.actor).await? {
            return Err(AppError::field(
                "month",
                Msg::new("error-allowance-run-exists").arg("month", month.format("%Y-%m")),
            ));
        }
        let paid = AllowanceRun::paid_mothers(conn, programme_id).await?;
        AllowanceRun::insert_payments(
            conn,
            programme_id,
            month,
            &programme.currency,
            grant_id,
            &paid,
        )
        .await
        .map_err(funding_error)?;
        audit::record(
            conn,
            access.actor,
            "allowance_run",
            AllowanceRun::subject(programme_id),
            json!({"month": {"new": month}, "payments": {"new": paid.len()}}),
        )
        .await?;
        Ok(AllowanceRun::find(conn, &access.scope, programme_id, month).await?)
    })
    .await
}

/// Confirms the month's drafts: they count as spent from now on. A run
/// confirmed already is a conflict (409).
pub async fn confirm_run(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    month: NaiveDate,
) -> AppResult<AllowanceRun> {
    conn.transaction(async |conn| confirm(conn, access, programme_id, month).await)
        .await
}

/// Saves the amounts of the review form, payment by payment, and then
/// confirms the run when asked (a run confirmed meanwhile stays as it is).
/// A confirmed payment whose amount is changed is a conflict (409).
pub async fn review_run(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    month: NaiveDate,
    input: &RunReviewInput,
) -> AppResult<ReviewOutcome> {
    conn.transaction(async |conn| {
        let programme = Programme::find(conn, &access.scope, programme_id).await?;
        // The run's row is locked first, as a confirmation locks it before
        // the payments: the two wait for each other, never deadlock.
        AllowanceRun::confirmed_at_for_update(conn, programme_id, month).await?;
        let run = AllowanceRun::find(conn, &access.scope, programme_id, month).await?;
        let exp = money::exponent(&programme.currency);
        for p in &run.payments {
            let Some(v) = input.amount(p.id) else {
                continue;
            };
            let minor = match money::parse(v, exp) {
                Ok(minor) => minor,
                Err(e) => return Ok(ReviewOutcome::BadAmount(e, v.to_owned())),
            };
            if minor != p.amount_minor {
                set_amount(conn, access, p.id, minor).await?;
            }
        }
        if !input.confirm() {
            return Ok(ReviewOutcome::Saved);
        }
        match confirm(conn, access, programme_id, month).await {
            Ok(_) | Err(AppError::Conflict(_)) => Ok(ReviewOutcome::Confirmed),
            Err(e) => Err(e),
        }
    })
    .await
}

/// [`confirm_run`] inside the caller's transaction.
async fn confirm(
    conn: &mut AsyncPgConnection,
    access: &Access,
    programme_id: ProgrammeId,
    month: NaiveDate,
) -> AppResult<AllowanceRun> {
    Programme::find(conn, &access.scope, programme_id).await?;
    // The run's row is locked before its state is read: of two
    // confirmations at once, the second sees the first's.
    let confirmed = AllowanceRun::confirmed_at_for_update(conn, programme_id, month).await?;
    if confirmed.is_some() {
        return Err(AppError::Conflict("error-allowance-run-confirmed"));
    }
    // Updating the payments waits for a change of an amount under way
    // (`set_amount` locks the payment), and the total is the one of the
    // amounts confirmed.
    let amounts = AllowanceRun::confirm_payments(conn, programme_id, month).await?;
    let total_minor: i64 = amounts.iter().sum();
    AllowanceRun::mark_confirmed(conn, programme_id, month).await?;
    audit::record(
        conn,
        access.actor,
        "confirm",
        AllowanceRun::subject(programme_id),
        json!({"month": {"new": month}, "total_minor": {"new": total_minor}}),
    )
    .await?;
    Ok(AllowanceRun::find(conn, &access.scope, programme_id, month).await?)
}

/// Changes a draft payment's amount (before the run is confirmed), inside
/// the caller's transaction.
async fn set_amount(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ExpenseId,
    amount_minor: i64,
) -> AppResult<Expense> {
    // Locked: a confirmation under way finishes first (and this then sees
    // the payment confirmed), or waits for this change.
    let old = Expense::find_for_update(conn, &access.scope, id).await?;
    if old.status != ExpenseStatus::Draft {
        return Err(AppError::Conflict("error-expense-confirmed"));
    }
    let e = Expense::set_amount(conn, id, amount_minor).await?;
    audit::record(
        conn,
        access.actor,
        "update",
        Expense::subject(id, old.programme_id),
        audit::changed(&old, &e),
    )
    .await?;
    Ok(e)
}
