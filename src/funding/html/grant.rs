//! Grants: form and page with spending.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::funding::input::GrantInput;
use crate::funding::model::{Expense, Funder, Grant, GrantDetail, GrantStatus};
use crate::funding::ops;
use crate::ids::GrantId;
use crate::money;
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "funding/grant_form.html")]
pub(crate) struct GrantFormPage {
    page: Page,
    grant: Option<GrantDetail>,
    input: GrantInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    funders: Vec<Funder>,
    districts: Vec<District>,
    statuses: [GrantStatus; 4],
}

impl GrantFormPage {
    fn action(&self) -> String {
        match &self.grant {
            Some(g) => format!("/grants/{}", g.grant.id),
            None => "/grants".to_owned(),
        }
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

pub(crate) async fn grant_form(
    state: &AppState,
    access: &Access,
    page: Page,
    grant: Option<GrantDetail>,
    input: GrantInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let mut programmes = Programme::list(&mut conn, &access.scope, false).await?;
    if let Some(g) = &grant {
        programmes.retain(|p| p.id == g.grant.programme_id);
    }
    let mut districts = Vec::new();
    for p in &programmes {
        districts.extend(District::list(&mut conn, &access.scope, p.id, false).await?);
    }
    let funders = Funder::list(&mut conn, &access.scope).await?;
    Ok(render(
        errors.status(),
        &GrantFormPage {
            page: page.with_nav("funding"),
            grant,
            input,
            errors,
            programmes,
            funders,
            districts,
            statuses: GrantStatus::ALL,
        },
    ))
}

pub async fn new_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = GrantInput {
        status: GrantStatus::Granted.to_string(),
        ..Default::default()
    };
    grant_form(&state, &access, page, None, input, FormErrors::default()).await
}

pub async fn create_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<GrantInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create_grant(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |g| {
            flash::redirect(
                &format!("/grants/{}", g.grant.id),
                "flash-grant-created",
                &g.funder_name,
            )
        },
        async |errors| grant_form(&state, &access, page, None, input, errors).await,
    )
    .await
}

pub(crate) fn grant_input(g: &GrantDetail) -> GrantInput {
    GrantInput {
        programme_id: Some(g.grant.programme_id.to_string()),
        funder_id: g.grant.funder_id.to_string(),
        reference: Some(g.grant.reference.clone()),
        amount: money::format(g.grant.amount_minor, money::exponent(&g.grant.currency)),
        currency: Some(g.grant.currency.clone()),
        starts_on: g.grant.starts_on.to_string(),
        ends_on: g.grant.ends_on.to_string(),
        purpose: Some(g.grant.purpose.clone()),
        status: g.grant.status.to_string(),
        district_ids: g.district_ids.iter().map(ToString::to_string).collect(),
    }
}

pub async fn edit_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<GrantId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let g = Grant::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    let input = grant_input(&g);
    grant_form(&state, &access, page, Some(g), input, FormErrors::default()).await
}

pub async fn update_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<GrantId>,
    Form(input): Form<GrantInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let existing = Grant::find(&mut conn, &access.scope, id).await?;
    let result = ops::update_grant(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |g| {
            flash::redirect(
                &format!("/grants/{id}"),
                "flash-grant-updated",
                &g.funder_name,
            )
        },
        async |errors| grant_form(&state, &access, page, Some(existing), input, errors).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "funding/grant.html")]
pub(crate) struct GrantPage {
    page: Page,
    grant: GrantDetail,
    programme: Programme,
    expenses: Vec<Expense>,
    /// The grant's history with its expenses'.
    changes: Vec<crate::web::history::HistoryLine>,
}

impl GrantPage {
    fn money(&self, minor: &i64) -> String {
        amount(&self.page, *minor, &self.grant.grant.currency)
    }

    /// Width (percent) of a month's bar against the largest month.
    fn bar(&self, minor: &i64) -> i64 {
        let max = self
            .grant
            .spent_by_month
            .iter()
            .map(|m| m.spent_minor)
            .max()
            .unwrap_or(1)
            .max(1);
        (*minor * 100 / max).clamp(0, 100)
    }

    fn overspent(&self) -> String {
        self.money(&(-self.grant.remaining_minor))
    }

    fn used_percent(&self) -> i64 {
        if self.grant.grant.amount_minor == 0 {
            0
        } else {
            (self.grant.spent_minor * 100 / self.grant.grant.amount_minor).clamp(0, 999)
        }
    }

    fn outside(&self, e: &Expense) -> bool {
        e.spent_on < self.grant.grant.starts_on || e.spent_on > self.grant.grant.ends_on
    }
}

pub async fn show_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<GrantId>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let grant = Grant::find(&mut conn, &access.scope, id).await?;
    let programme = Programme::find(&mut conn, &access.scope, grant.grant.programme_id).await?;
    let expenses = Expense::list(&mut conn, &access.scope, None, Some(id)).await?;
    let expense_ids: Vec<i64> = expenses.iter().map(|e| e.id.0).collect();
    let entries =
        crate::audit::history(&mut conn, &[("grant", &[id.0]), ("expense", &expense_ids)]).await?;
    let changes = crate::web::history::described(&mut conn, &page, &entries).await?;
    Ok(render(
        StatusCode::OK,
        &GrantPage {
            changes,
            page: page.with_nav("funding"),
            grant,
            programme,
            expenses,
        },
    ))
}
