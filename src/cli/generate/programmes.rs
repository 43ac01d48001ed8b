//! The programmes, one per city in turn, and their districts.

use anyhow::{Result, bail};
use diesel::sql_types::{BigInt, Date, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::places::{CITIES, City};
use super::{Ctx, Id, Summary};

/// A programme made by this run.
pub(super) struct Programme {
    pub id: i64,
    pub city: &'static City,
    /// Its districts' ids, in the order they were made.
    pub districts: Vec<i64>,
}

/// Makes `spec.programmes` programmes (from the ninth on, a city's name
/// comes again with a number) and shares the districts out over them, at
/// least one each. Refuses a name that exists already.
pub(super) async fn create(
    conn: &mut AsyncPgConnection,
    ctx: &Ctx<'_>,
    summary: &mut Summary,
) -> Result<Vec<Programme>> {
    let spec = ctx.spec;
    let p_count = spec.programmes as usize;
    let mut programmes = Vec::new();
    for i in 0..p_count {
        let city = &CITIES[i % CITIES.len()];
        let name = if i < CITIES.len() {
            city.name.to_owned()
        } else {
            format!("{} {}", city.name, i / CITIES.len() + 1)
        };
        let exists: Vec<Id> =
            diesel::sql_query("SELECT id FROM programmes WHERE lower(name) = lower($1)")
                .bind::<Text, _>(&name)
                .load(conn)
                .await?;
        if !exists.is_empty() {
            bail!(
                "a programme named \"{name}\" exists already: generate into an empty database \
                 (a new --data-dir)"
            );
        }
        let row: Id = diesel::sql_query(
            "INSERT INTO programmes (name, city, country, currency, default_language, start_date,
                                     description, practice_visits_allowed)
             VALUES ($1, $2, $3, $4, $5, $6, $7, false) RETURNING id",
        )
        .bind::<Text, _>(&name)
        .bind::<Text, _>(city.city)
        .bind::<Text, _>(city.country)
        .bind::<Text, _>(city.currency)
        .bind::<Text, _>(city.language)
        .bind::<Date, _>(ctx.start)
        .bind::<Text, _>("Generated data.")
        .get_result(conn)
        .await?;
        summary.programmes.push((row.id, name));
        let n = (spec.districts as usize / p_count
            + usize::from(i < spec.districts as usize % p_count))
        .max(1);
        let mut ids = Vec::new();
        for d in 0..n {
            let dname = city
                .districts
                .get(d)
                .map_or_else(|| format!("{} {}", city.prefix, d + 1), |s| (*s).to_owned());
            let r: Id = diesel::sql_query(
                "INSERT INTO districts (programme_id, name) VALUES ($1, $2) RETURNING id",
            )
            .bind::<BigInt, _>(row.id)
            .bind::<Text, _>(&dname)
            .get_result(conn)
            .await?;
            ids.push(r.id);
        }
        programmes.push(Programme {
            id: row.id,
            city,
            districts: ids,
        });
    }
    Ok(programmes)
}
