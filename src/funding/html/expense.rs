//! Expenses: list and form.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::authz::Access;
use crate::error::AppResult;
use crate::funding::input::ExpenseInput;
use crate::funding::model::{Expense, ExpenseCategory, Grant, GrantDetail};
use crate::funding::ops;
use crate::ids::{ExpenseId, GrantId};
use crate::money;
use crate::programmes::model::Programme;
use crate::state::AppState;
use crate::web::extract::{Form, Path};
use crate::web::{FormErrors, Page, flash, render, respond};

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

    fn grant_label(&self, id: &Option<GrantId>) -> String {
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
    let result = ops::create_expense(&mut conn, &access, &input).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect("/expenses", "flash-expense-created", ""),
        async |errors| expenses_page(&state, &access, page, input, errors, None).await,
    )
    .await
}

pub async fn edit_expense(
    State(state): State<AppState>,
    access: Access,
    page: Page,
    Path(id): Path<ExpenseId>,
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
    Path(id): Path<ExpenseId>,
    Form(input): Form<ExpenseInput>,
) -> AppResult<Response> {
    let mut conn = state.db().await?;
    let existing = Expense::find(&mut conn, &access.scope, id).await?;
    let result = ops::update_expense(&mut conn, &access, id, &input).await;
    drop(conn);
    respond(
        result,
        |_| flash::redirect("/expenses", "flash-expense-updated", ""),
        async |errors| expenses_page(&state, &access, page, input, errors, Some(existing)).await,
    )
    .await
}
