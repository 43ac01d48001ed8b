//! The good-practice profile's page (`/reports/profile`, printable) and
//! its exports: Markdown (`/reports/profile.md`) and a standalone HTML
//! document (`/reports/profile.html`), in the reader's language. The
//! three share one view of the figures (`View`).

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::api::last_year;
use super::profile::{Profile, ProfileQuery, profile};
use crate::authz::{Access, Role};
use crate::error::AppResult;
use crate::money;
use crate::outcomes::model::{Texts, text_in};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::{Page, render};

/// The figures as the reader reads them.
pub struct View {
    pub p: Profile,
    lang: String,
}

impl View {
    /// A count, or "fewer than 5".
    pub fn count(&self, page: &Page, n: &Option<i64>) -> String {
        match n {
            Some(n) => page.number(n),
            None => page.t("profile-fewer-than-5"),
        }
    }

    pub fn money(&self, minor: &i64, currency: &str) -> String {
        money::display(*minor, currency, &self.lang)
    }

    pub fn percent(&self, page: &Page, share: &Option<f64>) -> String {
        share.map_or("–".to_owned(), |s| page.tr.percent(s))
    }

    pub fn text<'a>(&self, t: &'a Texts) -> &'a str {
        text_in(t, &self.lang)
    }

    pub fn topic(&self, page: &Page, key: &str, label: &str) -> String {
        if key.is_empty() {
            label.to_owned()
        } else {
            page.label("vtopic", key)
        }
    }

    pub fn role(&self, page: &Page, role: &str) -> String {
        Role::parse(role).map_or(role.to_owned(), |r| page.role_name(&r))
    }

    /// A name or a figure in a Markdown line or table cell: one line, its
    /// Markdown and HTML characters escaped, so that a district called
    /// `A | B` or `<img ...>` stays text.
    pub fn md(&self, text: impl AsRef<str>) -> String {
        let text = text.as_ref();
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\r' | '\n' => out.push(' '),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\\' | '|' | '*' | '_' | '[' | ']' | '`' | '#' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out
    }

    /// A programme's own text as Markdown paragraphs: its paragraphs kept,
    /// HTML and links escaped.
    pub fn md_text(&self, text: &str) -> String {
        text.split("\n\n")
            .map(|p| self.md(p))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The texts before the figures: goal, how it works, who benefits.
    pub fn sections(&self) -> [(&'static str, &str); 3] {
        let t = &self.p.texts;
        [
            ("goal", t.goal.as_str()),
            ("approach", t.approach.as_str()),
            ("beneficiaries", t.beneficiaries.as_str()),
        ]
    }

    pub fn country(&self, page: &Page) -> String {
        page.code_name("country", &self.p.programme.country)
    }
}

#[derive(Template)]
#[template(path = "reports/profile.html")]
struct ProfilePage {
    page: Page,
    v: Option<View>,
    programmes: Vec<Programme>,
    year: i32,
}

#[derive(Template)]
#[template(path = "reports/profile_export.html")]
struct ExportHtml {
    page: Page,
    v: View,
}

#[derive(Template)]
#[template(path = "reports/profile.md")]
struct ExportMarkdown {
    page: Page,
    v: View,
}

async fn load(
    state: &AppState,
    access: &Access,
    page: Page,
    q: &ProfileQuery,
) -> AppResult<(Page, Option<View>, i32)> {
    let mut conn = state.db_read().await?;
    let default = last_year(state.clock());
    let Some((programme, year)) = q.select(&mut conn, access, default).await? else {
        let year = super::api::parse_year(q.year.as_deref(), "year", Some(default))?;
        return Ok((page, None, year));
    };
    let page = crate::programmes::html::within(&mut conn, access, page, programme.id).await?;
    let p = profile(&mut conn, &programme, year).await?;
    let lang = page.tr.lang();
    Ok((page, Some(View { p, lang }), year))
}

pub async fn page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<ProfileQuery>,
) -> AppResult<Response> {
    let (page, v, year) = load(&state, &access, page, &q).await?;
    let mut conn = state.db_read().await?;
    let programmes = Programme::list(&mut conn, &access.scope, true).await?;
    Ok(render(
        StatusCode::OK,
        &ProfilePage {
            page: page.with_nav("reports"),
            v,
            programmes,
            year,
        },
    ))
}

/// The file's name: `profile-<programme id>-<year>.<ext>`.
fn attachment(body: String, v: &View, ext: &str, mime: &str) -> Response {
    let name = format!("profile-{}-{}.{ext}", v.p.programme.id, v.p.year);
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn markdown(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<ProfileQuery>,
) -> AppResult<Response> {
    let (page, v, _) = load(&state, &access, page, &q).await?;
    let v = v.ok_or(crate::error::AppError::field("programme", "error-required"))?;
    let doc = ExportMarkdown { page, v };
    let body = doc
        .render()
        .map_err(|e| crate::error::AppError::Internal(e.into()))?;
    Ok(attachment(
        body,
        &doc.v,
        "md",
        "text/markdown; charset=utf-8",
    ))
}

pub async fn html_file(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<ProfileQuery>,
) -> AppResult<Response> {
    let (page, v, _) = load(&state, &access, page, &q).await?;
    let v = v.ok_or(crate::error::AppError::field("programme", "error-required"))?;
    let doc = ExportHtml { page, v };
    let body = doc
        .render()
        .map_err(|e| crate::error::AppError::Internal(e.into()))?;
    Ok(attachment(body, &doc.v, "html", "text/html; charset=utf-8"))
}
