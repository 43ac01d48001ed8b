//! Visits: rows, their topics and referrals, lists and counts. The rules
//! for a new visit are in `ops::visit`.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::ProgrammeScope;
use crate::crypto::Sealed;
use crate::schema::{families, mothers, referrals, visit_topics, visits};

use super::*;

diesel::define_sql_function! {
    /// PostgreSQL's `array_agg`: the values of a group as an array.
    #[aggregate]
    fn array_agg(value: diesel::sql_types::BigInt) -> diesel::sql_types::Array<diesel::sql_types::BigInt>;
}

crate::text_enum! {
    /// How a visit was made.
    pub enum VisitKind {
        HomeVisit = "home_visit",
        Phone = "phone",
        /// Going with the family to an office, a doctor, a school.
        Accompaniment = "accompaniment",
        GroupMeeting = "group_meeting",
    }
}

/// A visit's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitData {
    pub mother_id: MotherId,
    pub family_id: Option<FamilyId>,
    /// A family's reference code, looked up in the mother's programme
    /// when the visit is saved (it then sets `family_id`).
    pub family_code: Option<String>,
    pub visited_on: NaiveDate,
    pub duration_minutes: i32,
    pub kind: VisitKind,
    pub interpreter_used: bool,
    pub topic_ids: Vec<TopicId>,
    /// Services referred to (each becomes an open referral).
    pub referrals: Vec<Service>,
    pub next_step: String,
    pub note: String,
    /// How the contact arose (the programme's own list).
    pub contact_origin: Option<String>,
    /// Save even when the same mother, family, date and kind exist already.
    #[serde(skip)]
    pub confirm_duplicate: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = visits, check_for_backend(diesel::pg::Pg))]
pub(crate) struct VisitRow {
    id: VisitId,
    programme_id: ProgrammeId,
    mother_id: MotherId,
    family_id: Option<FamilyId>,
    visited_on: NaiveDate,
    duration_minutes: i32,
    kind: VisitKind,
    interpreter_used: bool,
    next_step: String,
    #[diesel(deserialize_as = Sealed)]
    note: String,
    created_at: DateTime<Utc>,
    voided_at: Option<DateTime<Utc>>,
    void_reason: Option<String>,
    entered_by_mother: bool,
    reviewed_at: Option<DateTime<Utc>>,
    contact_origin: Option<String>,
}

/// A referral made at a visit.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = referrals, check_for_backend(diesel::pg::Pg))]
pub struct Referral {
    #[schema(value_type = i64)]
    pub id: ReferralId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = i64)]
    pub visit_id: VisitId,
    /// The code of the service in the programme's list (a default's key,
    /// or an own service's id).
    pub service: Service,
    pub status: ReferralStatus,
    /// The day of the outcome (done or not taken up); `null` while open.
    pub done_on: Option<NaiveDate>,
    /// What came of it, in a few words.
    pub outcome_note: String,
}

/// A visit with its mother's name, family code, topics and referrals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Visit {
    #[schema(value_type = i64)]
    pub id: VisitId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    #[schema(value_type = i64)]
    pub mother_id: MotherId,
    pub mother_name: String,
    #[schema(value_type = Option<i64>)]
    pub family_id: Option<FamilyId>,
    pub family_code: Option<String>,
    pub visited_on: NaiveDate,
    pub duration_minutes: i32,
    pub kind: VisitKind,
    pub interpreter_used: bool,
    #[schema(value_type = Vec<i64>)]
    pub topic_ids: Vec<TopicId>,
    pub referrals: Vec<Referral>,
    pub next_step: String,
    /// Only coordinators and admins see the note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Set when the visit was voided: it then counts in no report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voided_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub void_reason: Option<String>,
    /// Entered by the mother herself (her own pages).
    pub entered_by_mother: bool,
    /// When her coordinator reviewed it (a visit she entered waits for it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// How the contact arose (the programme's own list), if asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_origin: Option<String>,
}

/// Filters of the visit list.
#[derive(Debug, Clone)]
pub struct VisitFilter {
    pub programme_id: Option<ProgrammeId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub mother_id: Option<MotherId>,
    pub family_id: Option<FamilyId>,
    pub district_id: Option<DistrictId>,
    pub topic_id: Option<TopicId>,
    pub page: i64,
    pub per_page: i64,
    /// Voided visits too (struck through, for coordinators).
    pub with_voided: bool,
}

