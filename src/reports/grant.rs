//! The funder report of one grant: what the programme did within the
//! grant's period (and districts, when the grant is restricted to some),
//! and what was spent against the grant. SQL aggregates, as the yearly report.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::deserialize::FromSql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{EventFigures, TopicFigure, TopicRow, complete};
use crate::authz::ProgrammeScope;
use crate::funding::model::{ExpenseCategory, Grant, GrantDetail};
use crate::ids::GrantId;
use crate::visits::model::{ReferralStatus, VisitKind};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantActivity {
    /// Visits dated within the grant's period (in its districts).
    pub visits: i64,
    pub visits_by_kind: BTreeMap<String, i64>,
    /// Families with at least one such visit.
    pub families_reached: i64,
    /// Families whose first contact falls in the period (in its districts).
    pub families_new: i64,
    /// Mothers who made at least one such visit.
    pub mothers_visiting: i64,
    /// Mothers whose course completion falls in the period.
    pub mothers_trained: i64,
    pub topics: Vec<TopicFigure>,
    pub referrals: i64,
    pub referrals_done: i64,
    /// Referrals made at the period's visits, by service.
    pub referrals_by_service: Vec<super::model::ReferralFigure>,
    pub events: EventFigures,
    /// The training delivered in the period.
    pub training: TrainingFigures,
}

/// Modules of the programme's courses held in the period (training is
/// the programme's, not a district's).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingFigures {
    pub modules: i64,
    pub minutes: i64,
    /// Modules with an interpreter, and their minutes.
    pub interpreted_modules: i64,
    pub interpreted_minutes: i64,
    /// Modules interpreted into each language (ISO 639).
    pub interpreter_languages: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantReport {
    /// The grant with its funder and spending (as `GET /api/v1/grants/{id}`).
    pub grant: GrantDetail,
    pub programme: String,
    /// The districts the grant is restricted to (empty: the whole programme).
    pub districts: Vec<String>,
    pub activity: GrantActivity,
    /// Confirmed expenses charged to the grant, by category.
    pub spent_by_category: BTreeMap<String, i64>,
    /// Spent / visits, in minor units; `null` without visits.
    pub cost_per_visit_minor: Option<i64>,
    /// Which activity the grant claims, and by which rule.
    pub attribution: Attribution,
}

/// What a funder report claims: a grant restricted to districts claims
/// their activity (`rule: districts`); an unrestricted grant reports the
/// programme's activity in its period and attributes to itself the share
/// it had of the programme's funding in that period (`rule: share`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attribution {
    /// `districts` or `share`.
    pub rule: String,
    /// The programme's funding in the period, in the grant's currency: the
    /// granted (and closed) grants, each counted for the share of its days
    /// that falls in the period. `null` for the `districts` rule.
    pub funding_in_period_minor: Option<i64>,
    /// This grant's amount / that funding (0 to 1).
    pub share: Option<f64>,
    /// The activity times the share, rounded.
    pub visits: Option<i64>,
    pub families_reached: Option<i64>,
    pub mothers_trained: Option<i64>,
}

