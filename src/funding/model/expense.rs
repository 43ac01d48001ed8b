//! Expenses: money spent, optionally against a grant.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::Subject;
use crate::authz::ProgrammeScope;
use crate::ids::{ExpenseId, GrantId, MotherId, ProgrammeId};
use crate::schema::expenses;

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
    #[schema(value_type = i64)]
    pub id: ExpenseId,
    #[schema(value_type = i64)]
    pub programme_id: ProgrammeId,
    pub spent_on: NaiveDate,
    pub category: ExpenseCategory,
    pub amount_minor: i64,
    pub currency: String,
    #[schema(value_type = Option<i64>)]
    pub grant_id: Option<GrantId>,
    #[schema(value_type = Option<i64>)]
    pub mother_id: Option<MotherId>,
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
    pub grant_id: Option<GrantId>,
    pub note: String,
}

impl Expense {
    pub(crate) fn subject(id: ExpenseId, programme_id: ProgrammeId) -> Subject {
        Subject::of("expense", id.0, Some(programme_id.0))
    }

    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<ProgrammeId>,
        grant_id: Option<GrantId>,
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
        id: ExpenseId,
    ) -> QueryResult<Expense> {
        let e: Expense = expenses::table
            .find(id)
            .select(Expense::as_select())
            .first(conn)
            .await?;
        scope.visible(e.programme_id, e)
    }

    /// The expense, its row locked until the transaction ends.
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: ExpenseId,
    ) -> QueryResult<Expense> {
        let e: Expense = expenses::table
            .find(id)
            .select(Expense::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope.visible(e.programme_id, e)
    }

    pub async fn insert(
        conn: &mut AsyncPgConnection,
        programme_id: ProgrammeId,
        data: &ExpenseData,
    ) -> QueryResult<Expense> {
        diesel::insert_into(expenses::table)
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
    }

    /// Changes an expense's fields; an allowance payment keeps its mother
    /// and month.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: ExpenseId,
        data: &ExpenseData,
    ) -> QueryResult<Expense> {
        diesel::update(expenses::table.find(id))
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
    }

    /// Changes an expense's amount only (a draft allowance payment).
    pub async fn set_amount(
        conn: &mut AsyncPgConnection,
        id: ExpenseId,
        amount_minor: i64,
    ) -> QueryResult<Expense> {
        diesel::update(expenses::table.find(id))
            .set(expenses::amount_minor.eq(amount_minor))
            .returning(Expense::as_returning())
            .get_result(conn)
            .await
    }
}