pub const VISITS_PER_PAGE: i64 = 50;

impl Default for VisitFilter {
    /// Every visit but the voided, the first page.
    fn default() -> Self {
        VisitFilter {
            programme_id: None,
            from: None,
            to: None,
            mother_id: None,
            family_id: None,
            district_id: None,
            topic_id: None,
            page: 1,
            per_page: VISITS_PER_PAGE,
            with_voided: false,
        }
    }
}

/// Visit lists count matches up to this many; beyond it they say "more than".
pub const COUNT_LIMIT: i64 = 10_000;

impl Visit {
    /// What the rules of a new visit read, in one statement: the mother
    /// (if in `scope`; `None` if not found or not), the topics her
    /// programme may use, and how many visits of hers on this day, of this
    /// kind, with this family (or none) exist already.
    pub async fn facts(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        data: &VisitData,
    ) -> QueryResult<Option<(crate::mothers::model::Mother, Vec<TopicId>, i64)>> {
        use crate::mothers::model::MotherRow;
        use crate::schema::topics;
        // The mother again, inside the topics' subquery.
        let her = diesel::alias!(mothers as her);
        let usable = topics::table
            .filter(topics::list.eq(ListKind::Topic))
            .filter(topics::retired_at.is_null())
            .filter(
                topics::programme_id
                    .is_null()
                    .or(topics::programme_id.eq_any(
                        her.filter(her.field(mothers::id).eq(data.mother_id))
                            .select(her.field(mothers::programme_id).nullable()),
                    )),
            )
            .select(array_agg(topics::id))
            .single_value();
        let same = visits::table
            .filter(visits::mother_id.eq(data.mother_id))
            .filter(visits::visited_on.eq(data.visited_on))
            .filter(visits::kind.eq(data.kind))
            .filter(visits::voided_at.is_null())
            .filter(visits::family_id.is_not_distinct_from(data.family_id))
            .count()
            .single_value();
        let found: Option<(MotherRow, Option<Vec<TopicId>>, Option<i64>)> = mothers::table
            .find(data.mother_id)
            .select((MotherRow::as_select(), usable, same))
            .first(conn)
            .await
            .optional()?;
        Ok(found.and_then(|(row, usable, same)| {
            let mother = crate::mothers::model::Mother::from(row);
            scope
                .allows(mother.programme_id)
                .then(|| (mother, usable.unwrap_or_default(), same.unwrap_or(0)))
        }))
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
        with_note: bool,
    ) -> QueryResult<Visit> {
        let filter = VisitFilter {
            with_voided: true,
            ..VisitFilter::default()
        };
        let mut found = Visit::load(conn, scope, &filter, Some(id), with_note).await?;
        found.pop().ok_or(diesel::NotFound)
    }