#[derive(QueryableByName)]
struct Num {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A count by key: a string, or an enum declared with `text_enum!` (an
/// unknown value is then an error).
#[derive(QueryableByName)]
struct Keyed<K> {
    #[diesel(sql_type = Text)]
    k: K,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The visits of the grant: `$1` programme, `$2`..`$3` period, `$4` districts
/// (empty: all). A visit's district is its family's, or else its mother's.
const GRANT_VISITS: &str = "FROM visits v
     LEFT JOIN families f ON f.id = v.family_id
     JOIN mothers m ON m.id = v.mother_id
     WHERE v.programme_id = $1 AND v.visited_on BETWEEN $2 AND $3 AND v.voided_at IS NULL
       AND (cardinality($4::bigint[]) = 0 OR coalesce(f.district_id, m.district_id) = ANY($4))";

struct Params<'a> {
    programme: i64,
    from: NaiveDate,
    to: NaiveDate,
    districts: &'a [i64],
}

impl Params<'_> {
    async fn one(&self, conn: &mut AsyncPgConnection, sql: &str) -> QueryResult<i64> {
        let r: Num = diesel::sql_query(sql)
            .bind::<BigInt, _>(self.programme)
            .bind::<Date, _>(self.from)
            .bind::<Date, _>(self.to)
            .bind::<Array<BigInt>, _>(self.districts)
            .get_result(conn)
            .await?;
        Ok(r.n)
    }

    async fn keyed<K>(&self, conn: &mut AsyncPgConnection, sql: &str) -> QueryResult<Vec<(K, i64)>>
    where
        K: FromSql<Text, Pg> + Send + 'static,
    {
        let rows: Vec<Keyed<K>> = diesel::sql_query(sql)
            .bind::<BigInt, _>(self.programme)
            .bind::<Date, _>(self.from)
            .bind::<Date, _>(self.to)
            .bind::<Array<BigInt>, _>(self.districts)
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(|r| (r.k, r.n)).collect())
    }
}

