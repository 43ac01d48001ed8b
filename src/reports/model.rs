//! The yearly report: every figure is an SQL aggregate over the selected
//! programmes and year (no rows are loaded into Rust to be counted).
//! Money is summed only within one currency; programmes with different
//! currencies are reported side by side.

use std::collections::BTreeMap;

use diesel::deserialize::FromSql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use super::rollup::Dimension;
use crate::funding::model::{ExpenseCategory, FunderKind};
use crate::visits::model::VisitKind;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearCount {
    pub year: i32,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DistrictCount {
    /// `null` for visits whose family and mother have no district.
    pub district_id: Option<i64>,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitFigures {
    pub total: i64,
    /// January to December.
    pub by_month: Vec<i64>,
    pub by_kind: BTreeMap<String, i64>,
    pub by_district: Vec<DistrictCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FamilyFigures {
    /// Families with at least one visit in the year.
    pub reached: i64,
    /// Families whose first contact falls in the year.
    pub new: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TopicFigure {
    /// The default topic's key, or `topic-<id>` for a programme's own.
    pub key: String,
    pub label: String,
    /// Visits of the year that discussed it.
    pub count: i64,
    /// `count` / visits of the year; `null` without visits.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralFigure {
    /// The service's code: a default's key, or a programme's own service's id.
    pub service: String,
    /// Its label as recorded (a default's is translated in the pages).
    pub label: String,
    /// Referrals made at visits of the year.
    pub count: i64,
    /// Of those, done (at any date).
    pub done: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventFigures {
    pub count: i64,
    pub participants_migrant: i64,
    pub participants_local: i64,
    /// Every default kind and the programmes' own, with their events.
    pub by_kind: Vec<super::lists::KindFigure>,
    /// Distinct people from the participant register, their mix,
    /// countries and ages, and the integration partnerships; `null`
    /// when no programme of the report keeps a register.
    pub register: Option<super::participants::ParticipantFigures>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunderAmount {
    pub funder_id: i64,
    pub name: String,
    pub kind: FunderKind,
    pub received_minor: i64,
}

/// Funding received in the year, in one currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundingFigures {
    pub currency: String,
    pub received_minor: i64,
    pub by_funder: Vec<FunderAmount>,
    pub by_kind: BTreeMap<String, i64>,
}

/// Expenses of the year, in one currency.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExpenseFigures {
    pub currency: String,
    pub total_minor: i64,
    pub by_category: BTreeMap<String, i64>,
}

pub use super::per_currency::PerCurrency;

/// The yearly report (names as in the reports issue).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearlyReport {
    pub year: i32,
    pub programmes: Vec<i64>,
    /// Every year up to `year`: mothers whose course completion falls in it.
    pub mothers_trained_by_year: Vec<YearCount>,
    pub mothers_trained: i64,
    /// Mothers whose status on 31 December was "active".
    pub active_mothers_at_year_end: i64,
    pub visits: VisitFigures,
    pub families: FamilyFigures,
    pub topics: Vec<TopicFigure>,
    pub referrals: Vec<ReferralFigure>,
    pub events: EventFigures,
    /// One entry per currency.
    #[schema(value_type = Vec<FundingFigures>)]
    pub funding: PerCurrency<FundingFigures>,
    /// One entry per currency.
    #[schema(value_type = Vec<ExpenseFigures>)]
    pub expenses: PerCurrency<ExpenseFigures>,
    /// Expenses / visits, in minor units; `null` without visits or with
    /// several currencies.
    pub cost_per_visit_minor: Option<i64>,
    /// Expenses / mothers trained; `null` without any or with several currencies.
    pub cost_per_mother_trained_minor: Option<i64>,
    /// Own capital / funding received; `null` without funding or with several currencies.
    pub own_capital_share: Option<f64>,
    /// The programme's visit plan in the year (a report of one programme
    /// with a plan; `null` otherwise).
    pub visit_plan: Option<super::plan::PlanFigures>,
    /// Each questionnaire's answers before and after, per item and goal.
    pub outcomes: Vec<super::outcomes::OutcomeFigures>,
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

pub(super) async fn one(
    conn: &mut AsyncPgConnection,
    sql: &str,
    p: &[i64],
    year: i32,
) -> QueryResult<i64> {
    let r: Num = diesel::sql_query(sql)
        .bind::<Array<BigInt>, _>(p)
        .bind::<Integer, _>(year)
        .get_result(conn)
        .await?;
    Ok(r.n)
}

async fn keyed<K>(
    conn: &mut AsyncPgConnection,
    sql: &str,
    p: &[i64],
    year: i32,
) -> QueryResult<Vec<(K, i64)>>
where
    K: FromSql<Text, Pg> + Send + 'static,
{
    let rows: Vec<Keyed<K>> = diesel::sql_query(sql)
        .bind::<Array<BigInt>, _>(p)
        .bind::<Integer, _>(year)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|r| (r.k, r.n)).collect())
}

/// A topic with the visits that discussed it (a query row).
#[derive(QueryableByName)]
pub(crate) struct TopicRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = Text)]
    label: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl TopicRow {
    /// The figure, with its share of `visits` (`null` without visits).
    pub(crate) fn figure(self, visits: i64) -> TopicFigure {
        TopicFigure {
            key: self.key.unwrap_or_else(|| format!("topic-{}", self.id)),
            label: self.label,
            count: self.n,
            share: (visits > 0).then(|| self.n as f64 / visits as f64),
        }
    }
}

