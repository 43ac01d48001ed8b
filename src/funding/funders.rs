//! Funders. A funder belongs to one programme, or to none: a shared funder,
//! which every programme's grants may use and only administrators create or
//! change. A caller sees the shared funders and those of their programmes
//! (administrators see all); another programme's funder is "not found", so
//! one programme's manager cannot change what another's reports show.

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::funding_error;
use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult};
use crate::ids::ProgrammeId;
use crate::schema::funders;

crate::text_enum! {
    /// What kind of body a funder is.
    pub enum FunderKind {
        Government = "government",
        Municipality = "municipality",
        Foundation = "foundation",
        EuFund = "eu_fund",
        PrivateDonor = "private_donor",
        /// The organisation's own money.
        OwnCapital = "own_capital",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = funders, check_for_backend(diesel::pg::Pg))]
pub struct Funder {
    pub id: i64,
    /// The programme it belongs to; `null` for a shared funder (every
    /// programme may use it, only administrators change it).
    pub programme_id: Option<i64>,
    pub name: String,
    pub kind: FunderKind,
    pub country: Option<String>,
    pub contact: String,
}

/// A funder's validated fields (its owner apart).
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = funders, treat_none_as_null = true)]
pub struct FunderData {
    pub name: String,
    pub kind: FunderKind,
    pub country: Option<String>,
    pub contact: String,
}

/// Whom a funder belongs to, as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Owner {
    /// Not given: when creating, the caller's only programme (shared for an
    /// administrator); when changing, the owner stays.
    Default,
    /// Shared with every programme (administrators only).
    Shared,
    Programme(i64),
}

type Visible<'a> = funders::BoxedQuery<'a, diesel::pg::Pg>;

/// The funders `scope` sees: shared ones and those of its programmes.
fn visible(scope: &ProgrammeScope) -> Visible<'static> {
    let q = funders::table.into_boxed();
    match scope.ids() {
        None => q,
        Some(ids) => q.filter(
            funders::programme_id
                .is_null()
                .or(funders::programme_id.eq_any(ids)),
        ),
    }
}

/// The owner a new or changed funder gets, checked against the caller.
fn owner(
    scope: &ProgrammeScope,
    asked: Owner,
    current: Option<Option<i64>>,
) -> AppResult<Option<i64>> {
    let admin = *scope == ProgrammeScope::All;
    match (asked, current) {
        (Owner::Default, Some(current)) => Ok(current),
        (Owner::Default, None) => match scope {
            ProgrammeScope::All => Ok(None),
            ProgrammeScope::Only(ids) if ids.len() == 1 => Ok(Some(ids[0].0)),
            ProgrammeScope::Only(_) => Err(AppError::field(
                "programme_id",
                "error-funder-programme-required",
            )),
        },
        (Owner::Shared, _) if admin => Ok(None),
        (Owner::Shared, _) => Err(AppError::field("programme_id", "error-funder-shared-admin")),
        (Owner::Programme(p), _) if scope.allows(ProgrammeId(p)) => Ok(Some(p)),
        (Owner::Programme(_), _) => Err(AppError::field("programme_id", "error-programme-unknown")),
    }
}

impl Funder {
    /// The funders `scope` sees, by name.
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
    ) -> QueryResult<Vec<Funder>> {
        visible(scope)
            .select(Funder::as_select())
            .order((crate::db::lower(funders::name), funders::id))
            .load(conn)
            .await
    }

    /// A funder `scope` sees; `NotFound` otherwise.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Funder> {
        visible(scope)
            .filter(funders::id.eq(id))
            .select(Funder::as_select())
            .first(conn)
            .await
    }

    /// Any funder, whoever owns it (a grant's funder, for its detail).
    pub(super) async fn find_any(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Funder> {
        funders::table
            .find(id)
            .select(Funder::as_select())
            .first(conn)
            .await
    }

    /// Refuses a funder that a grant of `programme_id` may not use: one of
    /// another programme, or unknown (the same message, so that another
    /// programme's funder is not revealed). The database holds this too
    /// (trigger `grants_funder_programme_check`).
    pub(super) async fn check_usable(
        conn: &mut AsyncPgConnection,
        id: i64,
        programme_id: i64,
    ) -> AppResult<()> {
        let owner: Option<Option<i64>> = funders::table
            .find(id)
            .select(funders::programme_id)
            .first(conn)
            .await
            .optional()?;
        match owner {
            Some(None) => Ok(()),
            Some(Some(p)) if p == programme_id => Ok(()),
            _ => Err(AppError::field("funder_id", "error-funder-unknown")),
        }
    }

    /// Records a funder for one of the caller's programmes, or a shared one
    /// (administrators).
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        asked: Owner,
        data: &FunderData,
    ) -> AppResult<Funder> {
        let programme_id = owner(scope, asked, None)?;
        conn.transaction(async |conn| {
            let f: Funder = diesel::insert_into(funders::table)
                .values((data, funders::programme_id.eq(programme_id)))
                .returning(Funder::as_returning())
                .get_result(conn)
                .await
                .map_err(funding_error)?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("funder", f.id, programme_id),
                audit::created(&f),
            )
            .await?;
            Ok(f)
        })
        .await
    }

    /// Changes a funder the caller sees: 404 for another programme's, 403
    /// for a shared one unless the caller is an administrator.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        asked: Owner,
        data: &FunderData,
    ) -> AppResult<Funder> {
        conn.transaction(async |conn| {
            let old: Funder = funders::table
                .find(id)
                .select(Funder::as_select())
                .for_update()
                .first(conn)
                .await?;
            match old.programme_id {
                Some(p) if !scope.allows(ProgrammeId(p)) => return Err(AppError::NotFound),
                None if *scope != ProgrammeScope::All => return Err(AppError::Forbidden),
                _ => {}
            }
            let programme_id = owner(scope, asked, Some(old.programme_id))?;
            let f: Funder = diesel::update(funders::table.find(id))
                .set((data, funders::programme_id.eq(programme_id)))
                .returning(Funder::as_returning())
                .get_result(conn)
                .await
                .map_err(funding_error)?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("funder", id, f.programme_id),
                audit::changed(&old, &f),
            )
            .await?;
            Ok(f)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(r: AppResult<Option<i64>>) -> Option<&'static str> {
        match r {
            Err(AppError::Validation(e)) => e.key("programme_id"),
            _ => None,
        }
    }

    #[test]
    fn owners() {
        let one = ProgrammeScope::Only(vec![ProgrammeId(7)]);
        let two = ProgrammeScope::Only(vec![ProgrammeId(7), ProgrammeId(8)]);
        let all = ProgrammeScope::All;
        assert_eq!(owner(&one, Owner::Default, None).ok(), Some(Some(7)));
        assert_eq!(
            key(owner(&two, Owner::Default, None)),
            Some("error-funder-programme-required")
        );
        assert_eq!(owner(&all, Owner::Default, None).ok(), Some(None));
        assert_eq!(owner(&two, Owner::Programme(8), None).ok(), Some(Some(8)));
        assert_eq!(
            key(owner(&one, Owner::Programme(8), None)),
            Some("error-programme-unknown")
        );
        assert_eq!(
            key(owner(&one, Owner::Shared, Some(Some(7)))),
            Some("error-funder-shared-admin")
        );
        assert_eq!(owner(&all, Owner::Shared, Some(Some(7))).ok(), Some(None));
        assert_eq!(
            owner(&two, Owner::Default, Some(Some(8))).ok(),
            Some(Some(8))
        );
    }
}
