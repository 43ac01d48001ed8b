//! The use cases of families, for the pages and the API alike: recording a
//! family (with the next reference code of its programme), changing one
//! and closing one. Each runs in one transaction with its audit row; the
//! log has the pseudonymous fields only, never personal data.

use chrono::NaiveDate;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::json;

use super::input::{CloseInput, FamilyInput};
use super::model::{Family, FamilyStatus, Personal, code_prefix};
use crate::audit::{self, Subject};
use crate::authz::Access;
use crate::error::{AppError, AppResult, constraint_name};
use crate::ids::FamilyId;
use crate::programmes::model::Programme;

/// An unknown district or mother, as a field error.
fn family_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some("families_district_fkey") => AppError::field("district_id", "error-district-unknown"),
        Some("families_mother_fkey") => {
            AppError::field("primary_mother_id", "error-mother-unknown")
        }
        _ => e.into(),
    }
}

fn programme_unknown() -> AppError {
    AppError::field("programme_id", "error-programme-unknown")
}

/// Records a family with the next reference code of its programme; the
/// family as the caller may see it (with the personal fields if allowed).
pub async fn create(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &FamilyInput,
    today: NaiveDate,
) -> AppResult<Family> {
    let programme_id = input.programme().ok_or_else(programme_unknown)?;
    let (data, personal) = input
        .validate(access.sees_personal(), today)
        .map_err(AppError::Validation)?;
    let programme = match Programme::find(conn, &access.scope, programme_id).await {
        Err(diesel::NotFound) => return Err(programme_unknown()),
        other => other?,
    };
    let id = conn
        .transaction(async |conn| {
            let number = Family::next_number(conn, programme_id).await?;
            let code = format!("{}-{number:04}", code_prefix(&programme.name));
            let consent_by = data.consent_on.and(access.actor);
            let f = Family::insert(conn, programme_id, number, &code, &data, consent_by)
                .await
                .map_err(family_error)?;
            if let Some(p) = &personal {
                Personal::save(conn, f.id, f.programme_id, p).await?;
            }
            audit::record(
                conn,
                access.actor,
                "create",
                Subject::of("family", f.id.0, Some(programme_id.0)),
                audit::created(&data),
            )
            .await?;
            Ok::<_, AppError>(f.id)
        })
        .await?;
    Ok(Family::find(conn, &access.scope, id, access.sees_personal()).await?)
}

/// Changes a family's fields (and, for those who may, its personal
/// fields). Not found comes before invalid.
pub async fn update(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: FamilyId,
    input: &FamilyInput,
    today: NaiveDate,
) -> AppResult<Family> {
    conn.transaction(async |conn| {
        let old = Family::find_for_update(conn, &access.scope, id).await?;
        let (data, personal) = input
            .validate_change(access.sees_personal(), today, Some(&old))
            .map_err(AppError::Validation)?;
        let consent_by = if data.consent_on.is_some() && data.consent_on != old.consent_on {
            access.actor
        } else {
            old.consent_recorded_by
        };
        let new = Family::update(conn, id, &data, consent_by)
            .await
            .map_err(family_error)?;
        let mut changes = audit::changed(&old, &new);
        if let Some(p) = &personal {
            if Personal::find(conn, id).await? != *p {
                // Which personal fields changed, never their values.
                changes["personal"] = json!({"changed": true});
            }
            Personal::save(conn, id, new.programme_id, p).await?;
        }
        audit::record(
            conn,
            access.actor,
            "update",
            Subject::of("family", id.0, Some(old.programme_id.0)),
            changes,
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(Family::find(conn, &access.scope, id, access.sees_personal()).await?)
}

/// Closes a family with a date and reason (no new visits after that); a
/// closed family answers 409. Not found comes before invalid.
pub async fn close(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: FamilyId,
    input: &CloseInput,
) -> AppResult<Family> {
    conn.transaction(async |conn| {
        let old = Family::find_for_update(conn, &access.scope, id).await?;
        let (on, reason) = input.validate().map_err(AppError::Validation)?;
        if old.status == FamilyStatus::Closed {
            return Err(AppError::Conflict("error-family-closed"));
        }
        let new = Family::set_closed(conn, id, on, &reason).await?;
        audit::record(
            conn,
            access.actor,
            "close",
            Subject::of("family", id.0, Some(old.programme_id.0)),
            audit::changed(&old, &new),
        )
        .await?;
        Ok(new)
    })
    .await
}
