//! Grants: what a funder gives a programme for a period, and what was spent against it.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{DistrictId, FunderId, GrantId, ProgrammeId};
use crate::schema::{grant_districts, grants};

use super::*;

crate::text_enum! {
    /// Where a grant stands.
    pub enum GrantStatus {
        Applied = "applied",
        Granted = "granted",
        Rejected = "rejected",
        /// Granted, and its period accounted for.
        Closed = "closed",
    }
}

crate::text_enum! {
    /// Something about a grant's spending that needs a look.
    pub enum GrantWarning {
        /// More spent than granted.
        Overspent = "overspent",
        /// Expenses dated outside the grant's period.
        OutsidePeriod = "outside_period",
    }
}

impl GrantWarning {
    pub fn is_overspent(self) -> bool {
        self == GrantWarning::Overspent
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = grants, check_for_backend(diesel::pg::Pg))]
pub struct Grant {
    #[schema(value_type = i64)]
    pub id: GrantId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = i64)]
    pub funder_id: FunderId,
    pub reference: String,
    /// Minor units of `currency`.
    pub amount_minor: i64,
    pub currency: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub purpose: String,
    pub status: GrantStatus,
}

/// A grant's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrantData {
    pub funder_id: FunderId,
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub purpose: String,
    pub status: GrantStatus,
    /// Restricted to these districts (empty: the whole programme).
    pub district_ids: Vec<DistrictId>,
}

/// What was spent against a grant, month by month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthSpent {
    /// `YYYY-MM`.
    pub month: String,
    pub spent_minor: i64,
}

/// A grant with its funder, districts and spending.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantDetail {
    #[serde(flatten)]
    pub grant: Grant,
    pub funder_name: String,
    pub funder_kind: FunderKind,
    #[schema(value_type = Vec<i64>)]
    pub district_ids: Vec<DistrictId>,
    /// Confirmed expenses charged to the grant.
    pub spent_minor: i64,
    /// Amount less spent (negative when overspent).
    pub remaining_minor: i64,
    pub spent_by_month: Vec<MonthSpent>,
    /// Charged expenses dated outside the grant's period.
    pub spent_outside_period_minor: i64,
    pub expenses_outside_period: i64,
    pub warnings: Vec<GrantWarning>,
}

