//! The monthly allowance run: drafts, review, confirmation.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::funding::input::{AllowanceRunInput, RunReviewInput, run_month};
use crate::funding::model::{AllowanceRun, Grant, GrantDetail};
use crate::funding::ops::{self, ReviewOutcome};
use crate::ids::{MotherId, ProgrammeId};
use crate::money::{self, AmountError};
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "funding/allowances.html")]
pub(crate) struct AllowancesPage {
    page: Page,
    programmes: Vec<Programme>,
    grants: Vec<GrantDetail>,
    input: AllowanceRunInput,
    errors: FormErrors,
}

pub(crate) async fn allowances_page(
    state: &AppState,
    access: &Access,
    page: Page,
    input: AllowanceRunInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let grants = Grant::list(&mut conn, &access.scope, None).await?;
    Ok(render(
        errors.status(),
        &AllowancesPage {
            page: page.with_nav("funding"),
            programmes,
            grants,
            input,
            errors,
        },
    ))
}

pub async fn allowances(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = AllowanceRunInput {
        month: state.clock().today().format("%Y-%m").to_string(),
        ..Default::default()
    };
    allowances_page(&state, &access, page, input, FormErrors::default()).await
}

pub async fn create_run(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<AllowanceRunInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create_run(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |run| {
            let month = run.month.format("%Y-%m").to_string();
            flash::redirect(
                &format!("/allowances/{}/{month}", run.programme_id),
                "flash-allowance-run-created",
                &month,
            )
        },
        async |errors| allowances_page(&state, &access, page, input, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "funding/allowance_run.html")]
pub(crate) struct RunPage {
    page: Page,
    run: AllowanceRun,
    programme: Programme,
    names: HashMap<MotherId, String>,
}

impl RunPage {
    fn money(&self, minor: &i64) -> String {
        amount(&self.page, *minor, &self.programme.currency)
    }

    fn plain(&self, minor: &i64) -> String {
        money::format(*minor, money::exponent(&self.programme.currency))
    }

    fn name(&self, id: &Option<MotherId>) -> String {
        id.and_then(|i| self.names.get(&i).cloned())
            .unwrap_or_default()
    }

    fn month(&self) -> String {
        self.run.month.format("%Y-%m").to_string()
    }
}

pub async fn show_run(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path((id, month)): Path<(ProgrammeId, String)>,
) -> AppResult<Response> {
    let month = run_month(&month)?;
    let mut conn = state.db().await?;
    let run = AllowanceRun::find(&mut conn, &access.scope, id, month).await?;
    let programme = Programme::find(&mut conn, &access.scope, id).await?;
    let filter = MotherFilter {
        programme_id: Some(id),
        ..Default::default()
    };
    let names: HashMap<MotherId, String> = Mother::all(&mut conn, &access.scope, filter)
        .await?
        .into_iter()
        .map(|m| (m.id, m.full_name))
        .collect();
    Ok(render(
        StatusCode::OK,
        &RunPage {
            page: page.with_nav("funding"),
            run,
            programme,
            names,
        },
    ))
}

/// The review form posts `amount<expense id>` for each draft payment.
pub async fn save_run(
    State(state): State<AppState>,
    access: Access,
    Path((id, month)): Path<(ProgrammeId, String)>,
    Form(input): Form<RunReviewInput>,
) -> AppResult<Response> {
    let month_day = run_month(&month)?;
    let mut conn = state.db().await?;
    let back = format!("/allowances/{id}/{month}");
    Ok(
        match ops::review_run(&mut conn, &access, id, month_day, &input).await? {
            ReviewOutcome::Saved => flash::redirect(&back, "flash-allowance-run-saved", &month),
            ReviewOutcome::Confirmed => {
                flash::redirect(&back, "flash-allowance-run-confirmed", &month)
            }
            ReviewOutcome::BadAmount(e, typed) => {
                let key = match e {
                    AmountError::Invalid => "flash-amount-invalid",
                    AmountError::TooLarge => "flash-amount-too-large",
                };
                flash::redirect(&back, key, &typed)
            }
        },
    )
}
