//! Monthly roll-ups of the visits for the reports (see the migration
//! `report_rollups`): changes mark a month stale; a background worker
//! (`refresh_pending`, one leader among all instances) recounts the stale
//! months shortly after, from the visits themselves. A report never
//! writes: it reads the roll-ups of the months that are current and
//! counts the stale ones on the fly (`counts_source`, `reached_source`),
//! so its figures are always those of the plain aggregates, and it can run
//! on a read-only standby.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Nullable};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

crate::text_enum! {
    /// What a row of `report_month_counts` counts, per its `key`.
    pub enum Dimension {
        /// Visits by kind (`key`: the visit kind).
        Kind = "kind",
        /// Visits by district (`key`: the family's district, else the
        /// mother's; `''` for none).
        District = "district",
        /// Visits by topic (`key`: the topic id).
        Topic = "topic",
        /// Referrals made (`key`: the service).
        Referral = "referral",
        /// Of those, done (`key`: the service).
        ReferralDone = "referral_done",
        /// Families whose first contact falls in the month (`key`: `''`).
        NewFamily = "new_family",
        /// Visits by mother (`key`: her id): the coordinator's home.
        Mother = "mother",
    }
}

#[derive(QueryableByName)]
struct Stale {
    #[diesel(sql_type = BigInt)]
    programme_id: i64,
    #[diesel(sql_type = Date)]
    month: NaiveDate,
}

/// Recounts the stale months of `programmes` in `year` (every year: `None`),
/// on a database nobody else writes to meanwhile (`generate`, inside its
/// transaction); with others writing, the worker's REPEATABLE READ
/// transaction (`refresh_pending`) is needed to keep their marks.
pub async fn refresh(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    year: Option<i32>,
) -> QueryResult<usize> {
    refresh_batch(conn, programmes, year, None, MANY_MONTHS).await
}

/// Recounts at most `limit` of the stale months (the first by programme
/// and month; all: `None`), in one pass over the tables when there are
/// more than `many_above` (see `Shape`). `refresh` and the worker use it;
/// the tests compare both shapes. The marks are read, not locked, and only
/// those read are removed at the end: in a REPEATABLE READ transaction
/// those of the changes the recount saw, so a change saved meanwhile never
/// waits for the recount and keeps its month marked.
#[doc(hidden)]
pub async fn refresh_batch(
    conn: &mut AsyncPgConnection,
    programmes: &[i64],
    year: Option<i32>,
    limit: Option<i64>,
    many_above: usize,
) -> QueryResult<usize> {
    let (from, to) = match year {
        Some(y) => (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 1),
        ),
        None => (None, None),
    };
    conn.transaction(async |conn| {
        // The stale months, read without a lock: a change saved meanwhile
        // adds a mark of its own (never merged with these, so it never
        // waits for this recount) and stays for the next round.
        let stale: Vec<Stale> = diesel::sql_query(
            "SELECT DISTINCT programme_id, month FROM report_stale_months
             WHERE programme_id = ANY($1)
               AND ($2::date IS NULL OR month BETWEEN $2 AND $3)
             ORDER BY 1, 2 LIMIT $4",
        )
        .bind::<Array<BigInt>, _>(programmes)
        .bind::<Nullable<Date>, _>(from)
        .bind::<Nullable<Date>, _>(to)
        .bind::<Nullable<BigInt>, _>(limit)
        .load(conn)
        .await?;
        if stale.is_empty() {
            return Ok(0);
        }
        let pids: Vec<i64> = stale.iter().map(|s| s.programme_id).collect();
        let months: Vec<NaiveDate> = stale.iter().map(|s| s.month).collect();
        // The claimed months: `s` pairs each programme with a month.
        let claimed = "unnest($1::bigint[], $2::date[]) AS s(p, m)";
        // A few months are counted by walking the index of each; many (a
        // data set just generated or imported) in one pass over the tables.
        let shape = if stale.len() > many_above {
            Shape::Many
        } else {
            Shape::Few
        };
        let mut statements = vec![format!(
            "DELETE FROM report_month_counts c USING {claimed}
             WHERE c.programme_id = s.p AND c.month = s.m"
        )];
        statements.extend(month_selects(claimed, shape).into_iter().map(|select| {
            format!(
                "INSERT INTO report_month_counts (programme_id, month, dimension, key, count) {select}"
            )
        }));
        statements.extend([
            // The years of the claimed months: families reached, recounted.
            format!(
                "DELETE FROM report_year_families y
                 USING (SELECT DISTINCT p, EXTRACT(YEAR FROM m)::int AS year FROM {claimed}) s
                 WHERE y.programme_id = s.p AND y.year = s.year"
            ),
            match shape {
                Shape::Few => format!(
                    "INSERT INTO report_year_families (programme_id, year, reached)
                     SELECT s.p, s.year, {REACHED_IN_YEAR}
                     FROM (SELECT DISTINCT p, EXTRACT(YEAR FROM m)::int AS year FROM {claimed}) s"
                ),
                Shape::Many => format!(
                    "INSERT INTO report_year_families (programme_id, year, reached)
                     SELECT s.p, s.year, coalesce(r.n, 0)
                     FROM (SELECT DISTINCT p, EXTRACT(YEAR FROM m)::int AS year FROM {claimed}) s
                     LEFT JOIN (SELECT v.programme_id, EXTRACT(YEAR FROM v.visited_on)::int AS year,
                                       count(DISTINCT v.family_id) AS n
                                FROM visits v WHERE v.family_id IS NOT NULL AND v.voided_at IS NULL
                                  AND v.programme_id = ANY($1)
                                GROUP BY 1, 2) r ON r.programme_id = s.p AND r.year = s.year"
                ),
            },
            // Last, the marks that were read: in the worker's REPEATABLE READ
            // transaction, only those its snapshot sees (the ones this
            // recount covers), not those of changes saved since.
            format!(
                "DELETE FROM report_stale_months x USING {claimed}
                 WHERE x.programme_id = s.p AND x.month = s.m"
            ),
        ]);
        for sql in statements {
            diesel::sql_query(sql)
                .bind::<Array<BigInt>, _>(&pids)
                .bind::<Array<Date>, _>(&months)
                .execute(conn)
                .await?;
        }
        Ok(stale.len())
    })
    .await
}