/// Every value of `all` (an enum's `ALL`) with its count (0 when
/// absent), by its stored string.
pub(crate) fn complete<K: AsRef<str>>(all: &[K], found: Vec<(K, i64)>) -> BTreeMap<String, i64> {
    let mut m: BTreeMap<String, i64> = all.iter().map(|k| (k.as_ref().to_owned(), 0)).collect();
    for (k, n) in found {
        *m.entry(k.as_ref().to_owned()).or_insert(0) += n;
    }
    m
}

/// The days of `year` as an SQL range, used by every query below:
/// `$2` is the year, so `make_date($2, 1, 1)` .. `make_date($2 + 1, 1, 1)`.
const IN_YEAR: &str = "BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)";

/// Visits per month of `year`, January to December.
pub async fn visits_by_month(
    conn: &mut AsyncPgConnection,
    p: &[i64],
    year: i32,
) -> QueryResult<Vec<i64>> {
    let months: Vec<(String, i64)> = keyed(
        conn,
        &format!(
            "SELECT EXTRACT(MONTH FROM month)::text AS k, sum(count)::bigint AS n FROM {}
             WHERE dimension = '{}' GROUP BY 1",
            super::rollup::counts_source(),
            Dimension::Kind
        ),
        p,
        year,
    )
    .await?;
    let mut by_month = vec![0i64; 12];
    for (m, n) in months {
        if let Some(slot) = m
            .parse::<usize>()
            .ok()
            .and_then(|m| m.checked_sub(1))
            .and_then(|i| by_month.get_mut(i))
        {
            *slot = n;
        }
    }
    Ok(by_month)
}

