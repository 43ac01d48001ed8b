//! Imports from spreadsheets (CSV or XLSX): a programme's past, brought in
//! row by row through the same use cases as the forms, so every rule,
//! field error and audit row is the one a coordinator meets. One import is
//! one transaction: every row is saved or none (and a dry run saves none
//! and answers what would happen). Each row's `external_ref` is kept, so
//! the same file imported again changes nothing and a corrected file
//! updates the rows it names. `sheet` reads the file, `visits` and
//! `mothers` turn rows into the domains' inputs, `api`, `html` and
//! `cli::import` are thin.

pub mod api;
pub mod families;
pub mod html;
pub mod mothers;
pub mod names;
pub mod records;
pub mod sheet;
pub mod visits;

use std::collections::HashMap;

use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Serialize;
use utoipa::ToSchema;

use crate::authz::{Access, Permission as P};
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ProgrammeId;
use crate::web::{Routes, Tr};
use sheet::{Column, Sheet};

crate::text_enum! {
    /// What a file holds.
    pub enum Kind {
        Visits = "visits",
        Mothers = "mothers",
        Families = "families",
        Events = "events",
        Expenses = "expenses",
    }
}

impl Kind {
    /// The column an input's field error belongs to: the column of that
    /// name, or the one the field is read from; empty for the row.
    pub fn column_of(self, field: &str) -> &'static str {
        let column = match field {
            "district_id" => "district",
            "mother_id" | "primary_mother_id" => "mother",
            "mother_ids" => "mothers",
            "family_id" | "family_code" | "anonymous" => "family",
            "topic_ids" => "topics",
            "grant_id" => "grant",
            other => other,
        };
        self.columns()
            .iter()
            .find(|c| c.key == column)
            .map_or("", |c| c.key)
    }

    /// What the caller needs to import this kind: what its form needs.
    pub fn permission(self) -> crate::authz::Permission {
        match self {
            Kind::Visits | Kind::Families | Kind::Events => P::EditFamilies,
            Kind::Mothers => P::EditMothers,
            Kind::Expenses => P::EditFunding,
        }
    }

    /// Its columns, the English header first.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Visits => visits::COLUMNS,
            Kind::Mothers => mothers::COLUMNS,
            Kind::Families => families::COLUMNS,
            Kind::Events => records::EVENT_COLUMNS,
            Kind::Expenses => records::EXPENSE_COLUMNS,
        }
    }
}

/// One row's fault: its row number in the file, the column, the message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    pub row: usize,
    /// The column's key (its English header); empty for the row as a whole.
    pub column: String,
    pub message: String,
}

/// What an import did, or (a dry run, or with errors) would have done.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Report {
    pub kind: String,
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Nothing is saved while there is one.
    pub errors: Vec<RowError>,
    /// The request's id, as every error answer carries it (API only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// What a row comes to.
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// A row's cells by column key.
pub struct Row<'a> {
    pub number: usize,
    cells: &'a [String],
    at: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    /// The cell of `key`, trimmed; empty when the column is absent.
    pub fn get(&self, key: &str) -> &str {
        self.at
            .get(key)
            .and_then(|i| self.cells.get(*i))
            .map_or("", |s| s.trim())
    }

    /// A `;`-separated cell as its parts.
    pub fn list(&self, key: &str) -> Vec<&str> {
        self.get(key)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// A row refused, with the column at fault.
pub struct Refused {
    pub column: &'static str,
    pub msg: Msg,
}

impl Refused {
    pub fn new(column: &'static str, key: &'static str) -> Self {
        Self {
            column,
            msg: Msg::new(key),
        }
    }
}

/// Why a row was refused, as row errors: field errors name their column.
fn row_errors(tr: &Tr, row: usize, e: AppError, kind: Kind) -> AppResult<Vec<RowError>> {
    match e {
        AppError::Validation(fields) => Ok(fields
            .iter()
            .map(|(f, m)| RowError {
                row,
                column: kind.column_of(f).to_owned(),
                message: tr.msg(m),
            })
            .collect()),
        AppError::Conflict(key) => Ok(vec![RowError {
            row,
            column: String::new(),
            message: tr.t(key),
        }]),
        other => Err(other),
    }
}

/// One import: what the file holds, where it goes, the file.
pub struct Job<'a> {
    pub kind: Kind,
    pub programme: ProgrammeId,
    pub bytes: &'a [u8],
    /// The file is XLSX (else it is told by its first bytes).
    pub xlsx: bool,
    /// Check every row and answer what would happen; save nothing.
    pub dry_run: bool,
}

