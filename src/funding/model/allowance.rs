//! The monthly allowance run: draft payments to the mothers on an allowance, reviewed and confirmed once a month.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, Msg};
use crate::ids::ProgrammeId;
use crate::mothers::model::{Engagement, MotherStatus};
use crate::programmes::model::Programme;
use crate::schema::{allowance_runs, expenses, mothers};

use super::*;

/// A month's allowance run of a programme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllowanceRun {
    pub programme_id: i64,
    /// The month's first day.
    pub month: NaiveDate,
    pub confirmed: bool,
    /// The payments, drafts until confirmed.
    pub payments: Vec<Expense>,
    pub total_minor: i64,
}

/// The first day of the month of `day`.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The last day of the month starting on `start`.
pub(crate) fn month_end(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

impl AllowanceRun {
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: i64,
        month: NaiveDate,
    ) -> AppResult<AllowanceRun> {
        Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        let confirmed: Option<Option<chrono::DateTime<chrono::Utc>>> = allowance_runs::table
            .find((programme_id, month))
            .select(allowance_runs::confirmed_at)
            .first(conn)
            .await
            .optional()?;
        let Some(confirmed) = confirmed else {
            return Err(AppError::NotFound);
        };
        let payments: Vec<Expense> = expenses::table
            .filter(expenses::programme_id.eq(programme_id))
            .filter(expenses::allowance_month.eq(month))
            .select(Expense::as_select())
            .order(expenses::mother_id)
            .load(conn)
            .await?;
        Ok(AllowanceRun {
            programme_id,
            month,
            confirmed: confirmed.is_some(),
            total_minor: payments.iter().map(|p| p.amount_minor).sum(),
            payments,
        })
    }

    /// Creates the month's allowance payments, as drafts, from the monthly
    /// allowances of the mothers who are paid one and are in training,
    /// certified or active. A second run for the same month is refused.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        month: NaiveDate,
        grant_id: Option<i64>,
    ) -> AppResult<AllowanceRun> {
        let programme = Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        let month = month_start(month);
        conn.transaction(async |conn| {
            let inserted = diesel::insert_into(allowance_runs::table)
                .values((
                    allowance_runs::programme_id.eq(programme_id),
                    allowance_runs::month.eq(month),
                    allowance_runs::created_by.eq(actor),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            if inserted == 0 {
                return Err(AppError::field(
                    "month",
                    Msg::new("error-allowance-run-exists").arg("month", month.format("%Y-%m")),
                ));
            }
            let paid: Vec<(i64, Option<i64>)> = mothers::table
                .filter(mothers::programme_id.eq(programme_id))
                .filter(mothers::engagement.eq_any([Engagement::Allowance, Engagement::Employed]))
                .filter(mothers::monthly_allowance_minor.is_not_null())
                .filter(mothers::status.eq_any([
                    MotherStatus::InTraining,
                    MotherStatus::Certified,
                    MotherStatus::Active,
                ]))
                .select((mothers::id, mothers::monthly_allowance_minor))
                .order(mothers::id)
                .load(conn)
                .await?;
            let rows: Vec<_> = paid
                .iter()
                .map(|(mother, amount)| {
                    (
                        expenses::programme_id.eq(programme_id),
                        expenses::spent_on.eq(month_end(month)),
                        expenses::category.eq(ExpenseCategory::Allowances),
                        expenses::amount_minor.eq(amount.unwrap_or(0)),
                        expenses::currency.eq(programme.currency.clone()),
                        expenses::grant_id.eq(grant_id),
                        expenses::mother_id.eq(*mother),
                        expenses::allowance_month.eq(month),
                        expenses::status.eq(ExpenseStatus::Draft),
                    )
                })
                .collect();
            diesel::insert_into(expenses::table)
                .values(rows)
                .execute(conn)
                .await
                .map_err(funding_error)?;
            audit::record(
                conn,
                actor,
                "allowance_run",
                Subject {
                    entity: "allowance_run",
                    id: None,
                    programme_id: Some(programme_id),
                },
                json!({"month": {"new": month}, "payments": {"new": paid.len()}}),
            )
            .await?;
            AllowanceRun::find(conn, scope, programme_id, month).await
        })
        .await
    }

    /// Confirms the month's drafts: they count as spent from now on.
    pub async fn confirm(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        month: NaiveDate,
    ) -> AppResult<AllowanceRun> {
        conn.transaction(async |conn| {
            Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
            // The run's row is locked before its state is read: of two
            // confirmations at once, the second sees the first's.
            let confirmed: Option<chrono::DateTime<chrono::Utc>> = allowance_runs::table
                .find((programme_id, month))
                .select(allowance_runs::confirmed_at)
                .for_update()
                .first(conn)
                .await?;
            if confirmed.is_some() {
                return Err(AppError::Conflict("error-allowance-run-confirmed"));
            }
            // Updating the payments waits for a change of an amount under
            // way (`set_amount` locks the payment), and the total is the
            // one of the amounts confirmed.
            let amounts: Vec<i64> = diesel::update(
                expenses::table
                    .filter(expenses::programme_id.eq(programme_id))
                    .filter(expenses::allowance_month.eq(month)),
            )
            .set(expenses::status.eq(ExpenseStatus::Confirmed))
            .returning(expenses::amount_minor)
            .get_results(conn)
            .await?;
            let total_minor: i64 = amounts.iter().sum();
            diesel::update(allowance_runs::table.find((programme_id, month)))
                .set(allowance_runs::confirmed_at.eq(diesel::dsl::now))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "confirm",
                Subject {
                    entity: "allowance_run",
                    id: None,
                    programme_id: Some(programme_id),
                },
                json!({"month": {"new": month}, "total_minor": {"new": total_minor}}),
            )
            .await?;
            AllowanceRun::find(conn, scope, programme_id, month).await
        })
        .await
    }

    /// Changes a draft payment's amount (before the run is confirmed).
    pub async fn set_amount(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        expense_id: i64,
        amount_minor: i64,
    ) -> AppResult<Expense> {
        conn.transaction(async |conn| {
            // Locked: a confirmation under way finishes first (and this
            // then sees the payment confirmed), or waits for this change.
            let old = Expense::find_for_update(conn, scope, expense_id).await?;
            if old.status != ExpenseStatus::Draft {
                return Err(AppError::Conflict("error-expense-confirmed"));
            }
            let e: Expense = diesel::update(expenses::table.find(expense_id))
                .set(expenses::amount_minor.eq(amount_minor))
                .returning(Expense::as_returning())
                .get_result(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("expense", expense_id, Some(old.programme_id)),
                audit::changed(&old, &e),
            )
            .await?;
            Ok(e)
        })
        .await
    }
}
