//! Referrals made at a visit, and their follow-up.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::ids::{DistrictId, FamilyId, MotherId, ProgrammeId, ReferralId, VisitId};
use crate::schema::{families, mothers, referrals, visits};

use super::*;

/// A service a family is referred to, as a referral stores it: the code of
/// an entry of the programme's list of services (a default's key such as
/// `youth_welfare`, or an own service's id). See [`super::ListKind`].
pub type Service = String;

crate::text_enum! {
    /// Where a referral stands: open, or its outcome.
    pub enum ReferralStatus {
        Open = "open",
        /// The family reached the service.
        Done = "done",
        /// The family did not take it up (declined, did not go).
        NotTakenUp = "not_taken_up",
    }
}

/// The worklist's filters.
#[derive(Debug, Clone)]
pub struct ReferralFilter {
    /// `None`: every status.
    pub status: Option<ReferralStatus>,
    pub service: Option<Service>,
    pub mother_id: Option<MotherId>,
    pub district_id: Option<DistrictId>,
    pub programme_id: Option<ProgrammeId>,
    pub page: i64,
    pub per_page: i64,
}

pub const REFERRALS_PER_PAGE: i64 = 50;

impl Default for ReferralFilter {
    /// Every referral, the first page.
    fn default() -> Self {
        ReferralFilter {
            status: None,
            service: None,
            mother_id: None,
            district_id: None,
            programme_id: None,
            page: 1,
            per_page: REFERRALS_PER_PAGE,
        }
    }
}

/// Referrals joined with their visit, mother and (for a family visit)
/// family, the visits not voided: the worklist's `FROM` and first filter.
type WorklistSource = diesel::dsl::Filter<
    diesel::dsl::LeftJoinOn<
        diesel::dsl::InnerJoinOn<
            diesel::dsl::InnerJoinOn<
                referrals::table,
                visits::table,
                diesel::dsl::Eq<visits::id, referrals::visit_id>,
            >,
            mothers::table,
            diesel::dsl::Eq<mothers::id, visits::mother_id>,
        >,
        families::table,
        diesel::dsl::Eq<diesel::dsl::Nullable<families::id>, visits::family_id>,
    >,
    diesel::dsl::IsNull<visits::voided_at>,
>;

type WorklistQuery<'a> = diesel::dsl::IntoBoxed<'a, WorklistSource, diesel::pg::Pg>;

/// A worklist row as read: the referral, its visit's day, mother and family.
type WorklistRow = (
    Referral,
    NaiveDate,
    i64,
    String,
    Option<FamilyId>,
    Option<String>,
);

/// A referral with its visit's context, for the worklist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralItem {
    #[serde(flatten)]
    pub referral: Referral,
    pub visited_on: NaiveDate,
    pub mother_id: i64,
    pub mother_name: String,
    #[schema(value_type = Option<i64>)]
    pub family_id: Option<FamilyId>,
    pub family_code: Option<String>,
}

impl Referral {
    /// How many referrals match `filter`.
    pub async fn count(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &ReferralFilter,
    ) -> QueryResult<i64> {
        Referral::worklist_query(scope, filter)
            .count()
            .get_result(conn)
            .await
    }

