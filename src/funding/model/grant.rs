//! Grants: what a funder gives a programme for a period, and what was spent against it.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::schema::{grant_districts, grants};

pub use crate::funding::funders::Funder;

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
    pub id: i64,
    pub programme_id: i64,
    pub funder_id: i64,
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
    pub funder_id: i64,
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub purpose: String,
    pub status: GrantStatus,
    /// Restricted to these districts (empty: the whole programme).
    pub district_ids: Vec<i64>,
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
    pub district_ids: Vec<i64>,
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
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<i64>,
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
        id: i64,
    ) -> QueryResult<GrantDetail> {
        let g: Grant = grants::table
            .find(id)
            .select(Grant::as_select())
            .first(conn)
            .await?;
        scope.check(ProgrammeId(g.programme_id))?;
        Grant::detail(conn, g).await
    }

    /// Spent and remaining come from SQL aggregates over the grant's
    /// confirmed expenses.
    async fn detail(conn: &mut AsyncPgConnection, grant: Grant) -> QueryResult<GrantDetail> {
        let funder = Funder::find_any(conn, grant.funder_id).await?;
        let district_ids: Vec<i64> = grant_districts::table
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

    async fn set_districts(
        conn: &mut AsyncPgConnection,
        id: i64,
        programme_id: i64,
        districts: &[i64],
    ) -> AppResult<()> {
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
            .await
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                    _,
                ) => AppError::field("district_ids", "error-district-unknown"),
                e => e.into(),
            })?;
        Ok(())
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &GrantData,
    ) -> AppResult<GrantDetail> {
        let programme = Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        check_currency(&programme, &data.currency)?;
        conn.transaction(async |conn| {
            Funder::check_usable(conn, data.funder_id, programme_id).await?;
            let id: i64 = diesel::insert_into(grants::table)
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
                .map_err(funding_error)?;
            Grant::set_districts(conn, id, programme_id, &data.district_ids).await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("grant", id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(Grant::find(conn, &ProgrammeScope::All, id).await?)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &GrantData,
    ) -> AppResult<GrantDetail> {
        conn.transaction(async |conn| {
            let old = Grant::find(conn, scope, id).await?;
            let programme =
                Programme::find(conn, scope, ProgrammeId(old.grant.programme_id)).await?;
            check_currency(&programme, &data.currency)?;
            Funder::check_usable(conn, data.funder_id, old.grant.programme_id).await?;
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
                .map_err(funding_error)?;
            Grant::set_districts(conn, id, old.grant.programme_id, &data.district_ids).await?;
            let new = Grant::find(conn, scope, id).await?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("grant", id, Some(old.grant.programme_id)),
                audit::changed(&old.grant, &new.grant),
            )
            .await?;
            Ok(new)
        })
        .await
    }
}

/// An amount in another currency than the programme's is refused: nothing
/// is converted silently.
pub(crate) fn check_currency(programme: &Programme, currency: &str) -> AppResult<()> {
    if programme.currency == currency {
        Ok(())
    } else {
        Err(AppError::field(
            "currency",
            Msg::new("error-currency-mismatch").arg("currency", &programme.currency),
        ))
    }
}
