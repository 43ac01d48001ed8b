//! HTML pages for funding: the overview, funders, grants (with spending),
//! expenses and the monthly allowance run.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use diesel::OptionalExtension;

use super::form::{AllowanceRunInput, ExpenseInput, FunderInput, GrantInput, parse_month};
use super::model::{
    AllowanceRun, CATEGORIES, Expense, FUNDER_KINDS, Funder, GRANT_STATUSES, Grant, GrantDetail,
};
use crate::authz::Access;
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::ids::ProgrammeId;
use crate::money;
use crate::mothers::model::{Mother, MotherFilter};
use crate::programmes::model::{District, Programme};
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

/// Formats amounts for the page's language.
fn amount(page: &Page, minor: i64, currency: &str) -> String {
    money::display(minor, currency, &page.tr.lang())
}

#[derive(Template)]
#[template(path = "funding/overview.html")]
struct OverviewPage {
    page: Page,
    grants: Vec<GrantDetail>,
    programmes: Vec<Programme>,
    funders: Vec<Funder>,
    funder_input: FunderInput,
    errors: FormErrors,
    kinds: [&'static str; 6],
    /// Administrators may add shared funders.
    admin: bool,
}

impl OverviewPage {
    fn money(&self, minor: &i64, currency: &str) -> String {
        amount(&self.page, *minor, currency)
    }

