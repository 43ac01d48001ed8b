//! The use cases of mothers, called by the pages and the API alike (the
//! status form on her profile, `views::mother_profile`, included). Each
//! takes the caller's [`Access`] and the input as it came, and runs one
//! transaction: the scoped find (locked where the row changes), the
//! validation, the change, its history and audit rows; constraint names
//! come back as field errors.

use chrono::NaiveDate;
use diesel::QueryResult;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::input::{MotherInput, StatusInput};
use super::model::{
    ALLOWANCE_BOUND, DISTRICT_FKEY, Mother, MotherStatus, NewStatusChange, StatusChange,
};
use crate::audit::{self, Actor};
use crate::authz::Access;
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::MotherId;
use crate::money;
use crate::programmes::model::Programme;

/// A district of another programme, or an allowance above the bound, as a
/// field error.
fn mother_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some(DISTRICT_FKEY) => AppError::field("district_id", "error-district-unknown"),
        Some(ALLOWANCE_BOUND) => AppError::field("monthly_allowance", money::too_large()),
        _ => e.into(),
    }
}

/// Records a new mother in the programme the input names, as an applicant
/// (with the first history row). A programme that is not there, or not the
/// caller's, is a field error; any other failure (the database) is the
/// answer.
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &MotherInput,
) -> AppResult<Mother> {
    let programme_id = input.programme().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        let programme = Programme::find(conn, &access.scope, programme_id)
            .await
            .map_err(|e| match e {
                diesel::NotFound => AppError::field("programme_id", "error-programme-unknown"),
                e => e.into(),
            })?;
        let data = input
            .validate(money::exponent(&programme.currency))
            .map_err(AppError::Validation)?;
        let m = Mother::insert(conn, programme.id, &data)
            .await
            .map_err(mother_error)?;
        StatusChange::insert(
            conn,
            &NewStatusChange {
                mother_id: m.id,
                from_status: None,
                to_status: MotherStatus::Applicant,
                changed_on: data.joined_on,
                changed_by: access.actor,
                reason: "",
            },
        )
        .await?;
        audit::record(
            conn,
            access.actor,
            "create",
            Mother::subject(m.id, programme.id),
            audit::created(&data),
        )
        .await?;
        Ok(m)
    })
    .await
}

/// Replaces a mother's fields (not her programme or status). Not found (or
/// not visible) comes before invalid; the allowance is read in her
/// programme's currency.
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: MotherId,
    input: &MotherInput,
) -> AppResult<Mother> {
    conn.transaction(async |conn| {
        let old = Mother::find_for_update(conn, &access.scope, id).await?;
        let programme = Programme::find(conn, &access.scope, old.programme_id).await?;
        let data = input
            .validate(money::exponent(&programme.currency))
            .map_err(AppError::Validation)?;
        let new = Mother::update(conn, id, &data)
            .await
            .map_err(mother_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            Mother::subject(id, old.programme_id),
            audit::changed(&old, &new),
        )
        .await?;
        Ok(new)
    })
    .await
}

/// Moves a mother to the status the input names, on its date, keeping the
/// change in the history with who made it. Not found comes before invalid;
/// moving to the status she already has changes nothing.
pub async fn change_status(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: MotherId,
    input: &StatusInput,
) -> AppResult<Mother> {
    conn.transaction(async |conn| {
        let old = Mother::find_for_update(conn, &access.scope, id).await?;
        let change = input.validate().map_err(AppError::Validation)?;
        set_status(
            conn,
            access.actor,
            &old,
            change.status,
            change.changed_on,
            &change.reason,
        )
        .await?;
        Ok(Mother::find(conn, &access.scope, id).await?)
    })
    .await
}

/// Sets a mother's status inside the caller's transaction ([`change_status`],
/// and enrolment and completion in training), with its history and audit
/// rows. No change when she already has it. `mother` must have been read
/// with [`Mother::find_for_update`] in the same transaction, so that the
/// history's previous status is the true one.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    mother: &Mother,
    to: MotherStatus,
    on: NaiveDate,
    reason: &str,
) -> QueryResult<()> {
    if mother.status == to {
        return Ok(());
    }
    Mother::set_status(conn, mother.id, to).await?;
    StatusChange::insert(
        conn,
        &NewStatusChange {
            mother_id: mother.id,
            from_status: Some(mother.status),
            to_status: to,
            changed_on: on,
            changed_by: actor,
            reason,
        },
    )
    .await?;
    audit::record(
        conn,
        actor,
        "change_status",
        Mother::subject(mother.id, mother.programme_id),
        serde_json::json!({
            "status": {"old": mother.status, "new": to},
            "changed_on": {"new": on},
            "reason": {"new": reason},
        }),
    )
    .await
}
