//! Comparisons: the yearly figures side by side, either for several
//! programmes in one year or for several years of one programme. Each
//! column is a full yearly report (SQL aggregates), so a figure means the
//! same here as on the yearly report page.

use diesel_async::AsyncPgConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::api::parse_year;
use super::model::{YearlyReport, yearly};
use crate::authz::Access;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;

/// At most this many years in one comparison.
pub const MAX_YEARS: i32 = 10;

#[derive(Debug, Default, Deserialize, Serialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// `programmes` (several programmes, one year; the default) or `years`
    /// (one programme, the years `from` to `to`).
    pub by: Option<String>,
    /// The year compared across programmes (default: last year).
    pub year: Option<String>,
    /// The programmes (repeat the parameter); by years, the first one.
    /// Default: every programme the caller can see, or the first of them.
    pub programme: Vec<String>,
    /// First year, by years (default: four years before `to`).
    pub from: Option<String>,
    /// Last year, by years (default: last year).
    pub to: Option<String>,
}

/// One column: a programme in a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Column {
    pub programme_id: i64,
    pub programme: String,
    pub year: i32,
    pub report: YearlyReport,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comparison {
    /// `programmes` or `years`.
    pub by: String,
    pub columns: Vec<Column>,
}

/// The comparison a query asks for, within what the caller may see:
/// a programme outside the caller's scope answers 404.
pub async fn compare(
    conn: &mut AsyncPgConnection,
    access: &Access,
    q: &CompareQuery,
    last_year: i32,
) -> AppResult<Comparison> {
    let by_years = match q.by.as_deref().unwrap_or("programmes") {
        "programmes" | "" => false,
        "years" => true,
        _ => return Err(AppError::field("by", "error-compare-by")),
    };
    let mut chosen = Vec::new();
    for p in q
        .programme
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        let id = p.parse::<i64>().map_err(|_| AppError::NotFound)?;
        let programme = Programme::find(conn, &access.scope, ProgrammeId(id)).await?;
        if !chosen.iter().any(|c: &Programme| c.id == programme.id) {
            chosen.push(programme);
        }
    }
    if chosen.is_empty() {
        chosen = Programme::list(conn, &access.scope, true).await?;
    }
    let mut columns = Vec::new();
    if by_years {
        let to = parse_year(q.to.as_deref(), "to", Some(last_year))?;
        let from = parse_year(q.from.as_deref(), "from", Some(to - 4))?;
        if from > to {
            return Err(AppError::field("from", "error-compare-from-after-to"));
        }
        if to - from >= MAX_YEARS {
            return Err(AppError::field(
                "from",
                Msg::new("error-compare-too-many-years").arg("max", MAX_YEARS),
            ));
        }
        if let Some(p) = chosen.into_iter().next() {
            for y in from..=to {
                columns.push(Column {
                    programme_id: p.id.0,
                    programme: p.name.clone(),
                    year: y,
                    report: yearly(conn, &[p.id.0], y).await?,
                });
            }
        }
    } else {
        let y = parse_year(q.year.as_deref(), "year", Some(last_year))?;
        for p in chosen {
            columns.push(Column {
                programme_id: p.id.0,
                programme: p.name.clone(),
                year: y,
                report: yearly(conn, &[p.id.0], y).await?,
            });
        }
    }
    Ok(Comparison {
        by: if by_years { "years" } else { "programmes" }.to_owned(),
        columns,
    })
}