    fn programme_name(&self, id: &i64) -> String {
        self.programmes
            .iter()
            .find(|p| p.id.0 == *id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

async fn overview_page(
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
            kinds: FUNDER_KINDS,
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
            kind: "government".into(),
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
    let result = match input.validate() {
        Ok((owner, data)) => {
            let mut conn = state.db().await?;
            Funder::create(&mut conn, access.actor, &access.scope, owner, &data).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(f) => Ok(flash::redirect("/funding", "flash-funder-created", &f.name)),
        Err(AppError::Validation(e)) => {
            overview_page(&state, &access, page, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "funding/grant_form.html")]
struct GrantFormPage {
    page: Page,
    grant: Option<GrantDetail>,
    input: GrantInput,
    errors: FormErrors,
    programmes: Vec<Programme>,
    funders: Vec<Funder>,
    districts: Vec<District>,
    statuses: [&'static str; 4],
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

async fn grant_form(
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
        programmes.retain(|p| p.id.0 == g.grant.programme_id);
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
            statuses: GRANT_STATUSES,
        },
    ))
}

pub async fn new_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = GrantInput {
        status: "granted".into(),
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
    let programme = match input.programme() {
        // Only a programme that is not there (or not theirs) is "unknown";
        // any other error (the database) is the answer.
        Some(p) => Programme::find(&mut conn, &access.scope, ProgrammeId(p))
            .await
            .optional()?,
        None => None,
    };
    let result = match programme {
        None => Err(AppError::field("programme_id", "error-programme-unknown")),
        Some(p) => match input.validate(&p.currency) {
            Ok(data) => Grant::create(&mut conn, access.actor, &access.scope, p.id.0, &data).await,
            Err(e) => Err(AppError::Validation(e)),
        },
    };
    drop(conn);
    match result {
        Ok(g) => Ok(flash::redirect(
            &format!("/grants/{}", g.grant.id),
            "flash-grant-created",
            &g.funder_name,
        )),
        Err(AppError::Validation(e)) => {
            grant_form(&state, &access, page, None, input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

fn grant_input(g: &GrantDetail) -> GrantInput {
    GrantInput {
        programme_id: Some(g.grant.programme_id.to_string()),
        funder_id: g.grant.funder_id.to_string(),
        reference: Some(g.grant.reference.clone()),
        amount: money::format(g.grant.amount_minor, money::exponent(&g.grant.currency)),
        currency: Some(g.grant.currency.clone()),
        starts_on: g.grant.starts_on.to_string(),
        ends_on: g.grant.ends_on.to_string(),
        purpose: Some(g.grant.purpose.clone()),
        status: g.grant.status.clone(),
        district_ids: g.district_ids.iter().map(ToString::to_string).collect(),
    }
}

pub async fn edit_grant(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
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
    Path(id): Path<i64>,
    Form(input): Form<GrantInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let g = Grant::find(&mut conn, &access.scope, id).await?;
    let result = match input.validate(&g.grant.currency) {
        Ok(data) => Grant::update(&mut conn, access.actor, &access.scope, id, &data).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    drop(conn);
    match result {
        Ok(g) => Ok(flash::redirect(
            &format!("/grants/{id}"),
            "flash-grant-updated",
            &g.funder_name,
        )),
        Err(AppError::Validation(e)) => {
            grant_form(&state, &access, page, Some(g), input, FormErrors(e)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "funding/grant.html")]
struct GrantPage {
    page: Page,
    grant: GrantDetail,
    programme: Programme,
    expenses: Vec<Expense>,
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
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let grant = Grant::find(&mut conn, &access.scope, id).await?;
    let programme = Programme::find(
        &mut conn,
        &access.scope,
        ProgrammeId(grant.grant.programme_id),
    )
    .await?;
    let expenses = Expense::list(&mut conn, &access.scope, None, Some(id)).await?;
    Ok(render(
        StatusCode::OK,
        &GrantPage {
            page: page.with_nav("funding"),
            grant,
            programme,
            expenses,
        },
    ))
}

#[derive(Template)]
#[template(path = "funding/expenses.html")]
struct ExpensesPage {
    page: Page,
    expenses: Vec<Expense>,
    programmes: Vec<Programme>,
    grants: Vec<GrantDetail>,
    input: ExpenseInput,
    errors: FormErrors,
    categories: [&'static str; 7],
    editing: Option<Expense>,
}

impl ExpensesPage {
    fn money(&self, minor: &i64, currency: &str) -> String {
        amount(&self.page, *minor, currency)
    }

    fn is(&self, v: &Option<String>, want: impl ToString) -> bool {
        v.as_deref() == Some(want.to_string().as_str())
    }

    fn grant_label(&self, id: &Option<i64>) -> String {
        id.and_then(|g| self.grants.iter().find(|x| x.grant.id == g))
            .map(|g| format!("{} {}", g.funder_name, g.grant.reference))
            .unwrap_or_default()
    }

    fn action(&self) -> String {
        match &self.editing {
            Some(e) => format!("/expenses/{}", e.id),
            None => "/expenses".to_owned(),
        }
    }
}

async fn expenses_page(
    state: &AppState,
    access: &Access,
    page: Page,
    input: ExpenseInput,
    errors: FormErrors,
    editing: Option<Expense>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let expenses = Expense::list(&mut conn, &access.scope, None, None).await?;
    let programmes = Programme::list(&mut conn, &access.scope, false).await?;
    let grants = Grant::list(&mut conn, &access.scope, None).await?;
    Ok(render(
        errors.status(),
        &ExpensesPage {
            page: page.with_nav("funding"),
            expenses,
            programmes,
            grants,
            input,
            errors,
            categories: CATEGORIES,
            editing,
        },
    ))
}

pub async fn expenses(
    State(state): State<AppState>,
    access: Access,
    page: Page,
) -> AppResult<Response> {
    let input = ExpenseInput {
        spent_on: state.clock().today().to_string(),
        category: "materials".into(),
        ..Default::default()
    };
    expenses_page(&state, &access, page, input, FormErrors::default(), None).await
}

pub async fn create_expense(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Form(input): Form<ExpenseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let programme = match input.programme() {
        // Only a programme that is not there (or not theirs) is "unknown";
        // any other error (the database) is the answer.
        Some(p) => Programme::find(&mut conn, &access.scope, ProgrammeId(p))
            .await
            .optional()?,
        None => None,
    };
    let result = match programme {
        None => Err(AppError::field("programme_id", "error-programme-unknown")),
        Some(p) => match input.validate(&p.currency) {
            Ok(data) => {
                Expense::create(&mut conn, access.actor, &access.scope, p.id.0, &data).await
            }
            Err(e) => Err(AppError::Validation(e)),
        },
    };
    drop(conn);
    match result {
        Ok(_) => Ok(flash::redirect("/expenses", "flash-expense-created", "")),
        Err(AppError::Validation(e)) => {
            expenses_page(&state, &access, page, input, FormErrors(e), None).await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_expense(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let e = Expense::find(&mut conn, &access.scope, id).await?;
    drop(conn);
    let input = ExpenseInput {
        programme_id: Some(e.programme_id.to_string()),
        spent_on: e.spent_on.to_string(),
        category: e.category.clone(),
        amount: money::format(e.amount_minor, money::exponent(&e.currency)),
        currency: Some(e.currency.clone()),
        grant_id: e.grant_id.map(|g| g.to_string()),
        note: Some(e.note.clone()),
    };
    expenses_page(&state, &access, page, input, FormErrors::default(), Some(e)).await
}

pub async fn update_expense(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ExpenseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let e = Expense::find(&mut conn, &access.scope, id).await?;
    let programme = Programme::find(&mut conn, &access.scope, ProgrammeId(e.programme_id)).await?;
    let result = match input.validate(&programme.currency) {
        Ok(data) => Expense::update(&mut conn, access.actor, &access.scope, id, &data).await,
        Err(err) => Err(AppError::Validation(err)),
    };
    drop(conn);
    match result {
        Ok(_) => Ok(flash::redirect("/expenses", "flash-expense-updated", "")),
        Err(AppError::Validation(err)) => {
            expenses_page(&state, &access, page, input, FormErrors(err), Some(e)).await
        }
        Err(err) => Err(err),
    }
}

#[derive(Template)]
#[template(path = "funding/allowances.html")]
struct AllowancesPage {
    page: Page,
    programmes: Vec<Programme>,
    grants: Vec<GrantDetail>,
    input: AllowanceRunInput,
    errors: FormErrors,
}

async fn allowances_page(
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
struct RunPage {
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
        programme_id: Some(id),
        ..Default::default()
    };
    let names: HashMap<i64, String> = Mother::all(&mut conn, &access.scope, filter)
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