impl Grant {
    pub(crate) fn subject(id: GrantId, programme_id: ProgrammeId) -> Subject {
        Subject::of("grant", id.0, Some(programme_id.0))
    }

    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<ProgrammeId>,
    ) -> QueryResult<Vec<GrantDetail>> {
        Self::list_where(conn, scope, programme_id, None).await
    }

    /// The grants running on `day` (started, not ended), as `list`.
    pub async fn list_running(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        day: chrono::NaiveDate,
    ) -> QueryResult<Vec<GrantDetail>> {
        Self::list_where(conn, scope, None, Some(day)).await
    }

    async fn list_where(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<ProgrammeId>,
        running_on: Option<chrono::NaiveDate>,
    ) -> QueryResult<Vec<GrantDetail>> {
        let mut q = grants::table
            .select(Grant::as_select())
            .order((grants::starts_on.desc(), grants::id))
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(grants::programme_id.eq_any(ids));
        }
        if let Some(p) = programme_id {
            q = q.filter(grants::programme_id.eq(p));
        }
        if let Some(day) = running_on {
            q = q
                .filter(grants::starts_on.le(day))
                .filter(grants::ends_on.ge(day));
        }
        let rows: Vec<Grant> = q.load(conn).await?;
        let mut out = Vec::new();
        for g in rows {
            out.push(Grant::detail(conn, g).await?);
        }
        Ok(out)
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: GrantId,
    ) -> QueryResult<GrantDetail> {
        let g: Grant = grants::table
            .find(id)
            .select(Grant::as_select())
            .first(conn)
            .await?;
        scope.check(g.programme_id)?;
        Grant::detail(conn, g).await
    }

    /// A grant (as [`Grant::find`]), its row locked for the rest of the
    /// transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: GrantId,
    ) -> QueryResult<GrantDetail> {
        let g: Grant = grants::table
            .find(id)
            .select(Grant::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.check(g.programme_id)?;
        Grant::detail(conn, g).await
    }

    /// Spent and remaining come from SQL aggregates over the grant's
    /// confirmed expenses.
    async fn detail(conn: &mut AsyncPgConnection, grant: Grant) -> QueryResult<GrantDetail> {
        let funder = Funder::find_any(conn, grant.funder_id).await?;
        let district_ids: Vec<DistrictId> = grant_districts::table
            .filter(grant_districts::grant_id.eq(grant.id))
            .select(grant_districts::district_id)
            .order(grant_districts::district_id)
            .load(conn)
            .await?;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            month: String,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            spent: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            outside: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            outside_count: i64,
        }
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT to_char(date_trunc('month', spent_on), 'YYYY-MM') AS month, \
                    sum(amount_minor)::bigint AS spent, \
                    coalesce(sum(amount_minor) FILTER (WHERE spent_on < $2 OR spent_on > $3), 0)::bigint AS outside, \
                    count(*) FILTER (WHERE spent_on < $2 OR spent_on > $3) AS outside_count \
             FROM expenses WHERE grant_id = $1 AND status = 'confirmed' \
             GROUP BY 1 ORDER BY 1",
        )
        .bind::<diesel::sql_types::BigInt, _>(grant.id)
        .bind::<diesel::sql_types::Date, _>(grant.starts_on)
        .bind::<diesel::sql_types::Date, _>(grant.ends_on)
        .load(conn)
        .await?;
        let spent: i64 = rows.iter().map(|r| r.spent).sum();
        let outside: i64 = rows.iter().map(|r| r.outside).sum();
        let outside_count: i64 = rows.iter().map(|r| r.outside_count).sum();
        let mut warnings = Vec::new();
        if spent > grant.amount_minor {
            warnings.push(GrantWarning::Overspent);
        }
        if outside_count > 0 {
            warnings.push(GrantWarning::OutsidePeriod);
        }
        Ok(GrantDetail {
            funder_name: funder.name,
            funder_kind: funder.kind,
            district_ids,
            spent_minor: spent,
            remaining_minor: grant.amount_minor - spent,
            spent_by_month: rows
                .into_iter()
                .map(|r| MonthSpent {
                    month: r.month,
                    spent_minor: r.spent,
                })
                .collect(),
            spent_outside_period_minor: outside,
            expenses_outside_period: outside_count,
            warnings,
            grant,
        })
    }

    /// Replaces the districts a grant is restricted to.
    pub async fn set_districts(
        conn: &mut AsyncPgConnection,
        id: GrantId,
        programme_id: ProgrammeId,
        districts: &[DistrictId],
    ) -> QueryResult<()> {
        diesel::delete(grant_districts::table.filter(grant_districts::grant_id.eq(id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = districts
            .iter()
            .map(|d| {
                (
                    grant_districts::grant_id.eq(id),
                    grant_districts::district_id.eq(*d),
                    grant_districts::programme_id.eq(programme_id),
                )
            })
            .collect();
        diesel::insert_into(grant_districts::table)
            .values(rows)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &GrantData,
    ) -> QueryResult<GrantId> {
        diesel::insert_into(grants::table)
            .values((
                grants::programme_id.eq(programme_id),
                grants::funder_id.eq(data.funder_id),
                grants::reference.eq(&data.reference),
                grants::amount_minor.eq(data.amount_minor),
                grants::currency.eq(&data.currency),
                grants::starts_on.eq(data.starts_on),
                grants::ends_on.eq(data.ends_on),
                grants::purpose.eq(&data.purpose),
                grants::status.eq(data.status),
            ))
            .returning(grants::id)
            .get_result(conn)
            .await
    }

    /// Changes a grant's fields (its districts: [`Grant::set_districts`]).
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: GrantId,
        data: &GrantData,
    ) -> QueryResult<usize> {
        diesel::update(grants::table.find(id))
            .set((
                grants::funder_id.eq(data.funder_id),
                grants::reference.eq(&data.reference),
                grants::amount_minor.eq(data.amount_minor),
                grants::currency.eq(&data.currency),
                grants::starts_on.eq(data.starts_on),
                grants::ends_on.eq(data.ends_on),
                grants::purpose.eq(&data.purpose),
                grants::status.eq(data.status),
            ))
            .execute(conn)
            .await
    }
}