/// The report of grant `id`, if the caller may see its programme.
pub async fn grant_report(
    conn: &mut AsyncPgConnection,
    scope: &ProgrammeScope,
    id: i64,
) -> QueryResult<GrantReport> {
    let grant = Grant::find(conn, scope, GrantId(id)).await?;
    let g = &grant.grant;
    let district_ids: Vec<i64> = grant.district_ids.iter().map(|d| d.0).collect();
    let p = Params {
        programme: g.programme_id.0,
        from: g.starts_on,
        to: g.ends_on,
        districts: &district_ids,
    };
    let programme: String = crate::schema::programmes::table
        .find(g.programme_id)
        .select(crate::schema::programmes::name)
        .first(conn)
        .await?;
    let districts: Vec<String> = crate::schema::districts::table
        .filter(crate::schema::districts::id.eq_any(&grant.district_ids))
        .order(crate::schema::districts::name)
        .select(crate::schema::districts::name)
        .load(conn)
        .await?;

    let visits = p
        .one(conn, &format!("SELECT count(*) AS n {GRANT_VISITS}"))
        .await?;
    let kinds: Vec<(VisitKind, i64)> = p
        .keyed(
            conn,
            &format!("SELECT v.kind AS k, count(*) AS n {GRANT_VISITS} GROUP BY 1"),
        )
        .await?;
    let families_reached = p
        .one(
            conn,
            &format!("SELECT count(DISTINCT v.family_id) AS n {GRANT_VISITS}"),
        )
        .await?;
    let mothers_visiting = p
        .one(
            conn,
            &format!("SELECT count(DISTINCT v.mother_id) AS n {GRANT_VISITS}"),
        )
        .await?;
    let families_new = p
        .one(
            conn,
            "SELECT count(*) AS n FROM families
             WHERE programme_id = $1 AND first_contact_on BETWEEN $2 AND $3
               AND (cardinality($4::bigint[]) = 0 OR district_id = ANY($4))",
        )
        .await?;
    let mothers_trained = p
        .one(
            conn,
            "SELECT count(DISTINCT e.mother_id) AS n FROM enrolments e JOIN mothers m ON m.id = e.mother_id
             WHERE e.programme_id = $1 AND e.status = 'completed' AND e.completed_on BETWEEN $2 AND $3
               AND (cardinality($4::bigint[]) = 0 OR m.district_id = ANY($4))",
        )
        .await?;

    let topic_rows: Vec<TopicRow> = diesel::sql_query(format!(
        "SELECT t.id, t.key, t.label, count(*) AS n
         FROM visit_topics vt JOIN topics t ON t.id = vt.topic_id
         WHERE vt.visit_id IN (SELECT v.id {GRANT_VISITS})
         GROUP BY t.id, t.key, t.label ORDER BY count(*) DESC, t.id"
    ))
    .bind::<BigInt, _>(p.programme)
    .bind::<Date, _>(p.from)
    .bind::<Date, _>(p.to)
    .bind::<Array<BigInt>, _>(p.districts)
    .load(conn)
    .await?;
    let topics = topic_rows.into_iter().map(|t| t.figure(visits)).collect();
    let referrals: Vec<(ReferralStatus, i64)> = p
        .keyed(
            conn,
            &format!(
                "SELECT r.status AS k, count(*) AS n FROM referrals r
                 WHERE r.visit_id IN (SELECT v.id {GRANT_VISITS}) GROUP BY 1"
            ),
        )
        .await?;
    let events: Vec<(String, i64)> = p
        .keyed(
            conn,
            "SELECT k, n FROM (
               SELECT count(*) AS c, coalesce(sum(migrant_participants), 0)::bigint AS mi,
                      coalesce(sum(local_participants), 0)::bigint AS lo
               FROM events WHERE programme_id = $1 AND held_on BETWEEN $2 AND $3
                 AND (cardinality($4::bigint[]) = 0 OR district_id = ANY($4))) e,
             LATERAL (VALUES ('count', e.c), ('migrant', e.mi), ('local', e.lo)) AS x(k, n)",
        )
        .await?;
    let event = |k: &str| events.iter().find(|(x, _)| x == k).map_or(0, |(_, n)| *n);
    let programmes = [p.programme];
    let event_kinds: Vec<(String, i64)> = p
        .keyed(
            conn,
            "SELECT kind AS k, count(*) AS n FROM events
             WHERE programme_id = $1 AND held_on BETWEEN $2 AND $3
               AND (cardinality($4::bigint[]) = 0 OR district_id = ANY($4)) GROUP BY 1",
        )
        .await?;
    let events_by_kind = super::lists::by_kind(conn, &programmes, &event_kinds).await?;
    let register =
        super::participants::figures(conn, &programmes, (p.from, p.to), p.districts).await?;
    let made: Vec<(String, i64)> = p
        .keyed(
            conn,
            &format!(
                "SELECT r.service AS k, count(*) AS n FROM referrals r
                 WHERE r.visit_id IN (SELECT v.id {GRANT_VISITS}) GROUP BY 1"
            ),
        )
        .await?;
    let done: Vec<(String, i64)> = p
        .keyed(
            conn,
            &format!(
                "SELECT r.service AS k, count(*) AS n FROM referrals r
                 WHERE r.status = 'done' AND r.visit_id IN (SELECT v.id {GRANT_VISITS}) GROUP BY 1"
            ),
        )
        .await?;
    let counts: Vec<(String, i64, i64)> = made
        .into_iter()
        .map(|(k, n)| {
            let d = done.iter().find(|(x, _)| *x == k).map_or(0, |(_, d)| *d);
            (k, n, d)
        })
        .collect();
    let referrals_by_service = super::lists::by_service(conn, &programmes, &counts).await?;
    let training = training(&p, conn).await?;

    let by_category: Vec<Keyed<ExpenseCategory>> = diesel::sql_query(
        "SELECT category AS k, sum(amount_minor)::bigint AS n FROM expenses
         WHERE grant_id = $1 AND status = 'confirmed' GROUP BY 1",
    )
    .bind::<BigInt, _>(g.id)
    .load(conn)
    .await?;
    let cost_per_visit =
        (visits > 0).then(|| (grant.spent_minor as f64 / visits as f64).round() as i64);
    let attribution = if grant.district_ids.is_empty() {
        let funding: Num = diesel::sql_query(
            "SELECT coalesce(round(sum(g.amount_minor::numeric
                      * (LEAST(g.ends_on, $3) - GREATEST(g.starts_on, $2) + 1)
                      / (g.ends_on - g.starts_on + 1))), 0)::bigint AS n
             FROM grants g
             WHERE g.programme_id = $1 AND g.currency = $4
               AND (g.status IN ('granted', 'closed') OR g.id = $5)
               AND g.starts_on <= $3 AND g.ends_on >= $2",
        )
        .bind::<BigInt, _>(p.programme)
        .bind::<Date, _>(p.from)
        .bind::<Date, _>(p.to)
        .bind::<Text, _>(&g.currency)
        .bind::<BigInt, _>(g.id)
        .get_result(conn)
        .await?;
        let share = (funding.n > 0).then(|| (g.amount_minor as f64 / funding.n as f64).min(1.0));
        let part = |n: i64| share.map(|s| (n as f64 * s).round() as i64);
        Attribution {
            rule: "share".into(),
            funding_in_period_minor: Some(funding.n),
            share,
            visits: part(visits),
            families_reached: part(families_reached),
            mothers_trained: part(mothers_trained),
        }
    } else {
        Attribution {
            rule: "districts".into(),
            funding_in_period_minor: None,
            share: None,
            visits: None,
            families_reached: None,
            mothers_trained: None,
        }
    };

    Ok(GrantReport {
        programme,
        districts,
        activity: GrantActivity {
            visits,
            visits_by_kind: complete(&VisitKind::ALL, kinds),
            families_reached,
            families_new,
            mothers_visiting,
            mothers_trained,
            topics,
            referrals: referrals.iter().map(|(_, n)| n).sum(),
            referrals_done: referrals
                .iter()
                .filter(|(k, _)| *k == ReferralStatus::Done)
                .map(|(_, n)| n)
                .sum(),
            events: EventFigures {
                count: event("count"),
                participants_migrant: event("migrant"),
                participants_local: event("local"),
                by_kind: events_by_kind,
                register,
            },
            referrals_by_service,
            training,
        },
        spent_by_category: complete(
            &ExpenseCategory::ALL,
            by_category.into_iter().map(|r| (r.k, r.n)).collect(),
        ),
        cost_per_visit_minor: cost_per_visit,
        attribution,
        grant,
    })
}

