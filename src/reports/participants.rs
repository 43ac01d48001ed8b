//! The participant register in the reports: distinct people who attended
//! an event of the period (not the sum of per-event counts), their mix,
//! countries of origin and age bands, and the integration partnerships
//! that ran in it (Darmstadt 2019: 52 people, 23 local and 29 migrant,
//! from 11 countries; 9 partnerships). Only for programmes that keep a
//! register; the per-event counts stay for the others.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantFigures {
    /// Distinct registered people who attended an event of the period.
    pub people: i64,
    pub local: i64,
    pub migrant: i64,
    /// Distinct countries of origin among them.
    pub countries: i64,
    /// People by country of origin (ISO 3166-1 alpha-2), most first.
    pub by_country: Vec<CountryCount>,
    /// People by age band (`null`: not recorded), youngest first.
    pub by_age_band: Vec<AgeBandCount>,
    /// Integration partnerships that ran during the period.
    pub partnerships: i64,
    /// Of those, started in the period.
    pub partnerships_started: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema, QueryableByName)]
pub struct CountryCount {
    #[diesel(sql_type = Text)]
    pub country: String,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema, QueryableByName)]
pub struct AgeBandCount {
    #[diesel(sql_type = Nullable<Text>)]
    pub age_band: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

#[derive(QueryableByName)]
struct Totals {
    #[diesel(sql_type = BigInt)]
    registered: i64,
    #[diesel(sql_type = BigInt)]
    people: i64,
    #[diesel(sql_type = BigInt)]
    local: i64,
    #[diesel(sql_type = BigInt)]
    countries: i64,
    #[diesel(sql_type = BigInt)]
    partnerships: i64,
    #[diesel(sql_type = BigInt)]
    partnerships_started: i64,
}

/// The people who attended an event of the programmes in the period.
const PEOPLE: &str = "WITH people AS (
       SELECT DISTINCT p.id, p.origin, p.country, p.age_band
       FROM event_participants ep
       JOIN events e ON e.id = ep.event_id
       JOIN participants p ON p.id = ep.participant_id
       WHERE e.programme_id = ANY($1) AND e.held_on BETWEEN $2 AND $3
         AND (cardinality($4::bigint[]) = 0 OR e.district_id = ANY($4))) ";

/// Partnerships of the programmes that ran in the period; for some
/// districts only (`$4`), those with a partner among the people.
const PARTNERSHIPS: &str = "FROM partnerships pa WHERE pa.programme_id = ANY($1)
       AND pa.started_on <= $3 AND (pa.ended_on IS NULL OR pa.ended_on >= $2)
       AND (cardinality($4::bigint[]) = 0
            OR EXISTS (SELECT 1 FROM people WHERE people.id IN (pa.local_id, pa.migrant_id)))";

/// The register's figures for `programmes` from `from` to `to` (at
/// events in `districts`; empty: all); `None` when none of them keeps a
/// register.
pub async fn figures(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    (from, to): (NaiveDate, NaiveDate),
    districts: &[i64],
) -> QueryResult<Option<ParticipantFigures>> {
    let t: Totals = diesel::sql_query(format!(
        "{PEOPLE}
         SELECT (SELECT count(*) FROM participants WHERE programme_id = ANY($1)) AS registered,
                (SELECT count(*) FROM people) AS people,
                (SELECT count(*) FROM people WHERE origin = 'local') AS local,
                (SELECT count(DISTINCT country) FROM people) AS countries,
                (SELECT count(*) {PARTNERSHIPS}) AS partnerships,
                (SELECT count(*) {PARTNERSHIPS} AND pa.started_on >= $2) AS partnerships_started"
    ))
    .bind::<Array<BigInt>, _>(programmes)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<Array<BigInt>, _>(districts)
    .get_result(conn)
    .await?;
    if t.registered == 0 {
        return Ok(None);
    }
    let by_country: Vec<CountryCount> = diesel::sql_query(format!(
        "{PEOPLE} SELECT country, count(*) AS count FROM people WHERE country IS NOT NULL
         GROUP BY country ORDER BY count DESC, country"
    ))
    .bind::<Array<BigInt>, _>(programmes)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<Array<BigInt>, _>(districts)
    .load(conn)
    .await?;
    let by_age_band: Vec<AgeBandCount> = diesel::sql_query(format!(
        "{PEOPLE} SELECT age_band, count(*) AS count FROM people GROUP BY age_band
         ORDER BY array_position(ARRAY['under_18', '18_29', '30_44', '45_64', '65_plus'],
                                 age_band) NULLS LAST"
    ))
    .bind::<Array<BigInt>, _>(programmes)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .bind::<Array<BigInt>, _>(districts)
    .load(conn)
    .await?;
    Ok(Some(ParticipantFigures {
        people: t.people,
        local: t.local,
        migrant: t.people - t.local,
        countries: t.countries,
        by_country,
        by_age_band,
        partnerships: t.partnerships,
        partnerships_started: t.partnerships_started,
    }))
}
