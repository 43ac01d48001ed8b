//! A year's three headline figures (visits, families reached, mothers
//! trained), as the yearly report gives them, without the rest of the
//! report: the manager's home shows them for this year and last, and the
//! whole report twice per page cost a national programme's managers 40 ms
//! of database time per visit of their home page.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use serde::Serialize;

use super::model::{one, visits_by_month};
use super::rollup;

/// The figures of one year, equal to the yearly report's `visits.total`,
/// `families.reached` and `mothers_trained`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Headline {
    pub visits: i64,
    pub families_reached: i64,
    pub mothers_trained: i64,
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
