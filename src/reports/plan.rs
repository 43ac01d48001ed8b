//! The visit plan in the yearly report: families that completed their
//! programme's plan in the year, how long it took them (median days from
//! the first visit to the plan's last), and, of the families closed in the
//! year before completing it, after which visit they stopped.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::ids::ProgrammeId;
use crate::visits::plan::VisitPlan;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanFigures {
    /// Visits in the programme's plan.
    pub visits_in_plan: i64,
    /// Families whose visit number `visits_in_plan` fell in the year.
    pub families_completed: i64,
    /// Median days from their first visit to that one; `null` without any.
    pub median_days_to_complete: Option<f64>,
    /// Families closed in the year before completing the plan, by the
    /// number of visits they had.
    pub stopped: Vec<StoppedAt>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoppedAt {
    pub after_visit: i64,
    pub families: i64,
}

#[derive(QueryableByName)]
struct Completed {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<Double>)]
    median: Option<f64>,
}

#[derive(QueryableByName)]
struct Stopped {
    #[diesel(sql_type = BigInt)]
    after_visit: i64,
    #[diesel(sql_type = BigInt)]
    families: i64,
}

/// The plan figures of one programme's year; `None` without a plan.
pub async fn figures(
    conn: &mut AsyncPgConnection,
    programme: i64,
    year: i32,
) -> QueryResult<Option<PlanFigures>> {
    let plan = VisitPlan::of(conn, ProgrammeId(programme)).await?;
    let n = plan.visits.len() as i64;
    if n == 0 {
        return Ok(None);
    }
    let completed: Completed = diesel::sql_query(
        "WITH v AS (
           SELECT family_id, visited_on,
                  row_number() OVER (PARTITION BY family_id ORDER BY visited_on, id) AS k
           FROM visits WHERE programme_id = $1 AND family_id IS NOT NULL AND voided_at IS NULL)
         SELECT count(*)::bigint AS n,
                percentile_cont(0.5) WITHIN GROUP
                  (ORDER BY (last.visited_on - first.visited_on))::float8 AS median
         FROM v last JOIN v first ON first.family_id = last.family_id AND first.k = 1
         WHERE last.k = $3
           AND last.visited_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)",
    )
    .bind::<BigInt, _>(programme)
    .bind::<Integer, _>(year)
    .bind::<BigInt, _>(n)
    .get_result(conn)
    .await?;
    let stopped: Vec<Stopped> = diesel::sql_query(
        "SELECT c.made AS after_visit, count(*)::bigint AS families FROM (
           SELECT (SELECT count(*) FROM visits v
                   WHERE v.family_id = f.id AND v.voided_at IS NULL) AS made
           FROM families f
           WHERE f.programme_id = $1 AND f.status = 'closed'
             AND f.closed_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)) c
         WHERE c.made < $3 GROUP BY 1 ORDER BY 1",
    )
    .bind::<BigInt, _>(programme)
    .bind::<Integer, _>(year)
    .bind::<BigInt, _>(n)
    .load(conn)
    .await?;
    Ok(Some(PlanFigures {
        visits_in_plan: n,
        families_completed: completed.n,
        median_days_to_complete: completed.median,
        stopped: stopped
            .into_iter()
            .map(|s| StoppedAt {
                after_visit: s.after_visit,
                families: s.families,
            })
            .collect(),
    }))
}
