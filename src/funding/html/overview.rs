//! The funding overview and new funders.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::authz::ProgrammeScope;
use crate::error::AppResult;
use crate::funding::input::FunderInput;
use crate::funding::model::{Funder, FunderKind, Grant, GrantDetail};
use crate::funding::ops;
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::Form;
use crate::web::{FormErrors, Page, flash, render, respond};

use super::*;

#[derive(Template)]
#[template(path = "funding/overview.html")]
pub(crate) struct OverviewPage {
    page: Page,
    grants: Vec<GrantDetail>,
    programmes: Vec<Programme>,
    funders: Vec<Funder>,
    funder_input: FunderInput,
    errors: FormErrors,
    kinds: [FunderKind; 6],
    /// Administrators may add shared funders.
    admin: bool,
}

impl OverviewPage {
    fn money(&self, minor: &i64, currency: &str) -> String {
        amount(&self.page, *minor, currency)
    }

    fn programme_name(&self, id: &ProgrammeId) -> String {
        self.programmes
            .iter()
            .find(|p| p.id == *id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

pub(crate) async fn overview_page(
    state: &AppState,
    access: &Access,
    page: Page,
    funder_input: FunderInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let grants = Grant::list(&mut conn, &access.scope, None).await?;
    let programmes = Programme::list(&mut conn, &access.scope, true).await?;
    let funders = Funder::list(&mut conn, &access.scope).await?;
    Ok(render(
        errors.status(),
        &OverviewPage {
            page: page.with_nav("funding"),
            grants,
            programmes,
            funders,
            funder_input,
            errors,
            kinds: FunderKind::ALL,
            admin: access.scope == ProgrammeScope::All,
        },
    ))
}

pub async fn overview(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    overview_page(
        &state,
        &access,
        page,
        FunderInput {
            kind: FunderKind::Government.to_string(),
            ..Default::default()
        },
        FormErrors::default(),
    )
    .await
}

pub async fn create_funder(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<FunderInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let result = ops::create_funder(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |f| flash::redirect("/funding", "flash-funder-created", &f.name),
        async |errors| overview_page(&state, &access, page, input, errors).await,
    )
    .await
}
