//! The home pages' figures from the roll-ups. A year's three headline
//! figures (visits, families reached, mothers trained), as the yearly
//! report gives them, without the rest of the report: the manager's home
//! shows them for this year and last, and the whole report twice per page
//! cost a national programme's managers 40 ms of database time per visit
//! of their home page. And a month's visits per mother, for the
//! coordinator's home.

use diesel::QueryResult;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;

use super::model::{one, visits_by_month};
use super::rollup;
use crate::ids::MotherId;

/// The figures of one year, equal to the yearly report's `visits.total`,
/// `families.reached` and `mothers_trained`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Headline {
    pub visits: i64,
    pub families_reached: i64,
    pub mothers_trained: i64,
}

/// Visits per mother of these programmes in the month starting `month`,
/// the most first, with her name: from the roll-ups (the month counted on
/// the fly while it is still to be recounted, as in the report), equal to
/// counting the month's visits.
pub async fn visits_by_mother(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    month: chrono::NaiveDate,
) -> QueryResult<Vec<(MotherId, String, i64)>> {
    use chrono::Datelike;
    use diesel::sql_types::{Array, BigInt, Date, Integer, Text};
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        full_name: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT m.id, m.full_name, c.n FROM (
           SELECT key::bigint AS mother_id, sum(count)::bigint AS n FROM {}
           WHERE dimension = '{}' AND month = $3 GROUP BY 1) c
         JOIN mothers m ON m.id = c.mother_id
         ORDER BY c.n DESC, m.full_name",
        rollup::counts_source(),
        rollup::Dimension::Mother
    ))
    .bind::<Array<BigInt>, _>(programmes)
    .bind::<Integer, _>(month.year())
    .bind::<Date, _>(month)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (MotherId(r.id), r.full_name, r.n))
        .collect())
}

/// The headline figures of `year` for these programmes, from the roll-ups
/// (months still to be recounted counted on the fly, as in the report).
pub async fn headline(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    year: i32,
) -> QueryResult<Headline> {
    let visits = visits_by_month(conn, programmes, year).await?.iter().sum();
    let families_reached = one(conn, &rollup::reached_source(), programmes, year).await?;
    let mothers_trained = crate::training::model::mothers_trained_by_year(conn, programmes, year)
        .await?
        .into_iter()
        .filter(|(_, y, _)| *y == year)
        .map(|(_, _, n)| n)
        .sum();
    Ok(Headline {
        visits,
        families_reached,
        mothers_trained,
    })
}
