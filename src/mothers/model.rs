//! Mothers (the outreach workers) and their status history. Queries are
//! scoped to the caller's programmes; every change writes an audit row,
//! and every status change a history row with its date and author.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Actor, Subject};
use crate::authz::ProgrammeScope;
use crate::db::lower;
use crate::ids::ProgrammeId;
use crate::schema::{mother_status_changes, mothers, users};

crate::text_enum! {
    /// Where a mother stands.
    pub enum MotherStatus {
        Applicant = "applicant",
        InTraining = "in_training",
        Certified = "certified",
        Active = "active",
        Paused = "paused",
        Left = "left",
    }
}

crate::text_enum! {
    /// A mother's gender (the data is neutral: mothers and fathers).
    pub enum Gender {
        Female = "female",
        Male = "male",
        Diverse = "diverse",
        Undisclosed = "undisclosed",
    }
}

crate::text_enum! {
    /// How a mother works for the programme.
    pub enum Engagement {
        Volunteer = "volunteer",
        /// Paid a monthly allowance.
        Allowance = "allowance",
        Employed = "employed",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mothers, check_for_backend(diesel::pg::Pg))]
struct MotherRow {
    id: i64,
    programme_id: i64,
    district_id: Option<i64>,
    full_name: String,
    phone: String,
    email: Option<String>,
    languages: Vec<Option<String>>,
    country_of_origin: Option<String>,
    gender: Gender,
    engagement: Engagement,
    monthly_allowance_minor: Option<i64>,
    joined_on: NaiveDate,
    /// An unknown status in the database fails the query (500), never a default.
    status: MotherStatus,
    note: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A mother (or father: the data is neutral) who visits families.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mother {
    pub id: i64,
    pub programme_id: i64,
    pub district_id: Option<i64>,
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    /// ISO 639 codes.
    pub languages: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_origin: Option<String>,
    pub gender: Gender,
    pub engagement: Engagement,
    /// Monthly allowance in the programme's currency, minor units.
    pub monthly_allowance_minor: Option<i64>,
    pub joined_on: NaiveDate,
    pub status: MotherStatus,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<MotherRow> for Mother {
    fn from(r: MotherRow) -> Self {
        Self {
            id: r.id,
            programme_id: r.programme_id,
            district_id: r.district_id,
            full_name: r.full_name,
            phone: r.phone,
            email: r.email,
            languages: r.languages.into_iter().flatten().collect(),
            country_of_origin: r.country_of_origin,
            gender: r.gender,
            engagement: r.engagement,
            monthly_allowance_minor: r.monthly_allowance_minor,
            joined_on: r.joined_on,
            status: r.status,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The editable fields of a mother, validated (see `form.rs`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MotherData {
    pub district_id: Option<i64>,
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    pub languages: Vec<String>,
    pub country_of_origin: Option<String>,
    pub gender: Gender,
    pub engagement: Engagement,
    pub monthly_allowance_minor: Option<i64>,
    pub joined_on: NaiveDate,
    pub note: String,
}

/// A status change as kept in the history.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable)]
pub struct StatusChange {
    pub from_status: Option<MotherStatus>,
    pub to_status: MotherStatus,
    pub changed_on: NaiveDate,
    pub changed_by: Option<i64>,
    pub changed_by_name: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Filters for the list.
#[derive(Debug, Clone, Default)]
pub struct MotherFilter {
    pub programme_id: Option<i64>,
    /// Part of the name, any case.
    pub name: Option<String>,
    pub district_id: Option<i64>,
    pub status: Option<MotherStatus>,
    pub language: Option<String>,
    pub page: i64,
}

pub const PER_PAGE: i64 = 25;
/// The composite foreign key that keeps a mother's district in her programme.
pub const DISTRICT_FKEY: &str = "mothers_district_fkey";

fn subject(id: i64, programme_id: i64) -> Subject {
    Subject {
        entity: "mother",
        id: Some(id),
        programme_id: Some(programme_id),
    }
}

fn languages_sql(langs: &[String]) -> Vec<Option<String>> {
    langs.iter().cloned().map(Some).collect()
}

impl Mother {
    /// A page of mothers matching `filter`, by name, and the total count.
    /// The mothers matching `filter` within `scope`, as a query.
    fn filtered<'a>(
        scope: &ProgrammeScope,
        filter: &MotherFilter,
    ) -> mothers::BoxedQuery<'a, diesel::pg::Pg> {
        let mut q = mothers::table.into_boxed();
        if let ProgrammeScope::Only(ids) = scope {
            q = q.filter(mothers::programme_id.eq_any(ids.iter().map(|p| p.0).collect::<Vec<_>>()));
        }
        if let Some(p) = filter.programme_id {
            q = q.filter(mothers::programme_id.eq(p));
        }
        if let Some(n) = &filter.name {
            let pattern = format!(
                "%{}%",
                n.to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            q = q.filter(lower(mothers::full_name).like(pattern));
        }
        if let Some(d) = filter.district_id {
            q = q.filter(mothers::district_id.eq(d));
        }
        if let Some(s) = filter.status {
            q = q.filter(mothers::status.eq(s));
        }
        if let Some(l) = &filter.language {
            q = q.filter(mothers::languages.contains(vec![Some(l.clone())]));
        }
        q
    }

    pub async fn list(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: &MotherFilter,
    ) -> QueryResult<(Vec<Mother>, i64)> {
        let total: i64 = Self::filtered(scope, filter)
            .count()
            .get_result(conn)
            .await?;
        let rows: Vec<MotherRow> = Self::filtered(scope, filter)
            .select(MotherRow::as_select())
            .order((lower(mothers::full_name), mothers::id))
            .limit(PER_PAGE)
            .offset(crate::web::pagination::offset(filter.page, PER_PAGE))
            .load(conn)
            .await?;
        Ok((rows.into_iter().map(Mother::from).collect(), total))
    }

    /// Every mother matching `filter` (for the forms' choices), in one query.
    pub async fn all(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        filter: MotherFilter,
    ) -> QueryResult<Vec<Mother>> {
        let rows: Vec<MotherRow> = Self::filtered(scope, &filter)
            .select(MotherRow::as_select())
            .order((lower(mothers::full_name), mothers::id))
            .load(conn)
            .await?;
        Ok(rows.into_iter().map(Mother::from).collect())
    }

    pub async fn find(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Mother> {
        let row: MotherRow = mothers::table
            .find(id)
            .select(MotherRow::as_select())
            .first(conn)
            .await?;
        scope
            .visible(ProgrammeId(row.programme_id), row)
            .map(Into::into)
    }

    /// The mother, her row locked until the transaction ends, so that a
    /// status change reads the status it replaces (see [`set_status`]).
    pub async fn find_for_update(
        conn: &mut AsyncPgConnection,
        scope: &ProgrammeScope,
        id: i64,
    ) -> QueryResult<Mother> {
        let row: MotherRow = mothers::table
            .find(id)
            .select(MotherRow::as_select())
            .for_update()
            .first(conn)
            .await?;
        scope
            .visible(ProgrammeId(row.programme_id), row)
            .map(Into::into)
    }

    /// Records a new mother as an applicant (with the first history row).
    pub async fn create(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        programme_id: i64,
        data: &MotherData,
    ) -> QueryResult<Mother> {
        scope.check(ProgrammeId(programme_id))?;
        conn.transaction(async |conn| {
            let row: MotherRow = diesel::insert_into(mothers::table)
                .values((
                    mothers::programme_id.eq(programme_id),
                    mothers::district_id.eq(data.district_id),
                    mothers::full_name.eq(&data.full_name),
                    mothers::phone.eq(&data.phone),
                    mothers::email.eq(&data.email),
                    mothers::languages.eq(languages_sql(&data.languages)),
                    mothers::country_of_origin.eq(&data.country_of_origin),
                    mothers::gender.eq(data.gender),
                    mothers::engagement.eq(data.engagement),
                    mothers::monthly_allowance_minor.eq(data.monthly_allowance_minor),
                    mothers::joined_on.eq(data.joined_on),
                    mothers::note.eq(&data.note),
                ))
                .returning(MotherRow::as_returning())
                .get_result(conn)
                .await?;
            diesel::insert_into(mother_status_changes::table)
                .values((
                    mother_status_changes::mother_id.eq(row.id),
                    mother_status_changes::to_status.eq(MotherStatus::Applicant),
                    mother_status_changes::changed_on.eq(data.joined_on),
                    mother_status_changes::changed_by.eq(actor),
                ))
                .execute(conn)
                .await?;
            audit::record(
                conn,
                actor,
                "create",
                subject(row.id, programme_id),
                audit::created(data),
            )
            .await?;
            Ok(row.into())
        })
        .await
    }

    pub async fn update(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        data: &MotherData,
    ) -> QueryResult<Mother> {
        conn.transaction(async |conn| {
            let old = Mother::find_for_update(conn, scope, id).await?;
            let row: MotherRow = diesel::update(mothers::table.find(id))
                .set((
                    mothers::district_id.eq(data.district_id),
                    mothers::full_name.eq(&data.full_name),
                    mothers::phone.eq(&data.phone),
                    mothers::email.eq(&data.email),
                    mothers::languages.eq(languages_sql(&data.languages)),
                    mothers::country_of_origin.eq(&data.country_of_origin),
                    mothers::gender.eq(data.gender),
                    mothers::engagement.eq(data.engagement),
                    mothers::monthly_allowance_minor.eq(data.monthly_allowance_minor),
                    mothers::joined_on.eq(data.joined_on),
                    mothers::note.eq(&data.note),
                ))
                .returning(MotherRow::as_returning())
                .get_result(conn)
                .await?;
            let new: Mother = row.into();
            audit::record(
                conn,
                actor,
                "update",
                subject(id, old.programme_id),
                audit::changed(&old, &new),
            )
            .await?;
            Ok(new)
        })
        .await
    }

    /// Moves the mother to `to` on `on`, keeping the change in the history.
    /// Moving to the status she already has changes nothing.
    pub async fn change_status(
        conn: &mut AsyncPgConnection,
        actor: Actor,
        scope: &ProgrammeScope,
        id: i64,
        to: MotherStatus,
        on: NaiveDate,
        reason: &str,
    ) -> QueryResult<Mother> {
        conn.transaction(async |conn| {
            let old = Mother::find_for_update(conn, scope, id).await?;
            set_status(conn, actor, &old, to, on, reason).await?;
            Mother::find(conn, scope, id).await
        })
        .await
    }

    /// The status history, oldest first.
    pub async fn history(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<Vec<StatusChange>> {
        mother_status_changes::table
            .left_join(users::table.on(users::id.nullable().eq(mother_status_changes::changed_by)))
            .filter(mother_status_changes::mother_id.eq(id))
            .select((
                mother_status_changes::from_status,
                mother_status_changes::to_status,
                mother_status_changes::changed_on,
                mother_status_changes::changed_by,
                users::display_name.nullable(),
                mother_status_changes::reason,
                mother_status_changes::created_at,
            ))
            .order((mother_status_changes::changed_on, mother_status_changes::id))
            .load(conn)
            .await
    }
}

/// Sets a mother's status inside the caller's transaction (also used by
/// enrolment and completion). No change when she already has it.
/// `mother` must have been read with [`Mother::find_for_update`] in the
/// same transaction, so that the history's previous status is the true one.
pub async fn set_status(
    conn: &mut AsyncPgConnection,
    actor: Actor,
    mother: &Mother,
    to: MotherStatus,
    on: NaiveDate,
    reason: &str,
) -> QueryResult<()> {
    if mother.status == to {
        return Ok(());
    }
    diesel::update(mothers::table.find(mother.id))
        .set(mothers::status.eq(to))
        .execute(conn)
        .await?;
    diesel::insert_into(mother_status_changes::table)
        .values((
            mother_status_changes::mother_id.eq(mother.id),
            mother_status_changes::from_status.eq(mother.status),
            mother_status_changes::to_status.eq(to),
            mother_status_changes::changed_on.eq(on),
            mother_status_changes::changed_by.eq(actor),
            mother_status_changes::reason.eq(reason),
        ))
        .execute(conn)
        .await?;
    audit::record(
        conn,
        actor,
        "change_status",
        subject(mother.id, mother.programme_id),
        serde_json::json!({
            "status": {"old": mother.status, "new": to},
            "changed_on": {"new": on},
            "reason": {"new": reason},
        }),
    )
    .await
}
