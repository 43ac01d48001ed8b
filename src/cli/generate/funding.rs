//! Funding: the funders (shared by every programme), a grant a year per
//! funder and programme, and the monthly expenses, charged to the
//! government grant of their year.

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use diesel::sql_types::{BigInt, Date, Double, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rand::Rng;

use super::mothers::PlannedMother;
use super::programmes::Programme;
use super::{Ctx, Id};

/// The funders and their kinds; each kind gives a grant of its own size
/// (foundations and the EU fund not every year, private donors never).
const FUNDERS: [(&str, &str); 6] = [
    ("Ministry of Social Affairs and Integration", "government"),
    ("City Council", "municipality"),
    ("Community Foundation", "foundation"),
    ("European Social Fund", "eu_fund"),
    ("Friends of the Neighbourhood Mothers", "private_donor"),
    ("Own capital", "own_capital"),
];

/// Inserts the funders (or finds them, made by an earlier run), then per
/// programme and year the grants and expenses, sized by the programme's
/// mothers; returns the numbers of grants and of expenses.
pub(super) async fn create(
    conn: &mut AsyncPgConnection,
    ctx: &mut Ctx<'_>,
    programmes: &[Programme],
    mothers: &[PlannedMother],
) -> Result<(i64, i64)> {
    let (start, today) = (ctx.start, ctx.today);
    let rng = &mut ctx.rng;
    let funder_ids = funders(conn).await?;
    let mut grants = 0i64;
    let mut expenses = 0i64;
    for (p, programme) in programmes.iter().enumerate() {
        let (pid, city) = (&programme.id, programme.city);
        // Amounts in major units of a euro-like currency; crowns are worth less.
        let scale: i64 = match city.currency {
            "DKK" | "SEK" | "NOK" => 750,
            _ => 100,
        };
        let size = (mothers.iter().filter(|m| m.programme == p).count() as i64).max(5);
        for y in start.year()..=today.year() {
            let (Some(from), Some(to), Some(first_month)) = (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
                NaiveDate::from_ymd_opt(start.year(), start.month(), 1),
            ) else {
                continue;
            };
            let status = if y < today.year() {
                "closed"
            } else {
                "granted"
            };
            let mut government = None;
            for (fid, kind) in &funder_ids {
                let base = match *kind {
                    "government" => 2_000,
                    "municipality" => 600,
                    "foundation" if rng.random::<f64>() < 0.6 => 500,
                    "eu_fund" if rng.random::<f64>() < 0.3 => 800,
                    "own_capital" => 150,
                    _ => continue,
                };
                let amount = base * size * scale;
                let row: Id = diesel::sql_query(
                    "INSERT INTO grants (programme_id, funder_id, reference, amount_minor, currency,
                         starts_on, ends_on, purpose, status)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind::<BigInt, _>(*pid)
                .bind::<BigInt, _>(*fid)
                .bind::<Text, _>(format!("{}-{y}-{}", city.prefix, &kind[..3].to_uppercase()))
                .bind::<BigInt, _>(amount)
                .bind::<Text, _>(city.currency)
                .bind::<Date, _>(from)
                .bind::<Date, _>(to)
                .bind::<Text, _>("Outreach visits, training and events.")
                .bind::<Text, _>(status)
                .get_result(conn)
                .await?;
                grants += 1;
                if *kind == "government" {
                    government = Some(row.id);
                }
            }
            // Monthly costs: allowances, coordination, interpreters,
            // materials; training in course months; events.
            let allowance_mothers = mothers
                .iter()
                .filter(|m| m.programme == p && m.allowance && m.active.is_some())
                .count() as i64;
            let n = diesel::sql_query(
                "INSERT INTO expenses (programme_id, spent_on, category, amount_minor, currency, grant_id, note)
                 SELECT $1, (m + interval '27 days')::date, c.category,
                        round(c.base * (0.85 + random() * 0.3))::bigint, $2, $3, ''
                 FROM generate_series($4::date, $5::date, interval '1 month') AS s(m),
                      (VALUES ('allowances', $6::float8), ('coordination', $7::float8),
                              ('interpreters', $7::float8 * 0.1), ('materials', $7::float8 * 0.05),
                              ('events', $7::float8 * 0.08), ('training', $7::float8 * 0.2)) AS c(category, base)
                 WHERE (m + interval '27 days')::date <= $8 AND c.base > 0
                   AND (c.category <> 'training' OR EXTRACT(MONTH FROM m) IN (2, 3, 4, 9, 10, 11))
                 ORDER BY m, c.category",
            )
            .bind::<BigInt, _>(*pid)
            .bind::<Text, _>(city.currency)
            .bind::<diesel::sql_types::Nullable<BigInt>, _>(government)
            .bind::<Date, _>(from.max(first_month))
            .bind::<Date, _>(to)
            .bind::<Double, _>((allowance_mothers * 15_000 * scale / 100) as f64)
            .bind::<Double, _>((size * 12_000 * scale / 100) as f64)
            .bind::<Date, _>(today)
            .execute(conn)
            .await?;
            expenses += n as i64;
        }
    }
    Ok((grants, expenses))
}

/// The funders' ids and kinds.
async fn funders(conn: &mut AsyncPgConnection) -> Result<Vec<(i64, &'static str)>> {
    let mut funder_ids = Vec::new();
    for (name, kind) in FUNDERS {
        let row: Id = diesel::sql_query(
            "WITH ins AS (INSERT INTO funders (name, kind) VALUES ($1, $2)
                          ON CONFLICT (lower(name)) WHERE programme_id IS NULL DO NOTHING RETURNING id)
             SELECT id FROM ins UNION ALL
             SELECT id FROM funders WHERE lower(name) = lower($1) AND programme_id IS NULL LIMIT 1",
        )
        .bind::<Text, _>(name)
        .bind::<Text, _>(kind)
        .get_result(conn)
        .await?;
        funder_ids.push((row.id, kind));
    }
    Ok(funder_ids)
}
