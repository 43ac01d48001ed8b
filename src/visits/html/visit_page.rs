//! One visit's page: what was recorded, its referrals with their outcome,
//! and its history; correcting it (the form again), voiding it with a
//! reason, and restoring it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::ids::{ReferralId, VisitId};
use crate::state::AppState;
use crate::visits::input::{OutcomeInput, VisitInput, VoidInput};
use crate::visits::model::{ReferralStatus, Topic, Visit};
use crate::visits::ops;
use crate::web::extract::{Form, Path};
use crate::web::history::{HistoryLine, described};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "visits/show.html")]
pub(crate) struct VisitPage {
    page: Page,
    visit: Visit,
    topics: Vec<Topic>,
    /// The services of its programme(s), to name referrals.
    services: Vec<Topic>,
    changes: Vec<HistoryLine>,
    today: String,
    statuses: [ReferralStatus; 3],
    /// The void form as typed, and its errors.
    void: VoidInput,
    errors: FormErrors,
    /// The referral whose outcome was refused, as typed.
    failed: Option<(ReferralId, OutcomeInput)>,
}

impl VisitPage {
    fn topic(&self, id: &crate::ids::TopicId) -> String {
        topic_label(&self.page, &self.topics, *id)
    }

    fn service(&self, code: &str) -> String {
        crate::visits::html::service_label(&self.page, &self.services, code)
    }

    /// Where the outcome form returns.
    fn back_to(&self) -> String {
        format!("/visits/{}", self.visit.id)
    }

    /// The outcome form's values for a referral: as typed if it was refused.
    fn outcome_for(&self, id: &ReferralId) -> Option<&OutcomeInput> {
        self.failed
            .as_ref()
            .filter(|(f, _)| f == id)
            .map(|(_, i)| i)
    }
}

async fn visit_page(
    state: &AppState,
    access: &Access,
    page: Page,
    id: VisitId,
    void: VoidInput,
    errors: FormErrors,
    failed: Option<(ReferralId, OutcomeInput)>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let visit = Visit::find(&mut conn, &access.scope, id.0, access.sees_personal()).await?;
    crate::visits::log_note_reads(state, access, [&visit], crate::audit::access::Channel::Page);
    let topics = Topic::for_programme(&mut conn, visit.programme_id).await?;
    let services = Topic::of_list(
        &mut conn,
        crate::visits::model::ListKind::Service,
        visit.programme_id,
    )
    .await?;
    let history = if access.sees_personal() {
        let referral_ids: Vec<i64> = visit.referrals.iter().map(|r| r.id.0).collect();
        audit::history(
            &mut conn,
            &[("visit", &[id.0]), ("referral", &referral_ids)],
        )
        .await?
    } else {
        Vec::new()
    };
    let changes = described(&mut conn, &page, &history).await?;
    Ok(render(
        errors.status(),
        &VisitPage {
            changes,
            page: page.with_nav("visits"),
            visit,
            topics,
            services,
            today: state.clock().today().to_string(),
            statuses: ReferralStatus::ALL,
            void,
            errors,
            failed,
        },
    ))
}

pub async fn show_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<VisitId>,
) -> AppResult<Response> {
    let none = FormErrors::default();
    visit_page(&state, &access, page, id, VoidInput::default(), none, None).await
}

/// The visit form, filled with what was recorded.
pub async fn edit_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<VisitId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let v = Visit::find(&mut conn, &access.scope, id.0, true).await?;
    drop(conn);
    if v.voided_at.is_some() {
        return Err(AppError::Conflict("error-visit-voided"));
    }
    let mut input = ops::correct::as_input(&v);
    // The form asks for a family or the tick: an anonymous visit has it.
    if v.family_id.is_none() {
        input.anonymous = Some("true".into());
    }
    visit_form(
        &state,
        &access,
        page,
        input,
        FormErrors::default(),
        Some(id),
    )
    .await
}

pub async fn update_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<VisitId>,
    Form(input): Form<VisitInput>,
) -> AppResult<Response> {
    if input.wants_search() {
        return visit_form(
            &state,
            &access,
            page,
            input,
            FormErrors::default(),
            Some(id),
        )
        .await;
    }
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let result = ops::correct::update(&mut conn, &access, id, &input, today).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect(&format!("/visits/{id}"), "flash-visit-corrected", ""),
        async |errors| visit_form(&state, &access, page, input, errors, Some(id)).await,
    )
    .await
}

pub async fn void_visit(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<VisitId>,
    Form(input): Form<VoidInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let now = state.clock().now();
    let result = ops::correct::void(&mut conn, &access, id, &input, now).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect(&format!("/visits/{id}"), "flash-visit-voided", ""),
        async |errors| visit_page(&state, &access, page, id, input, errors, None).await,
    )
    .await
}

pub async fn restore_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<VisitId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    ops::correct::restore(&mut conn, &access, id).await?;
    Ok(flash::redirect(
        &format!("/visits/{id}"),
        "flash-visit-restored",
        "",
    ))
}

/// "Mark reviewed" on a visit the mother entered herself.
pub async fn review_visit(
    State(state): State<AppState>,
    access: Access,
    Path(id): Path<VisitId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    ops::correct::review(&mut conn, &access, id, state.clock().now()).await?;
    Ok(flash::redirect(
        &format!("/visits/{id}"),
        "flash-visit-reviewed",
        "",
    ))
}

/// A referral's outcome from the visit's page or the worklist; `back`
/// says which page to return to.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    #[serde(flatten)]
    outcome: OutcomeInput,
    back: Option<String>,
}

pub async fn referral_outcome(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ReferralId>,
    Form(form): Form<OutcomeForm>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let today = state.clock().today();
    let result =
        ops::referral::set_outcome(&mut conn, &access, id, &form.outcome, today, true).await;
    drop(conn);
    let back = form.back.as_deref().unwrap_or("");
    let to_worklist = back.starts_with("/referrals");
    // Only a path of this site (a worklist with its filters, or the visit).
    let back = if back.starts_with('/') && !back.starts_with("//") {
        back.to_owned()
    } else {
        "/referrals".to_owned()
    };
    respond(
        result,
        |r| {
            let target = if to_worklist {
                back.clone()
            } else {
                format!("/visits/{}", r.visit_id)
            };
            flash::redirect(&target, "flash-referral-saved", "")
        },
        async |errors| {
            if to_worklist {
                let query: Option<crate::visits::input::ReferralQuery> = back
                    .split_once('?')
                    .and_then(|(_, q)| serde_html_form::from_str(q).ok());
                let failed = Some((id, form.outcome));
                referrals_page(&state, &access, page, failed, errors, query).await
            } else {
                // The outcome was refused, so the referral exists and is
                // the caller's: its visit's page shows the form again.
                let visit_id = {
                    let mut conn = state.db().await?;
                    crate::visits::model::Referral::find(&mut conn, id)
                        .await?
                        .visit_id
                };
                let void = VoidInput::default();
                let failed = Some((id, form.outcome));
                visit_page(&state, &access, page, visit_id, void, errors, failed).await
            }
        },
    )
    .await
}
