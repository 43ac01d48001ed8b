//! Funders: recording one for a programme (or a shared one) and changing it.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::funding_error;
use crate::audit;
use crate::authz::{Access, ProgrammeScope};
use crate::error::{AppError, AppResult};
use crate::funding::input::FunderInput;
use crate::funding::model::{Funder, Owner};
use crate::ids::{FunderId, ProgrammeId};

/// The owner a new or changed funder gets, checked against the caller.
fn owner(
    scope: &ProgrammeScope,
    asked: Owner,
    current: Option<Option<ProgrammeId>>,
) -> AppResult<Option<ProgrammeId>> {
    let admin = *scope == ProgrammeScope::All;
    match (asked, current) {
        (Owner::Default, Some(current)) => Ok(current),
        (Owner::Default, None) => match scope {
            ProgrammeScope::All => Ok(None),
            ProgrammeScope::Only(ids) if ids.len() == 1 => Ok(Some(ids[0])),
            ProgrammeScope::Only(_) => Err(AppError::field(
                "programme_id",
                "error-funder-programme-required",
            )),
        },
        (Owner::Shared, _) if admin => Ok(None),
        (Owner::Shared, _) => Err(AppError::field("programme_id", "error-funder-shared-admin")),
        (Owner::Programme(p), _) if scope.allows(p) => Ok(Some(p)),
        (Owner::Programme(_), _) => Err(AppError::field("programme_id", "error-programme-unknown")),
    }
}

/// Records a funder for one of the caller's programmes, or a shared one
/// (administrators).
pub async fn create_funder(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &FunderInput,
) -> AppResult<Funder> {
    let (asked, data) = input.validate().map_err(AppError::Validation)?;
    conn.transaction(async |conn| {
        let programme_id = owner(&access.scope, asked, None)?;
        let f = Funder::insert(conn, programme_id, &data)
            .await
            .map_err(funding_error)?;
        audit::record(
            conn,
            access.actor,
            "create",
            Funder::subject(f.id, programme_id),
            audit::created(&f),
        )
        .await?;
        Ok(f)
    })
    .await
}

/// Changes a funder the caller sees: 404 for another programme's (before
/// invalid input), 403 for a shared one unless the caller is an
/// administrator.
pub async fn update_funder(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: FunderId,
    input: &FunderInput,
) -> AppResult<Funder> {
    conn.transaction(async |conn| {
        let old = Funder::find_for_update(conn, &access.scope, id).await?;
        let (asked, data) = input.validate().map_err(AppError::Validation)?;
        if old.programme_id.is_none() && access.scope != ProgrammeScope::All {
            return Err(AppError::Forbidden);
        }
        let programme_id = owner(&access.scope, asked, Some(old.programme_id))?;
        let f = Funder::update(conn, id, programme_id, &data)
            .await
            .map_err(funding_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            Funder::subject(id, f.programme_id),
            audit::changed(&old, &f),
        )
        .await?;
        Ok(f)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(r: AppResult<Option<ProgrammeId>>) -> Option<&'static str> {
        match r {
            Err(AppError::Validation(e)) => e.key("programme_id"),
            _ => None,
        }
    }

    #[test]
    fn owners() {
        let (p7, p8) = (ProgrammeId(7), ProgrammeId(8));
        let one = ProgrammeScope::Only(vec![p7]);
        let two = ProgrammeScope::Only(vec![p7, p8]);
        let all = ProgrammeScope::All;
        assert_eq!(owner(&one, Owner::Default, None).ok(), Some(Some(p7)));
        assert_eq!(
            key(owner(&two, Owner::Default, None)),
            Some("error-funder-programme-required")
        );
        assert_eq!(owner(&all, Owner::Default, None).ok(), Some(None));
        assert_eq!(owner(&two, Owner::Programme(p8), None).ok(), Some(Some(p8)));
        assert_eq!(
            key(owner(&one, Owner::Programme(p8), None)),
            Some("error-programme-unknown")
        );
        assert_eq!(
            key(owner(&one, Owner::Shared, Some(Some(p7)))),
            Some("error-funder-shared-admin")
        );
        assert_eq!(owner(&all, Owner::Shared, Some(Some(p7))).ok(), Some(None));
        assert_eq!(
            owner(&two, Owner::Default, Some(Some(p8))).ok(),
            Some(Some(p8))
        );
    }
}
