//! The yearly report page (with each figure's definition) and its CSV export.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::api::{YearlyQuery, last_year};
use super::charts;
use super::compare::{CompareQuery, Comparison, compare};
use super::grant::GrantReport;
use super::model::{
    ExpenseFigures, FundingFigures, PerCurrency, YearlyReport, visits_by_month, yearly,
};
use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::ProgrammeId;
use crate::money;
use crate::programmes::html::within;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::visits::model::ListKind;
use crate::web::blocking;
use crate::web::extract::{Path, Query};
use crate::web::{Page, render};

#[derive(Template)]
#[template(path = "reports/yearly.html")]
struct ReportPage {
    page: Page,
    report: YearlyReport,
    programmes: Vec<Programme>,
    chosen: Option<i64>,
    fundings: Vec<FundingFigures>,
    expenses: Vec<ExpenseFigures>,
    currency: Option<String>,
    charts: Charts,
}

/// The page's three SVG charts (markup drawn by `charts`, escaped there).
struct Charts {
    visits: String,
    topics: String,
    trained: String,
}

impl Charts {
    fn draw(page: &Page, report: &YearlyReport, previous: &[i64]) -> Self {
        let year = report.year;
        let months: Vec<String> = (1..=12).map(|m| page.t(&format!("month-{m}"))).collect();
        let this_year = year.to_string();
        let previous_year = (year - 1).to_string();
        let title = page.t1("chart-visits", "year", year);
        let visits = charts::both(&title, |size| {
            charts::bars(
                size,
                &title,
                &months,
                &report.visits.by_month,
                Some((&previous_year, previous)),
                &this_year,
            )
        });
        let topics: Vec<(String, i64)> = report
            .topics
            .iter()
            .map(|t| (topic_label(page, &t.key, &t.label), t.count))
            .collect();
        let topics = if topics.is_empty() {
            String::new()
        } else {
            let title = page.t1("chart-topics", "year", year);
            charts::both(&title, |size| {
                charts::horizontal_bars(size, &title, &topics)
            })
        };
        let (years, counts): (Vec<String>, Vec<i64>) = report
            .mothers_trained_by_year
            .iter()
            .map(|y| (y.year.to_string(), y.count))
            .unzip();
        let trained = if years.is_empty() {
            String::new()
        } else {
            let title = page.t("chart-trained");
            charts::both(&title, |size| {
                charts::bars(size, &title, &years, &counts, None, "")
            })
        };
        Charts {
            visits,
            topics,
            trained,
        }
    }
}

/// An entry's name in a report, by its code: the translation of a default
/// (its code a key), or a programme's own label (its code an id).
pub(crate) fn list_label(page: &Page, list: ListKind, code: &str, label: &str) -> String {
    if code.parse::<i64>().is_ok() {
        label.to_owned()
    } else {
        page.label(list.label_prefix(), code)
    }
}

/// A topic's name: the translation of a default topic, or a programme's own label.
pub(crate) fn topic_label(page: &Page, key: &str, label: &str) -> String {
    if key.starts_with("topic-") {
        label.to_owned()
    } else {
        page.label("vtopic", key)
    }
}

impl ReportPage {
    /// A questionnaire's text in the reader's language.
    fn text<'a>(&self, t: &'a crate::outcomes::model::Texts) -> &'a str {
        crate::outcomes::model::text_in(t, &self.page.tr.lang())
    }

    /// The names of the programmes the report covers, "; " between them.
    fn programme_names(&self) -> String {
        self.programmes
            .iter()
            .filter(|p| self.report.programmes.contains(&p.id.0))
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn money(&self, minor: &i64, currency: &str) -> String {
        money::display(*minor, currency, &self.page.tr.lang())
    }

    fn ratio_money(&self, v: &Option<i64>) -> String {
        match (v, &self.currency) {
            (Some(m), Some(c)) => self.money(m, c),
            _ => "–".to_owned(),
        }
    }

    fn percent(&self, share: &Option<f64>) -> String {
        share.map_or("–".to_owned(), |s| self.page.tr.percent(s))
    }

    fn topic(&self, t: &super::model::TopicFigure) -> String {
        topic_label(&self.page, &t.key, &t.label)
    }

    fn service(&self, r: &super::model::ReferralFigure) -> String {
        list_label(&self.page, ListKind::Service, &r.service, &r.label)
    }

    fn kind(&self, k: &super::lists::KindFigure) -> String {
        list_label(&self.page, ListKind::EventKind, &k.kind, &k.label)
    }

    fn month_name(&self, i: &usize) -> String {
        self.page.t(&format!("month-{}", i + 1))
    }

    fn export_link(&self, ext: &str) -> String {
        match self.chosen {
            Some(p) => format!(
                "/reports/yearly.{ext}?year={}&programme={p}",
                self.report.year
            ),
            None => format!("/reports/yearly.{ext}?year={}", self.report.year),
        }
    }

    /// The good-practice profile of the programme chosen (or the chooser).
    fn profile_link(&self) -> String {
        match self.chosen {
            Some(p) => format!("/reports/profile?year={}&programme={p}", self.report.year),
            None => format!("/reports/profile?year={}", self.report.year),
        }
    }

    fn is_chosen(&self, id: &i64) -> bool {
        self.chosen == Some(*id)
    }
}

