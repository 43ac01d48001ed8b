//! Funding: funders, grants (with what was spent against them), expenses
//! and the monthly allowance run. Amounts are integer minor units in the
//! programme's currency; the database refuses any other currency. Every
//! change writes an audit row.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::error::{AppError, AppResult, Msg, constraint_name};
use crate::ids::ProgrammeId;
use crate::money;
use crate::programmes::model::Programme;
use crate::schema::{allowance_runs, expenses, grant_districts, grants, mothers};

pub use super::funders::{Funder, FunderData, Owner};

pub const FUNDER_KINDS: [&str; 6] = [
    "government",
    "municipality",
    "foundation",
    "eu_fund",
    "private_donor",
    "own_capital",
];
pub const GRANT_STATUSES: [&str; 4] = ["applied", "granted", "rejected", "closed"];
pub const CATEGORIES: [&str; 7] = [
    "allowances",
    "training",
    "coordination",
    "interpreters",
    "events",
    "materials",
    "other",
];

/// Database errors that have a clear message.
pub fn funding_error(e: diesel::result::Error) -> AppError {
    match constraint_name(&e) {
        Some("grants_programme_currency_fkey" | "expenses_programme_currency_fkey") => {
            AppError::field("currency", "error-currency-not-programme")
        }
        Some("expenses_grant_fkey") => AppError::field("grant_id", "error-grant-unknown"),
        Some("funders_name_key" | "funders_programme_name_key") => {
            AppError::field("name", "error-funder-taken")
        }
        Some("grants_funder_id_fkey" | "grants_funder_programme_check") => {
            AppError::field("funder_id", "error-funder-unknown")
        }
        Some("funders_owner_check") => {
            AppError::field("programme_id", "error-funder-used-elsewhere")
        }
        Some("funders_programme_id_fkey") => {
            AppError::field("programme_id", "error-programme-unknown")
        }
        Some("grants_amount_minor_bound" | "expenses_amount_minor_bound") => {
            AppError::field("amount", money::too_large())
        }
        _ => e.into(),
    }
}

// ----------------------------------------------------------------- grants

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = grants, check_for_backend(diesel::pg::Pg))]
pub struct Grant {
    pub id: i64,
    pub programme_id: i64,
    pub funder_id: i64,
    pub reference: String,
    /// Minor units of `currency`.
    pub amount_minor: i64,
    pub currency: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub purpose: String,
    /// `applied`, `granted`, `rejected` or `closed`.
    pub status: String,
}

/// A grant's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrantData {
    pub funder_id: i64,
    pub reference: String,
    pub amount_minor: i64,
    pub currency: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub purpose: String,
    pub status: String,
    /// Restricted to these districts (empty: the whole programme).
    pub district_ids: Vec<i64>,
}

/// What was spent against a grant, month by month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthSpent {
    /// `YYYY-MM`.
    pub month: String,
    pub spent_minor: i64,
}

/// A grant with its funder, districts and spending.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantDetail {
    #[serde(flatten)]
    pub grant: Grant,
    pub funder_name: String,
    pub funder_kind: String,
    pub district_ids: Vec<i64>,
    /// Confirmed expenses charged to the grant.
    pub spent_minor: i64,
    /// Amount less spent (negative when overspent).
    pub remaining_minor: i64,
    pub spent_by_month: Vec<MonthSpent>,
    /// Charged expenses dated outside the grant's period.
    pub spent_outside_period_minor: i64,
    pub expenses_outside_period: i64,
    /// `overspent`, `outside_period`.
    pub warnings: Vec<String>,
}

