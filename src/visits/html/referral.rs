//! The referral worklist and its follow-up.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::ids::ReferralId;
use crate::state::AppState;
use crate::visits::input::DoneInput;
use crate::visits::model::{Referral, ReferralItem};
use crate::visits::ops;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

#[derive(Template)]
#[template(path = "visits/referrals.html")]
pub(crate) struct ReferralsPage {
    page: Page,
    referrals: Vec<ReferralItem>,
    today: String,
    /// The referral whose "done" was refused, with the messages.
    failed: Option<ReferralId>,
    errors: FormErrors,
}

impl ReferralsPage {
    /// Why marking this referral done was refused, if it was.
    fn error_for(&self, id: &ReferralId) -> Option<&crate::error::Msg> {
        self.errors
            .get("done_on")
            .filter(|_| self.failed == Some(*id))
    }
}

pub(crate) async fn referrals_page(
    state: &AppState,
    access: &Access,
    page: Page,
    failed: Option<ReferralId>,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let referrals = Referral::open(&mut conn, &access.scope).await?;
    Ok(render(
        errors.status(),
        &ReferralsPage {
            page: page.with_nav("referrals"),
            referrals,
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
) -> AppResult<Response> {
    referrals_page(&state, &access, page, None, FormErrors::default()).await
}

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
    respond(
        result,
        |_| flash::redirect("/referrals", "flash-referral-done", ""),
        async |errors| referrals_page(&state, &access, page, Some(id), errors).await,
    )
    .await
}