/// Families reached by programme `s.p` in year `s.year` (voided visits
/// count nowhere).
const REACHED_IN_YEAR: &str = "(SELECT count(DISTINCT v.family_id) FROM visits v
     WHERE v.programme_id = s.p AND v.family_id IS NOT NULL AND v.voided_at IS NULL
       AND v.visited_on BETWEEN make_date(s.year, 1, 1) AND make_date(s.year, 12, 31))";

/// Above this many stale months a refresh counts them in one pass.
const MANY_MONTHS: usize = 36;

/// How the visits of the claimed months are found.
#[derive(Clone, Copy)]
enum Shape {
    /// Each month's range in the index on (programme, date): quick for the
    /// few months a day's changes mark.
    Few,
    /// The month of every visit matched against the claimed ones (a hash
    /// join over one scan): quick for years of months at once.
    Many,
}

/// The counts of the months `claimed` (an SQL source `s(p, m)` of
/// programme and month), by dimension, as `(programme, month, dimension,
/// key, count)` rows: what `refresh` stores and a report counts on the fly.
fn month_selects(claimed: &str, shape: Shape) -> [String; 6] {
    // Each dimension: the key of a visit's row (with what it joins) and
    // what is counted. Voided visits count nowhere.
    let branches = [
        (Dimension::Kind, "v.kind", ""),
        (
            Dimension::District,
            "coalesce(coalesce(f.district_id, mo.district_id)::text, '')",
            "LEFT JOIN families f ON f.id = v.family_id JOIN mothers mo ON mo.id = v.mother_id",
        ),
        (
            Dimension::Topic,
            "vt.topic_id::text",
            "JOIN visit_topics vt ON vt.visit_id = v.id",
        ),
        (Dimension::Mother, "v.mother_id::text", ""),
    ];
    let referrals = "JOIN referrals r ON r.visit_id = v.id";
    let counted = |dimension: Dimension, key: &str, joins: &str| match shape {
        // Each month on its own (LATERAL): its visits by the index on
        // (programme, date), the rest by the visits' ids. The planner may
        // not start from the whole tables when the months are few or none.
        Shape::Few => format!(
            "SELECT s.p, s.m, '{dimension}', x.k, x.n FROM {claimed} CROSS JOIN LATERAL (
               SELECT {key} AS k, count(*) AS n FROM visits v {joins}
               WHERE {IN_MONTH} GROUP BY 1) x"
        ),
        Shape::Many => format!(
            "SELECT s.p, s.m, '{dimension}', {key}, count(*)
             FROM {claimed} JOIN visits v ON {IN_MONTH_HASHED} {joins} GROUP BY 1, 2, 4"
        ),
    };
    let [kind, district, topic, mother] = branches.map(|(d, key, joins)| counted(d, key, joins));
    let by_service = match shape {
        Shape::Few => format!(
            "{claimed} CROSS JOIN LATERAL (
               SELECT r.service, count(*) AS made, count(*) FILTER (WHERE r.status = 'done') AS done
               FROM visits v {referrals} WHERE {IN_MONTH} GROUP BY 1) x"
        ),
        Shape::Many => format!(
            "(SELECT s.p, s.m, r.service, count(*) AS made,
                     count(*) FILTER (WHERE r.status = 'done') AS done
              FROM {claimed} JOIN visits v ON {IN_MONTH_HASHED} {referrals}
              GROUP BY 1, 2, 3) x"
        ),
    };
    let referral = format!(
        "SELECT {p}, {m}, y.d, x.service, y.n FROM {by_service},
         LATERAL (VALUES ('{}', x.made), ('{}', x.done)) AS y(d, n)
         WHERE y.n > 0",
        Dimension::Referral,
        Dimension::ReferralDone,
        p = if matches!(shape, Shape::Few) {
            "s.p"
        } else {
            "x.p"
        },
        m = if matches!(shape, Shape::Few) {
            "s.m"
        } else {
            "x.m"
        },
    );
    let new_family = format!(
        "SELECT s.p, s.m, '{}', '', count(*)
         FROM {claimed} JOIN families f ON f.programme_id = s.p AND f.first_contact_on >= s.m
              AND f.first_contact_on < (s.m + interval '1 month')::date
         GROUP BY 1, 2",
        Dimension::NewFamily
    );
    [kind, district, topic, referral, new_family, mother]
}

