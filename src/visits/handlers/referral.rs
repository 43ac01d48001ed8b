//! The referral worklist and its follow-up.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::visits::form::DoneInput;
use crate::visits::model::{Referral, ReferralItem};
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

#[derive(Template)]
#[template(path = "visits/referrals.html")]
pub(crate) struct ReferralsPage {
    page: Page,
    referrals: Vec<ReferralItem>,
    today: String,
    /// The referral whose "done" was refused, with the messages.
    failed: Option<i64>,
    errors: FormErrors,
}

impl ReferralsPage {
    /// Why marking this referral done was refused, if it was.
    fn error_for(&self, id: &i64) -> Option<&crate::error::Msg> {
        self.errors
            .get("done_on")
            .filter(|_| self.failed == Some(*id))
    }
}

pub(crate) async fn referrals_page(
    state: &AppState,
    access: &Access,
    page: Page,
    failed: Option<i64>,
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
    Path(id): Path<i64>,
    Form(input): Form<DoneInput>,
) -> AppResult<Response> {
    let result = match input.validate(state.clock().today()) {
        Ok(on) => {
            let mut conn = state.db().await?;
            Referral::mark_done(&mut conn, access.actor, &access.scope, id, on).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(_) => Ok(flash::redirect("/referrals", "flash-referral-done", "")),
        Err(AppError::Validation(e)) => {
            referrals_page(&state, &access, page, Some(id), FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}
