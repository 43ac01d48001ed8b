//! Events: one to three a month per programme, most in a district (made
//! inside PostgreSQL, from `gen_p` and `gen_d`).

use anyhow::Result;
use diesel::sql_types::Date;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::Ctx;

/// Inserts the events of every programme from `start` to today.
pub(super) async fn create(conn: &mut AsyncPgConnection, ctx: &Ctx<'_>) -> Result<()> {
    diesel::sql_query(
        "INSERT INTO events (programme_id, district_id, kind, title, held_on, migrant_participants,
                             local_participants)
         SELECT e.pid, CASE WHEN e.r_d < 0.8 THEN d.did END,
                (ARRAY['event','workshop','information_session','excursion'])[1 + floor(e.r_k * 4)::int],
                (ARRAY['Mothers'' café','Health information evening','School start workshop',
                       'Trip to the museum','Summer party','Meeting the job centre'])[1 + floor(e.r_t * 6)::int],
                e.day, 5 + floor(e.r_m * 40)::int, floor(e.r_l * 15)::int
         FROM (SELECT p.pid, s.m::date + floor(random() * 27)::int AS day,
                      1 + floor(random() * p.nd)::int AS drn, random() AS r_d, random() AS r_k,
                      random() AS r_t, random() AS r_m, random() AS r_l
               FROM gen_p p
               CROSS JOIN generate_series(date_trunc('month', $1::date), $2::date, interval '1 month') AS s(m)
               CROSS JOIN LATERAL generate_series(1, 1 + floor(random() * 3)::int) AS k
               ORDER BY p.pid, s.m, k) e
         JOIN gen_d d ON d.pid = e.pid AND d.rn = e.drn
         WHERE e.day BETWEEN $1 AND $2
         ORDER BY e.day, e.pid",
    )
    .bind::<Date, _>(ctx.start)
    .bind::<Date, _>(ctx.today)
    .execute(conn)
    .await?;
    Ok(())
}