pub async fn yearly(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    year: i32,
) -> QueryResult<YearlyReport> {
    let p = programmes;
    let trained = crate::training::model::mothers_trained_by_year(conn, p, year).await?;
    let mut by_year: BTreeMap<i32, i64> = BTreeMap::new();
    for (_, y, n) in trained {
        *by_year.entry(y).or_insert(0) += n;
    }
    let mothers_trained = by_year.get(&year).copied().unwrap_or(0);

    let active = one(
        conn,
        "SELECT count(*) AS n FROM (
           SELECT DISTINCT ON (c.mother_id) c.to_status
           FROM mother_status_changes c JOIN mothers m ON m.id = c.mother_id
           WHERE m.programme_id = ANY($1) AND c.changed_on <= make_date($2, 12, 31)
           ORDER BY c.mother_id, c.changed_on DESC, c.id DESC) last
         WHERE to_status = 'active'",
        p,
        year,
    )
    .await?;

    // The visit figures come from the monthly roll-ups (stale months
    // counted on the fly; see `rollup`): nothing is written.
    let by_month = visits_by_month(conn, p, year).await?;
    let visits_total: i64 = by_month.iter().sum();
    let source = super::rollup::counts_source();
    let counts = |dimension: Dimension| {
        format!(
            "SELECT key AS k, sum(count)::bigint AS n FROM {source}
             WHERE dimension = '{dimension}' GROUP BY 1"
        )
    };
    let kinds: Vec<(VisitKind, i64)> = keyed(conn, &counts(Dimension::Kind), p, year).await?;
    #[derive(QueryableByName)]
    struct DistrictRow {
        #[diesel(sql_type = Nullable<BigInt>)]
        id: Option<i64>,
        #[diesel(sql_type = Nullable<Text>)]
        name: Option<String>,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // A visit's district: its family's, or else its mother's ('' for none).
    let districts: Vec<DistrictRow> = diesel::sql_query(format!(
        "SELECT d.id, d.name, c.n FROM ({}) c
         LEFT JOIN districts d ON d.id = nullif(c.k, '')::bigint
         ORDER BY d.name NULLS LAST",
        counts(Dimension::District)
    ))
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .load(conn)
    .await?;

    let reached = one(conn, &super::rollup::reached_source(), p, year).await?;
    let new_families = one(
        conn,
        &format!(
            "SELECT coalesce(sum(count), 0)::bigint AS n FROM {source}
             WHERE dimension = '{}'",
            Dimension::NewFamily
        ),
        p,
        year,
    )
    .await?;

    let topic_rows: Vec<TopicRow> = diesel::sql_query(format!(
        "SELECT t.id, t.key, t.label, c.n FROM ({}) c JOIN topics t ON t.id = c.k::bigint
         ORDER BY c.n DESC, t.id",
        counts(Dimension::Topic)
    ))
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .load(conn)
    .await?;
    let topics = topic_rows
        .into_iter()
        .map(|t| t.figure(visits_total))
        .collect();

    #[derive(QueryableByName)]
    struct RefRow {
        #[diesel(sql_type = Text)]
        service: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = BigInt)]
        done: i64,
    }
    let ref_rows: Vec<RefRow> = diesel::sql_query(format!(
        "SELECT r.k AS service, r.n, coalesce(d.n, 0)::bigint AS done FROM ({}) r
         LEFT JOIN ({}) d ON d.k = r.k",
        counts(Dimension::Referral),
        counts(Dimension::ReferralDone)
    ))
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .load(conn)
    .await?;
    let counts: Vec<(String, i64, i64)> = ref_rows
        .into_iter()
        .map(|r| (r.service, r.n, r.done))
        .collect();
    let referrals = super::lists::by_service(conn, p, &counts).await?;

    #[derive(QueryableByName)]
    struct EventRow {
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = BigInt)]
        migrant: i64,
        #[diesel(sql_type = BigInt)]
        local: i64,
    }
    let ev: EventRow = diesel::sql_query(format!(
        "SELECT count(*) AS n, coalesce(sum(migrant_participants), 0)::bigint AS migrant,
                coalesce(sum(local_participants), 0)::bigint AS local
         FROM events WHERE programme_id = ANY($1) AND held_on {IN_YEAR}"
    ))
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .get_result(conn)
    .await?;
    #[derive(QueryableByName)]
    struct KindRow {
        #[diesel(sql_type = Text)]
        k: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let event_kinds: Vec<KindRow> = diesel::sql_query(format!(
        "SELECT kind AS k, count(*) AS n FROM events
         WHERE programme_id = ANY($1) AND held_on {IN_YEAR} GROUP BY 1"
    ))
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .load(conn)
    .await?;
    let event_kinds: Vec<(String, i64)> = event_kinds.into_iter().map(|r| (r.k, r.n)).collect();
    let events_by_kind = super::lists::by_kind(conn, p, &event_kinds).await?;
    let whole_year = (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let register = super::participants::figures(conn, p, whole_year, &[]).await?;
    let outcomes = super::outcomes::figures(conn, p, whole_year).await?;

    // Funding received in the year: each granted (or closed) grant counts
    // with the share of its days that fall in the year.
    #[derive(QueryableByName)]
    struct FundRow {
        #[diesel(sql_type = Text)]
        currency: String,
        #[diesel(sql_type = BigInt)]
        funder_id: i64,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        kind: FunderKind,
        #[diesel(sql_type = BigInt)]
        received: i64,
    }
    let fund_rows: Vec<FundRow> = diesel::sql_query(
        "SELECT g.currency, f.id AS funder_id, f.name, f.kind,
                sum(floor(g.amount_minor::numeric
                    * (least(g.ends_on, make_date($2, 12, 31)) - greatest(g.starts_on, make_date($2, 1, 1)) + 1)
                    / (g.ends_on - g.starts_on + 1)))::bigint AS received
         FROM grants g JOIN funders f ON f.id = g.funder_id
         WHERE g.programme_id = ANY($1) AND g.status IN ('granted', 'closed')
           AND g.starts_on <= make_date($2, 12, 31) AND g.ends_on >= make_date($2, 1, 1)
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 5 DESC, 3",
    )
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .load(conn)
    .await?;
    #[derive(QueryableByName)]
    struct ExpRow {
        #[diesel(sql_type = Text)]
        currency: String,
        #[diesel(sql_type = Text)]
        category: ExpenseCategory,
        #[diesel(sql_type = BigInt)]
        total: i64,
    }
    let exp_rows: Vec<ExpRow> = diesel::sql_query(format!(
        "SELECT currency, category, sum(amount_minor)::bigint AS total FROM expenses
         WHERE programme_id = ANY($1) AND status = 'confirmed' AND spent_on {IN_YEAR} GROUP BY 1, 2"
    ))
    .bind::<Array<BigInt>, _>(p)
    .bind::<Integer, _>(year)
    .load(conn)
    .await?;
    let currencies: Vec<String> = {
        #[derive(QueryableByName)]
        struct Cur {
            #[diesel(sql_type = Text)]
            currency: String,
        }
        let rows: Vec<Cur> = diesel::sql_query(
            "SELECT DISTINCT currency FROM programmes WHERE id = ANY($1) ORDER BY 1",
        )
        .bind::<Array<BigInt>, _>(p)
        .load(conn)
        .await?;
        rows.into_iter().map(|c| c.currency).collect()
    };
    let funding_of = |c: &str| {
        let rows: Vec<&FundRow> = fund_rows.iter().filter(|r| r.currency == c).collect();
        FundingFigures {
            currency: c.to_owned(),
            received_minor: rows.iter().map(|r| r.received).sum(),
            by_funder: rows
                .iter()
                .map(|r| FunderAmount {
                    funder_id: r.funder_id,
                    name: r.name.clone(),
                    kind: r.kind,
                    received_minor: r.received,
                })
                .collect(),
            by_kind: complete(
                &FunderKind::ALL,
                rows.iter().map(|r| (r.kind, r.received)).collect(),
            ),
        }
    };
    let expenses_of = |c: &str| {
        let rows: Vec<&ExpRow> = exp_rows.iter().filter(|r| r.currency == c).collect();
        ExpenseFigures {
            currency: c.to_owned(),
            total_minor: rows.iter().map(|r| r.total).sum(),
            by_category: complete(
                &ExpenseCategory::ALL,
                rows.iter().map(|r| (r.category, r.total)).collect(),
            ),
        }
    };
    let (funding, expenses, cost_per_visit, cost_per_mother, own_share) = match currencies
        .as_slice()
    {
        [c] => {
            let f = funding_of(c);
            let e = expenses_of(c);
            let per = |d: i64| (d > 0).then(|| (e.total_minor as f64 / d as f64).round() as i64);
            let own = f
                .by_kind
                .get(FunderKind::OwnCapital.as_str())
                .copied()
                .unwrap_or(0);
            let share = (f.received_minor > 0).then(|| own as f64 / f.received_minor as f64);
            let (cv, cm) = (per(visits_total), per(mothers_trained));
            (PerCurrency::One(f), PerCurrency::One(e), cv, cm, share)
        }
        many => (
            PerCurrency::Several(many.iter().map(|c| funding_of(c)).collect()),
            PerCurrency::Several(many.iter().map(|c| expenses_of(c)).collect()),
            None,
            None,
            None,
        ),
    };

    Ok(YearlyReport {
        year,
        programmes: p.to_vec(),
        mothers_trained_by_year: by_year
            .into_iter()
            .map(|(year, count)| YearCount { year, count })
            .collect(),
        mothers_trained,
        active_mothers_at_year_end: active,
        visits: VisitFigures {
            total: visits_total,
            by_month,
            by_kind: complete(&VisitKind::ALL, kinds),
            by_district: districts
                .into_iter()
                .map(|d| DistrictCount {
                    district_id: d.id,
                    name: d.name.unwrap_or_default(),
                    count: d.n,
                })
                .collect(),
        },
        families: FamilyFigures {
            reached,
            new: new_families,
        },
        topics,
        referrals,
        events: EventFigures {
            count: ev.n,
            participants_migrant: ev.migrant,
            participants_local: ev.local,
            by_kind: events_by_kind,
            register,
        },
        funding,
        expenses,
        cost_per_visit_minor: cost_per_visit,
        cost_per_mother_trained_minor: cost_per_mother,
        own_capital_share: own_share,
        visit_plan: match p {
            [one] => super::plan::figures(conn, *one, year).await?,
            _ => None,
        },
        outcomes,
    })
}
