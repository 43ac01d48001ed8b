//! Reports: the yearly figures managers and funders ask for.

pub mod api;
pub mod charts;
pub mod compare;
pub mod download;
pub mod grant;
pub mod headline;
pub mod html;
pub mod lists;
pub mod model;
pub mod outcomes;
pub mod participants;
pub mod per_currency;
pub mod plan;
pub mod profile;
pub mod profile_html;
pub mod rollup;
pub mod xlsx;
pub mod xlsx_impact;

use utoipa_axum::routes;

use crate::authz::Permission as P;
use crate::web::Routes;

/// Every route of this domain, each with the permission it needs.
pub fn routes() -> Routes {
    Routes::new()
        .get("/reports", P::ReadReports, html::page)
        .get("/reports/yearly.csv", P::ReadReports, download::yearly_csv)
        .get(
            "/reports/yearly.xlsx",
            P::ReadReports,
            download::yearly_xlsx,
        )
        .get(
            "/reports/compare.csv",
            P::ReadReports,
            download::compare_csv,
        )
        .get(
            "/reports/compare.xlsx",
            P::ReadReports,
            download::compare_xlsx,
        )
        .get(
            "/grants/{id}/report.csv",
            P::ReadReports,
            download::grant_csv,
        )
        .get(
            "/grants/{id}/report.xlsx",
            P::ReadReports,
            download::grant_xlsx,
        )
        .get("/reports/compare", P::ReadReports, html::compare_page)
        .get(
            "/grants/{id}/report",
            P::ReadReports,
            html::grant_report_page,
        )
        .get("/reports/profile", P::ReadReports, profile_html::page)
        .get(
            "/reports/profile.md",
            P::ReadReports,
            profile_html::markdown,
        )
        .get(
            "/reports/profile.html",
            P::ReadReports,
            profile_html::html_file,
        )
        .api(P::ReadReports, routes!(profile::api_profile))
        .api(P::ReadReports, routes!(api::yearly_report))
        .api(P::ReadReports, routes!(api::compare_report))
        .api(P::ReadReports, routes!(api::grant_report))
}