/// The modules of the programme's courses held in the grant's period.
async fn training(p: &Params<'_>, conn: &mut AsyncPgConnection) -> QueryResult<TrainingFigures> {
    const HELD: &str = "FROM course_modules cm JOIN courses c ON c.id = cm.course_id
         WHERE c.programme_id = $1 AND cm.held_on BETWEEN $2 AND $3
           AND cardinality($4::bigint[]) >= 0 -- the districts: bound, not used
         ";
    let figures: Vec<(String, i64)> = p
        .keyed(
            conn,
            &format!(
                "SELECT k, n FROM (
                   SELECT count(*) AS m, coalesce(sum(cm.minutes), 0)::bigint AS mi,
                          count(*) FILTER (WHERE cardinality(cm.interpreter_languages) > 0) AS im,
                          coalesce(sum(cm.minutes) FILTER
                            (WHERE cardinality(cm.interpreter_languages) > 0), 0)::bigint AS imi
                   {HELD}) t,
                 LATERAL (VALUES ('modules', t.m), ('minutes', t.mi),
                                 ('interpreted', t.im), ('interpreted_minutes', t.imi)) AS x(k, n)"
            ),
        )
        .await?;
    let figure = |k: &str| figures.iter().find(|(x, _)| x == k).map_or(0, |(_, n)| *n);
    let languages: Vec<(String, i64)> = p
        .keyed(
            conn,
            &format!(
                "SELECT l AS k, count(*) AS n FROM (SELECT unnest(cm.interpreter_languages) AS l {HELD}) u
                 WHERE l IS NOT NULL GROUP BY 1"
            ),
        )
        .await?;
    Ok(TrainingFigures {
        modules: figure("modules"),
        minutes: figure("minutes"),
        interpreted_modules: figure("interpreted"),
        interpreted_minutes: figure("interpreted_minutes"),
        interpreter_languages: languages.into_iter().collect(),
    })
}