pub async fn page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<YearlyQuery>,
) -> AppResult<Response> {
    let mut conn = state.db_read().await?;
    let (year, chosen, ids) = q
        .select(&mut conn, &access, Some(last_year(state.clock())))
        .await?;
    let page = match ids[..] {
        [one] => within(&mut conn, &access, page, ProgrammeId(one)).await?,
        _ => page,
    };
    let report = yearly(&mut conn, &ids, year).await?;
    let previous = visits_by_month(&mut conn, &ids, year - 1).await?;
    let programmes = Programme::list(&mut conn, &access.scope, true).await?;
    drop(conn);
    let fundings = report.funding.to_vec();
    let expenses = report.expenses.to_vec();
    let currency = (fundings.len() == 1).then(|| fundings[0].currency.clone());
    // Drawing the charts and the page is CPU work: off the async workers.
    blocking(move || {
        let charts = Charts::draw(&page, &report, &previous);
        render(
            StatusCode::OK,
            &ReportPage {
                page: page.with_nav("reports"),
                report,
                programmes,
                chosen,
                fundings,
                expenses,
                currency,
                charts,
            },
        )
    })
    .await
}

/// One line of the comparison table: a figure and its value per column.
struct CompareRow {
    label: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "reports/compare.html")]
struct ComparePage {
    page: Page,
    by_years: bool,
    programmes: Vec<Programme>,
    chosen: Vec<i64>,
    year: String,
    from: String,
    to: String,
    headings: Vec<String>,
    rows: Vec<CompareRow>,
    districts: Vec<CompareRow>,
    /// The comparison's query, for its CSV and XLSX links.
    export_query: String,
}

impl ComparePage {
    fn is_chosen(&self, id: &i64) -> bool {
        self.chosen.contains(id)
    }
}

/// The comparison rows: the main figures, then visits per district.
fn compare_rows(page: &Page, c: &Comparison) -> (Vec<CompareRow>, Vec<CompareRow>) {
    let lang = page.tr.lang();
    let reports: Vec<&YearlyReport> = c.columns.iter().map(|c| &c.report).collect();
    let count = |key: &str, f: &dyn Fn(&YearlyReport) -> i64| CompareRow {
        label: page.t(key),
        cells: reports.iter().map(|r| page.tr.number(f(r))).collect(),
    };
    // Each column is one programme, so one currency (shown with each amount).
    let amount = |key: &str, f: &dyn Fn(&YearlyReport) -> Option<(i64, String)>| CompareRow {
        label: page.t(key),
        cells: reports
            .iter()
            .map(|r| f(r).map_or("–".to_owned(), |(m, cur)| money::display(m, &cur, &lang)))
            .collect(),
    };
    let one_currency = |r: &YearlyReport| match &r.funding {
        PerCurrency::One(f) => Some(f.currency.clone()),
        PerCurrency::Several(_) => None,
    };
    let rows = vec![
        count("report-mothers-trained", &|r| r.mothers_trained),
        count("report-active-at-year-end", &|r| {
            r.active_mothers_at_year_end
        }),
        count("report-visits", &|r| r.visits.total),
        count("report-families-reached", &|r| r.families.reached),
        count("report-families-new", &|r| r.families.new),
        count("report-referrals", &|r| {
            r.referrals.iter().map(|x| x.count).sum()
        }),
        count("report-referrals-done", &|r| {
            r.referrals.iter().map(|x| x.done).sum()
        }),
        count("report-events", &|r| r.events.count),
        count("event-migrant", &|r| r.events.participants_migrant),
        count("event-local", &|r| r.events.participants_local),
        amount("report-received", &|r| match &r.funding {
            PerCurrency::One(f) => Some((f.received_minor, f.currency.clone())),
            PerCurrency::Several(_) => None,
        }),
        amount("expenses-title", &|r| match &r.expenses {
            PerCurrency::One(e) => Some((e.total_minor, e.currency.clone())),
            PerCurrency::Several(_) => None,
        }),
        amount("report-cost-per-visit", &|r| {
            r.cost_per_visit_minor.zip(one_currency(r))
        }),
        amount("report-cost-per-mother", &|r| {
            r.cost_per_mother_trained_minor.zip(one_currency(r))
        }),
        CompareRow {
            label: page.t("report-own-capital-share"),
            cells: reports
                .iter()
                .map(|r| {
                    r.own_capital_share
                        .map_or("–".to_owned(), |s| page.tr.percent(s))
                })
                .collect(),
        },
    ];
    // Every district seen in any column, in the order first met.
    let mut keys: Vec<(Option<i64>, String)> = Vec::new();
    for r in &reports {
        for d in &r.visits.by_district {
            if !keys.iter().any(|(id, _)| *id == d.district_id) {
                keys.push((d.district_id, d.name.clone()));
            }
        }
    }
    keys.sort_by(|a, b| {
        (a.0.is_none(), a.1.to_lowercase()).cmp(&(b.0.is_none(), b.1.to_lowercase()))
    });
    let districts = keys
        .into_iter()
        .map(|(id, name)| CompareRow {
            label: if id.is_none() {
                page.t("report-no-district")
            } else {
                name
            },
            cells: reports
                .iter()
                .map(|r| {
                    r.visits
                        .by_district
                        .iter()
                        .find(|d| d.district_id == id)
                        .map_or("–".to_owned(), |d| d.count.to_string())
                })
                .collect(),
        })
        .collect();
    (rows, districts)
}

