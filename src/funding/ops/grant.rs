//! Grants: recording one and changing it, with the districts it is
//! restricted to.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::{check_currency, funding_error, programme_for};
use crate::audit;
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult, is_foreign_key_violation};
use crate::funding::input::GrantInput;
use crate::funding::model::{Funder, Grant, GrantDetail};
use crate::ids::{FunderId, GrantId, ProgrammeId};
use crate::programmes::model::Programme;

/// Refuses a funder that a grant of `programme_id` may not use: one of
/// another programme, or unknown (the same message, so that another
/// programme's funder is not revealed). The database holds this too
/// (trigger `grants_funder_programme_check`).
async fn check_funder(
    conn: &mut AsyncPgConnection,
    id: FunderId,
    programme_id: ProgrammeId,
) -> AppResult<()> {
    match Funder::owner(conn, id).await? {
        Some(None) => Ok(()),
        Some(Some(p)) if p == programme_id => Ok(()),
        _ => Err(AppError::field("funder_id", "error-funder-unknown")),
    }
}

/// A district that is not the programme's, as a field error.
fn district_error(e: diesel::result::Error) -> AppError {
    if is_foreign_key_violation(&e) {
        AppError::field("district_ids", "error-district-unknown")
    } else {
        e.into()
    }
}

/// Records a grant; its currency must be the programme's, its funder a
/// shared one or one of the programme's. An unknown programme comes before
/// invalid input.
pub async fn create_grant(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &GrantInput,
) -> AppResult<GrantDetail> {
    conn.transaction(async |conn| {
        let programme = programme_for(conn, &access.scope, input.programme()).await?;
        let data = input
            .validate(&programme.currency)
            .map_err(AppError::Validation)?;
        check_currency(&programme, &data.currency)?;
        check_funder(conn, data.funder_id, programme.id).await?;
        let id = Grant::insert(conn, programme.id, &data)
            .await
            .map_err(funding_error)?;
        Grant::set_districts(conn, id, programme.id, &data.district_ids)
            .await
            .map_err(district_error)?;
        audit::record(
            conn,
            access.actor,
            "create",
            Grant::subject(id, programme.id),
            audit::created(&data),
        )
        .await?;
        Ok(Grant::find(conn, &ProgrammeScope::All, id).await?)
    })
    .await
}

/// Changes a grant. Not found (or not visible) comes before invalid; the
/// amount is read in the grant's currency.
pub async fn update_grant(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: GrantId,
    input: &GrantInput,
) -> AppResult<GrantDetail> {
    conn.transaction(async |conn| {
        let old = Grant::find_for_update(conn, &access.scope, id).await?;
        let data = input
            .validate(&old.grant.currency)
            .map_err(AppError::Validation)?;
        let programme_id = old.grant.programme_id;
        let programme = Programme::find(conn, &access.scope, programme_id).await?;
        check_currency(&programme, &data.currency)?;
        check_funder(conn, data.funder_id, programme_id).await?;
        Grant::update(conn, id, &data)
            .await
            .map_err(funding_error)?;
        Grant::set_districts(conn, id, programme_id, &data.district_ids)
            .await
            .map_err(district_error)?;
        let new = Grant::find(conn, &access.scope, id).await?;
        audit::record(
            conn,
            access.actor,
            "update",
            Grant::subject(id, programme_id),
            audit::changed(&old.grant, &new.grant),
        )
        .await?;
        Ok(new)
    })
    .await
}
