//! The visit list.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::mothers::model::Mother;
use crate::programmes::model::District;
use crate::state::AppState;
use crate::visits::input::VisitQuery;
use crate::visits::model::{COUNT_LIMIT, Topic, VISITS_PER_PAGE, Visit};
use crate::web::extract::Query;
use crate::web::reads::ListDb;
use crate::web::{Page, pagination, render};

use super::*;

#[derive(Template)]
#[template(path = "visits/list.html")]
pub(crate) struct VisitListPage {
    page: Page,
    visits: Vec<Visit>,
    total: i64,
    page_no: i64,
    per_page: i64,
    query: VisitQuery,
    mothers: Vec<Mother>,
    districts: Vec<District>,
    topics: Vec<Topic>,
    /// The services of its programme(s), to name referrals.
    services: Vec<Topic>,
    /// A filter value that did not read, translated.
    filter_error: Option<String>,
}

impl VisitListPage {
    fn topic(&self, id: &TopicId) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    fn service(&self, code: &str) -> String {
        crate::visits::html::service_label(&self.page, &self.services, code)
    }

    fn pages(&self) -> i64 {
        pagination::pages(self.total.min(COUNT_LIMIT), self.per_page)
    }

    fn capped(&self) -> bool {
        self.total > COUNT_LIMIT
    }

    fn limit(&self) -> i64 {
        COUNT_LIMIT
    }

    fn page_link(&self, n: i64) -> String {
        let q = VisitQuery {
            page: Some(n.to_string()),
            ..self.query.clone()
        };
        format!(
            "/visits?{}",
            serde_html_form::to_string(&q).unwrap_or_default()
        )
    }

    fn selected(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

pub async fn list_visits(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(query): Query<VisitQuery>,
    ListDb(mut conn): ListDb,
) -> AppResult<Response> {
    let (mut filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    if let Some(f) = filter.as_mut() {
        f.with_voided = access.sees_personal();
    }
    let (visits, total) = match &filter {
        Some(f) => Visit::list(&mut conn, &access.scope, f, access.sees_personal()).await?,
        None => (Vec::new(), 0),
    };
    crate::visits::log_note_reads(
        &state,
        &access,
        &visits,
        crate::audit::access::Channel::Page,
    );
    let mothers = all_mothers(&mut conn, &access.scope).await?;
    let districts = all_districts(&mut conn, &access.scope).await?;
    let topics = Topic::for_scope(&mut conn, &access.scope).await?;
    let services = crate::visits::html::all_services(&mut conn, &access.scope).await?;
    Ok(render(
        pagination::status(&filter_error),
        &VisitListPage {
            page: page.with_nav("visits"),
            visits,
            total,
            page_no: filter.as_ref().map_or(1, |f| f.page),
            per_page: filter.map_or(VISITS_PER_PAGE, |f| f.per_page),
            query,
            mothers,
            districts,
            topics,
            services,
            filter_error,
        },
    ))
}