impl Grant {
    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        programme_id: Option<i64>,
    ) -> QueryResult<Vec<GrantDetail>> {
        let mut q = grants::table
            .select(Grant::as_select())
            .order((grants::starts_on.desc(), grants::id))
            .into_boxed();
        if let Some(ids) = scope.ids() {
            q = q.filter(grants::programme_id.eq_any(ids));
        }
        if let Some(p) = programme_id {
            q = q.filter(grants::programme_id.eq(p));
        }
        let rows: Vec<Grant> = q.load(conn).await?;
        let mut out = Vec::new();
        for g in rows {
            out.push(Grant::detail(conn, g).await?);
        }
        Ok(out)
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<GrantDetail> {
        let g: Grant = grants::table
            .find(id)
            .select(Grant::as_select())
            .first(conn)
            .await?;
        scope.check(ProgrammeId(g.programme_id))?;
        Grant::detail(conn, g).await
    }

    /// Spent and remaining come from SQL aggregates over the grant's
    /// confirmed expenses.
    async fn detail(conn: &mut AsyncPgConnection, grant: Grant) -> QueryResult<GrantDetail> {
        let funder = Funder::find_any(conn, grant.funder_id).await?;
        let district_ids: Vec<i64> = grant_districts::table
            .filter(grant_districts::grant_id.eq(grant.id))
            .select(grant_districts::district_id)
            .order(grant_districts::district_id)
            .load(conn)
            .await?;
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            month: String,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            spent: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            outside: i64,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            outside_count: i64,
        }
        let rows: Vec<Row> = diesel::sql_query(
            "SELECT to_char(date_trunc('month', spent_on), 'YYYY-MM') AS month, \
                    sum(amount_minor)::bigint AS spent, \
                    coalesce(sum(amount_minor) FILTER (WHERE spent_on < $2 OR spent_on > $3), 0)::bigint AS outside, \
                    count(*) FILTER (WHERE spent_on < $2 OR spent_on > $3) AS outside_count \
             FROM expenses WHERE grant_id = $1 AND status = 'confirmed' \
             GROUP BY 1 ORDER BY 1",
        )
        .bind::<diesel::sql_types::BigInt, _>(grant.id)
        .bind::<diesel::sql_types::Date, _>(grant.starts_on)
        .bind::<diesel::sql_types::Date, _>(grant.ends_on)
        .load(conn)
        .await?;
        let spent: i64 = rows.iter().map(|r| r.spent).sum();
        let outside: i64 = rows.iter().map(|r| r.outside).sum();
        let outside_count: i64 = rows.iter().map(|r| r.outside_count).sum();
        let mut warnings = Vec::new();
        if spent > grant.amount_minor {
            warnings.push("overspent".to_owned());
        }
        if outside_count > 0 {
            warnings.push("outside_period".to_owned());
        }
        Ok(GrantDetail {
            funder_name: funder.name,
            funder_kind: funder.kind,
            district_ids,
            spent_minor: spent,
            remaining_minor: grant.amount_minor - spent,
            spent_by_month: rows
                .into_iter()
                .map(|r| MonthSpent {
                    month: r.month,
                    spent_minor: r.spent,
                })
                .collect(),
            spent_outside_period_minor: outside,
            expenses_outside_period: outside_count,
            warnings,
            grant,
        })
    }

    async fn set_districts(
        conn: &mut AsyncPgConnection,
        id: i64,
        programme_id: i64,
        districts: &[i64],
    ) -> AppResult<()> {
        diesel::delete(grant_districts::table.filter(grant_districts::grant_id.eq(id)))
            .execute(conn)
            .await?;
        let rows: Vec<_> = districts
            .iter()
            .map(|d| {
                (
                    grant_districts::grant_id.eq(id),
                    grant_districts::district_id.eq(*d),
                    grant_districts::programme_id.eq(programme_id),
                )
            })
            .collect();
        diesel::insert_into(grant_districts::table)
            .values(rows)
            .execute(conn)
            .await
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                    _,
                ) => AppError::field("district_ids", "error-district-unknown"),
                e => e.into(),
            })?;
        Ok(())
    }

    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &GrantData,
    ) -> AppResult<GrantDetail> {
        let programme = Programme::find(conn, scope, ProgrammeId(programme_id)).await?;
        check_currency(&programme, &data.currency)?;
        conn.transaction(async |conn| {
            Funder::check_usable(conn, data.funder_id, programme_id).await?;
            let id: i64 = diesel::insert_into(grants::table)
                .values((
                    grants::programme_id.eq(programme_id),
                    grants::funder_id.eq(data.funder_id),
                    grants::reference.eq(&data.reference),
                    grants::amount_minor.eq(data.amount_minor),
                    grants::currency.eq(&data.currency),
                    grants::starts_on.eq(data.starts_on),
                    grants::ends_on.eq(data.ends_on),
                    grants::purpose.eq(&data.purpose),
                    grants::status.eq(&data.status),
                ))
                .returning(grants::id)
                .get_result(conn)
                .await
                .map_err(funding_error)?;
            Grant::set_districts(conn, id, programme_id, &data.district_ids).await?;
            audit::record(
                conn,
                actor,
                "create",
                Subject::of("grant", id, Some(programme_id)),
                audit::created(data),
            )
            .await?;
            Ok(Grant::find(conn, &ProgrammeScope::All, id).await?)
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &GrantData,
    ) -> AppResult<GrantDetail> {
        conn.transaction(async |conn| {
            let old = Grant::find(conn, scope, id).await?;
            let programme =
                Programme::find(conn, scope, ProgrammeId(old.grant.programme_id)).await?;
            check_currency(&programme, &data.currency)?;
            Funder::check_usable(conn, data.funder_id, old.grant.programme_id).await?;
            diesel::update(grants::table.find(id))
                .set((
                    grants::funder_id.eq(data.funder_id),
                    grants::reference.eq(&data.reference),
                    grants::amount_minor.eq(data.amount_minor),
                    grants::currency.eq(&data.currency),
                    grants::starts_on.eq(data.starts_on),
                    grants::ends_on.eq(data.ends_on),
                    grants::purpose.eq(&data.purpose),
                    grants::status.eq(&data.status),
                ))
                .execute(conn)
                .await
                .map_err(funding_error)?;
            Grant::set_districts(conn, id, old.grant.programme_id, &data.district_ids).await?;
            let new = Grant::find(conn, scope, id).await?;
            audit::record(
                conn,
                actor,
                "update",
                Subject::of("grant", id, Some(old.grant.programme_id)),
                audit::changed(&old.grant, &new.grant),
            )
            .await?;
            Ok(new)
        })
        .await
    }
}

/// An amount in another currency than the programme's is refused: nothing
/// is converted silently.
fn check_currency(programme: &Programme, currency: &str) -> AppResult<()> {
    if programme.currency == currency {
        Ok(())
    } else {
        Err(AppError::field(
            "currency",
            Msg::new("error-currency-mismatch").arg("currency", &programme.currency),
        ))
    }
}

// --------------------------------------------------------------- expenses

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = expenses, check_for_backend(diesel::pg::Pg))]
pub struct Expense {
    pub id: i64,
    pub programme_id: i64,
    pub spent_on: NaiveDate,
    /// `allowances`, `training`, `coordination`, `interpreters`, `events`,
    /// `materials` or `other`.
    pub category: String,
    pub amount_minor: i64,
    pub currency: String,
    pub grant_id: Option<i64>,
    pub mother_id: Option<i64>,
    pub allowance_month: Option<NaiveDate>,
    /// `draft` (an allowance payment not yet confirmed) or `confirmed`.
    pub status: String,
    pub note: String,
}

/// An expense's validated fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpenseData {
    pub spent_on: NaiveDate,
    pub category: String,
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
                    expenses::category.eq(&data.category),
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
                && old.status == "confirmed"
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
                    expenses::category.eq(&data.category),
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

// ---------------------------------------------------------- allowance run

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
fn month_end(start: NaiveDate) -> NaiveDate {
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
                .filter(mothers::engagement.eq_any(["allowance", "employed"]))
                .filter(mothers::monthly_allowance_minor.is_not_null())
                .filter(mothers::status.eq_any(["in_training", "certified", "active"]))
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
                        expenses::category.eq("allowances"),
                        expenses::amount_minor.eq(amount.unwrap_or(0)),
                        expenses::currency.eq(programme.currency.clone()),
                        expenses::grant_id.eq(grant_id),
                        expenses::mother_id.eq(*mother),
                        expenses::allowance_month.eq(month),
                        expenses::status.eq("draft"),
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
            .set(expenses::status.eq("confirmed"))
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
            if old.status != "draft" {
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
