//! The monthly allowance run: drafts, review, confirmation.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::Access;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::funding::form::{AllowanceRunInput, parse_month};
use crate::funding::model::{AllowanceRun, Grant, GrantDetail};
use crate::ids::ProgrammeId;
use crate::money;
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

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
    let result = match input.validate() {
        Ok((p, month, grant)) => {
            let mut conn = state.db().await?;
            AllowanceRun::create(&mut conn, access.actor, &access.scope, p, month, grant).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(run) => Ok(flash::redirect(
            &format!(
                "/allowances/{}/{}",
                run.programme_id,
                run.month.format("%Y-%m")
            ),
            "flash-allowance-run-created",
            &run.month.format("%Y-%m").to_string(),
        )),
        Err(AppError::Validation(e)) => {
            allowances_page(&state, &access, page, input, FormErrors(e)).await
        }
        Err(AppError::NotFound) => {
            let e = FieldErrors::from([("programme_id", "error-programme-unknown")]);
            allowances_page(&state, &access, page, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "funding/allowance_run.html")]
pub(crate) struct RunPage {
    page: Page,
    run: AllowanceRun,
    programme: Programme,
    names: HashMap<i64, String>,
}

impl RunPage {
    fn money(&self, minor: &i64) -> String {
        amount(&self.page, *minor, &self.programme.currency)
    }

    fn plain(&self, minor: &i64) -> String {
        money::format(*minor, money::exponent(&self.programme.currency))
    }

    fn name(&self, id: &Option<i64>) -> String {
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
    Path((id, month)): Path<(i64, String)>,
) -> AppResult<Response> {
    let month = parse_month(&month).ok_or(AppError::NotFound)?;
    let mut conn = state.db().await?;
    let run = AllowanceRun::find(&mut conn, &access.scope, id, month).await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let filter = MotherFilter {
        programme_id: Some(ProgrammeId(id)),
        ..Default::default()
    };
    let names: HashMap<i64, String> = Mother::all(&mut conn, &access.scope, filter)
        .await?
        .into_iter()
        .map(|m| (m.id.0, m.full_name))
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
    Path((id, month)): Path<(i64, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let month_day = parse_month(&month).ok_or(AppError::NotFound)?;
    let mut conn = state.db().await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(id)).await?;
    let run = AllowanceRun::find(&mut conn, &access.scope, id, month_day).await?;
    let exp = money::exponent(&programme.currency);
    for p in &run.payments {
        if let Some(v) = form.get(&format!("amount{}", p.id)) {
            let minor = match money::parse(v, exp) {
                Ok(minor) => minor,
                Err(e) => {
                    let key = match e {
                        money::AmountError::Invalid => "flash-amount-invalid",
                        money::AmountError::TooLarge => "flash-amount-too-large",
                    };
                    return Ok(flash::redirect(
                        &format!("/allowances/{id}/{month}"),
                        key,
                        v,
                    ));
                }
            };
            if minor != p.amount_minor {
                AllowanceRun::set_amount(&mut conn, access.actor, &access.scope, p.id, minor)
                    .await?;
            }
        }
    }
    if form.get("then").map(String::as_str) == Some("confirm") {
        match AllowanceRun::confirm(&mut conn, access.actor, &access.scope, id, month_day).await {
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
        return Ok(flash::redirect(
            &format!("/allowances/{id}/{month}"),
            "flash-allowance-run-confirmed",
            &month,
        ));
    }
    Ok(flash::redirect(
        &format!("/allowances/{id}/{month}"),
        "flash-allowance-run-saved",
        &month,
    ))
}
