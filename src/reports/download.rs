//! Reports as files that stand alone: the yearly report, the funder
//! report of a grant and the comparison, each as CSV and XLSX. Every file
//! names the programme(s), the period and the day it was made, inside (the
//! first lines of the CSV, the first sheet of the workbook) and in its
//! name. Labels are in the reader's language, never internal keys; CSV is
//! UTF-8 with a byte-order mark (so that Excel reads "ü" as "ü"), and the
//! workbook stores numbers as numbers.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::api::{YearlyQuery, last_year};
use super::compare::{CompareQuery, compare};
use super::grant::grant_report;
use super::model::{YearlyReport, yearly};
use super::xlsx::{Cell, Sheet, compare_sheets, grant_sheets, workbook, yearly_sheets};
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::ProgrammeId;
use crate::money;
use crate::programmes::html::within;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::Page;
use crate::web::blocking;
use crate::web::export::csv_cell;
use crate::web::extract::{Path, Query};

/// A report as a file: what it is, of whom, for when, made when, and its
/// tables.
pub struct Document {
    pub title: String,
    pub programmes: Vec<String>,
    /// In words, e.g. "2012" or "2024-01-01 – 2024-12-31".
    pub period: String,
    pub made_on: NaiveDate,
    pub sheets: Vec<Sheet>,
    /// The file name's first word, e.g. `yearly-report`.
    pub kind: &'static str,
    /// The period as it goes into the file name.
    pub period_slug: String,
}

/// Lower-case letters and digits (any script), the rest one `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

impl Document {
    /// `yearly-report_stadtteilmutter-neukolln_2012_made-2026-11-29.csv`
    pub fn file_name(&self, ext: &str) -> String {
        let who = match self.programmes.as_slice() {
            [one] => slug(one),
            many => format!("{}-programmes", many.len()),
        };
        format!(
            "{}_{who}_{}_made-{}.{ext}",
            self.kind,
            slug(&self.period_slug),
            self.made_on
        )
    }

    /// The lines that say what the file is.
    fn about(&self, page: &Page) -> Vec<(String, String)> {
        vec![
            (page.t("export-report"), self.title.clone()),
            (page.t("field-programmes"), self.programmes.join("; ")),
            (page.t("export-period"), self.period.clone()),
            (page.t("export-made-on"), self.made_on.to_string()),
        ]
    }

    /// UTF-8 with a byte-order mark: what the file is, then each table
    /// under its name, a blank line between.
    pub fn csv(&self, page: &Page) -> AppResult<Vec<u8>> {
        let fail = |e: ::csv::Error| AppError::Internal(e.into());
        let mut w = ::csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(b"\xEF\xBB\xBF".to_vec());
        for (k, v) in self.about(page) {
            w.write_record([csv_cell(&k).into_owned(), csv_cell(&v).into_owned()])
                .map_err(fail)?;
        }
        for sheet in &self.sheets {
            w.write_record(std::iter::empty::<&str>()).map_err(fail)?;
            w.write_record([csv_cell(&sheet.name).into_owned()])
                .map_err(fail)?;
            w.write_record(sheet.headings.iter().map(|h| csv_cell(h).into_owned()))
                .map_err(fail)?;
            for row in &sheet.rows {
                w.write_record(row.iter().map(csv_text)).map_err(fail)?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
        // The writer quotes an empty record (`""`); a blank line is meant.
        let text = String::from_utf8(bytes)
            .map_err(|e| AppError::Internal(e.into()))?
            .replace("\n\"\"\n", "\n\n");
        Ok(text.into_bytes())
    }

    /// The workbook: a first sheet saying what it is, then the tables.
    pub async fn xlsx(self, page: &Page) -> AppResult<Vec<u8>> {
        let about = Sheet {
            name: page.t("export-about"),
            headings: vec![page.t("report-figure"), page.t("report-value")],
            rows: self
                .about(page)
                .into_iter()
                .map(|(k, v)| vec![Cell::Text(k), Cell::Text(v)])
                .collect(),
        };
        let mut sheets = vec![about];
        sheets.extend(self.sheets);
        blocking(move || workbook(&sheets))
            .await?
            .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
    }
}

/// A cell as CSV text: numbers plain (a point for decimals), months as
/// `YYYY-MM`, shares as per cent; formula-like text quoted.
fn csv_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => csv_cell(s).into_owned(),
        Cell::Int(n) => n.to_string(),
        Cell::Money(minor, exp) => money::format(*minor, *exp),
        Cell::Share(s) => format!("{:.1} %", s * 100.0),
        Cell::Month(d) => d.format("%Y-%m").to_string(),
        Cell::Empty => String::new(),
    }
}

/// A file download: its bytes, type and name (with an ASCII fallback for
/// browsers that do not read `filename*`).
pub fn download(body: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let value = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    res
}

const CSV: &str = "text/csv; charset=utf-8";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn send(doc: Document, page: &Page, ext: &str) -> AppResult<Response> {
    let name = doc.file_name(ext);
    if ext == "csv" {
        Ok(download(doc.csv(page)?, CSV, &name))
    } else {
        Ok(download(doc.xlsx(page).await?, XLSX, &name))
    }
}