pub async fn compare_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let mut conn = state.db_read().await?;
    let c = compare(&mut conn, &access, &q, last_year(state.clock())).await?;
    let programmes = Programme::list(&mut conn, &access.scope, true).await?;
    let by_years = c.by == "years";
    let (rows, districts) = compare_rows(&page, &c);
    let headings = c
        .columns
        .iter()
        .map(|col| {
            if by_years {
                col.year.to_string()
            } else {
                col.programme.clone()
            }
        })
        .collect();
    // The forms show what is compared, or the defaults.
    let first = c
        .columns
        .first()
        .map_or(last_year(state.clock()), |c| c.year);
    let last = c
        .columns
        .last()
        .map_or(last_year(state.clock()), |c| c.year);
    let (year, from, to) = if by_years {
        (last_year(state.clock()), first, last)
    } else {
        (
            first,
            last_year(state.clock()) - 4,
            last_year(state.clock()),
        )
    };
    let chosen: Vec<i64> = if q.programme.is_empty() {
        Vec::new()
    } else {
        c.columns.iter().map(|c| c.programme_id).collect()
    };
    let export_query = serde_html_form::to_string(&q).unwrap_or_default();
    Ok(render(
        StatusCode::OK,
        &ComparePage {
            export_query,
            page: page.with_nav("reports"),
            by_years,
            programmes,
            chosen,
            year: year.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            headings,
            rows,
            districts,
        },
    ))
}

#[derive(Template)]
#[template(path = "reports/grant.html")]
struct GrantReportPage {
    page: Page,
    r: GrantReport,
}

impl GrantReportPage {
    fn money(&self, minor: &i64) -> String {
        money::display(*minor, &self.r.grant.grant.currency, &self.page.tr.lang())
    }

    fn percent(&self, share: &Option<f64>) -> String {
        share.map_or("–".to_owned(), |s| self.page.tr.percent(s))
    }

    fn overspent(&self) -> String {
        self.money(&-self.r.grant.remaining_minor)
    }

    fn topic(&self, t: &super::model::TopicFigure) -> String {
        topic_label(&self.page, &t.key, &t.label)
    }

    fn service(&self, r: &super::model::ReferralFigure) -> String {
        list_label(&self.page, ListKind::Service, &r.service, &r.label)
    }

    fn kind(&self, k: &super::lists::KindFigure) -> String {
        list_label(&self.page, ListKind::EventKind, &k.kind, &k.label)
    }

    fn hours(&self, minutes: &i64) -> String {
        crate::training::model::hours(*minutes)
    }

    /// "2026-01" as "January 2026" in the reader's language.
    fn month(&self, ym: &str) -> String {
        match ym.split_once('-').map(|(y, m)| (y, m.parse::<u32>())) {
            Some((y, Ok(m))) if (1..=12).contains(&m) => {
                format!("{} {y}", self.page.t(&format!("month-{m}")))
            }
            _ => ym.to_owned(),
        }
    }

    /// The languages interpreted into, with their modules: "ar (3), tr (2)".
    fn languages(&self) -> String {
        self.r
            .activity
            .training
            .interpreter_languages
            .iter()
            .map(|(l, n)| format!("{} ({n})", self.page.code_name("language", l)))
            .collect::<Vec<_>>()
            .join(self.page.list_sep())
    }
}

/// The funder report of one grant, for printing or saving as PDF.
pub async fn grant_report_page(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db_read().await?;
    let r = super::grant::grant_report(&mut conn, &access.scope, id).await?;
    let page = within(&mut conn, &access, page, r.grant.grant.programme_id).await?;
    Ok(render(
        StatusCode::OK,
        &GrantReportPage {
            page: page.with_nav("funding"),
            r,
        },
    ))
}
