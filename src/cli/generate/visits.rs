//! Visits, made inside PostgreSQL: a random visiting mother, a day in her
//! active window, one of her families for four in five, a kind and a
//! duration; their topics (one of the mixes in `gen_combo`) and, for 15 in
//! 100, a referral (most of those before the last two weeks done).

use anyhow::Result;
use diesel::sql_types::{BigInt, Date, Integer};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Ctx, Id};

/// Inserts `spec.visits` visits over the `visitors` visiting mothers of
/// `gen_m` (none without any), with their topics and referrals; returns
/// the largest visit id before them.
pub(super) async fn create(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    visitors: usize,
) -> Result<i64> {
    let spec = ctx.spec;
    let first_visit: Option<i64> =
        diesel::sql_query("SELECT coalesce(max(id), 0) AS id FROM visits")
            .get_result::<Id>(conn)
            .await
            .ok()
            .map(|r| r.id);
    let first_visit = first_visit.unwrap_or(0);
    // In chunks of at most a million: each chunk's visits, then their
    // topics and referrals, so that the database's work per statement (its
    // trigger queues, the rows it holds for the roll-up marks) stays the
    // same however many visits are asked for.
    let mut last = first_visit;
    let mut left = if visitors > 0 { spec.visits } else { 0 };
    while left > 0 {
        let n = left.min(CHUNK);
        left -= n;
        last = chunk(conn, ctx, visitors, n, last).await?;
    }
    Ok(first_visit)
}

/// Most visits made by one statement.
const CHUNK: u64 = 1_000_000;

/// `n` visits after visit `after`, with their topics and referrals; the
/// largest visit id after them.
async fn chunk(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    visitors: usize,
    n: u64,
    after: i64,
) -> Result<i64> {
    let (spec, today) = (ctx.spec, ctx.today);
    diesel::sql_query(
            "INSERT INTO visits (programme_id, mother_id, family_id, visited_on, duration_minutes,
                 kind, interpreter_used)
             SELECT m.pid, m.mid, CASE WHEN s.r_fam < 0.8 THEN f.fid END,
                    m.from_d + floor(s.r_day * (m.to_d - m.from_d + 1))::int,
                    (ARRAY[30, 45, 60, 60, 90, 120])[1 + floor(s.r_dur * 6)::int],
                    CASE WHEN s.r_kind < 0.62 THEN 'home_visit' WHEN s.r_kind < 0.82 THEN 'phone'
                         WHEN s.r_kind < 0.93 THEN 'accompaniment' ELSE 'group_meeting' END,
                    s.r_int < 0.15
             FROM (SELECT g, 1 + floor(random() * $1)::int AS mrn, random() AS r_day, random() AS r_fam,
                          random() AS r_f, random() AS r_dur, random() AS r_kind, random() AS r_int
                   FROM generate_series(1, $2) g) s
             JOIN gen_m m ON m.rn = s.mrn
             LEFT JOIN gen_f f ON f.mid = m.mid AND f.rn = 1 + floor(s.r_f * m.nfam)::int
             ORDER BY s.g",
        )
        .bind::<Integer, _>(visitors as i32)
        .bind::<BigInt, _>(n as i64)
        .execute(conn)
        .await?;
    diesel::sql_query(
        "INSERT INTO visit_topics (visit_id, topic_id)
         SELECT v.id, c.topic_id FROM visits v JOIN gen_combo c ON c.combo = (v.id * 7919 + $2) % 200
         WHERE v.id > $1",
    )
    .bind::<BigInt, _>(after)
    .bind::<BigInt, _>((spec.seed % 200) as i64)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO referrals (programme_id, visit_id, service, status, done_on)
         SELECT programme_id, id,
                (ARRAY['youth_welfare','school','day_care','health','health','job_centre','housing',
                       'legal_advice','language_course','other'])[1 + floor(r_s * 10)::int],
                CASE WHEN done THEN 'done' ELSE 'open' END,
                CASE WHEN done THEN visited_on + 14 END
         FROM (SELECT id, programme_id, visited_on, random() AS r, random() AS r_s,
                      visited_on + 14 <= $2 AND random() < 0.7 AS done
               FROM visits WHERE id > $1 ORDER BY id) v
         WHERE r < 0.15 ORDER BY id",
    )
    .bind::<BigInt, _>(after)
    .bind::<Date, _>(today)
    .execute(conn)
    .await?;
    let last: Option<i64> = diesel::sql_query("SELECT max(id) AS id FROM visits")
        .get_result::<Id>(conn)
        .await
        .ok()
        .map(|r| r.id);
    Ok(last.unwrap_or(after))
}
