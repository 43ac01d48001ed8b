//! Families, made inside PostgreSQL (after `setseed`): about one for
//! every eight visits, in a random district of their programme, each with
//! a visiting mother of the programme in turn (if it has any) as its
//! primary mother.

use anyhow::Result;
use diesel::sql_types::{Array, BigInt, Bytea, Date, Integer, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::places::ORIGINS;
use super::{Ctx, pick};
use crate::crypto;

/// Inserts the families (from `gen_p`, `gen_d`, `gen_m`), then numbers
/// each mother's families in `gen_f`, for the visits to pick from.
pub(super) async fn create(conn: &mut AsyncPgConnection, ctx: &Ctx<'_>) -> Result<()> {
    let languages = "(ARRAY['{tr,de}','{ar}','{ar,de}','{so}','{fa}','{ku,ar}','{ur,en}','{pl}','{ti}','{uk,ru}','{ar,fr}'])";
    diesel::sql_query(format!(
        "INSERT INTO families (programme_id, reference_number, reference_code, district_id, languages,
            children_count, contact_origin, first_contact_on, consent_on, consent_scope, primary_mother_id,
            consent_contact, consent_visits, consent_referrals)
         SELECT x.pid, x.rn, x.prefix || '-' || lpad(x.rn::text, greatest(5, length(x.rn::text)), '0'), d.did,
                ({languages}[1 + floor(x.r_lang * 11)::int])::text[],
                1 + floor(x.r_kids * 5)::int,
                (ARRAY['own_network','own_network','authority','school_daycare','school_daycare','event','other'])
                    [1 + floor(x.r_origin * 7)::int],
                $1 + floor(x.r_day * ($2 - $1 + 1))::int, $1 + floor(x.r_day * ($2 - $1 + 1))::int,
                'visits and referrals', m.mid, true, true, true
         FROM (SELECT p.pid, p.prefix, rn, p.nm, 1 + floor(random() * p.nd)::int AS drn, random() AS r_lang,
                      random() AS r_kids, random() AS r_origin, random() AS r_day
               FROM gen_p p, generate_series(1, p.nf) rn ORDER BY p.pid, rn) x
         JOIN gen_d d ON d.pid = x.pid AND d.rn = x.drn
         LEFT JOIN gen_m m ON x.nm > 0 AND m.pid = x.pid AND m.prn = 1 + (x.rn - 1) % x.nm
         ORDER BY x.pid, x.rn"
    ))
    .bind::<Date, _>(ctx.start)
    .bind::<Date, _>(ctx.today)
    .execute(conn)
    .await?;
    conn.batch_execute(
        "INSERT INTO gen_f SELECT primary_mother_id, row_number() OVER (PARTITION BY primary_mother_id ORDER BY id), id
         FROM families WHERE programme_id IN (SELECT pid FROM gen_p) AND primary_mother_id IS NOT NULL;
         UPDATE gen_m m SET nfam = f.n FROM (SELECT mid, count(*) AS n FROM gen_f GROUP BY mid) f WHERE f.mid = m.mid;
         ANALYZE gen_m; ANALYZE gen_f;",
    )
    .await?;
    Ok(())
}

/// Streets for the families' addresses.
const STREETS: [&str; 8] = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Schulweg",
    "Parkallee",
    "Nørrebrogade",
    "Lindenstraße",
    "Gartenweg",
    "Kirkevej",
];

/// Families in one statement of [`personal`].
const PERSONAL_CHUNK: usize = 5_000;

/// Every family's personal details (a name, an address, a phone), sealed
/// here as the server seals them (`crypto`; the database cannot), 5,000
/// families to a statement.
pub(super) async fn personal(conn: &mut AsyncPgConnection, ctx: &Ctx<'_>) -> Result<()> {
    // A generator of its own, so that what is drawn after stays as it was.
    let mut rng = StdRng::seed_from_u64(ctx.spec.seed ^ 0x5EA1_ED00);
    let rng = &mut rng;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        programme_id: i64,
    }
    let ids: Vec<Row> = diesel::sql_query(
        "SELECT id, programme_id FROM families WHERE programme_id IN (SELECT pid FROM gen_p) ORDER BY id",
    )
    .load(conn)
    .await?;
    let mut key = 0;
    for chunk in ids.chunks(PERSONAL_CHUNK) {
        let (mut names, mut addresses, mut phones) = (Vec::new(), Vec::new(), Vec::new());
        let mut indexes = Vec::new();
        for family in chunk {
            let o = pick(rng, &ORIGINS);
            let name = format!("{} {}", pick(rng, o.first), pick(rng, o.last));
            let address = format!("{} {}", pick(rng, &STREETS), rng.random_range(1..120));
            let phone = format!("0{}", rng.random_range(150_000_000..179_999_999));
            let (k, index) = crypto::name_index::of_name(family.programme_id, &name)?;
            key = i32::try_from(k)?;
            indexes.push(crypto::name_index::array_literal(&index));
            names.push(crypto::seal(&name)?);
            addresses.push(crypto::seal(&address)?);
            phones.push(crypto::seal(&phone)?);
        }
        let ids: Vec<i64> = chunk.iter().map(|r| r.id).collect();
        diesel::sql_query(
            "INSERT INTO family_personal (family_id, name, address, phone, name_index, name_index_key)
             SELECT id, n, a, p, i::bigint[], $6 FROM unnest($1, $2, $3, $4, $5) AS x(id, n, a, p, i)",
        )
        .bind::<Array<BigInt>, _>(&ids)
        .bind::<Array<Bytea>, _>(&names)
        .bind::<Array<Bytea>, _>(&addresses)
        .bind::<Array<Bytea>, _>(&phones)
        .bind::<Array<Text>, _>(&indexes)
        .bind::<Integer, _>(key)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// A family's first contact is its first visit; some families close a
/// month after their last visit (if that was over half a year ago). Reads
/// the visits after `first_visit`, those of this run.
pub(super) async fn date_and_close(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    first_visit: i64,
) -> Result<()> {
    diesel::sql_query(
        "UPDATE families f SET first_contact_on = v.first, consent_on = v.first,
             status = CASE WHEN v.last < $2 - 180 AND f.id % 3 = 0 THEN 'closed' ELSE 'active' END,
             closed_on = CASE WHEN v.last < $2 - 180 AND f.id % 3 = 0 THEN v.last + 30 END,
             closed_reason = CASE WHEN v.last < $2 - 180 AND f.id % 3 = 0 THEN 'no longer needed' END
         FROM (SELECT family_id, min(visited_on) AS first, max(visited_on) AS last FROM visits
               WHERE id > $1 AND family_id IS NOT NULL GROUP BY family_id) v
         WHERE f.id = v.family_id",
    )
    .bind::<BigInt, _>(first_visit)
    .bind::<Date, _>(ctx.today)
    .execute(conn)
    .await?;
    Ok(())
}
