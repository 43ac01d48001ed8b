//! The monthly allowance run: draft payments to the mothers on an allowance,
//! reviewed and confirmed once a month. Rows and queries; the run's rules
//! are in `ops`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::ids::{GrantId, MotherId, ProgrammeId};
use crate::mothers::model::{Engagement, MotherStatus};
use crate::programmes::model::Programme;
use crate::schema::{allowance_runs, expenses, mothers};

use super::*;

/// A month's allowance run of a programme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AllowanceRun {
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
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
    pub(crate) fn subject(programme_id: ProgrammeId) -> Subject {
        Subject {
            entity: "allowance_run",
            id: None,
            programme_id: Some(programme_id.0),
        }
    }

    /// A month's run with its payments, if the programme is in `scope`.
    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: ProgrammeId,
        month: NaiveDate,
    ) -> QueryResult<AllowanceRun> {
        Programme::find(conn, scope, programme_id).await?;
        let confirmed: Option<DateTime<Utc>> = allowance_runs::table
            .find((programme_id, month))
            .select(allowance_runs::confirmed_at)
            .first(conn)
            .await?;
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

    /// When the run was confirmed (`None`: not yet), its row locked for the
    /// rest of the transaction; `NotFound` without a run.
    pub async fn confirmed_at_for_update(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        month: NaiveDate,
    ) -> QueryResult<Option<DateTime<Utc>>> {
        allowance_runs::table
            .find((programme_id, month))
            .select(allowance_runs::confirmed_at)
            .for_update()
            .first(conn)
            .await
    }

    /// Records the month's run; `false` when there is one already.
    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        month: NaiveDate,
        created_by: Actor,
    ) -> QueryResult<bool> {
        let inserted = diesel::insert_into(allowance_runs::table)
            .values((
                allowance_runs::programme_id.eq(programme_id),
                allowance_runs::month.eq(month),
                allowance_runs::created_by.eq(created_by),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted > 0)
    }

    /// The mothers of the programme who are paid a monthly allowance and are
    /// in training, certified or active, with their allowance.
    pub async fn paid_mothers(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
    ) -> QueryResult<Vec<(MotherId, Option<i64>)>> {
        mothers::table
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
            .await
    }

    /// The month's payments as drafts, dated the month's last day.
    pub async fn insert_payments(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        month: NaiveDate,
        currency: &str,
        grant_id: Option<GrantId>,
        paid: &[(MotherId, Option<i64>)],
    ) -> QueryResult<usize> {
        let rows: Vec<_> = paid
            .iter()
            .map(|(mother, amount)| {
                (
                    expenses::programme_id.eq(programme_id),
                    expenses::spent_on.eq(month_end(month)),
                    expenses::category.eq(ExpenseCategory::Allowances),
                    expenses::amount_minor.eq(amount.unwrap_or(0)),
                    expenses::currency.eq(currency.to_owned()),
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
    }

    /// Marks the month's payments confirmed; their amounts as confirmed.
    /// Waits for a change of a payment under way (it locks the payment).
    pub async fn confirm_payments(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        month: NaiveDate,
    ) -> QueryResult<Vec<i64>> {
        diesel::update(
            expenses::table
                .filter(expenses::programme_id.eq(programme_id))
                .filter(expenses::allowance_month.eq(month)),
        )
        .set(expenses::status.eq(ExpenseStatus::Confirmed))
        .returning(expenses::amount_minor)
        .get_results(conn)
        .await
    }

    /// Marks the run confirmed (now).
    pub async fn mark_confirmed(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        month: NaiveDate,
    ) -> QueryResult<usize> {
        diesel::update(allowance_runs::table.find((programme_id, month)))
            .set(allowance_runs::confirmed_at.eq(diesel::dsl::now))
            .execute(conn)
            .await
    }
}