    /// How many referrals in the scope are open (of visits not voided),
    /// counting no further than `cap` (a figure above it reads `cap + 1`):
    /// the home page's figure. Counted as the open referrals less those of
    /// the few voided visits (an index of its own), so that the count
    /// reads the referrals' index alone instead of looking up the visit of
    /// each: with a national programme's hundred thousand open referrals
    /// that took a tenth of a second.
    pub async fn count_open_up_to(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        cap: i64,
    ) -> QueryResult<i64> {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let ids = scope.ids();
        let (in_scope_v, in_scope_r) = if ids.is_some() {
            (
                "AND v.programme_id = ANY($1)",
                "AND r.programme_id = ANY($1)",
            )
        } else {
            ("AND $1::bigint[] IS NULL", "")
        };
        let sql = format!(
            "WITH voided AS (
               SELECT count(*) AS n FROM visits v JOIN referrals r ON r.visit_id = v.id
               WHERE v.voided_at IS NOT NULL AND r.status = 'open' {in_scope_v})
             SELECT (SELECT count(*) FROM (
                       SELECT 1 FROM referrals r WHERE r.status = 'open' {in_scope_r}
                       LIMIT (SELECT n FROM voided) + $2) x)
                    - (SELECT n FROM voided) AS n"
        );
        Ok(diesel::sql_query(sql)
            .bind::<diesel::sql_types::Nullable<diesel::sql_types::Array<diesel::sql_types::BigInt>>, _>(ids)
            .bind::<diesel::sql_types::BigInt, _>(cap + 1)
            .get_result::<Count>(conn)
            .await?
            .n)
    }

    /// The worklist's rows: referrals of visits that are not voided, in the
    /// scope, matching `filter`, joined with their visit, mother and family.
    fn worklist_query<'a>(scope: &'a ProgrammeScope, filter: &ReferralFilter) -> WorklistQuery<'a> {
        let mut q = referrals::table
            .inner_join(visits::table.on(visits::id.eq(referrals::visit_id)))
            .inner_join(mothers::table.on(mothers::id.eq(visits::mother_id)))
            .left_join(families::table.on(families::id.nullable().eq(visits::family_id)))
            .filter(visits::voided_at.is_null())
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(referrals::programme_id.eq_any(ids));
        }
        if let Some(p) = filter.programme_id {
            q = q.filter(referrals::programme_id.eq(p));
        }
        if let Some(st) = filter.status {
            q = q.filter(referrals::status.eq(st));
        }
        if let Some(sv) = filter.service.clone() {
            q = q.filter(referrals::service.eq(sv));
        }
        if let Some(m) = filter.mother_id {
            q = q.filter(visits::mother_id.eq(m));
        }
        if let Some(d) = filter.district_id {
            // The family's district, or for an anonymous contact the mother's.
            q = q.filter(
                families::district_id
                    .eq(d)
                    .or(visits::family_id.is_null().and(mothers::district_id.eq(d))),
            );
        }
        q
    }

    /// The referrals matching `filter` (of visits that are not voided),
    /// oldest visit first, a page at a time, and how many match.
    pub async fn worklist(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &ReferralFilter,
    ) -> QueryResult<(Vec<ReferralItem>, i64)> {
        let query = || Referral::worklist_query(scope, filter);
        let total: i64 = query().count().get_result(conn).await?;
        let rows: Vec<WorklistRow> = query()
            .select((
                Referral::as_select(),
                visits::visited_on,
                mothers::id,
                mothers::full_name,
                visits::family_id,
                families::reference_code.nullable(),
            ))
            .order((visits::visited_on, referrals::id))
            .limit(filter.per_page)
            .offset(crate::web::pagination::offset(filter.page, filter.per_page))
            .load(conn)
            .await?;
        let items = rows
            .into_iter()
            .map(
                |(referral, visited_on, mother_id, mother_name, family_id, family_code)| {
                    ReferralItem {
                        referral,
                        visited_on,
                        mother_id,
                        mother_name,
                        family_id,
                        family_code,
                    }
                },
            )
            .collect();
        Ok((items, total))
    }

    /// One referral (unscoped: the caller checks its programme).
    pub async fn find(conn: &mut AsyncPgConnection, id: ReferralId) -> QueryResult<Referral> {
        referrals::table
            .find(id)
            .select(Referral::as_select())
            .first(conn)
            .await
    }

    /// One referral, locked for the rest of the transaction.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        id: ReferralId,
    ) -> QueryResult<Referral> {
        referrals::table
            .find(id)
            .select(Referral::as_select())
            .for_update()
            .first(conn)
            .await
    }

    /// The day of the visit a referral was made at.
    pub async fn visited_on(
        conn: &mut AsyncPgConnection,
        visit_id: VisitId,
    ) -> QueryResult<NaiveDate> {
        visits::table
            .find(visit_id)
            .select(visits::visited_on)
            .first(conn)
            .await
    }

    /// Records an outcome (`done` or `not_taken_up`, with its day and a
    /// note), or reopens the referral (`open`: no day, no note).
    pub async fn set_outcome(
        conn: &mut AsyncPgConnection,
        id: ReferralId,
        status: ReferralStatus,
        on: Option<NaiveDate>,
        note: &str,
    ) -> QueryResult<Referral> {
        diesel::update(referrals::table.find(id))
            .set((
                referrals::status.eq(status),
                referrals::done_on.eq(on),
                referrals::outcome_note.eq(note),
            ))
            .returning(Referral::as_returning())
            .get_result(conn)
            .await
    }
}
