//! The temporary tables the SQL steps draw from: the visiting mothers and
//! their windows (`gen_m`), the programmes and districts (`gen_p`,
//! `gen_d`), each mother's families (`gen_f`, filled by `families`) and
//! the topic mixes of the visits (`gen_combo`). All go at the commit.

use std::fmt::Write as _;

use anyhow::Result;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use rand::Rng;

use super::Ctx;
use super::mothers::PlannedMother;
use super::programmes::Programme;

/// How often the default visit topics come up (children and health most,
/// as in the Danish 2012 figures: children, health, authorities, schools,
/// economy, loneliness).
const TOPIC_WEIGHTS: [(&str, f64); 11] = [
    ("children_upbringing", 0.60),
    ("health", 0.45),
    ("authorities", 0.35),
    ("schools", 0.30),
    ("economy", 0.25),
    ("loneliness", 0.20),
    ("day_care", 0.12),
    ("language", 0.12),
    ("work", 0.10),
    ("housing", 0.10),
    ("law_residence", 0.08),
];

/// Creates and fills the tables; returns the number of visiting mothers.
pub(super) async fn create(
    conn: &mut AsyncPgConnection,
    ctx: &mut Ctx<'_>,
    programmes: &[Programme],
    mothers: &[PlannedMother],
) -> Result<usize> {
    conn.batch_execute(
        "CREATE TEMP TABLE gen_m (rn INT PRIMARY KEY, pid BIGINT, mid BIGINT, from_d DATE, to_d DATE,
                                  prn INT, nfam INT NOT NULL DEFAULT 0, UNIQUE (pid, prn)) ON COMMIT DROP;
         CREATE TEMP TABLE gen_f (mid BIGINT, rn INT, fid BIGINT, PRIMARY KEY (mid, rn)) ON COMMIT DROP;
         CREATE TEMP TABLE gen_p (pid BIGINT PRIMARY KEY, prefix TEXT, nf INT, nd INT, nm INT) ON COMMIT DROP;
         CREATE TEMP TABLE gen_d (pid BIGINT, rn INT, did BIGINT, PRIMARY KEY (pid, rn)) ON COMMIT DROP;
         CREATE TEMP TABLE gen_combo (combo INT, topic_id BIGINT) ON COMMIT DROP;",
    )
    .await?;
    let (visitors, per_programme) = visiting_mothers(conn, ctx, programmes, mothers).await?;
    programmes_and_districts(conn, ctx, programmes, &per_programme).await?;
    topic_mixes(conn, ctx).await?;
    Ok(visitors)
}

/// The mothers who visit (active at some time up to today), with the days
/// they visit in and their rank within their programme (families are
/// shared out over the visiting mothers of their programme). Returns how
/// many there are, and how many per programme.
async fn visiting_mothers(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    programmes: &[Programme],
    mothers: &[PlannedMother],
) -> Result<(usize, Vec<usize>)> {
    let (start, today) = (ctx.start, ctx.today);
    let visitors: Vec<&PlannedMother> = mothers
        .iter()
        .filter(|m| {
            m.active
                .is_some_and(|(from, until)| from <= today && from <= until)
        })
        .collect();
    let mut per_programme = vec![0usize; programmes.len()];
    for (chunk_no, chunk) in visitors.chunks(1000).enumerate() {
        let mut sql = String::from("INSERT INTO gen_m (rn, pid, mid, from_d, to_d, prn) VALUES ");
        for (i, m) in chunk.iter().enumerate() {
            let Some((from, until)) = m.active else {
                continue;
            };
            per_programme[m.programme] += 1;
            let _ = write!(
                sql,
                "{}({}, {}, {}, '{}', '{}', {})",
                if i > 0 { "," } else { "" },
                chunk_no * 1000 + i + 1,
                programmes[m.programme].id,
                m.id,
                from.max(start),
                until.min(today),
                per_programme[m.programme]
            );
        }
        diesel::sql_query(sql).execute(conn).await?;
    }
    Ok((visitors.len(), per_programme))
}

/// Each programme with its number of families (about one for every eight
/// visits, at least one per programme), districts and visiting mothers;
/// its districts numbered from 1.
async fn programmes_and_districts(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    programmes: &[Programme],
    per_programme: &[usize],
) -> Result<()> {
    let families_per_programme = ((ctx.spec.visits / 8) as usize / programmes.len()).max(1);
    for (p, programme) in programmes.iter().enumerate() {
        let pid = programme.id;
        diesel::sql_query("INSERT INTO gen_p VALUES ($1, $2, $3, $4, $5)")
            .bind::<BigInt, _>(pid)
            .bind::<Text, _>(programme.city.prefix)
            .bind::<Integer, _>(families_per_programme as i32)
            .bind::<Integer, _>(programme.districts.len() as i32)
            .bind::<Integer, _>(per_programme[p] as i32)
            .execute(conn)
            .await?;
        for (i, d) in programme.districts.iter().enumerate() {
            diesel::sql_query("INSERT INTO gen_d VALUES ($1, $2, $3)")
                .bind::<BigInt, _>(pid)
                .bind::<Integer, _>(i as i32 + 1)
                .bind::<BigInt, _>(*d)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// 200 topic mixes, half with three topics and half with one, drawn by
/// weight; a visit gets one of them by its id (see `visits`).
async fn topic_mixes(conn: &mut AsyncPgConnection, ctx: &mut Ctx<'_>) -> Result<()> {
    let rng = &mut ctx.rng;
    let mut combos = String::new();
    for combo in 0..200 {
        let k = if combo < 100 { 3 } else { 1 };
        let mut chosen: Vec<&str> = Vec::new();
        while chosen.len() < k {
            let total: f64 = TOPIC_WEIGHTS
                .iter()
                .filter(|(t, _)| !chosen.contains(t))
                .map(|(_, w)| w)
                .sum();
            let mut x = rng.random::<f64>() * total;
            for (t, w) in TOPIC_WEIGHTS.iter().filter(|(t, _)| !chosen.contains(t)) {
                x -= w;
                if x <= 0.0 {
                    chosen.push(t);
                    break;
                }
            }
            if chosen.len() < k && x > 0.0 {
                // Rounding left nothing chosen: take the last one left.
                if let Some((t, _)) = TOPIC_WEIGHTS
                    .iter()
                    .rev()
                    .find(|(t, _)| !chosen.contains(t))
                {
                    chosen.push(t);
                }
            }
        }
        for t in chosen {
            let _ = write!(
                combos,
                "{}({combo}, (SELECT id FROM topics WHERE programme_id IS NULL AND list = 'topic' AND key = '{t}'))",
                if combos.is_empty() { "" } else { "," }
            );
        }
    }
    diesel::sql_query(format!("INSERT INTO gen_combo VALUES {combos}"))
        .execute(conn)
        .await?;
    Ok(())
}