    /// Visits matching `filter`, newest first, a page at a time, and the
    /// total: exact up to `COUNT_LIMIT`, `COUNT_LIMIT + 1` for "more".
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &VisitFilter,
        with_note: bool,
    ) -> QueryResult<(Vec<Visit>, i64)> {
        let total = Visit::count(conn, scope, filter).await?;
        Ok((
            Visit::load(conn, scope, filter, None, with_note).await?,
            total,
        ))
    }

    fn query<'a>(
        scope: &ProgrammeScope,
        f: &VisitFilter,
    ) -> visits::BoxedQuery<'a, diesel::pg::Pg> {
        let mut q = visits::table.into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(visits::programme_id.eq_any(ids));
        }
        if let Some(p) = f.programme_id {
            q = q.filter(visits::programme_id.eq(p));
        }
        if !f.with_voided {
            q = q.filter(visits::voided_at.is_null());
        }
        if let Some(d) = f.from {
            q = q.filter(visits::visited_on.ge(d));
        }
        if let Some(d) = f.to {
            q = q.filter(visits::visited_on.le(d));
        }
        if let Some(m) = f.mother_id {
            q = q.filter(visits::mother_id.eq(m));
        }
        if let Some(fam) = f.family_id {
            q = q.filter(visits::family_id.eq(fam));
        }
        if let Some(d) = f.district_id {
            let in_district = families::table
                .filter(families::district_id.eq(d))
                .select(families::id.nullable());
            let of_mothers = mothers::table
                .filter(mothers::district_id.eq(d))
                .select(mothers::id);
            q = q.filter(
                visits::family_id.eq_any(in_district).or(visits::family_id
                    .is_null()
                    .and(visits::mother_id.eq_any(of_mothers))),
            );
        }
        if let Some(t) = f.topic_id {
            let with_topic = visit_topics::table
                .filter(visit_topics::topic_id.eq(t))
                .select(visit_topics::visit_id);
            q = q.filter(visits::id.eq_any(with_topic));
        }
        q
    }

    /// How many visits match, counted up to `COUNT_LIMIT + 1` (an exact
    /// count of a million visits costs more than the page itself).
    pub async fn count(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        f: &VisitFilter,
    ) -> QueryResult<i64> {
        let bounded = Visit::query(scope, f)
            .select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
            .limit(COUNT_LIMIT + 1);
        crate::db::CountRows(bounded).get_result(conn).await
    }

    async fn load(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        f: &VisitFilter,
        id: Option<i64>,
        with_note: bool,
    ) -> QueryResult<Vec<Visit>> {
        let mut q = Visit::query(scope, f);
        if let Some(id) = id {
            q = q.filter(visits::id.eq(id));
        }
        let rows: Vec<VisitRow> = q
            .select(VisitRow::as_select())
            .order((visits::visited_on.desc(), visits::id.desc()))
            .limit(f.per_page)
            .offset(crate::web::pagination::offset(f.page, f.per_page))
            .load(conn)
            .await?;
        let ids: Vec<VisitId> = rows.iter().map(|r| r.id).collect();
        let mother_ids: Vec<MotherId> = rows.iter().map(|r| r.mother_id).collect();
        let family_ids: Vec<FamilyId> = rows.iter().filter_map(|r| r.family_id).collect();
        let names: Vec<(MotherId, String)> = mothers::table
            .filter(mothers::id.eq_any(&mother_ids))
            .select((mothers::id, mothers::full_name))
            .load(conn)
            .await?;
        let codes: Vec<(FamilyId, String)> = if family_ids.is_empty() {
            Vec::new()
        } else {
            families::table
                .filter(families::id.eq_any(&family_ids))
                .select((families::id, families::reference_code))
                .load(conn)
                .await?
        };
        let links: Vec<(VisitId, TopicId)> = visit_topics::table
            .filter(visit_topics::visit_id.eq_any(&ids))
            .select((visit_topics::visit_id, visit_topics::topic_id))
            .order(visit_topics::topic_id)
            .load(conn)
            .await?;
        let refs: Vec<Referral> = referrals::table
            .filter(referrals::visit_id.eq_any(&ids))
            .select(Referral::as_select())
            .order(referrals::id)
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| Visit {
                id: r.id,
                programme_id: r.programme_id,
                mother_id: r.mother_id,
                mother_name: names
                    .iter()
                    .find(|(i, _)| *i == r.mother_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                family_id: r.family_id,
                family_code: r
                    .family_id
                    .and_then(|f| codes.iter().find(|(i, _)| *i == f).map(|(_, c)| c.clone())),
                visited_on: r.visited_on,
                duration_minutes: r.duration_minutes,
                kind: r.kind,
                interpreter_used: r.interpreter_used,
                topic_ids: links
                    .iter()
                    .filter(|(v, _)| *v == r.id)
                    .map(|(_, t)| *t)
                    .collect(),
                referrals: refs
                    .iter()
                    .filter(|x| x.visit_id == r.id)
                    .cloned()
                    .collect(),
                next_step: r.next_step,
                note: with_note.then_some(r.note),
                created_at: r.created_at,
                voided_at: r.voided_at,
                void_reason: r.void_reason,
                entered_by_mother: r.entered_by_mother,
                reviewed_at: r.reviewed_at,
                contact_origin: r.contact_origin,
            })
            .collect())
    }

    /// How many visits a mother made.
    pub async fn count_for_mother(
        conn: &mut AsyncPgConnection,
        mother_id: i64,
    ) -> QueryResult<i64> {
        visits::table
            .filter(visits::mother_id.eq(mother_id))
            .filter(visits::voided_at.is_null())
            .count()
            .get_result(conn)
            .await
    }
}
