//! Expenses: list and form.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use diesel::OptionalExtension;

use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::funding::form::ExpenseInput;
use crate::funding::model::{Expense, ExpenseCategory, Grant, GrantDetail};
use crate::ids::ProgrammeId;
use crate::money;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render};

use super::*;

#[derive(Template)]
#[template(path = "funding/expenses.html")]
pub(crate) struct ExpensesPage {
    page: Page,
    expenses: Vec<Expense>,
    programmes: Vec<Programme>,
    grants: Vec<GrantDetail>,
    input: ExpenseInput,
    errors: FormErrors,
    categories: [ExpenseCategory; 7],
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

pub(crate) async fn expenses_page(
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
            categories: ExpenseCategory::ALL,
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
        category: ExpenseCategory::Materials.to_string(),
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
        category: e.category.to_string(),
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