/// A visit of programme `s.p` in month `s.m`, as a range of the index on
/// (programme, date).
const IN_MONTH: &str = "v.programme_id = s.p AND v.visited_on >= s.m \
    AND v.visited_on < (s.m + interval '1 month')::date AND v.voided_at IS NULL";

/// The same as an equality a hash join can match on.
const IN_MONTH_HASHED: &str = "v.programme_id = s.p \
    AND date_trunc('month', v.visited_on)::date = s.m AND v.voided_at IS NULL";

/// The monthly counts of programmes `$1` in year `$2` (an integer), as an
/// SQL source with the columns of `report_month_counts`: the stored
/// counts of the months that are current, and the stale months counted
/// from the visits. Read-only.
pub fn counts_source() -> String {
    let stale = "(SELECT DISTINCT programme_id, month FROM report_stale_months
                  WHERE programme_id = ANY($1)
                    AND month BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)) AS s(p, m)";
    let live = month_selects(stale, Shape::Few).join(" UNION ALL ");
    format!(
        "(SELECT c.programme_id, c.month, c.dimension, c.key, c.count FROM report_month_counts c
          WHERE c.programme_id = ANY($1)
            AND c.month BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
            AND NOT EXISTS (SELECT 1 FROM report_stale_months x
                            WHERE x.programme_id = c.programme_id AND x.month = c.month)
          UNION ALL {live}) AS rc (programme_id, month, dimension, key, count)"
    )
}

/// Families reached by programmes `$1` in year `$2`: the stored count
/// where none of the year's months is stale, else counted from the visits.
/// Read-only.
pub fn reached_source() -> String {
    format!(
        "SELECT coalesce(sum(CASE
             WHEN y.reached IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM report_stale_months x WHERE x.programme_id = s.p
                   AND x.month BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31))
             THEN y.reached ELSE {REACHED_IN_YEAR} END), 0)::bigint AS n
         FROM (SELECT p, $2 AS year FROM unnest($1::bigint[]) AS u(p)) s
         LEFT JOIN report_year_families y ON y.programme_id = s.p AND y.year = s.year"
    )
}

/// The advisory lock of the roll-up worker: one instance recounts at a time.
const LEADER_LOCK: i64 = 0x726f6c6c7570; // "rollup"

/// Months the worker recounts in one transaction: writes to a month wait
/// while it is recounted (their mark waits for the claim), so the worker
/// takes a few at a time and lets them through in between.
const WORKER_BATCH: i64 = 12;

/// Recounts every stale month, if no other instance is doing it (each
/// batch's transaction takes the advisory lock); the number of months
/// recounted, `None` when another instance leads.
pub async fn refresh_pending(conn: &mut AsyncPgConnection) -> QueryResult<Option<usize>> {
    #[derive(QueryableByName)]
    struct Got {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        got: bool,
    }
    let mut total: Option<usize> = None;
    loop {
        // REPEATABLE READ: the marks read, the visits counted and the
        // marks removed are those of one snapshot (see `refresh_batch`).
        let batch = conn
            .build_transaction()
            .repeatable_read()
            .run(async |conn| {
                // A batch may take longer than a request may (the pool's
                // statement timeout): a large import's months.
                diesel::sql_query("SET LOCAL statement_timeout = 0")
                    .execute(conn)
                    .await?;
                let got: Got = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS got")
                    .bind::<BigInt, _>(LEADER_LOCK)
                    .get_result(conn)
                    .await?;
                if !got.got {
                    return Ok(None);
                }
                let programmes: Vec<i64> = crate::schema::programmes::table
                    .select(crate::schema::programmes::id)
                    .load(conn)
                    .await?;
                refresh_batch(conn, &programmes, None, Some(WORKER_BATCH), MANY_MONTHS)
                    .await
                    .map(Some)
            })
            .await?;
        match batch {
            None => return Ok(total),
            Some(n) => {
                let sum = total.unwrap_or(0) + n;
                total = Some(sum);
                if (n as i64) < WORKER_BATCH {
                    return Ok(total);
                }
            }
        }
    }
}
