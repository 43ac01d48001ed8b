//! The referral worklist: by status (open by default), service, mother
//! and district, a page at a time, each with its outcome form.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::ReferralId;
use crate::mothers::model::Mother;
use crate::programmes::model::District;
use crate::state::AppState;
use crate::visits::input::{DoneInput, OutcomeInput, ReferralQuery};
use crate::visits::model::{REFERRALS_PER_PAGE, Referral, ReferralItem, ReferralStatus, Topic};
use crate::visits::ops;
use crate::web::extract::{Form, Path, Query};
use crate::web::{FormErrors, Page, flash, pagination, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "visits/referrals.html")]
pub(crate) struct ReferralsPage {
    page: Page,
    referrals: Vec<ReferralItem>,
    total: i64,
    page_no: i64,
    per_page: i64,
    query: ReferralQuery,
    filter_error: Option<String>,
    mothers: Vec<Mother>,
    districts: Vec<District>,
    services: Vec<Topic>,
    statuses: [ReferralStatus; 3],
    today: String,
    /// The referral whose outcome was refused, as typed.
    failed: Option<(ReferralId, OutcomeInput)>,
    errors: FormErrors,
}

impl ReferralsPage {
    fn service(&self, code: &str) -> String {
        service_label(&self.page, &self.services, code)
    }

    fn outcome_for(&self, id: &ReferralId) -> Option<&OutcomeInput> {
        self.failed
            .as_ref()
            .filter(|(f, _)| f == id)
            .map(|(_, i)| i)
    }

    fn link(&self, page: Option<i64>) -> String {
        let q = ReferralQuery {
            page: page.map(|n| n.to_string()),
            ..self.query.clone()
        };
        let qs = serde_html_form::to_string(&q).unwrap_or_default();
        if qs.is_empty() {
            "/referrals".into()
        } else {
            format!("/referrals?{qs}")
        }
    }

    /// Where the outcome form returns: this list, with its filters and page.
    fn back_to(&self) -> String {
        self.link(Some(self.page_no).filter(|n| *n > 1))
    }

    fn page_link(&self, n: i64) -> String {
        self.link(Some(n))
    }

    fn pages(&self) -> i64 {
        pagination::pages(self.total, self.per_page)
    }

    fn selected(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn status_chosen(&self, want: &str) -> bool {
        self.query.status.as_deref().unwrap_or("open") == want
    }
}

pub(crate) async fn referrals_page(
    state: &AppState,
    access: &Access,
    page: Page,
    failed: Option<(ReferralId, OutcomeInput)>,
    errors: FormErrors,
    query: Option<ReferralQuery>,
) -> AppResult<Response> {
    let query = query.unwrap_or_default();
    let (filter, filter_error) = pagination::read_filter(&page, query.filter())?;
    let mut conn = state.db().await?;
    let (referrals, total) = match &filter {
        Some(f) => Referral::worklist(&mut conn, &access.scope, f).await?,
        None => (Vec::new(), 0),
    };
    let mothers = all_mothers(&mut conn, &access.scope).await?;
    let districts = all_districts(&mut conn, &access.scope).await?;
    let services = all_services(&mut conn, &access.scope).await?;
    let status = if filter_error.is_some() {
        pagination::status(&filter_error)
    } else {
        errors.status()
    };
    Ok(render(
        status,
        &ReferralsPage {
            page: page.with_nav("referrals"),
            referrals,
            total,
            page_no: filter.as_ref().map_or(1, |f| f.page),
            per_page: filter.as_ref().map_or(REFERRALS_PER_PAGE, |f| f.per_page),
            query,
            filter_error,
            mothers,
            districts,
            services,
            statuses: ReferralStatus::ALL,
            today: state.clock().today().to_string(),
            failed,
            errors,
        },
    ))
}

pub async fn referrals(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Query(q): Query<ReferralQuery>,
) -> AppResult<Response> {
    referrals_page(&state, &access, page, None, FormErrors::default(), Some(q)).await
}

/// "Done" in one tap (today), kept for links and forms made before
/// outcomes had a choice.
pub async fn referral_done(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ReferralId>,
    Form(input): Form<DoneInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let result = ops::referral::mark_done(&mut conn, &access, id, &input, today).await;
    drop(conn);
    let typed = OutcomeInput {
        status: ReferralStatus::Done.to_string(),
        done_on: input.done_on.clone(),
        note: None,
    };
    respond(
        result,
        |_| flash::redirect("/referrals", "flash-referral-done", ""),
        async |errors| referrals_page(&state, &access, page, Some((id, typed)), errors, None).await,
    )
    .await
}