async fn names(
    conn: &mut diesel_async::AsyncPgConnection,
    access: &Access,
    ids: &[i64],
) -> AppResult<Vec<String>> {
    Ok(Programme::list(conn, &access.scope, true)
        .await?
        .into_iter()
        .filter(|p| ids.contains(&p.id.0))
        .map(|p| p.name)
        .collect())
}

fn yearly_document(
    page: &Page,
    r: &YearlyReport,
    programmes: Vec<String>,
    made_on: NaiveDate,
) -> Document {
    Document {
        title: page.t1("report-title", "year", r.year),
        programmes,
        period: r.year.to_string(),
        made_on,
        sheets: yearly_sheets(page, r),
        kind: "yearly-report",
        period_slug: r.year.to_string(),
    }
}

async fn yearly_file(
    state: AppState,
    access: Access,
    page: Page,
    q: YearlyQuery,
    ext: &str,
) -> AppResult<Response> {
    let mut conn = state.db_read().await?;
    let (year, _, ids) = q
        .select(&mut conn, &access, Some(last_year(state.clock())))
        .await?;
    let page = match ids[..] {
        [one] => within(&mut conn, &access, page, ProgrammeId(one)).await?,
        _ => page,
    };
    let r = yearly(&mut conn, &ids, year).await?;
    let programmes = names(&mut conn, &access, &ids).await?;
    drop(conn);
    let doc = yearly_document(&page, &r, programmes, state.clock().today());
    send(doc, &page, ext).await
}

/// `/reports/yearly.csv` with the page's query.
pub async fn yearly_csv(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<YearlyQuery>,
) -> AppResult<Response> {
    yearly_file(state, access, page, q, "csv").await
}

/// `/reports/yearly.xlsx` with the page's query.
pub async fn yearly_xlsx(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<YearlyQuery>,
) -> AppResult<Response> {
    yearly_file(state, access, page, q, "xlsx").await
}

async fn grant_file(
    state: AppState,
    access: Access,
    page: Page,
    id: i64,
    ext: &str,
) -> AppResult<Response> {
    let mut conn = state.db_read().await?;
    let r = grant_report(&mut conn, &access.scope, id).await?;
    let page = within(&mut conn, &access, page, r.grant.grant.programme_id).await?;
    drop(conn);
    let g = &r.grant.grant;
    let doc = Document {
        title: format!("{}: {}", page.t("grant-report-title"), r.grant.funder_name),
        programmes: vec![r.programme.clone()],
        period: format!("{} – {}", g.starts_on, g.ends_on),
        made_on: state.clock().today(),
        kind: "funder-report",
        period_slug: format!("{}-{}", g.starts_on, g.ends_on),
        sheets: grant_sheets(&page, &r),
    };
    send(doc, &page, ext).await
}

/// `/grants/{id}/report.csv`
pub async fn grant_csv(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    grant_file(state, access, page, id, "csv").await
}

/// `/grants/{id}/report.xlsx`
pub async fn grant_xlsx(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    grant_file(state, access, page, id, "xlsx").await
}

async fn compare_file(
    state: AppState,
    access: Access,
    page: Page,
    q: CompareQuery,
    ext: &str,
) -> AppResult<Response> {
    let mut conn = state.db_read().await?;
    let c = compare(&mut conn, &access, &q, last_year(state.clock())).await?;
    drop(conn);
    let mut programmes: Vec<String> = Vec::new();
    for col in &c.columns {
        if !programmes.contains(&col.programme) {
            programmes.push(col.programme.clone());
        }
    }
    let (first, last) = (
        c.columns.first().map_or(0, |c| c.year),
        c.columns.last().map_or(0, |c| c.year),
    );
    let period = if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    };
    let doc = Document {
        title: page.t("compare-title"),
        programmes,
        period_slug: period.clone(),
        period,
        made_on: state.clock().today(),
        kind: "comparison",
        sheets: compare_sheets(&page, &c),
    };
    send(doc, &page, ext).await
}

/// `/reports/compare.csv` with the page's query.
pub async fn compare_csv(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    compare_file(state, access, page, q, "csv").await
}

/// `/reports/compare.xlsx` with the page's query.
pub async fn compare_xlsx(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    compare_file(state, access, page, q, "xlsx").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_what_whom_and_when() {
        assert_eq!(slug("Stadtteilmütter Neukölln"), "stadtteilmütter-neukölln");
        assert_eq!(slug("  Bydelsmødre / Aarhus!! "), "bydelsmødre-aarhus");
        let doc = Document {
            title: String::new(),
            programmes: vec!["Bydelsmødre Aarhus".into()],
            period: "2012".into(),
            made_on: NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"),
            sheets: Vec::new(),
            kind: "yearly-report",
            period_slug: "2012".into(),
        };
        assert_eq!(
            doc.file_name("csv"),
            "yearly-report_bydelsmødre-aarhus_2012_made-2026-11-29.csv"
        );
        let res = download(Vec::new(), CSV, &doc.file_name("csv"));
        let cd = res.headers()[CONTENT_DISPOSITION].to_str().expect("ascii");
        assert!(
            cd.contains("filename=\"yearly-report_bydelsm__dre-aarhus")
                || cd.contains("filename=\"yearly-report_bydelsm_dre-aarhus"),
            "{cd}"
        );
        assert!(
            cd.contains(
                "filename*=UTF-8''yearly-report_bydelsm%C3%B8dre-aarhus_2012_made-2026-11-29.csv"
            ),
            "{cd}"
        );
    }
}