/// Imports a file: every row checked, then all saved, or none (a dry run,
/// or any row refused).
pub async fn run(
    conn: &mut AsyncPgConnection,
    access: &Access,
    tr: &Tr,
    job: Job<'_>,
    today: chrono::NaiveDate,
) -> AppResult<Report> {
    let Job {
        kind,
        programme,
        bytes,
        xlsx,
        dry_run,
    } = job;
    if !access.role.can(kind.permission()) {
        return Err(AppError::Forbidden);
    }
    let sheet = Sheet::read(bytes, xlsx).map_err(|e| {
        AppError::field(
            "file",
            Msg::new("error-import-unreadable").arg("reason", e.0),
        )
    })?;
    let (at, _unknown) = sheet.columns(kind.columns());
    let missing: Vec<&str> = kind
        .columns()
        .iter()
        .filter(|c| c.required && !at.contains_key(c.key))
        .map(|c| c.key)
        .collect();
    if !missing.is_empty() {
        return Err(AppError::field(
            "file",
            Msg::new("error-import-columns").arg("columns", missing.join(", ")),
        ));
    }
    let mut report = Report {
        kind: kind.as_str().to_owned(),
        dry_run,
        rows: sheet.rows.len(),
        ..Default::default()
    };
    let result = conn
        .transaction(async |conn| {
            let mut ctx = match kind {
                Kind::Visits => {
                    let codes: Vec<String> = sheet
                        .rows
                        .iter()
                        .filter_map(|(_, cells)| at.get("family").and_then(|i| cells.get(*i)))
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty())
                        .collect();
                    Ctx::Visits(Box::new(
                        visits::Context::load(conn, access, programme, &codes).await?,
                    ))
                }
                Kind::Mothers => {
                    Ctx::Mothers(mothers::Context::load(conn, access, programme).await?)
                }
                Kind::Families => {
                    Ctx::Families(families::Context::load(conn, access, programme).await?)
                }
                Kind::Events => Ctx::Events(records::Events::load(conn, access, programme).await?),
                Kind::Expenses => {
                    Ctx::Expenses(records::Expenses::load(conn, access, programme).await?)
                }
            };
            for (number, cells) in &sheet.rows {
                let row = Row {
                    number: *number,
                    cells,
                    at: &at,
                };
                let outcome = match &mut ctx {
                    Ctx::Visits(c) => c.apply(conn, access, &row, today).await,
                    Ctx::Mothers(c) => c.apply(conn, access, &row).await,
                    Ctx::Families(c) => c.apply(conn, access, &row, today).await,
                    Ctx::Events(c) => c.apply(conn, access, &row).await,
                    Ctx::Expenses(c) => c.apply(conn, access, &row).await,
                };
                match outcome {
                    Ok(Ok(Outcome::Created)) => report.created += 1,
                    Ok(Ok(Outcome::Updated)) => report.updated += 1,
                    Ok(Ok(Outcome::Unchanged)) => report.unchanged += 1,
                    Ok(Err(refused)) => report.errors.push(RowError {
                        row: *number,
                        column: refused.column.to_owned(),
                        message: tr.msg(&refused.msg),
                    }),
                    Err(e) => report.errors.extend(row_errors(tr, *number, e, kind)?),
                }
            }
            if let Ctx::Visits(c) = &mut ctx
                && report.errors.is_empty()
            {
                c.finish(conn, access).await?;
            }
            if dry_run || !report.errors.is_empty() {
                // Nothing is kept: roll back what the rows did.
                Err(Stop::RollBack)
            } else {
                Ok(())
            }
        })
        .await;
    match result {
        Ok(()) | Err(Stop::RollBack) => Ok(report),
        Err(Stop::App(e)) => Err(e),
    }
}

/// How an import's transaction ends early.
enum Stop {
    /// A dry run, or a row refused: nothing is kept.
    RollBack,
    App(AppError),
}

impl From<AppError> for Stop {
    fn from(e: AppError) -> Self {
        Stop::App(e)
    }
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::App(e.into())
    }
}

enum Ctx {
    Visits(Box<visits::Context>),
    Mothers(mothers::Context),
    Families(families::Context),
    Events(records::Events),
    Expenses(records::Expenses),
}

/// Every route of imports, each with the permission it needs.
pub fn routes() -> Routes {
    use utoipa_axum::routes;
    Routes::new()
        .get("/imports", P::EditFamilies, html::page)
        .post("/imports", P::EditFamilies, html::upload)
        .get(
            "/imports/{kind}/template.csv",
            P::EditFamilies,
            html::template,
        )
        .api(P::EditFamilies, routes!(api::import))
}
