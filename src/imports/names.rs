//! What a file may call a programme's districts and mothers, read once per
//! import: a district by its name, a mother by her number or exact name
//! (any case); and each row's own reference, checked once per file.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{Refused, Row};
use crate::ids::ProgrammeId;
use crate::schema::{districts, mothers};

pub struct Names {
    districts: HashMap<String, i64>,
    mothers: HashMap<String, i64>,
}

impl Names {
    pub async fn load(conn: &mut AsyncPgConnection, programme: ProgrammeId) -> QueryResult<Names> {
        let d: Vec<(i64, String)> = districts::table
            .filter(districts::programme_id.eq(programme))
            .select((districts::id, districts::name))
            .load(conn)
            .await?;
        let m: Vec<(i64, String)> = mothers::table
            .filter(mothers::programme_id.eq(programme))
            .select((mothers::id, mothers::full_name))
            .load(conn)
            .await?;
        Ok(Names {
            districts: d
                .into_iter()
                .map(|(i, n)| (n.trim().to_lowercase(), i))
                .collect(),
            mothers: m
                .into_iter()
                .flat_map(|(i, n)| [(i.to_string(), i), (n.trim().to_lowercase(), i)])
                .collect(),
        })
    }

    /// The district a cell names (its id as the inputs read it); none for
    /// an empty cell.
    pub fn district(&self, cell: &str) -> Result<Option<String>, Refused> {
        if cell.is_empty() {
            return Ok(None);
        }
        self.districts
            .get(&cell.to_lowercase())
            .map(|i| Some(i.to_string()))
            .ok_or_else(|| Refused::new("district", "error-district-unknown"))
    }

    /// The mother a cell names, by number or exact name.
    pub fn mother(&self, cell: &str, column: &'static str) -> Result<i64, Refused> {
        self.mothers
            .get(cell)
            .or_else(|| self.mothers.get(&cell.to_lowercase()))
            .copied()
            .ok_or_else(|| Refused::new(column, "error-import-mother-unknown"))
    }
}

/// A row's reference: present, at most 100 characters, once in the file.
pub fn reference<'r>(row: &'r Row<'_>, seen: &mut HashSet<String>) -> Result<&'r str, Refused> {
    let r = row.get("external_ref");
    if r.is_empty() || r.chars().count() > 100 {
        return Err(Refused::new("external_ref", "error-import-reference"));
    }
    if !seen.insert(r.to_owned()) {
        return Err(Refused::new("external_ref", "error-import-reference-twice"));
    }
    Ok(r)
}

/// Records already imported, by their reference (rows of id and
/// reference as each table reads them).
pub fn by_reference<T>(rows: Vec<(i64, Option<String>)>, id: fn(i64) -> T) -> HashMap<String, T> {
    rows.into_iter()
        .filter_map(|(i, r)| r.map(|r| (r, id(i))))
        .collect()
}
