//! Expenses: recording one and changing it.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::{check_currency, funding_error, programme_for};
use crate::audit;
use crate::authz::Access;
use crate::error::{AppError, AppResult};
use crate::funding::input::ExpenseInput;
use crate::funding::model::{Expense, ExpenseStatus};
use crate::ids::ExpenseId;
use crate::programmes::model::Programme;

/// Records an expense in the programme's currency. An unknown programme
/// comes before invalid input.
pub async fn create_expense(
    conn: &mut AsyncPgConnection,
    access: &Access,
    input: &ExpenseInput,
) -> AppResult<Expense> {
    conn.transaction(async |conn| {
        let programme = programme_for(conn, &access.scope, input.programme()).await?;
        let data = input
            .validate(&programme.currency)
            .map_err(AppError::Validation)?;
        check_currency(&programme, &data.currency)?;
        let e = Expense::insert(conn, programme.id, &data)
            .await
            .map_err(funding_error)?;
        audit::record(
            conn,
            access.actor,
            "create",
            Expense::subject(e.id, programme.id),
            audit::created(&data),
        )
        .await?;
        Ok(e)
    })
    .await
}

/// Changes an expense; an allowance payment keeps its mother and month,
/// and a confirmed one its amount (409). Not found comes before invalid.
pub async fn update_expense(
    conn: &mut AsyncPgConnection,
    access: &Access,
    id: ExpenseId,
    input: &ExpenseInput,
) -> AppResult<Expense> {
    conn.transaction(async |conn| {
        let old = Expense::find_for_update(conn, &access.scope, id).await?;
        let programme = Programme::find(conn, &access.scope, old.programme_id).await?;
        let data = input
            .validate(&programme.currency)
            .map_err(AppError::Validation)?;
        // A confirmed allowance payment keeps its amount.
        if old.mother_id.is_some()
            && old.status == ExpenseStatus::Confirmed
            && (old.amount_minor, old.currency.as_str())
                != (data.amount_minor, data.currency.as_str())
        {
            return Err(AppError::Conflict("error-expense-confirmed"));
        }
        check_currency(&programme, &data.currency)?;
        let e = Expense::update(conn, id, &data)
            .await
            .map_err(funding_error)?;
        audit::record(
            conn,
            access.actor,
            "update",
            Expense::subject(id, old.programme_id),
            audit::changed(&old, &e),
        )
        .await?;
        Ok(e)
    })
    .await
}
