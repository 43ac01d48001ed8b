//! Expenses: money spent, optionally against a grant.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult};
use crate::ids::ProgrammeId;
use crate::programmes::model::Programme;
use crate::schema::expenses;

use super::*;

crate::text_enum! {
    /// What money was spent on.
    pub enum ExpenseCategory {
        Allowances = "allowances",
        Training = "training",
        Coordination = "coordination",
        Interpreters = "interpreters",
        Events = "events",
        Materials = "materials",
        Other = "other",
    }
}

crate::text_enum! {
    /// Whether an expense counts as spent.
    pub enum ExpenseStatus {
        /// An allowance payment not yet confirmed.
        Draft = "draft",
        Confirmed = "confirmed",
    }
}

impl ExpenseStatus {
    pub fn is_draft(self) -> bool {
        self == ExpenseStatus::Draft
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = expenses, check_for_backend(diesel::pg::Pg))]
pub struct Expense {
    pub id: i64,
    pub programme_id: i64,
    pub spent_on: NaiveDate,
    pub category: ExpenseCategory,
    pub amount_minor: i64,
    pub currency: String,
    pub grant_id: Option<i64>,
    pub mother_id: Option<i64>,
    pub allowance_month: Option<NaiveDate>,
    pub status: ExpenseStatus,
    pub note: String,
}

/// An expense's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpenseData {
    pub spent_on: NaiveDate,
    pub category: ExpenseCategory,
    pub amount_minor: i64,
    pub currency: String,
    pub grant_id: Option<i64>,
    pub note: String,
}

impl Expense {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<i64>,
        grant_id: Option<i64>,
    ) -> QueryResult<Vec<Expense>> {
        let mut q = expenses::table
            .select(Expense::as_select())
            .order((expenses::spent_on.desc(), expenses::id.desc()))
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(expenses::programme_id.eq_any(ids));
        }
        if let Some(p) = programme_id {
            q = q.filter(expenses::programme_id.eq(p));
        }
        if let Some(g) = grant_id {
            q = q.filter(expenses::grant_id.eq(g));
        }
        q.load(conn).await
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Expense> {
        let e: Expense = expenses::table
            .find(id)
            .select(Expense::as_select())
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(e.programme_id), e)
    }

    /// The expense, its row locked until the transaction ends.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Expense> {
        let e: Expense = expenses::table
            .find(id)
            .select(Expense::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(ProgrammeId(e.programme_id), e)
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &ExpenseData,
    ) -> AppResult<Expense> {
        let programme = Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        check_currency(&programme, &data.currency)?;
        conn.transaction(async |conn| {
            let e: Expense = diesel::insert_into(expenses::table)
                .values((
                    expenses::programme_id.eq(programme_id),
                    expenses::spent_on.eq(data.spent_on),
                    expenses::category.eq(data.category),
                    expenses::amount_minor.eq(data.amount_minor),
                    expenses::currency.eq(&data.currency),
                    expenses::grant_id.eq(data.grant_id),
                    expenses::note.eq(&data.note),
                ))
                .returning(Expense::as_returning())
                .get_result(conn)
                .await
                .map_err(funding_error)?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("expense", e.id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(e)
        })
        .await
    }

    /// Changes an expense; an allowance payment keeps its mother and month.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &ExpenseData,
    ) -> AppResult<Expense> {
        conn.transaction(async |conn| {
            let old = Expense::find_for_update(conn, scope, id).await?;
            // A confirmed allowance payment keeps its amount.
            if old.mother_id.is_some()
                && old.status == ExpenseStatus::Confirmed
                && (old.amount_minor, old.currency.as_str())
                    != (data.amount_minor, data.currency.as_str())
            {
                return Err(AppError::Conflict("error-expense-confirmed"));
            }
            let programme = Programme::find(conn, scope, ProgrammeId(old.programme_id)).await?;
            check_currency(&programme, &data.currency)?;
            let e: Expense = diesel::update(expenses::table.find(id))
                .set((
                    expenses::spent_on.eq(data.spent_on),
                    expenses::category.eq(data.category),
                    expenses::amount_minor.eq(data.amount_minor),
                    expenses::currency.eq(&data.currency),
                    expenses::grant_id.eq(data.grant_id),
                    expenses::note.eq(&data.note),
                ))
                .returning(Expense::as_returning())
                .get_result(conn)
                .await
                .map_err(funding_error)?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("expense", id, Some(old.programme_id)),
                audit::changed(&old, &e),
            )
            .await?;
            Ok(e)
        })
        .await
    }
}
