//! Funders. A funder belongs to one programme, or to none: a shared funder,
//! which every programme's grants may use and only administrators create or
//! change. A caller sees the shared funders and those of their programmes
//! (administrators see all); another programme's funder is "not found", so
//! one programme's manager cannot change what another's reports show.
//! Rows and queries; who may own or change a funder is decided in `ops`.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{FunderId, ProgrammeId};
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
    #[schema(value_type = i64)]
    pub id: FunderId,
    /// The programme it belongs to; `null` for a shared funder (every
    /// programme may use it, only administrators change it).
    #[schema(value_type = Option<i64>)]
    pub programme_id: Option<ProgrammeId>,
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
    Programme(ProgrammeId),
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

impl Funder {
    pub(crate) fn subject(id: FunderId, programme_id: Option<ProgrammeId>) -> Subject {
        Subject::of("funder", id.0, programme_id.map(|p| p.0))
    }

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
        id: FunderId,
    ) -> QueryResult<Funder> {
        visible(scope)
            .filter(funders::id.eq(id))
            .select(Funder::as_select())
            .first(conn)
            .await
    }

    /// A funder `scope` sees (as [`Funder::find`]), locked for the rest of
    /// the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: FunderId,
    ) -> QueryResult<Funder> {
        let f: Funder = funders::table
            .find(id)
            .select(Funder::as_select())
            .for_update()
            .first(conn)
            .await?;
        match f.programme_id {
            Some(p) => scope.visible(p, f),
            None => Ok(f),
        }
    }

    /// Any funder, whoever owns it (a grant's funder, for its detail).
    pub(super) async fn find_any(
        conn: &mut AsyncPgConnection,
        id: FunderId,
    ) -> QueryResult<Funder> {
        funders::table
            .find(id)
            .select(Funder::as_select())
            .first(conn)
            .await
    }

    /// The owner of a funder: `None` when there is no such funder,
    /// `Some(None)` for a shared one.
    pub async fn owner(
        conn: &mut AsyncPgConnection,
        id: FunderId,
    ) -> QueryResult<Option<Option<ProgrammeId>>> {
        funders::table
            .find(id)
            .select(funders::programme_id)
            .first(conn)
            .await
            .optional()
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: Option<ProgrammeId>,
        data: &FunderData,
    ) -> QueryResult<Funder> {
        diesel::insert_into(funders::table)
            .values((data, funders::programme_id.eq(programme_id)))
            .returning(Funder::as_returning())
            .get_result(conn)
            .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: FunderId,
        programme_id: Option<ProgrammeId>,
        data: &FunderData,
    ) -> QueryResult<Funder> {
        diesel::update(funders::table.find(id))
            .set((data, funders::programme_id.eq(programme_id)))
            .returning(Funder::as_returning())
            .get_result(conn)
            .await
    }
}
